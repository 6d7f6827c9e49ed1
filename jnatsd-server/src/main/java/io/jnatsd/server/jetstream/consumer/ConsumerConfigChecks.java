package io.jnatsd.server.jetstream.consumer;

import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.StreamConfig;
import io.jnatsd.server.jetstream.StreamConfigChecks;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.subject.Subjects;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * nats-server's rules for consumer configurations: the defaults ({@code setConsumerConfigDefaults}), the checks in
 * their order ({@code checkConsumerCfg}), what an update may change ({@code checkNewConsumerConfig}) and the
 * versioning metadata. Stateless.
 */
// nats-server: consumer.go setConsumerConfigDefaults, checkConsumerCfg, checkNewConsumerConfig;
// jetstream_versioning.go setStaticConsumerMetadata
public final class ConsumerConfigChecks {

    /** Default ack_wait for explicit and all ({@code JsAckWaitDefault}): 30 s. */
    public static final long ACK_WAIT_DEFAULT_NANOS = 30_000_000_000L;
    /** Default inactive threshold of ephemerals ({@code JsDeleteWaitTimeDefault}): 5 s. */
    public static final long DELETE_WAIT_DEFAULT_NANOS = 5_000_000_000L;
    /** Default max_ack_pending ({@code JsDefaultMaxAckPending}). */
    public static final int MAX_ACK_PENDING_DEFAULT = 1000;
    /** Default max_waiting of pull consumers ({@code JSWaitQueueDefaultMax}). */
    public static final int MAX_WAITING_DEFAULT = 512;
    /** Default priority_timeout of pinned consumers ({@code JsDefaultPinnedTTL}): 2 min. */
    public static final long PINNED_TTL_DEFAULT_NANOS = 120_000_000_000L;
    /** Heartbeat of flow-control-acked consumers ({@code sourceHealthHB}): 1 s. */
    static final long SOURCE_HEALTH_HB_NANOS = 1_000_000_000L;
    /** Longest description ({@code JSMaxDescriptionLen}). */
    static final int MAX_DESCRIPTION = 4 * 1024;
    /** Longest metadata, keys plus values ({@code JSMaxMetadataLen}). */
    static final int MAX_METADATA = 128 * 1024;
    /** Longest durable name ({@code JSMaxNameLen}). */
    public static final int MAX_NAME = 255;
    private static final Pattern GROUP_NAME = Pattern.compile("^[a-zA-Z0-9/_=-]{1,16}$");

    private ConsumerConfigChecks() {
    }

    /** The server and account limits the checks compare with. */
    public record Limits(int serverMaxAckPending, int serverMaxRequestBatch, JetStreamAccountLimits account) {
    }

