/**
 * JetStream storage SPI: {@link io.jnatsd.store.StreamStore} (a stream's messages), {@link io.jnatsd.store.ConsumerStore}
 * (a consumer's delivery state), {@link io.jnatsd.store.StoredMessage} (a reusable load holder),
 * {@link io.jnatsd.store.StreamState}, {@link io.jnatsd.store.SimpleState} and {@link io.jnatsd.store.StoreConfig}
 * (what a store needs of a stream configuration), with the errors ({@link io.jnatsd.store.StoreError}) and callbacks
 * the JetStream layer uses. Two engines implement it: {@code io.jnatsd.store.memory} and {@code io.jnatsd.store.file}.
 *
 * <p>Behaviour of nats-server {@code server/store.go} (interfaces, errors, encoded stream and consumer state),
 * {@code server/memstore.go}/{@code server/filestore.go} (semantics shared by both engines, written once in
 * {@link io.jnatsd.store.AbstractStreamStore}: the stream state, the subject index, the store/skip/remove/purge/
 * compact/truncate sequences with their limits, state and subject queries, TTLs, expiry and schedules; the engines
 * provide the steps that touch their messages), {@code server/stree/} ({@link io.jnatsd.store.SubjectIndex}),
 * {@code server/thw/} ({@link io.jnatsd.store.TtlHeap}), {@code server/sdm.go} ({@link io.jnatsd.store.SdmTracker})
 * and the store side of {@code server/scheduler.go} ({@link io.jnatsd.store.ScheduleIndex}).
 *
 * <p>Threads: a stream store is thread-safe with one writer expected per stream (the stream's ingest thread);
 * readers share a read lock. Expiry, schedules and background syncs run on a shared timer thread
 * ({@link io.jnatsd.store.StoreEnvironment}) handing work to virtual threads. Callbacks are called without store
 * locks held. See {@link io.jnatsd.store.StreamStore} for the full contract.
 */
package io.jnatsd.store;
