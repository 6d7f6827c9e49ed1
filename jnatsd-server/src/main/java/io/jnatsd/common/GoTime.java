package io.jnatsd.common;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Times as Go's {@code encoding/json} writes a {@code time.Time}: RFC 3339 with nanoseconds, trailing zeros of the
 * fraction dropped ({@code time.RFC3339Nano}), {@code Z} for UTC, else the numeric offset. Stateless; thread-safe.
 */
public final class GoTime {

    /** Go's zero {@code time.Time} as JSON. */
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private GoTime() {
    }

    /** {@code instant} as Go's {@code time.Time.MarshalJSON} writes a UTC time (without quotes); null gives ZERO. */
    public static String format(Instant instant) {
        return instant == null ? ZERO : rfc3339Nano(instant);
    }

    /** {@code instant} in UTC, as Go prints {@code t.UTC()}. */
    public static String rfc3339Nano(Instant instant) {
        return rfc3339Nano(instant, ZoneOffset.UTC);
    }

    /** {@code instant} in {@code zone}, as Go prints a time in that location. */
    public static String rfc3339Nano(Instant instant, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        StringBuilder out = new StringBuilder(35);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        int offsetSeconds = t.getOffset().getTotalSeconds();
        if (offsetSeconds == 0) {
            out.append('Z');
        } else {
            out.append(offsetSeconds < 0 ? '-' : '+');
            int abs = Math.abs(offsetSeconds);
            pad(out, abs / 3600, 2).append(':');
            pad(out, abs / 60 % 60, 2);
        }
        return out.toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(s);
    }
}