    /**
     * {@code config} with nats-server's defaults.
     *
     * @throws io.jnatsd.server.jetstream.api.ApiException 10157 in pedantic mode when a default would change it
     */
    // nats-server: consumer.go setConsumerConfigDefaults
    public static ConsumerConfig withDefaults(ConsumerConfig config, StreamConfig stream, Limits lim,
                                              boolean pedantic) {
        ConsumerConfig.Builder c = config.toBuilder();
        if (c.maxDeliver == 0 || c.maxDeliver < -1) {
            if (pedantic && c.maxDeliver < -1) {
                throw pedantic("max_deliver must be set to -1");
            }
            c.maxDeliver = -1;
        }
        if (c.maxWaiting < 0) {
            if (pedantic) {
                throw pedantic("max_waiting must not be negative");
            }
            c.maxWaiting = 0;
        }
        if (c.maxAckPending < -1) {
            if (pedantic) {
                throw pedantic("max_ack_pending must be set to -1");
            }
            c.maxAckPending = -1;
        }
        if (c.maxBatch < 0) {
            if (pedantic) {
                throw pedantic("max_batch must not be negative");
            }
            c.maxBatch = 0;
        }
        if (c.maxExpiresNanos < 0) {
            if (pedantic) {
                throw pedantic("max_expires must not be negative");
            }
            c.maxExpiresNanos = 0;
        }
        if (c.maxBytes < 0) {
            if (pedantic) {
                throw pedantic("max_bytes must not be negative");
            }
            c.maxBytes = 0;
        }
        if (c.heartbeatNanos < 0) {
            if (pedantic) {
                throw pedantic("idle_heartbeat must not be negative");
            }
            c.heartbeatNanos = 0;
        }
        if (c.inactiveThresholdNanos < 0) {
            if (pedantic) {
                throw pedantic("inactive_threshold must not be negative");
            }
            c.inactiveThresholdNanos = 0;
        }
        if (c.pinnedTtlNanos < 0) {
            if (pedantic) {
                throw pedantic("priority_timeout must not be negative");
            }
            c.pinnedTtlNanos = 0;
        }
        boolean pull = c.deliverSubject == null || c.deliverSubject.isEmpty();
        if (pull && c.maxWaiting == 0) {
            c.maxWaiting = MAX_WAITING_DEFAULT;
        }
        if (c.ackWaitNanos == 0 && (c.ackPolicy == AckPolicy.EXPLICIT || c.ackPolicy == AckPolicy.ALL)) {
            c.ackWaitNanos = ACK_WAIT_DEFAULT_NANOS;
        }
        if (c.backoffNanos != null && !c.backoffNanos.isEmpty()) {
            if (pedantic && c.ackWaitNanos != c.backoffNanos.get(0)) {
                throw pedantic("first backoff value has to equal batch AckWait");
            }
            c.ackWaitNanos = c.backoffNanos.get(0);
        }
        if (c.maxAckPending == 0) {
            if (pedantic && stream.consumerLimits().maxAckPending() > 0) {
                throw pedantic("max_ack_pending must be set if it's configured in stream limits");
            }
            c.maxAckPending = stream.consumerLimits().maxAckPending();
        }
        if (c.inactiveThresholdNanos == 0) {
            if (pedantic && stream.consumerLimits().inactiveThresholdNanos() > 0) {
                throw pedantic("inactive_threshold must be set if it's configured in stream limits");
            }
            c.inactiveThresholdNanos = stream.consumerLimits().inactiveThresholdNanos();
        }
        if (c.maxAckPending == 0 && c.ackPolicy != AckPolicy.NONE) {
            int ackPending = MAX_ACK_PENDING_DEFAULT;
            if (lim.serverMaxAckPending() > 0 && lim.serverMaxAckPending() < ackPending) {
                ackPending = lim.serverMaxAckPending();
            }
            if (lim.account().maxAckPending() > 0 && lim.account().maxAckPending() < ackPending) {
                ackPending = lim.account().maxAckPending();
            }
            c.maxAckPending = ackPending;
        }
        if (pull && c.maxBatch == 0 && lim.serverMaxRequestBatch() > 0) {
            if (pedantic) {
                throw pedantic("max_request_batch must be set if it's JetStream limits are set");
            }
            c.maxBatch = lim.serverMaxRequestBatch();
        }
        if (c.priorityPolicy == PriorityPolicy.PINNED_CLIENT && c.pinnedTtlNanos == 0) {
            c.pinnedTtlNanos = PINNED_TTL_DEFAULT_NANOS;
        }
        if (c.ackPolicy == AckPolicy.FLOW_CONTROL && !pedantic) {
            c.flowControl = true;
            c.heartbeatNanos = SOURCE_HEALTH_HB_NANOS;
        }
        return c.build();
    }

    private static io.jnatsd.server.jetstream.api.ApiException pedantic(String why) {
        return JsApiError.PEDANTIC.error(why).toException();
    }

