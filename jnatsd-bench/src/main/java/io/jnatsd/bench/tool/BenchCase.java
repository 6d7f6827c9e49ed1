package io.jnatsd.bench.tool;

import java.util.Map;

/**
 * One measurable case of a scenario with fixed parameters, e.g. "fanout, 4 subscribers, 1 KB". Runs against one
 * server at a time, on the runner thread, and may start and join its own worker threads.
 */
interface BenchCase {

    /** The scenario name as given on the command line ({@code pub}, {@code fanout}, ...). */
    String scenario();

    /** The parameters in short form, e.g. {@code subs=4 size=1KB}; unique within the scenario. */
    String label();

    /** The parameters as values, for JSON, CSV and charts. */
    Map<String, Object> params();

    /** True if the case needs to launch servers itself ({@link Target#launcher()}). */
    default boolean needsLauncher() {
        return false;
    }

    /** True if the case runs over TLS, on {@link Target#tls()}. */
    default boolean needsTls() {
        return false;
    }

    /** Runs the case once against {@code target}. */
    CaseResult run(Target target, RunEnv env) throws Exception;
}
