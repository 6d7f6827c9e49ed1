package io.jnatsd.store.memory;

import io.jnatsd.store.ConsumerState;
import io.jnatsd.store.ConsumerStateCodec;
import io.jnatsd.store.ConsumerStateTracker;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A consumer's state kept in memory (memory streams, and memory consumers of any stream). Thread-safe: one lock.
 */
// nats-server: memstore.go consumerMemStore
final class MemoryConsumerStore implements ConsumerStore {

    private final MemoryStreamStore stream;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConsumerStateTracker tracker;
    private boolean closed;

    MemoryConsumerStore(MemoryStreamStore stream, String name, ConsumerStoreConfig config) {
        this.stream = stream;
        this.name = name;
        this.tracker = new ConsumerStateTracker(config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setStarting(long sseq) {
        lock.lock();
        try {
            tracker.setStarting(sseq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateStarting(long sseq) {
        lock.lock();
        try {
            tracker.updateStarting(sseq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reset(long sseq) {
        lock.lock();
        try {
            tracker.reset(sseq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasState() {
        lock.lock();
        try {
            return tracker.hasState();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateDelivered(long dseq, long sseq, long dc, long timestampNanos) {
        lock.lock();
        try {
            tracker.updateDelivered(dseq, sseq, dc, timestampNanos);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateAcks(long dseq, long sseq) {
        lock.lock();
        try {
            tracker.updateAcks(dseq, sseq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeRedeliveredBelow(long seq) {
        lock.lock();
        try {
            tracker.removeRedeliveredBelow(seq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ConsumerStoreConfig config() {
        lock.lock();
        try {
            return tracker.config();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateConfig(ConsumerStoreConfig config) {
        lock.lock();
        try {
            tracker.config(config);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void update(ConsumerState state) {
        lock.lock();
        try {
            tracker.update(state, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forceUpdate(ConsumerState state) {
        lock.lock();
        try {
            tracker.update(state, true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ConsumerState state() {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException(StoreError.CLOSED);
            }
            return tracker.state().copy();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte[] encodedState() {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException(StoreError.CLOSED);
            }
            return ConsumerStateCodec.encode(tracker.state(), System.currentTimeMillis() * 1_000_000L);
        } finally {
            lock.unlock();
        }
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