    /**
     * The first problem with {@code c} (after defaults) on a stream with {@code s}, or null.
     */
    // nats-server: consumer.go checkConsumerCfg
    public static ApiError check(ConsumerConfig c, Limits lim, StreamConfig s, boolean recovering) {
        if (!empty(c.name()) && !StreamConfigChecks.isValidAssetName(c.name())) {
            return JsApiError.STREAM_INVALID_CONFIG.error("consumer name can not contain '.', '*', '>', '\\', '/'");
        }
        if (!empty(c.durable()) && !StreamConfigChecks.isValidAssetName(c.durable())) {
            return JsApiError.STREAM_INVALID_CONFIG.error(
                    "consumer durable name can not contain '.', '*', '>', '\\', '/'");
        }
        int streamReplicas = s.replicas();
        if (c.replicas() > 0 && c.replicas() > streamReplicas) {
            return JsApiError.CONSUMER_REPLICAS_EXCEEDS_STREAM.error();
        }
        if (c.replicas() < 0) {
            return JsApiError.REPLICAS_COUNT_CANNOT_BE_NEGATIVE.error();
        }
        RetentionPolicy rp = s.retentionOrDefault();
        if ((rp == RetentionPolicy.INTEREST || rp == RetentionPolicy.WORK_QUEUE) && !recovering
                && c.replicas() != 0 && c.replicas() != streamReplicas) {
            return JsApiError.CONSUMER_REPLICAS_SHOULD_MATCH_STREAM.error();
        }
        if (c.backoffNanos() != null) {
            for (long b : c.backoffNanos()) {
                if (b < 0) {
                    return JsApiError.CONSUMER_BACK_OFF_NEGATIVE.error();
                }
            }
        }
        if (c.ackWaitNanos() < 0) {
            return JsApiError.CONSUMER_ACK_WAIT_NEGATIVE.error();
        }
        boolean push = c.isPush();
        if (c.ackPolicy() == AckPolicy.FLOW_CONTROL) {
            if (!push) {
                return JsApiError.CONSUMER_ACK_FC_REQUIRES_PUSH.error();
            }
            if (!c.flowControl()) {
                return JsApiError.CONSUMER_ACK_FC_REQUIRES_FC.error();
            }
            if (c.heartbeatNanos() != SOURCE_HEALTH_HB_NANOS) {
                return JsApiError.STREAM_INVALID_CONFIG.error("flow control ack policy heartbeat needs to be 1s");
            }
            if (c.maxAckPending() <= 0) {
                return JsApiError.CONSUMER_ACK_FC_REQUIRES_MAX_ACK_PENDING.error();
            }
            if (c.ackWaitNanos() != 0 || (c.backoffNanos() != null && !c.backoffNanos().isEmpty())) {
                return JsApiError.CONSUMER_ACK_FC_REQUIRES_NO_ACK_WAIT.error();
            }
            if (c.maxDeliver() > 0) {
                return JsApiError.CONSUMER_ACK_FC_REQUIRES_NO_MAX_DELIVER.error();
            }
        }
        int lbo = c.backoffNanos() == null ? 0 : c.backoffNanos().size();
        if (lbo > 0 && c.maxDeliver() != -1 && lbo > c.maxDeliver()) {
            return JsApiError.CONSUMER_MAX_DELIVER_BACKOFF.error();
        }
        if (c.description() != null && c.description().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > MAX_DESCRIPTION) {
            return JsApiError.CONSUMER_DESCRIPTION_TOO_LONG.error(MAX_DESCRIPTION);
        }
        if (push) {
            String d = c.deliverSubject();
            if (!Subjects.subjectIsLiteral(d)) {
                return JsApiError.CONSUMER_DELIVER_TO_WILDCARDS.error();
            }
            if (!Subjects.isValidSubject(d)) {
                return JsApiError.CONSUMER_INVALID_DELIVER_SUBJECT.error();
            }
            for (String subject : s.subjectList()) {
                if (Subjects.subjectMatchesFilter(d, subject)) {
                    return JsApiError.CONSUMER_DELIVER_CYCLE.error();
                }
            }
            if (c.maxWaiting() != 0) {
                return JsApiError.CONSUMER_PUSH_MAX_WAITING.error();
            }
            if (c.maxAckPending() > 0 && c.ackPolicy() == AckPolicy.NONE) {
                return JsApiError.CONSUMER_MAX_PENDING_ACK_POLICY_REQUIRED.error();
            }
            if (c.heartbeatNanos() > 0 && c.heartbeatNanos() < 100_000_000L) {
                return JsApiError.CONSUMER_SMALL_HEARTBEAT.error();
            }
        } else {
            if (c.ackPolicy() == AckPolicy.NONE && rp == RetentionPolicy.WORK_QUEUE) {
                return JsApiError.CONSUMER_PULL_REQUIRES_ACK.error();
            }
            if (c.rateLimitBps() > 0) {
                return JsApiError.CONSUMER_PULL_WITH_RATE_LIMIT.error();
            }
            if (c.maxWaiting() < 0) {
                return JsApiError.CONSUMER_MAX_WAITING_NEGATIVE.error();
            }
            if (c.heartbeatNanos() > 0) {
                return JsApiError.CONSUMER_HB_REQUIRES_PUSH.error();
            }
            if (c.flowControl()) {
                return JsApiError.CONSUMER_FC_REQUIRES_PUSH.error();
            }
            if (c.maxBatch() < 0) {
                return JsApiError.CONSUMER_MAX_REQUEST_BATCH_NEGATIVE.error();
            }
            if (c.maxExpiresNanos() != 0 && c.maxExpiresNanos() < 1_000_000L) {
                return JsApiError.CONSUMER_MAX_REQUEST_EXPIRES_TOO_SMALL.error();
            }
            if (lim.serverMaxRequestBatch() > 0 && c.maxBatch() > lim.serverMaxRequestBatch()) {
                return JsApiError.CONSUMER_MAX_REQUEST_BATCH_EXCEEDED.error(lim.serverMaxRequestBatch());
            }
        }
        if (lim.serverMaxAckPending() > 0 && c.maxAckPending() > lim.serverMaxAckPending()) {
            return JsApiError.CONSUMER_MAX_PENDING_ACK_EXCESS.error(lim.serverMaxAckPending());
        }
        if (lim.account().maxAckPending() > 0 && c.maxAckPending() > lim.account().maxAckPending()) {
            return JsApiError.CONSUMER_MAX_PENDING_ACK_EXCESS.error(lim.account().maxAckPending());
        }
        int streamMaxAckPending = s.consumerLimits().maxAckPending();
        if (streamMaxAckPending > 0 && c.maxAckPending() > streamMaxAckPending) {
            return JsApiError.CONSUMER_MAX_PENDING_ACK_EXCESS.error(streamMaxAckPending);
        }
        long streamThreshold = s.consumerLimits().inactiveThresholdNanos();
        if (streamThreshold > 0 && c.inactiveThresholdNanos() > streamThreshold) {
            return JsApiError.CONSUMER_INACTIVE_THRESHOLD_EXCESS.error(io.jnatsd.config.GoDuration.format(
                    java.time.Duration.ofNanos(streamThreshold)));
        }
        if (c.direct()) {
            if (!push) {
                return JsApiError.CONSUMER_DIRECT_REQUIRES_PUSH.error();
            }
            if (c.isDurable()) {
                return JsApiError.CONSUMER_DIRECT_REQUIRES_EPHEMERAL.error();
            }
        }
        if (!empty(c.filterSubject()) && c.filterSubjects() != null && !c.filterSubjects().isEmpty()) {
            return JsApiError.CONSUMER_DUPLICATE_FILTER_SUBJECTS.error();
        }
        if (!empty(c.filterSubject()) && !Subjects.isValidSubject(c.filterSubject())) {
            return JsApiError.STREAM_INVALID_CONFIG.error("invalid subject");
        }
        if (c.filterSubjects() != null) {
            for (String f : c.filterSubjects()) {
                if (empty(f)) {
                    return JsApiError.CONSUMER_EMPTY_FILTER.error();
                }
            }
        }
        List<String> filters = c.filters();
        for (int i = 0; i < filters.size(); i++) {
            if (!Subjects.isValidSubject(filters.get(i))) {
                return JsApiError.STREAM_INVALID_CONFIG.error("invalid subject");
            }
            for (int j = 0; j < filters.size(); j++) {
                if (i != j && Subjects.subjectMatchesFilter(filters.get(i), filters.get(j))) {
                    return JsApiError.CONSUMER_OVERLAPPING_SUBJECT_FILTERS.error();
                }
            }
        }
        ApiError start = checkStart(c);
        if (start != null) {
            return start;
        }
        if (!empty(c.sampleFreq())) {
            String f = c.sampleFreq().endsWith("%") ? c.sampleFreq().substring(0, c.sampleFreq().length() - 1)
                    : c.sampleFreq();
            try {
                if (Integer.parseInt(f) < 0) {
                    return JsApiError.CONSUMER_INVALID_SAMPLING.error("%!s(<nil>)");
                }
            } catch (NumberFormatException e) {
                return JsApiError.CONSUMER_INVALID_SAMPLING.error("strconv.Atoi: parsing \"" + f
                        + "\": invalid syntax");
            }
        }
        if (c.flowControl() && c.heartbeatNanos() == 0) {
            return JsApiError.CONSUMER_WITH_FLOW_CONTROL_NEEDS_HEARTBEATS.error();
        }
        if (!empty(c.durable()) && !empty(c.name()) && !c.name().equals(c.durable())) {
            return JsApiError.CONSUMER_CREATE_DURABLE_AND_NAME_MISMATCH.error();
        }
        if (c.metadata() != null) {
            int len = 0;
            for (Map.Entry<String, String> e : c.metadata().entrySet()) {
                len += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
            }
            if (len > MAX_METADATA) {
                return JsApiError.CONSUMER_METADATA_LENGTH.error((MAX_METADATA / 1024) + "KB");
            }
        }
        if (c.priorityPolicyOrNone() != PriorityPolicy.NONE) {
            if (push) {
                return JsApiError.CONSUMER_PUSH_WITH_PRIORITY_GROUP.error();
            }
            if (c.priorityGroups() == null || c.priorityGroups().isEmpty()) {
                return JsApiError.CONSUMER_PRIORITY_POLICY_WITHOUT_GROUP.error();
            }
            for (String g : c.priorityGroups()) {
                if (empty(g)) {
                    return JsApiError.CONSUMER_EMPTY_GROUP_NAME.error();
                }
                if (!GROUP_NAME.matcher(g).matches()) {
                    return JsApiError.CONSUMER_INVALID_GROUP_NAME.error();
                }
            }
        } else {
            if (c.priorityGroups() != null && !c.priorityGroups().isEmpty()) {
                return JsApiError.CONSUMER_PRIORITY_GROUP_WITH_POLICY_NONE.error();
            }
            if (c.pinnedTtlNanos() > 0) {
                return JsApiError.CONSUMER_PINNED_TTL_WITHOUT_PRIORITY_POLICY_NONE.error();
            }
        }
        if (s.placement() != null && !empty(s.placement().preferred())) {
            return JsApiError.STREAM_INVALID_CONFIG.error("preferred server not permitted in placement");
        }
        return null;
    }

