package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoNumbersTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "4222, 4222", "+5, 5", "-1, -1", "0x10, 16", "0X1f, 31", "0o17, 15", "0O17, 15", "017, 15",
        "0b101, 5", "0B1, 1", "1_000, 1000", "0x_1F, 31", "0_17, 15", "-0x10, -16", "00, 0",
        "2147483647, 2147483647", "-2147483648, -2147483648"
    })
    void shouldParseGoIntegerLiterals(String text, long expected) {
        assertThat(GoNumbers.parseInt(text, 32)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0x", "0b", "08", "0b2", "1__0", "_1", "1_", "0x_", "1.5", "+", "-", " 1",
        "1 ", "--1", "12a"})
    void shouldRejectMalformedIntegersWithParseError(String text) {
        assertThatThrownBy(() -> GoNumbers.parseInt(text, 64)).hasMessage("parse error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "-2147483649", "99999999999999999999", "0x1_0000_0000"})
    void shouldRejectOutOfRangeIntegersWithRangeError(String text) {
        assertThatThrownBy(() -> GoNumbers.parseInt(text, 32)).hasMessage("value out of range");
    }

    @ParameterizedTest
    @CsvSource({"9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808",
        "0x7fffffffffffffff, 9223372036854775807"})
    void shouldParseTheWholeInt64Range(String text, long expected) {
        assertThat(GoNumbers.parseInt(text, 64)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "18446744073709551616"})
    void shouldRejectValuesBeyondInt64(String text) {
        assertThatThrownBy(() -> GoNumbers.parseInt(text, 64)).hasMessage("value out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999x"})
    void shouldReportRangeBeforeALaterSyntaxErrorAsGoDoes(String text) {
        assertThatThrownBy(() -> GoNumbers.parseInt(text, 32)).hasMessage("value out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void shouldAcceptGoTrueSpellings(String text) {
        assertThat(GoNumbers.parseBool(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void shouldAcceptGoFalseSpellings(String text) {
        assertThat(GoNumbers.parseBool(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "tRUE", "", "2", "y"})
    void shouldRejectOtherBoolSpellings(String text) {
        assertThatThrownBy(() -> GoNumbers.parseBool(text)).hasMessage("parse error");
    }
}
