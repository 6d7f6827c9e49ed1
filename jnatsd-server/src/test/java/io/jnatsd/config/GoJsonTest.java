package io.jnatsd.config;

import static io.jnatsd.config.ConfParserTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.5|0.5", "100.0|100", "-2.5|-2.5", "1e21|1e+21", "1e20|100000000000000000000", "1e-7|1e-7",
            "0.000001|0.000001", "1.5e-10|1.5e-10", "123456789.125|123456789.125", "1e300|1e+300",
            "0.30000000000000004|0.30000000000000004", "-0.0|-0", "0.0|0", "2.5e-7|2.5e-7"})
    void shouldFormatFloatsLikeGoEncodingJson(double value, String expected) {
        assertThat(GoJson.formatFloat(value)).isEqualTo(expected);
    }

    @Test
    void shouldEscapeStringsLikeGoWithHtmlEscaping() {
        assertThat(GoJson.encode("<a&b> \"q\" \\ \n\r\t\b\f \u0001 \u007f \u00e9 \u2028\u2029"))
                .isEqualTo("\"\\u003ca\\u0026b\\u003e \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001 \u007f \u00e9"
                        + " \\u2028\\u2029\"");
    }

    @Test
    void shouldSortMapKeysByUtf8Bytes() {
        assertThat(GoJson.encode(map("b", 1L, "a", 2L, "B", 3L, "\u00e9", 4L, "\uD83D\uDE00", 5L, "\uFF21", 6L)))
                .isEqualTo("{\"B\":3,\"a\":2,\"b\":1,\"\u00e9\":4,\"\uFF21\":6,\"\uD83D\uDE00\":5}");
    }

    @Test
    void shouldEncodeEveryValueKind() {
        assertThat(GoJson.encode(map("s", "x", "i", -3L, "f", 1.25, "b", true, "t",
                Instant.parse("2016-05-04T18:53:41Z"), "l", List.of(1L, "a", List.of()), "m", map())))
                .isEqualTo("{\"b\":true,\"f\":1.25,\"i\":-3,\"l\":[1,\"a\",[]],\"m\":{},\"s\":\"x\","
                        + "\"t\":\"2016-05-04T18:53:41Z\"}");
    }

    @Test
    void shouldDigestTheEncodingWithTrailingNewline() {
        // sha256 of "{\"foo\":\"bar\"}\n", as in conf/parse_test.go TestParseDigest
        assertThat(GoJson.digest(map("foo", "bar")))
                .isEqualTo("sha256:226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de");
    }
}
