package io.jnatsd.server.events;

import io.jnatsd.common.GoJson;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.Versions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionKind;
import io.jnatsd.server.conn.ConnectionSnapshot;
import io.jnatsd.server.conn.ServerStats;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.monitor.AccountStatz;
import io.jnatsd.server.monitor.ProcessStats;
import io.jnatsd.server.monitor.Varz;
import io.jnatsd.server.ocsp.CertInfo;
import io.jnatsd.subject.SublistResult;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The system account's events (nats-server's events.go): client connect and disconnect, auth errors (system-wide
 * and in the client's account), account connection counts with their heartbeat, the STATSZ heartbeat, lame duck and
 * shutdown, plus the tracking of other servers' STATSZ and SHUTDOWN.
 * <p>
 * Threads: like nats-server's {@code internalSendLoop}, every message is stamped (sequence, time) and published on
 * one thread ({@code jnatsd-system}), which also runs the timers; callers (connections' event loops) only capture
 * what the event says and hand it over. Requests are answered by {@link SystemRequests} on the same thread.
 */
public final class SystemEvents implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(SystemEvents.class);

    /** nats-server's {@code statsHBInterval} (2.9.10: 30 s). */
    static final Duration STATSZ_MAX_INTERVAL = Duration.ofSeconds(10);
    /** The first STATSZ follows this long after start, then the interval doubles (events.go startStatszTimer). */
    static final Duration STATSZ_FIRST_INTERVAL = Duration.ofMillis(250);
    /** The {@code JetStreamEnabled} server capability bit ({@code ServerInfo.flags}). */
    static final long JETSTREAM_ENABLED = 1;
    /** nats-server's {@code statszRateLimit}. */
    static final Duration STATSZ_RATE_LIMIT = Duration.ofSeconds(1);
    /** nats-server's {@code eventsHBInterval}: account connection heartbeats. */
    static final Duration ACCOUNT_CONNS_INTERVAL = Duration.ofSeconds(30);
    /** A remote server silent this long is dropped (5 × eventsHBInterval). */
    static final Duration ORPHAN_MAX = Duration.ofSeconds(150);
    /** The remote server sweep interval (3 × eventsHBInterval). */
    static final Duration ORPHAN_CHECK = Duration.ofSeconds(90);
    /** How long shutdown waits for the SHUTDOWN event to be handed to its receivers. */
    private static final long SHUTDOWN_FLUSH_MILLIS = 1000;

    private final NatsServer server;
    private final Connection system;
    private final ScheduledExecutorService loop;
    private final AtomicLong sequence = new AtomicLong();
    private final Nuid nuid = new Nuid();
    private final ProcessStats process = new ProcessStats();
    private final String hash;
    private final Map<Account, Connection> accountClients = new ConcurrentHashMap<>();
    private final Map<Account, ScheduledFuture<?>> connsHeartbeats = new ConcurrentHashMap<>();
    private final Map<String, RemoteServer> remoteServers = new ConcurrentHashMap<>();
    private volatile boolean running;

    // statsz heartbeat state: the loop thread only
    private Duration statszInterval = STATSZ_FIRST_INTERVAL;
    private long lastStatszNanos;
    private ScheduledFuture<?> statszTimer;
    private Subscription remoteStatsSubscription;
    private SystemRequests requests;

    /** What is known of another server from its STATSZ. */
    private record RemoteServer(long seq, long lastSeenNanos) {
    }

    private SystemEvents(NatsServer server) {
        this.server = server;
        this.system = server.systemClient();
        this.hash = ServerHash.of(server.serverName());
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jnatsd-system");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the events of {@code server}'s system account: its tracking subscriptions, the request handlers and
     * the STATSZ heartbeat.
     */
    // nats-server: events.go initEventTracking, startStatszTimer, startRemoteServerSweepTimer
    public static SystemEvents start(NatsServer server) {
        SystemEvents events = new SystemEvents(server);
        events.running = true;
        events.subscribeTracking();
        events.requests = SystemRequests.start(server, events);
        events.execute(() -> events.statszTimer = events.loop.schedule(events::heartbeatStatsz,
                STATSZ_FIRST_INTERVAL.toNanos(), TimeUnit.NANOSECONDS));
        events.loop.scheduleWithFixedDelay(events::checkRemoteServers, ORPHAN_CHECK.toNanos(),
                ORPHAN_CHECK.toNanos(), TimeUnit.NANOSECONDS);
        return events;
    }

    /** The system hash of this server ({@code $SYS._INBOX.<hash>.*}). */
    public String hash() {
        return hash;
    }

    private void subscribeTracking() {
        remoteStatsSubscription = system.subscribeInternal("$SYS.SERVER.*.STATSZ", null,
                (sub, publisher, subject, reply, headers, payload) -> execute(() -> onRemoteStatsz(payload)));
        system.subscribeInternal("$SYS.SERVER.*.SHUTDOWN", null,
                (sub, publisher, subject, reply, headers, payload) -> execute(() -> onRemoteShutdown(subject)));
        system.subscribeInternal("$SYS.SERVER.*.LAMEDUCK", null,
                (sub, publisher, subject, reply, headers, payload) -> execute(() -> onRemoteShutdown(subject)));
    }

    /** Runs {@code task} on the system thread; dropped once shut down. */
    void execute(Runnable task) {
        if (!running) {
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("System event failed: " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("System event dropped: shutting down");
        }
    }

    // ---------------------------------------------------------------------------------------------- sending

    /** The {@code server} object of the next message (sequence and time stamped now). */
    // nats-server: events.go internalSendLoop (ServerInfo stamping)
    public EventServerInfo serverInfo() {
        ServerOptions opts = server.options();
        boolean jetStream = server.jetStream() != null;
        // nats-server also sets flags 2 (binary stream snapshots) and 4 (account NRG): raft capabilities that only
        // cluster peers read, which jnatsd does not have
        return new EventServerInfo(server.serverName(), server.info().host(), server.serverId(), null,
                jetStream ? opts.jetStream().domain() : null, Versions.VERSION, opts.serverTags(),
                opts.serverMetadata(), opts.featureFlags(), jetStream, jetStream ? JETSTREAM_ENABLED : 0,
                sequence.incrementAndGet(), GoTime.format(Instant.now()));
    }

    /** Publishes {@code body(server info)} as JSON on {@code subject}; on the system thread. */
    void publish(String subject, String reply, byte[] headers, Function<EventServerInfo, Object> body) {
        publishAs(system, subject, reply, headers, body);
    }

    private void publishAs(Connection client, String subject, String reply, byte[] headers,
                           Function<EventServerInfo, Object> body) {
        byte[] json = GoJson.writeBytes(body.apply(serverInfo()));
        client.publishInternal(subject, reply, headers, json);
    }

    /** Publishes raw bytes as the system client (on the system thread). */
    void publishRaw(String subject, String reply, byte[] headers, byte[] payload) {
        system.publishInternal(subject, reply, headers, payload);
    }

    private String nextId() {
        return nuid.next();
    }

    // ------------------------------------------------------------------------------- connect, disconnect, auth

    /** A client passed authentication: {@code $SYS.ACCOUNT.<acc>.CONNECT}. On the client's event loop. */
    // nats-server: events.go accountConnectEvent
    public void onClientConnected(Connection c) {
        ConnectionSnapshot s = c.snapshot(false).getNow(null);
        if (s == null || s.account() == null) {
            return;
        }
        String id = nextId();
        String now = GoTime.format(Instant.now());
        ClientInfo client = clientInfo(s, null, 0);
        execute(() -> publish("$SYS.ACCOUNT." + s.account() + ".CONNECT", null, null,
                si -> new EventMessages.ConnectEvent(EventMessages.CONNECT_TYPE, id, now, si, client)));
    }

    /** A client closed: {@code $SYS.ACCOUNT.<acc>.DISCONNECT}. On the client's event loop. */
    // nats-server: events.go accountDisconnectEvent (server.go saveClosedClient)
    public void onClientDisconnected(ConnectionSnapshot s, Instant stop, ClosedState reason) {
        if (s == null || s.account() == null) {
            return;
        }
        String id = nextId();
        String now = GoTime.format(stop);
        ClientInfo client = clientInfo(s, stop, s.rttNanos());
        EventMessages.DisconnectEvent event = new EventMessages.DisconnectEvent(EventMessages.DISCONNECT_TYPE, id,
                now, null, client, AccountStatz.DataStats.of(s.inMsgs(), s.inBytes()),
                AccountStatz.DataStats.of(s.outMsgs(), s.outBytes()), reason.text());
        execute(() -> publish("$SYS.ACCOUNT." + s.account() + ".DISCONNECT", null, null, si -> withServer(event, si)));
    }

    /**
     * A client failed authentication: {@code $SYS.SERVER.<id>.CLIENT.AUTH.ERR} in the system account and
     * {@code $SYS.ACCOUNT.CLIENT.AUTH.ERR} in the client's account. On the client's event loop.
     */
    // nats-server: events.go sendAuthErrorEvent, sendAccountAuthErrorEvent
    public void onAuthenticationFailed(Connection c, ClosedState reason) {
        ConnectionSnapshot s = c.snapshot(false).getNow(null);
        if (s == null) {
            return;
        }
        Instant stop = Instant.now();
        String now = GoTime.format(stop);
        String account = s.account() == null ? "N/A" : s.account();
        ClientInfo client = clientInfo(s, stop, s.rttNanos(), account);
        EventMessages.DisconnectEvent system = new EventMessages.DisconnectEvent(EventMessages.DISCONNECT_TYPE,
                nextId(), now, null, client, AccountStatz.DataStats.of(s.inMsgs(), s.inBytes()),
                AccountStatz.DataStats.of(s.outMsgs(), s.outBytes()), reason.text());
        EventMessages.DisconnectEvent inAccount = new EventMessages.DisconnectEvent(system.type(), nextId(), now,
                null, client, system.sent(), system.received(), reason.text());
        Account origin = c.account();
        execute(() -> {
            publish("$SYS.SERVER." + server.serverId() + ".CLIENT.AUTH.ERR", null, null,
                    si -> withServer(system, si));
            if (origin != null) {
                publishAs(accountClient(origin), "$SYS.ACCOUNT.CLIENT.AUTH.ERR", null, null,
                        si -> withServer(inAccount, si));
            }
        });
    }

    /**
     * OCSP peer verification refused a peer: {@code $SYS.SERVER.<id>.OCSP.PEER.CONN.REJECT}. On the handshake's
     * verification thread.
     */
    // nats-server: events.go sendOCSPPeerRejectEvent
    public void onOcspPeerRejected(String kind, X509Certificate peer, String reason) {
        String id = nextId();
        String now = GoTime.format(Instant.now());
        CertInfo info = CertInfo.of(peer);
        execute(() -> publish("$SYS.SERVER." + server.serverId() + ".OCSP.PEER.CONN.REJECT", null, null,
                si -> new EventMessages.OcspPeerRejectEvent(EventMessages.OCSP_PEER_REJECT_TYPE, id, now, kind,
                        info, si, reason)));
    }

    /**
     * A certificate of a peer's chain is not OCSP valid: {@code $SYS.SERVER.<id>.OCSP.PEER.LINK.INVALID}. On the
     * handshake's verification thread.
     */
    // nats-server: events.go sendOCSPPeerChainlinkInvalidEvent
    public void onOcspPeerLinkInvalid(X509Certificate peer, X509Certificate link, String reason) {
        String id = nextId();
        String now = GoTime.format(Instant.now());
        CertInfo linkInfo = CertInfo.of(link);
        CertInfo peerInfo = CertInfo.of(peer);
        execute(() -> publish("$SYS.SERVER." + server.serverId() + ".OCSP.PEER.LINK.INVALID", null, null,
                si -> new EventMessages.OcspPeerLinkInvalidEvent(EventMessages.OCSP_PEER_LINK_INVALID_TYPE, id, now,
                        linkInfo, peerInfo, si, reason)));
    }

    private static EventMessages.DisconnectEvent withServer(EventMessages.DisconnectEvent e, EventServerInfo si) {
        return new EventMessages.DisconnectEvent(e.type(), e.id(), e.timestamp(), si, e.client(), e.sent(),
                e.received(), e.reason());
    }

    private ClientInfo clientInfo(ConnectionSnapshot s, Instant stop, long rttNanos) {
        return clientInfo(s, stop, rttNanos, s.account());
    }

    // nats-server: events.go accountConnectEvent (ClientInfo fields), monitor.go getRTT (µs truncation)
    private static ClientInfo clientInfo(ConnectionSnapshot s, Instant stop, long rttNanos, String account) {
        long rtt = rttNanos > 1_000 && rttNanos < 1_000_000 ? rttNanos / 1_000 * 1_000 : rttNanos;
        return new ClientInfo(GoTime.format(s.start()), s.ip(), s.cid(), account, null, s.authorizedUser(),
                s.name(), s.lang(), s.version(), rtt, null, null, null,
                stop == null ? null : GoTime.format(stop), s.jwt(), s.issuerKey(), s.nameTag(), null,
                s.kind().displayName(), s.clientType(), null, null, null);
    }

    /** The internal client of {@code account} (nats-server's {@code Account.internalClient}). */
    Connection accountClient(Account account) {
        if (account == server.systemAccount()) {
            return system;
        }
        return accountClients.computeIfAbsent(account,
                a -> server.createInternalClient(ConnectionKind.ACCOUNT, a));
    }

    // ------------------------------------------------------------------------------------ account connections

    /**
     * The number of connections of {@code account} changed: {@code $SYS.ACCOUNT.<acc>.SERVER.CONNS} and the legacy
     * {@code $SYS.SERVER.ACCOUNT.<acc>.CONNS}, then every 30 s while it has connections. Never for {@code $G}.
     */
    // nats-server: events.go accConnsUpdate, sendAccConnsUpdate
    public void onAccountConnectionsChanged(Account account) {
        if (account == server.globalAccount()) {
            return;
        }
        execute(() -> sendAccountConnections(account));
    }

    private void sendAccountConnections(Account account) {
        AccountStatz.AccountStat stat = server.monitoring().accountStat(account);
        ScheduledFuture<?> previous = connsHeartbeats.remove(account);
        if (previous != null) {
            previous.cancel(false);
        }
        if (stat.totalConns() != 0 && running) {
            connsHeartbeats.put(account, loop.schedule(() -> sendAccountConnections(account),
                    ACCOUNT_CONNS_INTERVAL.toNanos(), TimeUnit.NANOSECONDS));
        }
        String id = nextId();
        String now = GoTime.format(Instant.now());
        for (String subject : List.of("$SYS.SERVER.ACCOUNT." + account.name() + ".CONNS",
                "$SYS.ACCOUNT." + account.name() + ".SERVER.CONNS")) {
            publish(subject, null, null, si -> accountConnections(id, now, si, stat));
        }
    }

    /** The {@code AccountNumConns} message of {@code stat} (also the reply to {@code CONNS} requests). */
    static EventMessages.AccountConnections accountConnections(String id, String now, EventServerInfo si,
                                                               AccountStatz.AccountStat stat) {
        return new EventMessages.AccountConnections(EventMessages.ACCOUNT_CONNECTIONS_TYPE, id, now, si,
                stat.account(), stat.name(), stat.conns(), stat.leafnodes(), stat.totalConns(), stat.numSubs(),
                stat.sent(), stat.received(), stat.slowConsumers());
    }

    String newEventId() {
        return nextId();
    }

    // ---------------------------------------------------------------------------------------------------- statsz

    /** The broadcast subject {@code $SYS.SERVER.<id>.STATSZ}. */
    String statszSubject() {
        return "$SYS.SERVER." + server.serverId() + ".STATSZ";
    }

    // nats-server: events.go heartbeatStatsz
    private void heartbeatStatsz() {
        if (!running) {
            return;
        }
        if (statszInterval.compareTo(STATSZ_MAX_INTERVAL) < 0) {
            statszInterval = statszInterval.multipliedBy(2);
            if (statszInterval.compareTo(STATSZ_MAX_INTERVAL) > 0) {
                statszInterval = STATSZ_MAX_INTERVAL;
            }
        }
        statszTimer = loop.schedule(this::heartbeatStatsz, statszInterval.toNanos(), TimeUnit.NANOSECONDS);
        sendStatsz(statszSubject());
    }

    /**
     * Sends this server's statistics to {@code subject}: the broadcast subject at most once a second and only when
     * someone other than this server listens (a standalone server); any reply subject at once.
     */
    // nats-server: events.go sendStatsz, limitStatsz
    void sendStatsz(String subject) {
        if (subject.equals(statszSubject())) {
            long now = System.nanoTime();
            long limit = Math.min(STATSZ_RATE_LIMIT.toNanos(), statszInterval.toNanos());
            if (lastStatszNanos != 0 && now - lastStatszNanos < limit) {
                return;
            }
            lastStatszNanos = now;
            SublistResult<Subscription> interest = server.systemAccount().sublist().match(subject);
            int total = interest.plainCount();
            for (int g = 0; g < interest.queueGroupCount(); g++) {
                total += interest.queueGroupSize(g);
            }
            if (total == 0 || (total == 1 && interest.plainCount() == 1
                    && interest.plain(0) == remoteStatsSubscription)) {
                return;
            }
        }
        EventMessages.ServerStats stats = serverStats();
        publish(subject, null, null, si -> new EventMessages.ServerStatsMsg(si, stats));
    }

    /** Forgets the rate limit, so that the next broadcast goes out at once (a reply-less {@code SERVER.PING}). */
    void resetStatszLimit() {
        lastStatszNanos = 0;
    }

    // nats-server: events.go sendStatsz (ServerStats)
    EventMessages.ServerStats serverStats() {
        ServerStats stats = server.stats();
        long subscriptions = 0;
        int active = 0;
        for (Account a : server.accounts()) {
            subscriptions += a.sublist().count();
            if (a.clientCount() > 0) {
                active++;
            }
        }
        long slow = stats.slowConsumers();
        long stale = stats.staleConnections();
        int cores = Runtime.getRuntime().availableProcessors();
        return new EventMessages.ServerStats(GoTime.format(server.startTime()), process.rssBytes(), cores,
                process.cpuPercent(), server.clientCount(), server.totalConnections(), active, subscriptions,
                AccountStatz.DataStats.of(stats.outMsgs(), stats.outBytes()),
                AccountStatz.DataStats.of(stats.outClientMsgs(), stats.outClientBytes()),
                AccountStatz.DataStats.of(stats.inMsgs(), stats.inBytes()),
                AccountStatz.DataStats.of(stats.inClientMsgs(), stats.inClientBytes()), slow,
                slow == 0 ? null : new Varz.KindCounts(slow, 0, 0, 0), stale,
                stale == 0 ? null : new Varz.KindCounts(stale, 0, 0, 0), 0, remoteServers.size() + 1,
                server.jetStream() == null ? null : server.monitoring().statszJetStream(), cores);
    }

    // -------------------------------------------------------------------------------------- remote servers

    // nats-server: events.go remoteServerUpdate, updateRemoteServer, processNewServer
    private void onRemoteStatsz(byte[] payload) {
        if (payload.length == 0) {
            LOG.debug("Received empty server info for remote server update");
            return;
        }
        EventMessages.ServerStatsMsg msg;
        try {
            msg = GoJson.mapper().readValue(payload, EventMessages.ServerStatsMsg.class);
        } catch (java.io.IOException e) {
            LOG.debug("Received bad server info for remote server update");
            return;
        }
        if (msg.server() == null || server.serverId().equals(msg.server().id())) {
            return;
        }
        RemoteServer known = remoteServers.get(msg.server().id());
        if (known == null) {
            remoteServers.put(msg.server().id(), new RemoteServer(msg.server().seq(), System.nanoTime()));
            sendStatsz(statszSubject());        // announce ourselves to the new server
        } else if (msg.server().seq() <= known.seq()) {
            LOG.error("Received out of order remote server update from: \"" + msg.server().id() + "\"");
        } else {
            remoteServers.put(msg.server().id(), new RemoteServer(msg.server().seq(), System.nanoTime()));
        }
    }

    // nats-server: events.go remoteServerShutdown
    private void onRemoteShutdown(String subject) {
        String[] tokens = subject.split("\\.");
        if (tokens.length < 4) {
            LOG.debug("Received remote server shutdown on bad subject \"" + subject + "\"");
            return;
        }
        remoteServers.remove(tokens[2]);
    }

    // nats-server: events.go checkRemoteServers
    private void checkRemoteServers() {
        long now = System.nanoTime();
        remoteServers.entrySet().removeIf(e -> {
            boolean orphan = now - e.getValue().lastSeenNanos() > ORPHAN_MAX.toNanos();
            if (orphan) {
                LOG.debug("Detected orphan remote server: \"" + e.getKey() + "\"");
            }
            return orphan;
        });
    }

    /** A reload changed the server's tags or metadata: an immediate STATSZ, as nats-server sends one. */
    // nats-server: reload.go (tags and metadata options call sendStatszUpdate)
    public void onIdentityReloaded() {
        execute(() -> {
            resetStatszLimit();
            sendStatsz(statszSubject());
        });
    }

    /** Number of other servers known from their STATSZ. */
    public int remoteServerCount() {
        return remoteServers.size();
    }

    // ---------------------------------------------------------------------------------------- lame duck, shutdown

    /** Lame duck mode starts: {@code $SYS.SERVER.<id>.LAMEDUCK} with the server info. */
    // nats-server: events.go sendLDMShutdownEventLocked
    public void onLameDuckMode() {
        execute(() -> publish("$SYS.SERVER." + server.serverId() + ".LAMEDUCK", null, null, si -> si));
    }

    /**
     * Sends {@code $SYS.SERVER.<id>.SHUTDOWN} as the last system message (waiting at most a second for it to be
     * handed to its receivers), then stops the events: no more messages, timers or request answers.
     */
    // nats-server: events.go shutdownEventing, sendShutdownEvent
    @Override
    public void close() {
        if (!running) {
            return;
        }
        try {
            loop.submit(() -> {
                if (statszTimer != null) {
                    statszTimer.cancel(false);
                }
                connsHeartbeats.values().forEach(f -> f.cancel(false));
                connsHeartbeats.clear();
                publish("$SYS.SERVER." + server.serverId() + ".SHUTDOWN", null, null, si -> si);
                running = false;
            }).get(SHUTDOWN_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | RejectedExecutionException e) {
            LOG.debug("Shutdown event not sent: " + e);
        }
        running = false;
        if (requests != null) {
            requests.close();
        }
        loop.shutdownNow();
    }

    /** Whether events are still sent. */
    public boolean isRunning() {
        return running;
    }
}
