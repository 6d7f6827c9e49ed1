package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.jetstream.StreamConfig;

import java.util.List;

import static io.jnatsd.server.jetstream.api.GoStruct.Type;

/**
 * The request bodies of the JetStream API as records, and the Go struct shapes
 * {@link ApiJson} checks them against ({@code server/jetstream_api.go JSApi*Request}, {@code server/stream.go
 * StreamConfig}). Stateless.
 */
// nats-server: jetstream_api.go request types, stream.go StreamConfigRequest
public final class ApiRequests {

    private ApiRequests() {
    }

    static final GoStruct SUBJECT_TRANSFORM = GoStruct.named("SubjectTransformConfig")
            .field("src", Type.STRING).field("dest", Type.STRING);
    static final GoStruct PLACEMENT = GoStruct.named("Placement")
            .field("cluster", Type.STRING).field("tags", Type.STRING_LIST).field("preferred", Type.STRING);
    static final GoStruct EXTERNAL = GoStruct.named("ExternalStream")
            .field("api", Type.STRING).field("deliver", Type.STRING);
    static final GoStruct CONSUMER_SOURCE = GoStruct.named("StreamConsumerSource")
            .field("name", Type.STRING).field("deliver_subject", Type.STRING);
    static final GoStruct STREAM_SOURCE = GoStruct.named("StreamSource")
            .field("name", Type.STRING).field("opt_start_seq", Type.UINT64).field("opt_start_time", Type.TIME)
            .field("filter_subject", Type.STRING).field("subject_transforms", Type.structList(SUBJECT_TRANSFORM))
            .field("external", Type.struct(EXTERNAL)).field("consumer", Type.struct(CONSUMER_SOURCE));
    static final GoStruct REPUBLISH = GoStruct.named("RePublish")
            .field("src", Type.STRING).field("dest", Type.STRING).field("headers_only", Type.BOOL);
    static final GoStruct CONSUMER_LIMITS = GoStruct.named("StreamConsumerLimits")
            .field("inactive_threshold", Type.DURATION).field("max_ack_pending", Type.INT);

    private static GoStruct streamConfigFields(String name) {
        return GoStruct.named(name)
                .field("name", Type.STRING)
                .field("description", Type.STRING)
                .field("subjects", Type.STRING_LIST)
                .field("retention", Type.custom("server.RetentionPolicy",
                        ApiJson.enumCheck(false, "limits", "interest", "workqueue")))
                .field("max_consumers", Type.INT)
                .field("max_msgs", Type.INT64)
                .field("max_bytes", Type.INT64)
                .field("max_age", Type.DURATION)
                .field("max_msgs_per_subject", Type.INT64)
                .field("max_msg_size", Type.INT32)
                .field("discard", Type.custom("server.DiscardPolicy", ApiJson.enumCheck(true, "old", "new")))
                .field("storage", Type.custom("server.StorageType", ApiJson.enumCheck(false, "file", "memory")))
                .field("num_replicas", Type.INT)
                .field("no_ack", Type.BOOL)
                .field("duplicate_window", Type.DURATION)
                .field("placement", Type.struct(PLACEMENT))
                .field("mirror", Type.struct(STREAM_SOURCE))
                .field("sources", Type.structList(STREAM_SOURCE))
                .field("compression", Type.custom("server.StoreCompression", ApiRequests::checkCompression))
                .field("first_seq", Type.UINT64)
                .field("subject_transform", Type.struct(SUBJECT_TRANSFORM))
                .field("republish", Type.struct(REPUBLISH))
                .field("allow_direct", Type.BOOL)
                .field("mirror_direct", Type.BOOL)
                .field("discard_new_per_subject", Type.BOOL)
                .field("sealed", Type.BOOL)
                .field("deny_delete", Type.BOOL)
                .field("deny_purge", Type.BOOL)
                .field("allow_rollup_hdrs", Type.BOOL)
                .field("consumer_limits", Type.struct(CONSUMER_LIMITS))
                .field("allow_msg_ttl", Type.BOOL)
                .field("subject_delete_marker_ttl", Type.DURATION)
                .field("allow_msg_counter", Type.BOOL)
                .field("allow_atomic", Type.BOOL)
                .field("allow_msg_schedules", Type.BOOL)
                .field("persist_mode", Type.custom("server.PersistModeType",
                        ApiJson.enumCheck(false, "default", "async", "")))
                .field("allow_batched", Type.BOOL)
                .field("metadata", Type.STRING_MAP);
    }

