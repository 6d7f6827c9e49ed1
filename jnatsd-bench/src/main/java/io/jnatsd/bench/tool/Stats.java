package io.jnatsd.bench.tool;

import java.util.Arrays;
import java.util.Collection;

/** Medians and ratios over rounds. Stateless. */
final class Stats {

    private Stats() {
    }

    /** The median (mean of the middle two for an even count), NaN for none; NaN values are ignored. */
    static double median(Collection<Double> values) {
        double[] v = values.stream().filter(d -> d != null && !Double.isNaN(d)).mapToDouble(Double::doubleValue)
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** {@code a / b}, NaN when either is unknown or {@code b} is 0. */
    static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return Double.NaN;
        }
        return a / b;
    }
}
