package io.jnatsd.nkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    @ParameterizedTest
    @CsvSource({"'', ''", "f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB",
        "foobar, MZXW6YTBOI"})
    void shouldMatchRfc4648VectorsWithoutPadding(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);

        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
    }

    @Test
    void shouldSkipNewlinesLikeGo() {
        assertThat(Base32.decode("MZX\r\nW6YTB\n")).isEqualTo("fooba".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"M", "MZX", "MZXW6Y", "MZXW6YTBO"})
    void shouldRejectLengthsNoEncodingHas(String text) {
        assertThatThrownBy(() -> Base32.decode(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("illegal base32 data at input byte ");
    }

    @ParameterizedTest
    @CsvSource({"mZXW6YTB, 0", "MZX=6YTB, 3", "MZXW6YT1, 7"})
    void shouldReportIndexOfIllegalCharacter(String text, int index) {
        assertThatThrownBy(() -> Base32.decode(text)).hasMessage("illegal base32 data at input byte " + index);
    }

    @Test
    void shouldCountIndexWithoutNewlines() {
        assertThatThrownBy(() -> Base32.decode("MZ\r\nX=6YTB")).hasMessage("illegal base32 data at input byte 3");
    }
}