    // nats-server: filestore.go StoreCompression.UnmarshalJSON (a string first, then the names)
    private static String checkCompression(String raw) {
        if (raw.equals("null")) {
            return "unknown compression algorithm";
        }
        String s = ApiJson.stringValue(raw);
        if (s == null) {
            String kind = raw.startsWith("{") ? "object" : raw.startsWith("[") ? "array"
                    : raw.equals("true") || raw.equals("false") ? "bool" : "number";
            return "json: cannot unmarshal " + kind + " into Go value of type string";
        }
        return s.equals("s2") || s.equals("none") ? null : "unknown compression algorithm";
    }

    /** {@code StreamConfig} as a nested field. */
    static final GoStruct STREAM_CONFIG = streamConfigFields("StreamConfig");
    /** {@code StreamConfigRequest}: the stream configuration plus {@code pedantic}. */
    public static final GoStruct STREAM_CONFIG_REQUEST = streamConfigFields("StreamConfigRequest")
            .field("pedantic", Type.BOOL);

    /** {@code JSApiStreamNamesRequest} / {@code JSApiStreamListRequest}. */
    public static final GoStruct STREAM_NAMES = GoStruct.named("JSApiStreamNamesRequest")
            .field("offset", Type.INT).field("subject", Type.STRING);
    /** {@code JSApiStreamListRequest}. */
    public static final GoStruct STREAM_LIST = GoStruct.named("JSApiStreamListRequest")
            .field("offset", Type.INT).field("subject", Type.STRING);
    /** {@code JSApiStreamInfoRequest}. */
    public static final GoStruct STREAM_INFO = GoStruct.named("JSApiStreamInfoRequest")
            .field("offset", Type.INT).field("deleted_details", Type.BOOL).field("subjects_filter", Type.STRING);
    /** {@code JSApiStreamPurgeRequest}. */
    public static final GoStruct STREAM_PURGE = GoStruct.named("JSApiStreamPurgeRequest")
            .field("seq", Type.UINT64).field("filter", Type.STRING).field("keep", Type.UINT64);
    /** {@code JSApiMsgDeleteRequest}. */
    public static final GoStruct MSG_DELETE = GoStruct.named("JSApiMsgDeleteRequest")
            .field("seq", Type.UINT64).field("no_erase", Type.BOOL);
    /** {@code JSApiMsgGetRequest}. */
    public static final GoStruct MSG_GET = GoStruct.named("JSApiMsgGetRequest")
            .field("seq", Type.UINT64).field("last_by_subj", Type.STRING).field("next_by_subj", Type.STRING)
            .field("batch", Type.INT).field("max_bytes", Type.INT).field("start_time", Type.TIME)
            .field("multi_last", Type.STRING_LIST).field("up_to_seq", Type.UINT64).field("up_to_time", Type.TIME)
            .field("no_hdr", Type.BOOL);
    /** {@code JSApiStreamSnapshotRequest}. */
    public static final GoStruct STREAM_SNAPSHOT = GoStruct.named("JSApiStreamSnapshotRequest")
            .field("deliver_subject", Type.STRING).field("no_consumers", Type.BOOL).field("chunk_size", Type.INT)
            .field("window_size", Type.INT).field("jsck", Type.BOOL);
    static final GoStruct LOST_DATA = GoStruct.named("LostStreamData")
            .field("msgs", Type.custom("[]uint64", raw -> null)).field("bytes", Type.UINT64);
    static final GoStruct STREAM_STATE = GoStruct.named("StreamState")
            .field("messages", Type.UINT64).field("bytes", Type.UINT64).field("first_seq", Type.UINT64)
            .field("first_ts", Type.TIME).field("last_seq", Type.UINT64).field("last_ts", Type.TIME)
            .field("num_subjects", Type.INT).field("subjects", Type.custom("map[string]uint64", raw -> null))
            .field("num_deleted", Type.INT).field("deleted", Type.custom("[]uint64", raw -> null))
            .field("lost", Type.struct(LOST_DATA)).field("consumer_count", Type.INT);
    /** {@code JSApiStreamRestoreRequest}. */
    public static final GoStruct STREAM_RESTORE = GoStruct.named("JSApiStreamRestoreRequest")
            .field("config", Type.struct(STREAM_CONFIG)).field("state", Type.struct(STREAM_STATE));

