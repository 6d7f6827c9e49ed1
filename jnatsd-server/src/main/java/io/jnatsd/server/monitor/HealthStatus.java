package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code /healthz}: nats-server's {@code HealthStatus}. Over HTTP the status code is the response's and
 * {@code status_code} is left out; {@code $SYS} replies carry it.
 */
public record HealthStatus(
        @JsonProperty("status") String status,
        @JsonProperty("status_code") @JsonInclude(Include.NON_DEFAULT) int statusCode,
        @JsonProperty("error") @JsonInclude(Include.NON_DEFAULT) String error,
        @JsonProperty("errors") @JsonInclude(Include.NON_DEFAULT) List<HealthzError> errors) {

    /** One problem ({@code HealthzError}), reported with {@code details}. */
    public record HealthzError(
            @JsonProperty("type") String type,
            @JsonProperty("account") @JsonInclude(Include.NON_DEFAULT) String account,
            @JsonProperty("stream") @JsonInclude(Include.NON_DEFAULT) String stream,
            @JsonProperty("consumer") @JsonInclude(Include.NON_DEFAULT) String consumer,
            @JsonProperty("error") @JsonInclude(Include.NON_DEFAULT) String error) {
    }

    /** The same status without {@code status_code} (HTTP). */
    HealthStatus withoutCode() {
        return new HealthStatus(status, 0, error, errors);
    }
}