    private static ApiError checkStart(ConsumerConfig c) {
        boolean seq = c.optStartSeq() > 0;
        boolean time = c.optStartTime() != null;
        String dp = switch (c.deliverPolicy()) {
            case ALL -> "all";
            case LAST -> "last";
            case LAST_PER_SUBJECT -> "last per subject";
            case NEW -> "new";
            case BY_START_SEQUENCE -> "by start sequence";
            case BY_START_TIME -> "by start time";
        };
        switch (c.deliverPolicy()) {
            case ALL, LAST, NEW, LAST_PER_SUBJECT -> {
                if (seq) {
                    return badStart(dp, "sequence");
                }
                if (time) {
                    return badStart(dp, "time");
                }
                if (c.deliverPolicy() == DeliverPolicy.LAST_PER_SUBJECT && c.filters().isEmpty()) {
                    return notSet(dp, "filter subject");
                }
            }
            case BY_START_SEQUENCE -> {
                if (!seq) {
                    return notSet(dp, "start sequence");
                }
                if (time) {
                    return badStart(dp, "time");
                }
            }
            case BY_START_TIME -> {
                if (!time) {
                    return notSet(dp, "start time");
                }
                if (c.optStartSeq() != 0) {
                    return badStart(dp, "start sequence");
                }
            }
        }
        return null;
    }

