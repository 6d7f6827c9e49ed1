package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * What {@code $JS.API.INFO} reports about an account ({@code server/jetstream.go JetStreamAccountStats}, with the
 * embedded {@code JetStreamTier} flattened in Go's order). Immutable.
 *
 * @param memory          memory used
 * @param storage         storage used
 * @param reservedMemory  memory reserved by streams' max_bytes
 * @param reservedStorage storage reserved by streams' max_bytes
 * @param streams         streams
 * @param consumers       consumers
 * @param limits          the limits (of tier "" when not tiered, else zero)
 * @param domain          the JetStream domain, omitted when empty
 * @param api             API statistics
 * @param tiers           per tier, omitted when not tiered
 */
// nats-server: jetstream.go JetStreamAccountStats, JetStreamTier, JetStreamAPIStats
public record AccountStats(@JsonProperty("memory") long memory,
                          @JsonProperty("storage") long storage,
                          @JsonProperty("reserved_memory") long reservedMemory,
                          @JsonProperty("reserved_storage") long reservedStorage,
                          @JsonProperty("streams") int streams,
                          @JsonProperty("consumers") int consumers,
                          @JsonProperty("limits") AccountLimitsInfo limits,
                          @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                          @JsonProperty("api") Api api,
                          @JsonProperty("tiers") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Tier> tiers) {

    /**
     * One tier ({@code JetStreamTier}).
     *
     * @param memory          memory used
     * @param storage         storage used
     * @param reservedMemory  memory reserved
     * @param reservedStorage storage reserved
     * @param streams         streams
     * @param consumers       consumers
     * @param limits          the tier's limits
     */
    public record Tier(@JsonProperty("memory") long memory,
                       @JsonProperty("storage") long storage,
                       @JsonProperty("reserved_memory") long reservedMemory,
                       @JsonProperty("reserved_storage") long reservedStorage,
                       @JsonProperty("streams") int streams,
                       @JsonProperty("consumers") int consumers,
                       @JsonProperty("limits") AccountLimitsInfo limits) {
    }

    /**
     * API statistics ({@code JetStreamAPIStats}).
     *
     * @param level    the API level this server implements
     * @param total    requests
     * @param errors   requests answered with an error
     * @param inflight requests being served (omitted when 0)
     */
    public record Api(@JsonProperty("level") int level,
                      @JsonProperty("total") long total,
                      @JsonProperty("errors") long errors,
                      @JsonProperty("inflight") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long inflight) {
    }
}
