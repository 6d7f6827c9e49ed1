package io.jnatsd.server.jetstream;

import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectTransform;
import io.jnatsd.subject.transform.SubjectTransformException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A stream configuration's defaults and validation with nats-server's errors ({@code checkStreamCfgLocked}), the rules
 * of an update ({@code configUpdateCheckLocked}) and the server-set metadata ({@code jetstream_versioning.go}).
 * Stateless; thread-safe.
 */
// nats-server: stream.go checkStreamCfgLocked, configUpdateCheckLocked; jetstream_versioning.go
public final class StreamConfigChecks {

    /** Longest stream name ({@code JSMaxNameLen}). */
    public static final int MAX_NAME_LENGTH = 255;
    /** Longest description ({@code JSMaxDescriptionLen}). */
    public static final int MAX_DESCRIPTION_LENGTH = 4 * 1024;
    /** Largest metadata, keys and values together ({@code JSMaxMetadataLen}). */
    public static final int MAX_METADATA_LENGTH = 128 * 1024;
    /** Most replicas ({@code StreamMaxReplicas}). */
    public static final int MAX_REPLICAS = 5;
    /** Default dedupe window ({@code StreamDefaultDuplicatesWindow}). */
    public static final long DEFAULT_DUPLICATES_NANOS = 120_000_000_000L;
    private static final long MS_100 = 100_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** Metadata key: the API level the stream's features need. */
    public static final String REQUIRED_LEVEL_KEY = "_nats.req.level";
    /** Metadata key: the server version (responses only). */
    public static final String SERVER_VERSION_KEY = "_nats.ver";
    /** Metadata key: the server's API level (responses only). */
    public static final String SERVER_LEVEL_KEY = "_nats.level";

    private StreamConfigChecks() {
    }