    /** {@code pedantic} of a stream configuration request. */
    public record Pedantic(@JsonProperty("pedantic") boolean pedantic) {
    }

    /**
     * {@code STREAM.NAMES} / {@code STREAM.LIST}.
     *
     * @param offset  the first result
     * @param subject only streams whose subjects collide with this one
     */
    public record StreamNames(@JsonProperty("offset") int offset, @JsonProperty("subject") String subject) {
    }

    /**
     * {@code STREAM.INFO}.
     *
     * @param offset         the first subject of {@code state.subjects}
     * @param deletedDetails list the deleted sequences
     * @param subjectsFilter report the subjects matching this filter with their counts
     */
    public record StreamInfo(@JsonProperty("offset") int offset,
                             @JsonProperty("deleted_details") boolean deletedDetails,
                             @JsonProperty("subjects_filter") String subjectsFilter) {
    }

    /**
     * {@code STREAM.PURGE}.
     *
     * @param seq    remove below this sequence (0: no bound)
     * @param filter only this subject (wildcards allowed)
     * @param keep   keep this many of the newest
     */
    public record StreamPurge(@JsonProperty("seq") long seq, @JsonProperty("filter") String filter,
                              @JsonProperty("keep") long keep) {
    }

    /**
     * {@code STREAM.MSG.DELETE}.
     *
     * @param seq     the sequence
     * @param noErase remove without overwriting
     */
    public record MsgDelete(@JsonProperty("seq") long seq, @JsonProperty("no_erase") boolean noErase) {
    }

    /**
     * {@code STREAM.MSG.GET} and {@code DIRECT.GET}.
     *
     * @param seq        by sequence
     * @param lastBySubj the last message of a subject
     * @param nextBySubj the next message of a subject at or after {@code seq}
     * @param batch      direct get: how many
     * @param maxBytes   direct get: at most this many bytes
     * @param startTime  the first message at or after this time (RFC 3339), or null
     * @param multiLast  direct get: the last message of each matching subject
     * @param upToSeq    direct get multi last: up to this sequence
     * @param upToTime   direct get multi last: up to this time, or null
     * @param noHeaders  leave the headers out
     */
    public record MsgGet(@JsonProperty("seq") long seq, @JsonProperty("last_by_subj") String lastBySubj,
                         @JsonProperty("next_by_subj") String nextBySubj, @JsonProperty("batch") int batch,
                         @JsonProperty("max_bytes") int maxBytes, @JsonProperty("start_time") String startTime,
                         @JsonProperty("multi_last") List<String> multiLast,
                         @JsonProperty("up_to_seq") long upToSeq, @JsonProperty("up_to_time") String upToTime,
                         @JsonProperty("no_hdr") boolean noHeaders) {

        public MsgGet {
            lastBySubj = lastBySubj == null ? "" : lastBySubj;
            nextBySubj = nextBySubj == null ? "" : nextBySubj;
        }
    }

    /**
     * {@code STREAM.SNAPSHOT}.
     *
     * @param deliverSubject where the chunks go
     * @param noConsumers    leave consumers out
     * @param chunkSize      bytes per chunk
     * @param windowSize     bytes in flight
     * @param checkMsgs      check the messages first
     */
    public record StreamSnapshot(@JsonProperty("deliver_subject") String deliverSubject,
                                 @JsonProperty("no_consumers") boolean noConsumers,
                                 @JsonProperty("chunk_size") int chunkSize,
                                 @JsonProperty("window_size") int windowSize,
                                 @JsonProperty("jsck") boolean checkMsgs) {
    }

