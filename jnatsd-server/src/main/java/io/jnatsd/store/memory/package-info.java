/**
 * The memory engine: {@link io.jnatsd.store.memory.MemoryStreamStore} keeps messages in a primitive-keyed hash map
 * by sequence and per-subject state in a {@link io.jnatsd.store.SubjectIndex}; consumer state lives in
 * {@code MemoryConsumerStore}. Bytes are accounted as {@code len(subject) + len(header) + len(payload) + 16}.
 *
 * <p>Behaviour of nats-server {@code server/memstore.go}. Threads: as the SPI (one read/write lock per store).
 */
package io.jnatsd.store.memory;
