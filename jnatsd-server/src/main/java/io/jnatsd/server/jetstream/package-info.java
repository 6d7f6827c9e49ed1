/**
 * JetStream on one server: the engine ({@link io.jnatsd.server.jetstream.JetStream}: resolved configuration,
 * server-wide reservations and usage, enabled accounts), per-account state and limits
 * ({@link io.jnatsd.server.jetstream.JsAccount}), streams and their configuration model
 * ({@link io.jnatsd.server.jetstream.StreamConfig} and its parts) and advisories
 * ({@link io.jnatsd.server.jetstream.Advisories}). Messages are kept by the storage engine of {@code io.jnatsd.store}.
 *
 * <p>Behaviour of nats-server {@code server/jetstream.go} (enabling, accounts, limits and tiers, reservations),
 * {@code server/stream.go} (streams), {@code server/jetstream_events.go} (advisories) and
 * {@code server/jetstream_versioning.go} (API level, server-set metadata).
 *
 * <p>Threads: the engine and accounts are thread-safe (monitors, lock order account then engine). Each stream has
 * one writer, a virtual thread fed by a bounded ingest queue, which stores published messages and sends their
 * acknowledgements; publishers only queue, so no event loop ever blocks on a store. Consumers
 * ({@code io.jnatsd.server.jetstream.consumer}) attach through {@link io.jnatsd.server.jetstream.StreamConsumer}: the
 * stream tells them about stored, removed and purged messages (they only queue and wake their own thread) and asks
 * them whether a message is still needed (interest and work-queue retention, {@link
 * io.jnatsd.server.jetstream.Stream#ackMessage}).
 */
package io.jnatsd.server.jetstream;