    /**
     * {@code STREAM.RESTORE}.
     *
     * @param config the stream configuration to restore
     */
    public record StreamRestore(@JsonProperty("config") StreamConfig config) {
    }

    // ---- consumers ---------------------------------------------------------------------------------------------

    // nats-server: consumer.go ConsumerConfig (store.go UnmarshalJSON of the policies)
    static final GoStruct CONSUMER_CONFIG = GoStruct.named("ConsumerConfig")
            .field("durable_name", Type.STRING)
            .field("name", Type.STRING)
            .field("description", Type.STRING)
            .field("deliver_policy", Type.custom("server.DeliverPolicy", ApiJson.enumCheck(false, "all", "last",
                    "new", "by_start_sequence", "by_start_time", "last_per_subject", "undefined")))
            .field("opt_start_seq", Type.UINT64)
            .field("opt_start_time", Type.TIME)
            .field("ack_policy", Type.custom("server.AckPolicy", ApiJson.enumCheck(false, "none", "all", "explicit",
                    "flow_control")))
            .field("ack_wait", Type.DURATION)
            .field("max_deliver", Type.INT)
            .field("backoff", Type.custom("[]time.Duration", ApiRequests::checkDurations))
            .field("filter_subject", Type.STRING)
            .field("filter_subjects", Type.STRING_LIST)
            .field("replay_policy", Type.custom("server.ReplayPolicy", ApiJson.enumCheck(false, "instant",
                    "original")))
            .field("rate_limit_bps", Type.UINT64)
            .field("sample_freq", Type.STRING)
            .field("max_waiting", Type.INT)
            .field("max_ack_pending", Type.INT)
            .field("flow_control", Type.BOOL)
            .field("headers_only", Type.BOOL)
            .field("max_batch", Type.INT)
            .field("max_expires", Type.DURATION)
            .field("max_bytes", Type.INT)
            .field("deliver_subject", Type.STRING)
            .field("deliver_group", Type.STRING)
            .field("idle_heartbeat", Type.DURATION)
            .field("inactive_threshold", Type.DURATION)
            .field("num_replicas", Type.INT)
            .field("mem_storage", Type.BOOL)
            .field("direct", Type.BOOL)
            .field("sourcing", Type.BOOL)
            .field("metadata", Type.STRING_MAP)
            .field("pause_until", Type.TIME)
            .field("priority_groups", Type.STRING_LIST)
            .field("priority_policy", Type.custom("server.PriorityPolicy", raw -> switch (raw) {
                case "\"none\"", "\"overflow\"", "\"pinned_client\"", "\"prioritized\"" -> null;
                default -> "unknown priority policy: " + raw;
            }))
            .field("priority_timeout", Type.DURATION);

    /** {@code CreateConsumerRequest}. */
    public static final GoStruct CONSUMER_CREATE = GoStruct.named("CreateConsumerRequest")
            .field("stream_name", Type.STRING)
            .field("config", Type.struct(CONSUMER_CONFIG))
            .field("action", Type.custom("server.ConsumerAction", raw -> switch (raw) {
                case "\"\"", "\"create\"", "\"update\"" -> null;
                default -> "unknown consumer action: " + raw;
            }))
            .field("pedantic", Type.BOOL);
    /** {@code JSApiConsumersRequest}. */
    public static final GoStruct CONSUMERS = GoStruct.named("JSApiConsumersRequest").field("offset", Type.INT);
    /** {@code JSApiConsumerPauseRequest}. */
    public static final GoStruct CONSUMER_PAUSE = GoStruct.named("JSApiConsumerPauseRequest")
            .field("pause_until", Type.TIME);
    /** {@code JSApiConsumerUnpinRequest}. */
    public static final GoStruct CONSUMER_UNPIN = GoStruct.named("JSApiConsumerUnpinRequest")
            .field("group", Type.STRING);
    /** {@code JSApiConsumerResetRequest}. */
    public static final GoStruct CONSUMER_RESET = GoStruct.named("JSApiConsumerResetRequest")
            .field("seq", Type.UINT64);
    /** {@code JSApiConsumerGetNextRequest} with the embedded {@code PriorityGroup}. */
    public static final GoStruct NEXT_REQUEST = GoStruct.named("JSApiConsumerGetNextRequest")
            .field("expires", Type.DURATION).field("batch", Type.INT).field("max_bytes", Type.INT)
            .field("no_wait", Type.BOOL).field("idle_heartbeat", Type.DURATION)
            .field("group", Type.STRING).field("min_pending", Type.INT64).field("min_ack_pending", Type.INT64)
            .field("id", Type.STRING).field("priority", Type.INT);

