package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.jetstream.StreamInfo;

import java.util.List;

/**
 * What the API reports about a consumer ({@code server/consumer.go ConsumerInfo}). Immutable.
 *
 * @param stream          the stream
 * @param name            the consumer
 * @param created         when it was created (RFC 3339)
 * @param config          the configuration
 * @param delivered       the last delivered sequences
 * @param ackFloor        the acknowledgement floor
 * @param numAckPending   delivered and not yet acknowledged
 * @param numRedelivered  messages delivered more than once and still tracked
 * @param numWaiting      pull requests waiting
 * @param numPending      matching messages not delivered yet
 * @param cluster         {@code {"leader": <server>}} on one server
 * @param pushBound       whether the deliver subject has interest, omitted when false
 * @param paused          whether paused, omitted when false
 * @param pauseRemaining  nanoseconds left in the pause, omitted when 0
 * @param ts              when this was taken
 * @param priorityGroups  the priority groups' pin state, omitted when empty
 */
// nats-server: consumer.go ConsumerInfo
public record ConsumerInfo(@JsonProperty("stream_name") String stream,
                           @JsonProperty("name") String name,
                           @JsonProperty("created") String created,
                           @JsonProperty("config") @JsonInclude(JsonInclude.Include.NON_NULL) ConsumerConfig config,
                           @JsonProperty("delivered") SequenceInfo delivered,
                           @JsonProperty("ack_floor") SequenceInfo ackFloor,
                           @JsonProperty("num_ack_pending") int numAckPending,
                           @JsonProperty("num_redelivered") int numRedelivered,
                           @JsonProperty("num_waiting") int numWaiting,
                           @JsonProperty("num_pending") long numPending,
                           @JsonProperty("cluster") @JsonInclude(JsonInclude.Include.NON_NULL)
                           StreamInfo.ClusterInfo cluster,
                           @JsonProperty("push_bound") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean pushBound,
                           @JsonProperty("paused") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paused,
                           @JsonProperty("pause_remaining") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                           long pauseRemaining,
                           @JsonProperty("ts") String ts,
                           @JsonProperty("priority_groups") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           List<PriorityGroupState> priorityGroups) {

    /** The same info with {@code config} replaced. */
    public ConsumerInfo withConfig(ConsumerConfig c) {
        return new ConsumerInfo(stream, name, created, c, delivered, ackFloor, numAckPending, numRedelivered,
                numWaiting, numPending, cluster, pushBound, paused, pauseRemaining, ts, priorityGroups);
    }

    /**
     * Consumer and stream sequences with the time of the last activity ({@code SequenceInfo}).
     *
     * @param consumerSeq the consumer sequence
     * @param streamSeq   the stream sequence
     * @param lastActive  when (RFC 3339), omitted when never
     */
    public record SequenceInfo(@JsonProperty("consumer_seq") long consumerSeq,
                               @JsonProperty("stream_seq") long streamSeq,
                               @JsonProperty("last_active") @JsonInclude(JsonInclude.Include.NON_NULL)
                               String lastActive) {
    }

    /**
     * A priority group's pin ({@code PriorityGroupState}).
     *
     * @param group          the group
     * @param pinnedClientId the pin id, omitted when none
     * @param pinnedTs       when pinned (zero time when not)
     */
    public record PriorityGroupState(@JsonProperty("group") String group,
                                     @JsonProperty("pinned_client_id") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                                     String pinnedClientId,
                                     @JsonProperty("pinned_ts") String pinnedTs) {
    }
}
