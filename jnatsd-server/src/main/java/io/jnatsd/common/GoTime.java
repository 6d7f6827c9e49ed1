package io.jnatsd.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Go's {@code time.Time} JSON form: RFC 3339 with nanoseconds in UTC, trailing zeros of the fraction dropped (and the
 * fraction with them when it is zero), as {@code time.RFC3339Nano} prints. Stateless; thread-safe.
 */
public final class GoTime {

    /** Go's zero {@code time.Time} as JSON. */
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private GoTime() {
    }

    /** {@code instant} as Go's {@code time.Time.MarshalJSON} writes a UTC time (without quotes); null gives ZERO. */
    public static String format(Instant instant) {
        if (instant == null) {
            return ZERO;
        }
        StringBuilder out = new StringBuilder(30).append(SECONDS.format(instant));
        int nanos = instant.getNano();
        if (nanos != 0) {
            String digits = Integer.toString(nanos + 1_000_000_000).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.append('Z').toString();
    }
}
