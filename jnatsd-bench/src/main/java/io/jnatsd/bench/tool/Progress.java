package io.jnatsd.bench.tool;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Progress lines on stderr, prefixed with the time since the benchmark started. {@link #tick} is rate-limited so
 * that long waits report every couple of seconds. Used from the runner thread only.
 */
final class Progress {

    private static final long TICK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final PrintStream err;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private long lastTickNanos;

    Progress(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    /** Prints one line (unless quiet). */
    void line(String text) {
        if (!quiet) {
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
            err.printf(Locale.ROOT, "[%02d:%02d] %s%n", s / 60, s % 60, text);
            err.flush();
            lastTickNanos = System.nanoTime();
        }
    }

    /** Prints a warning line, also when quiet. */
    void warn(String text) {
        err.println("warning: " + text);
        err.flush();
    }

    /** Prints {@code text} if nothing was printed for a couple of seconds (for long-running steps). */
    void tick(String text) {
        if (System.nanoTime() - lastTickNanos >= TICK_INTERVAL_NANOS) {
            line("  ... " + text);
        }
    }
}
