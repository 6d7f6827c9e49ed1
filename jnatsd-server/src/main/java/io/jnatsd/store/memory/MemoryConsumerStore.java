package io.jnatsd.store.memory;

import io.jnatsd.store.AbstractConsumerStore;
import io.jnatsd.store.AbstractStreamStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.StorageType;

/**
 * A consumer's state kept in memory (memory streams, and memory consumers of any stream). Thread-safe: one lock.
 */
// nats-server: memstore.go consumerMemStore
public final class MemoryConsumerStore extends AbstractConsumerStore {

    private final AbstractStreamStore<?> stream;

    /**
     * A consumer store of {@code stream} kept in memory; the caller registers it with the stream. File streams use
     * it for {@code mem_storage} consumers.
     */
    public MemoryConsumerStore(AbstractStreamStore<?> stream, String name, ConsumerStoreConfig config) {
        super(name, config);
        this.stream = stream;
    }

    @Override
    protected void changedLocked() {
        // the tracker is all a memory consumer keeps: there is nothing to write
    }

    @Override
    protected void configChangedLocked(ConsumerStoreConfig config) {
        // the tracker holds the configuration: there is nothing to write
    }

    @Override
    protected long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public StorageType type() {
        return StorageType.MEMORY;
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        stream.removeConsumer(this);
    }

    @Override
    public void delete() {
        stop();
    }

    @Override
    public void streamDelete() {
        stop();
    }
}
