package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.GoTimeParse;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.file.FileStreamStore;
import io.jnatsd.subject.Subjects;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.store.StorageType;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An account's JetStream: its limits per tier, its usage per tier, its API counters, its streams and the internal
 * client that subscribes and publishes for it ({@code server/jetstream.go jsAccount}).
 * <p>
 * Thread-safe. The account's monitor guards the stream map, the limits and the usage; it is taken before the
 * engine's ({@link JetStream}) and never while a stream's lock is held.
 */
// nats-server: jetstream.go jsAccount, selectLimits, JetStreamUsage, updateUsage, wouldExceedLimits
public final class JsAccount {

    private static final NatsLogger LOG = NatsLogger.get(JsAccount.class);
    /** The directory of an account's streams. */
    static final String STREAMS_DIR = "streams";

    private final JetStream js;
    private final Account account;
    private final Path storeDir;
    private final Connection client;
    private final AtomicLong apiTotal = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final Map<String, long[]> usage = new HashMap<>();        // tier -> {mem, store}; guarded by this
    private Map<String, JetStreamAccountLimits> limits;                // guarded by this
    private final TreeMap<String, Stream> streams = new TreeMap<>();   // guarded by this
    private final Object streamOps = new Object();                      // serializes create, update, delete

    JsAccount(JetStream js, Account account, Map<String, JetStreamAccountLimits> limits, Path storeDir) {
        this.js = js;
        this.account = account;
        this.limits = limits;
        this.storeDir = storeDir;
        this.client = js.host().createInternalClient(account);
    }

    /** The account. */
    public Account account() {
        return account;
    }

    /** The engine. */
    public JetStream jetStream() {
        return js;
    }

    /** Where the account's streams live: {@code <store>/jetstream/<account>}. */
    public Path storeDir() {
        return storeDir;
    }

    /** The internal client of the account (stream subscriptions, acknowledgements, advisories). */
    public Connection client() {
        return client;
    }

    /** The limits per tier. */
    public synchronized Map<String, JetStreamAccountLimits> limits() {
        return limits;
    }

    /** Replaces the limits (config reload, account JWT update). */
    // nats-server: jetstream.go UpdateJetStreamLimits
    synchronized void updateLimits(Map<String, JetStreamAccountLimits> next) {
        limits = next.isEmpty() ? Map.of("", JetStreamAccountLimits.UNLIMITED) : Map.copyOf(next);
    }

    /** Recovers the account's file streams from its store directory ({@code <account>/streams/<name>}). */
    // nats-server: jetstream.go EnableJetStream (stream recovery)
    void recover() {
        Path dir = storeDir.resolve(STREAMS_DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(dirs::add);
        } catch (IOException e) {
            LOG.warn("  Error reading stream directory " + dir + ": " + e.getMessage());
            return;
        }
        dirs.sort(null);
        for (Path sd : dirs) {
            if (!Files.isDirectory(sd)) {
                continue;
            }
            String meta = FileStreamStore.readMeta(sd);
            if (meta == null) {
                LOG.warn("  Error reading metafile in " + sd);
                continue;
            }
            try {
                JsonNode node = ApiJson.mapper().readTree(meta);
                long created = 0;
                JsonNode c = node.get("created");
                if (c != null && c.isTextual() && !c.asText().equals(StreamInfo.ZERO_TIME)) {
                    Instant t = GoTimeParse.parse(c.asText());
                    created = t.getEpochSecond() * 1_000_000_000L + t.getNano();
                }
                ((ObjectNode) node).remove("created");
                StreamConfig cfg = ApiJson.mapper().treeToValue(node, StreamConfig.class);
                Map.Entry<String, JetStreamAccountLimits> sel = selectLimits(cfg.replicas());
                String tier = sel == null ? tierName(cfg.replicas()) : sel.getKey();
                LOG.notice("  Starting restore for stream '" + account.name() + " > " + cfg.name() + "'");
                Stream stream = Stream.start(this, cfg, tier, created);
                synchronized (this) {
                    streams.put(cfg.name(), stream);
                }
                if (cfg.maxBytes() > 0) {
                    js.reserve(cfg.storage(), cfg.maxBytes());
                }
                StreamInfo.State st = stream.state();
                LOG.notice("  Restored " + st.messages() + " messages for stream '" + account.name() + " > "
                        + cfg.name() + "'");
                io.jnatsd.server.jetstream.consumer.Consumers.recover(stream);
            } catch (IOException | RuntimeException e) {
                LOG.warn("  Error recovering stream in " + sd + ": " + e.getMessage());
            }
        }
    }

