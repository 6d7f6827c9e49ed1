package io.jnatsd.server.jetstream;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.Versions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.JsApiDispatcher;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreEnvironment;
import io.jnatsd.store.file.FileStoreOptions;
import io.jnatsd.store.file.StoreCipher;
import io.jnatsd.store.file.StoreEncryption;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JetStream on one server: the resolved configuration, server-wide resources (memory and storage reserved by
 * streams' {@code max_bytes}, bytes in use), the JetStream-enabled accounts ({@link JsAccount}), the API dispatcher
 * and the advisories ({@code server/jetstream.go jetStream}).
 * <p>
 * Started by the server after its accounts exist ({@link #start}), which enables JetStream for the accounts that have
 * limits and recovers their streams from the store directory; accounts are enabled, updated and disabled later as
 * configuration reloads or account JWTs say ({@link #configureAccount}).
 * <p>
 * Thread-safe. Resource reservations are guarded by this object's monitor ({@code js.mu} in nats-server); usage
 * counters are atomics. Lock order: {@link JsAccount} before this monitor, never the other way.
 */
// nats-server: jetstream.go jetStream, EnableJetStream, enableJetStream, dynJetStreamConfig, usageStats
public final class JetStream {

    private static final NatsLogger LOG = NatsLogger.get(JetStream.class);
    /** The API level this server implements ({@code JSApiLevel}). */
    public static final int API_LEVEL = 5;
    /** Appended to the store directory ({@code JetStreamStoreDir}). */
    static final String STORE_DIR_NAME = "jetstream";
    /** Disk size assumed when the store directory's file system cannot be asked: 1 TiB. */
    static final long MAX_STORE_DEFAULT = 1024L * 1024 * 1024 * 1024;
    /** Memory size assumed when the machine's cannot be found: 256 MiB. */
    static final long MAX_MEMORY_DEFAULT = 256L * 1024 * 1024;

    private final JetStreamHost host;
    private final JetStreamOptions options;
    private final Map<String, JsAccount> accounts = new ConcurrentHashMap<>();
    private final AtomicLong memUsed = new AtomicLong();
    private final AtomicLong storeUsed = new AtomicLong();
    private final AtomicLong apiTotal = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final AtomicLong apiInflight = new AtomicLong();
    private final AtomicInteger fastBatchesInflight = new AtomicInteger();   // globalInflightFastBatches
    private final Map<String, Connection> accountClients = new ConcurrentHashMap<>();
    private long memReserved;                 // guarded by this
    private long storeReserved;               // guarded by this
    private volatile JetStreamConfig config;
    private volatile JsApiDispatcher dispatcher;
    private volatile Advisories advisories;
    private volatile Snapshots snapshots;
    private volatile boolean shuttingDown;

    /** JetStream with {@code options} for the server behind {@code host}; {@link #start} turns it on. */
    public JetStream(JetStreamHost host, JetStreamOptions options) {
        this.host = host;
        this.options = options;
    }

    // ---- life cycle ------------------------------------------------------------------------------------------------

    /**
     * Resolves the configuration, prepares the store directory, logs the banner, subscribes the API and enables the
     * accounts that have limits ({@code accounts} maps each to its tiers).
     *
     * @throws IOException when the store directory cannot be used (the server does not start)
     */
    // nats-server: jetstream.go EnableJetStream, enableJetStream
    public void start(Map<Account, Map<String, JetStreamAccountLimits>> accountLimits) throws IOException {
        LOG.notice("Starting JetStream");
        long start = System.nanoTime();
        JetStreamConfig cfg = resolveConfig();
        Path dir = Path.of(cfg.storeDir());
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("could not create storage directory - " + e.getMessage(), e);
            }
        } else if (!Files.isDirectory(dir)) {
            throw new IOException("storage directory is not a directory");
        } else if (!Files.isWritable(dir)) {
            throw new IOException("storage directory is not writable");
        }
        this.config = cfg;
        logBanner(cfg);
        this.advisories = new Advisories(this);
        this.snapshots = new Snapshots(this);
        this.dispatcher = new JsApiDispatcher(this);
        dispatcher.start();
        for (Map.Entry<Account, Map<String, JetStreamAccountLimits>> e : accountLimits.entrySet()) {
            enableAccount(e.getKey(), e.getValue());
        }
        LOG.notice("Took " + formatElapsed(System.nanoTime() - start) + " to start JetStream");
    }

    /** Stops every stream (flushing their stores) and the API. Idempotent. */
    public void shutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        JsApiDispatcher d = dispatcher;
        if (d != null) {
            d.stop();
        }
        for (JsAccount jsa : accounts.values()) {
            jsa.stop();
        }
        accounts.clear();
    }

    /** Whether JetStream runs: started and not shut down ({@code jetStream.isEnabled}). */
    public boolean isEnabled() {
        return config != null && !shuttingDown;
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    // nats-server: jetstream.go EnableJetStream / dynJetStreamConfig
    private JetStreamConfig resolveConfig() {
        String base = options.storeDir();
        Path storeDir;
        if (base.isEmpty()) {
            storeDir = Path.of(System.getProperty("java.io.tmpdir"), "nats", STORE_DIR_NAME);
            LOG.warn("Temporary storage directory used, data could be lost on system reboot");
        } else {
            storeDir = Path.of(base, STORE_DIR_NAME);
        }
        long maxStore = options.maxStoreBytes();
        if (!(maxStore > 0 || (options.maxStoreSet() && maxStore == 0))) {
            maxStore = diskAvailable(storeDir);
        }
        long maxMem = options.maxMemoryBytes();
        if (!(maxMem > 0 || (options.maxMemorySet() && maxMem == 0))) {
            long sys = systemMemory();
            maxMem = sys > 0 ? sys / 4 * 3 : MAX_MEMORY_DEFAULT;
        }
        return new JetStreamConfig(maxMem, maxStore, storeDir.toString(), options.syncInterval().toNanos(),
                options.syncAlways(), options.domain(), true, options.uniqueTag(), options.strict());
    }

    // nats-server: disk_avail.go diskAvailable (75% of what is available)
    private static long diskAvailable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace() / 4 * 3;
        } catch (IOException | RuntimeException e) {
            return MAX_STORE_DEFAULT;
        }
    }

    private static long systemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** Server-level file store settings (sync, encryption with keys derived for {@code account}). */
    FileStoreOptions fileStoreOptions(String account) {
        JetStreamConfig cfg = config;
        FileStoreOptions fso = new FileStoreOptions(cfg.syncIntervalNanos(), cfg.syncAlways(), 0, null);
        if (!options.key().isEmpty()) {
            StoreCipher cipher = options.cipher() == JetStreamOptions.Cipher.AES ? StoreCipher.AES
                    : StoreCipher.CHACHA;
            fso = fso.withEncryption(new StoreEncryption(cipher, options.key(),
                    options.prevKey().isEmpty() ? null : options.prevKey(), account));
        }
        return fso;
    }

    // nats-server: jetstream.go enableJetStream (banner)
    private void logBanner(JetStreamConfig cfg) {
        LOG.notice("    _ ___ _____ ___ _____ ___ ___   _   __  __");
        LOG.notice(" _ | | __|_   _/ __|_   _| _ \\ __| /_\\ |  \\/  |");
        LOG.notice("| || | _|  | | \\__ \\ | | |   / _| / _ \\| |\\/| |");
        LOG.notice(" \\__/|___| |_| |___/ |_| |_|_\\___/_/ \\_\\_|  |_|");
        LOG.notice("");
        LOG.notice("         https://docs.nats.io/jetstream");
        LOG.notice("");
        LOG.notice("---------------- JETSTREAM ----------------");
        if (cfg.strict()) {
            LOG.notice("  Strict:          true");
        }
        LOG.notice("  Max Memory:      " + friendlyBytes(cfg.maxMemory()));
        LOG.notice("  Max Storage:     " + friendlyBytes(cfg.maxStore()));
        LOG.notice("  Store Directory: \"" + cfg.storeDir() + "\"");
        if (!cfg.domain().isEmpty()) {
            LOG.notice("  Domain:          " + cfg.domain());
        }
        if (!options.key().isEmpty()) {
            LOG.notice("  Encryption:      " + (options.cipher() == JetStreamOptions.Cipher.AES ? "AES"
                    : "ChaCha20-Poly1305"));
        }
        LOG.notice("  API Level:       " + API_LEVEL);
        LOG.notice("-------------------------------------------");
    }

    /**
     * Raises the server's memory and file storage limits on a config reload (nats-server allows increases only; a
     * value of 0 or less keeps the current one). Reservations are checked against the new limits from now on.
     */
    // nats-server: reload.go jetStreamLimitsOption.Apply
    public void raiseServerLimits(long maxMemoryBytes, long maxStoreBytes) {
        JetStreamConfig c = config;
        config = new JetStreamConfig(maxMemoryBytes > 0 ? maxMemoryBytes : c.maxMemory(),
                maxStoreBytes > 0 ? maxStoreBytes : c.maxStore(), c.storeDir(), c.syncIntervalNanos(), c.syncAlways(),
                c.domain(), c.compressOk(), c.uniqueTag(), c.strict());
    }

    /** nats-server's {@code friendlyBytes}: {@code 512 B}, {@code 1.50 GB}. */
    // nats-server: jetstream.go friendlyBytes
    public static String friendlyBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] pre = {"K", "M", "G", "T", "P", "E"};
        int exp = (int) (Math.log(bytes) / Math.log(1024));
        return String.format(Locale.ROOT, "%.2f %sB", bytes / Math.pow(1024, exp), pre[exp - 1]);
    }

    private static String formatElapsed(long nanos) {
        return io.jnatsd.config.GoDuration.formatNanos(nanos);
    }

    // ---- accounts --------------------------------------------------------------------------------------------------

    /**
     * Enables, updates or disables JetStream for {@code account} as its limits say (null: disabled), as a config
     * reload or an account JWT update does.
     */
    // nats-server: jetstream.go configJetStream
    public void configureAccount(Account account, Map<String, JetStreamAccountLimits> limits) {
        if (shuttingDown || account == host.systemAccount()) {
            return;
        }
        JsAccount existing = accounts.get(account.name());
        if (limits == null) {
            if (existing != null) {
                disableAccount(account);
            }
            return;
        }
        if (existing != null) {
            existing.updateLimits(limits);
            return;
        }
        try {
            enableAccount(account, limits);
        } catch (ApiException e) {
            LOG.error("Error configuring jetstream for account [" + account.name() + "]: " + e.getMessage());
        }
    }

    /**
     * Enables JetStream for {@code account} with {@code limits} (tier name to limits; empty: unlimited) and recovers
     * its streams.
     *
     * @throws ApiException when the server cannot reserve the limits (10028 / 10047)
     */
    // nats-server: jetstream.go Account.EnableJetStream
    public JsAccount enableAccount(Account account, Map<String, JetStreamAccountLimits> limits) {
        if (account == host.systemAccount()) {
            throw new IllegalArgumentException("jetstream can not be enabled on the system account");
        }
        Map<String, JetStreamAccountLimits> tiers = limits == null || limits.isEmpty()
                ? Map.of("", JetStreamAccountLimits.UNLIMITED) : Map.copyOf(limits);
        JsAccount existing = accounts.get(account.name());
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            ApiError insufficient = sufficientResources(tiers);
            if (insufficient != null) {
                throw insufficient.toException();
            }
        }
        JsAccount jsa = new JsAccount(this, account, tiers, Path.of(config.storeDir(), account.name()));
        accounts.put(account.name(), jsa);
        jsa.recover();
        return jsa;
    }

    /** Disables JetStream for {@code account}: its streams stop (their data stays on disk). */
    public void disableAccount(Account account) {
        JsAccount jsa = accounts.remove(account.name());
        if (jsa != null) {
            jsa.stop();
        }
    }

    // nats-server: jetstream.go sufficientResources (standalone)
    private ApiError sufficientResources(Map<String, JetStreamAccountLimits> limits) {
        long[] total = totalMaxBytes(limits);
        JetStreamConfig cfg = config;
        if (memReserved + total[0] > cfg.maxMemory()) {
            return JsApiError.MEMORY_RESOURCES_EXCEEDED.error();
        }
        if (storeReserved + total[1] > cfg.maxStore()) {
            return JsApiError.STORAGE_RESOURCES_EXCEEDED.error();
        }
        long mem = 0;
        long store = 0;
        for (JsAccount jsa : accounts.values()) {
            long[] t = totalMaxBytes(jsa.limits());
            mem += t[0];
            store += t[1];
        }
        if (mem + total[0] > cfg.maxMemory()) {
            return JsApiError.MEMORY_RESOURCES_EXCEEDED.error();
        }
        if (store + total[1] > cfg.maxStore()) {
            return JsApiError.STORAGE_RESOURCES_EXCEEDED.error();
        }
        return null;
    }

    private static long[] totalMaxBytes(Map<String, JetStreamAccountLimits> limits) {
        long mem = 0;
        long store = 0;
        for (JetStreamAccountLimits l : limits.values()) {
            if (l.maxMemoryBytes() > 0) {
                mem += l.maxMemoryBytes();
            }
            if (l.maxStoreBytes() > 0) {
                store += l.maxStoreBytes();
            }
        }
        return new long[] {mem, store};
    }

    /** The JetStream state of {@code account}, or null when it has none. */
    public JsAccount account(Account account) {
        return account == null ? null : accounts.get(account.name());
    }

    /** The JetStream state of the account named {@code name}, or null. */
    public JsAccount account(String name) {
        return accounts.get(name);
    }

    /** The JetStream-enabled accounts. */
    public Collection<JsAccount> accounts() {
        return List.copyOf(accounts.values());
    }

    /**
     * The internal client that publishes in {@code account} for JetStream (advisories, responses in the account):
     * the account's JetStream client when it has JetStream, else one made for it on first use.
     */
    public Connection clientFor(Account account) {
        JsAccount jsa = account(account);
        if (jsa != null) {
            return jsa.client();
        }
        if (account == host.systemAccount()) {
            return host.systemClient();
        }
        return accountClients.computeIfAbsent(account.name(), n -> host.createInternalClient(account));
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    /** Adds {@code bytes} (negative to release) to the reservation of {@code storage}. */
    // nats-server: jetstream.go reserveStreamResources, releaseStreamResources
    synchronized void reserve(StorageType storage, long bytes) {
        if (storage == StorageType.MEMORY) {
            memReserved += bytes;
        } else {
            storeReserved += bytes;
        }
    }

    /** Reserved bytes of {@code storage} (monitoring reads it too). */
    public synchronized long reserved(StorageType storage) {
        return storage == StorageType.MEMORY ? memReserved : storeReserved;
    }

    /** Adds {@code delta} to the bytes used by {@code storage}. */
    void addUsage(StorageType storage, long delta) {
        (storage == StorageType.MEMORY ? memUsed : storeUsed).addAndGet(delta);
    }

    /** Bytes streams of {@code storage} use, never negative (nats-server's {@code usageStats}). */
    public long used(StorageType storage) {
        return Math.max(0, (storage == StorageType.MEMORY ? memUsed : storeUsed).get());
    }

    /** Whether storing {@code bytes} more would exceed the server's limit for {@code storage}. */
    // nats-server: jetstream.go wouldExceedLimits
    boolean wouldExceedLimits(StorageType storage, long bytes) {
        JetStreamConfig cfg = config;
        return storage == StorageType.MEMORY ? memUsed.get() + bytes > cfg.maxMemory()
                : storeUsed.get() + bytes > cfg.maxStore();
    }

    // ---- API statistics --------------------------------------------------------------------------------------------

    /** Counts an API request (and an error when {@code error}). */
    public void trackApi(boolean error) {
        apiTotal.incrementAndGet();
        if (error) {
            apiErrors.incrementAndGet();
        }
    }

    /** Requests in flight, changed by the dispatcher. */
    public AtomicLong apiInflight() {
        return apiInflight;
    }

    /** Server-wide API statistics. */
    public AccountStats.Api apiStats() {
        return new AccountStats.Api(API_LEVEL, apiTotal.get(), apiErrors.get(), apiInflight.get());
    }

    // ---- accessors -------------------------------------------------------------------------------------------------

    /** The server. */
    public JetStreamHost host() {
        return host;
    }

    /** The options JetStream was configured with. */
    public JetStreamOptions options() {
        return options;
    }

    /** The resolved configuration (after {@link #start}). */
    public JetStreamConfig config() {
        return config;
    }

    /** The JetStream domain, or empty. */
    public String domain() {
        return options.domain();
    }

    /** The store environment (clock, timer) of the streams. */
    public StoreEnvironment storeEnvironment() {
        return StoreEnvironment.system();
    }

    /** Snapshots and restores. */
    public Snapshots snapshots() {
        return snapshots;
    }

    /** Fast batches in flight on every stream of this server ({@code batch.max_inflight_total}). */
    AtomicInteger fastBatchesInflight() {
        return fastBatchesInflight;
    }

    /** The advisory publisher. */
    public Advisories advisories() {
        return advisories;
    }

    /** The server version reported in stream metadata ({@code _nats.ver}). */
    public static String serverVersion() {
        return Versions.VERSION;
    }

    /** A copy of the accounts for iteration. */
    List<JsAccount> accountList() {
        return new ArrayList<>(accounts.values());
    }
}
