package io.jnatsd.server.jetstream.api;

import io.jnatsd.server.jetstream.StreamConfig;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.RetentionPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request decoding with Go's {@code encoding/json} errors (syntax errors with offsets, unknown fields, type
 * mismatches, numbers out of range, the enums' own errors) and the lenient mode.
 */
class ApiJsonTest {

    private static StreamConfig config(String json) throws ApiJson.DecodeException {
        return ApiJson.decode(json.getBytes(StandardCharsets.UTF_8), ApiRequests.STREAM_CONFIG_REQUEST,
                StreamConfig.class, true);
    }

    static Stream<Arguments> goErrors() {
        return Stream.of(
                Arguments.of("{\"name\":\"S\",\"bogus\":1}", "json: unknown field \"bogus\""),
                Arguments.of("{\"name\":x}", "invalid character 'x' looking for beginning of value at offset 9"),
                Arguments.of("{\"name\":\"S\"", "unexpected EOF"),
                Arguments.of("{name:1}", "invalid character 'n' looking for beginning of object key string at "
                        + "offset 2"),
                Arguments.of("{\"name\" 1}", "invalid character '1' after object key at offset 9"),
                Arguments.of("{\"name\":\"S\" \"x\"}", "invalid character '\"' after object key:value pair at "
                        + "offset 13"),
                Arguments.of("{\"subjects\":[\"a\" \"b\"]}", "invalid character '\"' after array element at "
                        + "offset 18"),
                Arguments.of("{\"no_ack\":tru}", "invalid character '}' in literal true (expecting 'e') at "
                        + "offset 14"),
                Arguments.of("{\"max_msgs\":1.5}", "json: cannot unmarshal number 1.5 into Go struct field "
                        + "StreamConfigRequest.max_msgs of type int64"),
                Arguments.of("{\"max_msgs\":\"1\"}", "json: cannot unmarshal string into Go struct field "
                        + "StreamConfigRequest.max_msgs of type int64"),
                Arguments.of("{\"first_seq\":-1}", "json: cannot unmarshal number -1 into Go struct field "
                        + "StreamConfigRequest.first_seq of type uint64"),
                Arguments.of("{\"max_msg_size\":3000000000}", "json: cannot unmarshal number 3000000000 into Go "
                        + "struct field StreamConfigRequest.max_msg_size of type int32"),
                Arguments.of("{\"max_age\":true}", "json: cannot unmarshal bool into Go struct field "
                        + "StreamConfigRequest.max_age of type time.Duration"),
                Arguments.of("{\"subjects\":\"a\"}", "json: cannot unmarshal string into Go struct field "
                        + "StreamConfigRequest.subjects of type []string"),
                Arguments.of("{\"subjects\":[1]}", "json: cannot unmarshal number into Go struct field "
                        + "StreamConfigRequest.subjects of type string"),
                Arguments.of("{\"placement\":{\"cluster\":5}}", "json: cannot unmarshal number into Go struct "
                        + "field Placement.placement.cluster of type string"),
                Arguments.of("{\"placement\":5}", "json: cannot unmarshal number into Go struct field "
                        + "StreamConfigRequest.placement of type server.Placement"),
                Arguments.of("{\"retention\":\"forever\"}", "can not unmarshal \"\\\"forever\\\"\""),
                Arguments.of("{\"storage\":\"File\"}", "can not unmarshal \"\\\"File\\\"\""),
                Arguments.of("{\"compression\":\"zip\"}", "unknown compression algorithm"),
                Arguments.of("[]", "json: cannot unmarshal array into Go value of type server.StreamConfigRequest"),
                Arguments.of("{\"name\":\"S\"} x", "invalid character 'x' looking for beginning of value at "
                        + "offset 14"));
    }

    @ParameterizedTest
    @MethodSource("goErrors")
    void reportsGoErrors(String json, String error) {
        assertThatThrownBy(() -> config(json)).isInstanceOf(ApiJson.DecodeException.class).hasMessage(error);
    }

    @Test
    void decodesFieldsCaseInsensitivelyAndEveryValueInTurn() throws Exception {
        StreamConfig c = config("{\"NAME\":\"S\",\"discard\":\"NEW\",\"retention\":\"interest\"} {\"max_msgs\":5}");
        assertThat(c.name()).isEqualTo("S");
        assertThat(c.discard()).isEqualTo(DiscardPolicy.NEW);
        assertThat(c.retention()).isEqualTo(RetentionPolicy.INTEREST);
        assertThat(c.maxMsgs()).isEqualTo(5);
        assertThat(config("   ")).isEqualTo(config("{}"));
    }

    @Test
    void lenientModeIgnoresUnknownFieldsButNotTypes() throws Exception {
        byte[] body = "{\"name\":\"S\",\"bogus\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(ApiJson.decode(body, ApiRequests.STREAM_CONFIG_REQUEST, StreamConfig.class, false).name())
                .isEqualTo("S");
        assertThatThrownBy(() -> ApiJson.decode("{\"max_msgs\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                ApiRequests.STREAM_CONFIG_REQUEST, StreamConfig.class, false))
                .hasMessageContaining("cannot unmarshal string");
    }

    @Test
    void recognisesEmptyRequests() {
        assertThat(ApiJson.isEmptyRequest(new byte[0])).isTrue();
        assertThat(ApiJson.isEmptyRequest("{}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ApiJson.isEmptyRequest(" { } ".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ApiJson.isEmptyRequest("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(ApiJson.isEmptyRequest("x".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(ApiJson.isObjectOrArray(" [".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ApiJson.isObjectOrArray("5".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void writesEmbeddedStructsInGoOrder() {
        record Paged(int total, int offset, int limit) {
        }
        assertThat(new String(ApiJson.response("t", JsApiError.STREAM_NOT_FOUND.error(), new Paged(0, 0, 0)),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"t\",\"error\":{\"code\":404,\"err_code\":10059,"
                + "\"description\":\"stream not found\"},\"total\":0,\"offset\":0,\"limit\":0}");
    }
}
