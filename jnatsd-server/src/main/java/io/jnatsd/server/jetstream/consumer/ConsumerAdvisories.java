package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.jetstream.Advisories;
import io.jnatsd.server.jetstream.JetStream;

/**
 * The consumer advisories and the ack metric ({@code server/jetstream_events.go}), published in the consumer's account
 * only when something listens. Stateless; thread-safe.
 */
// nats-server: jetstream_events.go JSConsumer*Advisory, JSConsumerAckMetric; consumer.go send*Advisory
final class ConsumerAdvisories {

    static final String PRE = Advisories.PREFIX + ".CONSUMER.";
    static final String CREATED = PRE + "CREATED.";
    static final String DELETED = PRE + "DELETED.";
    static final String PAUSE = PRE + "PAUSE.";
    static final String PINNED = PRE + "PINNED.";
    static final String UNPINNED = PRE + "UNPINNED.";
    static final String MAX_DELIVERIES = PRE + "MAX_DELIVERIES.";
    static final String MSG_NAKED = PRE + "MSG_NAKED.";
    static final String MSG_TERMINATED = PRE + "MSG_TERMINATED.";
    static final String ACK_METRIC = "$JS.EVENT.METRIC.CONSUMER.ACK.";

    private ConsumerAdvisories() {
    }

    /** {@code consumer_action}. */
    record Action(@JsonProperty("type") String type, @JsonProperty("id") String id,
                  @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                  @JsonProperty("consumer") String consumer, @JsonProperty("action") String action,
                  @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.consumer_action";
    }

    /** {@code consumer_pause}. */
    record Pause(@JsonProperty("type") String type, @JsonProperty("id") String id,
                 @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                 @JsonProperty("consumer") String consumer, @JsonProperty("paused") boolean paused,
                 @JsonProperty("pause_until") String pauseUntil,
                 @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.consumer_pause";
    }

    /** {@code consumer_group_pinned}. */
    record Pinned(@JsonProperty("type") String type, @JsonProperty("id") String id,
                  @JsonProperty("timestamp") String timestamp,
                  @JsonProperty("account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String account,
                  @JsonProperty("stream") String stream, @JsonProperty("consumer") String consumer,
                  @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                  @JsonProperty("group") String group, @JsonProperty("pinned_id") String pinnedId) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.consumer_group_pinned";
    }

    /** {@code consumer_group_unpinned}. */
    record Unpinned(@JsonProperty("type") String type, @JsonProperty("id") String id,
                    @JsonProperty("timestamp") String timestamp,
                    @JsonProperty("account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String account,
                    @JsonProperty("stream") String stream, @JsonProperty("consumer") String consumer,
                    @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                    @JsonProperty("group") String group, @JsonProperty("reason") String reason) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.consumer_group_unpinned";
    }

    /** {@code max_deliver}. */
    record MaxDeliver(@JsonProperty("type") String type, @JsonProperty("id") String id,
                      @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                      @JsonProperty("consumer") String consumer, @JsonProperty("stream_seq") long streamSeq,
                      @JsonProperty("deliveries") long deliveries,
                      @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.max_deliver";
    }

    /** {@code nak}. */
    record Nak(@JsonProperty("type") String type, @JsonProperty("id") String id,
               @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
               @JsonProperty("consumer") String consumer, @JsonProperty("consumer_seq") long consumerSeq,
               @JsonProperty("stream_seq") long streamSeq, @JsonProperty("deliveries") long deliveries,
               @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.nak";
    }

    /** {@code terminated}. */
    record Terminated(@JsonProperty("type") String type, @JsonProperty("id") String id,
                      @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                      @JsonProperty("consumer") String consumer, @JsonProperty("consumer_seq") long consumerSeq,
                      @JsonProperty("stream_seq") long streamSeq, @JsonProperty("deliveries") long deliveries,
                      @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_EMPTY) String reason,
                      @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.advisory.v1.terminated";
    }

    /** {@code consumer_ack} metric. */
    record AckMetric(@JsonProperty("type") String type, @JsonProperty("id") String id,
                     @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                     @JsonProperty("consumer") String consumer, @JsonProperty("consumer_seq") long consumerSeq,
                     @JsonProperty("stream_seq") long streamSeq, @JsonProperty("ack_time") long ackTimeNanos,
                     @JsonProperty("deliveries") long deliveries,
                     @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        static final String TYPE = "io.nats.jetstream.metric.v1.consumer_ack";
    }

    /** Publishes the create or delete advisory. */
    static void action(JetStream js, Account account, String prefix, String stream, String consumer,
                       String action) {
        String subject = prefix + stream + "." + consumer;
        if (!js.advisories().hasInterest(account, subject)) {
            return;
        }
        String[] h = Advisories.head(Action.TYPE);
        js.advisories().publish(account, subject, new Action(h[0], h[1], h[2], stream, consumer, action,
                js.domain()));
    }
}
