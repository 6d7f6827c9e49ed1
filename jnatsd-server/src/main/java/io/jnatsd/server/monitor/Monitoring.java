package io.jnatsd.server.monitor;

import io.jnatsd.common.GoTime;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.Versions;
import io.jnatsd.server.ClosedConnection;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.ServerInfo;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.auth.CertificateIdentity;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionKind;
import io.jnatsd.server.conn.ConnectionSnapshot;
import io.jnatsd.server.conn.ServerStats;
import io.jnatsd.server.ocsp.OcspResponseCache;
import io.jnatsd.server.ocsp.OcspSupport;
import io.jnatsd.subject.SublistStats;
import io.jnatsd.subject.Subjects;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds what the monitoring endpoints report, for HTTP ({@link MonitorHttpHandler}) and for {@code $SYS} requests
 * alike: nats-server's {@code Varz}, {@code Connz}, {@code Subsz}, ... functions (monitor.go). Connections are read
 * through {@link Connection#snapshot}, taken on each connection's event loop; the caller waits for them, so these
 * methods must not run on an event loop (the HTTP handler and the system request worker use virtual threads).
 * <p>
 * Accounts come from {@link NatsServer#accounts()}, so configured accounts appear once they exist. JetStream's
 * parts are built by {@link JetStreamReports}. Subsystems jnatsd does not have yet (routes, gateways, leaf nodes,
 * raft) answer as nats-server answers with the subsystem off. Thread-safe.
 */
public final class Monitoring {

    /** nats-server's {@code DefaultConnListSize} and {@code DefaultSubListSize}. */
    public static final int DEFAULT_LIST_SIZE = 1024;

    private static final long SNAPSHOT_TIMEOUT_SECONDS = 5;

    private final NatsServer server;
    private final ProcessStats process = new ProcessStats();
    private final JetStreamReports jetStream;
    private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private volatile MetricsExporter metrics;

    public Monitoring(NatsServer server) {
        this.server = server;
        this.jetStream = new JetStreamReports(server);
    }

    /** The {@code /metrics} exporter, created on first use (the Prometheus library loads only then). */
    MetricsExporter metrics() {
        MetricsExporter m = metrics;
        if (m == null) {
            synchronized (this) {
                m = metrics;
                if (m == null) {
                    m = new MetricsExporter(server);
                    metrics = m;
                }
            }
        }
        return m;
    }

    /**
     * The Prometheus registry {@code /metrics} scrapes: embedders may register their own collectors with it.
     */
    public io.prometheus.metrics.model.registry.PrometheusRegistry metricsRegistry() {
        return metrics().registry();
    }

    /** Counts one HTTP request of {@code path} ({@code varz.http_req_stats}). */
    void countRequest(String path) {
        httpRequests.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    private static String now() {
        return GoTime.format(Instant.now());
    }

    // ----------------------------------------------------------------------------------------------------- varz

    /** {@code /varz}. */
    // nats-server: monitor.go createVarz, updateVarzConfigReloadableFields, updateVarzRuntimeFields
    public Varz varz() {
        ServerOptions opts = server.options();
        ServerInfo info = server.info();
        ServerStats stats = server.stats();
        TlsOptions tls = opts.tls();
        Map<String, Long> requests = new TreeMap<>();
        httpRequests.forEach((path, count) -> requests.put(path, count.sum()));
        long subscriptions = 0;
        for (Account account : server.accounts()) {
            subscriptions += account.sublist().count();
        }
        Instant now = Instant.now();
        Account sys = server.systemAccount();
        List<String> operatorJwts = opts.operator().operatorJwts();
        Varz.Proxies proxies = null;
        if (!opts.authorization().trustedProxies().isEmpty()) {
            List<Varz.Proxy> keys = new ArrayList<>();
            for (String key : opts.authorization().trustedProxies()) {
                keys.add(new Varz.Proxy(key));
            }
            proxies = new Varz.Proxies(keys);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        long slow = stats.slowConsumers();
        long stale = stats.staleConnections();
        // nats-server: monitor.go Varz (TLSOCSPPeerVerify, OCSPResponseCache)
        OcspSupport ocsp = server.ocsp();
        boolean ocspPeerVerify = ocsp.peerVerify() && info.tlsRequired() && tls.ocspPeer().verify();
        Varz.OcspCache ocspCache = null;
        OcspResponseCache cache = ocsp.cache();
        OcspResponseCache.Stats cacheStats = cache == null ? null : cache.stats();
        if (cacheStats != null) {
            ocspCache = new Varz.OcspCache(cache.type(), cacheStats.hits(), cacheStats.misses(),
                    cacheStats.responses(), cacheStats.revokes(), cacheStats.goods(), cacheStats.unknowns());
        }
        return new Varz(server.serverId(), info.serverName(), info.version(), info.proto(), info.gitCommit(),
                info.go(), info.host(), info.port(), info.authRequired(), info.tlsRequired(), info.tlsVerify(),
                ocspPeerVerify, info.ip(), info.connectUrls(), info.wsConnectUrls(), opts.maxConnections(),
                opts.maxSubscriptions(), opts.pingInterval().toNanos(), opts.pingMax(), opts.httpHost(),
                opts.httpPort(), opts.httpBasePath(), opts.httpsPort(), seconds(opts.authTimeout()),
                opts.maxControlLine(), opts.maxPayload(), opts.maxPendingBytes(), Varz.Empty.INSTANCE,
                Varz.Empty.INSTANCE, Varz.Empty.INSTANCE, Varz.Empty.INSTANCE, Varz.Empty.INSTANCE,
                jetStream.varz(true), tls.enabled() ? seconds(tls.timeout()) : seconds(TlsOptions.DEFAULT_TIMEOUT),
                opts.writeDeadline().toNanos(), writeTimeout(opts.writeTimeoutPolicy()),
                GoTime.format(server.startTime()), GoTime.format(now),
                GoFormats.uptime(Duration.between(server.startTime(), now)), process.rssBytes(), cores, cores, 0,
                process.cpuPercent(), server.clientCount(), server.totalConnections(), 0, 0, 0, stats.inMsgs(),
                stats.outMsgs(), stats.inBytes(), stats.outBytes(), stats.inClientMsgs(), stats.inClientBytes(),
                stats.outClientMsgs(), stats.outClientBytes(), slow, stale, 0, subscriptions, requests,
                GoTime.format(server.configLoadTime()), server.configDigest(), opts.serverTags(),
                opts.serverMetadata(), opts.featureFlags(), operatorJwts, operatorClaims(operatorJwts),
                sys == null ? null : sys.name(), 0, ocspCache, new Varz.KindCounts(slow, 0, 0, 0),
                new Varz.KindCounts(stale, 0, 0, 0), new Varz.DiskIoWaitStats(0, 0, 0, 0), proxies);
    }

    private static List<Object> operatorClaims(List<String> jwts) {
        List<Object> claims = new ArrayList<>();
        for (String jwt : jwts) {
            Object decoded = decodedClaims(jwt);
            if (decoded != null) {
                claims.add(decoded);
            }
        }
        return claims;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String writeTimeout(ServerOptions.WriteTimeoutPolicy policy) {
        return switch (policy) {
            case CLOSE -> "close";
            case RETRY -> "retry";
            case DEFAULT -> "";
        };
    }

    // ---------------------------------------------------------------------------------------------------- connz

    /**
     * {@code /connz}.
     *
     * @throws MonitorException with nats-server's text for inconsistent options (HTTP 400, {@code $SYS} code 500)
     */
    // nats-server: monitor.go Connz
    public Connz connz(ConnzOptions o) throws MonitorException {
        SortOption sort = o.sort() == null ? SortOption.CID : o.sort();
        int offset = Math.max(0, o.offset());
        int limit = o.limit() <= 0 ? DEFAULT_LIST_SIZE : o.limit();
        ConnzOptions.ConnState state = o.state();
        if (sort == SortOption.STOP && state != ConnzOptions.ConnState.CLOSED) {
            throw new MonitorException("sort by stop only valid on closed connections");
        }
        if (sort == SortOption.REASON && state != ConnzOptions.ConnState.CLOSED) {
            throw new MonitorException("sort by reason only valid on closed connections");
        }
        long cid = o.cid();
        if (cid > 0) {
            limit = 1;
        }
        String filter = "";
        if (!o.filterSubject().isEmpty() && !">".equals(o.filterSubject())) {
            if (o.account().isEmpty()) {
                throw new MonitorException("filter by subject only valid with account filtering");
            }
            filter = o.filterSubject();
        }
        Instant now = Instant.now();
        String acc = o.account();
        List<Connection> open = new ArrayList<>();
        if (!acc.isEmpty()) {
            Account account = server.lookupAccount(acc);
            if (account == null) {
                // nats-server returns its half-built answer: no server id, connections null
                return new Connz("", GoTime.format(now), 0, 0, offset, limit, null);
            }
            for (Connection c : server.clients()) {
                if (c.account() == account) {
                    open.add(c);
                }
            }
        } else {
            open.addAll(server.clients());
        }
        List<ClosedConnection> closed = List.of();
        int total = switch (state) {
            case OPEN -> open.size();
            case CLOSED -> {
                closed = server.closedConnections();
                yield closed.size();
            }
            case ALL -> {
                closed = server.closedConnections();
                yield open.size() + closed.size();
            }
        };
        if (!acc.isEmpty() && !closed.isEmpty()) {
            List<ClosedConnection> kept = new ArrayList<>();
            for (ClosedConnection cc : closed) {
                if (acc.equals(closedAccount(cc))) {
                    kept.add(cc);
                }
            }
            total -= closed.size() - kept.size();
            closed = kept;
        }
        boolean wantOpen = state == ConnzOptions.ConnState.OPEN || state == ConnzOptions.ConnState.ALL;
        boolean needSubs = o.subscriptions() || o.subscriptionsDetail() || !filter.isEmpty();
        List<ConnRow> rows = new ArrayList<>();
        if (cid > 0) {
            Connection match = null;
            if (wantOpen) {
                for (Connection c : server.clients()) {
                    if (c.cid() == cid) {
                        match = c;
                        break;
                    }
                }
            }
            if (match != null) {
                ConnectionSnapshot s = await(match.snapshot(needSubs));
                if (s != null) {
                    rows.add(new ConnRow(s, s.stop(), null, now));
                }
                closed = List.of();
            } else if (state != ConnzOptions.ConnState.OPEN) {
                List<ClosedConnection> found = new ArrayList<>();
                for (ClosedConnection cc : closed) {
                    if (cc.cid() == cid) {
                        found.add(cc);
                        break;
                    }
                }
                closed = found;
            } else {
                closed = List.of();
            }
        } else if (wantOpen) {
            List<CompletableFuture<ConnectionSnapshot>> pending = new ArrayList<>(open.size());
            for (Connection c : open) {
                pending.add(c.snapshot(needSubs));
            }
            for (CompletableFuture<ConnectionSnapshot> f : pending) {
                ConnectionSnapshot s = await(f);
                if (s == null || s.stop() != null) {
                    continue;                   // closed meanwhile
                }
                if (!o.user().isEmpty() && !o.user().equals(s.authorizedUser())) {
                    continue;
                }
                if (!o.mqttClient().isEmpty()) {
                    continue;                   // no MQTT clients yet
                }
                rows.add(new ConnRow(s, null, null, now));
            }
        }
        if (!filter.isEmpty()) {
            List<ConnRow> colliding = new ArrayList<>();
            for (ConnRow row : rows) {
                for (ConnectionSnapshot.SubscriptionSnapshot sub : row.snapshot().subscriptions()) {
                    if (Subjects.subjectsCollide(filter, sub.subject())) {
                        colliding.add(row);
                        break;
                    }
                }
            }
            rows = colliding;
        }
        for (ClosedConnection cc : closed) {
            if (!acc.isEmpty() && !acc.equals(closedAccount(cc))) {
                continue;
            }
            if (!o.user().isEmpty() && !o.user().equals(cc.connection().authorizedUser())) {
                continue;
            }
            if (!o.mqttClient().isEmpty()) {
                continue;
            }
            rows.add(new ConnRow(cc.connection(), cc.stop(), cc.reason().text(), now));
        }
        if (rows.isEmpty()) {
            return new Connz(server.serverId(), GoTime.format(now), 0, total, offset, limit, List.of());
        }
        rows.sort(sort.comparator().thenComparingLong(r -> r.snapshot().cid()));
        int count = rows.size();
        int from = Math.min(offset, count);
        int to = from + Math.min(limit, count - from);
        List<Connz.ConnInfo> infos = new ArrayList<>(to - from);
        for (ConnRow row : rows.subList(from, to)) {
            infos.add(connInfo(row, o.auth(), o.subscriptions(), o.subscriptionsDetail()));
        }
        return new Connz(server.serverId(), GoTime.format(now), infos.size(), total, offset, limit, infos);
    }

    /** The account a closed connection is filtered by: nats-server keeps none for {@code $G}. */
    private static String closedAccount(ClosedConnection cc) {
        String name = cc.connection().account();
        return name == null || Account.GLOBAL.equals(name) ? "" : name;
    }

    private static ConnectionSnapshot await(CompletableFuture<ConnectionSnapshot> future) {
        try {
            return future.get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    // nats-server: monitor.go ConnInfo.fill, Connz (auth and subscription fields), server.go saveClosedClient
    private Connz.ConnInfo connInfo(ConnRow row, boolean auth, boolean subs, boolean subsDetail) {
        ConnectionSnapshot s = row.snapshot();
        boolean closed = row.stop() != null;
        Instant reference = closed ? row.stop() : row.now();
        List<String> subjects = null;
        List<Connz.SubDetail> details = null;
        if (s.subscriptions() != null && !s.subscriptions().isEmpty()) {
            if (subsDetail) {
                details = new ArrayList<>();
                for (ConnectionSnapshot.SubscriptionSnapshot sub : s.subscriptions()) {
                    details.add(subDetail(sub, closed));
                }
            } else if (subs) {
                subjects = new ArrayList<>();
                for (ConnectionSnapshot.SubscriptionSnapshot sub : s.subscriptions()) {
                    subjects.add(sub.subject());
                }
            }
        }
        String user = null;
        String account = null;
        String jwt = null;
        String issuer = null;
        String nameTag = null;
        List<Connz.TlsPeerCert> peerCerts = null;
        if (auth) {
            user = s.authorizedUser();
            account = s.account() == null || Account.GLOBAL.equals(s.account()) ? null : s.account();
            jwt = s.jwt();
            issuer = s.issuerKey();
            // nats-server: getNameTag falls back to the account name (closed $G connections keep none)
            nameTag = s.nameTag() != null && !s.nameTag().isEmpty() ? s.nameTag()
                    : closed && account == null ? null : s.account();
            if (!closed && !s.peerCertificates().isEmpty()) {
                peerCerts = peerCerts(s.peerCertificates());
            }
        }
        return new Connz.ConnInfo(s.cid(), s.kind().displayName(), s.clientType(), s.ip(), s.port(),
                GoTime.format(s.start()), GoTime.format(s.lastActivity()), closed ? GoTime.format(row.stop()) : null,
                row.reason(), GoFormats.rtt(s.rttNanos()),
                GoFormats.uptime(Duration.between(s.start(), reference)),
                GoFormats.uptime(Duration.between(s.lastActivity(), reference)), s.pendingBytes(), s.inMsgs(),
                s.outMsgs(), s.inBytes(), s.outBytes(), 0, s.numSubs(), s.name(), s.lang(), s.version(),
                s.tlsVersion(), s.tlsCipher(), peerCerts, s.tlsFirst(), user, account, subjects, details, jwt,
                issuer, nameTag, null, null, s.proxyKey() == null ? null : new Connz.ProxyInfo(s.proxyKey()));
    }

    private static Connz.SubDetail subDetail(ConnectionSnapshot.SubscriptionSnapshot sub, boolean withAccount) {
        return new Connz.SubDetail(withAccount ? sub.account() : null, null, sub.subject(), sub.queue(), sub.sid(),
                sub.msgs(), sub.max(), sub.cid());
    }

    // nats-server: monitor.go makePeerCerts
    private static List<Connz.TlsPeerCert> peerCerts(List<X509Certificate> chain) {
        List<Connz.TlsPeerCert> out = new ArrayList<>();
        for (X509Certificate cert : chain) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                String spki = HexFormat.of().formatHex(sha.digest(cert.getPublicKey().getEncoded()));
                String whole = HexFormat.of().formatHex(sha.digest(cert.getEncoded()));
                out.add(new Connz.TlsPeerCert(CertificateIdentity.subjectString(cert), spki, whole));
            } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
                out.add(new Connz.TlsPeerCert(CertificateIdentity.subjectString(cert), null, null));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- subsz

    /**
     * {@code /subsz}.
     *
     * @param subscriptions list the subscriptions
     * @param offset        paging offset
     * @param limit         paging limit (0 or less: {@link #DEFAULT_LIST_SIZE})
     * @param account       only this account, or empty
     * @param test          only subscriptions a publish to this literal subject would reach, or empty
     * @throws MonitorException when {@code test} is not a valid publish subject
     */
    // nats-server: monitor.go Subsz
    public Subsz subsz(boolean subscriptions, int offset, int limit, String account, String test)
            throws MonitorException {
        int off = Math.max(0, offset);
        int lim = limit <= 0 ? DEFAULT_LIST_SIZE : limit;
        boolean testing = test != null && !test.isEmpty();
        if (testing && !Subjects.isValidLiteralSubject(test)) {
            throw new MonitorException("invalid test subject, must be valid publish subject: " + test);
        }
        SublistStats stats = new SublistStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
        List<Connz.SubDetail> details = null;
        int total = 0;
        List<io.jnatsd.server.conn.Subscription> all = new ArrayList<>();
        for (Account a : server.accounts()) {
            if (account != null && !account.isEmpty() && !a.name().equals(account)) {
                continue;
            }
            stats = stats.add(a.sublist().stats());
            if (subscriptions) {
                a.sublist().all(all);
            }
        }
        if (subscriptions) {
            details = new ArrayList<>();
            for (io.jnatsd.server.conn.Subscription sub : all) {
                if (testing && !Subjects.matchLiteral(test, sub.subjectString())) {
                    continue;
                }
                Connection c = sub.connection();
                details.add(new Connz.SubDetail(c.account() == null ? null : c.account().name(), null,
                        sub.subjectString(), sub.queueString(), sub.sidString(), sub.deliveredCount(),
                        sub.maxMessagesCount(), c.cid()));
            }
            total = details.size();
            int from = Math.min(off, total);
            int to = from + Math.min(lim, total - from);
            details = new ArrayList<>(details.subList(from, to));
        }
        return Subsz.of(server.serverId(), now(), stats, total, off, lim, details);
    }

    // ------------------------------------------------------------------------------- routez, gatewayz, leafz

    /** {@code /routez}: no routes (jnatsd has no clustering yet). */
    // nats-server: monitor.go Routez
    public Routez routez() {
        return new Routez(server.serverId(), server.serverName(), now(), 0, List.of());
    }

    /** {@code /gatewayz}: gateways off. */
    // nats-server: monitor.go Gatewayz (gateways disabled)
    public Gatewayz gatewayz() {
        return new Gatewayz(server.serverId(), now(), Map.of(), Map.of());
    }

    /** {@code /leafz}: no leaf nodes. */
    // nats-server: monitor.go Leafz
    public Leafz leafz() {
        return new Leafz(server.serverId(), now(), 0, List.of());
    }

    // ------------------------------------------------------------------------------------------------ accountz

    /**
     * {@code /accountz}: the account names, or one account's details.
     *
     * @throws MonitorException {@code Account <name> does not exist}
     */
    // nats-server: monitor.go Accountz
    public Accountz accountz(String account) throws MonitorException {
        Account sys = server.systemAccount();
        String sysName = sys == null ? null : sys.name();
        if (account == null || account.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Account a : server.accounts()) {
                names.add(a.name());
            }
            return new Accountz(server.serverId(), now(), sysName, names, null);
        }
        return new Accountz(server.serverId(), now(), sysName, null, accountInfo(account));
    }

    /**
     * One account's details ({@code $SYS.REQ.ACCOUNT.<acc>.INFO} and {@code /accountz?acc=}).
     *
     * @throws MonitorException {@code Account <name> does not exist}
     */
    // nats-server: monitor.go accountInfo
    public Accountz.AccountInfo accountInfo(String name) throws MonitorException {
        Account a = server.lookupAccount(name);
        if (a == null) {
            throw new MonitorException("Account " + name + " does not exist");
        }
        boolean isSystem = a == server.systemAccount();
        JwtAccount jwtAccount = server.jwtAccounts() == null ? null : server.jwtAccounts().loaded(name);
        String jwt = jwtAccount == null || jwtAccount.jwt() == null ? null : jwtAccount.jwt().token();
        List<Accountz.ExtExport> exports = new ArrayList<>();
        List<Accountz.ExtImport> imports = new ArrayList<>();
        boolean jetStreamOn = server.jetStream() != null;
        for (SystemServices.Service service : SystemServices.exports(isSystem, jetStreamOn)) {
            exports.add(new Accountz.ExtExport(service.subject(), "service", service.responseType(), null));
        }
        if (!isSystem && sys() != null) {
            for (SystemServices.Import imp : SystemServices.imports(a.name(), jetStreamOn)) {
                // nats-server: monitor.go newExtImport (subject is the exporter's, to/local_subject the importer's)
                imports.add(new Accountz.ExtImport(imp.to(), sys().name(), imp.from(), imp.from(), "service",
                        false, imp.share(), false));
            }
        }
        boolean jetStreamEnabled = jetStreamOn && server.jetStream().account(a) != null;
        Map<String, List<Accountz.MapDest>> mappings = new TreeMap<>();
        if (a.mappings() != null) {
            a.mappings().destinations().forEach((src, dests) -> {
                List<Accountz.MapDest> out = new ArrayList<>();
                for (var d : dests) {
                    out.add(new Accountz.MapDest(d.subject(), d.weightPercent(), d.cluster()));
                }
                mappings.put(src, out);
            });
        }
        return new Accountz.AccountInfo(a.name(), GoTime.format(a.updateTime()), isSystem,
                jwtAccount != null && jwtAccount.isExpired(Instant.now().getEpochSecond()), true, jetStreamEnabled, 0,
                a.clientCount(), a.sublist().count(), mappings, exports, imports, jwt,
                jwtAccount == null ? null : jwtAccount.issuer(), jwtAccount == null ? null : jwtAccount.nameTag(),
                null, jwt == null ? null : decodedClaims(jwt), null,
                Subsz.Stats.of(a.sublist().stats()), null);
    }

    /** The claims part of a JWT as a JSON tree ({@code decoded_jwt}), or null if it does not decode. */
    private static Object decodedClaims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            byte[] json = java.util.Base64.getUrlDecoder().decode(parts[1]);
            return io.jnatsd.common.GoJson.mapper().readTree(json);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private Account sys() {
        return server.systemAccount();
    }

    // ----------------------------------------------------------------------------------------------- accstatz

    /**
     * {@code /accstatz}: per account figures.
     *
     * @param accounts      only these accounts (empty: all)
     * @param includeUnused include accounts without local connections
     */
    // nats-server: monitor.go AccountStatz
    public AccountStatz accountStatz(List<String> accounts, boolean includeUnused) {
        List<AccountStatz.AccountStat> stats = new ArrayList<>();
        if (accounts == null || accounts.isEmpty()) {
            for (Account a : server.accounts()) {
                if (includeUnused || a.clientCount() != 0) {
                    stats.add(accountStat(a));
                }
            }
        } else {
            for (String name : accounts) {
                Account a = server.lookupAccount(name);
                if (a != null && (includeUnused || a.clientCount() != 0)) {
                    stats.add(accountStat(a));
                }
            }
        }
        return new AccountStatz(server.serverId(), now(), stats);
    }

    /** One account's figures ({@code Account.statz}). */
    // nats-server: events.go Account.statz
    public AccountStatz.AccountStat accountStat(Account a) {
        String nameTag = a.name();
        if (server.jwtAccounts() != null) {
            JwtAccount jwtAccount = server.jwtAccounts().loaded(a.name());
            if (jwtAccount != null && jwtAccount.nameTag() != null && !jwtAccount.nameTag().isEmpty()) {
                nameTag = jwtAccount.nameTag();
            }
        }
        int conns = a.clientCount();
        return new AccountStatz.AccountStat(a.name(), nameTag, conns, 0, conns, a.sublist().count(),
                AccountStatz.DataStats.withKinds(a.stats().sentMsgs(), a.stats().sentBytes()),
                AccountStatz.DataStats.withKinds(a.stats().receivedMsgs(), a.stats().receivedBytes()),
                a.stats().slowConsumers());
    }

    // ---------------------------------------------------------------------------------------- jsz, healthz

    /**
     * {@code /jsz} and {@code $SYS.REQ.SERVER.<id>.JSZ}.
     *
     * @throws MonitorException {@code filtered response: not leader} when JetStream is off and {@code leaderOnly}
     *                          (HTTP 400; a {@code $SYS} request gets no reply)
     */
    // nats-server: monitor.go Jsz
    public Jsz jsz(JszOptions options) throws MonitorException {
        return jetStream.jsz(options, now());
    }

    /**
     * {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}: the account's JetStream details.
     *
     * @throws MonitorException {@code jetstream not enabled}, {@code account "x" not found}, {@code account "x" not
     *                          jetstream enabled}
     */
    // nats-server: monitor.go JszAccount
    public Jsz.AccountDetail jszAccount(JszOptions options) throws MonitorException {
        return jetStream.jszAccount(options);
    }

    /** The {@code jetstream} object of STATSZ (no store directory); empty without JetStream. */
    // nats-server: events.go sendStatsz (JetStream)
    public JetStreamVarz statszJetStream() {
        return jetStream.varz(false);
    }

    /**
     * {@code /healthz}: the request's consistency, the server's readiness, then (unless {@code js-server-only})
     * JetStream: enabled, and on a single server every stream directory of the store recovered, the asked account,
     * stream and consumer present.
     */
    // nats-server: monitor.go healthz
    public HealthStatus healthz(HealthzOptions o) {
        boolean details = o.details();
        if (o.account().isEmpty() && !o.stream().isEmpty()) {
            return badHealth("\"account\" must not be empty when checking stream health", details);
        }
        if (o.stream().isEmpty() && !o.consumer().isEmpty()) {
            return badHealth("\"stream\" must not be empty when checking consumer health", details);
        }
        if (!server.isReadyForConnections()) {
            // nats-server: server.go readyForConnections(time.Millisecond): the client listener is not up
            String error = "failed to be ready for connections after 1ms: server";
            if (details) {
                return new HealthStatus("error", 500, null,
                        List.of(new HealthStatus.HealthzError("CONNECTION", null, null, null, error)));
            }
            return new HealthStatus("error", 500, error, null);
        }
        if (o.jsServerOnly()) {
            return new HealthStatus("ok", 200, null, null);
        }
        HealthStatus failed = jetStream.healthz(o);
        return failed != null ? failed : new HealthStatus("ok", 200, null, null);
    }

    private static HealthStatus badHealth(String error, boolean details) {
        if (details) {
            return new HealthStatus("error", 400, null,
                    List.of(new HealthStatus.HealthzError("BAD_REQUEST", null, null, null, error)));
        }
        return new HealthStatus("error", 400, error, null);
    }

    // ------------------------------------------------------------------------------- ipqueuesz, expvarz, stacks

    /**
     * {@code /ipqueuesz}: jnatsd's internal queues by name ({@code {pending, in_progress}}); its system send path
     * has no queue, so the map is empty, as nats-server's for idle queues.
     */
    // nats-server: monitor.go Ipqueuesz
    public Map<String, Object> ipqueuesz(boolean all, String filter) {
        return Map.of();
    }

    /** {@code /debug/vars} and {@code EXPVARZ}: the (redacted) command line and the JVM's memory figures. */
    // nats-server: monitor.go expvarz, Go expvar (cmdline, memstats)
    public Map<String, Object> expvarz() {
        Map<String, Object> vars = new TreeMap<>();
        vars.put("cmdline", server.commandLine());
        vars.put("memstats", MemStats.collect());
        return vars;
    }

    /** {@code /stacksz}: a thread dump of the JVM in place of Go's goroutine dump. */
    // nats-server: monitor.go HandleStacksz
    public String stacks() {
        return StackDump.dump();
    }

    /** Whether a connection is of a kind {@code /connz} lists. */
    static boolean listed(ConnectionKind kind) {
        return kind == ConnectionKind.CLIENT || kind == ConnectionKind.LEAF;
    }

    /** The server's version (for the index page). */
    static String version() {
        return Versions.VERSION;
    }
}
