package io.jnatsd.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Server-wide JetStream options: the {@code -js}/{@code -sd} flags, the top-level {@code store_dir} and the
 * {@code jetstream {}} block ({@code server/opts.go parseJetStream}, {@code JSLimitOpts}). Values a file does not set
 * keep nats-server's defaults; memory and storage limits that are not set are sized from the machine when JetStream
 * starts ({@code jetstream.go dynJetStreamConfig}).
 * <p>
 * Immutable.
 *
 * @param enabled                    JetStream is on ({@code -js}, {@code jetstream: enabled} or a block)
 * @param storeDir                   {@code store_dir} as written (empty: a temporary directory); {@code /jetstream}
 *                                   is appended when JetStream starts
 * @param maxMemoryBytes             {@code max_memory_store}; negative when not set
 * @param maxMemorySet               whether the file set {@code max_memory_store} (an explicit 0 is honoured)
 * @param maxStoreBytes              {@code max_file_store}; negative when not set
 * @param maxStoreSet                whether the file set {@code max_file_store}
 * @param domain                     {@code domain}, or empty
 * @param uniqueTag                  {@code unique_tag} (trimmed, lower case), or empty
 * @param syncInterval               {@code sync_interval}: how often file stores fsync (default 2 minutes)
 * @param syncAlways                 {@code sync: always}: fsync every write
 * @param strict                     {@code strict}: API requests with unknown JSON fields are refused (default true)
 * @param maxBufferedMsgs            {@code max_buffered_msgs}: a stream's ingest queue length (0: 100 000)
 * @param maxBufferedSizeBytes       {@code max_buffered_size}: a stream's ingest queue bytes (0: 128 MiB)
 * @param requestQueueLimit          {@code request_queue_limit}: pending API requests before the queue is dropped
 * @param infoQueueLimit             {@code info_queue_limit}: the same for info requests (0: the request limit)
 * @param limits                     {@code limits {}}
 * @param key                        {@code key}: the encryption key, or empty
 * @param prevKey                    {@code prev_key}: the previous key used to re-key on start, or empty
 * @param cipher                     {@code cipher}
 * @param maxOutstandingCatchupBytes {@code max_outstanding_catchup} (clustering; kept)
 * @param metaCompact                {@code meta_compact} (clustering; kept)
 * @param metaCompactSizeBytes       {@code meta_compact_size} (clustering; kept)
 * @param metaCompactSync            {@code meta_compact_sync} (clustering; kept)
 * @param maxConcurrentIo            {@code max_concurrent_io} (0: default)
 * @param extensionHint              {@code extension_hint}, or empty
 */
