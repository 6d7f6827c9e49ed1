package io.jnatsd.systest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the tests' only way to wait for something that happens on
 * another thread (nats-server's {@code checkFor} in {@code server/server_test.go}). Stateless; any thread.
 */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {
    }

    /** Waits until {@code condition} is true; fails the test after {@code timeout}. */
    public static void until(Duration timeout, BooleanSupplier condition) {
        until(timeout, () -> "condition", condition);
    }

    /** Waits until {@code condition} is true; fails with {@code description} after {@code timeout}. */
    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        until(timeout, () -> description, condition);
    }

    /** Waits until {@code condition} is true; fails with the (lazily built) description after {@code timeout}. */
    public static void until(Duration timeout, Supplier<String> description, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                    + description.get());
        }
    }

    /** Polls {@code condition} until it is true (returns true) or {@code timeout} passes (returns false). */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting");
            }
        }
        return true;
    }
}
