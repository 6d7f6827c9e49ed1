package io.jnatsd.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What every consumer store does the same way: the state kept by a {@link ConsumerStateTracker} under one lock, and
 * the {@link ConsumerStore} calls that only update or read it. An engine adds what happens after a change (the file
 * store schedules a write), after a configuration update, and how it stops.
 * <p>
 * Thread-safe: {@link #lock} guards the tracker and {@link #closed}.
 */
// nats-server: filestore.go consumerFileStore, memstore.go consumerMemStore (their shared update methods)
public abstract class AbstractConsumerStore implements ConsumerStore {

    protected final ReentrantLock lock = new ReentrantLock();
    protected final ConsumerStateTracker tracker;
    protected boolean closed;
    private final String name;

    protected AbstractConsumerStore(String name, ConsumerStoreConfig config) {
        this.name = name;
        this.tracker = new ConsumerStateTracker(config);
    }

    /** The state changed ({@link #lock} held). */
    protected abstract void changedLocked();

    /** The configuration was replaced by {@code config} ({@link #lock} held). */
    protected abstract void configChangedLocked(ConsumerStoreConfig config);

    /** The time stamped on an encoded state, in nanoseconds since the epoch. */
    protected abstract long nowNanos();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void setStarting(long sseq) {
        lock.lock();
        try {
            tracker.setStarting(sseq);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void updateStarting(long sseq) {
        lock.lock();
        try {
            tracker.updateStarting(sseq);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void reset(long sseq) {
        lock.lock();
        try {
            tracker.reset(sseq);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final boolean hasState() {
        lock.lock();
        try {
            return tracker.hasState();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void updateDelivered(long dseq, long sseq, long dc, long timestampNanos) {
        lock.lock();
        try {
            if (tracker.updateDelivered(dseq, sseq, dc, timestampNanos)) {
                changedLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void updateAcks(long dseq, long sseq) {
        lock.lock();
        try {
            if (tracker.updateAcks(dseq, sseq)) {
                changedLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void removeRedeliveredBelow(long seq) {
        lock.lock();
        try {
            tracker.removeRedeliveredBelow(seq);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final ConsumerStoreConfig config() {
        lock.lock();
        try {
            return tracker.config();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void updateConfig(ConsumerStoreConfig config) {
        lock.lock();
        try {
            tracker.config(config);
            configChangedLocked(config);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void update(ConsumerState state) {
        lock.lock();
        try {
            tracker.update(state, false);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void forceUpdate(ConsumerState state) {
        lock.lock();
        try {
            tracker.update(state, true);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final ConsumerState state() {
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
    public final byte[] encodedState() {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException(StoreError.CLOSED);
            }
            return ConsumerStateCodec.encode(tracker.state(), nowNanos());
        } finally {
            lock.unlock();
        }
    }
}