// nats-server: opts.go Options (JetStream* fields), parseJetStream, setBaselineOptions (JetStream part)
public record JetStreamOptions(boolean enabled, String storeDir, long maxMemoryBytes, boolean maxMemorySet,
                               long maxStoreBytes, boolean maxStoreSet, String domain, String uniqueTag,
                               Duration syncInterval, boolean syncAlways, boolean strict, int maxBufferedMsgs,
                               long maxBufferedSizeBytes, long requestQueueLimit, long infoQueueLimit, Limits limits,
                               String key, String prevKey, Cipher cipher, long maxOutstandingCatchupBytes,
                               long metaCompact, long metaCompactSizeBytes, boolean metaCompactSync,
                               int maxConcurrentIo, String extensionHint) {

    /** nats-server's {@code defaultSyncInterval}. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(2);
    /** nats-server's {@code JSDefaultRequestQueueLimit}. */
    public static final long DEFAULT_REQUEST_QUEUE_LIMIT = 10_000;
    /** nats-server's {@code streamDefaultMaxQueueMsgs}. */
    public static final int DEFAULT_MAX_BUFFERED_MSGS = 100_000;
    /** nats-server's {@code streamDefaultMaxQueueBytes}. */
    public static final long DEFAULT_MAX_BUFFERED_SIZE = 128L * 1024 * 1024;
    /** JetStream off, every other value at its default. */
    public static final JetStreamOptions DISABLED = new JetStreamOptions(false, "", -1, false, -1, false, "", "",
            DEFAULT_SYNC_INTERVAL, false, true, 0, 0, DEFAULT_REQUEST_QUEUE_LIMIT, 0, Limits.DEFAULTS, "", "",
            Cipher.CHACHA, 0, 0, 0, false, 0, "");

    public JetStreamOptions {
        storeDir = Objects.requireNonNullElse(storeDir, "");
        domain = Objects.requireNonNullElse(domain, "");
        uniqueTag = Objects.requireNonNullElse(uniqueTag, "");
        syncInterval = syncInterval == null || syncInterval.isZero() ? DEFAULT_SYNC_INTERVAL : syncInterval;
        limits = Objects.requireNonNullElse(limits, Limits.DEFAULTS);
        key = Objects.requireNonNullElse(key, "");
        prevKey = Objects.requireNonNullElse(prevKey, "");
        cipher = Objects.requireNonNullElse(cipher, Cipher.CHACHA);
        extensionHint = Objects.requireNonNullElse(extensionHint, "");
        if (requestQueueLimit <= 0) {
            requestQueueLimit = DEFAULT_REQUEST_QUEUE_LIMIT;
        }
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The ingest queue length of a stream. */
    public int effectiveMaxBufferedMsgs() {
        return maxBufferedMsgs > 0 ? maxBufferedMsgs : DEFAULT_MAX_BUFFERED_MSGS;
    }

    /** The ingest queue bytes of a stream. */
    public long effectiveMaxBufferedSize() {
        return maxBufferedSizeBytes > 0 ? maxBufferedSizeBytes : DEFAULT_MAX_BUFFERED_SIZE;
    }

    /** The info request queue limit. */
    public long effectiveInfoQueueLimit() {
        return infoQueueLimit > 0 ? infoQueueLimit : requestQueueLimit;
    }

    /** At-rest encryption ciphers ({@code cipher}). */
    public enum Cipher {
        /** ChaCha20-Poly1305 (the default; {@code chacha}, {@code chachapoly}). */
        CHACHA,
        /** AES-256-GCM ({@code aes}). */
        AES
    }

    /**
     * {@code jetstream { limits {} }}: server-wide limits ({@code JSLimitOpts}). 0 means "not set".
     *
     * @param maxAckPending             {@code max_ack_pending}
     * @param maxHaAssets               {@code max_ha_assets}
     * @param maxRequestBatch           {@code max_request_batch}
     * @param duplicateWindow           {@code duplicate_window}: the largest dedupe window a stream may have
     * @param batchMaxInflightPerStream {@code batch.max_inflight_per_stream} (default 50 atomic batches, 1000 fast
     *                                  batches)
     * @param batchMaxInflightTotal     {@code batch.max_inflight_total} (default 1000 atomic batches, 50 000 fast
     *                                  batches)
     * @param batchMaxMsgs              {@code batch.max_msgs} (default 1000; atomic batches only)
     * @param batchTimeout              {@code batch.timeout} (default 10s, both kinds)
     */
    public record Limits(int maxAckPending, int maxHaAssets, int maxRequestBatch, Duration duplicateWindow,
                         int batchMaxInflightPerStream, int batchMaxInflightTotal, int batchMaxMsgs,
                         Duration batchTimeout) {

        /** Nothing set. */
        public static final Limits DEFAULTS = new Limits(0, 0, 0, Duration.ZERO, 0, 0, 0, Duration.ZERO);

        public Limits {
            duplicateWindow = Objects.requireNonNullElse(duplicateWindow, Duration.ZERO);
            batchTimeout = Objects.requireNonNullElse(batchTimeout, Duration.ZERO);
        }
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private String storeDir;
        private long maxMemoryBytes;
        private boolean maxMemorySet;
        private long maxStoreBytes;
        private boolean maxStoreSet;
        private String domain;
        private String uniqueTag;
        private Duration syncInterval;
        private boolean syncAlways;
        private boolean strict;
        private int maxBufferedMsgs;
        private long maxBufferedSizeBytes;
        private long requestQueueLimit;
        private long infoQueueLimit;
        private Limits limits;
        private String key;
        private String prevKey;
        private Cipher cipher;
        private long maxOutstandingCatchupBytes;
        private long metaCompact;
        private long metaCompactSizeBytes;
        private boolean metaCompactSync;
        private int maxConcurrentIo;
        private String extensionHint;

        private Builder(JetStreamOptions o) {
            enabled = o.enabled;
            storeDir = o.storeDir;
            maxMemoryBytes = o.maxMemoryBytes;
            maxMemorySet = o.maxMemorySet;
            maxStoreBytes = o.maxStoreBytes;
            maxStoreSet = o.maxStoreSet;
            domain = o.domain;
            uniqueTag = o.uniqueTag;
            syncInterval = o.syncInterval;
            syncAlways = o.syncAlways;
            strict = o.strict;
            maxBufferedMsgs = o.maxBufferedMsgs;
            maxBufferedSizeBytes = o.maxBufferedSizeBytes;
            requestQueueLimit = o.requestQueueLimit;
            infoQueueLimit = o.infoQueueLimit;
            limits = o.limits;
            key = o.key;
            prevKey = o.prevKey;
            cipher = o.cipher;
            maxOutstandingCatchupBytes = o.maxOutstandingCatchupBytes;
            metaCompact = o.metaCompact;
            metaCompactSizeBytes = o.metaCompactSizeBytes;
            metaCompactSync = o.metaCompactSync;
            maxConcurrentIo = o.maxConcurrentIo;
            extensionHint = o.extensionHint;
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder storeDir(String v) { storeDir = v; return this; }
        /** {@code max_memory_store}: marks it as set. */
        public Builder maxMemoryBytes(long v) { maxMemoryBytes = v; maxMemorySet = true; return this; }
        /** {@code max_file_store}: marks it as set. */
        public Builder maxStoreBytes(long v) { maxStoreBytes = v; maxStoreSet = true; return this; }
        public Builder domain(String v) { domain = v; return this; }
        public Builder uniqueTag(String v) { uniqueTag = v; return this; }
        public Builder syncInterval(Duration v) { syncInterval = v; return this; }
        public Builder syncAlways(boolean v) { syncAlways = v; return this; }
        public Builder strict(boolean v) { strict = v; return this; }
        public Builder maxBufferedMsgs(int v) { maxBufferedMsgs = v; return this; }
        public Builder maxBufferedSizeBytes(long v) { maxBufferedSizeBytes = v; return this; }
        public Builder requestQueueLimit(long v) { requestQueueLimit = v; return this; }
        public Builder infoQueueLimit(long v) { infoQueueLimit = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder key(String v) { key = v; return this; }
        public Builder prevKey(String v) { prevKey = v; return this; }
        public Builder cipher(Cipher v) { cipher = v; return this; }
        public Builder maxOutstandingCatchupBytes(long v) { maxOutstandingCatchupBytes = v; return this; }
        public Builder metaCompact(long v) { metaCompact = v; return this; }
        public Builder metaCompactSizeBytes(long v) { metaCompactSizeBytes = v; return this; }
        public Builder metaCompactSync(boolean v) { metaCompactSync = v; return this; }
        public Builder maxConcurrentIo(int v) { maxConcurrentIo = v; return this; }
        public Builder extensionHint(String v) { extensionHint = v; return this; }

        public String storeDir() { return storeDir; }
        public Limits limits() { return limits; }

        public JetStreamOptions build() {
            return new JetStreamOptions(enabled, storeDir, maxMemoryBytes, maxMemorySet, maxStoreBytes, maxStoreSet,
                    domain, uniqueTag, syncInterval, syncAlways, strict, maxBufferedMsgs, maxBufferedSizeBytes,
                    requestQueueLimit, infoQueueLimit, limits, key, prevKey, cipher, maxOutstandingCatchupBytes,
                    metaCompact, metaCompactSizeBytes, metaCompactSync, maxConcurrentIo, extensionHint);
        }
    }
}
