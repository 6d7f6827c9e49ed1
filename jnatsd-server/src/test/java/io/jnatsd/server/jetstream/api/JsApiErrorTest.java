package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.GoJson;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated {@link JsApiError} table against nats-server's {@code server/errors.json} (kept in the test
 * resources): every entry with its code, error code and description, nothing else; and the substitution of
 * placeholders.
 */
class JsApiErrorTest {

    @Test
    void tableMatchesErrorsJson() throws Exception {
        JsonNode errors;
        try (InputStream in = JsApiErrorTest.class.getResourceAsStream("errors.json")) {
            errors = GoJson.mapper().readTree(in);
        }
        Set<Integer> seen = new HashSet<>();
        for (JsonNode e : errors) {
            int errCode = e.get("error_code").asInt();
            JsApiError java = JsApiError.byErrCode(errCode);
            assertThat(java).as("err_code %d", errCode).isNotNull();
            assertThat(java.code()).as("code of %d", errCode).isEqualTo(e.get("code").asInt());
            assertThat(java.description()).as("description of %d", errCode)
                    .isEqualTo(e.get("description").asText());
            assertThat(java.goName()).isEqualTo(e.get("constant").asText());
            seen.add(errCode);
        }
        assertThat(JsApiError.values()).hasSize(seen.size());
    }

    @Test
    void substitutesPlaceholdersInOrder() {
        assertThat(JsApiError.STREAM_NOT_FOUND.error()).isEqualTo(new ApiError(404, 10059, "stream not found"));
        assertThat(JsApiError.SEQUENCE_NOT_FOUND.error(7L).description()).isEqualTo("sequence 7 not found");
        assertThat(JsApiError.STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS.error("p", "s").description())
                .isEqualTo("stream external delivery prefix p overlaps with stream subject s");
        assertThat(JsApiError.STREAM_CREATE.error(new IllegalStateException("boom")).description()).isEqualTo("boom");
        assertThat(JsApiError.INVALID_JSON.error("json: unknown field \"x\"").description())
                .isEqualTo("invalid JSON: json: unknown field \"x\"");
        assertThat(ApiJson.writeString(JsApiError.BAD_REQUEST.error()))
                .isEqualTo("{\"code\":400,\"err_code\":10003,\"description\":\"bad request\"}");
    }

    @Test
    void unlessKeepsAnApiError() {
        ApiError inner = JsApiError.STREAM_SUBJECT_OVERLAP.error();
        assertThat(ApiException.unless(inner.toException(), JsApiError.STREAM_CREATE)).isEqualTo(inner);
        assertThat(ApiException.unless(new RuntimeException("disk"), JsApiError.STREAM_CREATE))
                .isEqualTo(new ApiError(500, 10049, "disk"));
    }
}
