package io.jnatsd.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoQuoteTest {

    @Test
    void shouldEscapeCrLf() {
        assertThat(GoQuote.quote("hello\r\n")).isEqualTo("\"hello\\r\\n\"");
        assertThat(GoQuote.quote("hello\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("\"hello\\r\\n\"");
    }

    @Test
    void shouldMatchStrconvQuoteExample() {
        // the example in Go's strconv.Quote documentation
        assertThat(GoQuote.quote("\"Fran & Freddie's Diner\t☺\""))
                .isEqualTo("\"\\\"Fran & Freddie's Diner\\t☺\\\"\"");
    }

    @Test
    void shouldUseNamedEscapesAndHexForOtherControls() {
        assertThat(GoQuote.quote("\u0007\b\f\u000b\u0000\u001f\u007f\\"))
                .isEqualTo("\"\\a\\b\\f\\v\\x00\\x1f\\x7f\\\\\"");
    }

    @ParameterizedTest
    @CsvSource({
        "ff, \\xff",
        "c080, \\xc0\\x80",                              // overlong
        "eda080, \\xed\\xa0\\x80",                       // UTF-8 encoded surrogate
        "e282, \\xe2\\x82",                              // truncated
        "f4908080, \\xf4\\x90\\x80\\x80",                // beyond U+10FFFF
        "61e228a1, a\\xe2(\\xa1",                        // bad continuation consumes one byte only
    })
    void shouldEscapeInvalidUtf8BytesAsHex(String hex, String quotedInside) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        assertThat(GoQuote.quote(bytes)).isEqualTo("\"" + quotedInside + "\"");
    }

    @Test
    void shouldKeepPrintableUnicode() {
        String printable = "€é\u0301日本語\uD83D\uDE00\uFFFD";

        assertThat(GoQuote.quote(printable)).isEqualTo("\"" + printable + "\"");
        assertThat(GoQuote.quote(printable.getBytes(StandardCharsets.UTF_8))).isEqualTo("\"" + printable + "\"");
    }

    @Test
    void shouldEscapeNonPrintableUnicode() {
        assertThat(GoQuote.quote("\u00a0\u00ad\u2028\ufeff\ue000"))
                .isEqualTo("\"\\u00a0\\u00ad\\u2028\\ufeff\\ue000\"");
        assertThat(GoQuote.quote(new String(Character.toChars(0xe0001)) + new String(Character.toChars(0x10ffff))))
                .isEqualTo("\"\\U000e0001\\U0010ffff\"");
        assertThat(GoQuote.quote(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf})).isEqualTo("\"\\ufeff\"");
    }

    @Test
    void shouldPrintLoneSurrogateAsReplacementEscape() {
        assertThat(GoQuote.quote("a\uD800b")).isEqualTo("\"a\\ufffdb\"");
    }

    @Test
    void shouldQuoteSlice() {
        byte[] bytes = "xxPING\r\nyy".getBytes(StandardCharsets.US_ASCII);

        assertThat(GoQuote.quote(bytes, 2, 6)).isEqualTo("\"PING\\r\\n\"");
        assertThat(GoQuote.quote(bytes, 0, 0)).isEqualTo("\"\"");
        assertThatThrownBy(() -> GoQuote.quote(bytes, 8, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldQuoteTheTextsOfConfigAndLogErrors() {
        assertThat(GoQuote.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoQuote.quote("\n\t\r\u0007\u0000\u007f")).isEqualTo("\"\\n\\t\\r\\a\\x00\\x7f\"");
        assertThat(GoQuote.quote("h\u00e9llo \u2603")).isEqualTo("\"h\u00e9llo \u2603\"");
        assertThat(GoQuote.quote("\u200b\u00a0\u2028")).isEqualTo("\"\\u200b\\u00a0\\u2028\"");
        assertThat(GoQuote.quote("\uDB40\uDC01")).isEqualTo("\"\\U000e0001\"");
    }
}
