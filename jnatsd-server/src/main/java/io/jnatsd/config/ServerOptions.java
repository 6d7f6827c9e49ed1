package io.jnatsd.config;

import io.jnatsd.subject.transform.SubjectMappings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable set of options a server runs with: the result of defaults, the config file and the command
 * line (flags applied last). Built with {@link #builder()}; every default is a named constant below, with the
 * value nats-server uses ({@code server/const.go}).
 *
 * <p>Thread-safe: instances never change. A config reload builds a new instance.
 */
public record ServerOptions(
        // process and identity
        String host,
        int port,
        String serverName,
        Path configFile,
        Path pidFile,
        Path portsFileDir,
        String clientAdvertise,
        boolean noSigs,
        // client authentication and permissions
        AuthOptions authorization,
        // operator (JWT) mode ({@link OperatorOptions#NONE} when off)
        OperatorOptions operator,
        // monitoring listen (served by the operations issue; parsed here)
        String httpHost,
        int httpPort,
        int httpsPort,
        String httpBasePath,
        // logging
        LoggingOptions logging,
        // limits and timers
        int maxPayload,
        int maxControlLine,
        long maxPendingBytes,
        int maxConnections,
        int maxSubscriptions,
        int maxSubTokens,
        Duration pingInterval,
        int pingMax,
        Duration writeDeadline,
        WriteTimeoutPolicy writeTimeoutPolicy,
        Duration authTimeout,
        Duration lameDuckDuration,
        Duration lameDuckGracePeriod,
        boolean noHeaderSupport,
        boolean disableSublistCache,
        boolean noFastProducerStall,
        int maxClosedClients,
        int connectErrorReports,
        int reconnectErrorReports,
        List<String> serverTags,
        Map<String, String> serverMetadata,
        Map<String, Boolean> featureFlags,
        // TLS for the client port ({@link TlsOptions#disabled()} when off)
        TlsOptions tls,
        // subject mappings of the global account $G (top-level `mappings`; empty when none)
        SubjectMappings mappings,
        // client connections may start with a PROXY protocol header (proxy_protocol)
        boolean proxyProtocol,
        // the WebSocket client listener ({@link WebSocketOptions#DISABLED} when off)
        WebSocketOptions websocket,
        // config-mode accounts (the `accounts` block), in file order; their users are in `authorization`
        List<AccountOptions> accounts,
        // no_system_account: no system account is created
        boolean noSystemAccount,
        // whether the file has an `authorization` block (nats-server's authBlockDefined)
        boolean authorizationBlock,
        // config-mode auth callout (`authorization { auth_callout {} }`), or null
        AuthCalloutOptions authCallout,
        // operator mode: the user JWT of clients whose CONNECT carries none (`default_sentinel`), or empty
        String defaultSentinel,
        // OCSP stapling of the server's certificates (`ocsp`), or null when not configured (auto)
        OcspOptions ocsp,
        // the OCSP peer verification cache (`ocsp_cache`), or null when not configured (a local cache)
        OcspCacheOptions ocspCache,
        // JetStream ({@link JetStreamOptions#DISABLED} when off)
        JetStreamOptions jetStream) {

    /** Default client listen host. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** Default client port. */
    public static final int DEFAULT_PORT = 4222;
    /** Port value asking for a random free port. */
    public static final int RANDOM_PORT = -1;
    /** Default maximum payload: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    /** Default maximum control line length: 4 KiB. */
    public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
    /** Default per-connection outbound limit before a client is a slow consumer: 64 MiB. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /** Default maximum client connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64 * 1024;
    /** Default interval between server PINGs. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofMinutes(2);
    /** Default number of unanswered PINGs before a connection is stale. */
    public static final int DEFAULT_PING_MAX = 2;
    /** Default write deadline for a flush to a client. */
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofSeconds(10);
    /**
     * Default time a client has to send CONNECT when auth is required, without TLS; with TLS the default is the TLS
     * timeout plus one second ({@link OptionsBaseline}). {@link Duration#ZERO} in {@link #authTimeout()} means "not
     * set": the baseline then picks the default.
     */
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(2);
    /** Default lame duck duration. */
    public static final Duration DEFAULT_LAME_DUCK_DURATION = Duration.ofMinutes(2);
    /** Default lame duck grace period. */
    public static final Duration DEFAULT_LAME_DUCK_GRACE_PERIOD = Duration.ofSeconds(10);
    /** Default number of closed connections remembered for monitoring. */
    public static final int DEFAULT_MAX_CLOSED_CLIENTS = 10_000;
    /** Default throttle (in attempts) for route/gateway/leaf connect error reports. */
    public static final int DEFAULT_CONNECT_ERROR_REPORTS = 3600;
    /** Default throttle for reconnect error reports. */
    public static final int DEFAULT_RECONNECT_ERROR_REPORTS = 1;
    /** Default monitoring base path: unset (the root); {@code /varz} reports it as configured. */
    public static final String DEFAULT_HTTP_BASE_PATH = "";

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(logging, "logging");
        authorization = Objects.requireNonNullElse(authorization, AuthOptions.NONE);
        operator = Objects.requireNonNullElse(operator, OperatorOptions.NONE);
        serverTags = List.copyOf(serverTags);
        serverMetadata = Map.copyOf(serverMetadata);
        featureFlags = Map.copyOf(featureFlags);
        tls = tls == null ? TlsOptions.disabled() : tls;
        mappings = mappings == null ? SubjectMappings.EMPTY : mappings;
        websocket = websocket == null ? WebSocketOptions.DISABLED : websocket;
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        jetStream = jetStream == null ? JetStreamOptions.DISABLED : jetStream;
        defaultSentinel = Objects.requireNonNullElse(defaultSentinel, "");
    }

    /**
     * The configured account named {@code name}, or null.
     */
    public AccountOptions account(String name) {
        for (AccountOptions a : accounts) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with every default. */
    public static ServerOptions defaults() {
        return builder().build();
    }

    /** A builder initialised from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** What a client write does when the write deadline passes. */
    public enum WriteTimeoutPolicy {
        /** Per connection kind: close for clients, retry for routes, gateways and leaf nodes. */
        DEFAULT,
        /** Close the connection as a slow consumer. */
        CLOSE,
        /** Keep the connection and retry the write. */
        RETRY
    }

    /**
     * Logging options: the {@code debug}, {@code trace}, {@code logtime}, {@code log_file}, {@code syslog}...
     * keys and their flags.
     */
    public record LoggingOptions(
            boolean debug,
            boolean trace,
            boolean traceVerbose,
            boolean traceHeaders,
            boolean logtime,
            boolean logtimeUtc,
            Path logFile,
            long logSizeLimitBytes,
            int logMaxFiles,
            boolean syslog,
            String remoteSyslog,
            int maxTracedMsgLen) {

        /** nats-server's logging defaults: notice level, timestamps on, stderr. */
        public static LoggingOptions defaults() {
            return new LoggingOptions(false, false, false, false, true, false, null, 0, 0, false, null, 0);
        }

        public LoggingOptions withDebug(boolean value) {
            return new LoggingOptions(value, trace, traceVerbose, traceHeaders, logtime, logtimeUtc, logFile,
                    logSizeLimitBytes, logMaxFiles, syslog, remoteSyslog, maxTracedMsgLen);
        }

        public LoggingOptions withTrace(boolean value) {
            return new LoggingOptions(debug, value, traceVerbose, traceHeaders, logtime, logtimeUtc, logFile,
                    logSizeLimitBytes, logMaxFiles, syslog, remoteSyslog, maxTracedMsgLen);
        }
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String serverName;
        private Path configFile;
        private Path pidFile;
        private Path portsFileDir;
        private String clientAdvertise;
        private boolean noSigs = true;
        private AuthOptions authorization = AuthOptions.NONE;
        private OperatorOptions operator = OperatorOptions.NONE;
        private String httpHost = "";
        private int httpPort;
        private int httpsPort;
        private String httpBasePath = DEFAULT_HTTP_BASE_PATH;
        private LoggingOptions logging = LoggingOptions.defaults();
        private int maxPayload = DEFAULT_MAX_PAYLOAD;
        private int maxControlLine = DEFAULT_MAX_CONTROL_LINE;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxSubscriptions;
        private int maxSubTokens;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private int pingMax = DEFAULT_PING_MAX;
        private Duration writeDeadline = DEFAULT_WRITE_DEADLINE;
        private WriteTimeoutPolicy writeTimeoutPolicy = WriteTimeoutPolicy.DEFAULT;
        private Duration authTimeout = Duration.ZERO;   // unset: the baseline applies the (TLS-aware) default
        private Duration lameDuckDuration = DEFAULT_LAME_DUCK_DURATION;
        private Duration lameDuckGracePeriod = DEFAULT_LAME_DUCK_GRACE_PERIOD;
        private boolean noHeaderSupport;
        private boolean disableSublistCache;
        private boolean noFastProducerStall;
        private int maxClosedClients = DEFAULT_MAX_CLOSED_CLIENTS;
        private int connectErrorReports = DEFAULT_CONNECT_ERROR_REPORTS;
        private int reconnectErrorReports = DEFAULT_RECONNECT_ERROR_REPORTS;
        private List<String> serverTags = List.of();
        private Map<String, String> serverMetadata = Map.of();
        private Map<String, Boolean> featureFlags = Map.of();
        private TlsOptions tls = TlsOptions.disabled();
        private SubjectMappings mappings = SubjectMappings.EMPTY;
        private boolean proxyProtocol;
        private WebSocketOptions websocket = WebSocketOptions.DISABLED;
        private List<AccountOptions> accounts = List.of();
        private boolean noSystemAccount;
        private boolean authorizationBlock;
        private AuthCalloutOptions authCallout;
        private String defaultSentinel = "";
        private OcspOptions ocsp;
        private OcspCacheOptions ocspCache;
        private JetStreamOptions jetStream = JetStreamOptions.DISABLED;

        private Builder() {
        }

        private Builder(ServerOptions o) {
            host = o.host; port = o.port; serverName = o.serverName; configFile = o.configFile;
            pidFile = o.pidFile; portsFileDir = o.portsFileDir; clientAdvertise = o.clientAdvertise;
            noSigs = o.noSigs; authorization = o.authorization; operator = o.operator; httpHost = o.httpHost;
            httpPort = o.httpPort;
            httpsPort = o.httpsPort;
            httpBasePath = o.httpBasePath; logging = o.logging; maxPayload = o.maxPayload;
            maxControlLine = o.maxControlLine; maxPendingBytes = o.maxPendingBytes;
            maxConnections = o.maxConnections; maxSubscriptions = o.maxSubscriptions;
            maxSubTokens = o.maxSubTokens; pingInterval = o.pingInterval; pingMax = o.pingMax;
            writeDeadline = o.writeDeadline; writeTimeoutPolicy = o.writeTimeoutPolicy;
            authTimeout = o.authTimeout; lameDuckDuration = o.lameDuckDuration;
            lameDuckGracePeriod = o.lameDuckGracePeriod; noHeaderSupport = o.noHeaderSupport;
            disableSublistCache = o.disableSublistCache; noFastProducerStall = o.noFastProducerStall;
            maxClosedClients = o.maxClosedClients; connectErrorReports = o.connectErrorReports;
            reconnectErrorReports = o.reconnectErrorReports; serverTags = o.serverTags;
            serverMetadata = o.serverMetadata; featureFlags = o.featureFlags; tls = o.tls;
            mappings = o.mappings;
            proxyProtocol = o.proxyProtocol;
            websocket = o.websocket;
            accounts = o.accounts;
            noSystemAccount = o.noSystemAccount;
            authorizationBlock = o.authorizationBlock;
            authCallout = o.authCallout;
            defaultSentinel = o.defaultSentinel;
            ocsp = o.ocsp;
            ocspCache = o.ocspCache;
            jetStream = o.jetStream;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder serverName(String v) { serverName = v; return this; }
        public Builder configFile(Path v) { configFile = v; return this; }
        public Builder pidFile(Path v) { pidFile = v; return this; }
        public Builder portsFileDir(Path v) { portsFileDir = v; return this; }
        public Builder clientAdvertise(String v) { clientAdvertise = v; return this; }
        /** Whether the server leaves signal handling to its host (true when embedded). */
        public Builder noSigs(boolean v) { noSigs = v; return this; }
        /** Client authentication and permissions (null: none). */
        public Builder authorization(AuthOptions v) {
            authorization = Objects.requireNonNullElse(v, AuthOptions.NONE);
            return this;
        }
        public Builder operator(OperatorOptions v) {
            operator = Objects.requireNonNullElse(v, OperatorOptions.NONE);
            return this;
        }
        public Builder httpHost(String v) { httpHost = v; return this; }
        public Builder httpPort(int v) { httpPort = v; return this; }
        public Builder httpsPort(int v) { httpsPort = v; return this; }
        public Builder httpBasePath(String v) { httpBasePath = v; return this; }
        public Builder logging(LoggingOptions v) { logging = Objects.requireNonNull(v); return this; }
        public Builder maxPayload(int v) { maxPayload = v; return this; }
        public Builder maxControlLine(int v) { maxControlLine = v; return this; }
        public Builder maxPendingBytes(long v) { maxPendingBytes = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxSubscriptions(int v) { maxSubscriptions = v; return this; }
        public Builder maxSubTokens(int v) { maxSubTokens = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pingMax(int v) { pingMax = v; return this; }
        public Builder writeDeadline(Duration v) { writeDeadline = v; return this; }
        public Builder writeTimeoutPolicy(WriteTimeoutPolicy v) { writeTimeoutPolicy = v; return this; }
        public Builder authTimeout(Duration v) { authTimeout = v; return this; }
        public Builder lameDuckDuration(Duration v) { lameDuckDuration = v; return this; }
        public Builder lameDuckGracePeriod(Duration v) { lameDuckGracePeriod = v; return this; }
        public Builder noHeaderSupport(boolean v) { noHeaderSupport = v; return this; }
        public Builder disableSublistCache(boolean v) { disableSublistCache = v; return this; }
        public Builder noFastProducerStall(boolean v) { noFastProducerStall = v; return this; }
        public Builder maxClosedClients(int v) { maxClosedClients = v; return this; }
        public Builder connectErrorReports(int v) { connectErrorReports = v; return this; }
        public Builder reconnectErrorReports(int v) { reconnectErrorReports = v; return this; }
        public Builder serverTags(List<String> v) { serverTags = v; return this; }
        public Builder serverMetadata(Map<String, String> v) { serverMetadata = v; return this; }
        public Builder featureFlags(Map<String, Boolean> v) { featureFlags = v; return this; }
        /** TLS for the client port; null means {@link TlsOptions#disabled()}. */
        public Builder tls(TlsOptions v) { tls = v == null ? TlsOptions.disabled() : v; return this; }
        /** Whether client connections may start with a PROXY protocol v1/v2 header ({@code proxy_protocol}). */
        public Builder proxyProtocol(boolean v) { proxyProtocol = v; return this; }

        /** The WebSocket client listener; null means {@link WebSocketOptions#DISABLED}. */
        public Builder websocket(WebSocketOptions v) {
            websocket = v == null ? WebSocketOptions.DISABLED : v;
            return this;
        }

        /** Subject mappings of the global account; null means none. */
        public Builder mappings(SubjectMappings v) { mappings = v; return this; }

        /** The config-mode accounts ({@code accounts}); their users belong in {@link #authorization}. */
        public Builder accounts(List<AccountOptions> v) { accounts = v == null ? List.of() : v; return this; }
        /** {@code no_system_account}. */
        public Builder noSystemAccount(boolean v) { noSystemAccount = v; return this; }
        /** Whether the configuration has an {@code authorization} block. */
        public Builder authorizationBlock(boolean v) { authorizationBlock = v; return this; }
        /** Config-mode auth callout; null for none. */
        public Builder authCallout(AuthCalloutOptions v) { authCallout = v; return this; }
        /** Operator mode: {@code default_sentinel}, the user JWT of clients that send none (empty: none). */
        public Builder defaultSentinel(String v) { defaultSentinel = v; return this; }
        /** OCSP stapling ({@code ocsp}); null when not configured. */
        public Builder ocsp(OcspOptions v) { ocsp = v; return this; }
        /** The OCSP peer verification cache ({@code ocsp_cache}); null when not configured. */
        public Builder ocspCache(OcspCacheOptions v) { ocspCache = v; return this; }

        /** JetStream; null means {@link JetStreamOptions#DISABLED}. */
        public Builder jetStream(JetStreamOptions v) {
            jetStream = v == null ? JetStreamOptions.DISABLED : v;
            return this;
        }

        public JetStreamOptions jetStream() { return jetStream; }
        public LoggingOptions logging() { return logging; }
        public List<AccountOptions> accounts() { return accounts; }
        public boolean noSystemAccount() { return noSystemAccount; }
        public AuthOptions authorization() { return authorization; }
        public AuthCalloutOptions authCallout() { return authCallout; }
        public OperatorOptions operator() { return operator; }
        public TlsOptions tls() { return tls; }
        public WebSocketOptions websocket() { return websocket; }

        public ServerOptions build() {
            return new ServerOptions(host, port, serverName, configFile, pidFile, portsFileDir, clientAdvertise,
                    noSigs, authorization, operator, httpHost, httpPort, httpsPort, httpBasePath, logging, maxPayload,
                    maxControlLine, maxPendingBytes, maxConnections, maxSubscriptions, maxSubTokens, pingInterval,
                    pingMax, writeDeadline, writeTimeoutPolicy, authTimeout, lameDuckDuration, lameDuckGracePeriod,
                    noHeaderSupport, disableSublistCache, noFastProducerStall, maxClosedClients,
                    connectErrorReports, reconnectErrorReports, serverTags, serverMetadata, featureFlags, tls,
                    mappings,
                    proxyProtocol, websocket, accounts, noSystemAccount, authorizationBlock, authCallout,
                    defaultSentinel, ocsp, ocspCache, jetStream);
        }
    }
}
