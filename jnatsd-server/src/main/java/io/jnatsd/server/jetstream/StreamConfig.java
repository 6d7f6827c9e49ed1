package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;
import java.util.List;
import java.util.Map;

/**
 * A stream's configuration as the JetStream API reads and writes it, field for field and in order
 * ({@code server/stream.go StreamConfig}). Durations are nanoseconds. Values are as given until
 * {@link StreamConfigChecks} applies nats-server's defaults and validation. Immutable; {@link Builder} makes
 * changed copies.
 *
 * @param name stream name
 * @param description description
 * @param subjects subjects the stream listens on
 * @param retention retention policy (null before defaults: limits)
 * @param maxConsumers max_consumers (-1 unlimited)
 * @param maxMsgs max_msgs (-1 unlimited)
 * @param maxBytes max_bytes (-1 unlimited)
 * @param maxAgeNanos max_age in nanoseconds (0 forever)
 * @param maxMsgsPerSubject max_msgs_per_subject (-1 unlimited)
 * @param maxMsgSize max_msg_size (-1 unlimited)
 * @param discard discard policy (null before defaults: old)
 * @param storage storage (null before defaults: file)
 * @param replicas num_replicas
 * @param noAck no_ack: no PubAck
 * @param duplicateWindowNanos duplicate_window in nanoseconds
 * @param placement placement, or null
 * @param mirror mirror, or null
 * @param sources sources, or null
 * @param compression compression (null before defaults: none)
 * @param firstSeq first_seq
 * @param subjectTransform subject_transform, or null
 * @param republish republish, or null
 * @param allowDirect allow_direct
 * @param mirrorDirect mirror_direct
 * @param discardNewPerSubject discard_new_per_subject
 * @param sealed sealed
 * @param denyDelete deny_delete
 * @param denyPurge deny_purge
 * @param allowRollup allow_rollup_hdrs
 * @param consumerLimits consumer_limits (null read as empty)
 * @param allowMsgTtl allow_msg_ttl
 * @param subjectDeleteMarkerTtlNanos subject_delete_marker_ttl in nanoseconds
 * @param allowMsgCounter allow_msg_counter
 * @param allowAtomic allow_atomic
 * @param allowMsgSchedules allow_msg_schedules
 * @param persistMode persist_mode: null for the default, else async
 * @param allowBatched allow_batched
 * @param metadata metadata, or null
 */