    /** Whether {@code name} is a valid asset name: non-empty, no whitespace, {@code . * > \ /}. */
    // nats-server: jetstream.go isValidAssetName
    public static boolean isValidAssetName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            switch (name.charAt(i)) {
                case ' ', '\t', '\r', '\n', '\f', '.', '*', '>', '\\', '/' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    private static ApiException invalid(String text) {
        return JsApiError.STREAM_INVALID_CONFIG.error(text).toException();
    }

    private static ApiException pedanticError(String text) {
        return JsApiError.PEDANTIC.error(text).toException();
    }

    /** What the checks need to know about existing streams and the account. */
    public interface Context {

        /** The configuration of stream {@code name} of the account, or null. */
        StreamConfig stream(String name);

        /** The server limit on dedupe windows ({@code limits.duplicate_window}), 0 when none. */
        long maxDuplicatesNanos();

        /** The account's limits for a stream with {@code replicas}, or null. */
        JetStreamAccountLimits limitsFor(int replicas);
    }

    /**
     * Applies defaults and validates {@code config}.
     *
     * @return the configuration with defaults
     * @throws ApiException with nats-server's error
     */
    // nats-server: stream.go checkStreamCfgLocked
    public static StreamConfig check(StreamConfig config, boolean pedantic, Context ctx) {
        if (config == null) {
            throw invalid("stream configuration invalid");
        }
        if (!isValidAssetName(config.name())) {
            throw invalid("stream name is required and can not contain '.', '*', '>', '\\', '/'");
        }
        if (config.name().length() > MAX_NAME_LENGTH) {
            throw invalid("stream name is too long, maximum allowed is " + MAX_NAME_LENGTH);
        }
        if (config.description() != null && config.description().length() > MAX_DESCRIPTION_LENGTH) {
            throw invalid("stream description is too long, maximum allowed is " + MAX_DESCRIPTION_LENGTH);
        }
        if (metadataLength(config.metadata()) > MAX_METADATA_LENGTH) {
            throw invalid("stream metadata exceeds maximum size of " + MAX_METADATA_LENGTH + " bytes");
        }
        StreamConfig.Builder cfg = config.toBuilder();
        if (cfg.retention() == null) {
            cfg.retention(RetentionPolicy.LIMITS);
        }
        if (cfg.discard() == null) {
            cfg.discard(DiscardPolicy.OLD);
        }
        if (cfg.compression() == null) {
            cfg.compression(StoreCompression.NONE);
        }
        if (cfg.storage() == null) {
            cfg.storage(StorageType.FILE);
        }
        if (cfg.replicas() == 0) {
            cfg.replicas(1);
        }
        if (cfg.replicas() > MAX_REPLICAS) {
            throw invalid("maximum replicas is " + MAX_REPLICAS);
        }
        if (cfg.replicas() < 0) {
            throw JsApiError.REPLICAS_COUNT_CANNOT_BE_NEGATIVE.error().toException();
        }
        if (cfg.maxMsgs() == 0 || cfg.maxMsgs() < -1) {
            if (pedantic && cfg.maxMsgs() < -1) {
                throw pedanticError("max_msgs must be set to -1");
            }
            cfg.maxMsgs(-1);
        }
        if (cfg.maxMsgsPerSubject() == 0 || cfg.maxMsgsPerSubject() < -1) {
            if (pedantic && cfg.maxMsgsPerSubject() < -1) {
                throw pedanticError("max_msgs_per_subject must be set to -1");
            }
            cfg.maxMsgsPerSubject(-1);
        }
        if (cfg.maxBytes() == 0 || cfg.maxBytes() < -1) {
            if (pedantic && cfg.maxBytes() < -1) {
                throw pedanticError("max_bytes must be set to -1");
            }
            cfg.maxBytes(-1);
        }
        if (cfg.maxMsgSize() == 0 || cfg.maxMsgSize() < -1) {
            if (pedantic && cfg.maxMsgSize() < -1) {
                throw pedanticError("max_msg_size must be set to -1");
            }
            cfg.maxMsgSize(-1);
        }
        if (cfg.maxConsumers() == 0 || cfg.maxConsumers() < -1) {
            if (pedantic && cfg.maxConsumers() < -1) {
                throw pedanticError("max_consumers must be set to -1");
            }
            cfg.maxConsumers(-1);
        }
        if (cfg.maxAgeNanos() < 0) {
            throw invalid("max age can not be negative");
        }
        if (cfg.maxAgeNanos() != 0 && cfg.maxAgeNanos() < MS_100) {
            throw invalid("max age needs to be >= 100ms");
        }
        long limitDuplicates = ctx.maxDuplicatesNanos();
        if (cfg.duplicateWindowNanos() == 0 && cfg.mirror() == null && isEmpty(cfg.sources())) {
            long maxWindow = DEFAULT_DUPLICATES_NANOS;
            if (limitDuplicates > 0 && maxWindow > limitDuplicates) {
                if (pedantic) {
                    throw pedanticError("duplicate window limits are higher than current limits");
                }
                maxWindow = limitDuplicates;
            }
            if (cfg.maxAgeNanos() != 0 && cfg.maxAgeNanos() < maxWindow) {
                if (pedantic) {
                    throw pedanticError("duplicate window cannot be bigger than max age");
                }
                cfg.duplicateWindowNanos(cfg.maxAgeNanos());
            } else {
                cfg.duplicateWindowNanos(maxWindow);
            }
        }
        if (cfg.duplicateWindowNanos() < 0) {
            throw invalid("duplicates window can not be negative");
        }
        if (cfg.maxAgeNanos() != 0 && cfg.duplicateWindowNanos() > cfg.maxAgeNanos()) {
            throw invalid("duplicates window can not be larger then max age");
        }
        if (limitDuplicates > 0 && cfg.duplicateWindowNanos() > limitDuplicates) {
            throw invalid("duplicates window can not be larger then server limit of "
                    + io.jnatsd.config.GoDuration.formatNanos(limitDuplicates));
        }
        if (cfg.duplicateWindowNanos() > 0 && cfg.duplicateWindowNanos() < MS_100) {
            throw invalid("duplicates window needs to be >= 100ms");
        }
        if (cfg.denyPurge() && cfg.allowRollup()) {
            throw invalid("roll-ups require the purge permission");
        }
        if (cfg.allowMsgCounter()) {
            if (cfg.discard() == DiscardPolicy.NEW) {
                throw invalid("counter stream cannot use discard new");
            }
            if (cfg.allowMsgTtl()) {
                throw invalid("counter stream cannot use message TTLs");
            }
            if (cfg.allowMsgSchedules()) {
                throw invalid("counter stream cannot use message schedules");
            }
            if (cfg.retention() != RetentionPolicy.LIMITS) {
                throw invalid("counter stream can only use limits retention");
            }
        }
        if (cfg.discardNewPerSubject()) {
            if (cfg.discard() != DiscardPolicy.NEW) {
                throw invalid("discard new per subject requires discard new policy to be set");
            }
            if (cfg.maxMsgsPerSubject() <= 0) {
                throw invalid("discard new per subject requires max msgs per subject > 0");
            }
        }
        if (cfg.subjectDeleteMarkerTtlNanos() > 0) {
            if (cfg.subjectDeleteMarkerTtlNanos() < SECOND) {
                throw invalid("subject delete marker TTL must be at least 1 second");
            }
            if (!cfg.allowMsgTtl()) {
                if (pedantic) {
                    throw invalid("subject delete marker cannot be set if message TTLs are disabled");
                }
                cfg.allowMsgTtl(true);
            }
            if (!cfg.allowRollup()) {
                if (pedantic) {
                    throw invalid("subject delete marker cannot be set if roll-ups are disabled");
                }
                cfg.allowRollup(true).denyPurge(false);
            }
        } else if (cfg.subjectDeleteMarkerTtlNanos() < 0) {
            throw invalid("subject delete marker TTL must not be negative");
        }
        if (cfg.allowMsgSchedules()) {
            if (cfg.discard() == DiscardPolicy.NEW) {
                throw invalid("message scheduling cannot use discard new");
            }
            if (!cfg.allowRollup()) {
                if (pedantic) {
                    throw invalid("message scheduling cannot be set if roll-ups are disabled");
                }
                cfg.allowRollup(true).denyPurge(false);
            }
        }
        if (cfg.persistMode() == PersistMode.ASYNC) {
            if (cfg.storage() != StorageType.FILE) {
                throw invalid("async persist mode is only supported on file storage");
            }
            if (cfg.replicas() > 1) {
                throw invalid("async persist mode is not supported on replicated streams");
            }
            if (cfg.allowAtomic()) {
                throw invalid("async persist mode is not supported with atomic batch publish");
            }
        }
        checkSources(cfg, pedantic, ctx);
        List<String> subjects = cfg.subjects() == null ? new ArrayList<>() : new ArrayList<>(cfg.subjects());
        if (subjects.isEmpty()) {
            if (cfg.mirror() == null && isEmpty(cfg.sources())) {
                subjects.add(cfg.name());
                cfg.subjects(subjects);
            }
        } else {
            if (cfg.mirror() != null) {
                throw JsApiError.MIRROR_WITH_SUBJECTS.error().toException();
            }
            checkSubjects(subjects, cfg);
        }
        if (subjects.isEmpty() && isEmpty(cfg.sources()) && cfg.mirror() == null) {
            throw invalid("stream needs at least one configured subject or be a source/mirror");
        }
        JetStreamAccountLimits limits = ctx.limitsFor(cfg.replicas());
        if (limits != null) {
            long maxStreamBytes = cfg.storage() == StorageType.MEMORY ? limits.memoryMaxStreamBytes()
                    : limits.storeMaxStreamBytes();
            if (limits.maxBytesRequired() && cfg.maxBytes() <= 0) {
                throw JsApiError.STREAM_MAX_BYTES_REQUIRED.error().toException();
            } else if (maxStreamBytes > 0 && cfg.maxBytes() > maxStreamBytes) {
                throw JsApiError.STREAM_MAX_STREAM_BYTES_EXCEEDED.error().toException();
            }
        }
        SubjectTransformConfig st = cfg.subjectTransform();
        if (st != null) {
            if (!st.source().isEmpty() && !Subjects.isValidSubject(st.source())) {
                throw JsApiError.STREAM_TRANSFORM_INVALID_SOURCE.error("invalid subject " + st.source())
                        .toException();
            }
            try {
                SubjectTransform.validateMapping(st.source(), st.destination());
            } catch (SubjectTransformException e) {
                throw JsApiError.STREAM_TRANSFORM_INVALID_DESTINATION.error(e.getMessage()).toException();
            }
        }
        RePublish rp = cfg.republish();
        if (rp != null) {
            String src = rp.source();
            String dest = rp.destination();
            if (src.isEmpty()) {
                if (pedantic) {
                    throw pedanticError("republish source can not be empty");
                }
                src = ">";
            }
            if (dest.equals(">") && src.equals(">") && st != null && subjects.size() == 1
                    && st.source().equals(subjects.getFirst())) {
                if (pedantic) {
                    throw pedanticError("implicit republish based on subject transform");
                }
                src = st.destination();
                dest = st.destination();
            }
            for (String subject : subjects) {
                if (Subjects.subjectsCollide(dest, subject)) {
                    throw invalid("stream configuration for republish destination forms a cycle");
                }
            }
            try {
                SubjectTransform.compile(src, dest);
            } catch (SubjectTransformException e) {
                throw invalid("stream configuration for republish with transform from '" + src + "' to '" + dest
                        + "' not valid");
            }
            cfg.republish(new RePublish(src, dest, rp.headersOnly()));
        }
        if (cfg.placement() != null && cfg.placement().isEmpty()) {
            cfg.placement(null);
        }
        if (cfg.placement() != null && cfg.placement().preferred() != null
                && !cfg.placement().preferred().isEmpty()) {
            throw invalid("preferred server not permitted in placement");
        }
        return cfg.build();
    }

    private static boolean isEmpty(List<?> l) {
        return l == null || l.isEmpty();
    }

    private static int metadataLength(Map<String, String> metadata) {
        int n = 0;
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                n += e.getKey().length() + e.getValue().length();
            }
        }
        return n;
    }

    // nats-server: stream.go checkStreamCfgLocked (subjects)
    private static void checkSubjects(List<String> subjects, StreamConfig.Builder cfg) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < subjects.size(); i++) {
            String subj = subjects.get(i);
            if (subj == null || !Subjects.isValidSubject(subj)) {
                throw invalid("invalid subject");
            }
            if (!seen.add(subj)) {
                throw invalid("duplicate subjects detected");
            }
            if (subj.equals(">")) {
                if (!cfg.noAck()) {
                    throw invalid("capturing all subjects requires no-ack to be true");
                }
                if (cfg.replicas() != 1) {
                    throw invalid("capturing all subjects requires replicas of 1");
                }
            }
            if (!cfg.noAck()) {
                for (String namespace : List.of("$JS.>", "$JSC.>", "$NRG.>")) {
                    if (Subjects.subjectsCollide(subj, namespace)
                            && !Subjects.subjectMatchesFilter(subj, "$JS.EVENT.>")) {
                        throw invalid("subjects that overlap with jetstream api require no-ack to be true");
                    }
                }
                if (Subjects.subjectsCollide(subj, "$SYS.>") && !Subjects.subjectMatchesFilter(subj, "$SYS.ACCOUNT.>")) {
                    throw invalid("subjects that overlap with system api require no-ack to be true");
                }
            }
            for (int j = i + 1; j < subjects.size(); j++) {
                String other = subjects.get(j);
                if (other != null && Subjects.subjectsCollide(other, subj)) {
                    throw invalid("subject " + io.jnatsd.common.GoQuote.quote(subj) + " overlaps with "
                            + io.jnatsd.common.GoQuote.quote(other));
                }
            }
        }
    }

    // nats-server: stream.go checkStreamCfgLocked (mirror and sources, prefixes, cycles)
    private static void checkSources(StreamConfig.Builder cfg, boolean pedantic, Context ctx) {
        List<String> streamSubs = new ArrayList<>();
        List<String> deliveryPrefixes = new ArrayList<>();
        List<String> apiPrefixes = new ArrayList<>();
        StreamSource mirror = cfg.mirror();
        if (mirror != null) {
            if (cfg.firstSeq() > 0) {
                throw JsApiError.MIRROR_WITH_FIRST_SEQ.error().toException();
            }
            if (!isEmpty(cfg.subjects())) {
                throw JsApiError.MIRROR_WITH_SUBJECTS.error().toException();
            }
            if (!isEmpty(cfg.sources())) {
                throw JsApiError.MIRROR_WITH_SOURCES.error().toException();
            }
            if (cfg.allowMsgCounter()) {
                throw JsApiError.MIRROR_WITH_COUNTERS.error().toException();
            }
            if (cfg.allowAtomic()) {
                throw JsApiError.MIRROR_WITH_ATOMIC_PUBLISH.error().toException();
            }
            if (cfg.allowBatched()) {
                throw JsApiError.MIRROR_WITH_BATCH_PUBLISH.error().toException();
            }
            if (cfg.allowMsgSchedules()) {
                throw JsApiError.MIRROR_WITH_MSG_SCHEDULES.error().toException();
            }
            StreamSource.Consumer c = mirror.consumer();
            if (c != null && (!isValidAssetName(c.name()) || !Subjects.subjectIsLiteral(c.deliverSubject())
                    || !Subjects.isValidSubject(c.deliverSubject()) || mirror.optStartSeq() != 0
                    || mirror.optStartTime() != null || !mirror.filterSubject().isEmpty())) {
                throw JsApiError.MIRROR_DURABLE_CONSUMER_CFG_INVALID.error().toException();
            }
            if (!mirror.filterSubject().isEmpty() && !mirror.transformList().isEmpty()) {
                throw JsApiError.MIRROR_MULTIPLE_FILTERS_NOT_ALLOWED.error().toException();
            }
            if (cfg.subjectDeleteMarkerTtlNanos() > 0) {
                throw invalid("subject delete markers forbidden on mirrors");
            }
            List<SubjectTransformConfig> trs = mirror.transformList();
            for (int outer = 0; outer < trs.size(); outer++) {
                SubjectTransformConfig tr = trs.get(outer);
                if (!tr.source().isEmpty() && !Subjects.isValidSubject(tr.source())) {
                    throw JsApiError.MIRROR_INVALID_SUBJECT_FILTER.error("invalid subject " + tr.source())
                            .toException();
                }
                try {
                    SubjectTransform.validateMapping(tr.source(), tr.destination());
                } catch (SubjectTransformException e) {
                    throw JsApiError.MIRROR_INVALID_TRANSFORM_DESTINATION.error(e.getMessage()).toException();
                }
                for (int inner = 0; inner < trs.size(); inner++) {
                    if (inner != outer && Subjects.subjectsCollide(tr.source(), trs.get(inner).source())) {
                        throw JsApiError.MIRROR_OVERLAPPING_SUBJECT_FILTERS.error().toException();
                    }
                }
            }
            if (mirror.external() == null) {
                if (!isValidAssetName(mirror.name())) {
                    throw JsApiError.MIRROR_INVALID_STREAM_NAME.error().toException();
                }
                StreamConfig origin = ctx.stream(mirror.name());
                if (origin != null) {
                    streamSubs.addAll(origin.subjectList());
                    if (cfg.maxMsgSize() > 0 && origin.maxMsgSize() > 0 && cfg.maxMsgSize() < origin.maxMsgSize()) {
                        throw JsApiError.MIRROR_MAX_MESSAGE_SIZE_TOO_BIG.error().toException();
                    }
                    if (pedantic && cfg.mirrorDirect() != origin.allowDirect()) {
                        throw pedanticError("origin stream has direct get set, mirror has it disabled");
                    }
                    cfg.mirrorDirect(origin.allowDirect());
                }
            } else {
                if (!mirror.external().deliver().isEmpty()) {
                    deliveryPrefixes.add(mirror.external().deliver());
                }
                if (!mirror.external().api().isEmpty()) {
                    apiPrefixes.add(mirror.external().api());
                }
            }
        }
        if (!isEmpty(cfg.sources()) && cfg.allowMsgSchedules()) {
            throw JsApiError.SOURCE_WITH_MSG_SCHEDULES.error().toException();
        }
        Set<String> iNames = new HashSet<>();
        Set<String> cNames = new HashSet<>();
        for (StreamSource src : cfg.sources() == null ? List.<StreamSource>of() : cfg.sources()) {
            if (src == null || !isValidAssetName(src.name())) {
                throw JsApiError.SOURCE_INVALID_STREAM_NAME.error().toException();
            }
            if (!iNames.add(src.indexName())) {
                throw JsApiError.SOURCE_DUPLICATE_DETECTED.error().toException();
            }
            if (!src.filterSubject().isEmpty() && !src.transformList().isEmpty()) {
                throw JsApiError.SOURCE_MULTIPLE_FILTERS_NOT_ALLOWED.error().toException();
            }
            for (SubjectTransformConfig tr : src.transformList()) {
                if (!tr.source().isEmpty() && !Subjects.isValidSubject(tr.source())) {
                    throw JsApiError.SOURCE_INVALID_SUBJECT_FILTER.error("invalid subject " + tr.source())
                            .toException();
                }
                try {
                    SubjectTransform.validateMapping(tr.source(), tr.destination());
                } catch (SubjectTransformException e) {
                    throw JsApiError.SOURCE_INVALID_TRANSFORM_DESTINATION.error(e.getMessage()).toException();
                }
            }
            List<SubjectTransformConfig> trs = src.transformList();
            for (int outer = 0; outer < trs.size(); outer++) {
                for (int inner = 0; inner < trs.size(); inner++) {
                    if (inner != outer && Subjects.subjectMatchesFilter(trs.get(outer).source(),
                            trs.get(inner).source())) {
                        throw JsApiError.SOURCE_OVERLAPPING_SUBJECT_FILTERS.error().toException();
                    }
                }
            }
            StreamSource.Consumer c = src.consumer();
            if (c != null) {
                if (!isValidAssetName(c.name()) || !Subjects.subjectIsLiteral(c.deliverSubject())
                        || !Subjects.isValidSubject(c.deliverSubject()) || src.optStartSeq() != 0
                        || src.optStartTime() != null || !src.filterSubject().isEmpty()) {
                    throw JsApiError.SOURCE_DURABLE_CONSUMER_CFG_INVALID.error().toException();
                }
                if (!cNames.add(src.consumerIndexName())) {
                    throw JsApiError.SOURCE_DURABLE_CONSUMER_DUPLICATE_DETECTED.error().toException();
                }
            }
            if (src.external() == null) {
                StreamConfig origin = ctx.stream(src.name());
                if (origin != null) {
                    streamSubs.addAll(origin.subjectList());
                    if (cfg.maxMsgSize() > 0 && origin.maxMsgSize() > 0 && cfg.maxMsgSize() < origin.maxMsgSize()) {
                        throw JsApiError.SOURCE_MAX_MESSAGE_SIZE_TOO_BIG.error().toException();
                    }
                }
            } else {
                if (!src.external().deliver().isEmpty()) {
                    deliveryPrefixes.add(src.external().deliver());
                }
                if (!src.external().api().isEmpty()) {
                    apiPrefixes.add(src.external().api());
                }
            }
        }
        for (String pfx : deliveryPrefixes) {
            if (!Subjects.isValidPublishSubject(pfx)) {
                throw JsApiError.STREAM_INVALID_EXTERNAL_DELIVERY_SUBJ.error(pfx).toException();
            }
            for (String sub : streamSubs) {
                if (Subjects.subjectsCollide(sub, pfx + "." + sub)) {
                    throw JsApiError.STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS.error(pfx, sub).toException();
                }
            }
        }
        for (String apiPfx : apiPrefixes) {
            if (!Subjects.isValidPublishSubject(apiPfx)) {
                throw invalid("stream external api prefix " + io.jnatsd.common.GoQuote.quote(apiPfx)
                        + " must be a valid subject without wildcards");
            }
            if (Subjects.subjectsCollide(apiPfx, "$JS.API")) {
                throw JsApiError.STREAM_EXTERNAL_API_OVERLAP.error(apiPfx, "$JS.API").toException();
            }
        }
        checkCycles(cfg.build(), ctx::stream);
    }

    // nats-server: stream.go checkStreamCfgLocked (cycle check)
    private static void checkCycles(StreamConfig start, Function<String, StreamConfig> streams) {
        ArrayDeque<StreamConfig> toVisit = new ArrayDeque<>();
        toVisit.add(start);
        Set<String> visited = new HashSet<>();
        while (!toVisit.isEmpty()) {
            StreamConfig cfg = toVisit.poll();
            visited.add(cfg.name());
            for (StreamSource src : cfg.sourceList()) {
                if (src.external() != null) {
                    continue;
                }
                if (visited.contains(src.name())) {
                    if (overlaps(cfg.subjectList(), src.filterSubject())) {
                        throw invalid("detected cycle");
                    }
                } else {
                    StreamConfig other = streams.apply(src.name());
                    if (other != null) {
                        toVisit.add(other);
                    }
                }
            }
            StreamSource m = cfg.mirror();
            if (m != null && m.external() == null) {
                if (visited.contains(m.name())) {
                    throw invalid("detected cycle");
                }
                StreamConfig other = streams.apply(m.name());
                if (other != null) {
                    toVisit.add(other);
                }
            }
        }
    }

    private static boolean overlaps(List<String> subjects, String filter) {
        if (filter.isEmpty()) {
            return true;
        }
        for (String s : subjects) {
            if (Subjects.subjectsCollide(s, filter)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks an update of {@code old} to {@code next} (already through {@link #check}) against what may not change,
     * and applies what sealing implies.
     *
     * @return the configuration to apply
     * @throws ApiException 10052 (or the inner error) with nats-server's text
     */
    // nats-server: stream.go configUpdateCheckLocked (the rules; limits are checked by the account)
    public static StreamConfig checkUpdate(StreamConfig old, StreamConfig next) {
        if (!next.name().equals(old.name())) {
            throw invalid("stream configuration name must match original");
        }
        if (next.replicas() > 1) {
            throw JsApiError.STREAM_REPLICAS_NOT_SUPPORTED.error().toException();
        }
        if (next.storage() != old.storage()) {
            throw invalid("stream configuration update can not change storage type");
        }
        if (next.retention() != old.retention() && (old.retention() == RetentionPolicy.WORK_QUEUE
                || next.retention() == RetentionPolicy.WORK_QUEUE)) {
            throw invalid("stream configuration update can not change retention policy to/from workqueue");
        }
        if (!next.sealed() && old.sealed()) {
            throw invalid("stream configuration update can not unseal a sealed stream");
        }
        if (!next.denyDelete() && old.denyDelete()) {
            throw invalid("stream configuration update can not cancel deny message deletes");
        }
        if (!next.denyPurge() && old.denyPurge()) {
            throw invalid("stream configuration update can not cancel deny purge");
        }
        if (next.mirror() != null && !next.mirror().equals(old.mirror())) {
            throw JsApiError.STREAM_MIRROR_NOT_UPDATABLE.error().toException();
        }
        if (next.discardNewPerSubject()) {
            if (next.discard() != DiscardPolicy.NEW) {
                throw invalid("discard new per subject requires discard new policy to be set");
            }
            if (next.maxMsgsPerSubject() <= 0) {
                throw invalid("discard new per subject requires max msgs per subject > 0");
            }
        }
        if (old.allowMsgTtl() && !next.allowMsgTtl()) {
            throw invalid("message TTL status can not be disabled");
        }
        if (next.allowMsgCounter() != old.allowMsgCounter()) {
            throw invalid("stream configuration update can not change message counter setting");
        }
        if (old.allowMsgSchedules() && !next.allowMsgSchedules()) {
            throw invalid("message schedules can not be disabled");
        }
        if (old.asyncPersist() != next.asyncPersist()) {
            throw invalid("stream configuration update can not change persist mode");
        }
        if (next.sealed()) {
            return next.toBuilder().maxAgeNanos(0).discard(DiscardPolicy.NEW).denyDelete(true).denyPurge(true)
                    .allowRollup(false).build();
        }
        return next;
    }

    // ---- metadata --------------------------------------------------------------------------------------------------

    /**
     * {@code cfg} with {@code _nats.req.level} set to the API level its features need and the dynamic keys removed
     * ({@code setStaticStreamMetadata}).
     */
    // nats-server: jetstream_versioning.go setStaticStreamMetadata
    public static StreamConfig withStaticMetadata(StreamConfig cfg) {
        Map<String, String> md = cfg.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(cfg.metadata());
        md.remove(SERVER_VERSION_KEY);
        md.remove(SERVER_LEVEL_KEY);
        int level = 0;
        if (cfg.allowMsgTtl() || cfg.subjectDeleteMarkerTtlNanos() > 0) {
            level = 1;
        }
        if (cfg.allowMsgCounter() || cfg.allowAtomic() || cfg.allowMsgSchedules() || cfg.asyncPersist()) {
            level = Math.max(level, 2);
        }
        if (cfg.allowBatched()) {
            level = 4;
        }
        md.put(REQUIRED_LEVEL_KEY, Integer.toString(level));
        return cfg.toBuilder().metadata(md).build();
    }

    /** {@code cfg} with {@code _nats.ver} and {@code _nats.level} added, as responses show it. */
    // nats-server: jetstream_versioning.go setDynamicStreamMetadata
    public static StreamConfig withDynamicMetadata(StreamConfig cfg) {
        Map<String, String> md = cfg.metadata() == null ? new HashMap<>() : new HashMap<>(cfg.metadata());
        md.put(SERVER_VERSION_KEY, JetStream.serverVersion());
        md.put(SERVER_LEVEL_KEY, Integer.toString(JetStream.API_LEVEL));
        return cfg.toBuilder().metadata(md).build();
    }

    /**
     * {@code cfg} without the dynamic keys and with {@code _nats.req.level} taken from {@code previous} (or removed),
     * for comparing a create request with an existing stream ({@code copyStreamMetadata}).
     */
    // nats-server: jetstream_versioning.go copyStreamMetadata
    public static StreamConfig withMetadataOf(StreamConfig cfg, StreamConfig previous) {
        Map<String, String> md = cfg.metadata() == null ? null : new LinkedHashMap<>(cfg.metadata());
        if (md != null) {
            md.remove(SERVER_VERSION_KEY);
            md.remove(SERVER_LEVEL_KEY);
        }
        String prev = previous == null || previous.metadata() == null ? null
                : previous.metadata().get(REQUIRED_LEVEL_KEY);
        if (prev != null) {
            if (md == null) {
                md = new LinkedHashMap<>();
            }
            md.put(REQUIRED_LEVEL_KEY, prev);
        } else if (md != null) {
            md.remove(REQUIRED_LEVEL_KEY);
            if (md.isEmpty()) {
                md = null;
            }
        }
        return cfg.toBuilder().metadata(md).build();
    }

    /** Mirrors and sources are validated but not run yet: refused after validation. */
    static ApiError sourcesNotSupported() {
        return JsApiError.STREAM_INVALID_CONFIG.error("stream mirrors and sources are not supported yet by jnatsd");
    }
}
