package io.jnatsd.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Go duration strings: {@code time.ParseDuration} (e.g. {@code "1h30m"}, {@code "1.5s"}, {@code "-300ms"}) and
 * {@code time.Duration.String} (e.g. {@code "1m30s"}, {@code "1.5µs"}, {@code "0s"}), with Go's limits (the
 * int64 nanosecond range) and error texts.
 *
 * <p>Stateless; safe from any thread.
 */
public final class GoDuration {

    private static final long NANOSECOND = 1L;
    private static final long MICROSECOND = 1_000L;
    private static final long MILLISECOND = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long TWO_POW_63 = Long.MIN_VALUE;   // 1<<63 as an unsigned value
    private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

    private GoDuration() {
    }

    /**
     * Parses a Go duration string: an optional sign and one or more decimal numbers (with optional fraction),
     * each followed by a unit {@code ns}, {@code us}, {@code µs}, {@code μs}, {@code ms}, {@code s}, {@code m},
     * {@code h}. {@code "0"} alone needs no unit.
     *
     * @throws IllegalArgumentException with Go's message, e.g. {@code time: invalid duration "x"}
     */
    public static Duration parse(String s) {
        byte[] orig = s.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        boolean negative = false;
        if (orig.length > 0 && (orig[0] == '-' || orig[0] == '+')) {
            negative = orig[0] == '-';
            i = 1;
        }
        if (orig.length - i == 1 && orig[i] == '0') {
            return Duration.ZERO;
        }
        if (i == orig.length) {
            throw invalid(orig);
        }
        long total = 0;   // unsigned
        while (i < orig.length) {
            if (!(orig[i] == '.' || isDigit(orig[i]))) {
                throw invalid(orig);
            }
            // integer part, overflow-checked like Go's leadingInt
            int intStart = i;
            long whole = 0;
            while (i < orig.length && isDigit(orig[i])) {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_POW_63, 10)) > 0) {
                    throw invalid(orig);
                }
                whole = whole * 10 + (orig[i] - '0');
                if (Long.compareUnsigned(whole, TWO_POW_63) > 0) {
                    throw invalid(orig);
                }
                i++;
            }
            boolean hasWhole = i != intStart;
            // fraction, which stops gaining precision instead of overflowing (Go's leadingFraction)
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < orig.length && orig[i] == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                while (i < orig.length && isDigit(orig[i])) {
                    if (!overflow) {
                        if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                            overflow = true;
                        } else {
                            long next = fraction * 10 + (orig[i] - '0');
                            if (Long.compareUnsigned(next, TWO_POW_63) > 0) {
                                overflow = true;
                            } else {
                                fraction = next;
                                scale *= 10;
                            }
                        }
                    }
                    i++;
                }
                hasFraction = i != fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(orig);
            }
            int unitStart = i;
            while (i < orig.length && orig[i] != '.' && !isDigit(orig[i])) {
                i++;
            }
            if (i == unitStart) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(orig, 0, orig.length));
            }
            long unit = unitNanos(new String(orig, unitStart, i - unitStart, StandardCharsets.UTF_8));
            if (unit == 0) {
                throw new IllegalArgumentException("time: unknown unit " + quote(orig, unitStart, i)
                        + " in duration " + quote(orig, 0, orig.length));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_POW_63, unit)) > 0) {
                throw invalid(orig);
            }
            whole *= unit;
            if (fraction != 0) {
                whole += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
                if (Long.compareUnsigned(whole, TWO_POW_63) > 0) {
                    throw invalid(orig);
                }
            }
            total += whole;
            if (Long.compareUnsigned(total, TWO_POW_63) > 0) {
                throw invalid(orig);
            }
        }
        if (negative) {
            return Duration.ofNanos(-total);
        }
        if (total == TWO_POW_63) {
            throw invalid(orig);
        }
        return Duration.ofNanos(total);
    }

    /**
     * Prints a duration as Go's {@code time.Duration.String}: {@code "72h3m0.5s"}, {@code "1.5s"},
     * {@code "100ms"}, {@code "1.5µs"}, {@code "0s"}.
     *
     * @throws ArithmeticException if the duration does not fit Go's int64 nanoseconds
     */
    public static String format(Duration d) {
        return formatNanos(d.toNanos());
    }

    /** {@link #format(Duration)} for a nanosecond count. */
    public static String formatNanos(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        long u = nanos < 0 ? -nanos : nanos;   // unsigned: Long.MIN_VALUE stays 1<<63
        StringBuilder reversed = new StringBuilder(32);
        if (Long.compareUnsigned(u, SECOND) < 0) {
            // below one second: a single unit with a fraction, like "1.2ms"
            int precision;
            if (u < MICROSECOND) {
                precision = 0;
                reversed.append("sn");
            } else if (u < MILLISECOND) {
                precision = 3;
                reversed.append("sµ");
            } else {
                precision = 6;
                reversed.append("sm");
            }
            u = appendFractionReversed(reversed, u, precision);
            appendIntReversed(reversed, u);
        } else {
            reversed.append('s');
            u = appendFractionReversed(reversed, u, 9);
            appendIntReversed(reversed, Long.remainderUnsigned(u, 60));
            u = Long.divideUnsigned(u, 60);
            if (u > 0) {
                reversed.append('m');
                appendIntReversed(reversed, u % 60);
                u /= 60;
                if (u > 0) {
                    reversed.append('h');
                    appendIntReversed(reversed, u);
                }
            }
        }
        if (nanos < 0) {
            reversed.append('-');
        }
        return reversed.reverse().toString();
    }

    /** Appends ".ddd" (reversed, trailing zeros dropped, nothing if all zero) and returns {@code u / 10^precision}. */
    private static long appendFractionReversed(StringBuilder reversed, long u, int precision) {
        boolean print = false;
        for (int i = 0; i < precision; i++) {
            long digit = Long.remainderUnsigned(u, 10);
            print |= digit != 0;
            if (print) {
                reversed.append((char) ('0' + digit));
            }
            u = Long.divideUnsigned(u, 10);
        }
        if (print) {
            reversed.append('.');
        }
        return u;
    }

    private static void appendIntReversed(StringBuilder reversed, long u) {
        if (u == 0) {
            reversed.append('0');
            return;
        }
        while (u != 0) {
            reversed.append((char) ('0' + Long.remainderUnsigned(u, 10)));
            u = Long.divideUnsigned(u, 10);
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> NANOSECOND;
            case "us", "\u00b5s", "\u03bcs" -> MICROSECOND;
            case "ms" -> MILLISECOND;
            case "s" -> SECOND;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            default -> 0;
        };
    }

    private static double unsignedToDouble(long u) {
        return u >= 0 ? u : (double) (u >>> 1) * 2.0;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static IllegalArgumentException invalid(byte[] orig) {
        return new IllegalArgumentException("time: invalid duration " + quote(orig, 0, orig.length));
    }

    /** Go {@code time.quote}: double quotes; '"' and '\' escaped; control and non-ASCII bytes as \xhh. */
    private static String quote(byte[] s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from + 2).append('"');
        for (int i = from; i < to; i++) {
            int b = s[i] & 0xFF;
            if (b >= 0x80 || b < ' ') {
                out.append("\\x").append(LOWER_HEX[b >> 4]).append(LOWER_HEX[b & 0xF]);
            } else {
                if (b == '"' || b == '\\') {
                    out.append('\\');
                }
                out.append((char) b);
            }
        }
        return out.append('"').toString();
    }
}
