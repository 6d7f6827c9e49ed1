package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamConfig;
import io.jnatsd.server.jetstream.StreamConfigChecks;
import io.jnatsd.server.jetstream.StreamInfo;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.SubjectFilter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream endpoints of the JetStream API, each with nats-server's checks in nats-server's order and its response
 * shapes: {@code STREAM.CREATE/UPDATE/INFO/DELETE/PURGE/NAMES/LIST/MSG.GET/MSG.DELETE}, the clustering-only endpoints
 * (10010 on one server) ({@code server/jetstream_api.go js*Request}); the consumer endpoints are
 * {@link ConsumerApi}'s.
 * <p>
 * Called on the dispatcher's workers; stateless apart from the engine, so thread-safe.
 */
// nats-server: jetstream_api.go jsStream*Request, jsMsg*Request, jsConsumer*Request (standalone paths)
final class StreamApi extends ApiEndpoints {

    private static final NatsLogger LOG = NatsLogger.get(StreamApi.class);
    private static final String PRE = "io.nats.jetstream.api.v1.";
    static final String CREATE = PRE + "stream_create_response";
    static final String UPDATE = PRE + "stream_update_response";
    static final String INFO = PRE + "stream_info_response";
    static final String DELETE = PRE + "stream_delete_response";
    static final String PURGE = PRE + "stream_purge_response";
    static final String NAMES = PRE + "stream_names_response";
    static final String LIST = PRE + "stream_list_response";
    static final String MSG_GET = PRE + "stream_msg_get_response";
    static final String MSG_DELETE = PRE + "stream_msg_delete_response";
    static final String LEADER_STEPDOWN = PRE + "stream_leader_stepdown_response";
    static final String REMOVE_PEER = PRE + "stream_remove_peer_response";
    static final String CONSUMER_LEADER_STEPDOWN = PRE + "consumer_leader_stepdown_response";
    /** Names per page ({@code JSApiNamesLimit}). */
    static final int NAMES_LIMIT = 1024;
    /** Stream infos per page ({@code JSApiListLimit}). */
    static final int LIST_LIMIT = 256;
    /** Subjects per page of {@code state.subjects} ({@code JSMaxSubjectDetails}). */
    static final int MAX_SUBJECT_DETAILS = 100_000;

    StreamApi(JetStream js, ApiResponder responder) {
        super(js, responder);
    }

    /** {@code total}, {@code offset}, {@code limit} ({@code ApiPaged}). */
    record Paged(@JsonProperty("total") int total, @JsonProperty("offset") int offset,
                 @JsonProperty("limit") int limit) {
        static final Paged ZERO = new Paged(0, 0, 0);
    }

    /** {@code did_create} of a create response. */
    record DidCreate(@JsonProperty("did_create") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean didCreate) {
    }

    /** {@code success}. */
    record Success(@JsonProperty("success") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean success) {
    }

    /** {@code success} and {@code purged}. */
    record Purged(@JsonProperty("success") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean success,
                  @JsonProperty("purged") long purged) {
    }

    /** {@code streams} of a names response (null marshals as {@code null}). */
    record Names(@JsonProperty("streams") List<String> streams) {
    }

    /** {@code streams}, {@code missing}, {@code offline} of a list response. */
    record Infos(@JsonProperty("streams") List<StreamInfo> streams,
                 @JsonProperty("missing") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missing,
                 @JsonProperty("offline") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> offline) {
    }

    /** {@code message} of a get response ({@code StoredMsg}). */
    record Message(@JsonProperty("message") StoredMsg message) {
    }

