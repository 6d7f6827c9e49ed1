package io.jnatsd.app.logging;

import static io.jnatsd.app.logging.TestEvents.PID_PREFIX;
import static io.jnatsd.app.logging.TestEvents.TIMESTAMP;
import static io.jnatsd.app.logging.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.jnatsd.common.logging.NatsLogger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NatsLayoutTest {

    private static final String ESC = "\u001b";

    @Test
    void shouldWritePidLocalTimeAndTagForEveryLevel() {
        NatsLayout layout = new NatsLayout(true, false, false);

        assertThat(layout.doLayout(event(Level.INFO, "hello"))).matches(line("[INF] hello"));
        assertThat(layout.doLayout(event(Level.WARN, "careful"))).matches(line("[WRN] careful"));
        assertThat(layout.doLayout(event(Level.ERROR, "broken"))).matches(line("[ERR] broken"));
        assertThat(layout.doLayout(event(Level.ERROR, "dead", NatsLogger.FATAL, null))).matches(line("[FTL] dead"));
        assertThat(layout.doLayout(event(Level.DEBUG, "details"))).matches(line("[DBG] details"));
        assertThat(layout.doLayout(event(Level.TRACE, "<<- [PING]"))).matches(line("[TRC] <<- [PING]"));
    }

    @Test
    void shouldColourTagsForTerminal() {
        NatsLayout layout = new NatsLayout(false, false, true);

        assertThat(layout.doLayout(event(Level.INFO, "m"))).isEqualTo(coloured("32", "INF"));
        assertThat(layout.doLayout(event(Level.WARN, "m"))).isEqualTo(coloured("0;93", "WRN"));
        assertThat(layout.doLayout(event(Level.ERROR, "m"))).isEqualTo(coloured("31", "ERR"));
        assertThat(layout.doLayout(event(Level.ERROR, "m", NatsLogger.FATAL, null))).isEqualTo(coloured("31", "FTL"));
        assertThat(layout.doLayout(event(Level.DEBUG, "m"))).isEqualTo(coloured("36", "DBG"));
        assertThat(layout.doLayout(event(Level.TRACE, "m"))).isEqualTo(coloured("33", "TRC"));
    }

    private static String coloured(String code, String tag) {
        return PID_PREFIX + "[" + ESC + "[" + code + "m" + tag + ESC + "[0m] m\n";
    }

    @Test
    void shouldOmitTimestampWhenLogtimeIsOff() {
        NatsLayout layout = new NatsLayout(false, false, false);

        assertThat(layout.doLayout(event(Level.INFO, "Server is ready")))
                .isEqualTo(PID_PREFIX + "[INF] Server is ready\n");
    }

    @Test
    void shouldWriteUtcWithoutZoneMarker() {
        NatsLayout layout = new NatsLayout(true, true, false);
        Instant instant = Instant.parse("2024-03-05T07:08:09.123456789Z");

        assertThat(layout.doLayout(event(Level.INFO, "hi", instant)))
                .isEqualTo(PID_PREFIX + "2024/03/05 07:08:09.123456 [INF] hi\n");
    }

    @Test
    void shouldWriteLocalTimeByDefault() {
        NatsLayout layout = new NatsLayout(true, false, false);
        Instant instant = Instant.parse("2024-12-31T23:59:59.000001Z");
        LocalDateTime local = LocalDateTime.ofInstant(instant, ZoneId.systemDefault());
        String expected = String.format("%04d/%02d/%02d %02d:%02d:%02d.000001 ", local.getYear(),
                local.getMonthValue(), local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond());

        assertThat(layout.doLayout(event(Level.WARN, "x", instant))).isEqualTo(PID_PREFIX + expected + "[WRN] x\n");
    }

    @Test
    void shouldUseGivenZone() {
        NatsLayout layout = new NatsLayout(true, ZoneOffset.ofHours(2), false);
        Instant instant = Instant.parse("2024-01-01T23:00:00Z");

        assertThat(layout.doLayout(event(Level.INFO, "x", instant)))
                .isEqualTo(PID_PREFIX + "2024/01/02 01:00:00.000000 [INF] x\n");
    }

    @Test
    void shouldNotAddSecondNewline() {
        NatsLayout layout = new NatsLayout(false, false, false);

        assertThat(layout.doLayout(event(Level.INFO, "ends\n"))).isEqualTo(PID_PREFIX + "[INF] ends\n");
    }

    @Test
    void shouldAppendStackTraceOnFollowingLines() {
        NatsLayout layout = new NatsLayout(false, false, false);
        IllegalStateException thrown = new IllegalStateException("boom");

        String text = layout.doLayout(event(Level.ERROR, "failed", null, thrown));

        assertThat(text).startsWith(PID_PREFIX + "[ERR] failed\njava.lang.IllegalStateException: boom\n\tat ");
        assertThat(text).endsWith("\n").doesNotEndWith("\n\n");
        assertThat(text.lines().skip(2)).allMatch(line -> line.startsWith("\tat ") || line.startsWith("\t... "));
    }

    @Test
    void shouldWriteRotatorLinesWithCrLfAndLocalTime() {
        NatsLayout utcLayout = new NatsLayout(true, true, true);
        Instant instant = Instant.parse("2024-06-01T10:00:00.5Z");
        LocalDateTime local = LocalDateTime.ofInstant(instant, ZoneId.systemDefault());
        String expected = String.format("%04d/%02d/%02d %02d:%02d:%02d.500000 ", local.getYear(),
                local.getMonthValue(), local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond());

        assertThat(utcLayout.rotatorLine(NatsLevel.INF, "Purged log file \"x\"", instant))
                .isEqualTo(PID_PREFIX + expected + "[INF] Purged log file \"x\"\r\n");
        assertThat(new NatsLayout(false, false, false).rotatorLine(NatsLevel.ERR, "e", instant))
                .isEqualTo(PID_PREFIX + "[ERR] e\r\n");
    }

    private static String line(String tagAndMessage) {
        return Pattern.quote(PID_PREFIX) + TIMESTAMP + Pattern.quote(tagAndMessage) + "\n";
    }
}
