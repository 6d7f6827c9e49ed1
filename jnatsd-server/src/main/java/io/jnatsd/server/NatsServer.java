package io.jnatsd.server;

import io.jnatsd.common.logging.LoggingBackend;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.common.GoErrors;
import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AuthCalloutOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.ConfException;
import io.jnatsd.config.ConfParser;
import io.jnatsd.config.OcspCacheOptions;
import io.jnatsd.config.OptionsBaseline;
import io.jnatsd.config.OptionsValidator;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.Versions;
import io.jnatsd.config.WebSocketOptions;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.config.AccountOptions;
import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.AccountLimits;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JetStreamHost;
import io.jnatsd.server.auth.AuthCallout;
import io.jnatsd.server.auth.Authenticator;
import io.jnatsd.server.auth.ClientAuthentication;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionHost;
import io.jnatsd.server.conn.ConnectionKind;
import io.jnatsd.server.conn.ServerStats;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.conn.WebSocketState;
import io.jnatsd.server.events.SystemEvents;
import io.jnatsd.server.monitor.MonitorServer;
import io.jnatsd.server.monitor.Monitoring;
import io.jnatsd.server.ocsp.OcspEvents;
import io.jnatsd.server.ocsp.OcspSupport;
import io.jnatsd.server.tls.ClientTlsNegotiator;
import io.jnatsd.server.tls.OcspHooks;
import io.jnatsd.server.tls.PinnedCerts;
import io.jnatsd.server.tls.TlsContext;
import io.jnatsd.server.transport.ClientListener;
import io.jnatsd.server.transport.EarlyListener;
import io.jnatsd.server.transport.Transport;
import io.jnatsd.server.websocket.WebSocketListener;
import io.netty.channel.Channel;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A NATS server: the embedding API and the object graph every subsystem hangs off.
 *
 * <pre>{@code
 * NatsServer server = new NatsServer(ServerOptions.builder().port(ServerOptions.RANDOM_PORT).build());
 * server.start();
 * String url = server.clientUrl();      // nats://127.0.0.1:<port>
 * ...
 * server.shutdown();
 * }</pre>
 * <p>
 * Thread-safe. {@link #start()} binds the listeners and returns once the server accepts connections;
 * {@link #shutdown()} closes every connection with {@code Server Shutdown} and releases the threads.
 */
public final class NatsServer implements ConnectionHost, AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(NatsServer.class);
    /** nats-server's error for a reload of a server started without a config file. */
    public static final String NO_CONFIG_FILE = "can only reload config when a file is provided using -c or --config";

    private final LoggingBackend loggingBackend;
    private final ClientAuthentication customAuthentication;   // null: the configured authorization applies
    private final NKey serverKey;
    private final NKey curveKey;
    private final Transport transport;
    private final ServerStats stats = new ServerStats();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final Monitoring monitoring = new Monitoring(this);
    private final AtomicLong systemSequence = new AtomicLong();
    private final Map<Long, Connection> clients = new ConcurrentHashMap<>();
    private final ArrayDeque<ClosedConnection> closedConnections = new ArrayDeque<>();
    private final ReentrantLock closedLock = new ReentrantLock();
    private final Account globalAccount;
    private final Account systemAccount;            // null with no_system_account
    private final Connection systemClient;          // null with no_system_account
    private final ConfiguredAccounts configuredAccounts;
    private final OperatorMode operatorMode;        // null outside operator (JWT) mode
    private final JetStream jetStream;              // null when JetStream is off
    private final AuthCallout authCallout;          // null without auth_callout outside operator mode
    private final Object internalClientLock = new Object();
    private final ReentrantLock reloadLock = new ReentrantLock();   // nats-server's reloadMu: one reload at a time
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch shutdownComplete = new CountDownLatch(1);

    private volatile ServerOptions options;
    private volatile Authenticator authenticator;
    private volatile ServerInfo info;
    private volatile TlsContext tlsContext;         // null without TLS; replaced on reload
    private volatile ClientListener clientListener;
    private volatile Authenticator webSocketAuthenticator;
    private volatile ServerInfo webSocketInfo;
    private volatile TlsContext webSocketTls;     // null without a wss listener; replaced on reload
    private volatile OcspSupport ocsp;              // stapling and peer verification; replaced on reload
    private volatile WebSocketListener webSocketListener;
    private volatile boolean lameDuck;
    private volatile Instant startTime;
    private volatile Path portsFile;
    private volatile MonitorServer monitorServer;   // null without http/https monitoring
    private volatile SystemEvents events;           // the system account's events and requests, once started
    private volatile java.util.function.Supplier<Optional<String>> reloader; // null: reload the config file alone
    private volatile Instant configLoadTime;
    private volatile String configDigest = "";
    private volatile List<String> commandLine = List.of("jnatsd");

    /** A server with {@code options} whose host application owns logging. */
    public NatsServer(ServerOptions options) {
        this(options, LoggingBackend.HOST_MANAGED);
    }

    /**
     * A server whose clients are authenticated by {@code customAuthentication} alone (nats-server's
     * {@code CustomClientAuthentication}); its host application owns logging.
     */
    public NatsServer(ServerOptions options, ClientAuthentication customAuthentication) {
        this(options, LoggingBackend.HOST_MANAGED, Objects.requireNonNull(customAuthentication,
                "customAuthentication"));
    }

    /**
     * A server that (re)configures logging through {@code loggingBackend}.
     *
     * @throws IllegalArgumentException with nats-server's text when the options are inconsistent (for example
     *                                  {@code max_payload (X) cannot be higher than max_pending (Y)})
     */
    public NatsServer(ServerOptions options, LoggingBackend loggingBackend) {
        this(options, loggingBackend, null);
    }

    /**
     * A server that (re)configures logging through {@code loggingBackend} and, when {@code customAuthentication}
     * is not null, leaves every client authentication to it (kept across reloads).
     *
     * @throws IllegalArgumentException with nats-server's text when the options are inconsistent
     */
    public NatsServer(ServerOptions options, LoggingBackend loggingBackend,
                      ClientAuthentication customAuthentication) {
        this.customAuthentication = customAuthentication;
        ServerOptions normalized = normalize(options);
        OptionsValidator.validate(normalized).ifPresent(error -> {
            throw new IllegalArgumentException(error);
        });
        this.options = normalized;
        // nats-server: server.go NewServer (enableOCSP: a staple that cannot be had stops the server here)
        OcspSupport.Setup ocspSetup = OcspSupport.configure(normalized, new OcspAdvisories(),
                ocspStoreDir(normalized), Clock.systemUTC());
        if (ocspSetup.error() != null) {
            ocspSetup.support().stop();
            throw new IllegalArgumentException(ocspSetup.error());
        }
        this.ocsp = ocspSetup.support();
        this.tlsContext = normalized.tls().enabled()
                ? TlsContext.create(normalized.tls(), null, ocsp.client()) : null;
        this.loggingBackend = loggingBackend;
        this.serverKey = NKey.createServer();
        this.curveKey = NKey.create(NKeyType.CURVE);
        this.transport = new Transport();
        boolean cache = !options.disableSublistCache();
        this.globalAccount = new Account(Account.GLOBAL, cache);
        Function<Account, Connection> accountClients = account -> Connection.internal(this, ConnectionKind.ACCOUNT,
                connectionIds.incrementAndGet(), account);
        this.configuredAccounts = new ConfiguredAccounts(cache, globalAccount, transport.ioGroup(), accountClients);
        boolean operator = normalized.operator().enabled();
        if (operator) {
            String systemAccountName = normalized.operator().systemAccount().isEmpty() ? Account.SYSTEM
                    : normalized.operator().systemAccount();
            this.systemAccount = new Account(systemAccountName, cache);
            globalAccount.setMappings(normalized.mappings());
        } else {
            this.systemAccount = configuredAccounts.selectSystem(normalized);
        }
        this.systemClient = systemAccount == null ? null
                : Connection.internal(this, ConnectionKind.SYSTEM, connectionIds.incrementAndGet(), systemAccount);
        this.operatorMode = OperatorMode.create(normalized, systemAccount, () -> clients.values(), accountClients);
        this.jetStream = normalized.jetStream().enabled() ? new JetStream(new Host(), normalized.jetStream()) : null;
        AuthOptions hiddenUser = operator ? null : configuredAccounts.withHiddenUser(normalized);
        if (!operator) {
            configuredAccounts.apply(normalized);
        }
        this.authenticator = Authenticator.of(normalized, hiddenUser, customAuthentication,
                operatorMode == null ? null : operatorMode.authenticator());
        this.info = buildInfo(this.options, authenticator, 0);
        WebSocketOptions ws = normalized.websocket();
        this.webSocketTls = ws.enabled() && ws.tls().enabled()
                ? TlsContext.create(ws.tls(), null, ocsp.webSocket()) : null;
        this.webSocketAuthenticator = Authenticator.forWebSocket(normalized, hiddenUser, customAuthentication,
                operatorMode == null ? null : operatorMode.authenticator());
        this.webSocketInfo = buildWebSocketInfo(normalized, info, webSocketAuthenticator, Math.max(ws.port(), 0));
        this.authCallout = operator || normalized.authCallout() != null
                ? new AuthCallout(serverKey, curveKey, this::calloutIdentity, this::lookupAccount,
                        operatorMode == null ? null : operatorMode.accounts(), new CalloutBus(), Clock.systemUTC())
                : null;
    }

    /** The server as auth callout requests describe it ({@code server_id} without the xkey). */
    private AuthCallout.ServerIdentity calloutIdentity() {
        ServerInfo i = info;
        ServerOptions o = options;
        return new AuthCallout.ServerIdentity(i.serverName(), o.host(), serverKey.publicKey(), Versions.VERSION, "",
                o.serverTags());
    }

    /**
     * Auth callout requests and replies travel through the callout account's internal client (the system client
     * for the system account), as nats-server's {@code subscribeInternal} and
     * {@code sendInternalAccountMsgWithReply}.
     */
    private final class CalloutBus implements AuthCallout.Bus {
        @Override
        public Runnable subscribe(Account account, String subject, Consumer<byte[]> onPayload) {
            Connection client = internalClientOf(account);
            Subscription sub = client.subscribeInternal(subject, null,
                    (s, publisher, subj, reply, headers, payload) -> onPayload.accept(payload));
            return () -> client.unsubscribeInternal(sub);
        }

        @Override
        public void publish(Account account, String subject, String reply, byte[] headers, byte[] payload) {
            internalClientOf(account).publishInternal(subject, reply, headers, payload);
        }
    }

    /** The internal client that publishes and subscribes in {@code account}, made on first use. */
    private Connection internalClientOf(Account account) {
        if (account == systemAccount && systemClient != null) {
            return systemClient;
        }
        synchronized (internalClientLock) {
            Connection client = account.internalClient();
            if (client == null) {
                client = Connection.internal(this, ConnectionKind.ACCOUNT, connectionIds.incrementAndGet(), account);
                account.setInternalClient(client);
            }
            return client;
        }
    }

    /**
     * Logs what nats-server's {@code configureAuthorization} finds wrong with {@code auth_callout}: an unknown
     * account, and auth users that are neither users nor nkey users (with the account lookup's error, {@code <nil>}
     * when the account is fine). nats-server logs them when the server is created and on reload; its banner
     * logger is not set up yet at creation, so they show there only on reload, while jnatsd logs them at start.
     */
    // nats-server: auth.go configureAuthorization ("Check for server configured auth callouts")
    private void checkAuthCallout(ServerOptions opts) {
        AuthCalloutOptions callout = opts.authCallout();
        if (callout == null || operatorMode != null) {
            return;
        }
        boolean accountFound = lookupAccount(callout.account()) != null;
        if (!accountFound) {
            LOG.error("Authorization callout account " + GoQuote.quote(callout.account()) + " not valid");
        }
        AuthOptions auth = opts.authorization();
        for (String user : callout.authUsers()) {
            boolean found = auth.users().stream().anyMatch(u -> u.username().equals(user))
                    || auth.nkeys().stream().anyMatch(u -> u.nkey().equals(user));
            if (!found) {
                LOG.error("Authorization callout user " + GoQuote.quote(user) + " not valid: "
                        + (accountFound ? "<nil>" : "account missing"));
            }
        }
    }

    /** The INFO of WebSocket clients ({@code createWSClient}, {@code generateClientInfoJSON}). */
    private static ServerInfo buildWebSocketInfo(ServerOptions opts, ServerInfo base, Authenticator wsAuth,
                                                 int boundPort) {
        WebSocketOptions ws = opts.websocket();
        return base.forWebSocket(ws.host(), boundPort, ws.tls().enabled(), wsAuth.infoAuthRequired());
    }

    private static ServerOptions normalize(ServerOptions options) {
        return OptionsBaseline.apply(options);
    }

    private ServerInfo buildInfo(ServerOptions opts, Authenticator auth, int boundPort) {
        String name = opts.serverName() == null || opts.serverName().isEmpty() ? serverKey.publicKey()
                : opts.serverName();
        String host = opts.host();
        int port = boundPort;
        if (opts.clientAdvertise() != null && !opts.clientAdvertise().isEmpty()) {
            String advertise = opts.clientAdvertise();
            int colon = advertise.lastIndexOf(':');
            if (colon > 0 && advertise.indexOf(']') < colon) {
                host = advertise.substring(0, colon);
                try {
                    int advertisedPort = Integer.parseInt(advertise.substring(colon + 1));
                    if (advertisedPort > 0) {
                        port = advertisedPort;
                    }
                } catch (NumberFormatException e) {
                    LOG.warn("client_advertise: bad port in \"" + advertise + "\", using the listen port");
                }
            } else {
                host = advertise;
            }
        }
        TlsOptions tls = opts.tls();
        // nats-server: server.go NewServer (TLSRequired, TLSVerify, TLSAvailable)
        return new ServerInfo(serverKey.publicKey(), name, Versions.VERSION, Versions.PROTO, null,
                "java" + Runtime.version().feature(), host, port, !opts.noHeaderSupport(), auth.infoAuthRequired(),
                tls.required(), tls.enabled() && tls.verify(), tls.available(), opts.maxPayload(),
                opts.jetStream().enabled(), null, 0, null, null, null, false,
                opts.jetStream().enabled() ? opts.jetStream().domain() : null, null, null, false, null, false, null,
                false, Versions.JS_API_LEVEL, curveKey.publicKey());
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Configures logging, logs the banner, writes the pid file, binds the client port and marks the server ready.
     *
     * @throws IOException when a listener cannot bind ({@code Error listening on port: ...}) or a file cannot be
     *                     written
     */
    public void start() throws IOException {
        start(null);
    }

    /**
     * {@link #start()} on a client port the caller bound early ({@link EarlyListener}): the process launcher binds
     * it before loading the server so that connections made right after launch wait in the backlog.
     *
     * @param early the listening socket to serve (this server owns it from now on), or null to bind as usual
     */
    public void start(EarlyListener early) throws IOException {
        start(early, null);
    }

    /**
     * {@link #start(EarlyListener)} with the WebSocket port bound early too ({@code webSocketEarly}, or null): the
     * launcher binds it when the file's {@code websocket} block names it.
     */
    public void start(EarlyListener early, EarlyListener webSocketEarly) throws IOException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("server already started");
        }
        ServerOptions opts = options;
        loggingBackend.configure(opts.logging());
        startTime = Instant.now();
        configLoadTime = startTime;
        LOG.notice("Starting nats-server");
        LOG.notice("  Version:  " + Versions.VERSION);
        LOG.notice("  Git:      [not set]");
        LOG.debug("  Go build: java" + Runtime.version());
        LOG.notice("  Name:     " + info.serverName());
        LOG.notice("  ID:       " + serverKey.publicKey());
        for (String warning : authenticator.warnings()) {
            LOG.warn(warning);
        }
        checkAuthCallout(opts);
        if (opts.configFile() != null) {
            String digest = configDigest(opts.configFile());
            configDigest = digest.isEmpty() ? "" : digest.substring(1, digest.length() - 1);
            LOG.notice("Using configuration file: " + opts.configFile() + " " + digest);
        }
        OperatorMode.logTrustedOperators(opts);
        if (opts.maxPayload() > 8 * 1024 * 1024) {
            LOG.warn("Maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance");
        }
        if (systemAccount != null) {
            LOG.debug("Created system account: \"" + systemAccount.name() + "\"");
        }
        events = SystemEvents.start(this);
        if (opts.pidFile() != null) {
            writePidFile(opts.pidFile());
        }
        startMonitoring(opts);
        ocsp.start(this::shutdown);
        if (jetStream != null) {
            startJetStream(opts);
        }
        if (opts.websocket().enabled()) {
            startWebSocket(opts, webSocketEarly);
        }
        try {
            clientListener = ClientListener.bind(transport, opts.host(), opts.port(), early, () -> tlsContext,
                    opts.proxyProtocol(), this::acceptClient);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) { // Netty's sync() rethrows the bind failure (a checked exception) undeclared
            closeWebSocketListener();
            transport.shutdown();
            String address = hostPort(opts.host(), opts.port());
            String message = "Error listening on port: " + address + ", \"" + describeBindFailure(address, e) + "\"";
            LOG.fatal(message);
            throw new IOException(message, e);
        }
        InetSocketAddress bound = clientListener.localAddress();
        info = buildInfo(opts, authenticator, bound.getPort());
        webSocketInfo = buildWebSocketInfo(opts, info, webSocketAuthenticator, webSocketPortOrZero());
        if (operatorMode != null) {
            operatorMode.start(transport.ioGroup(), systemClient, this::resolverServerInfo);
        }
        LOG.notice("Listening for client connections on " + hostPort(opts.host(), bound.getPort()));
        if (opts.proxyProtocol()) {
            LOG.notice("PROXY protocol enabled for client connections");
        }
        logTlsMode(opts.tls());
        if (opts.portsFileDir() != null) {
            writePortsFile(opts.portsFileDir(), bound.getPort());
        }
        LOG.notice("Server is ready");
        // nats-server: server.go Start (startOCSPResponseCache once the accept loop runs)
        ocsp.startCache();
        Thread.ofVirtual().name("jnatsd-prepare").start(Connection::prepareConnectReader);
        ready.countDown();
    }

    /**
     * Starts JetStream on the accounts that have limits: in config mode {@code $G} alone when no other account is
     * configured, else the configured accounts with a {@code jetstream} key; in operator mode each account JWT with
     * JetStream limits as it is loaded.
     *
     * @throws IOException {@code Not allowed to enable JetStream on the system account}, or {@code Can't start
     *                     JetStream: ...} (fatal)
     */
    // nats-server: server.go Start (JetStream part), jetstream.go enableJetStreamAccounts
    private void startJetStream(ServerOptions opts) throws IOException {
        if (operatorMode == null && systemAccount != null && opts.account(systemAccount.name()) != null
                && opts.account(systemAccount.name()).jetStream() != null) {
            String message = "Not allowed to enable JetStream on the system account";
            LOG.fatal(message);
            transport.shutdown();
            throw new IOException(message);
        }
        try {
            jetStream.start(operatorMode == null ? configuredJetStreamAccounts(opts) : Map.of());
        } catch (IOException | RuntimeException e) {
            String message = "Can't start JetStream: " + e.getMessage();
            LOG.fatal(message);
            jetStream.shutdown();
            transport.shutdown();
            throw new IOException(message, e);
        }
        if (operatorMode != null) {
            operatorMode.accounts().addListener(this::configureJwtJetStream);
            for (JwtAccount ja : operatorMode.accounts().loaded()) {
                configureJwtJetStream(ja);
            }
        }
    }

    /** The JetStream limits of config mode's accounts ({@code configAllJetStreamAccounts}). */
    private Map<Account, Map<String, JetStreamAccountLimits>> configuredJetStreamAccounts(ServerOptions opts) {
        Map<Account, Map<String, JetStreamAccountLimits>> out = new LinkedHashMap<>();
        boolean globalOnly = true;
        for (AccountOptions ao : opts.accounts()) {
            if (systemAccount == null || !ao.name().equals(systemAccount.name())) {
                globalOnly = false;
            }
        }
        if (globalOnly) {
            out.put(globalAccount, Map.of("", JetStreamAccountLimits.UNLIMITED));
            return out;
        }
        for (AccountOptions ao : opts.accounts()) {
            Account a = configuredAccounts.lookup(ao.name());
            if (a != null && a != systemAccount && ao.jetStream() != null) {
                out.put(a, Map.of("", ao.jetStream()));
            }
        }
        return out;
    }

    /** An account JWT was applied: its JetStream limits enable, update or disable JetStream for it. */
    // nats-server: accounts.go updateAccountClaimsWithRefresh (JetStream limits), configJetStream
    private void configureJwtJetStream(JwtAccount ja) {
        boolean removed = operatorMode.accounts().loaded(ja.key()) != ja;
        AccountClaims claims = ja.claims();
        jetStream.configureAccount(ja.account(), removed || claims == null ? null : jwtLimits(claims.limits()));
    }

    // nats-server: accounts.go updateAccountClaimsWithRefresh (IsJSEnabled, toUnlimited)
    private static Map<String, JetStreamAccountLimits> jwtLimits(AccountLimits l) {
        if (l == null) {
            return null;
        }
        if (l.diskStorageBytes() != 0 || l.memoryStorageBytes() != 0) {
            return Map.of("", new JetStreamAccountLimits(l.memoryStorageBytes(), l.diskStorageBytes(),
                    (int) l.streams(), (int) l.consumers(), (int) unlimited(l.maxAckPending()),
                    unlimited(l.memoryMaxStreamBytes()), unlimited(l.diskMaxStreamBytes()), l.maxBytesRequired()));
        }
        if (l.tieredLimits().isEmpty()) {
            return null;
        }
        Map<String, JetStreamAccountLimits> tiers = new LinkedHashMap<>();
        for (Map.Entry<String, io.jnatsd.jwt.JetStreamLimits> e : l.tieredLimits().entrySet()) {
            io.jnatsd.jwt.JetStreamLimits t = e.getValue();
            tiers.put(e.getKey(), new JetStreamAccountLimits(t.memoryStorageBytes(), t.diskStorageBytes(),
                    (int) t.streams(), (int) t.consumers(), (int) unlimited(t.maxAckPending()),
                    unlimited(t.memoryMaxStreamBytes()), unlimited(t.diskMaxStreamBytes()), t.maxBytesRequired()));
        }
        return tiers;
    }

    private static long unlimited(long value) {
        return value > 0 ? value : -1;
    }

    /**
     * Binds the WebSocket listener and logs it as nats-server does ({@code Listening for websocket clients on
     * ws://host:port}, with a warning without TLS).
     *
     * @throws IOException when it cannot bind ({@code Unable to listen for websocket connections: ...}, fatal)
     */
    // nats-server: websocket.go startWebsocketServer
    private void startWebSocket(ServerOptions opts, EarlyListener early) throws IOException {
        WebSocketOptions ws = opts.websocket();
        try {
            webSocketListener = WebSocketListener.bind(transport, ws, early, () -> webSocketTls,
                    this::acceptWebSocketClient);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared
            transport.shutdown();
            String address = hostPort(ws.host(), Math.max(ws.port(), 0));
            String message = "Unable to listen for websocket connections: " + describeBindFailure(address, e);
            LOG.fatal(message);
            throw new IOException(message, e);
        }
        boolean tls = webSocketListener.tls();
        LOG.notice("Listening for websocket clients on " + (tls ? "wss" : "ws") + "://" + ws.host() + ":"
                + webSocketListener.localAddress().getPort());
        if (!tls) {
            LOG.warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
        }
    }

    private void closeWebSocketListener() {
        WebSocketListener listener = webSocketListener;
        if (listener != null) {
            listener.close();
        }
    }

    private int webSocketPortOrZero() {
        WebSocketListener listener = webSocketListener;
        return listener == null ? 0 : listener.localAddress().getPort();
    }

    /**
     * Starts the HTTP or HTTPS monitoring listener when a monitoring port is set, before the client port as
     * nats-server does (so that start-up can be watched).
     */
    // nats-server: server.go StartMonitoring
    private void startMonitoring(ServerOptions opts) throws IOException {
        if (opts.httpPort() == 0 && opts.httpsPort() == 0) {
            return;
        }
        Optional<String> invalid = OptionsValidator.validateMonitoring(opts);
        try {
            if (invalid.isPresent()) {
                throw new IOException(invalid.get());
            }
            boolean secure = opts.httpPort() == 0;
            TlsContext tls = null;
            if (secure) {
                OcspSupport features = ocsp;
                if (features.peerVerify()) {
                    // nats-server: server.go startMonitoring (with OCSP peer verification somewhere the client
                    // TLS config is used as it is: client certificates required and OCSP-checked)
                    tls = TlsContext.create(opts.tls(), null, features.client());
                } else {
                    // nats-server: server.go getMonitoringTLSConfig (the client TLS config, stapling included,
                    // without client certificates)
                    tls = TlsContext.create(opts.tls().toBuilder().verify(false).build(), null,
                            new OcspHooks(features.client().stapler(), null));
                }
            }
            monitorServer = MonitorServer.start(transport, opts.httpHost(), secure ? opts.httpsPort()
                    : opts.httpPort(), tls, monitoring, opts.httpBasePath());
        } catch (IOException | IllegalArgumentException e) {
            String message = "Can't start monitoring: " + e.getMessage();
            LOG.fatal(message);
            transport.shutdown();
            throw new IOException(message, e);
        }
    }

    // nats-server: server.go AcceptLoop ("TLS required/available for client connections")
    private void logTlsMode(TlsOptions tls) {
        if (!tls.enabled()) {
            return;
        }
        boolean handshakeFirstOnly = tls.handshakeFirst() && tls.handshakeFirstFallback().isZero();
        if (tls.allowNonTls() && !handshakeFirstOnly) {
            LOG.notice("TLS available for client connections");
        } else {
            LOG.notice("TLS required for client connections");
        }
        TlsContext context = tlsContext;
        if (context != null) {
            LOG.debug("TLS provider: " + context.providerName());   // jnatsd only: -Djnatsd.tls.provider
        }
        if (handshakeFirstOnly) {
            LOG.warn("Clients that are not using \"TLS Handshake First\" option will fail to connect");
        }
        if (tls.connectionRateLimit() > 0) {
            transport.ioGroup().next().scheduleAtFixedRate(this::logRateLimitedHandshakes, 1, 1, TimeUnit.SECONDS);
        }
    }

    // nats-server: server.go logRejectedTLSConns
    private void logRateLimitedHandshakes() {
        TlsContext tls = tlsContext;
        long rejected = tls == null ? 0 : tls.takeRateLimitedHandshakes();
        if (rejected > 0) {
            LOG.warn("Rejected " + rejected + " connections due to TLS rate limiting");
        }
    }

    /** {@code (sha256:<hex>)} of the config file as nats-server prints it, or empty if it cannot be read now. */
    private static String configDigest(Path configFile) {
        try {
            return "(" + ConfParser.parseFile(configFile).digest() + ")";
        } catch (ConfException e) {
            return "";
        }
    }

    /** Go's {@code net.OpError} text for a failed listen, e.g. {@code listen tcp 127.0.0.1:4222: bind: ...}. */
    private static String describeBindFailure(String address, Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String lower = text.toLowerCase();
        if (lower.contains("address already in use")) {
            return "listen tcp " + address + ": bind: address already in use";
        }
        if (lower.contains("cannot assign requested address")) {
            return "listen tcp " + address + ": bind: cannot assign requested address";
        }
        if (lower.contains("permission denied")) {
            return "listen tcp " + address + ": bind: permission denied";
        }
        return "listen tcp " + address + ": " + text;
    }

    private static String hostPort(String host, int port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    private void writePidFile(Path pidFile) throws IOException {
        try {
            Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
            setPermissions(pidFile, "rw-------");
        } catch (IOException e) {
            String message = "Could not write pidfile: " + GoErrors.pathError("open", pidFile.toString(), e);
            LOG.fatal(message);
            throw new IOException(message, e);
        }
    }

    /** {@code <dir>/<exe>_<pid>.ports}. */
    // nats-server: server.go portFile
    private static Path portsFileName(Path dir) {
        String exe = System.getProperty("jnatsd.exe", "jnatsd");
        return dir.resolve(exe + "_" + ProcessHandle.current().pid() + ".ports");
    }

    // nats-server: server.go PortsInfo, logPorts
    private void writePortsFile(Path dir, int port) throws IOException {
        Path file = portsFileName(dir);
        StringBuilder json = new StringBuilder("{\"nats\":");
        appendUrls(json, options.tls().required() ? "tls" : "nats", options.host(), port);
        MonitorServer monitor = monitorServer;
        if (monitor != null) {
            json.append(",\"monitoring\":");
            appendUrls(json, monitor.isSecure() ? "https" : "http", options.httpHost(),
                    monitor.localAddress().getPort());
        }
        WebSocketListener ws = webSocketListener;
        if (ws != null) {
            json.append(",\"websocket\":");
            appendUrls(json, ws.tls() ? "wss" : "ws", options.websocket().host(), ws.localAddress().getPort());
        }
        json.append('}');
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
        portsFile = file;
    }

    /** Deletes the ports file written last, if any. */
    // nats-server: server.go deletePortsFile
    private void deletePortsFile() {
        Path file = portsFile;
        if (file == null) {
            return;
        }
        portsFile = null;
        try {
            Files.delete(file);
        } catch (IOException e) {
            LOG.error("Error cleaning up ports file " + file + ": " + GoErrors.pathError("remove", file.toString(), e));
        }
    }

    /** A JSON array of {@code scheme://host:port} URLs; a wildcard host stands for every local address. */
    // nats-server: server.go formatURL, resolveHostPorts
    private static void appendUrls(StringBuilder json, String scheme, String host, int port) {
        List<String> urls = new ArrayList<>();
        if ("0.0.0.0".equals(host) || "::".equals(host) || host.isEmpty()) {
            for (String address : LocalAddresses.all()) {
                urls.add(scheme + "://" + hostPort(address, port));
            }
        } else {
            urls.add(scheme + "://" + hostPort(host, port));
        }
        json.append('[');
        for (int i = 0; i < urls.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(urls.get(i)).append('"');
        }
        json.append(']');
    }

    private static void setPermissions(Path file, String permissions) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Cannot set permissions of " + file + ": " + e.getMessage());
        }
    }

    /** Waits until the server accepts connections; false on timeout. */
    public boolean waitUntilReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Blocks until {@link #shutdown()} has completed. */
    public void awaitShutdown() throws InterruptedException {
        shutdownComplete.await();
    }

    /** Whether the server is accepting connections and not shutting down. */
    public boolean isRunning() {
        return ready.getCount() == 0 && !shuttingDown.get();
    }

    /**
     * Stops the server: closes the listener, closes every client with {@code Server Shutdown} (after flushing what
     * is queued for it), deletes the ports file and releases the event loops. Idempotent.
     */
    public void shutdown() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        LOG.notice("Initiating Shutdown...");
        closeWebSocketListener();
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            systemEvents.close();               // SHUTDOWN is the last system message
        }
        ClientListener listener = clientListener;
        if (listener != null) {
            listener.close();
            LOG.debug("Client accept loop exiting..");
        }
        MonitorServer monitor = monitorServer;
        if (monitor != null) {
            monitor.close();
        }
        List<Connection> open = new ArrayList<>(clients.values());
        for (Connection c : open) {
            c.closeConnection(ClosedState.SERVER_SHUTDOWN);
        }
        awaitClients(Duration.ofSeconds(2));
        if (jetStream != null) {
            jetStream.shutdown();
        }
        if (operatorMode != null) {
            operatorMode.close();
        }
        transport.shutdown();
        deletePortsFile();
        LOG.notice("Server Exiting..");
        ocsp.stop();
        shutdownComplete.countDown();
    }

    private void awaitClients(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /**
     * Lame duck mode: stop accepting, tell clients (INFO with {@code ldm}), wait the grace period, then close the
     * clients spread over the rest of lame_duck_duration, then shut down. Returns at once; the work runs on a
     * virtual thread.
     */
    public void enterLameDuckMode() {
        if (lameDuck || shuttingDown.get() || clientListener == null) {
            return;
        }
        lameDuck = true;
        Thread.ofVirtual().name("jnatsd-lame-duck").start(this::runLameDuckMode);
    }

    // nats-server: server.go lameDuckMode
    private void runLameDuckMode() {
        ServerOptions opts = options;
        LOG.notice("Entering lame duck mode, stop accepting new clients");
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            systemEvents.onLameDuckMode();
        }
        clientListener.close();
        closeWebSocketListener();
        if (jetStream != null) {
            jetStream.shutdown();               // nats-server: shutdownJetStream before the clients go
        }
        List<Connection> open = new ArrayList<>(clients.values());
        if (open.isEmpty()) {
            shutdown();
            return;
        }
        Duration window = opts.lameDuckDuration().minus(opts.lameDuckGracePeriod());
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            window = Duration.ofSeconds(1);
        }
        // one close every interval (at most 1 s), a random pause in [interval/2, interval) between two; more
        // clients than nanoseconds in the window close in batches
        long windowNanos = window.toNanos();
        long intervalNanos = Math.min(windowNanos / open.size(), TimeUnit.SECONDS.toNanos(1));
        long batch = 1;
        if (intervalNanos < 1) {
            intervalNanos = 1;
            batch = open.size() / windowNanos;
        }
        for (Connection c : open) {
            c.sendLameDuckInfo();
        }
        if (!sleep(opts.lameDuckGracePeriod().toNanos())) {
            return;
        }
        LOG.notice("Closing existing clients");
        for (int i = 0; i < open.size(); i++) {
            if (shuttingDown.get()) {
                return;
            }
            open.get(i).closeConnection(ClosedState.SERVER_SHUTDOWN);
            if (i == open.size() - 1) {
                break;                          // no pause after the last one: shut down at once
            }
            if (batch == 1 || i % batch == 0) {
                long pause = intervalNanos <= 1 ? 0 : ThreadLocalRandom.current().nextLong(intervalNanos / 2,
                        intervalNanos);
                if (pause > 0 && !sleep(pause)) {
                    return;
                }
            }
        }
        shutdown();
    }

    private static boolean sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Applies reloaded options (SIGHUP, {@code --signal reload}, {@code $SYS.REQ.SERVER.<id>.RELOAD}), as
     * nats-server's {@code ReloadOptions}: the new options are validated and compared with the running ones; if an
     * option nats-server cannot reload changed, or a new TLS configuration or log destination cannot be set up,
     * nothing is applied and the error is returned. Otherwise every reloadable change is applied and logged
     * ({@code Reloaded: ...}) in nats-server's order, clients are checked against the new authorization, and
     * {@code Reloaded server configuration} ends the reload. Reloads are serialised.
     *
     * @param next   the options read again from the config file, with the command-line flags applied on top
     * @param digest the new file's digest, for the success line
     * @return empty on success, else the error (the caller logs it: {@code Failed to reload server configuration})
     */
    // nats-server: reload.go ReloadOptions, reloadOptions, applyOptions
    public Optional<String> reload(ServerOptions next, String digest) {
        reloadLock.lock();
        try {
            return reloadLocked(next, digest);
        } finally {
            reloadLock.unlock();
        }
    }

    private Optional<String> reloadLocked(ServerOptions next, String digest) {
        ServerOptions current = options;
        if (current.configFile() == null) {
            return Optional.of(NO_CONFIG_FILE);
        }
        ServerOptions candidate = normalize(next);
        int boundPort = clientListener == null ? current.port() : clientPort();
        if (candidate.port() == ServerOptions.RANDOM_PORT || candidate.port() == boundPort) {
            candidate = candidate.toBuilder().port(current.port()).build();     // the running port is kept
        }
        candidate = keepWebSocketPort(current, candidate);
        // nats-server: reload.go reloadOptions validates the new options before comparing them
        Optional<String> invalid = OptionsValidator.validate(candidate);
        if (invalid.isPresent()) {
            return invalid;
        }
        Reload.Diff diff = Reload.diff(current, candidate, boundPort);
        if (diff.error().isPresent()) {
            return diff.error();
        }
        // Everything that can fail is set up before anything changes: a reload applies whole or not at all.
        TlsContext nextTls = tlsContext;
        TlsContext nextWebSocketTls = webSocketTls;
        LoggingBackend.Prepared logging = null;
        Authenticator auth;
        Authenticator wsAuth;
        try {
            if (!candidate.tls().equals(current.tls())) {
                nextTls = candidate.tls().enabled() ? TlsContext.create(candidate.tls(), tlsContext) : null;
            }
            // nats-server: websocket.go wsGetTLSConfig (new wss connections use the reloaded TLS configuration)
            TlsOptions wsTls = candidate.websocket().tls();
            if (webSocketTls != null && wsTls.enabled() && !wsTls.equals(current.websocket().tls())) {
                nextWebSocketTls = TlsContext.create(wsTls, webSocketTls);
            }
            AuthOptions hiddenUser = operatorMode != null ? null : configuredAccounts.withHiddenUser(candidate);
            auth = Authenticator.of(candidate, hiddenUser, customAuthentication,
                    operatorMode == null ? null : operatorMode.authenticator());
            wsAuth = Authenticator.forWebSocket(candidate, hiddenUser, customAuthentication,
                    operatorMode == null ? null : operatorMode.authenticator());
            if (diff.loggingChanged()) {
                logging = loggingBackend.prepare(candidate.logging());    // last: nothing after it can fail
            }
        } catch (RuntimeException e) {
            return Optional.of(Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }

        options = candidate;
        authenticator = auth;
        webSocketAuthenticator = wsAuth;
        tlsContext = nextTls;
        webSocketTls = nextWebSocketTls;
        info = buildInfo(candidate, auth, boundPort);
        webSocketInfo = buildWebSocketInfo(candidate, info, wsAuth, webSocketPortOrZero());
        Set<Account> importsChanged = Set.of();
        if (operatorMode == null) {
            importsChanged = configuredAccounts.apply(candidate);
            if (jetStream != null) {
                reconfigureJetStreamAccounts(candidate);
            }
        } else {
            globalAccount.setMappings(candidate.mappings());
            if (!candidate.operator().resolverTls().equals(current.operator().resolverTls())) {
                try {
                    operatorMode.reloadResolverTls(candidate.operator());
                } catch (IllegalArgumentException e) {
                    LOG.error("Reloading resolver_tls failed: " + e.getMessage());
                }
            }
        }
        for (Reload.Change change : diff.changes()) {
            applyChange(change, current, candidate);
            change.lines().forEach(LOG::notice);
        }
        if (logging != null) {
            logging.commit();           // as nats-server's ConfigureLogger: after the Reloaded: lines
        }
        if (ocspCacheChanged(current, candidate)) {
            LOG.notice("Reloaded OCSP peer cache");
        }
        reloadOcsp(candidate);
        checkAuthCallout(candidate);
        reauthorizeClients(auth, wsAuth, importsChanged);
        SystemEvents systemEvents = events;
        if (systemEvents != null && (diff.has(Reload.Option.TAGS) || diff.has(Reload.Option.METADATA)
                || diff.has(Reload.Option.JETSTREAM_LIMITS))) {
            systemEvents.onIdentityReloaded();
        }
        LOG.notice("Reloaded server configuration" + (digest == null || digest.isEmpty() ? "" : " (" + digest + ")"));
        if (diff.has(Reload.Option.PINNED_CERTS)) {
            recheckPinnedCerts(candidate.tls().pinnedCerts());
        }
        configLoadTime = Instant.now();
        configDigest = digest == null ? "" : digest;
        return Optional.empty();
    }

    /** What a reloaded option does beyond its log line, which follows (nats-server's {@code option.Apply}). */
    private void applyChange(Reload.Change change, ServerOptions current, ServerOptions next) {
        switch (change.option()) {
            case MAX_CONNECTIONS -> closeAboveMaxConnections(next.maxConnections());
            case MAX_CONTROL_LINE -> {
                for (Connection c : clients.values()) {
                    c.applyMaxControlLine(next.maxControlLine());
                }
            }
            // nats-server: reload.go pidFileOption.Apply
            case PID_FILE -> {
                if (next.pidFile() != null && !next.pidFile().toString().isEmpty()) {
                    try {
                        Files.writeString(next.pidFile(), Long.toString(ProcessHandle.current().pid()),
                                StandardCharsets.US_ASCII);
                        setPermissions(next.pidFile(), "rw-------");
                    } catch (IOException e) {
                        LOG.error("Failed to write pidfile: " + GoErrors.pathError("open", next.pidFile().toString(),
                                e));
                    }
                }
            }
            // nats-server: reload.go portsFileDirOption.Apply (the old file goes, the new one is written)
            case PORTS_FILE_DIR -> {
                deletePortsFile();
                if (next.portsFileDir() != null && !next.portsFileDir().toString().isEmpty()
                        && clientListener != null) {
                    try {
                        writePortsFile(next.portsFileDir(), clientPort());
                    } catch (IOException e) {
                        Path file = portsFileName(next.portsFileDir());
                        LOG.error("Error writing ports file (" + file + "): " + GoErrors.pathError("open",
                                file.toString(), e));
                    }
                }
            }
            case JETSTREAM_LIMITS -> {
                if (jetStream != null) {
                    jetStream.raiseServerLimits(next.jetStream().maxMemorySet() ? next.jetStream().maxMemoryBytes()
                            : -1, next.jetStream().maxStoreSet() ? next.jetStream().maxStoreBytes() : -1);
                }
            }
            default -> {
                // read where it is used (ping interval, write deadline, limits of new connections, ...)
            }
        }
    }

    /** Applies reloaded account JetStream limits: new ones are enabled, changed ones updated, removed ones disabled. */
    private void reconfigureJetStreamAccounts(ServerOptions candidate) {
        Map<Account, Map<String, JetStreamAccountLimits>> wanted = configuredJetStreamAccounts(candidate);
        for (Account a : configuredAccounts.all()) {
            if (a != systemAccount) {
                jetStream.configureAccount(a, wanted.get(a));
            }
        }
    }

    /**
     * Restarts OCSP for the reloaded options, as nats-server does on every reload: the monitors and the response
     * cache stop, new ones are set up (asking the responders again) and the TLS contexts are rebuilt with them. A
     * failure is only a warning ({@code Can't restart OCSP features: ...}): the blocks set up before it keep their
     * stapling, nothing is monitored and the cache stays stopped, as in nats-server.
     */
    // nats-server: reload.go applyOptions (reloadOCSP), ocsp.go reloadOCSP
    /**
     * Where staples' status files go: the configured {@code store_dir} (top level or in the {@code jetstream}
     * block), as nats-server's {@code opts.StoreDir}; null when none is configured (staples then live in memory).
     */
    private static Path ocspStoreDir(ServerOptions opts) {
        String dir = opts.jetStream().storeDir();
        return dir == null || dir.isEmpty() ? null : Path.of(dir);
    }

    private void reloadOcsp(ServerOptions candidate) {
        OcspSupport old = ocsp;
        old.stopMonitors();
        old.stopCache();
        OcspSupport.Setup setup = OcspSupport.configure(candidate, new OcspAdvisories(), ocspStoreDir(candidate),
                Clock.systemUTC());
        OcspSupport next = setup.support();
        TlsContext currentTls = tlsContext;
        if (currentTls != null && candidate.tls().enabled()
                && (next.client().active() || currentTls.ocsp().active())) {
            try {
                tlsContext = TlsContext.create(candidate.tls(), currentTls, next.client());
            } catch (IllegalArgumentException e) {
                LOG.warn("Can't restart OCSP features: " + e.getMessage());
            }
        }
        TlsContext currentWs = webSocketTls;
        if (currentWs != null && candidate.websocket().tls().enabled()
                && (next.webSocket().active() || currentWs.ocsp().active())) {
            try {
                webSocketTls = TlsContext.create(candidate.websocket().tls(), currentWs, next.webSocket());
            } catch (IllegalArgumentException e) {
                LOG.warn("Can't restart OCSP features: " + e.getMessage());
            }
        }
        ocsp = next;
        if (setup.error() != null) {
            LOG.warn("Can't restart OCSP features: " + setup.error());
            return;
        }
        next.start(this::shutdown);
        next.startCache();
    }

    /**
     * Whether nats-server logs {@code Reloaded OCSP peer cache}: its running options hold the default cache
     * configuration once peer verification started one, so a file without {@code ocsp_cache} differs from them.
     */
    // nats-server: reload.go diffOptions "ocspcacheconfig", ocsp_responsecache.go initOCSPResponseCache
    private boolean ocspCacheChanged(ServerOptions current, ServerOptions candidate) {
        OcspCacheOptions running = current.ocspCache();
        if (running == null && ocsp.peerVerify()) {
            running = OcspCacheOptions.DEFAULTS;
        }
        return !Objects.equals(running, candidate.ocspCache());
    }

    /** The OCSP features of the running configuration (stapling, peer verification, the response cache). */
    public OcspSupport ocsp() {
        return ocsp;
    }

    /** OCSP peer verification's advisories, sent through the system events once they run. */
    private final class OcspAdvisories implements OcspEvents {
        @Override
        public void peerRejected(String kind, X509Certificate peer, String reason) {
            SystemEvents systemEvents = events;
            if (systemEvents != null) {
                systemEvents.onOcspPeerRejected(kind, peer, reason);
            }
        }

        @Override
        public void linkInvalid(X509Certificate peer, X509Certificate link, String reason) {
            SystemEvents systemEvents = events;
            if (systemEvents != null) {
                systemEvents.onOcspPeerLinkInvalid(peer, link, reason);
            }
        }
    }

    /**
     * Checks every client against the reloaded authorization, as nats-server does on each reload: clients whose
     * credentials no longer pass are closed with an authorization violation, and subscriptions the new permissions
     * forbid are removed. Waits (briefly) for the connections' event loops to have done it.
     */
    // nats-server: reload.go reloadAuthorization
    private void reauthorizeClients(Authenticator auth, Authenticator wsAuth, Set<Account> streamImportsChanged) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Connection c : clients.values()) {
            pending.add(c.reauthorize(c.isWebSocket() ? wsAuth : auth, streamImportsChanged));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Re-checking authorization of existing clients did not complete: " + e);
        }
    }

    /**
     * Closes the clients whose certificate is not in the reloaded {@code pinned_certs} (plaintext clients of an
     * allow_non_tls port have none). nats-server checks its clients against the previous list here, which looks
     * like a slip; jnatsd uses the new one.
     */
    // nats-server: reload.go recheckPinnedCerts
    private void recheckPinnedCerts(Set<String> pins) {
        List<Connection> mismatched = new ArrayList<>();
        for (Connection c : clients.values()) {
            if (c.isWebSocket()) {
                continue;                       // the client port's pins; WebSocket pins cannot change on reload
            }
            if (!c.isAwaitingTls() && !PinnedCerts.matches(c.tlsSession(), pins)) {
                mismatched.add(c);
            }
        }
        if (!mismatched.isEmpty()) {
            LOG.notice("Disconnect " + mismatched.size() + " clients due to pinned certs reload");
            for (Connection c : mismatched) {
                c.closeConnection(ClosedState.TLS_HANDSHAKE_ERROR);
            }
        }
    }

    /**
     * A random WebSocket port in the reloaded file keeps the running one, as does the bound port written out, so
     * neither counts as a change ({@code reload.go Reload}: {@code Websocket.Port == -1} keeps the original).
     */
    private ServerOptions keepWebSocketPort(ServerOptions current, ServerOptions candidate) {
        int port = candidate.websocket().port();
        int currentPort = current.websocket().port();
        if (port == currentPort || !current.websocket().enabled()) {
            return candidate;
        }
        if (port == ServerOptions.RANDOM_PORT
                || (currentPort == ServerOptions.RANDOM_PORT && port == webSocketPortOrZero())) {
            return candidate.toBuilder().websocket(candidate.websocket().toBuilder().port(currentPort).build())
                    .build();
        }
        return candidate;
    }

    /**
     * Closes clients above a lowered max_connections, each with {@code -ERR 'maximum connections exceeded'}.
     * nats-server picks them at random (map order); jnatsd closes the newest.
     */
    // nats-server: reload.go maxConnOption.Apply, client.go maxConnExceeded
    private void closeAboveMaxConnections(int max) {
        List<Connection> open = new ArrayList<>(clients.values());
        open.sort((a, b) -> Long.compare(b.cid(), a.cid()));
        int excess = open.size() - Math.max(0, max);
        for (int i = 0; i < excess; i++) {
            open.get(i).closeMaxConnectionsExceeded();
        }
        if (excess > 0) {
            LOG.notice("Closed " + excess + " connections to fall within max_connections");
        }
    }

    /** Whether lame duck mode has started. */
    public boolean isLameDuckMode() {
        return lameDuck;
    }

    /** Reopens the log file (SIGUSR1). */
    public void reopenLogFile() {
        if (loggingBackend.reopen()) {
            LOG.notice("File log re-opened");
        } else {
            LOG.notice("File log re-open ignored, not a file logger");
        }
    }

    // ----------------------------------------------------------------------------------------- connections

    private Connection acceptClient(Channel channel, ClientTlsNegotiator tls) {
        Connection c = Connection.client(this, connectionIds.incrementAndGet(), channel);
        if (shuttingDown.get() || lameDuck) {
            channel.close();
            return c;
        }
        clients.put(c.cid(), c);
        totalConnections.incrementAndGet();
        if (options.proxyProtocol()) {
            c.awaitProxyHeader();
        }
        if (tls == null) {
            c.onAccepted(clients.size());
        } else {
            c.onAcceptedAwaitingTls(clients.size(), tls.infoAfterHandshake());
        }
        return c;
    }

    /** Creates and starts the connection of an upgraded WebSocket (on its event loop). */
    // nats-server: websocket.go createWSClient
    private Connection acceptWebSocketClient(Channel channel, WebSocketState state) {
        Connection c = Connection.webSocketClient(this, connectionIds.incrementAndGet(), channel, state);
        if (shuttingDown.get() || lameDuck) {
            channel.close();
            return c;
        }
        clients.put(c.cid(), c);
        c.onAccepted(clients.size());
        return c;
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        if (clients.remove(connection.cid()) == null) {
            return;
        }
        SystemEvents systemEvents = events;
        if (systemEvents != null && connection.kind() == ConnectionKind.CLIENT) {
            // nats-server: server.go saveClosedClient (accountDisconnectEvent)
            systemEvents.onClientDisconnected(connection.closedSnapshot(), connection.stopTime(),
                    connection.closedState());
        }
        int max = options.maxClosedClients();
        if (max <= 0) {
            return;
        }
        closedLock.lock();
        try {
            closedConnections.addLast(ClosedConnection.of(connection));
            while (closedConnections.size() > max) {
                closedConnections.removeFirst();
            }
        } finally {
            closedLock.unlock();
        }
    }

    // nats-server: auth.go isClientAuthorized (accountConnectEvent)
    @Override
    public void onClientAuthorized(Connection connection) {
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            systemEvents.onClientConnected(connection);
        }
    }

    // nats-server: client.go authViolation (sendAuthErrorEvent), auth.go (sendAccountAuthErrorEvent)
    @Override
    public void onAuthorizationFailed(Connection connection, ClosedState reason) {
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            systemEvents.onAuthenticationFailed(connection, reason);
        }
    }

    // nats-server: accounts.go addClient/removeClient (accConnsUpdate)
    @Override
    public void onAccountConnectionsChanged(Account account) {
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            systemEvents.onAccountConnectionsChanged(account);
        }
    }

    /** The open client connections. */
    public Collection<Connection> clients() {
        return List.copyOf(clients.values());
    }

    /** Number of open client connections. */
    public int clientCount() {
        return clients.size();
    }

    /** The most recently closed connections, oldest first (at most max_closed_clients). */
    public List<ClosedConnection> closedConnections() {
        closedLock.lock();
        try {
            return List.copyOf(closedConnections);
        } finally {
            closedLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- accessors

    @Override
    public ServerOptions options() {
        return options;
    }

    @Override
    public ServerInfo info() {
        return info;
    }

    @Override
    public Account globalAccount() {
        return globalAccount;
    }

    @Override
    public Account systemAccount() {
        return systemAccount;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public Authenticator webSocketAuthenticator() {
        return webSocketAuthenticator;
    }

    @Override
    public ServerInfo webSocketInfo() {
        return webSocketInfo;
    }

    @Override
    public AuthCallout authCallout() {
        return authCallout;
    }

    @Override
    public ServerStats stats() {
        return stats;
    }

    /** Client connections accepted since start ({@code /varz total_connections}). */
    public long totalConnections() {
        return totalConnections.get();
    }

    /** When the configuration was loaded or last reloaded. */
    public Instant configLoadTime() {
        return configLoadTime == null ? Instant.now() : configLoadTime;
    }

    /** The digest of the configuration file ({@code sha256:...}), empty without one. */
    public String configDigest() {
        return configDigest;
    }

    /**
     * The command line as {@code /debug/vars} shows it ({@code cmdline}, with secrets already redacted): the program
     * name and its arguments.
     */
    public List<String> commandLine() {
        return commandLine;
    }

    /**
     * Sets the command line {@code /debug/vars} shows; the launcher passes the redacted arguments
     * ({@link io.jnatsd.config.CommandLine#redactArgs}). Embedded servers show {@code ["jnatsd"]}.
     */
    public void setCommandLine(List<String> args) {
        commandLine = List.copyOf(args);
    }

    /**
     * Reloads the configuration file as {@code $SYS.REQ.SERVER.<id>.RELOAD} asks: through the launcher's reloader
     * (which re-applies the command-line flags) when one is set, else the file alone.
     *
     * @return empty on success, else the error
     */
    // nats-server: server.go Reload
    public Optional<String> reloadConfigFile() {
        java.util.function.Supplier<Optional<String>> custom = reloader;
        if (custom != null) {
            return custom.get();
        }
        ServerOptions current = options;
        if (current.configFile() == null) {
            return Optional.of(NO_CONFIG_FILE);
        }
        ServerOptions.Builder builder = ServerOptions.builder();
        io.jnatsd.config.ConfigReport report = io.jnatsd.config.ConfigLoader.loadFile(current.configFile(),
                builder);
        if (report.hasErrors()) {
            return Optional.of(report.text().strip());
        }
        return reload(builder.build(), report.digest());
    }

    /** Sets how {@link #reloadConfigFile()} reloads (the launcher re-applies its command-line flags). */
    public void setReloader(java.util.function.Supplier<Optional<String>> reload) {
        reloader = reload;
    }

    /** An internal client of {@code kind} bound to {@code account} (account clients of the system events). */
    public Connection createInternalClient(ConnectionKind kind, Account account) {
        return Connection.internal(this, kind, connectionIds.incrementAndGet(), account);
    }

    /** The system account's events, or null before start. */
    public SystemEvents systemEvents() {
        return events;
    }

    /** The monitoring data ({@code /varz}, {@code /connz}, ...), for HTTP and system requests. */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** The bound monitoring address, or null without monitoring. */
    public InetSocketAddress monitorAddress() {
        MonitorServer monitor = monitorServer;
        return monitor == null ? null : monitor.localAddress();
    }

    /** Whether the server accepts clients now ({@code /healthz}). */
    public boolean isReadyForConnections() {
        return ready.getCount() == 0 && !shuttingDown.get() && clientListener != null;
    }

    /**
     * Every account: in config mode {@code $G}, the system account and the configured ones; in operator mode the
     * system account, {@code $G} and the JWT accounts loaded so far.
     */
    public List<Account> accounts() {
        if (operatorMode == null) {
            return List.copyOf(configuredAccounts.all());
        }
        List<Account> all = new ArrayList<>();
        if (systemAccount != null) {
            all.add(systemAccount);
        }
        all.add(globalAccount);
        for (var loaded : operatorMode.accounts().loaded()) {
            Account a = loaded.account();
            if (a != systemAccount && a != globalAccount && !all.contains(a)) {
                all.add(a);
            }
        }
        return all;
    }

    /** The account named {@code name}, or null. */
    @Override
    public Account lookupAccount(String name) {
        if (operatorMode == null) {
            return configuredAccounts.lookup(name);
        }
        for (Account a : accounts()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The server's public NKey: its id. */
    public String serverId() {
        return serverKey.publicKey();
    }

    /** The server name ({@code server_name}, or the id). */
    public String serverName() {
        return info.serverName();
    }

    /** When the server started. */
    public Instant startTime() {
        return startTime;
    }

    /** The client port actually bound. */
    public int clientPort() {
        ClientListener listener = clientListener;
        if (listener == null) {
            throw new IllegalStateException("server not started");
        }
        return listener.localAddress().getPort();
    }

    /** The WebSocket port actually bound. */
    public int webSocketPort() {
        WebSocketListener listener = webSocketListener;
        if (listener == null) {
            throw new IllegalStateException("no websocket listener");
        }
        return listener.localAddress().getPort();
    }

    /**
     * A URL WebSocket clients of this machine can connect to ({@code ws://} or {@code wss://}, {@code 127.0.0.1} for
     * a wildcard host), as nats-server's {@code WebsocketURL()}.
     */
    public String webSocketUrl() {
        WebSocketListener listener = webSocketListener;
        if (listener == null) {
            throw new IllegalStateException("no websocket listener");
        }
        String host = options.websocket().host();
        if (host.isEmpty() || "0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        } else if ("::".equals(host)) {
            host = "::1";
        }
        return (listener.tls() ? "wss://" : "ws://") + hostPort(host, listener.localAddress().getPort());
    }

    /** A URL clients of this machine can connect to ({@code nats://127.0.0.1:<port>} for a wildcard host). */
    public String clientUrl() {
        String host = options.host();
        if (host.isEmpty() || "0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        } else if ("::".equals(host)) {
            host = "::1";
        }
        return "nats://" + hostPort(host, clientPort());
    }

    /** The {@code server} object of system replies ({@code server/events.go ServerInfo}). */
    private Map<String, Object> resolverServerInfo() {
        SystemEvents systemEvents = events;
        if (systemEvents != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> stamped = io.jnatsd.common.GoJson.mapper().convertValue(systemEvents.serverInfo(),
                    Map.class);
            return stamped;
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("name", info.serverName());
        server.put("host", options.host());
        server.put("id", serverKey.publicKey());
        server.put("ver", Versions.VERSION);
        server.put("jetstream", jetStream != null);
        server.put("flags", 0);
        server.put("seq", systemSequence.incrementAndGet());
        server.put("time", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        return server;
    }

    /** The operator-mode accounts, or null in config mode. */
    public JwtAccounts jwtAccounts() {
        return operatorMode == null ? null : operatorMode.accounts();
    }

    /** The internal client of the system account, for internal subscriptions and publishes. */
    public Connection systemClient() {
        return systemClient;
    }

    /** JetStream, or null when it is off. */
    public JetStream jetStream() {
        return jetStream;
    }

    /** What JetStream takes from this server. */
    private final class Host implements JetStreamHost {

        @Override
        public String serverName() {
            return info.serverName();
        }

        @Override
        public String serverId() {
            return serverKey.publicKey();
        }

        @Override
        public Account systemAccount() {
            return systemAccount;
        }

        @Override
        public Connection systemClient() {
            return systemClient;
        }

        @Override
        public Connection createInternalClient(Account account) {
            return Connection.internal(NatsServer.this, ConnectionKind.JETSTREAM, connectionIds.incrementAndGet(),
                    account);
        }

        @Override
        public Account findAccount(String name) {
            if (operatorMode != null) {
                if (systemAccount != null && systemAccount.name().equals(name)) {
                    return systemAccount;
                }
                if (Account.GLOBAL.equals(name)) {
                    return globalAccount;
                }
                JwtAccount ja = operatorMode.accounts().loaded(name);
                return ja == null ? null : ja.account();
            }
            return configuredAccounts.lookup(name);
        }

        @Override
        public java.util.concurrent.ScheduledExecutorService timers() {
            return transport.ioGroup();
        }

        @Override
        public long maxPayloadBytes() {
            return options.maxPayload();
        }

        @Override
        public long maxPendingBytes() {
            return options.maxPendingBytes();
        }
    }
}
