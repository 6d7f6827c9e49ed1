package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code limits} of an account JWT ({@code account_claims.go OperatorLimits}: NATS, account and JetStream limits
 * flattened into one object, plus {@code tiered_limits}). -1 is unlimited; an absent field is 0. Immutable.
 *
 * @param maxSubscriptions     {@code subs}
 * @param maxDataBytes         {@code data}
 * @param maxPayloadBytes      {@code payload}
 * @param maxImports           {@code imports}
 * @param maxExports           {@code exports}
 * @param wildcardExports      {@code wildcards}
 * @param disallowBearer       {@code disallow_bearer}
 * @param maxConnections       {@code conn}
 * @param maxLeafNodes         {@code leaf}
 * @param memoryStorageBytes   {@code mem_storage}
 * @param diskStorageBytes     {@code disk_storage}
 * @param streams              {@code streams}
 * @param consumers            {@code consumer}
 * @param maxAckPending        {@code max_ack_pending}
 * @param memoryMaxStreamBytes {@code mem_max_stream_bytes}
 * @param diskMaxStreamBytes   {@code disk_max_stream_bytes}
 * @param maxBytesRequired     {@code max_bytes_required}
 * @param tieredLimits         {@code tiered_limits}: JetStream limits per tier name ({@code R1}, {@code R3})
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record AccountLimits(@JsonProperty("subs") long maxSubscriptions,
                            @JsonProperty("data") long maxDataBytes,
                            @JsonProperty("payload") long maxPayloadBytes,
                            @JsonProperty("imports") long maxImports,
                            @JsonProperty("exports") long maxExports,
                            @JsonProperty("wildcards") boolean wildcardExports,
                            @JsonProperty("disallow_bearer") boolean disallowBearer,
                            @JsonProperty("conn") long maxConnections,
                            @JsonProperty("leaf") long maxLeafNodes,
                            @JsonProperty("mem_storage") long memoryStorageBytes,
                            @JsonProperty("disk_storage") long diskStorageBytes,
                            @JsonProperty("streams") long streams,
                            @JsonProperty("consumer") long consumers,
                            @JsonProperty("max_ack_pending") long maxAckPending,
                            @JsonProperty("mem_max_stream_bytes") long memoryMaxStreamBytes,
                            @JsonProperty("disk_max_stream_bytes") long diskMaxStreamBytes,
                            @JsonProperty("max_bytes_required") boolean maxBytesRequired,
                            @JsonProperty("tiered_limits") Map<String, JetStreamLimits> tieredLimits) {

    public AccountLimits {
        tieredLimits = Map.copyOf(Objects.requireNonNullElse(tieredLimits, Map.of()));
    }

    /** What {@code jwt.NewAccountClaims} starts from: NATS and account limits unlimited, wildcard exports allowed. */
    public static AccountLimits unlimited() {
        return new AccountLimits(-1, -1, -1, -1, -1, true, false, -1, -1, 0, 0, 0, 0, 0, 0, 0, false, null);
    }

    public AccountLimits withConnections(long value) {
        return new AccountLimits(maxSubscriptions, maxDataBytes, maxPayloadBytes, maxImports, maxExports,
                wildcardExports, disallowBearer, value, maxLeafNodes, memoryStorageBytes, diskStorageBytes, streams,
                consumers, maxAckPending, memoryMaxStreamBytes, diskMaxStreamBytes, maxBytesRequired, tieredLimits);
    }

    public AccountLimits withSubscriptionsAndPayload(long subs, long payload) {
        return new AccountLimits(subs, maxDataBytes, payload, maxImports, maxExports, wildcardExports,
                disallowBearer, maxConnections, maxLeafNodes, memoryStorageBytes, diskStorageBytes, streams,
                consumers, maxAckPending, memoryMaxStreamBytes, diskMaxStreamBytes, maxBytesRequired, tieredLimits);
    }

    public AccountLimits withDisallowBearer(boolean value) {
        return new AccountLimits(maxSubscriptions, maxDataBytes, maxPayloadBytes, maxImports, maxExports,
                wildcardExports, value, maxConnections, maxLeafNodes, memoryStorageBytes, diskStorageBytes, streams,
                consumers, maxAckPending, memoryMaxStreamBytes, diskMaxStreamBytes, maxBytesRequired, tieredLimits);
    }
}
