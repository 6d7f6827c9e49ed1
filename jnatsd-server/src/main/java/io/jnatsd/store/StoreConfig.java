package io.jnatsd.store;

import java.util.List;
import java.util.Objects;

/**
 * The part of a stream configuration a store needs. Limits use nats-server's conventions: {@code -1} (or any value
 * {@code <= 0}) is "unlimited" for {@code maxMsgs}, {@code maxBytes}, {@code maxMsgsPerSubject} and
 * {@code maxMsgSize}; {@code maxAgeNanos == 0} keeps messages forever. The JetStream layer validates a configuration
 * (error codes, defaults) before it gets here; the store only applies it.
 *
 * @param name                        the stream name (required; part of file names and key derivation)
 * @param subjects                    the stream's subjects (used to decide whether a set of filters means "all")
 * @param storage                     file or memory; must match the store implementation
 * @param retention                   retention policy (the store only uses it to size file blocks)
 * @param maxMsgs                     max_msgs
 * @param maxBytes                    max_bytes, counted as each store counts bytes (see {@link StreamState#bytes()})
 * @param maxAgeNanos                 max_age in nanoseconds
 * @param maxMsgsPerSubject           max_msgs_per_subject
 * @param maxMsgSize                  max_msg_size (checked by the JetStream layer; kept for block sizing)
 * @param discard                     discard policy
 * @param discardNewPerSubject        discard_new_per_subject
 * @param allowMsgTtl                 allow_msg_ttl: per-message {@code Nats-TTL} is honoured
 * @param subjectDeleteMarkerTtlNanos subject_delete_marker_ttl; {@code > 0} turns expiry of a subject's last message
 *                                    into a marker proposal
 * @param allowMsgSchedules           allow_msg_schedules: the store tracks schedule messages
 * @param compression                 compression of sealed file blocks
 * @param firstSeq                    first_seq: an empty store starts at this sequence
 * @param blockSizeBytes              file block size; {@code 0} picks it from the limits as nats-server does
 * @param replicas                    num_replicas (1 standalone)
 * @param asyncPersist                persist_mode async: file writes are coalesced by a background flusher
 */
