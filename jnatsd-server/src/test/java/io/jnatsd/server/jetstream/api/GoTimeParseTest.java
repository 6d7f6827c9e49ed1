package io.jnatsd.server.jetstream.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON times read as Go's {@code time.Time.UnmarshalJSON} reads them (strict RFC 3339), with Go's error texts. */
class GoTimeParseTest {

    @Test
    void readsRfc3339WithFractionsAndOffsets() {
        assertThat(GoTimeParse.parse("2030-01-02T03:04:05Z")).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
        assertThat(GoTimeParse.parse("2030-01-02T03:04:05.5+01:00"))
                .isEqualTo(Instant.parse("2030-01-02T02:04:05.5Z"));
        assertThat(GoTimeParse.parse("2030-01-02T03:04:05.123456789-00:30"))
                .isEqualTo(Instant.parse("2030-01-02T03:34:05.123456789Z"));
        assertThat(GoTimeParse.check("0001-01-01T00:00:00Z")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x|parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"x\" as \"2006\"",
        "2030-1-02T03:04:05Z|parsing time \"2030-1-02T03:04:05Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse"
                + " \"1-02T03:04:05Z\" as \"01\"",
        "2030-01-02 03:04:05Z|parsing time \"2030-01-02 03:04:05Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse"
                + " \" 03:04:05Z\" as \"T\"",
        "2030-01-02T03:04:05|parsing time \"2030-01-02T03:04:05\" as \"2006-01-02T15:04:05Z07:00\": cannot parse"
                + " \"\" as \"Z07:00\"",
        "2030-01-02T03:04:05+0100|parsing time \"2030-01-02T03:04:05+0100\" as \"2006-01-02T15:04:05Z07:00\":"
                + " cannot parse \"+0100\" as \"Z07:00\"",
        "2030-13-02T03:04:05Z|parsing time \"2030-13-02T03:04:05Z\": month out of range",
        "2030-01-02T25:04:05Z|parsing time \"2030-01-02T25:04:05Z\": hour out of range",
        "2030-02-30T03:04:05Z|parsing time \"2030-02-30T03:04:05Z\": day out of range",
        "2030-01-02T03:04:05Zjunk|parsing time \"2030-01-02T03:04:05Zjunk\": extra text: \"junk\""})
    void wordsErrorsAsGo(String value, String error) {
        assertThat(GoTimeParse.check(value)).isEqualTo(error);
    }
}
