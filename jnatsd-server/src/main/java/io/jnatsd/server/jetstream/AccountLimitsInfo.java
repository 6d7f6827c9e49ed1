package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.config.JetStreamAccountLimits;

/**
 * An account's JetStream limits as {@code INFO} reports them ({@code server/jetstream.go JetStreamAccountLimits}).
 * Immutable.
 *
 * @param maxMemory            {@code max_memory}
 * @param maxStorage           {@code max_storage}
 * @param maxStreams           {@code max_streams}
 * @param maxConsumers         {@code max_consumers}
 * @param maxAckPending        {@code max_ack_pending}
 * @param memoryMaxStreamBytes {@code memory_max_stream_bytes}
 * @param storageMaxStreamBytes {@code storage_max_stream_bytes}
 * @param maxBytesRequired     {@code max_bytes_required}
 */
// nats-server: jetstream.go JetStreamAccountLimits
public record AccountLimitsInfo(@JsonProperty("max_memory") long maxMemory,
                                @JsonProperty("max_storage") long maxStorage,
                                @JsonProperty("max_streams") int maxStreams,
                                @JsonProperty("max_consumers") int maxConsumers,
                                @JsonProperty("max_ack_pending") int maxAckPending,
                                @JsonProperty("memory_max_stream_bytes") long memoryMaxStreamBytes,
                                @JsonProperty("storage_max_stream_bytes") long storageMaxStreamBytes,
                                @JsonProperty("max_bytes_required") boolean maxBytesRequired) {

    /** All zero (Go's zero value, for tiers without limits). */
    public static final AccountLimitsInfo ZERO = new AccountLimitsInfo(0, 0, 0, 0, 0, 0, 0, false);

    /** The JSON form of {@code l}. */
    public static AccountLimitsInfo of(JetStreamAccountLimits l) {
        return l == null ? ZERO : new AccountLimitsInfo(l.maxMemoryBytes(), l.maxStoreBytes(), l.maxStreams(),
                l.maxConsumers(), l.maxAckPending(), l.memoryMaxStreamBytes(), l.storeMaxStreamBytes(),
                l.maxBytesRequired());
    }
}
