package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.jetstream.StreamConfig;

import java.util.List;

import static io.jnatsd.server.jetstream.api.GoStruct.Type;

/**
 * The request bodies of the JetStream API (for everything but consumers) as records, and the Go struct shapes
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
}