    private static ApiError badStart(String dp, String start) {
        return JsApiError.CONSUMER_INVALID_POLICY.error("consumer delivery policy is deliver " + dp
                + ", but optional start " + start + " is also set");
    }

    private static ApiError notSet(String dp, String what) {
        return JsApiError.CONSUMER_INVALID_POLICY.error("consumer delivery policy is deliver " + dp
                + ", but optional " + what + " is not set");
    }

    /**
     * Why {@code next} may not replace {@code current}, or null when it may ({@code checkNewConsumerConfig}).
     *
     * @param deliverHasInterest whether the current deliver subject has interest
     */
    // nats-server: consumer.go checkNewConsumerConfig
    public static ApiError checkUpdate(ConsumerConfig current, ConsumerConfig next, boolean deliverHasInterest) {
        if (current.equals(next)) {
            return null;
        }
        String why = null;
        if (current.deliverPolicy() != next.deliverPolicy()) {
            why = "deliver policy can not be updated";
        } else if (current.memStorage() != next.memStorage()) {
            why = "storage type can not be updated";
        } else if (current.direct() != next.direct()) {
            why = "direct can not be updated";
        } else if (current.sourcing() != next.sourcing()) {
            why = "sourcing can not be updated";
        } else if (current.optStartSeq() != next.optStartSeq()) {
            why = "start sequence can not be updated";
        } else if (!sameTime(current.optStartTime(), next.optStartTime())) {
            why = "start time can not be updated";
        } else if (current.ackPolicy() != next.ackPolicy()) {
            why = "ack policy can not be updated";
        } else if (current.replayPolicy() != next.replayPolicy()) {
            why = "replay policy can not be updated";
        } else if (current.heartbeatNanos() != next.heartbeatNanos()) {
            why = "heart beats can not be updated";
        } else if (current.flowControl() != next.flowControl()) {
            why = "flow control can not be updated";
        } else if (!Objects.equals(nullIfEmpty(current.deliverSubject()), nullIfEmpty(next.deliverSubject()))) {
            if (!current.isPush()) {
                why = "can not update pull consumer to push based";
            } else if (!next.isPush()) {
                why = "can not update push consumer to pull based";
            } else if (deliverHasInterest) {
                return JsApiError.CONSUMER_NAME_EXIST.error();
            }
        }
        if (why == null && current.maxWaiting() != next.maxWaiting()) {
            why = "max waiting can not be updated";
        }
        if (why != null) {
            return JsApiError.CONSUMER_CREATE.error(why);
        }
        int lbo = next.backoffNanos() == null ? 0 : next.backoffNanos().size();
        if (lbo > 0 && next.maxDeliver() != -1 && lbo > next.maxDeliver()) {
            return JsApiError.CONSUMER_MAX_DELIVER_BACKOFF.error();
        }
        return null;
    }

