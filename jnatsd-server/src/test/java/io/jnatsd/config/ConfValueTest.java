package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfValueTest {

    private static Map<String, ConfValue> root(String text) throws ConfException {
        return ConfParser.parseString(text, Path.of("v.conf"), name -> null).root();
    }

    @Test
    void shouldExposeTypedAccessors() throws ConfException {
        Map<String, ConfValue> root = root("s = x\ni = 4\nf = 1.5\nb = on\nt = 2016-05-04T18:53:41Z\nl = [1, 2 ]\n"
                + "m { k = v }");
        assertThat(root.get("s").isString()).isTrue();
        assertThat(root.get("s").asString()).isEqualTo("x");
        assertThat(root.get("i").isLong()).isTrue();
        assertThat(root.get("i").asLong()).isEqualTo(4L);
        assertThat(root.get("f").isDouble()).isTrue();
        assertThat(root.get("f").asDouble()).isEqualTo(1.5);
        assertThat(root.get("b").isBoolean()).isTrue();
        assertThat(root.get("b").asBoolean()).isTrue();
        assertThat(root.get("t").isInstant()).isTrue();
        assertThat(root.get("t").asInstant()).isEqualTo(Instant.parse("2016-05-04T18:53:41Z"));
        assertThat(root.get("l").isList()).isTrue();
        assertThat(root.get("l").asList()).extracting(ConfValue::asLong).containsExactly(1L, 2L);
        assertThat(root.get("m").isMap()).isTrue();
        assertThat(root.get("m").asMap().get("k").asString()).isEqualTo("v");
    }

    @Test
    void shouldNameGoTypesAndFailConversionsWithGoText() throws ConfException {
        Map<String, ConfValue> root = root("s = x\ni = 4\nf = 1.5\nb = on\nt = 2016-05-04T18:53:41Z\nl = []\nm {}");
        assertThat(root.values()).extracting(ConfValue::goTypeName).containsExactly("string", "int64", "float64",
                "bool", "time.Time", "[]interface {}", "map[string]interface {}");
        assertThatThrownBy(() -> root.get("s").asLong()).isInstanceOf(IllegalStateException.class)
                .hasMessage("interface conversion: interface {} is string, not int64");
        assertThatThrownBy(() -> root.get("i").asString())
                .hasMessage("interface conversion: interface {} is int64, not string");
        assertThatThrownBy(() -> root.get("l").asMap())
                .hasMessage("interface conversion: interface {} is []interface {}, not map[string]interface {}");
    }

    @Test
    void shouldFormatPositionsAndErrorsLikeConfigErr() throws ConfException {
        ConfValue port = root("\n  port = x").get("port");
        assertThat(port.position()).isEqualTo("v.conf:2:3");
        assertThat(new ConfException(port, "interface conversion: interface {} is string, not int64").getMessage())
                .isEqualTo("v.conf:2:3: interface conversion: interface {} is string, not int64");
    }

    @Test
    void shouldReturnUnmodifiableCollections() throws ConfException {
        Map<String, ConfValue> root = root("l = [1, 2 ]\nm { k = v }");
        assertThatThrownBy(() -> root.get("l").asList().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> root.get("m").asMap().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(root::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldUnwrapToPlainValues() throws ConfException {
        ConfDocument doc = ConfParser.parseString("a { b = [1, { c = d }] }", null, name -> null);
        assertThat(doc.toPlainMap()).isEqualTo(Map.of("a", Map.of("b", List.of(1L, Map.of("c", "d")))));
    }

    @Test
    void shouldRejectUnsupportedValuesAndTreatMissingFileAsEmpty() {
        assertThatThrownBy(() -> new ConfValue(42, "f", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ConfValue("x", null, 1, 0).position()).isEqualTo(":1:0");
    }
}
