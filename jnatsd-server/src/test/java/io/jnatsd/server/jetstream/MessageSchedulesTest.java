package io.jnatsd.server.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Message schedule patterns ({@code TestJetStreamScheduledMessageParse} of nats-server and the cron rules of
 * {@code cron.go}): {@code @at}, {@code @every} anchored on the previous fire time, the predefined patterns, 6-field
 * cron with ranges, steps, names and the day-of-month/day-of-week rule, time zones, and the header errors.
 */
class MessageSchedulesTest {

    private static final long SECOND = 1_000_000_000L;

    private static long nanos(ZonedDateTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * SECOND + i.getNano();
    }

    private static long utc(int year, int month, int day, int hour, int minute, int second) {
        return nanos(ZonedDateTime.of(year, month, day, hour, minute, second, 0, ZoneOffset.UTC));
    }

    private static MessageSchedules.Next parse(String pattern, long ts, long now) throws Exception {
        return MessageSchedules.parse(pattern, null, ts, now);
    }

    @Test
    void atFiresOnceAtItsTime() throws Exception {
        MessageSchedules.Next n = parse("@at 2030-01-02T03:04:05.123456789Z", 0, 0);
        assertThat(n.repeat()).isFalse();
        assertThat(n.epochNanos()).isEqualTo(utc(2030, 1, 2, 3, 4, 5) + 123_456_789);
        assertThatThrownBy(() -> parse("@at tomorrow", 0, 0)).isInstanceOf(MessageSchedules.InvalidSchedule.class);
        assertThatThrownBy(() -> MessageSchedules.parse("@at 2030-01-02T03:04:05Z", ZoneId.of("Europe/Amsterdam"),
                0, 0)).isInstanceOf(MessageSchedules.InvalidSchedule.class);
    }

    @Test
    void everyAnchorsOnThePreviousFireTimeRoundedToTheSecond() throws Exception {
        long now = utc(2030, 5, 6, 7, 8, 9);
        MessageSchedules.Next n = parse("@every 5s", now, now);
        assertThat(n.repeat()).isTrue();
        assertThat(n.epochNanos()).isEqualTo(now + 5 * SECOND);

        long anchor = now + 1_600_000_000L;            // rounds up to now + 2 s
        assertThat(parse("@every 1500ms", anchor, now).epochNanos()).isEqualTo(now + 2 * SECOND + 1_500_000_000L);
        long halfway = now + 500_000_000L;             // Go rounds halves away from zero
        assertThat(parse("@every 1500ms", halfway, now).epochNanos()).isEqualTo(now + SECOND + 1_500_000_000L);

        // a schedule that has not run for a long while fires an interval after now, not once per missed interval
        assertThat(parse("@every 5s", 0, now).epochNanos()).isEqualTo(now + 5 * SECOND);
        assertThatThrownBy(() -> parse("@every 999ms", 0, now)).isInstanceOf(MessageSchedules.InvalidSchedule.class);
        assertThatThrownBy(() -> parse("@every often", 0, now)).isInstanceOf(MessageSchedules.InvalidSchedule.class);
    }

    @Test
    void cronFiresOnTheNextMatchingSecond() throws Exception {
        long now = utc(2030, 5, 6, 7, 8, 9);
        assertThat(parse("* * * * * *", now, now).epochNanos()).isEqualTo(now + SECOND);
        assertThat(parse("* * * * * *", now + SECOND - 1, now).epochNanos()).isEqualTo(now + SECOND);
        assertThat(parse("* * * * * *", 0, now).epochNanos()).isEqualTo(now + SECOND);
        assertThat(parse("0 30 * * * *", now, now).epochNanos()).isEqualTo(utc(2030, 5, 6, 7, 30, 0));
        assertThat(parse("*/15 * * * * *", now, now).epochNanos()).isEqualTo(utc(2030, 5, 6, 7, 8, 15));
        assertThat(parse("10-20/5 * * * * *", now, now).epochNanos()).isEqualTo(utc(2030, 5, 6, 7, 8, 10));
        assertThat(parse("0 0 12 * jan-mar *", now, now).epochNanos()).isEqualTo(utc(2031, 1, 1, 12, 0, 0));
        assertThat(parse("0 0 0 29 feb *", now, now).epochNanos()).isEqualTo(utc(2032, 2, 29, 0, 0, 0));
        // 2030-05-06 is a Monday: day of week alone
        assertThat(parse("0 0 0 * * fri", now, now).epochNanos()).isEqualTo(utc(2030, 5, 10, 0, 0, 0));
        // both days restricted: either matches
        assertThat(parse("0 0 0 15 * fri", now, now).epochNanos()).isEqualTo(utc(2030, 5, 10, 0, 0, 0));
        assertThat(parse("0 0 0 8 * sun", now, now).epochNanos()).isEqualTo(utc(2030, 5, 8, 0, 0, 0));
        // one of them a star: both must match
        assertThat(parse("0 0 0 */1 * sun", now, now).epochNanos()).isEqualTo(utc(2030, 5, 12, 0, 0, 0));
    }

