package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.store.AckPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A consumer's configuration as the JetStream API reads and writes it, field for field and in nats-server's order
 * ({@code server/consumer.go ConsumerConfig}). Durations are nanoseconds; times are RFC 3339 strings (null when
 * unset). Values are as given until {@link ConsumerConfigChecks} applies the defaults. Immutable; {@link Builder}
 * makes changed copies.
 *
 * @param durable           durable_name
 * @param name              name
 * @param description       description
 * @param deliverPolicy     deliver_policy
 * @param optStartSeq       opt_start_seq
 * @param optStartTime      opt_start_time, or null
 * @param ackPolicy         ack_policy
 * @param ackWaitNanos      ack_wait
 * @param maxDeliver        max_deliver (-1 unlimited)
 * @param backoffNanos      backoff, or null
 * @param filterSubject     filter_subject
 * @param filterSubjects    filter_subjects, or null
 * @param replayPolicy      replay_policy
 * @param rateLimitBps      rate_limit_bps
 * @param sampleFreq        sample_freq
 * @param maxWaiting        max_waiting
 * @param maxAckPending     max_ack_pending (-1 unlimited)
 * @param flowControl       flow_control
 * @param headersOnly       headers_only
 * @param maxBatch          max_batch
 * @param maxExpiresNanos   max_expires
 * @param maxBytes          max_bytes
 * @param deliverSubject    deliver_subject (push consumers)
 * @param deliverGroup      deliver_group
 * @param heartbeatNanos    idle_heartbeat
 * @param inactiveThresholdNanos inactive_threshold
 * @param replicas          num_replicas
 * @param memStorage        mem_storage
 * @param direct            direct
 * @param sourcing          sourcing
 * @param metadata          metadata, or null
 * @param pauseUntil        pause_until, or null
 * @param priorityGroups    priority_groups, or null
 * @param priorityPolicy    priority_policy (null: none)
 * @param pinnedTtlNanos    priority_timeout
 */
