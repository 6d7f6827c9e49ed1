package io.jnatsd.server.jetstream;

import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.store.StorageType;

import java.nio.file.Path;
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

    private final JetStream js;
    private final Account account;
    private final Path storeDir;
    private final Connection client;
    private final AtomicLong apiTotal = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final Map<String, long[]> usage = new HashMap<>();        // tier -> {mem, store}; guarded by this
    private Map<String, JetStreamAccountLimits> limits;                // guarded by this

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

    /** Recovers the account's streams from its store directory. */
    void recover() {
        // streams come with the stream layer
    }

    /** Stops the account's streams. */
    void stop() {
        for (io.jnatsd.server.conn.Subscription sub : client.subscriptions()) {
            client.unsubscribeInternal(sub);
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
        JetStreamAccountLimits flat = limits.get("");
        if (flat != null) {
            return new AccountStats(mem, store, reserved[0], reserved[1], 0, 0, AccountLimitsInfo.of(flat),
                    js.domain(), api, null);
        }
        Map<String, AccountStats.Tier> tiers = new TreeMap<>();
        for (Map.Entry<String, long[]> e : usage.entrySet()) {
            boolean empty = e.getValue()[0] == 0 && e.getValue()[1] == 0;
            if (limits.containsKey(e.getKey()) || !empty) {
                long[] r = reservedStorage(e.getKey());
                tiers.put(e.getKey(), new AccountStats.Tier(e.getValue()[0], e.getValue()[1], r[0], r[1], 0, 0,
                        AccountLimitsInfo.of(limits.get(e.getKey()))));
            }
        }
        for (Map.Entry<String, JetStreamAccountLimits> e : limits.entrySet()) {
            if (!tiers.containsKey(e.getKey())) {
                long[] r = reservedStorage(e.getKey());
                tiers.put(e.getKey(), new AccountStats.Tier(0, 0, r[0], r[1], 0, 0,
                        AccountLimitsInfo.of(e.getValue())));
            }
        }
        return new AccountStats(mem, store, reserved[0], reserved[1], 0, 0, AccountLimitsInfo.ZERO, js.domain(),
                api, new LinkedHashMap<>(tiers));
    }

    /** Bytes reserved by streams' max_bytes in {@code tier} ("" = all): {memory, storage}. */
    // nats-server: jetstream.go jsAccount.reservedStorage
    long[] reservedStorage(String tier) {
        return new long[] {0, 0};
    }
}
