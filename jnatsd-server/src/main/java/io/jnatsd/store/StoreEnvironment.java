package io.jnatsd.store;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What stores take from their surroundings: the wall clock (message timestamps, ages, TTLs) and the timer that runs
 * expiry, schedules and background syncs. Tests pass a controllable clock; the server uses {@link #system()}.
 *
 * @param clock  nanoseconds since the epoch
 * @param timer  fires delayed tasks (tasks only hand work to {@code worker}; they must not block)
 * @param worker runs the fired work (expiry, syncs), which may block on disk I/O and the store lock
 */
public record StoreEnvironment(LongSupplier clock, ScheduledExecutorService timer, Executor worker) {

    private static final StoreEnvironment SYSTEM = new StoreEnvironment(StoreEnvironment::systemNanos,
            sharedTimer(), task -> Thread.ofVirtual().name("jnatsd-store-work").start(task));

    /** The system clock, one shared daemon timer thread, and a virtual thread per fired task. */
    public static StoreEnvironment system() {
        return SYSTEM;
    }

    /** The same timer and worker as {@link #system()} with another clock. */
    public static StoreEnvironment withClock(LongSupplier clock) {
        return new StoreEnvironment(clock, SYSTEM.timer, SYSTEM.worker);
    }

    /** Current time, nanoseconds since the epoch. */
    public long nowNanos() {
        return clock.getAsLong();
    }

    private static long systemNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static ScheduledExecutorService sharedTimer() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "jnatsd-store-timer-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
