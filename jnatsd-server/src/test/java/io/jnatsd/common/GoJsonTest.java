package io.jnatsd.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoJsonTest {

    record Text(String s) {
    }

    record Declared(String zeta, int alpha, boolean mid) {
    }

    record Info(
            @JsonProperty("server_id") String serverId,
            @JsonProperty("client_id") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long clientId,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) String nonce,
            @JsonProperty("auth_required") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean authRequired,
            @JsonProperty("connect_urls") @JsonInclude(JsonInclude.Include.NON_DEFAULT) List<String> connectUrls,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) Map<String, String> tags,
            String cluster) {
    }

    record Numbers(double d, Float f) {
    }

    record Connect(boolean verbose, boolean pedantic, String name, int protocol) {
    }

    @Test
    void shouldEscapeHtmlCharactersLikeGo() {
        assertThat(GoJson.write("<a&b>")).isEqualTo("\"\\u003ca\\u0026b\\u003e\"");
        assertThat(GoJson.write(new Text("<a&b>"))).isEqualTo("{\"s\":\"\\u003ca\\u0026b\\u003e\"}");
        assertThat(new String(GoJson.writeBytes(new Text("<a&b>")), StandardCharsets.UTF_8))
                .isEqualTo("{\"s\":\"\\u003ca\\u0026b\\u003e\"}");
    }

    @Test
    void shouldEscapeControlsAndSeparatorsLikeGo() {
        String input = "q\" b\\ \b\f\n\r\t \u0001\u001f\u007f \u2028\u2029";
        String expected = "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\u007f \\u2028\\u2029\"";

        assertThat(GoJson.write(input)).isEqualTo(expected);
        assertThat(new String(GoJson.writeBytes(input), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void shouldWriteNonAsciiAsRawUtf8() {
        String input = "é日\uD83D\uDE00";

        assertThat(GoJson.write(input)).isEqualTo("\"" + input + "\"");
        assertThat(GoJson.writeBytes(input)).isEqualTo(("\"" + input + "\"").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldEscapeMapKeysAndSortThem() {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("b", 2);
        map.put("a<", 1);
        map.put("B", 3);

        assertThat(GoJson.write(map)).isEqualTo("{\"B\":3,\"a\\u003c\":1,\"b\":2}");
        assertThat(new String(GoJson.writeBytes(map), StandardCharsets.UTF_8))
                .isEqualTo("{\"B\":3,\"a\\u003c\":1,\"b\":2}");
    }

    @Test
    void shouldKeepDeclarationOrderOfRecordComponents() {
        assertThat(GoJson.write(new Declared("z", 1, true))).isEqualTo("{\"zeta\":\"z\",\"alpha\":1,\"mid\":true}");
    }

    @Test
    void shouldOmitEmptyOnlyWhereTheRecordSaysSo() {
        Info empty = new Info("NABC", 0, "", false, List.of(), Map.of(), null);
        Info full = new Info("NABC", 7, "n0nce", true, List.of("a:1"), Map.of("k", "v"), "c1");

        assertThat(GoJson.write(empty)).isEqualTo("{\"server_id\":\"NABC\",\"cluster\":null}");
        assertThat(GoJson.write(full)).isEqualTo("{\"server_id\":\"NABC\",\"client_id\":7,\"nonce\":\"n0nce\","
                + "\"auth_required\":true,\"connect_urls\":[\"a:1\"],\"tags\":{\"k\":\"v\"},\"cluster\":\"c1\"}");
    }

    @ParameterizedTest
    @CsvSource({
        "1.0, 1", "0.5, 0.5", "-2.25, -2.25", "123456789.0, 123456789", "1e20, 100000000000000000000",
        "1e21, 1e+21", "1.5e300, 1.5e+300", "0.000001, 0.000001", "1e-7, 1e-7", "1.5e-10, 1.5e-10",
        "-1.25e-8, -1.25e-8", "0.1, 0.1", "-0.0, -0", "0.0, 0", "4.9e-324, 5e-324",
    })
    void shouldFormatFloat64LikeGo(double value, String expected) {
        assertThat(GoJson.formatFloat(value, false)).isEqualTo(expected);
        assertThat(GoJson.write(value)).isEqualTo(expected);
    }

    @Test
    void shouldFormatFloat32LikeGo() {
        assertThat(GoJson.write(new Numbers(2.0, 0.1f))).isEqualTo("{\"d\":2,\"f\":0.1}");
        assertThat(GoJson.write(3.4e38f)).isEqualTo("3.4e+38");
        assertThat(GoJson.write(1e-7f)).isEqualTo("1e-7");
    }

    @Test
    void shouldRejectNanAndInfinityAsGoDoes() {
        assertThatThrownBy(() -> GoJson.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("json: unsupported value: NaN");
        assertThatThrownBy(() -> GoJson.writeBytes(new Numbers(Double.NEGATIVE_INFINITY, null)))
                .hasMessage("json: unsupported value: -Inf");
    }

    @Test
    void shouldWriteBytesAsStandardBase64AndNullsAsNull() {
        assertThat(GoJson.write(new byte[] {1, 2, 3})).isEqualTo("\"AQID\"");
        assertThat(GoJson.write(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("\"+/8=\"");
        assertThat(GoJson.write(new Text(null))).isEqualTo("{\"s\":null}");
        assertThat(GoJson.write(Map.of())).isEqualTo("{}");
    }

    @Test
    void shouldReadCaseInsensitivelyAndIgnoreUnknownFields() throws JsonProcessingException {
        Connect connect = GoJson.mapper().readValue(
                "{\"VERBOSE\":true,\"Pedantic\":false,\"name\":\"n\",\"protocol\":1,\"lang\":\"go\"}", Connect.class);

        assertThat(connect).isEqualTo(new Connect(true, false, "n", 1));
    }

    @Test
    void shouldNotCoerceScalarsAcrossJsonTypes() {
        assertThatThrownBy(() -> GoJson.mapper().readValue("{\"verbose\":\"true\"}", Connect.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> GoJson.mapper().readValue("{\"protocol\":1.5}", Connect.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> GoJson.mapper().readValue("{\"protocol\":\"1\"}", Connect.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    record Indented(@com.fasterxml.jackson.annotation.JsonProperty("a") int a,
                    @com.fasterxml.jackson.annotation.JsonProperty("b") java.util.List<Integer> b,
                    @com.fasterxml.jackson.annotation.JsonProperty("c") java.util.Map<String, Object> c,
                    @com.fasterxml.jackson.annotation.JsonProperty("d") java.util.List<Object> d,
                    @com.fasterxml.jackson.annotation.JsonProperty("e") Object e) {
    }

    @org.junit.jupiter.api.Test
    void shouldIndentLikeMarshalIndent() {
        Indented value = new Indented(1, java.util.List.of(1, 2), java.util.Map.of(), java.util.List.of(),
                java.util.Map.of("x", "<y>"));
        // what Go's json.MarshalIndent(v, "", "  ") writes for the same struct
        org.assertj.core.api.Assertions.assertThat(new String(GoJson.writeIndentedBytes(value, "  "),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "a": 1,
                  "b": [
                    1,
                    2
                  ],
                  "c": {},
                  "d": [],
                  "e": {
                    "x": "\\u003cy\\u003e"
                  }
                }""");
        org.assertj.core.api.Assertions.assertThat(new String(GoJson.writeIndentedBytes(java.util.Map.of(), "   "),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
