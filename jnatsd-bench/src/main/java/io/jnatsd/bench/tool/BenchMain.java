package io.jnatsd.bench.tool;

import java.io.PrintStream;

/**
 * Entry point of {@code jnatsd-bench} ({@code bin/jnatsd-bench}). Exit status: 0 when every run delivered every
 * message, 1 for a usage or set-up error, 2 when a run lost, duplicated or failed.
 */
public final class BenchMain {

    /** The benchmark's version (from the jar manifest, else {@code dev}). */
    public static final String VERSION = version();

    private BenchMain() {
    }

    private static String version() {
        String v = BenchMain.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Runs the benchmark and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the benchmark with {@code args}, printing the table to {@code out} and progress to {@code err}.
     *
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jnatsd-bench: " + e.getMessage());
            err.println("Try 'jnatsd-bench --help'.");
            return 1;
        }
        if (options.help) {
            out.print(BenchOptions.usage());
            return 0;
        }
        try {
            return new BenchRunner(options, out, err).run();
        } catch (Exception e) {
            err.println("jnatsd-bench: " + e.getMessage());
            return 1;
        }
    }
}