    /** Stops the account's streams (their stores stay). */
    void stop() {
        List<Stream> all;
        synchronized (this) {
            all = new ArrayList<>(streams.values());
            streams.clear();
        }
        for (Stream s : all) {
            s.stop(false);
        }
    }

    // ---- streams ---------------------------------------------------------------------------------------------------

    /** The stream named {@code name}, or null. */
    public synchronized Stream lookup(String name) {
        return streams.get(name);
    }

    /** The streams, by name. */
    public synchronized List<Stream> streams() {
        return new ArrayList<>(streams.values());
    }

    /** The streams, by name, whose subjects collide with {@code filter} (all when empty). */
    // nats-server: jetstream.go Account.filteredStreams
    public List<Stream> streams(String filter) {
        List<Stream> out = new ArrayList<>();
        for (Stream s : streams()) {
            if (filter == null || filter.isEmpty()) {
                out.add(s);
                continue;
            }
            for (String subj : s.config().subjectList()) {
                if (Subjects.subjectsCollide(filter, subj)) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** What the configuration checks need to know about this account. */
    public StreamConfigChecks.Context checks() {
        return new StreamConfigChecks.Context() {
            @Override
            public StreamConfig stream(String name) {
                Stream s = lookup(name);
                return s == null ? null : s.config();
            }

            @Override
            public long maxDuplicatesNanos() {
                return js.options().limits().duplicateWindow().toNanos();
            }

            @Override
            public JetStreamAccountLimits limitsFor(int replicas) {
                Map.Entry<String, JetStreamAccountLimits> e = selectLimits(replicas);
                return e == null ? null : e.getValue();
            }
        };
    }

    /**
     * The stream-count and reservation checks {@code STREAM.CREATE} makes before anything else, on the request as
     * given ({@code jsNonClusteredStreamLimitsCheck}).
     *
     * @return the error, or null
     */
    // nats-server: jetstream_api.go jsNonClusteredStreamLimitsCheck
    public ApiError createLimitsCheck(StreamConfig cfg) {
        Map.Entry<String, JetStreamAccountLimits> sel = selectLimits(cfg.replicas());
        if (sel == null) {
            return JsApiError.NO_LIMITS.error();
        }
        synchronized (this) {
            if (sel.getValue().maxStreams() > 0 && countStreams(sel.getKey(), cfg) >= sel.getValue().maxStreams()) {
                return JsApiError.MAXIMUM_STREAMS_LIMIT.error();
            }
            return checkAllLimits(sel.getValue(), sel.getKey(), cfg, tieredReservation(sel.getKey(), cfg), 0);
        }
    }

    // nats-server: jetstream.go jsAccount.countStreams
    private int countStreams(String tier, StreamConfig cfg) {
        int n = 0;
        for (Stream s : streams.values()) {
            StreamConfig c = s.config();
            if ((tier.isEmpty() || Math.max(1, c.replicas()) == Math.max(1, cfg.replicas()))
                    && !c.name().equals(cfg.name())) {
                n++;
            }
        }
        return n;
    }

    /** Bytes reserved by other streams' max_bytes in {@code tier} and {@code cfg}'s storage. */
    // nats-server: jetstream_api.go jsAccount.tieredReservation
    private long tieredReservation(String tier, StreamConfig cfg) {
        long reservation = 0;
        for (Stream s : streams.values()) {
            StreamConfig c = s.config();
            if (c.name().equals(cfg.name())) {
                continue;
            }
            if ((tier.isEmpty() || Math.max(1, c.replicas()) == Math.max(1, cfg.replicas())) && c.maxBytes() > 0
                    && c.storageOrDefault() == cfg.storageOrDefault()) {
                reservation = saturatingAdd(reservation, accountReservation(tier, c.replicas(), c.maxBytes()));
            }
        }
        return reservation;
    }

    private static long accountReservation(String tier, int replicas, long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        if (tier.isEmpty() && replicas > 1) {
            return Math.multiplyHigh(replicas, bytes) != 0 ? Long.MAX_VALUE : replicas * bytes;
        }
        return bytes;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * The account's and the server's limits for a stream with {@code cfg}: consumers, then bytes.
     *
     * @return the error, or null
     */
    // nats-server: jetstream.go checkLimits, checkBytesLimits
    private ApiError checkAllLimits(JetStreamAccountLimits selected, String tier, StreamConfig cfg, long currentRes,
                                    long maxBytesOffset) {
        if (cfg.maxConsumers() > 0 && selected.maxConsumers() > 0 && cfg.maxConsumers() > selected.maxConsumers()) {
            return JsApiError.MAXIMUM_CONSUMERS_LIMIT.error();
        }
        long addBytes = cfg.maxBytes() < 0 ? 1 : cfg.maxBytes();
        long serverBytes = saturatingAdd(addBytes, maxBytesOffset);
        long accountBytes = accountReservation(tier, cfg.replicas(), serverBytes);
        JetStreamConfig jc = js.config();
        if (cfg.storageOrDefault() == StorageType.MEMORY) {
            if (selected.maxMemoryBytes() >= 0 && (currentRes > selected.maxMemoryBytes()
                    || accountBytes > selected.maxMemoryBytes() - currentRes)) {
                return JsApiError.MEMORY_RESOURCES_EXCEEDED.error();
            }
            long reserved = js.reserved(StorageType.MEMORY);
            if (reserved > jc.maxMemory() || serverBytes > jc.maxMemory() - reserved) {
                return JsApiError.MEMORY_RESOURCES_EXCEEDED.error();
            }
        } else {
            if (selected.maxStoreBytes() >= 0 && (currentRes > selected.maxStoreBytes()
                    || accountBytes > selected.maxStoreBytes() - currentRes)) {
                return JsApiError.STORAGE_RESOURCES_EXCEEDED.error();
            }
            long reserved = js.reserved(StorageType.FILE);
            if (reserved > jc.maxStore() || serverBytes > jc.maxStore() - reserved) {
                return JsApiError.STORAGE_RESOURCES_EXCEEDED.error();
            }
        }
        return null;
    }

    /** Whether another stream's subjects collide with {@code subjects}. */
    // nats-server: stream.go jsAccount.subjectsOverlap
    private boolean subjectsOverlap(List<String> subjects, String self) {
        for (Stream s : streams.values()) {
            if (s.name().equals(self)) {
                continue;
            }
            for (String subj : s.config().subjectList()) {
                for (String t : subjects) {
                    if (Subjects.subjectsCollide(t, subj)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Creates a stream ({@code requested} carries the static metadata), or returns the existing one when its
     * configuration is the same.
     *
     * @throws ApiException with nats-server's error
     */
    // nats-server: stream.go addStreamWithAssignmentAndMode
    public Stream addStream(StreamConfig requested, boolean pedantic) {
        StreamConfig cfg = StreamConfigChecks.check(requested, pedantic, checks());
        if (cfg.replicas() > 1) {
            throw JsApiError.STREAM_REPLICAS_NOT_SUPPORTED.error().toException();
        }
        synchronized (streamOps) {
            String tier;
            synchronized (this) {
                Stream existing = streams.get(cfg.name());
                if (existing != null) {
                    StreamConfig ocfg = existing.config();
                    if (StreamConfigChecks.withMetadataOf(cfg, ocfg).equals(ocfg)) {
                        return existing;
                    }
                    throw JsApiError.STREAM_NAME_EXIST.error().toException();
                }
                Map.Entry<String, JetStreamAccountLimits> sel = selectLimits(cfg.replicas());
                if (sel == null) {
                    throw JsApiError.NO_LIMITS.error().toException();
                }
                tier = sel.getKey();
                synchronized (js) {
                    ApiError err = checkAllLimits(sel.getValue(), tier, cfg, tieredReservation(tier, cfg), 0);
                    if (err != null) {
                        throw err.toException();
                    }
                }
                if (cfg.mirror() != null || !cfg.sourceList().isEmpty()) {
                    throw StreamConfigChecks.sourcesNotSupported().toException();
                }
                if (subjectsOverlap(cfg.subjectList(), null)) {
                    throw JsApiError.STREAM_SUBJECT_OVERLAP.error().toException();
                }
            }
            long created = js.storeEnvironment().nowNanos();
            Stream stream = Stream.start(this, cfg, tier, created);
            if (cfg.maxBytes() > 0) {
                js.reserve(cfg.storage(), cfg.maxBytes());
            }
            synchronized (this) {
                streams.put(cfg.name(), stream);
            }
            js.advisories().streamAction(account, Advisories.STREAM_CREATED, cfg.name(), "create");
            return stream;
        }
    }

    /**
     * Updates stream {@code cfg.name()} to {@code requested} (already through the checks, with the static
     * metadata).
     *
     * @throws ApiException 10059 when there is no such stream; the update rules' and limits' errors otherwise
     */
    // nats-server: stream.go updateWithAdvisory, configUpdateCheckLocked (limits part)
    public Stream updateStream(StreamConfig cfg) {
        synchronized (streamOps) {
            Stream stream = lookup(cfg.name());
            if (stream == null) {
                throw JsApiError.STREAM_NOT_FOUND.error().toException();
            }
            StreamConfig old = stream.config();
            StreamConfig next = StreamConfigChecks.checkUpdate(old, cfg);
            checkUpdateLimits(old, next);
            synchronized (this) {
                if (subjectsOverlap(next.subjectList(), stream.name())) {
                    throw JsApiError.STREAM_SUBJECT_OVERLAP.error().toException();
                }
            }
            if (next.mirror() != null || !next.sourceList().isEmpty()) {
                throw StreamConfigChecks.sourcesNotSupported().toException();
            }
            stream.update(next);
            return stream;
        }
    }

    // nats-server: stream.go configUpdateCheckLocked (from maxBytesDiff on)
    private void checkUpdateLimits(StreamConfig old, StreamConfig next) {
        long maxBytesDiff = Math.max(0, Math.max(next.maxBytes(), 0) - Math.max(old.maxBytes(), 0));
        StreamConfig diffCfg = next.toBuilder().maxBytes(maxBytesDiff).build();
        Map.Entry<String, JetStreamAccountLimits> sel = selectLimits(next.replicas());
        if (sel == null && old.replicas() != next.replicas()) {
            sel = selectLimits(old.replicas());
        }
        if (sel == null) {
            throw JsApiError.NO_LIMITS.error().toException();
        }
        synchronized (this) {
            long reserved = tieredReservation(sel.getKey(), diffCfg);
            reserved = saturatingAdd(reserved, accountReservation(sel.getKey(), next.replicas(),
                    next.maxBytes() - maxBytesDiff));
            ApiError err = checkAllLimits(sel.getValue(), sel.getKey(), diffCfg, reserved, 0);
            if (err != null) {
                throw err.toException();
            }
        }
    }

    /**
     * Creates stream {@code cfg} (checked) from a snapshot: its store is filled from {@code snapshot} before the
     * stream starts taking messages.
     *
     * @throws ApiException when the stream exists (10130), limits refuse it, or the snapshot is damaged (10062)
     */
    // nats-server: stream.go Account.RestoreStream
    public Stream restoreStream(StreamConfig cfg, java.io.InputStream snapshot) {
        synchronized (streamOps) {
            String tier;
            synchronized (this) {
                if (streams.containsKey(cfg.name())) {
                    throw JsApiError.STREAM_NAME_EXIST_RESTORE_FAILED.error().toException();
                }
                Map.Entry<String, JetStreamAccountLimits> sel = selectLimits(cfg.replicas());
                if (sel == null) {
                    throw JsApiError.NO_LIMITS.error().toException();
                }
                tier = sel.getKey();
                if (subjectsOverlap(cfg.subjectList(), null)) {
                    throw JsApiError.STREAM_SUBJECT_OVERLAP.error().toException();
                }
            }
            long created = js.storeEnvironment().nowNanos();
            io.jnatsd.store.StreamStore store = Stream.openStore(this, cfg, created);
            try {
                io.jnatsd.store.StreamSnapshot.read(snapshot).restoreInto(store);
            } catch (IOException | RuntimeException e) {
                store.delete();
                throw JsApiError.STREAM_RESTORE.error(e.getMessage() == null ? e.toString() : e.getMessage())
                        .toException();
            }
            Stream stream = Stream.start(this, cfg, tier, created, store);
            if (cfg.maxBytes() > 0) {
                js.reserve(cfg.storage(), cfg.maxBytes());
            }
            synchronized (this) {
                streams.put(cfg.name(), stream);
            }
            io.jnatsd.server.jetstream.consumer.Consumers.recover(stream);
            js.advisories().streamAction(account, Advisories.STREAM_CREATED, cfg.name(), "create");
            return stream;
        }
    }

    /** Deletes {@code stream} and its data. */
    // nats-server: stream.go delete / stop(true, true)
    public void deleteStream(Stream stream) {
        synchronized (streamOps) {
            synchronized (this) {
                if (streams.get(stream.name()) != stream) {
                    return;
                }
                streams.remove(stream.name());
            }
            stream.stop(true);
            js.advisories().streamAction(account, Advisories.STREAM_DELETED, stream.name(), "delete");
        }
    }

    // ---- limits and usage ------------------------------------------------------------------------------------------

    /** The tier's name for {@code replicas} ({@code R1}, {@code R3}; 0 counts as 1). */
    // nats-server: jetstream.go tierName
    static String tierName(int replicas) {
        return "R" + Math.max(1, replicas);
    }

    /**
     * The limits that apply to a stream with {@code replicas}: the un-tiered ones when present, else the tier's.
     *
     * @return {tier name, limits}, or null when no limits apply (10120)
     */
    // nats-server: jetstream.go selectLimits
    public synchronized Map.Entry<String, JetStreamAccountLimits> selectLimits(int replicas) {
        JetStreamAccountLimits flat = limits.get("");
        if (flat != null) {
            return Map.entry("", flat);
        }
        String tier = tierName(replicas);
        JetStreamAccountLimits l = limits.get(tier);
        return l == null ? null : Map.entry(tier, l);
    }

    /** Adds {@code delta} bytes to the usage of {@code storage} in {@code tier}. */
    // nats-server: jetstream.go updateUsage
    void updateUsage(String tier, StorageType storage, long delta) {
        synchronized (this) {
            long[] u = usage.computeIfAbsent(tier, t -> new long[2]);
            u[storage == StorageType.MEMORY ? 0 : 1] += delta;
        }
        js.addUsage(storage, delta);
    }

    /** Bytes used by {@code storage} in {@code tier}. */
    synchronized long usage(String tier, StorageType storage) {
        long[] u = usage.get(tier);
        return u == null ? 0 : u[storage == StorageType.MEMORY ? 0 : 1];
    }

    /**
     * Whether storing {@code bytes} more in {@code tier} would exceed the account's limit ({@code replicas} scale
     * the message; tiered limits are scaled by replicas too).
     *
     * @return false when within limits; true when exceeded; null when no limits apply to the tier (10120)
     */
    // nats-server: jetstream.go wouldExceedLimits (jsAccount)
    synchronized Boolean wouldExceedLimits(StorageType storage, String tier, int replicas, long bytes) {
        JetStreamAccountLimits selected = limits.get(tier);
        if (selected == null) {
            return null;
        }
        long[] inUse = usage.get(tier);
        if (inUse == null) {
            return false;
        }
        long r = Math.max(1, replicas);
        long lr = tier.isEmpty() ? 1 : r;
        if (storage == StorageType.MEMORY) {
            long total = inUse[0] + bytes * r;
            return selected.maxMemoryBytes() >= 0 && total > selected.maxMemoryBytes() * lr;
        }
        long total = inUse[1] + bytes * r;
        return selected.maxStoreBytes() >= 0 && total > selected.maxStoreBytes() * lr;
    }

    // ---- API counters ----------------------------------------------------------------------------------------------

    /** Counts an API request of this account (and an error when {@code error}). */
    public void trackApi(boolean error) {
        apiTotal.incrementAndGet();
        if (error) {
            apiErrors.incrementAndGet();
        }
        js.trackApi(error);
    }

    // ---- INFO ------------------------------------------------------------------------------------------------------

    /** What {@code $JS.API.INFO} reports for this account. */
    // nats-server: jetstream.go Account.JetStreamUsage (standalone)
    public synchronized AccountStats usage() {
        long mem = 0;
        long store = 0;
        for (long[] u : usage.values()) {
            mem += u[0];
            store += u[1];
        }
        AccountStats.Api api = new AccountStats.Api(JetStream.API_LEVEL, apiTotal.get(), apiErrors.get(), 0);
        long[] reserved = reservedStorage("");
        int consumers = 0;
        Map<String, int[]> perTier = new HashMap<>();
        for (Stream s : streams.values()) {
            int n = s.consumers().size();
            consumers += n;
            int[] c = perTier.computeIfAbsent(s.tier(), t -> new int[2]);
            c[0]++;
            c[1] += n;
        }
        JetStreamAccountLimits flat = limits.get("");
        if (flat != null) {
            return new AccountStats(mem, store, reserved[0], reserved[1], streams.size(), consumers,
                    AccountLimitsInfo.of(flat), js.domain(), api, null);
        }
        Map<String, AccountStats.Tier> tiers = new TreeMap<>();
        for (Map.Entry<String, long[]> e : usage.entrySet()) {
            boolean empty = e.getValue()[0] == 0 && e.getValue()[1] == 0;
            if (limits.containsKey(e.getKey()) || !empty) {
                long[] r = reservedStorage(e.getKey());
                int[] c = perTier.getOrDefault(e.getKey(), new int[2]);
                tiers.put(e.getKey(), new AccountStats.Tier(e.getValue()[0], e.getValue()[1], r[0], r[1], c[0], c[1],
                        AccountLimitsInfo.of(limits.get(e.getKey()))));
            }
        }
        for (Map.Entry<String, JetStreamAccountLimits> e : limits.entrySet()) {
            if (!tiers.containsKey(e.getKey())) {
                long[] r = reservedStorage(e.getKey());
                int[] c = perTier.getOrDefault(e.getKey(), new int[2]);
                tiers.put(e.getKey(), new AccountStats.Tier(0, 0, r[0], r[1], c[0], c[1],
                        AccountLimitsInfo.of(e.getValue())));
            }
        }
        return new AccountStats(mem, store, reserved[0], reserved[1], streams.size(), consumers,
                AccountLimitsInfo.ZERO, js.domain(), api, new LinkedHashMap<>(tiers));
    }

    /** Bytes reserved by streams' max_bytes in {@code tier} ("" = all): {memory, storage}. Caller holds the lock. */
    // nats-server: jetstream.go jsAccount.reservedStorage
    long[] reservedStorage(String tier) {
        long mem = 0;
        long store = 0;
        for (Stream s : streams.values()) {
            StreamConfig c = s.config();
            if ((tier.isEmpty() || tier.equals(tierName(c.replicas()))) && c.maxBytes() > 0) {
                if (c.storage() == StorageType.MEMORY) {
                    mem += c.maxBytes();
                } else {
                    store += c.maxBytes();
                }
            }
        }
        return new long[] {mem, store};
    }
}
