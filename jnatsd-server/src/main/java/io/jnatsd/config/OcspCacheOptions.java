package io.jnatsd.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The cache of responder answers used by OCSP peer verification (the top-level {@code ocsp_cache} key,
 * nats-server's {@code OCSPResponseCacheConfig}). Only used when some {@code tls} block verifies peers with
 * {@code ocsp_peer}; without the key such a server uses {@link #DEFAULTS} (a local cache). Immutable.
 *
 * @param type            {@link Type#LOCAL} (in memory, saved to {@code localStore}) or {@link Type#NONE}
 * @param localStore      the directory of the saved cache ({@code local_store}, default {@value #DEFAULT_DIR},
 *                        relative to the working directory)
 * @param preserveRevoked keep revoked answers even when they are no longer current ({@code preserve_revoked})
 * @param saveInterval    how often a changed cache is saved ({@code save_interval}, whole seconds, at least 1 s;
 *                        default 5 min)
 */
public record OcspCacheOptions(Type type, String localStore, boolean preserveRevoked, Duration saveInterval) {

    /** The cache kinds ({@code OCSPResponseCacheType}). */
    public enum Type {
        /** No caching: every check asks the responder. */
        NONE,
        /** A map in memory, saved to {@code local_store/cache.json}. */
        LOCAL
    }

    /** Default directory of the local cache ({@code OCSPResponseCacheDefaultDir}). */
    public static final String DEFAULT_DIR = "_rc_";
    /** Default save interval ({@code OCSPResponseCacheDefaultSaveInterval}). */
    public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofMinutes(5);
    /** Shortest save interval ({@code OCSPResponseCacheMinimumSaveInterval}). */
    public static final Duration MINIMUM_SAVE_INTERVAL = Duration.ofSeconds(1);

    /** A local cache with every default ({@code NewOCSPResponseCacheConfig}). */
    public static final OcspCacheOptions DEFAULTS = new OcspCacheOptions(Type.LOCAL, DEFAULT_DIR, false,
            DEFAULT_SAVE_INTERVAL);

    public OcspCacheOptions {
        Objects.requireNonNull(type, "type");
        localStore = Objects.requireNonNullElse(localStore, DEFAULT_DIR);
        Objects.requireNonNull(saveInterval, "saveInterval");
    }

    /** {@code ocsp_cache: true} (local) or {@code false} (none), with the other defaults. */
    public static OcspCacheOptions of(boolean enabled) {
        return new OcspCacheOptions(enabled ? Type.LOCAL : Type.NONE, DEFAULT_DIR, false, DEFAULT_SAVE_INTERVAL);
    }

    public OcspCacheOptions withType(Type v) {
        return new OcspCacheOptions(v, localStore, preserveRevoked, saveInterval);
    }

    public OcspCacheOptions withLocalStore(String v) {
        return new OcspCacheOptions(type, v, preserveRevoked, saveInterval);
    }

    public OcspCacheOptions withPreserveRevoked(boolean v) {
        return new OcspCacheOptions(type, localStore, v, saveInterval);
    }

    public OcspCacheOptions withSaveInterval(Duration v) {
        return new OcspCacheOptions(type, localStore, preserveRevoked, v);
    }
}