// nats-server: consumer.go ConsumerConfig
public record ConsumerConfig(
        @JsonProperty("durable_name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String durable,
        @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
        @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_EMPTY) String description,
        @JsonProperty("deliver_policy") DeliverPolicy deliverPolicy,
        @JsonProperty("opt_start_seq") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long optStartSeq,
        @JsonProperty("opt_start_time") @JsonInclude(JsonInclude.Include.NON_NULL) String optStartTime,
        @JsonProperty("ack_policy") AckPolicy ackPolicy,
        @JsonProperty("ack_wait") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long ackWaitNanos,
        @JsonProperty("max_deliver") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxDeliver,
        @JsonProperty("backoff") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> backoffNanos,
        @JsonProperty("filter_subject") @JsonInclude(JsonInclude.Include.NON_EMPTY) String filterSubject,
        @JsonProperty("filter_subjects") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> filterSubjects,
        @JsonProperty("replay_policy") ReplayPolicy replayPolicy,
        @JsonProperty("rate_limit_bps") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long rateLimitBps,
        @JsonProperty("sample_freq") @JsonInclude(JsonInclude.Include.NON_EMPTY) String sampleFreq,
        @JsonProperty("max_waiting") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxWaiting,
        @JsonProperty("max_ack_pending") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxAckPending,
        @JsonProperty("flow_control") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean flowControl,
        @JsonProperty("headers_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean headersOnly,
        @JsonProperty("max_batch") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxBatch,
        @JsonProperty("max_expires") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long maxExpiresNanos,
        @JsonProperty("max_bytes") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxBytes,
        @JsonProperty("deliver_subject") @JsonInclude(JsonInclude.Include.NON_EMPTY) String deliverSubject,
        @JsonProperty("deliver_group") @JsonInclude(JsonInclude.Include.NON_EMPTY) String deliverGroup,
        @JsonProperty("idle_heartbeat") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long heartbeatNanos,
        @JsonProperty("inactive_threshold") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        long inactiveThresholdNanos,
        @JsonProperty("num_replicas") int replicas,
        @JsonProperty("mem_storage") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean memStorage,
        @JsonProperty("direct") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean direct,
        @JsonProperty("sourcing") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean sourcing,
        @JsonProperty("metadata") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
        @JsonProperty("pause_until") @JsonInclude(JsonInclude.Include.NON_NULL) String pauseUntil,
        @JsonProperty("priority_groups") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> priorityGroups,
        @JsonProperty("priority_policy") @JsonInclude(JsonInclude.Include.NON_NULL) PriorityPolicy priorityPolicy,
        @JsonProperty("priority_timeout") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long pinnedTtlNanos) {

    public ConsumerConfig {
        deliverPolicy = deliverPolicy == null ? DeliverPolicy.ALL : deliverPolicy;
        ackPolicy = ackPolicy == null ? AckPolicy.NONE : ackPolicy;
        replayPolicy = replayPolicy == null ? ReplayPolicy.INSTANT : replayPolicy;
        priorityPolicy = priorityPolicy == PriorityPolicy.NONE ? null : priorityPolicy;
    }

    /** Whether the consumer is durable ({@code durable_name} set). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDurable() {
        return durable != null && !durable.isEmpty();
    }

    /** Whether the consumer pushes to a deliver subject. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isPush() {
        return deliverSubject != null && !deliverSubject.isEmpty();
    }

    /** Whether the consumer is pulled from (no deliver subject). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isPull() {
        return !isPush();
    }

    /** The priority policy, none when unset. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public PriorityPolicy priorityPolicyOrNone() {
        return priorityPolicy == null ? PriorityPolicy.NONE : priorityPolicy;
    }

    /** filter_subject and filter_subjects as one list ({@code gatherSubjectFilters}). */
    // nats-server: consumer.go gatherSubjectFilters
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<String> filters() {
        List<String> out = new ArrayList<>();
        if (filterSubject != null && !filterSubject.isEmpty()) {
            out.add(filterSubject);
        }
        if (filterSubjects != null) {
            for (String f : filterSubjects) {
                if (!out.contains(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** A builder starting from this value. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.durable = durable;
        b.name = name;
        b.description = description;
        b.deliverPolicy = deliverPolicy;
        b.optStartSeq = optStartSeq;
        b.optStartTime = optStartTime;
        b.ackPolicy = ackPolicy;
        b.ackWaitNanos = ackWaitNanos;
        b.maxDeliver = maxDeliver;
        b.backoffNanos = backoffNanos;
        b.filterSubject = filterSubject;
        b.filterSubjects = filterSubjects;
        b.replayPolicy = replayPolicy;
        b.rateLimitBps = rateLimitBps;
        b.sampleFreq = sampleFreq;
        b.maxWaiting = maxWaiting;
        b.maxAckPending = maxAckPending;
        b.flowControl = flowControl;
        b.headersOnly = headersOnly;
        b.maxBatch = maxBatch;
        b.maxExpiresNanos = maxExpiresNanos;
        b.maxBytes = maxBytes;
        b.deliverSubject = deliverSubject;
        b.deliverGroup = deliverGroup;
        b.heartbeatNanos = heartbeatNanos;
        b.inactiveThresholdNanos = inactiveThresholdNanos;
        b.replicas = replicas;
        b.memStorage = memStorage;
        b.direct = direct;
        b.sourcing = sourcing;
        b.metadata = metadata;
        b.pauseUntil = pauseUntil;
        b.priorityGroups = priorityGroups;
        b.priorityPolicy = priorityPolicy;
        b.pinnedTtlNanos = pinnedTtlNanos;
        return b;
    }

    /** A builder with every field at its zero value. */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder with public fields (the checks change many at once); not thread-safe. */
    public static final class Builder {
        public String durable;
        public String name;
        public String description;
        public DeliverPolicy deliverPolicy;
        public long optStartSeq;
        public String optStartTime;
        public AckPolicy ackPolicy;
        public long ackWaitNanos;
        public int maxDeliver;
        public List<Long> backoffNanos;
        public String filterSubject;
        public List<String> filterSubjects;
        public ReplayPolicy replayPolicy;
        public long rateLimitBps;
        public String sampleFreq;
        public int maxWaiting;
        public int maxAckPending;
        public boolean flowControl;
        public boolean headersOnly;
        public int maxBatch;
        public long maxExpiresNanos;
        public int maxBytes;
        public String deliverSubject;
        public String deliverGroup;
        public long heartbeatNanos;
        public long inactiveThresholdNanos;
        public int replicas;
        public boolean memStorage;
        public boolean direct;
        public boolean sourcing;
        public Map<String, String> metadata;
        public String pauseUntil;
        public List<String> priorityGroups;
        public PriorityPolicy priorityPolicy;
        public long pinnedTtlNanos;

        private Builder() {
        }

        /** The configuration. */
        public ConsumerConfig build() {
            return new ConsumerConfig(durable, name, description, deliverPolicy, optStartSeq, optStartTime, ackPolicy,
                    ackWaitNanos, maxDeliver, backoffNanos, filterSubject, filterSubjects, replayPolicy, rateLimitBps,
                    sampleFreq, maxWaiting, maxAckPending, flowControl, headersOnly, maxBatch, maxExpiresNanos,
                    maxBytes, deliverSubject, deliverGroup, heartbeatNanos, inactiveThresholdNanos, replicas,
                    memStorage, direct, sourcing, metadata, pauseUntil, priorityGroups, priorityPolicy,
                    pinnedTtlNanos);
        }
    }
}
