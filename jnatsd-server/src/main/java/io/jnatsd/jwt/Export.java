package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Objects;

/**
 * A stream or service an account offers to others ({@code exports.go Export}). Plain data: the server does not
 * wire it to accounts yet. Immutable.
 *
 * @param name                     {@code name}
 * @param subject                  {@code subject}
 * @param type                     {@code type}: {@code stream} or {@code service}
 * @param tokenRequired            {@code token_req}: importers need an activation token
 * @param revocations              {@code revocations}: importer account key (or {@code *}) to Unix seconds
 * @param responseType             {@code response_type}: {@code Singleton}, {@code Stream} or {@code Chunked}
 * @param responseThresholdNanos   {@code response_threshold}
 * @param latency                  {@code service_latency} or null
 * @param accountTokenPosition     {@code account_token_position}
 * @param advertise                {@code advertise}
 * @param allowTrace               {@code allow_trace}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Export(@JsonProperty("name") String name, @JsonProperty("subject") String subject,
                     @JsonProperty("type") String type, @JsonProperty("token_req") boolean tokenRequired,
                     @JsonProperty("revocations") Map<String, Long> revocations,
                     @JsonProperty("response_type") String responseType,
                     @JsonProperty("response_threshold") long responseThresholdNanos,
                     @JsonProperty("service_latency") ServiceLatency latency,
                     @JsonProperty("account_token_position") int accountTokenPosition,
                     @JsonProperty("advertise") boolean advertise,
                     @JsonProperty("allow_trace") boolean allowTrace) {

    public Export {
        name = Objects.requireNonNullElse(name, "");
        subject = Objects.requireNonNullElse(subject, "");
        type = Objects.requireNonNullElse(type, "");
        revocations = Map.copyOf(Objects.requireNonNullElse(revocations, Map.of()));
        responseType = Objects.requireNonNullElse(responseType, "");
    }

    /** Whether the importer {@code accountKey}, authorised at {@code issuedAt}, is revoked. */
    public boolean isRevoked(String accountKey, long issuedAt) {
        return Revocations.isRevoked(revocations, accountKey, issuedAt);
    }
}