// nats-server: stream.go StreamConfig (store-relevant fields), filestore.go FileStoreConfig.BlockSize
public record StoreConfig(String name, List<String> subjects, StorageType storage, RetentionPolicy retention,
                          long maxMsgs, long maxBytes, long maxAgeNanos, long maxMsgsPerSubject, int maxMsgSize,
                          DiscardPolicy discard, boolean discardNewPerSubject, boolean allowMsgTtl,
                          long subjectDeleteMarkerTtlNanos, boolean allowMsgSchedules, StoreCompression compression,
                          long firstSeq, long blockSizeBytes, int replicas, boolean asyncPersist) {

    public StoreConfig {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: empty (expected: a stream name)");
        }
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        Objects.requireNonNull(storage, "storage");
        retention = retention == null ? RetentionPolicy.LIMITS : retention;
        discard = discard == null ? DiscardPolicy.OLD : discard;
        compression = compression == null ? StoreCompression.NONE : compression;
        if (maxAgeNanos < 0) {
            throw new IllegalArgumentException("maxAgeNanos: " + maxAgeNanos + " (expected: >= 0)");
        }
        if (firstSeq < 0) {
            throw new IllegalArgumentException("firstSeq: " + firstSeq + " (expected: >= 0)");
        }
        if (blockSizeBytes < 0) {
            throw new IllegalArgumentException("blockSizeBytes: " + blockSizeBytes + " (expected: >= 0)");
        }
        maxMsgs = maxMsgs <= 0 ? -1 : maxMsgs;
        maxBytes = maxBytes <= 0 ? -1 : maxBytes;
        maxMsgsPerSubject = maxMsgsPerSubject <= 0 ? -1 : maxMsgsPerSubject;
        maxMsgSize = maxMsgSize <= 0 ? -1 : maxMsgSize;
        replicas = Math.max(1, replicas);
    }

    /** A builder for {@code name} and {@code storage} with every other field at nats-server's default. */
    public static Builder builder(String name, StorageType storage) {
        return new Builder(name, storage);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(name, storage);
        b.subjects = subjects;
        b.retention = retention;
        b.maxMsgs = maxMsgs;
        b.maxBytes = maxBytes;
        b.maxAgeNanos = maxAgeNanos;
        b.maxMsgsPerSubject = maxMsgsPerSubject;
        b.maxMsgSize = maxMsgSize;
        b.discard = discard;
        b.discardNewPerSubject = discardNewPerSubject;
        b.allowMsgTtl = allowMsgTtl;
        b.subjectDeleteMarkerTtlNanos = subjectDeleteMarkerTtlNanos;
        b.allowMsgSchedules = allowMsgSchedules;
        b.compression = compression;
        b.firstSeq = firstSeq;
        b.blockSizeBytes = blockSizeBytes;
        b.replicas = replicas;
        b.asyncPersist = asyncPersist;
        return b;
    }

    /** Whether subject delete markers are on ({@code subject_delete_marker_ttl > 0}). */
    public boolean subjectDeleteMarkers() {
        return subjectDeleteMarkerTtlNanos > 0;
    }

    /** Mutable builder of a {@link StoreConfig}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final StorageType storage;
        private List<String> subjects = List.of();
        private RetentionPolicy retention = RetentionPolicy.LIMITS;
        private long maxMsgs = -1;
        private long maxBytes = -1;
        private long maxAgeNanos;
        private long maxMsgsPerSubject = -1;
        private int maxMsgSize = -1;
        private DiscardPolicy discard = DiscardPolicy.OLD;
        private boolean discardNewPerSubject;
        private boolean allowMsgTtl;
        private long subjectDeleteMarkerTtlNanos;
        private boolean allowMsgSchedules;
        private StoreCompression compression = StoreCompression.NONE;
        private long firstSeq;
        private long blockSizeBytes;
        private int replicas = 1;
        private boolean asyncPersist;

        private Builder(String name, StorageType storage) {
            this.name = name;
            this.storage = storage;
        }

        public Builder subjects(String... subjects) {
            this.subjects = List.of(subjects);
            return this;
        }

        public Builder subjects(List<String> subjects) {
            this.subjects = subjects;
            return this;
        }

        public Builder retention(RetentionPolicy retention) {
            this.retention = retention;
            return this;
        }

        public Builder maxMsgs(long maxMsgs) {
            this.maxMsgs = maxMsgs;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxAgeNanos(long maxAgeNanos) {
            this.maxAgeNanos = maxAgeNanos;
            return this;
        }

        public Builder maxMsgsPerSubject(long maxMsgsPerSubject) {
            this.maxMsgsPerSubject = maxMsgsPerSubject;
            return this;
        }

        public Builder maxMsgSize(int maxMsgSize) {
            this.maxMsgSize = maxMsgSize;
            return this;
        }

        public Builder discard(DiscardPolicy discard) {
            this.discard = discard;
            return this;
        }

        public Builder discardNewPerSubject(boolean discardNewPerSubject) {
            this.discardNewPerSubject = discardNewPerSubject;
            return this;
        }

        public Builder allowMsgTtl(boolean allowMsgTtl) {
            this.allowMsgTtl = allowMsgTtl;
            return this;
        }

        public Builder subjectDeleteMarkerTtlNanos(long subjectDeleteMarkerTtlNanos) {
            this.subjectDeleteMarkerTtlNanos = subjectDeleteMarkerTtlNanos;
            return this;
        }

        public Builder allowMsgSchedules(boolean allowMsgSchedules) {
            this.allowMsgSchedules = allowMsgSchedules;
            return this;
        }

        public Builder compression(StoreCompression compression) {
            this.compression = compression;
            return this;
        }

        public Builder firstSeq(long firstSeq) {
            this.firstSeq = firstSeq;
            return this;
        }

        public Builder blockSizeBytes(long blockSizeBytes) {
            this.blockSizeBytes = blockSizeBytes;
            return this;
        }

        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder asyncPersist(boolean asyncPersist) {
            this.asyncPersist = asyncPersist;
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(name, subjects, storage, retention, maxMsgs, maxBytes, maxAgeNanos,
                    maxMsgsPerSubject, maxMsgSize, discard, discardNewPerSubject, allowMsgTtl,
                    subjectDeleteMarkerTtlNanos, allowMsgSchedules, compression, firstSeq, blockSizeBytes, replicas,
                    asyncPersist);
        }
    }
}
