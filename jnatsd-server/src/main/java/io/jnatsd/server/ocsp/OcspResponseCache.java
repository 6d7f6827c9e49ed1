package io.jnatsd.server.ocsp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jnatsd.common.GoJson;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.OcspCacheOptions;
import io.jnatsd.store.file.S2Stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cache of responder answers that OCSP peer verification consults before asking a responder (nats-server's
 * {@code OCSPResponseCache}): keyed by the certificate's fingerprint, holding the S2-compressed response. A
 * {@link OcspCacheOptions.Type#LOCAL} cache is loaded from {@code <local_store>/cache.json} when started, saved
 * there every {@code save_interval} when it changed and when stopped; a {@link OcspCacheOptions.Type#NONE} cache
 * holds nothing. The file is nats-server's: a JSON object of items with {@code subject}, {@code cached_at},
 * {@code resp_status}, {@code resp_expires} and {@code resp} (base64 of the S2 stream), so either server reads the
 * other's.
 * <p>
 * Thread-safe: handshakes on any thread use it under its lock; the save timer runs on a virtual thread.
 */
// nats-server: ocsp_responsecache.go LocalCache, NoOpCache
public final class OcspResponseCache {

    /** The saved cache's file name in {@code local_store} ({@code OCSPResponseCacheDefaultFilename}). */
    public static final String FILE_NAME = "cache.json";

    private static final NatsLogger LOG = NatsLogger.get(OcspResponseCache.class);

    /** One cached answer, as nats-server stores it ({@code OCSPResponseCacheItem}). */
    record Item(@JsonProperty("subject") String subject,
                @JsonProperty("cached_at") String cachedAt,
                @JsonProperty("resp_status") String status,
                @JsonProperty("resp_expires") String expires,
                @JsonProperty("resp") byte[] response) {
    }

    /**
     * The counters nats-server reports in {@code /varz} {@code ocsp_peer_cache}.
     *
     * @param responses cached responses
     * @param hits      lookups answered
     * @param misses    lookups not answered (and cached answers found unusable)
     * @param revokes   cached revoked responses
     * @param goods     cached good responses
     * @param unknowns  cached unknown responses
     */
    public record Stats(long responses, long hits, long misses, long revokes, long goods, long unknowns) {
    }

    private final OcspCacheOptions options;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, Item> items = new TreeMap<>();     // guarded by lock
    private boolean online;                                      // guarded by lock
    private boolean dirty;                                       // guarded by lock
    private long hits;
    private long misses;
    private long goods;
    private long revokes;
    private long unknowns;
    private ScheduledExecutorService saver;

    public OcspResponseCache(OcspCacheOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /** {@code local} or {@code none}. */
    public String type() {
        return options.type().name().toLowerCase(Locale.ROOT);
    }

    /** The options this cache runs with. */
    public OcspCacheOptions options() {
        return options;
    }

    private boolean local() {
        return options.type() == OcspCacheOptions.Type.LOCAL;
    }

    /** Where a local cache is saved: {@code <local_store>/cache.json}, absolute. */
    Path file() {
        String dir = options.localStore().isEmpty() ? OcspCacheOptions.DEFAULT_DIR : options.localStore();
        return Path.of(dir, FILE_NAME).toAbsolutePath();
    }

    /** Loads a local cache, brings it online and starts the save timer; logs whether it is online. */
    // nats-server: ocsp_responsecache.go LocalCache.Start, startOCSPResponseCache
    public void start() {
        if (local()) {
            LOG.debug("Starting OCSP peer cache");
            load();
            synchronized (lock) {
                online = true;
            }
            saver = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("jnatsd-ocsp-cache")
                    .factory());
            long interval = options.saveInterval().toNanos();
            saver.scheduleWithFixedDelay(() -> {
                LOG.debug("OCSP peer cache save timer expired");
                save();
            }, interval, interval, TimeUnit.NANOSECONDS);
        } else {
            synchronized (lock) {
                online = true;
            }
        }
        LOG.notice("OCSP peer cache online, type [" + type() + "]");
    }

    /** Takes the cache offline and saves a local one that changed. */
    // nats-server: ocsp_responsecache.go LocalCache.Stop
    public void stop() {
        synchronized (lock) {
            if (local()) {
                LOG.debug("Stopping OCSP peer cache");
            }
            online = false;
        }
        if (saver != null) {
            saver.shutdownNow();
            saver = null;
        }
        if (local()) {
            save();
        }
    }

    /** Whether the cache answers (started and not stopped). */
    public boolean online() {
        synchronized (lock) {
            return online;
        }
    }

    /** The raw response cached for {@code key}, or null (a miss). */
    // nats-server: ocsp_responsecache.go LocalCache.Get
    byte[] get(String key) {
        if (!local()) {
            return null;
        }
        Item item;
        synchronized (lock) {
            if (!online || key.isEmpty()) {
                return null;
            }
            item = items.get(key);
            if (item == null) {
                misses++;
                LOG.debug("OCSP peer cache miss for key [" + key + "]");
                return null;
            }
            hits++;
            LOG.debug("OCSP peer cache hit for key [" + key + "]");
        }
        try {
            return S2Stream.decode(item.response());
        } catch (IllegalArgumentException e) {
            LOG.error("Unable to decompress OCSP response for key [" + key + "]: error reading compression reader: "
                    + e.getMessage());
            return null;
        }
    }

    /** Caches {@code response} for {@code key} (replacing an older answer). */
    // nats-server: ocsp_responsecache.go LocalCache.Put
    void put(String key, OcspResponse response, String subject) {
        if (!local()) {
            return;
        }
        synchronized (lock) {
            if (!online || key.isEmpty()) {
                return;
            }
        }
        LOG.debug("Caching OCSP response for [" + subject + "], key [" + key + "]");
        byte[] compressed = S2Stream.encode(response.raw());
        LOG.debug("OCSP response compression ratio: [" + String.format(Locale.ROOT, "%f",
                (double) compressed.length / response.raw().length) + "]");
        Instant cachedAt = clock.instant();
        cachedAt = Instant.ofEpochSecond(cachedAt.getEpochSecond() + (cachedAt.getNano() >= 500_000_000 ? 1 : 0));
        Item item = new Item(subject, GoTime.format(cachedAt), response.status().text(),
                GoTime.format(response.nextUpdate()), compressed);
        synchronized (lock) {
            Item old = items.put(key, item);
            if (old != null) {
                count(old, -1);
            }
            count(item, 1);
            dirty = true;
        }
    }

    /**
     * Forgets {@code key}, unless it is a revoked answer and {@code preserve_revoked} is set.
     *
     * @param wasMiss the lookup that found it could not use it: count a miss instead of the hit
     */
    // nats-server: ocsp_responsecache.go LocalCache.Delete
    void delete(String key, boolean wasMiss) {
        if (!local()) {
            return;
        }
        synchronized (lock) {
            if (!online || key.isEmpty()) {
                return;
            }
            Item item = items.get(key);
            if (item == null) {
                return;
            }
            if (OcspStatus.fromText(item.status()) == OcspStatus.REVOKED && options.preserveRevoked()) {
                LOG.debug("Revoked OCSP response for key [" + key + "] preserved by cache policy");
                if (wasMiss) {
                    misses++;
                    hits--;
                }
                return;
            }
            LOG.debug("Deleting OCSP peer cached response for key [" + key + "]");
            items.remove(key);
            count(item, -1);
            if (wasMiss) {
                misses++;
                hits--;
            }
            dirty = true;
        }
    }

    private void count(Item item, int delta) {
        switch (OcspStatus.fromText(item.status())) {
            case GOOD -> goods += delta;
            case REVOKED -> revokes += delta;
            case UNKNOWN -> unknowns += delta;
        }
    }

    /** The counters, or null for a cache of type none (nats-server reports none then). */
    public Stats stats() {
        if (!local()) {
            return null;
        }
        synchronized (lock) {
            return new Stats(items.size(), hits, misses, revokes, goods, unknowns);
        }
    }

    // nats-server: ocsp_responsecache.go LocalCache.loadCache, initStats
    private void load() {
        Path file = file();
        LOG.debug("Loading OCSP peer cache [" + file + "]");
        Map<String, Item> loaded = Map.of();
        boolean corrupt = false;
        try {
            byte[] json = Files.readAllBytes(file);
            loaded = GoJson.mapper().readValue(json, new TypeReference<TreeMap<String, Item>>() { });
            for (Item item : loaded.values()) {
                if (item == null || item.response() == null) {
                    throw new IOException("json: cannot unmarshal null into Go value of type OCSPResponseCacheItem");
                }
            }
        } catch (NoSuchFileException e) {
            LOG.debug("No OCSP peer cache found, starting with empty cache");
        } catch (IOException | RuntimeException e) {
            LOG.warn("Unable to load OCSP peer cache: " + e.getMessage());
            loaded = Map.of();
            corrupt = true;
        }
        synchronized (lock) {
            items.clear();
            items.putAll(loaded);
            dirty = corrupt;
            hits = 0;
            misses = 0;
            goods = 0;
            revokes = 0;
            unknowns = 0;
            for (Item item : items.values()) {
                count(item, 1);
            }
        }
    }

    /** Writes a changed local cache to a temporary file, then moves it over {@code cache.json}. */
    // nats-server: ocsp_responsecache.go LocalCache.saveCache
    void save() {
        byte[] json;
        synchronized (lock) {
            if (!dirty) {
                return;
            }
            LOG.debug("OCSP peer cache is dirty, saving");
            json = GoJson.writeIndentedBytes(items, " ");
            dirty = false;
        }
        Path file = file();
        LOG.debug("Saving OCSP peer cache [" + file + "]");
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "ocsprc-", "");
            Files.write(tmp, json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.debug("Saved OCSP peer cache successfully (" + json.length + " bytes)");
        } catch (IOException e) {
            synchronized (lock) {
                dirty = true;
            }
            LOG.error("Unable to save OCSP peer cache: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("Unable to remove " + tmp + ": " + e.getMessage());
                }
            }
        }
    }
}