    @Test
    void predefinedPatternsAreCron() throws Exception {
        long newYear = utc(2032, 1, 1, 0, 0, 0);
        assertThat(parse("@yearly", newYear, newYear).epochNanos()).isEqualTo(utc(2033, 1, 1, 0, 0, 0));
        assertThat(parse("@annually", newYear, newYear).epochNanos()).isEqualTo(utc(2033, 1, 1, 0, 0, 0));
        assertThat(parse("@monthly", newYear, newYear).epochNanos()).isEqualTo(utc(2032, 2, 1, 0, 0, 0));
        assertThat(parse("@daily", newYear, newYear).epochNanos()).isEqualTo(utc(2032, 1, 2, 0, 0, 0));
        assertThat(parse("@midnight", newYear, newYear).epochNanos()).isEqualTo(utc(2032, 1, 2, 0, 0, 0));
        assertThat(parse("@hourly", newYear, newYear).epochNanos()).isEqualTo(utc(2032, 1, 1, 1, 0, 0));
        ZonedDateTime sunday = ZonedDateTime.of(2032, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        while (sunday.getDayOfWeek() != DayOfWeek.SUNDAY) {
            sunday = sunday.plusDays(1);
        }
        assertThat(parse("@weekly", nanos(sunday), nanos(sunday)).epochNanos()).isEqualTo(nanos(sunday.plusDays(7)));
    }

    @Test
    void cronFollowsTheTimeZone() throws Exception {
        ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
        long now = utc(2030, 5, 6, 7, 8, 9);
        // noon in Amsterdam is 10:00 UTC in May (CEST)
        assertThat(MessageSchedules.parse("0 0 12 * * *", amsterdam, now, now).epochNanos())
                .isEqualTo(utc(2030, 5, 6, 10, 0, 0));
        assertThat(MessageSchedules.parse("0 0 12 * * *", null, now, now).epochNanos())
                .isEqualTo(utc(2030, 5, 6, 12, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * * *", "* * * * * * *", "60 * * * * *", "* * 24 * * *", "* * * 0 * *",
        "* * * * 13 *", "* * * * * 7", "5-1 * * * * *", "*/0 * * * * *", "1-2-3 * * * * *", "1/2/3 * * * * *",
        "x * * * * *", "-1 * * * * *", "0 0 0 30 feb *"})
    void rejectsBadCron(String pattern) {
        assertThatThrownBy(() -> parse(pattern, utc(2030, 1, 1, 0, 0, 0), 0))
                .isInstanceOf(MessageSchedules.InvalidSchedule.class);
    }

    @Test
    void readsTheHeaders() {
        byte[] plain = "NATS/1.0\r\nNats-Schedule: @every 2s\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long now = utc(2030, 5, 6, 7, 8, 9);
        assertThat(MessageSchedules.next(plain, now, now)).isEqualTo(new MessageSchedules.Next(now + 2 * SECOND,
                true));
        assertThat(MessageSchedules.next(null, now, now)).isNull();
        assertThat(MessageSchedules.next("NATS/1.0\r\nA: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII), now, now))
                .isNull();

        byte[] badPattern = "NATS/1.0\r\nNats-Schedule: @every 1ms\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> MessageSchedules.next(badPattern, now, now))
                .isInstanceOfSatisfying(MessageSchedules.ScheduleException.class,
                        e -> assertThat(e.error().errCode()).isEqualTo(10189));
        byte[] badZone = "NATS/1.0\r\nNats-Schedule: * * * * * *\r\nNats-Schedule-Time-Zone: Mars/Olympus\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> MessageSchedules.next(badZone, now, now))
                .isInstanceOfSatisfying(MessageSchedules.ScheduleException.class,
                        e -> assertThat(e.error().errCode()).isEqualTo(10223));

        assertThat(MessageSchedules.ttl("NATS/1.0\r\nNats-Schedule-TTL: 5s\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isEqualTo("5s");
        assertThat(MessageSchedules.ttl("NATS/1.0\r\nNats-Schedule-TTL: soon\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(MessageSchedules.ttl(plain)).isEmpty();
    }
}
