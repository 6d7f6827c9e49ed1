package io.jnatsd.bench.tool;

import java.util.Locale;

/** Number formatting for the table and progress lines. Stateless. */
final class Format {

    private Format() {
    }

    /** {@code 0B}, {@code 16B}, {@code 1KB}, {@code 64KB}, {@code 1.5KB}, {@code 2MB} (binary multiples). */
    static String bytes(long n) {
        if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) {
            return n / (1024 * 1024) + "MB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return n / 1024 + "KB";
        }
        if (n >= 1024) {
            return String.format(Locale.ROOT, "%.1fKB", n / 1024.0);
        }
        return n + "B";
    }

    /** {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A metric value for the table: integers with separators for large values, else 1-3 decimals. */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio: {@code 1.04}. */
    static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }
}
