package io.jnatsd.server.jetstream.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads a JSON time as Go's {@code time.Time.UnmarshalJSON} does (strict RFC 3339 with optional fractional seconds)
 * and words failures as Go does: {@code parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as
 * "2006"}. Stateless; thread-safe.
 */
// Go: time/format_rfc3339.go parseStrictRFC3339, time/format.go ParseError
public final class GoTimeParse {

    private static final String LAYOUT = "2006-01-02T15:04:05Z07:00";

    private GoTimeParse() {
    }

    /** Go's error text for {@code value}, or null when it parses. */
    public static String check(String value) {
        try {
            parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The instant {@code value} names.
     *
     * @throws IllegalArgumentException with Go's text
     */
    public static Instant parse(String value) {
        int[] pos = {0};
        int year = digits(value, pos, 4, "2006");
        literal(value, pos, '-', "-");
        int month = digits(value, pos, 2, "01");
        literal(value, pos, '-', "-");
        int day = digits(value, pos, 2, "02");
        literal(value, pos, 'T', "T");
        int hour = digits(value, pos, 2, "15");
        literal(value, pos, ':', ":");
        int minute = digits(value, pos, 2, "04");
        literal(value, pos, ':', ":");
        int second = digits(value, pos, 2, "05");
        int nanos = 0;
        if (pos[0] < value.length() && value.charAt(pos[0]) == '.') {
            int start = ++pos[0];
            while (pos[0] < value.length() && Character.isDigit(value.charAt(pos[0]))) {
                pos[0]++;
            }
            String frac = value.substring(start, pos[0]);
            if (frac.isEmpty()) {
                throw cannotParse(value, value.substring(start - 1), "Z07:00");
            }
            frac = (frac + "000000000").substring(0, 9);
            nanos = Integer.parseInt(frac);
        }
        int offsetSeconds;
        if (pos[0] < value.length() && value.charAt(pos[0]) == 'Z') {
            pos[0]++;
            offsetSeconds = 0;
        } else if (pos[0] < value.length() && (value.charAt(pos[0]) == '+' || value.charAt(pos[0]) == '-')) {
            int sign = value.charAt(pos[0]) == '-' ? -1 : 1;
            int at = pos[0];
            pos[0]++;
            if (value.length() - pos[0] < 5 || value.charAt(pos[0] + 2) != ':') {
                throw cannotParse(value, value.substring(at), "Z07:00");
            }
            int oh = digits(value, pos, 2, "Z07:00");
            pos[0]++;
            int om = digits(value, pos, 2, "Z07:00");
            offsetSeconds = sign * (oh * 3600 + om * 60);
        } else {
            throw cannotParse(value, value.substring(pos[0]), "Z07:00");
        }
        if (pos[0] != value.length()) {
            throw new IllegalArgumentException("parsing time " + quote(value) + ": extra text: "
                    + quote(value.substring(pos[0])));
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            String what = month < 1 || month > 12 ? "month" : day < 1 || day > 31 ? "day"
                    : hour > 23 ? "hour" : minute > 59 ? "minute" : second > 59 ? "second" : "day";
            throw new IllegalArgumentException("parsing time " + quote(value) + ": " + what + " out of range");
        }
    }

    private static int digits(String value, int[] pos, int n, String element) {
        if (value.length() - pos[0] < n) {
            throw cannotParse(value, value.substring(pos[0]), element);
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(pos[0] + i);
            if (c < '0' || c > '9') {
                throw cannotParse(value, value.substring(pos[0]), element);
            }
            v = v * 10 + (c - '0');
        }
        pos[0] += n;
        return v;
    }

    private static void literal(String value, int[] pos, char c, String element) {
        if (pos[0] >= value.length() || value.charAt(pos[0]) != c) {
            throw cannotParse(value, value.substring(Math.min(pos[0], value.length())), element);
        }
        pos[0]++;
    }

    private static IllegalArgumentException cannotParse(String value, String rest, String element) {
        return new IllegalArgumentException("parsing time " + quote(value) + " as " + quote(LAYOUT)
                + ": cannot parse " + quote(rest) + " as " + quote(element));
    }

    private static String quote(String s) {
        return io.jnatsd.common.GoQuote.quote(s);
    }
}
