package io.jnatsd.server.tls;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@code connection_rate_limit}: at most {@code limit} TLS handshakes may start per one-second window on the client
 * port; the rest are refused. Counts the refusals for the once-a-second warning. Thread-safe (a short lock: every
 * event loop accepts).
 */
// nats-server: rate_counter.go rateCounter
final class HandshakeRateLimiter {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long limit;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong blocked = new AtomicLong();
    private long windowEndNanos;     // guarded by lock
    private long count;              // guarded by lock
    private boolean started;         // guarded by lock

    HandshakeRateLimiter(long limit) {
        this(limit, System::nanoTime);
    }

    HandshakeRateLimiter(long limit, LongSupplier nanoClock) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        this.limit = limit;
        this.nanoClock = nanoClock;
    }

    long limit() {
        return limit;
    }

    /** Whether one more handshake may start now. */
    boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        boolean allow;
        lock.lock();
        try {
            if (!started || now - windowEndNanos > 0) {
                started = true;
                count = 0;
                windowEndNanos = now + INTERVAL_NANOS;
            } else {
                count++;
            }
            allow = count < limit;
        } finally {
            lock.unlock();
        }
        if (!allow) {
            blocked.incrementAndGet();
        }
        return allow;
    }

    /** The refusals since the last call. */
    long takeBlocked() {
        return blocked.getAndSet(0);
    }
}
