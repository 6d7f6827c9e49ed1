package io.jnatsd.server;

import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AccountOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.GoDuration;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.OperatorOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.ServerOptions.LoggingOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.WebSocketOptions;
import io.jnatsd.server.account.Account;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The difference between the running options and reloaded ones, as nats-server's {@code reload.go diffOptions}:
 * the options are compared field by field in the order of Go's {@code Options} struct; every changed reloadable
 * option becomes a {@link Change} (applied and logged in that order, as nats-server's {@code applyOptions} does),
 * and the first changed option that cannot be reloaded rejects the whole reload with
 * {@code config reload not supported for <GoField>: old=<v>, new=<v>} (values in Go's {@code %v} form). Lists whose
 * order nats-server ignores ({@code imposeOrder}) are compared in any order. Stateless.
 */
final class Reload {

    /** Reloadable options whose change does more than log its line (see {@code NatsServer.reload}). */
    enum Option {
        CLIENT_ADVERTISE, TRACE, DEBUG, TRACE_VERBOSE, TRACE_HEADERS, LOGTIME, LOGTIME_UTC, MAX_CONNECTIONS,
        NKEYS, USERS, ACCOUNTS, DEFAULT_SENTINEL, USERNAME, PASSWORD, TOKEN, PING_INTERVAL, PING_MAX, AUTH_TIMEOUT,
        MAX_CONTROL_LINE, MAX_PAYLOAD, NO_FAST_PRODUCER_STALL, PID_FILE, PORTS_FILE_DIR, LOG_FILE, SYSLOG,
        REMOTE_SYSLOG, TLS_TIMEOUT, TLS, PINNED_CERTS, HANDSHAKE_FIRST, HANDSHAKE_FIRST_FALLBACK, WRITE_DEADLINE,
        MAX_TRACED_MSG_LEN, CONNECT_ERROR_REPORTS, RECONNECT_ERROR_REPORTS, TAGS, METADATA, PROXIES,
        JETSTREAM_LIMITS, OCSP
    }

    /**
     * One reloaded option in the order nats-server applies it.
     *
     * @param option what changed
     * @param lines  what nats-server logs (at notice level) once it is applied; empty for none
     */
    record Change(Option option, List<String> lines) {
    }

    /**
     * The result: either an error (nothing may be applied) or the changes.
     *
     * @param loggingChanged an option of the logger changed: it must be set up again after the changes are logged
     */
    record Diff(Optional<String> error, List<Change> changes, boolean loggingChanged) {

        static Diff failed(String error) {
            return new Diff(Optional.of(error), List.of(), false);
        }

        boolean has(Option option) {
            return changes.stream().anyMatch(c -> c.option() == option);
        }

        /** The lines the changes log, in order. */
        List<String> lines() {
            return changes.stream().flatMap(c -> c.lines().stream()).toList();
        }
    }

    /**
     * One field of Go's {@code Options} that jnatsd has. {@code value} extracts what is compared (equal values
     * are no change) and printed with {@code %v}. A field without {@code change} cannot be reloaded unless
     * {@code allowed} accepts the change; {@code change} gives the reloaded option's log lines from the old and
     * new options.
     */
    private record Field(String goField, Function<ServerOptions, Object> value,
                         BiPredicate<ServerOptions, ServerOptions> allowed, Option option,
                         BiFunction<ServerOptions, ServerOptions, List<String>> change) {

        static Field fixed(String goField, Function<ServerOptions, Object> value) {
            return new Field(goField, value, null, null, null);
        }

        static Field fixed(String goField, Function<ServerOptions, Object> value,
                           BiPredicate<ServerOptions, ServerOptions> allowed) {
            return new Field(goField, value, allowed, null, null);
        }

        /** A reloadable option logged as {@code <line><new value>}. */
        static Field logged(String goField, Option option, String line, Function<ServerOptions, Object> value) {
            return new Field(goField, value, null, option, (old, now) -> List.of(line + goText(value.apply(now))));
        }

        static Field reloadable(String goField, Option option, Function<ServerOptions, Object> value,
                                BiFunction<ServerOptions, ServerOptions, List<String>> change) {
            return new Field(goField, value, null, option, change);
        }
    }

    /** A value that never equals another: nats-server's users and accounts always differ (they hold state). */
    private static final Function<ServerOptions, Object> ALWAYS_CHANGED = o -> new Object();

    // The fields of Go's Options struct (server/opts.go, 2.15) that jnatsd has, in their order. Cluster, gateway,
    // leaf node, MQTT, JetStream and profiling fields come with those subsystems (their config keys are refused).
    private static final List<Field> FIELDS = List.of(
            Field.fixed("ServerName", o -> Objects.toString(o.serverName(), "")),
            Field.fixed("Host", ServerOptions::host),
            Field.fixed("Port", ServerOptions::port),
            Field.reloadable("ClientAdvertise", Option.CLIENT_ADVERTISE, o -> Objects.toString(o.clientAdvertise(), ""),
                    (old, now) -> List.of("Reload: client_advertise = " + Objects.toString(now.clientAdvertise(), ""))),
            Field.logged("Trace", Option.TRACE, "Reloaded: trace = ", o -> o.logging().trace()),
            Field.logged("Debug", Option.DEBUG, "Reloaded: debug = ", o -> o.logging().debug()),
            Field.logged("TraceVerbose", Option.TRACE_VERBOSE, "Reloaded: trace_verbose = ",
                    o -> o.logging().traceVerbose()),
            Field.logged("TraceHeaders", Option.TRACE_HEADERS, "Reloaded: trace_headers = ",
                    o -> o.logging().traceHeaders()),
            Field.fixed("NoSublistCache", ServerOptions::disableSublistCache),
            Field.fixed("NoHeaderSupport", ServerOptions::noHeaderSupport),
            Field.logged("Logtime", Option.LOGTIME, "Reloaded: logtime = ", o -> o.logging().logtime()),
            Field.logged("LogtimeUTC", Option.LOGTIME_UTC, "Reloaded: logtime_utc = ", o -> o.logging().logtimeUtc()),
            Field.logged("MaxConn", Option.MAX_CONNECTIONS, "Reloaded: max_connections = ",
                    ServerOptions::maxConnections),
            Field.fixed("MaxSubs", ServerOptions::maxSubscriptions),
            Field.fixed("MaxSubTokens", ServerOptions::maxSubTokens),
            Field.reloadable("Nkeys", Option.NKEYS, Reload::nkeysWithDefaults,
                    (old, now) -> List.of("Reloaded: authorization nkey users")),
            Field.reloadable("Users", Option.USERS, ALWAYS_CHANGED,
                    (old, now) -> List.of("Reloaded: authorization users")),
            Field.reloadable("Accounts", Option.ACCOUNTS, ALWAYS_CHANGED, (old, now) -> List.of("Reloaded: accounts")),
            Field.fixed("NoAuthUser", o -> o.authorization().noAuthUser(), Reload::noAuthUserRemoved),
            Field.logged("DefaultSentinel", Option.DEFAULT_SENTINEL, "Reloaded: default_sentinel = ",
                    ServerOptions::defaultSentinel),
            Field.fixed("SystemAccount", Reload::systemAccount, Reload::defaultSystemAccountDropped),
            Field.fixed("NoSystemAccount", ServerOptions::noSystemAccount),
            Field.reloadable("Username", Option.USERNAME, o -> o.authorization().username(),
                    (old, now) -> List.of("Reloaded: authorization username")),
            Field.reloadable("Password", Option.PASSWORD, o -> o.authorization().password(),
                    (old, now) -> List.of("Reloaded: authorization password")),
            Field.fixed("ProxyRequired", o -> o.authorization().proxyRequired()),
            Field.fixed("ProxyProtocol", ServerOptions::proxyProtocol),
            Field.reloadable("Authorization", Option.TOKEN, o -> o.authorization().token(),
                    (old, now) -> List.of("Reloaded: authorization token")),
            // nats-server has no reload option for it: any change is refused (a nil pointer prints <nil>)
            Field.fixed("AuthCallout", o -> o.authCallout() == null ? "<nil>" : o.authCallout()),
            Field.logged("PingInterval", Option.PING_INTERVAL, "Reloaded: ping_interval = ", ServerOptions::pingInterval),
            Field.logged("MaxPingsOut", Option.PING_MAX, "Reloaded: ping_max = ", ServerOptions::pingMax),
            Field.fixed("HTTPHost", ServerOptions::httpHost),
            Field.fixed("HTTPPort", ServerOptions::httpPort),
            Field.fixed("HTTPBasePath", ServerOptions::httpBasePath),
            Field.fixed("HTTPSPort", ServerOptions::httpsPort),
            Field.logged("AuthTimeout", Option.AUTH_TIMEOUT, "Reloaded: authorization timeout = ",
                    o -> new GoFloat(o.authTimeout())),
            Field.logged("MaxControlLine", Option.MAX_CONTROL_LINE, "Reloaded: max_control_line = ",
                    ServerOptions::maxControlLine),
            Field.logged("MaxPayload", Option.MAX_PAYLOAD, "Reloaded: max_payload = ", ServerOptions::maxPayload),
            Field.fixed("MaxPending", ServerOptions::maxPendingBytes),
            Field.reloadable("NoFastProducerStall", Option.NO_FAST_PRODUCER_STALL, ServerOptions::noFastProducerStall,
                    (old, now) -> List.of("Reloaded: fast producers will " + (now.noFastProducerStall() ? "not " : "")
                            + "be stalled")),
            // Cluster, Gateway, LeafNode: with clustering.
            // nats-server turns JetStream on and off on reload; jnatsd's engine lives as long as the server
            Field.fixed("JetStream", o -> o.jetStream().enabled()),
            Field.fixed("NoJetStreamStrict", o -> !o.jetStream().strict()),
            // nats-server: reload.go diffOptions "jetstreammaxmemory", "jetstreammaxstore" (checked in diff)
            Field.reloadable("JetStreamMaxMemory", Option.JETSTREAM_LIMITS, o -> jsMemory(o.jetStream()),
                    (old, now) -> List.of()),
            Field.reloadable("JetStreamMaxStore", Option.JETSTREAM_LIMITS, o -> jsStore(o.jetStream()),
                    (old, now) -> List.of()),
            Field.fixed("JetStreamDomain", o -> o.jetStream().domain()),
            Field.fixed("JetStreamExtHint", o -> o.jetStream().extensionHint()),
            Field.fixed("JetStreamKey", o -> o.jetStream().key()),
            Field.fixed("JetStreamOldKey", o -> o.jetStream().prevKey()),
            Field.fixed("JetStreamCipher", o -> o.jetStream().cipher() == JetStreamOptions.Cipher.AES ? "AES-GCM"
                    : "ChaCha20-Poly1305"),
            Field.fixed("JetStreamUniqueTag", o -> o.jetStream().uniqueTag()),
            Field.fixed("JetStreamLimits", o -> new GoJsLimits(o.jetStream().limits())),
            Field.fixed("JetStreamMaxCatchup", o -> o.jetStream().maxOutstandingCatchupBytes()),
            Field.fixed("JetStreamRequestQueueLimit", o -> o.jetStream().requestQueueLimit()),
            Field.fixed("JetStreamInfoQueueLimit", o -> o.jetStream().infoQueueLimit()),
            // JetStreamMetaCompact, JetStreamMetaCompactSize, JetStreamMetaCompactSync: reloadable, silent (no raft)
            // nats-server refuses a change only while the new file keeps JetStream on
            Field.fixed("JetStreamConcurrentIOs", o -> o.jetStream().maxConcurrentIo(),
                    (old, now) -> !now.jetStream().enabled()),
            Field.fixed("StreamMaxBufferedMsgs", o -> o.jetStream().maxBufferedMsgs()),
            Field.fixed("StreamMaxBufferedSize", o -> o.jetStream().maxBufferedSizeBytes()),
            Field.fixed("StoreDir", o -> o.jetStream().storeDir()),
            Field.fixed("SyncInterval", o -> o.jetStream().syncInterval()),
            Field.fixed("SyncAlways", o -> o.jetStream().syncAlways()),
            // everything but the TLS configuration, which applies to new connections
            Field.fixed("Websocket", o -> new WebSocketValue(o.websocket())),
            // MQTT, ProfPort, ProfBlockRate: with those features
            Field.reloadable("PidFile", Option.PID_FILE, o -> pathText(o.pidFile()),
                    // nats-server: reload.go pidFileOption.Apply (nothing, not even the line, for an empty file)
                    (old, now) -> now.pidFile() == null || now.pidFile().toString().isEmpty() ? List.of()
                            : List.of("Reloaded: pid_file = " + now.pidFile())),
            Field.logged("PortsFileDir", Option.PORTS_FILE_DIR, "Reloaded: ports_file_dir = ",
                    o -> pathText(o.portsFileDir())),
            Field.logged("LogFile", Option.LOG_FILE, "Reloaded: log_file = ", o -> pathText(o.logging().logFile())),
            Field.fixed("LogSizeLimit", o -> o.logging().logSizeLimitBytes()),
            Field.fixed("LogMaxFiles", o -> (long) o.logging().logMaxFiles()),
            Field.logged("Syslog", Option.SYSLOG, "Reloaded: syslog = ", o -> o.logging().syslog()),
            Field.logged("RemoteSyslog", Option.REMOTE_SYSLOG, "Reloaded: remote_syslog = ",
                    o -> Objects.toString(o.logging().remoteSyslog(), "")),
            Field.logged("TLSTimeout", Option.TLS_TIMEOUT, "Reloaded: tls timeout = ",
                    o -> new GoFloat(o.tls().timeout())),
            Field.fixed("TLSMap", o -> o.tls().verifyAndMap()),
            // nats-server: reload.go tlsOption
            Field.reloadable("TLSConfig", Option.TLS, o -> new TlsContextKey(o.tls()),
                    (old, now) -> List.of("Reloaded: tls = " + (now.tls().enabled() ? "enabled" : "disabled"))),
            Field.reloadable("TLSPinnedCerts", Option.PINNED_CERTS, o -> o.tls().pinnedCerts(),
                    (old, now) -> List.of("Reloaded: " + now.tls().pinnedCerts().size() + " pinned_certs")),
            Field.fixed("TLSRateLimit", o -> o.tls().connectionRateLimit()),
            Field.logged("TLSHandshakeFirst", Option.HANDSHAKE_FIRST, "Reloaded: Client TLS handshake first: ",
                    o -> o.tls().handshakeFirst()),
            Field.logged("TLSHandshakeFirstFallback", Option.HANDSHAKE_FIRST_FALLBACK,
                    "Reloaded: Client TLS handshake first fallback delay: ", o -> o.tls().handshakeFirstFallback()),
            Field.fixed("AllowNonTLS", o -> o.tls().allowNonTls()),
            Field.logged("WriteDeadline", Option.WRITE_DEADLINE, "Reloaded: write_deadline = ",
                    ServerOptions::writeDeadline),
            Field.fixed("WriteTimeout", o -> writeTimeoutText(o.writeTimeoutPolicy())),
            Field.fixed("MaxClosedClients", ServerOptions::maxClosedClients),
            Field.fixed("LameDuckDuration", ServerOptions::lameDuckDuration),
            Field.fixed("LameDuckGracePeriod", ServerOptions::lameDuckGracePeriod),
            Field.logged("MaxTracedMsgLen", Option.MAX_TRACED_MSG_LEN, "Reloaded: max_traced_msg_len = ",
                    o -> o.logging().maxTracedMsgLen()),
            // operator mode: jnatsd keeps its resolver and accounts for the server's lifetime
            Field.fixed("TrustedKeys", o -> new GoStrings(sorted(o.operator().trustedKeys()))),
            Field.fixed("TrustedOperators", o -> new OperatorPointers(o.operator().operatorJwts())),
            Field.fixed("AccountResolver", o -> o.operator().resolver()),
            Field.logged("ConnectErrorReports", Option.CONNECT_ERROR_REPORTS, "Reloaded: connect_error_reports = ",
                    ServerOptions::connectErrorReports),
            Field.logged("ReconnectErrorReports", Option.RECONNECT_ERROR_REPORTS,
                    "Reloaded: reconnect_error_reports = ", ServerOptions::reconnectErrorReports),
            // jwt.TagList is not sorted by imposeOrder: a new order is a change
            Field.reloadable("Tags", Option.TAGS, ServerOptions::serverTags, (old, now) -> List.of("Reloaded: tags")),
            Field.reloadable("Metadata", Option.METADATA, ServerOptions::serverMetadata,
                    (old, now) -> List.of("Reloaded: metadata")),
            Field.fixed("FeatureFlags", o -> new GoBoolMap(o.featureFlags())),
            // nats-server: reload.go ocspOption (OCSPConfig compared by content; the monitors restart on every
            // reload, and ocsp_cache's line comes from NatsServer's reloadOcsp)
            Field.reloadable("OCSPConfig", Option.OCSP, ServerOptions::ocsp, (old, now) -> List.of("Reloaded: OCSP")),
            // nats-server: reload.go diffProxiesTrustedKeys, proxiesReload.Apply
            Field.reloadable("Proxies", Option.PROXIES, o -> Set.copyOf(o.authorization().trustedProxies()),
                    (old, now) -> trustedProxyChanges(old.authorization().trustedProxies(),
                            now.authorization().trustedProxies())));

    private Reload() {
    }

    /**
     * Compares {@code current} with {@code next}. {@code next} must already carry the running port when the
     * file asks for a random one ({@code reload.go ReloadOptions}).
     */
    // nats-server: reload.go diffOptions
    static Diff diff(ServerOptions current, ServerOptions next, int boundPort) {
        boolean hadResolver = current.operator().resolver().type() != OperatorOptions.ResolverType.NONE;
        boolean hasResolver = next.operator().resolver().type() != OperatorOptions.ResolverType.NONE;
        List<Change> changes = new ArrayList<>();
        for (Field field : FIELDS) {
            if (field.goField().equals("AccountResolver") && hadResolver != hasResolver) {
                // nats-server: reload.go diffOptions "resolver"
                return Diff.failed("config reload does not support moving to or from an account resolver");
            }
            Object old = field.value().apply(current);
            Object now = field.value().apply(next);
            if (field.goField().equals("Port")) {
                // the running options hold the bound port where the file asked for a random one
                old = current.port() == ServerOptions.RANDOM_PORT ? boundPort : old;
                now = next.port() == ServerOptions.RANDOM_PORT ? boundPort : now;
            }
            if (Objects.equals(old, now)) {
                continue;
            }
            if (field.option() == Option.JETSTREAM_LIMITS) {
                Optional<String> refused = jetStreamLimitsChange((long) old, (long) now, current);
                if (refused.isPresent()) {
                    return Diff.failed(refused.get());
                }
                if (current.jetStream().enabled()) {
                    changes.removeIf(c -> c.option() == Option.JETSTREAM_LIMITS);   // one change for both
                    changes.add(new Change(Option.JETSTREAM_LIMITS, jetStreamLimitLines(current, next)));
                }
                continue;
            }
            if (field.goField().equals("StoreDir") && current.jetStream().enabled()) {
                // nats-server: reload.go diffOptions "storedir" (disabling JetStream is refused above)
                return Diff.failed("config reload not supported for jetstream storage directory");
            }
            if (field.change() == null) {
                if (field.allowed() == null || !field.allowed().test(current, next)) {
                    return Diff.failed("config reload not supported for " + field.goField() + ": old=" + goText(old)
                            + ", new=" + goText(now));
                }
                continue;
            }
            String advertise = field.option() == Option.CLIENT_ADVERTISE
                    ? Objects.toString(next.clientAdvertise(), "") : "";
            if (!advertise.isEmpty()) {
                Optional<String> invalid = GoHostPort.check(advertise);
                if (invalid.isPresent()) {
                    return Diff.failed("invalid ClientAdvertise value of " + advertise + ", err=" + invalid.get());
                }
            }
            List<String> lines = field.change().apply(current, next);
            if (field.option() != Option.PROXIES || !lines.isEmpty()) {
                changes.add(new Change(field.option(), lines));
            }
        }
        LoggingOptions a = current.logging();
        LoggingOptions b = next.logging();
        return new Diff(Optional.empty(), List.copyOf(changes), !sameLogger(a, b));
    }

    /** {@code JetStreamMaxMemory} as nats-server holds it: -1 when not set (dynamic). */
    private static long jsMemory(JetStreamOptions js) {
        return js.maxMemorySet() ? js.maxMemoryBytes() : -1;
    }

    private static long jsStore(JetStreamOptions js) {
        return js.maxStoreSet() ? js.maxStoreBytes() : -1;
    }

    /**
     * nats-server's checks of a changed JetStream memory or store limit while JetStream runs: an increase is
     * applied, anything else refused. Without JetStream running the limits mean nothing and any change passes.
     */
    // nats-server: reload.go diffOptions "jetstreammaxmemory", "jetstreammaxstore" and the checks after the loop
    private static Optional<String> jetStreamLimitsChange(long old, long now, ServerOptions current) {
        if (!current.jetStream().enabled()) {
            return Optional.empty();
        }
        if (old != -1 && now != -1 && now > old) {
            return Optional.empty();
        }
        if (old != -1 && now == -1) {
            return Optional.of("config reload not supported for jetstream max memory and max store");
        }
        if (old == -1) {
            return Optional.of("config reload not supported for jetstream dynamic max memory and store");
        }
        return Optional.of("config reload not supported for decreasing jetstream max memory and store");
    }

    /** {@code Reloaded: JetStream max_mem_store = <friendly>} and/or {@code ... max_file_store = ...}. */
    // nats-server: reload.go jetStreamLimitsOption.Apply
    private static List<String> jetStreamLimitLines(ServerOptions current, ServerOptions next) {
        List<String> lines = new ArrayList<>();
        if (jsMemory(next.jetStream()) != jsMemory(current.jetStream())) {
            lines.add("Reloaded: JetStream max_mem_store = "
                    + io.jnatsd.server.jetstream.JetStream.friendlyBytes(jsMemory(next.jetStream())));
        }
        if (jsStore(next.jetStream()) != jsStore(current.jetStream())) {
            lines.add("Reloaded: JetStream max_file_store = "
                    + io.jnatsd.server.jetstream.JetStream.friendlyBytes(jsStore(next.jetStream())));
        }
        return lines;
    }

    /**
     * {@code JSLimitOpts} as Go's {@code %v} prints it: {@code {MaxRequestBatch MaxAckPending MaxHAAssets Duplicates
     * MaxBatchInflightPerStream MaxBatchInflightTotal MaxBatchSize MaxBatchTimeout}}.
     */
    private record GoJsLimits(JetStreamOptions.Limits limits) {
        @Override
        public String toString() {
            return "{" + limits.maxRequestBatch() + " " + limits.maxAckPending() + " " + limits.maxHaAssets() + " "
                    + GoDuration.format(limits.duplicateWindow()) + " " + limits.batchMaxInflightPerStream()
                    + " " + limits.batchMaxInflightTotal() + " " + limits.batchMaxMsgs() + " "
                    + GoDuration.format(limits.batchTimeout()) + "}";
        }
    }

    /** Whether the logger nats-server would configure for {@code b} is the one it has for {@code a}. */
    private static boolean sameLogger(LoggingOptions a, LoggingOptions b) {
        // max_traced_msg_len is read by each trace; log_size_limit and logfile_max_num cannot change
        return a.debug() == b.debug() && a.trace() == b.trace() && a.traceVerbose() == b.traceVerbose()
                && a.traceHeaders() == b.traceHeaders() && a.logtime() == b.logtime()
                && a.logtimeUtc() == b.logtimeUtc() && Objects.equals(a.logFile(), b.logFile())
                && a.syslog() == b.syslog() && Objects.equals(a.remoteSyslog(), b.remoteSyslog());
    }

    /** The removed and added trusted proxy keys, as nats-server logs them ({@code %q} of a string slice). */
    // nats-server: reload.go diffProxiesTrustedKeys, proxiesReload.Apply
    static List<String> trustedProxyChanges(List<String> old, List<String> now) {
        List<String> removed = old.stream().filter(k -> !now.contains(k)).map(GoQuote::quote).toList();
        List<String> added = now.stream().filter(k -> !old.contains(k)).map(GoQuote::quote).toList();
        List<String> lines = new ArrayList<>();
        if (!removed.isEmpty()) {
            lines.add("Reloaded: proxies trusted keys [" + String.join(" ", removed) + "] were removed");
        }
        if (!added.isEmpty()) {
            lines.add("Reloaded: proxies trusted keys [" + String.join(" ", added) + "] were added");
        }
        return lines;
    }

    /**
     * The part of the TLS options that makes nats-server's {@code TLSConfig} (certificates, keys, CAs, verify,
     * suites, curves, versions), compared by content.
     */
    private record TlsContextKey(TlsOptions tls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TlsContextKey other && tls.sameContext(other.tls);
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(tls.enabled());
        }
    }

    /**
     * The {@code websocket} block as nats-server compares it on reload: its TLS configuration left out (a new one
     * applies to new connections), {@code verify_and_map} and {@code pinned_certs} kept, the allowed origins in any
     * order; printed as Go's {@code %v} of {@code WebsocketOpts} (a TLS configuration as a pointer).
     */
    // nats-server: reload.go diffOptions case "websocket", imposeOrder (WebsocketOpts)
    record WebSocketValue(WebSocketOptions ws) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WebSocketValue other && key().equals(other.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }

        private List<Object> key() {
            List<String> origins = new ArrayList<>(ws.allowedOrigins());
            origins.sort(null);
            return List.of(ws.withoutTls().toBuilder().allowedOrigins(origins).build(), ws.tls().verifyAndMap(),
                    ws.tls().pinnedCerts(), Map.copyOf(ws.headers()));
        }

        @Override
        public String toString() {
            List<String> origins = new ArrayList<>(ws.allowedOrigins());
            origins.sort(null);
            String tlsPointer = ws.tls().enabled() ? goPointer(ws.tls()) : "<nil>";
            return "{" + String.join(" ", ws.host(), Integer.toString(ws.port()), ws.advertise(), ws.noAuthUser(),
                    ws.jwtCookie(), ws.usernameCookie(), ws.passwordCookie(), ws.tokenCookie(), ws.username(),
                    ws.password(), ws.token(), goSeconds(ws.authTimeout()), Boolean.toString(ws.noTls()),
                    tlsPointer, Boolean.toString(ws.tls().verifyAndMap()), goSet(ws.tls().pinnedCerts()),
                    Boolean.toString(ws.sameOrigin()), "[" + String.join(" ", origins) + "]",
                    Boolean.toString(ws.compression()), GoDuration.format(ws.handshakeTimeout()),
                    GoDuration.format(ws.pingInterval()), goMap(ws.headers()), tlsPointer) + "}";
        }

        private static String goSet(Set<String> keys) {
            List<String> parts = new ArrayList<>();
            sorted(keys).forEach(k -> parts.add(k + ":{}"));
            return "map[" + String.join(" ", parts) + "]";
        }

        private static String goMap(Map<String, String> map) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(map).forEach((k, v) -> parts.add(k + ":" + v));
            return "map[" + String.join(" ", parts) + "]";
        }
    }

    /** A {@code []string} as Go's {@code %v} prints it: {@code [a b]}. */
    private record GoStrings(List<String> values) {
        @Override
        public String toString() {
            return "[" + String.join(" ", values) + "]";
        }
    }

    /** A {@code map[string]bool} as Go's {@code %v} prints it: {@code map[a:true b:false]} (sorted keys). */
    private record GoBoolMap(Map<String, Boolean> values) {
        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(values).forEach((k, v) -> parts.add(k + ":" + v));
            return "map[" + String.join(" ", parts) + "]";
        }
    }

    /** A {@code float64} of seconds as Go's {@code %v} prints it: {@code 2}, {@code 0.5}. */
    private record GoFloat(Duration seconds) {
        @Override
        public String toString() {
            return goSeconds(seconds);
        }
    }

    /**
     * {@code []*jwt.OperatorClaims}, compared by the operators' JWTs in any order (Go sorts them by issuer) and
     * printed as Go prints a slice of pointers: addresses, which jnatsd cannot reproduce.
     */
    private record OperatorPointers(List<String> jwts) {
        @Override
        public boolean equals(Object o) {
            return o instanceof OperatorPointers other && Set.copyOf(jwts).equals(Set.copyOf(other.jwts));
        }

        @Override
        public int hashCode() {
            return Set.copyOf(jwts).hashCode();
        }

        @Override
        public String toString() {
            return "[" + String.join(" ", jwts.stream().map(Reload::goPointer).toList()) + "]";
        }
    }

    /** A stand-in for a Go pointer printed with {@code %v}: {@code 0xc} and nine hex digits. */
    private static String goPointer(Object value) {
        return "0xc" + String.format("%09x", System.identityHashCode(value) & 0xfffffffffL);
    }

    /** Seconds as Go prints a {@code float64} with {@code %v}: {@code 2}, {@code 0.5}. */
    static String goSeconds(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(Comparator.naturalOrder());
        return list;
    }

    private static String pathText(Path path) {
        return path == null ? "" : path.toString();
    }

    /** {@code WriteTimeoutPolicy.String()}: {@code close}, {@code retry}, empty for the default. */
    private static String writeTimeoutText(ServerOptions.WriteTimeoutPolicy policy) {
        return policy == null || policy == ServerOptions.WriteTimeoutPolicy.DEFAULT ? ""
                : policy.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The nkey users as nats-server compares them: with the default permissions already given to those that have
     * none (nats-server applies them while parsing), in any order ({@code imposeOrder} sorts them by key).
     */
    private static Object nkeysWithDefaults(ServerOptions o) {
        AuthOptions auth = o.authorization();
        return auth.nkeys().stream().map(u -> u.permissions() != null ? u
                : new AuthOptions.NkeyUser(u.nkey(), auth.defaultPermissions(), u.allowedConnectionTypes(),
                        u.proxyRequired())).sorted(Comparator.comparing(AuthOptions.NkeyUser::nkey)).toList();
    }

    /**
     * nats-server lets {@code no_auth_user} be removed only together with that user; any other change is refused
     * (reload.go diffOptions "noauthuser").
     */
    private static boolean noAuthUserRemoved(ServerOptions current, ServerOptions next) {
        String old = current.authorization().noAuthUser();
        if (old.isEmpty() || !next.authorization().noAuthUser().isEmpty()) {
            return false;
        }
        return next.authorization().users().stream().noneMatch(u -> u.username().equals(old));
    }

    /**
     * The system account as nats-server's options hold it once the server runs: an account named {@code $SYS}
     * in a config without {@code system_account} is the system account ({@code server.go configureAccounts}).
     */
    private static String systemAccount(ServerOptions o) {
        String configured = o.operator().systemAccount();
        if (configured.isEmpty() && !o.operator().enabled()
                && o.accounts().stream().map(AccountOptions::name).anyMatch(Account.SYSTEM::equals)) {
            return Account.SYSTEM;
        }
        return configured;
    }

    /** nats-server lets the default {@code $SYS} go (reload.go diffOptions "systemaccount"). */
    private static boolean defaultSystemAccountDropped(ServerOptions current, ServerOptions next) {
        return systemAccount(current).equals(Account.SYSTEM) && systemAccount(next).isEmpty();
    }

    /** Go's {@code %v} of an option's value. */
    private static String goText(Object value) {
        return switch (value) {
            case null -> "";
            case Duration d -> GoDuration.format(d);
            case Path p -> p.toString();
            case List<?> list -> "[" + String.join(" ", list.stream().map(Reload::goText).toList()) + "]";
            default -> value.toString();
        };
    }

    /** Host and port checks of Go's {@code parseHostPort} ({@code net.SplitHostPort}, {@code strconv.Atoi}). */
    static final class GoHostPort {

        private GoHostPort() {
        }

        /** The error nats-server's {@code parseHostPort(hostPort, port)} returns for {@code hostPort}, if any. */
        // nats-server: util.go parseHostPort
        static Optional<String> check(String hostPort) {
            String effective = hostPort;
            Optional<String> error = split(effective);
            if (error.isPresent() && error.get().endsWith(": missing port in address")) {
                effective = hostPort + ":0";          // Go appends the default port and splits again
                error = split(effective);
            }
            if (error.isPresent()) {
                return error;
            }
            String port = effective.substring(effective.lastIndexOf(':') + 1).strip();
            if (!port.matches("[+-]?\\d+")) {
                return Optional.of("strconv.Atoi: parsing " + GoQuote.quote(port) + ": invalid syntax");
            }
            try {
                Long.parseLong(port.startsWith("+") ? port.substring(1) : port);
            } catch (NumberFormatException e) {
                return Optional.of("strconv.Atoi: parsing " + GoQuote.quote(port) + ": value out of range");
            }
            return Optional.empty();
        }

        /** Go's {@code net.SplitHostPort} errors. */
        private static Optional<String> split(String hostPort) {
            String prefix = "address " + hostPort + ": ";
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                return Optional.of(prefix + "missing port in address");
            }
            if (hostPort.startsWith("[")) {
                int end = hostPort.indexOf(']');
                if (end < 0) {
                    return Optional.of(prefix + "missing ']' in address");
                }
                if (end + 1 == hostPort.length()) {
                    return Optional.of(prefix + "missing port in address");
                }
                if (end + 1 != colon) {
                    return Optional.of(prefix + (hostPort.charAt(end + 1) == ':' ? "too many colons in address"
                            : "missing port in address"));
                }
                String host = hostPort.substring(1, end);
                if (host.indexOf('[', 0) >= 0 || hostPort.indexOf('[', 1) >= 0) {
                    return Optional.of(prefix + "unexpected '[' in address");
                }
                if (hostPort.indexOf(']', end + 1) >= 0) {
                    return Optional.of(prefix + "unexpected ']' in address");
                }
                return Optional.empty();
            }
            String host = hostPort.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                return Optional.of(prefix + "too many colons in address");
            }
            if (hostPort.indexOf('[') >= 0) {
                return Optional.of(prefix + "unexpected '[' in address");
            }
            if (hostPort.indexOf(']') >= 0) {
                return Optional.of(prefix + "unexpected ']' in address");
            }
            return Optional.empty();
        }
    }
}
