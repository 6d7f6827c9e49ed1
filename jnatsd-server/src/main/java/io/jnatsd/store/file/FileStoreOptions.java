package io.jnatsd.store.file;

import java.util.Objects;

/**
 * Server-level settings of file stores (the {@code jetstream {}} block), as opposed to a stream's own
 * {@link io.jnatsd.store.StoreConfig}.
 *
 * @param syncIntervalNanos how often dirty blocks are fsynced and {@code index.db} rewritten ({@code sync_interval},
 *                          default 2 minutes)
 * @param syncAlways        fsync every write before it returns ({@code sync: always})
 * @param cacheBlocks       sealed blocks kept decoded in memory per stream (least recently used beyond that)
 * @param encryption        encryption at rest, or null
 */
// nats-server: filestore.go FileStoreConfig (SyncInterval, SyncAlways, Cipher) and opts.go JetStreamKey/OldKey
public record FileStoreOptions(long syncIntervalNanos, boolean syncAlways, int cacheBlocks,
                               StoreEncryption encryption) {

    /** nats-server's default {@code sync_interval}. */
    public static final long DEFAULT_SYNC_INTERVAL_NANOS = 120_000_000_000L;
    /** Decoded sealed blocks kept per stream by default. */
    public static final int DEFAULT_CACHE_BLOCKS = 4;
    /** The defaults: 2 minute sync interval, no sync always, no encryption. */
    public static final FileStoreOptions DEFAULTS = new FileStoreOptions(DEFAULT_SYNC_INTERVAL_NANOS, false,
            DEFAULT_CACHE_BLOCKS, null);

    public FileStoreOptions {
        if (syncIntervalNanos <= 0) {
            syncIntervalNanos = DEFAULT_SYNC_INTERVAL_NANOS;
        }
        if (cacheBlocks <= 0) {
            cacheBlocks = DEFAULT_CACHE_BLOCKS;
        }
    }

    /** These options with {@code sync: always}. */
    public FileStoreOptions withSyncAlways(boolean always) {
        return new FileStoreOptions(syncIntervalNanos, always, cacheBlocks, encryption);
    }

    /** These options with encryption. */
    public FileStoreOptions withEncryption(StoreEncryption encryption) {
        return new FileStoreOptions(syncIntervalNanos, syncAlways, cacheBlocks,
                Objects.requireNonNull(encryption, "encryption"));
    }
}
