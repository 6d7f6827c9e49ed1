package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A JetStream API error as it goes on the wire: {@code {"code":404,"err_code":10059,"description":"stream not
 * found"}} ({@code server/jetstream_errors.go ApiError}). Made by {@link JsApiError#error(Object...)}. Immutable.
 *
 * @param code        the HTTP-like status code
 * @param errCode     the JetStream error code (omitted when 0, as in Go)
 * @param description the text with placeholders substituted
 */
// nats-server: jetstream_errors.go ApiError
public record ApiError(@JsonProperty("code") int code,
                       @JsonProperty("err_code") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int errCode,
                       @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_EMPTY) String description) {

    /** Whether this error is {@code e} (same error code). */
    public boolean is(JsApiError e) {
        return errCode == e.errCode();
    }

    /** The exception carrying this error. */
    public ApiException toException() {
        return new ApiException(this);
    }

    @Override
    public String toString() {
        return description + " (" + errCode + ")";
    }
}