// nats-server: stream.go StreamConfig
public record StreamConfig(
        @JsonProperty("name") String name,
        @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_EMPTY) String description,
        @JsonProperty("subjects") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> subjects,
        @JsonProperty("retention") RetentionPolicy retention,
        @JsonProperty("max_consumers") int maxConsumers,
        @JsonProperty("max_msgs") long maxMsgs,
        @JsonProperty("max_bytes") long maxBytes,
        @JsonProperty("max_age") long maxAgeNanos,
        @JsonProperty("max_msgs_per_subject") long maxMsgsPerSubject,
        @JsonProperty("max_msg_size") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxMsgSize,
        @JsonProperty("discard") DiscardPolicy discard,
        @JsonProperty("storage") StorageType storage,
        @JsonProperty("num_replicas") int replicas,
        @JsonProperty("no_ack") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean noAck,
        @JsonProperty("duplicate_window") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long duplicateWindowNanos,
        @JsonProperty("placement") @JsonInclude(JsonInclude.Include.NON_NULL) Placement placement,
        @JsonProperty("mirror") @JsonInclude(JsonInclude.Include.NON_NULL) StreamSource mirror,
        @JsonProperty("sources") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StreamSource> sources,
        @JsonProperty("compression") StoreCompression compression,
        @JsonProperty("first_seq") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long firstSeq,
        @JsonProperty("subject_transform") @JsonInclude(JsonInclude.Include.NON_NULL)
        SubjectTransformConfig subjectTransform,
        @JsonProperty("republish") @JsonInclude(JsonInclude.Include.NON_NULL) RePublish republish,
        @JsonProperty("allow_direct") boolean allowDirect,
        @JsonProperty("mirror_direct") boolean mirrorDirect,
        @JsonProperty("discard_new_per_subject") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        boolean discardNewPerSubject,
        @JsonProperty("sealed") boolean sealed,
        @JsonProperty("deny_delete") boolean denyDelete,
        @JsonProperty("deny_purge") boolean denyPurge,
        @JsonProperty("allow_rollup_hdrs") boolean allowRollup,
        @JsonProperty("consumer_limits") StreamConsumerLimits consumerLimits,
        @JsonProperty("allow_msg_ttl") boolean allowMsgTtl,
        @JsonProperty("subject_delete_marker_ttl") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        long subjectDeleteMarkerTtlNanos,
        @JsonProperty("allow_msg_counter") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowMsgCounter,
        @JsonProperty("allow_atomic") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowAtomic,
        @JsonProperty("allow_msg_schedules") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowMsgSchedules,
        @JsonProperty("persist_mode") @JsonInclude(JsonInclude.Include.NON_NULL) PersistMode persistMode,
        @JsonProperty("allow_batched") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowBatched,
        @JsonProperty("metadata") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata) {

    public StreamConfig {
        consumerLimits = consumerLimits == null ? StreamConsumerLimits.EMPTY : consumerLimits;
        persistMode = persistMode == PersistMode.DEFAULT ? null : persistMode;
    }

    /** The retention policy, limits when unset. */
    public RetentionPolicy retentionOrDefault() {
        return retention == null ? RetentionPolicy.LIMITS : retention;
    }

    /** The discard policy, old when unset. */
    public DiscardPolicy discardOrDefault() {
        return discard == null ? DiscardPolicy.OLD : discard;
    }

    /** The storage type, file when unset. */
    public StorageType storageOrDefault() {
        return storage == null ? StorageType.FILE : storage;
    }

    /** The compression, none when unset. */
    public StoreCompression compressionOrDefault() {
        return compression == null ? StoreCompression.NONE : compression;
    }

    /** The subjects, never null. */
    public List<String> subjectList() {
        return subjects == null ? List.of() : subjects;
    }

    /** The sources, never null. */
    public List<StreamSource> sourceList() {
        return sources == null ? List.of() : sources;
    }

    /** Whether persist_mode is async. */
    public boolean asyncPersist() {
        return persistMode == PersistMode.ASYNC;
    }

    /** A builder starting from this value. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.description = description;
        b.subjects = subjects;
        b.retention = retention;
        b.maxConsumers = maxConsumers;
        b.maxMsgs = maxMsgs;
        b.maxBytes = maxBytes;
        b.maxAgeNanos = maxAgeNanos;
        b.maxMsgsPerSubject = maxMsgsPerSubject;
        b.maxMsgSize = maxMsgSize;
        b.discard = discard;
        b.storage = storage;
        b.replicas = replicas;
        b.noAck = noAck;
        b.duplicateWindowNanos = duplicateWindowNanos;
        b.placement = placement;
        b.mirror = mirror;
        b.sources = sources;
        b.compression = compression;
        b.firstSeq = firstSeq;
        b.subjectTransform = subjectTransform;
        b.republish = republish;
        b.allowDirect = allowDirect;
        b.mirrorDirect = mirrorDirect;
        b.discardNewPerSubject = discardNewPerSubject;
        b.sealed = sealed;
        b.denyDelete = denyDelete;
        b.denyPurge = denyPurge;
        b.allowRollup = allowRollup;
        b.consumerLimits = consumerLimits;
        b.allowMsgTtl = allowMsgTtl;
        b.subjectDeleteMarkerTtlNanos = subjectDeleteMarkerTtlNanos;
        b.allowMsgCounter = allowMsgCounter;
        b.allowAtomic = allowAtomic;
        b.allowMsgSchedules = allowMsgSchedules;
        b.persistMode = persistMode;
        b.allowBatched = allowBatched;
        b.metadata = metadata;
        return b;
    }

    /** A builder with every field at its zero value. */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String name;
        private String description;
        private List<String> subjects;
        private RetentionPolicy retention;
        private int maxConsumers;
        private long maxMsgs;
        private long maxBytes;
        private long maxAgeNanos;
        private long maxMsgsPerSubject;
        private int maxMsgSize;
        private DiscardPolicy discard;
        private StorageType storage;
        private int replicas;
        private boolean noAck;
        private long duplicateWindowNanos;
        private Placement placement;
        private StreamSource mirror;
        private List<StreamSource> sources;
        private StoreCompression compression;
        private long firstSeq;
        private SubjectTransformConfig subjectTransform;
        private RePublish republish;
        private boolean allowDirect;
        private boolean mirrorDirect;
        private boolean discardNewPerSubject;
        private boolean sealed;
        private boolean denyDelete;
        private boolean denyPurge;
        private boolean allowRollup;
        private StreamConsumerLimits consumerLimits;
        private boolean allowMsgTtl;
        private long subjectDeleteMarkerTtlNanos;
        private boolean allowMsgCounter;
        private boolean allowAtomic;
        private boolean allowMsgSchedules;
        private PersistMode persistMode;
        private boolean allowBatched;
        private Map<String, String> metadata;

        private Builder() {
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public String name() {
            return name;
        }

        public Builder description(String v) {
            description = v;
            return this;
        }

        public String description() {
            return description;
        }

        public Builder subjects(List<String> v) {
            subjects = v;
            return this;
        }

        public List<String> subjects() {
            return subjects;
        }

        public Builder retention(RetentionPolicy v) {
            retention = v;
            return this;
        }

        public RetentionPolicy retention() {
            return retention;
        }

        public Builder maxConsumers(int v) {
            maxConsumers = v;
            return this;
        }

        public int maxConsumers() {
            return maxConsumers;
        }

        public Builder maxMsgs(long v) {
            maxMsgs = v;
            return this;
        }

        public long maxMsgs() {
            return maxMsgs;
        }

        public Builder maxBytes(long v) {
            maxBytes = v;
            return this;
        }

        public long maxBytes() {
            return maxBytes;
        }

        public Builder maxAgeNanos(long v) {
            maxAgeNanos = v;
            return this;
        }

        public long maxAgeNanos() {
            return maxAgeNanos;
        }

        public Builder maxMsgsPerSubject(long v) {
            maxMsgsPerSubject = v;
            return this;
        }

        public long maxMsgsPerSubject() {
            return maxMsgsPerSubject;
        }

        public Builder maxMsgSize(int v) {
            maxMsgSize = v;
            return this;
        }

        public int maxMsgSize() {
            return maxMsgSize;
        }

        public Builder discard(DiscardPolicy v) {
            discard = v;
            return this;
        }

        public DiscardPolicy discard() {
            return discard;
        }

        public Builder storage(StorageType v) {
            storage = v;
            return this;
        }

        public StorageType storage() {
            return storage;
        }

        public Builder replicas(int v) {
            replicas = v;
            return this;
        }

        public int replicas() {
            return replicas;
        }

        public Builder noAck(boolean v) {
            noAck = v;
            return this;
        }

        public boolean noAck() {
            return noAck;
        }

        public Builder duplicateWindowNanos(long v) {
            duplicateWindowNanos = v;
            return this;
        }

        public long duplicateWindowNanos() {
            return duplicateWindowNanos;
        }

        public Builder placement(Placement v) {
            placement = v;
            return this;
        }

        public Placement placement() {
            return placement;
        }

        public Builder mirror(StreamSource v) {
            mirror = v;
            return this;
        }

        public StreamSource mirror() {
            return mirror;
        }

        public Builder sources(List<StreamSource> v) {
            sources = v;
            return this;
        }

        public List<StreamSource> sources() {
            return sources;
        }

        public Builder compression(StoreCompression v) {
            compression = v;
            return this;
        }

        public StoreCompression compression() {
            return compression;
        }

        public Builder firstSeq(long v) {
            firstSeq = v;
            return this;
        }

        public long firstSeq() {
            return firstSeq;
        }

        public Builder subjectTransform(SubjectTransformConfig v) {
            subjectTransform = v;
            return this;
        }

        public SubjectTransformConfig subjectTransform() {
            return subjectTransform;
        }

        public Builder republish(RePublish v) {
            republish = v;
            return this;
        }

        public RePublish republish() {
            return republish;
        }

        public Builder allowDirect(boolean v) {
            allowDirect = v;
            return this;
        }

        public boolean allowDirect() {
            return allowDirect;
        }

        public Builder mirrorDirect(boolean v) {
            mirrorDirect = v;
            return this;
        }

        public boolean mirrorDirect() {
            return mirrorDirect;
        }

        public Builder discardNewPerSubject(boolean v) {
            discardNewPerSubject = v;
            return this;
        }

        public boolean discardNewPerSubject() {
            return discardNewPerSubject;
        }

        public Builder sealed(boolean v) {
            sealed = v;
            return this;
        }

        public boolean sealed() {
            return sealed;
        }

        public Builder denyDelete(boolean v) {
            denyDelete = v;
            return this;
        }

        public boolean denyDelete() {
            return denyDelete;
        }

        public Builder denyPurge(boolean v) {
            denyPurge = v;
            return this;
        }

        public boolean denyPurge() {
            return denyPurge;
        }

        public Builder allowRollup(boolean v) {
            allowRollup = v;
            return this;
        }

        public boolean allowRollup() {
            return allowRollup;
        }

        public Builder consumerLimits(StreamConsumerLimits v) {
            consumerLimits = v;
            return this;
        }

        public StreamConsumerLimits consumerLimits() {
            return consumerLimits;
        }

        public Builder allowMsgTtl(boolean v) {
            allowMsgTtl = v;
            return this;
        }

        public boolean allowMsgTtl() {
            return allowMsgTtl;
        }

        public Builder subjectDeleteMarkerTtlNanos(long v) {
            subjectDeleteMarkerTtlNanos = v;
            return this;
        }

        public long subjectDeleteMarkerTtlNanos() {
            return subjectDeleteMarkerTtlNanos;
        }

        public Builder allowMsgCounter(boolean v) {
            allowMsgCounter = v;
            return this;
        }

        public boolean allowMsgCounter() {
            return allowMsgCounter;
        }

        public Builder allowAtomic(boolean v) {
            allowAtomic = v;
            return this;
        }

        public boolean allowAtomic() {
            return allowAtomic;
        }

        public Builder allowMsgSchedules(boolean v) {
            allowMsgSchedules = v;
            return this;
        }

        public boolean allowMsgSchedules() {
            return allowMsgSchedules;
        }

        public Builder persistMode(PersistMode v) {
            persistMode = v;
            return this;
        }

        public PersistMode persistMode() {
            return persistMode;
        }

        public Builder allowBatched(boolean v) {
            allowBatched = v;
            return this;
        }

        public boolean allowBatched() {
            return allowBatched;
        }

        public Builder metadata(Map<String, String> v) {
            metadata = v;
            return this;
        }

        public Map<String, String> metadata() {
            return metadata;
        }

        public StreamConfig build() {
            return new StreamConfig(name, description, subjects, retention, maxConsumers, maxMsgs, maxBytes,
                    maxAgeNanos, maxMsgsPerSubject, maxMsgSize, discard, storage, replicas, noAck,
                    duplicateWindowNanos, placement, mirror, sources, compression, firstSeq, subjectTransform,
                    republish, allowDirect, mirrorDirect, discardNewPerSubject, sealed, denyDelete, denyPurge,
                    allowRollup, consumerLimits, allowMsgTtl, subjectDeleteMarkerTtlNanos, allowMsgCounter,
                    allowAtomic, allowMsgSchedules, persistMode, allowBatched, metadata);
        }
    }
}
