package io.jnatsd.server.jetstream;

import io.jnatsd.config.GoDuration;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.GoTimeParse;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.NatsHeaders;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * Message schedule patterns ({@code Nats-Schedule}): {@code @at <RFC 3339>}, {@code @every <duration>}, the
 * predefined {@code @yearly}/{@code @annually}/{@code @monthly}/{@code @weekly}/{@code @daily}/{@code @midnight}/
 * {@code @hourly}, and 6-field cron expressions ({@code sec min hour dom mon dow}, with ranges, steps, lists and month
 * and day names), optionally in a time zone ({@code Nats-Schedule-Time-Zone}, not with {@code @at}/{@code @every})
 * ({@code server/scheduler.go parseMsgSchedule}, {@code server/cron.go}). Stateless; thread-safe.
 */
// nats-server: scheduler.go parseMsgSchedule, cron.go parseCron, stream.go nextMessageSchedule
public final class MessageSchedules {

    private static final long SECOND = 1_000_000_000L;
    private static final long STAR_BIT = 1L << 63;
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11),
            Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6);

    private MessageSchedules() {
    }

    /**
     * When a schedule fires next.
     *
     * @param epochNanos the next fire time, nanoseconds since the epoch; 0 for an empty pattern
     * @param repeat     whether it fires again after that
     */
    public record Next(long epochNanos, boolean repeat) {
    }

    /** A schedule that does not parse. */
    static final class InvalidSchedule extends Exception {
        InvalidSchedule(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The next fire time of the schedule in {@code hdr} after {@code tsNanos}, or null when the header has no
     * {@code Nats-Schedule}.
     *
     * @throws ScheduleException with 10223 (time zone) or 10189 (pattern)
     */
    // nats-server: stream.go nextMessageSchedule
    public static Next next(byte[] hdr, long tsNanos, long nowNanos) {
        if (hdr == null) {
            return null;
        }
        ZoneId zone = zone(hdr);
        String pattern = JsHeaders.get(hdr, JsHeaders.SCHEDULE);
        if (pattern == null || pattern.isEmpty()) {
            return null;
        }
        try {
            return parse(pattern, zone, tsNanos, nowNanos);
        } catch (InvalidSchedule e) {
            throw new ScheduleException(JsApiError.MESSAGE_SCHEDULES_PATTERN_INVALID.error());
        }
    }

    /** A schedule header that is not valid, with the API error to answer. */
    public static final class ScheduleException extends RuntimeException {
        private final transient ApiError error;

        ScheduleException(ApiError error) {
            super(error.description(), null, false, false);
            this.error = error;
        }

        /** The error. */
        public ApiError error() {
            return error;
        }
    }

    /** The schedule's time zone, or null for none. */
    // nats-server: stream.go loadMessageScheduleLocation
    static ZoneId zone(byte[] hdr) {
        String tz = JsHeaders.get(hdr, JsHeaders.SCHEDULE_TIME_ZONE);
        if (tz == null) {
            return null;
        }
        if (tz.isEmpty()) {
            throw new ScheduleException(JsApiError.MESSAGE_SCHEDULES_TIME_ZONE_INVALID.error());
        }
        try {
            return tz.equals("UTC") || tz.equals("Local") ? ZoneOffset.UTC : ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new ScheduleException(JsApiError.MESSAGE_SCHEDULES_TIME_ZONE_INVALID.error());
        }
    }

    /** The schedule's TTL when valid ({@code Nats-Schedule-TTL}); "" when absent, null when invalid. */
    // nats-server: stream.go getMessageScheduleTTL
    static String ttl(byte[] hdr) {
        String ttl = JsHeaders.get(hdr, JsHeaders.SCHEDULE_TTL);
        if (ttl == null || ttl.isEmpty()) {
            return "";
        }
        try {
            NatsHeaders.parseTtl(ttl);
            return ttl;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses {@code pattern} for a schedule stored at {@code tsNanos}.
     *
     * @throws InvalidSchedule when it does not parse
     */
    // nats-server: scheduler.go parseMsgSchedule
    static Next parse(String pattern, ZoneId zone, long tsNanos, long nowNanos) throws InvalidSchedule {
        if (pattern.isEmpty()) {
            return new Next(0, false);
        }
        if (pattern.startsWith("@at ")) {
            if (zone != null) {
                throw new InvalidSchedule("time zone with @at");
            }
            try {
                Instant t = GoTimeParse.parse(pattern.substring(4));
                return new Next(t.getEpochSecond() * SECOND + t.getNano(), false);
            } catch (IllegalArgumentException e) {
                throw new InvalidSchedule(e.getMessage());
            }
        }
        if (pattern.startsWith("@every ")) {
            if (zone != null) {
                throw new InvalidSchedule("time zone with @every");
            }
            Duration d;
            try {
                d = GoDuration.parse(pattern.substring(7));
            } catch (IllegalArgumentException e) {
                throw new InvalidSchedule(e.getMessage());
            }
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidSchedule("interval below one second");
            }
            long next = roundToSecond(tsNanos) + d.toNanos();
            if (next < nowNanos) {
                next = roundToSecond(nowNanos) + d.toNanos();
            }
            return new Next(next, true);
        }
        String cron = switch (pattern) {
            case "@yearly", "@annually" -> "0 0 0 1 1 *";
            case "@monthly" -> "0 0 0 1 * *";
            case "@weekly" -> "0 0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 0 * * *";
            case "@hourly" -> "0 0 * * * *";
            default -> pattern;
        };
        long next = cron(cron, zone, tsNanos);
        if (next < nowNanos) {
            next = cron(cron, zone, roundToSecond(nowNanos));
        }
        return new Next(next, true);
    }

    /** Go's {@code time.Round(time.Second)}: halves round away from zero. */
    private static long roundToSecond(long nanos) {
        long r = Math.floorMod(nanos, SECOND);
        long down = nanos - r;
        return r + r < SECOND ? down : down + SECOND;
    }

    // ---- cron ------------------------------------------------------------------------------------------------------

    /** The first time after {@code tsNanos} matching the 6-field cron {@code pattern}. */
    // nats-server: cron.go parseCron
    static long cron(String pattern, ZoneId zone, long tsNanos) throws InvalidSchedule {
        String[] fields = pattern.trim().split("\\s+");
        if (fields.length != 6 || pattern.isBlank()) {
            throw new InvalidSchedule("pattern requires 6 fields, got " + (pattern.isBlank() ? 0 : fields.length));
        }
        ZoneId loc = zone == null ? ZoneOffset.UTC : zone;
        long second = field(fields[0], 0, 59, null);
        long minute = field(fields[1], 0, 59, null);
        long hour = field(fields[2], 0, 23, null);
        long dayOfMonth = field(fields[3], 1, 31, null);
        long month = field(fields[4], 1, 12, MONTHS);
        long dayOfWeek = field(fields[5], 0, 6, DAYS);
        Instant start = Instant.ofEpochSecond(Math.floorDiv(tsNanos, SECOND));
        ZonedDateTime next = start.atZone(loc).plusSeconds(1);
        boolean truncated = false;
        int yearLimit = next.getYear() + 5;
        wrap:
        while (true) {
            if (next.getYear() > yearLimit) {
                throw new InvalidSchedule("pattern exceeds maximum range");
            }
            while ((1L << next.getMonthValue() & month) == 0) {
                if (!truncated) {
                    truncated = true;
                    next = next.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                }
                next = next.plusMonths(1);
                if (next.getMonthValue() == 1) {
                    continue wrap;
                }
            }
            while (!dayMatches(dayOfMonth, dayOfWeek, next)) {
                if (!truncated) {
                    truncated = true;
                    next = next.truncatedTo(ChronoUnit.DAYS);
                }
                next = next.plusDays(1);
                if (next.getDayOfMonth() == 1) {
                    continue wrap;
                }
            }
            while ((1L << next.getHour() & hour) == 0) {
                if (!truncated) {
                    truncated = true;
                    next = next.truncatedTo(ChronoUnit.HOURS);
                }
                next = next.plusHours(1);
                if (next.getHour() == 0) {
                    continue wrap;
                }
            }
            while ((1L << next.getMinute() & minute) == 0) {
                if (!truncated) {
                    truncated = true;
                    next = next.truncatedTo(ChronoUnit.MINUTES);
                }
                next = next.plusMinutes(1);
                if (next.getMinute() == 0) {
                    continue wrap;
                }
            }
            while ((1L << next.getSecond() & second) == 0) {
                if (!truncated) {
                    truncated = true;
                    next = next.truncatedTo(ChronoUnit.SECONDS);
                }
                next = next.plusSeconds(1);
                if (next.getSecond() == 0) {
                    continue wrap;
                }
            }
            Instant at = next.toInstant();
            return at.getEpochSecond() * SECOND + at.getNano();
        }
    }

    private static boolean dayMatches(long dayOfMonth, long dayOfWeek, ZonedDateTime t) {
        boolean domMatch = (1L << t.getDayOfMonth() & dayOfMonth) != 0;
        boolean dowMatch = (1L << (t.getDayOfWeek().getValue() % 7) & dayOfWeek) != 0;
        if ((dayOfMonth & STAR_BIT) != 0 || (dayOfWeek & STAR_BIT) != 0) {
            return domMatch && dowMatch;
        }
        return domMatch || dowMatch;
    }

    // nats-server: cron.go getField
    private static long field(String field, int min, int max, Map<String, Integer> names) throws InvalidSchedule {
        long bits = 0;
        for (String expr : field.split(",")) {
            if (!expr.isEmpty()) {
                bits |= range(expr, min, max, names);
            }
        }
        return bits;
    }

    // nats-server: cron.go getRange
    private static long range(String expr, int min, int max, Map<String, Integer> names) throws InvalidSchedule {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean singleDigit = lowAndHigh.length == 1;
        long start;
        long end;
        long extra = 0;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = min;
            end = max;
            extra = STAR_BIT;
        } else {
            start = intOrName(lowAndHigh[0], names);
            if (lowAndHigh.length == 1) {
                end = start;
            } else if (lowAndHigh.length == 2) {
                end = intOrName(lowAndHigh[1], names);
            } else {
                throw new InvalidSchedule("too many hyphens: " + expr);
            }
        }
        long step;
        if (rangeAndStep.length == 1) {
            step = 1;
        } else if (rangeAndStep.length == 2) {
            step = parseInt(rangeAndStep[1]);
            if (singleDigit) {
                end = max;
            }
            if (step > 1) {
                extra = 0;
            }
        } else {
            throw new InvalidSchedule("too many slashes: " + expr);
        }
        if (start < min || end > max || start > end || step == 0) {
            throw new InvalidSchedule("bad range: " + expr);
        }
        long bits = 0;
        for (long i = start; i <= end; i += step) {
            bits |= 1L << i;
        }
        return bits | extra;
    }

    private static long intOrName(String expr, Map<String, Integer> names) throws InvalidSchedule {
        if (names != null) {
            Integer n = names.get(expr.toLowerCase(Locale.ROOT));
            if (n != null) {
                return n;
            }
        }
        return parseInt(expr);
    }

    private static long parseInt(String expr) throws InvalidSchedule {
        try {
            long n = Long.parseLong(expr);
            if (n < 0) {
                throw new InvalidSchedule("negative number (" + n + ") not allowed: " + expr);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSchedule("failed to parse int from " + expr);
        }
    }
}
