package io.jnatsd.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfDigestTest {

    private static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldDigestTheEncodingWithTrailingNewline() {
        // sha256 of "{\"foo\":\"bar\"}\n", as in conf/parse_test.go TestParseDigest
        assertThat(ConfDocument.digestOf(new LinkedHashMap<>(Map.of("foo", "bar"))))
                .isEqualTo("sha256:226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de");
    }

    @Test
    void shouldOrderKeysByUtf8BytesAndWriteGoValues() throws Exception {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("\uFF21", 6L);
        plain.put("\uD83D\uDE00", 5L);
        plain.put("b", true);
        plain.put("a", List.of(1L, "x<y", 1.25));
        plain.put("t", Instant.parse("2016-05-04T18:53:41Z"));
        String expected = "{\"a\":[1,\"x\\u003cy\",1.25],\"b\":true,\"t\":\"2016-05-04T18:53:41Z\","
                + "\"\uFF21\":6,\"\uD83D\uDE00\":5}\n";
        assertThat(ConfDocument.digestOf(plain)).isEqualTo(sha256(expected));
    }
}
