package io.jnatsd.bench.tool;

/**
 * One measured value of one run, e.g. {@code msgs/s = 1.2e6}.
 *
 * @param name           short name, unique within a case ({@code "msgs/s"}, {@code "p99"})
 * @param unit           unit for display ({@code "msgs/s"}, {@code "us"}, {@code "KB"})
 * @param value          the value
 * @param higherIsBetter direction, for reading the jnatsd/nats-server ratio
 * @param shown          whether the stdout table shows it (JSON and CSV always carry every metric)
 */
record Metric(String name, String unit, double value, boolean higherIsBetter, boolean shown) {

    /** A rate or other higher-is-better value, shown in the table. */
    static Metric higher(String name, String unit, double value) {
        return new Metric(name, unit, value, true, true);
    }

    /** A latency, memory or time value, shown in the table. */
    static Metric lower(String name, String unit, double value) {
        return new Metric(name, unit, value, false, true);
    }

    /** The same metric, not shown in the table. */
    Metric hidden() {
        return new Metric(name, unit, value, higherIsBetter, false);
    }
}