    /**
     * A stored message as {@code STREAM.MSG.GET} shows it.
     *
     * @param subject the subject
     * @param seq     the sequence
     * @param hdrs    the header block (base64), omitted when none or not asked
     * @param data    the payload (base64), omitted when empty
     * @param time    when it was stored
     */
    record StoredMsg(@JsonProperty("subject") String subject, @JsonProperty("seq") long seq,
                     @JsonProperty("hdrs") @JsonInclude(JsonInclude.Include.NON_EMPTY) byte[] hdrs,
                     @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_EMPTY) byte[] data,
                     @JsonProperty("time") String time) {
    }


    // ---- shared checks ---------------------------------------------------------------------------------------------


    private StreamInfo info(Stream s, boolean dynamicMetadata, boolean domain, boolean cluster,
                            StreamInfo.State state) {
        StreamConfig cfg = dynamicMetadata ? StreamConfigChecks.withDynamicMetadata(s.config()) : s.config();
        return new StreamInfo(cfg, StreamInfo.time(s.createdNanos()), state, domain ? js.domain() : null,
                cluster ? new StreamInfo.ClusterInfo(null, js.host().serverName()) : null, StreamInfo.now());
    }

    // ---- create / update -----------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsStreamCreateRequest
    void create(ApiRequest r) {
        JsAccount jsa = begin(r, CREATE);
        if (jsa == null) {
            return;
        }
        StreamConfig cfg = decode(r, CREATE, ApiRequests.STREAM_CONFIG_REQUEST, StreamConfig.class);
        if (cfg == null) {
            return;
        }
        boolean pedantic = pedantic(r);
        cfg = StreamConfigChecks.withStaticMetadata(cfg);
        String name = r.token(4);
        if (!name.equals(cfg.name())) {
            responder.error(r, CREATE, JsApiError.STREAM_MISMATCH.error());
            return;
        }
        if (name.contains("\\") || name.contains("/")) {
            responder.error(r, CREATE, JsApiError.STREAM_NAME_CONTAINS_PATH_SEPARATORS.error());
            return;
        }
        if (cfg.sealed()) {
            responder.error(r, CREATE, JsApiError.STREAM_INVALID_CONFIG.error(
                    "stream configuration for create can not be sealed"));
            return;
        }
        if (cfg.mirrorDirect() && cfg.mirror() == null) {
            responder.error(r, CREATE, JsApiError.STREAM_INVALID_CONFIG.error(
                    "stream has no mirror but does have mirror direct"));
            return;
        }
        ApiError limits = jsa.createLimitsCheck(cfg);
        if (limits != null) {
            responder.error(r, CREATE, limits);
            return;
        }
        Stream stream;
        try {
            stream = jsa.addStream(cfg, pedantic);
        } catch (ApiException e) {
            ApiError err = e.error();
            if (err.is(JsApiError.STREAM_STORE_FAILED)) {
                LOG.warn("Stream create failed for '" + r.account().name() + " > " + name + "': "
                        + err.description());
                err = JsApiError.STREAM_CREATE.error("error creating store for stream");
            }
            responder.error(r, CREATE, err);
            return;
        } catch (RuntimeException e) {
            responder.error(r, CREATE, JsApiError.STREAM_CREATE.error(e.getMessage()));
            return;
        }
        responder.ok(r, CREATE, info(stream, true, false, false, stream.state()), new DidCreate(true));
    }

    private boolean pedantic(ApiRequest r) {
        try {
            return ApiJson.decode(r.body(), ApiRequests.STREAM_CONFIG_REQUEST, ApiRequests.Pedantic.class, false)
                    .pedantic();
        } catch (ApiJson.DecodeException e) {
            return false;
        }
    }

    // nats-server: jetstream_api.go jsStreamUpdateRequest
    void update(ApiRequest r) {
        JsAccount jsa = begin(r, UPDATE);
        if (jsa == null) {
            return;
        }
        StreamConfig requested = decode(r, UPDATE, ApiRequests.STREAM_CONFIG_REQUEST, StreamConfig.class);
        if (requested == null) {
            return;
        }
        boolean pedantic = pedantic(r);
        StreamConfig cfg;
        try {
            cfg = StreamConfigChecks.check(requested, pedantic, jsa.checks());
        } catch (ApiException e) {
            responder.error(r, UPDATE, e.error());
            return;
        }
        if (!r.token(4).equals(cfg.name())) {
            responder.error(r, UPDATE, JsApiError.STREAM_MISMATCH.error());
            return;
        }
        if (jsa.lookup(cfg.name()) == null) {
            responder.error(r, UPDATE, JsApiError.STREAM_NOT_FOUND.error());
            return;
        }
        cfg = StreamConfigChecks.withStaticMetadata(cfg);
        Stream stream;
        try {
            stream = jsa.updateStream(cfg);
        } catch (ApiException e) {
            responder.error(r, UPDATE, e.error());
            return;
        } catch (RuntimeException e) {
            responder.error(r, UPDATE, JsApiError.STREAM_UPDATE.error(e.getMessage()));
            return;
        }
        responder.ok(r, UPDATE, info(stream, true, true, false, stream.state()));
    }

    // ---- names / list / info ---------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsStreamNamesRequest
    void names(ApiRequest r) {
        JsAccount jsa = begin(r, NAMES, Paged.ZERO, new Names(null));
        if (jsa == null) {
            return;
        }
        int offset = 0;
        String filter = "";
        if (ApiJson.isObjectOrArray(r.body())) {
            ApiRequests.StreamNames req = decode(r, NAMES, ApiRequests.STREAM_NAMES, ApiRequests.StreamNames.class,
                    Paged.ZERO, new Names(null));
            if (req == null) {
                return;
            }
            offset = Math.max(req.offset(), 0);
            filter = req.subject() == null ? "" : req.subject();
        }
        List<String> names = new ArrayList<>();
        for (Stream s : jsa.streams(filter)) {
            names.add(s.name());
        }
        names.sort(null);
        int total = names.size();
        offset = Math.min(offset, total);
        List<String> page = null;
        for (String n : names.subList(offset, total)) {
            if (page == null) {
                page = new ArrayList<>();
            }
            page.add(n);
            if (page.size() >= NAMES_LIMIT) {
                break;
            }
        }
        responder.ok(r, NAMES, new Paged(total, offset, NAMES_LIMIT), new Names(page));
    }

    // nats-server: jetstream_api.go jsStreamListRequest
    void list(ApiRequest r) {
        JsAccount jsa = begin(r, LIST, Paged.ZERO, new Infos(List.of(), null, null));
        if (jsa == null) {
            return;
        }
        int offset = 0;
        String filter = "";
        if (ApiJson.isObjectOrArray(r.body())) {
            ApiRequests.StreamNames req = decode(r, LIST, ApiRequests.STREAM_LIST, ApiRequests.StreamNames.class,
                    Paged.ZERO, new Infos(List.of(), null, null));
            if (req == null) {
                return;
            }
            offset = Math.max(req.offset(), 0);
            filter = req.subject() == null ? "" : req.subject();
        }
        List<Stream> streams = jsa.streams(filter);
        int total = streams.size();
        offset = Math.min(offset, total);
        List<StreamInfo> infos = new ArrayList<>();
        for (Stream s : streams.subList(offset, total)) {
            infos.add(info(s, false, true, false, s.state()));
            if (infos.size() >= LIST_LIMIT) {
                break;
            }
        }
        responder.ok(r, LIST, new Paged(total, offset, LIST_LIMIT), new Infos(infos, null, null));
    }

    // nats-server: jetstream_api.go jsStreamInfoRequest
    void info(ApiRequest r) {
        JsAccount jsa = begin(r, INFO, Paged.ZERO);
        if (jsa == null) {
            return;
        }
        boolean details = false;
        String subjects = "";
        int offset = 0;
        if (ApiJson.isObjectOrArray(r.body())) {
            ApiRequests.StreamInfo req = decode(r, INFO, ApiRequests.STREAM_INFO, ApiRequests.StreamInfo.class,
                    Paged.ZERO);
            if (req == null) {
                return;
            }
            details = req.deletedDetails();
            subjects = req.subjectsFilter() == null ? "" : req.subjectsFilter();
            offset = Math.max(req.offset(), 0);
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, INFO, JsApiError.STREAM_NOT_FOUND.error(), Paged.ZERO);
            return;
        }
        StreamInfo.State state = details ? stream.detailedState() : stream.state();
        Paged paged = Paged.ZERO;
        if (!subjects.isEmpty()) {
            Map<String, Long> totals = stream.store().subjectsTotals(subjects);
            int n = totals.size();
            if (n > 0) {
                paged = new Paged(n, offset, MAX_SUBJECT_DETAILS);
                if (offset == 0 && n <= MAX_SUBJECT_DETAILS) {
                    state = state.withSubjects(new TreeMap<>(totals));
                } else {
                    List<String> keys = new ArrayList<>(totals.keySet());
                    keys.sort(null);
                    int from = Math.min(offset, keys.size());
                    int to = Math.min(from + MAX_SUBJECT_DETAILS, keys.size());
                    Map<String, Long> page = new LinkedHashMap<>();
                    for (String k : keys.subList(from, to)) {
                        page.put(k, totals.get(k));
                    }
                    state = state.withSubjects(page.isEmpty() ? null : page);
                    paged = new Paged(n, from, MAX_SUBJECT_DETAILS);
                }
            }
        }
        String type = "create".equals(io.jnatsd.store.NatsHeaders.value(r.header(), "Nats-Response-Type")) ? CREATE
                : INFO;
        responder.ok(r, type, paged, info(stream, true, true, true, state));
    }

    // ---- delete / purge ------------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsStreamDeleteRequest
    void delete(ApiRequest r) {
        Stream stream = streamOfEmptyRequest(r, DELETE);
        if (stream == null) {
            return;
        }
        try {
            stream.account().deleteStream(stream);
        } catch (RuntimeException e) {
            responder.error(r, DELETE, ApiException.unless(e, JsApiError.STREAM_DELETE));
            return;
        }
        responder.ok(r, DELETE, new Success(true));
    }

    // nats-server: jetstream_api.go jsStreamPurgeRequest
    void purge(ApiRequest r) {
        Purged zero = new Purged(false, 0);
        JsAccount jsa = begin(r, PURGE, zero);
        if (jsa == null) {
            return;
        }
        ApiRequests.StreamPurge req = null;
        if (ApiJson.isObjectOrArray(r.body())) {
            req = decode(r, PURGE, ApiRequests.STREAM_PURGE, ApiRequests.StreamPurge.class, zero);
            if (req == null) {
                return;
            }
            if (req.seq() > 0 && req.keep() > 0) {
                responder.error(r, PURGE, JsApiError.BAD_REQUEST.error(), zero);
                return;
            }
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, PURGE, JsApiError.STREAM_NOT_FOUND.error(), zero);
            return;
        }
        if (stream.config().sealed()) {
            responder.error(r, PURGE, JsApiError.STREAM_SEALED.error(), zero);
            return;
        }
        if (stream.config().denyPurge()) {
            responder.error(r, PURGE, JsApiError.STREAM_PURGE_FAILED.error("stream purge not permitted"), zero);
            return;
        }
        try {
            long purged = req == null ? stream.purge("", 0, 0)
                    : stream.purge(req.filter() == null ? "" : req.filter(), req.seq(), req.keep());
            responder.ok(r, PURGE, new Purged(true, purged));
        } catch (RuntimeException e) {
            // nats-server answers with sendAPIResponse: not counted as an error
            responder.send(r, ApiJson.response(PURGE, ApiException.unless(e, JsApiError.STREAM_GENERAL_ERROR), zero),
                    false);
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsMsgDeleteRequest
    void msgDelete(ApiRequest r) {
        JsAccount jsa = begin(r, MSG_DELETE);
        if (jsa == null) {
            return;
        }
        if (ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, MSG_DELETE, JsApiError.BAD_REQUEST.error());
            return;
        }
        ApiRequests.MsgDelete req = decode(r, MSG_DELETE, ApiRequests.MSG_DELETE, ApiRequests.MsgDelete.class);
        if (req == null) {
            return;
        }
        Stream stream = jsa.lookup(r.token(5));
        if (stream == null) {
            responder.error(r, MSG_DELETE, JsApiError.STREAM_NOT_FOUND.error());
            return;
        }
        if (stream.config().sealed()) {
            responder.error(r, MSG_DELETE, JsApiError.STREAM_SEALED.error());
            return;
        }
        if (stream.config().denyDelete()) {
            responder.error(r, MSG_DELETE, JsApiError.STREAM_MSG_DELETE_FAILED.error("message delete not permitted"));
            return;
        }
        ApiError error;
        try {
            boolean removed = stream.deleteMessage(req.seq(), req.noErase());
            error = removed ? null : JsApiError.SEQUENCE_NOT_FOUND.error(Long.toUnsignedString(req.seq()));
        } catch (RuntimeException e) {
            error = JsApiError.STREAM_MSG_DELETE_FAILED.error(e.getMessage());
        }
        // nats-server answers with sendAPIResponse either way: not counted as an error
        responder.send(r, ApiJson.response(MSG_DELETE, error, new Success(error == null)), false);
    }

    // nats-server: jetstream_api.go jsMsgGetRequest
    void msgGet(ApiRequest r) {
        JsAccount jsa = begin(r, MSG_GET);
        if (jsa == null) {
            return;
        }
        if (ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, MSG_GET, JsApiError.BAD_REQUEST.error());
            return;
        }
        ApiRequests.MsgGet req = decode(r, MSG_GET, ApiRequests.MSG_GET, ApiRequests.MsgGet.class);
        if (req == null) {
            return;
        }
        if (req.batch() > 0 || req.maxBytes() > 0) {
            responder.error(r, MSG_GET, JsApiError.BAD_REQUEST.error());
            return;
        }
        boolean last = !req.lastBySubj().isEmpty();
        boolean next = !req.nextBySubj().isEmpty();
        if ((req.seq() != 0 && last) || (req.seq() == 0 && !last && !next && req.startTime() == null)
                || (req.seq() != 0 && req.startTime() != null) || (req.startTime() != null && last)
                || (last && next)) {
            responder.error(r, MSG_GET, JsApiError.BAD_REQUEST.error());
            return;
        }
        Stream stream = jsa.lookup(r.token(5));
        if (stream == null) {
            responder.error(r, MSG_GET, JsApiError.STREAM_NOT_FOUND.error());
            return;
        }
        StoredMessage sm;
        stream.isolation().readLock().lock();
        try {
            StreamStore store = stream.store();
            long seq = req.seq();
            if (req.startTime() != null) {
                Instant t = GoTimeParse.parse(req.startTime());
                seq = store.sequenceFromTime(t.getEpochSecond() * 1_000_000_000L + t.getNano());
            }
            if (seq != 0 && !next) {
                sm = store.loadMessage(seq, null);
            } else if (next) {
                sm = store.loadNextMessage(SubjectFilter.of(req.nextBySubj()), seq, null);
            } else {
                sm = store.loadLastMessage(req.lastBySubj(), null);
            }
        } finally {
            stream.isolation().readLock().unlock();
        }
        if (sm == null) {
            responder.error(r, MSG_GET, JsApiError.NO_MESSAGE_FOUND.error());
            return;
        }
        StoredMsg m = new StoredMsg(sm.subject(), sm.sequence(), req.noHeaders() ? null : sm.header(),
                sm.payload(), StreamInfo.time(sm.timestampNanos()));
        responder.sendUntracked(r, ApiJson.response(MSG_GET, null, new Message(m)));
    }

    // ---- snapshot / restore --------------------------------------------------------------------------------------

    static final String SNAPSHOT = PRE + "stream_snapshot_response";
    static final String RESTORE = PRE + "stream_restore_response";

    /** {@code config} and {@code state} of a snapshot response. */
    record SnapshotResult(@JsonProperty("config") StreamConfig config, @JsonProperty("state") StreamInfo.State state) {
    }

    /** {@code deliver_subject} of a restore response. */
    record RestoreResult(@JsonProperty("deliver_subject") String deliverSubject) {
    }

    // nats-server: jetstream_api.go jsStreamSnapshotRequest
    void snapshot(ApiRequest r) {
        JsAccount jsa = begin(r, SNAPSHOT);
        if (jsa == null) {
            return;
        }
        if (ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, SNAPSHOT, JsApiError.BAD_REQUEST.error());
            return;
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, SNAPSHOT, JsApiError.STREAM_NOT_FOUND.error());
            return;
        }
        ApiRequests.StreamSnapshot req = decode(r, SNAPSHOT, ApiRequests.STREAM_SNAPSHOT,
                ApiRequests.StreamSnapshot.class);
        if (req == null) {
            return;
        }
        String deliver = req.deliverSubject() == null ? "" : req.deliverSubject();
        if (!io.jnatsd.subject.Subjects.isValidPublishSubject(deliver)) {
            responder.error(r, SNAPSHOT, JsApiError.SNAPSHOT_DELIVER_SUBJECT_INVALID.error());
            return;
        }
        Thread.ofVirtual().name("jnatsd-js-snapshot").start(() -> js.snapshots().snapshot(stream, r.client(),
                deliver, req.noConsumers(), req.chunkSize(), req.windowSize(), result -> {
                    if (result instanceof ApiError err) {
                        responder.error(r, SNAPSHOT, err);
                    } else {
                        responder.ok(r, SNAPSHOT, new SnapshotResult(stream.config(), (StreamInfo.State) result));
                    }
                }));
    }

    // nats-server: jetstream_api.go jsStreamRestoreRequest
    void restore(ApiRequest r) {
        JsAccount jsa = begin(r, RESTORE);
        if (jsa == null) {
            return;
        }
        if (ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, RESTORE, JsApiError.BAD_REQUEST.error());
            return;
        }
        ApiRequests.StreamRestore req = decode(r, RESTORE, ApiRequests.STREAM_RESTORE,
                ApiRequests.StreamRestore.class);
        if (req == null) {
            return;
        }
        String name = r.token(4);
        StreamConfig requested = req.config() == null ? StreamConfig.builder().build() : req.config();
        if (requested.name() == null || requested.name().isEmpty()) {
            requested = requested.toBuilder().name(name).build();
        }
        if (!name.equals(requested.name())) {
            responder.error(r, RESTORE, JsApiError.STREAM_MISMATCH.error());
            return;
        }
        if (name.contains("\\") || name.contains("/")) {
            responder.error(r, RESTORE, JsApiError.STREAM_NAME_CONTAINS_PATH_SEPARATORS.error());
            return;
        }
        StreamConfig cfg;
        try {
            cfg = StreamConfigChecks.withStaticMetadata(StreamConfigChecks.check(requested, false, jsa.checks()));
        } catch (ApiException e) {
            responder.error(r, RESTORE, e.error());
            return;
        }
        ApiError limits = jsa.createLimitsCheck(cfg);
        if (limits != null) {
            responder.error(r, RESTORE, limits);
            return;
        }
        if (jsa.lookup(name) != null) {
            responder.error(r, RESTORE, JsApiError.STREAM_NAME_EXIST_RESTORE_FAILED.error());
            return;
        }
        String subject;
        try {
            subject = js.snapshots().restore(jsa, cfg, r.client(), (reply, response) ->
                    jsa.client().publishInternal(reply, null, null, response));
        } catch (java.io.IOException e) {
            responder.error(r, RESTORE, JsApiError.RESTORE_SUBSCRIBE_FAILED.error("", e.getMessage()));
            return;
        }
        responder.ok(r, RESTORE, new RestoreResult(subject));
    }

    // ---- clustering only -------------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsStreamLeaderStepDownRequest, jsConsumerLeaderStepDownRequest (not clustered)
    void leaderStepDown(ApiRequest r) {
        String type = r.token(2).equals("CONSUMER") ? CONSUMER_LEADER_STEPDOWN : LEADER_STEPDOWN;
        if (begin(r, type) != null) {
            responder.error(r, type, JsApiError.CLUSTER_REQUIRED.error());
        }
    }

    // nats-server: jetstream_api.go jsStreamRemapPeerRequest (not clustered)
    void peerRemove(ApiRequest r) {
        if (begin(r, REMOVE_PEER) != null) {
            responder.error(r, REMOVE_PEER, JsApiError.CLUSTER_REQUIRED.error());
        }
    }

    // nats-server: jetstream_api.go jsStreamCancelMoveRequest (not clustered)
    void cancelMove(ApiRequest r) {
        if (begin(r, UPDATE) != null) {
            responder.error(r, UPDATE, JsApiError.CLUSTER_REQUIRED.error());
        }
    }
}
