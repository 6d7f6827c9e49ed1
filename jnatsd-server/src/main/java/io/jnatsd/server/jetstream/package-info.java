/**
 * JetStream on one server: the engine ({@link io.jnatsd.server.jetstream.JetStream}: resolved configuration,
 * server-wide reservations and usage, enabled accounts), per-account state and limits
 * ({@link io.jnatsd.server.jetstream.JsAccount}), streams and their configuration model
 * ({@link io.jnatsd.server.jetstream.StreamConfig} and its parts), atomic and fast batch publish
 * ({@code AtomicBatches}, {@code FastBatches} with {@code FastBatchReply}) and advisories
 * ({@link io.jnatsd.server.jetstream.Advisories}). Messages are kept by the storage engine of {@code io.jnatsd.store}.
 *
 * <p>Behaviour of nats-server {@code server/jetstream.go} (enabling, accounts, limits and tiers, reservations),
 * {@code server/stream.go} (streams), {@code server/jetstream_batching.go} (batches),
 * {@code server/jetstream_events.go} (advisories) and
 * {@code server/jetstream_versioning.go} (API level, server-set metadata).
 *
 * <p>Threads: the engine and accounts are thread-safe (monitors, lock order account then engine). Each stream has
 * one writer, a virtual thread fed by a bounded ingest queue, which stores published messages and sends their
 * acknowledgements. A publish to an idle stream is stored on the publisher's thread instead, when the stream's lock
 * is free at once (never waited for) and its file store does not fsync every write. Batch inactivity timers run on
 * the host's timers and take the stream's lock. Consumers
 * ({@code io.jnatsd.server.jetstream.consumer}) attach through {@link io.jnatsd.server.jetstream.StreamConsumer}: the
 * stream tells them about stored, removed and purged messages (they only queue and wake their own thread) and asks
 * them whether a message is still needed (interest and work-queue retention, {@link
 * io.jnatsd.server.jetstream.Stream#ackMessage}).
 *
 * <p>Monitoring ({@code io.jnatsd.server.monitor}) reads the engine, accounts and streams through their read-only
 * accessors, and consumers through {@link io.jnatsd.server.jetstream.Stream#consumerInfos()}.
 */
package io.jnatsd.server.jetstream;
