package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Defaults and limits a stream gives its consumers ({@code server/stream.go StreamConsumerLimits}). Always written,
 * as {@code {}} when empty. Immutable.
 *
 * @param inactiveThresholdNanos {@code inactive_threshold}
 * @param maxAckPending          {@code max_ack_pending}
 */
// nats-server: stream.go StreamConsumerLimits
public record StreamConsumerLimits(@JsonProperty("inactive_threshold") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                                   long inactiveThresholdNanos,
                                   @JsonProperty("max_ack_pending") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                                   int maxAckPending) {

    /** No limits. */
    public static final StreamConsumerLimits EMPTY = new StreamConsumerLimits(0, 0);
}
