package io.jnatsd.store;

import java.util.function.LongSupplier;

/** A test clock: starts at a fixed instant, moves 1 µs per reading (distinct timestamps), jumps on demand. */
public final class TestClock implements LongSupplier {

    private long nowNanos = 1_700_000_000_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        nowNanos += 1_000;
        return nowNanos;
    }

    /** Moves the clock forward. */
    public synchronized void advance(long nanos) {
        nowNanos += nanos;
    }

    /** The current reading without moving. */
    public synchronized long peek() {
        return nowNanos;
    }

    /** An environment with this clock whose timer never runs the fired work (tests drive expiry themselves). */
    public StoreEnvironment environment() {
        return new StoreEnvironment(this, StoreEnvironment.system().timer(), task -> { });
    }
}
