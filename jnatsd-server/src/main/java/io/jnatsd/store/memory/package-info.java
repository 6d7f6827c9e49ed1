/**
 * The memory engine: {@link io.jnatsd.store.memory.MemoryStreamStore} keeps messages in a primitive-keyed hash map
 * by sequence and per-subject state in the {@link io.jnatsd.store.SubjectIndex} of its base
 * ({@link io.jnatsd.store.AbstractStreamStore}, which runs the store, limit, purge and query logic both engines
 * share); consumer state lives in
 * {@code MemoryConsumerStore}. Bytes are accounted as {@code len(subject) + len(header) + len(payload) + 16}.
 *
 * <p>Behaviour of nats-server {@code server/memstore.go}. Threads: as the SPI (one read/write lock per store).
 */
package io.jnatsd.store.memory;
