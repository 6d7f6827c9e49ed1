package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * JetStream limits of an account, flat or per tier ({@code account_claims.go JetStreamLimits}). -1 is unlimited,
 * 0 in both storages means JetStream is disabled. Immutable.
 *
 * @param memoryStorageBytes        {@code mem_storage}
 * @param diskStorageBytes          {@code disk_storage}
 * @param streams                   {@code streams}
 * @param consumers                 {@code consumer}
 * @param maxAckPending             {@code max_ack_pending}
 * @param memoryMaxStreamBytes      {@code mem_max_stream_bytes}
 * @param diskMaxStreamBytes        {@code disk_max_stream_bytes}
 * @param maxBytesRequired          {@code max_bytes_required}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record JetStreamLimits(@JsonProperty("mem_storage") long memoryStorageBytes,
                              @JsonProperty("disk_storage") long diskStorageBytes,
                              @JsonProperty("streams") long streams,
                              @JsonProperty("consumer") long consumers,
                              @JsonProperty("max_ack_pending") long maxAckPending,
                              @JsonProperty("mem_max_stream_bytes") long memoryMaxStreamBytes,
                              @JsonProperty("disk_max_stream_bytes") long diskMaxStreamBytes,
                              @JsonProperty("max_bytes_required") boolean maxBytesRequired) {
}
