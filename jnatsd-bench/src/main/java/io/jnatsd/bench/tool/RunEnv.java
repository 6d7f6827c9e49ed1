package io.jnatsd.bench.tool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every case run needs besides its target: the options, the progress printer, the generator's measured
 * ceiling (if any), and unique subjects so that runs never see each other's messages. Used on the runner thread.
 */
final class RunEnv {

    private static final AtomicLong RUNS = new AtomicLong();

    private final BenchOptions options;
    private final Progress progress;
    private final GeneratorCeiling ceiling;   // null when not measured
    private final long durationNanos;
    private final boolean counted;            // --msgs: a message count instead of a duration

    RunEnv(BenchOptions options, Progress progress, GeneratorCeiling ceiling) {
        this(options, progress, ceiling, options.durationNanos, options.msgs > 0);
    }

    private RunEnv(BenchOptions options, Progress progress, GeneratorCeiling ceiling, long durationNanos,
            boolean counted) {
        this.options = options;
        this.progress = progress;
        this.ceiling = ceiling;
        this.durationNanos = durationNanos;
        this.counted = counted;
    }

    /** The same environment with another run length and no message limit (for warm-up runs). */
    RunEnv withDuration(long nanos) {
        return new RunEnv(options, progress, null, nanos, false);
    }

    BenchOptions options() {
        return options;
    }

    Progress progress() {
        return progress;
    }

    /** The generator's ceiling, or {@code null}. */
    GeneratorCeiling ceiling() {
        return ceiling;
    }

    /** A subject prefix no other run of this process uses: {@code bench.<pid>.<n>.<scenario>}. */
    String uniqueSubject(String scenario) {
        return "bench." + ProcessHandle.current().pid() + "." + RUNS.incrementAndGet() + "." + scenario;
    }

    /** True when runs publish a fixed number of messages ({@code --msgs}) rather than for a duration. */
    boolean countedRuns() {
        return counted;
    }

    /** Length of a throughput or latency run: unbounded when a message count is given. */
    long runNanos() {
        return countedRuns() ? Long.MAX_VALUE : durationNanos;
    }

    /** Message limit of a throughput or latency run: unbounded when running for a duration. */
    long runMsgs() {
        return countedRuns() ? options.msgs : Long.MAX_VALUE;
    }

    /** How long to wait for a run's publishers before giving up on them. */
    long publishTimeoutNanos() {
        long base = countedRuns() ? BenchOptions.seconds(600) : durationNanos;
        return base + options.drainTimeoutNanos + BenchOptions.seconds(10);
    }
}