    // json: a []time.Duration value: null or an array of integers
    private static String checkDurations(String raw) {
        String s = raw.trim();
        if (s.equals("null") || s.equals("[...]")) {
            return null;                       // an array: its elements are checked when it is bound
        }
        if (!s.startsWith("[")) {
            String kind = s.startsWith("{") ? "object" : s.startsWith("\"") ? "string"
                    : s.equals("true") || s.equals("false") ? "bool" : "number";
            return "json: cannot unmarshal " + kind + " into Go struct field ConsumerConfig.config.backoff of type "
                    + "[]time.Duration";
        }
        String body = s.substring(1, s.length() - 1).trim();
        if (body.isEmpty()) {
            return null;
        }
        for (String part : body.split(",")) {
            String v = part.trim();
            if (!v.matches("-?[0-9]+")) {
                String kind = v.startsWith("\"") ? "string" : v.startsWith("{") ? "object"
                        : v.startsWith("[") ? "array" : v.equals("true") || v.equals("false") ? "bool" : "number";
                return "json: cannot unmarshal " + kind + " into Go struct field ConsumerConfig.config.backoff of "
                        + "type time.Duration";
            }
        }
        return null;
    }

    /** Decodes a pull request body as {@code json.Unmarshal} does (lenient: unknown fields ignored). */
    public static NextRequest decodeNext(byte[] body) throws ApiJson.DecodeException {
        return ApiJson.decode(body, NEXT_REQUEST, NextRequest.class, false);
    }

    /**
     * {@code CreateConsumerRequest}.
     *
     * @param stream   stream_name
     * @param config   the consumer configuration
     * @param action   {@code ""}, {@code create} or {@code update}
     * @param pedantic refuse defaults that would change the configuration
     */
    public record ConsumerCreate(@JsonProperty("stream_name") String stream,
                                 @JsonProperty("config") io.jnatsd.server.jetstream.consumer.ConsumerConfig config,
                                 @JsonProperty("action") String action, @JsonProperty("pedantic") boolean pedantic) {
    }

    /**
     * {@code JSApiConsumerGetNextRequest}: a pull request.
     *
     * @param expiresNanos   when the request expires (0: never)
     * @param batch          how many messages
     * @param maxBytes       at most this many bytes
     * @param noWait         answer at once when nothing is there
     * @param heartbeatNanos idle heartbeat interval
     * @param group          priority group
     * @param minPending     overflow: serve only with this many pending
     * @param minAckPending  overflow: serve only with this many awaiting acks
     * @param id             pin id
     * @param priority       prioritized: 0 (first) to 9
     */
    public record NextRequest(@JsonProperty("expires") long expiresNanos, @JsonProperty("batch") int batch,
                              @JsonProperty("max_bytes") int maxBytes, @JsonProperty("no_wait") boolean noWait,
                              @JsonProperty("idle_heartbeat") long heartbeatNanos,
                              @JsonProperty("group") String group, @JsonProperty("min_pending") long minPending,
                              @JsonProperty("min_ack_pending") long minAckPending, @JsonProperty("id") String id,
                              @JsonProperty("priority") int priority) {
    }

    /** {@code pause_until} of a pause request (null: resume). */
    public record ConsumerPause(@JsonProperty("pause_until") String pauseUntil) {
    }

    /** {@code group} of an unpin request. */
    public record ConsumerUnpin(@JsonProperty("group") String group) {
    }

    /** {@code seq} of a reset request. */
    public record ConsumerReset(@JsonProperty("seq") long seq) {
    }
}