    private static boolean sameTime(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        return io.jnatsd.server.jetstream.api.GoTimeParse.parse(a)
                .equals(io.jnatsd.server.jetstream.api.GoTimeParse.parse(b));
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    // ---- metadata --------------------------------------------------------------------------------------------------

    /** {@code cfg} with {@code _nats.req.level} set, the dynamic keys removed ({@code setStaticConsumerMetadata}). */
    // nats-server: jetstream_versioning.go setStaticConsumerMetadata
    public static ConsumerConfig withStaticMetadata(ConsumerConfig cfg) {
        Map<String, String> md = cfg.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(cfg.metadata());
        md.remove(StreamConfigChecks.SERVER_VERSION_KEY);
        md.remove(StreamConfigChecks.SERVER_LEVEL_KEY);
        int level = 0;
        if (cfg.pauseUntil() != null && !cfg.pauseUntil().equals(io.jnatsd.common.GoTime.ZERO)) {
            level = 1;
        }
        if (cfg.priorityPolicyOrNone() != PriorityPolicy.NONE || cfg.pinnedTtlNanos() != 0
                || (cfg.priorityGroups() != null && !cfg.priorityGroups().isEmpty())) {
            level = 1;
        }
        if (cfg.ackPolicy() == AckPolicy.FLOW_CONTROL) {
            level = 4;
        }
        md.put(StreamConfigChecks.REQUIRED_LEVEL_KEY, Integer.toString(level));
        ConsumerConfig.Builder b = cfg.toBuilder();
        b.metadata = md;
        return b.build();
    }

    /** {@code cfg} with {@code _nats.ver} and {@code _nats.level}, as responses show it. */
    // nats-server: jetstream_versioning.go setDynamicConsumerMetadata
    public static ConsumerConfig withDynamicMetadata(ConsumerConfig cfg) {
        Map<String, String> md = cfg.metadata() == null ? new HashMap<>() : new HashMap<>(cfg.metadata());
        md.put(StreamConfigChecks.SERVER_VERSION_KEY, JetStream.serverVersion());
        md.put(StreamConfigChecks.SERVER_LEVEL_KEY, Integer.toString(JetStream.API_LEVEL));
        ConsumerConfig.Builder b = cfg.toBuilder();
        b.metadata = md;
        return b.build();
    }

    /** {@code cfg} with the required level of {@code previous} ({@code copyConsumerMetadata}), for comparisons. */
    // nats-server: jetstream_versioning.go copyConsumerMetadata
    public static ConsumerConfig withMetadataOf(ConsumerConfig cfg, ConsumerConfig previous) {
        Map<String, String> md = cfg.metadata() == null ? null : new LinkedHashMap<>(cfg.metadata());
        if (md != null) {
            md.remove(StreamConfigChecks.SERVER_VERSION_KEY);
            md.remove(StreamConfigChecks.SERVER_LEVEL_KEY);
        }
        String prev = previous.metadata() == null ? null
                : previous.metadata().get(StreamConfigChecks.REQUIRED_LEVEL_KEY);
        if (prev != null) {
            if (md == null) {
                md = new LinkedHashMap<>();
            }
            md.put(StreamConfigChecks.REQUIRED_LEVEL_KEY, prev);
        } else if (md != null) {
            md.remove(StreamConfigChecks.REQUIRED_LEVEL_KEY);
            if (md.isEmpty()) {
                md = null;
            }
        }
        ConsumerConfig.Builder b = cfg.toBuilder();
        b.metadata = md;
        return b.build();
    }
}
