package io.jnatsd.server;

import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.GoDuration;
import io.jnatsd.config.OperatorOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.ServerOptions.LoggingOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.WebSocketOptions;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The difference between the running options and reloaded ones, as nats-server's {@code reload.go diffOptions}:
 * every changed reloadable option becomes a {@code Reloaded: <name> = <value>} line, and the first changed option
 * that cannot be reloaded (in the order of Go's {@code Options} struct) rejects the whole reload with
 * {@code config reload not supported for <Field>: old=<v>, new=<v>}. Stateless.
 */
final class Reload {

    /**
     * One option nats-server refuses to reload, by its Go field name; {@code allowed} accepts some changes of it
     * (null: none).
     */
    private record Fixed(String goField, Function<ServerOptions, Object> value,
                         BiPredicate<ServerOptions, ServerOptions> allowed) {
        Fixed(String goField, Function<ServerOptions, Object> value) {
            this(goField, value, null);
        }
    }

    /** One reloadable option: its log name and how its new value is printed. */
    private record Reloadable(String name, Function<ServerOptions, Object> value) {
    }

    // Go's Options field order, core fields only.
    private static final List<Fixed> FIXED = List.of(
            new Fixed("ServerName", ServerOptions::serverName),
            new Fixed("Host", ServerOptions::host),
            new Fixed("NoSublistCache", ServerOptions::disableSublistCache),
            new Fixed("NoHeaderSupport", ServerOptions::noHeaderSupport),
            new Fixed("MaxSubs", ServerOptions::maxSubscriptions),
            new Fixed("MaxSubTokens", ServerOptions::maxSubTokens),
            new Fixed("NoAuthUser", o -> o.authorization().noAuthUser(), Reload::noAuthUserRemoved),
            new Fixed("SystemAccount", o -> o.operator().systemAccount()),
            new Fixed("NoSystemAccount", ServerOptions::noSystemAccount),
            new Fixed("ProxyRequired", o -> o.authorization().proxyRequired()),
            new Fixed("ProxyProtocol", ServerOptions::proxyProtocol),
            // nats-server has no reload option for it: any change is refused (a nil pointer prints <nil>)
            new Fixed("AuthCallout", o -> o.authCallout() == null ? "<nil>" : o.authCallout()),
            new Fixed("HTTPHost", ServerOptions::httpHost),
            new Fixed("HTTPPort", ServerOptions::httpPort),
            new Fixed("HTTPBasePath", ServerOptions::httpBasePath),
            new Fixed("HTTPSPort", ServerOptions::httpsPort),
            new Fixed("MaxPending", ServerOptions::maxPendingBytes),
            // everything but the TLS configuration, which applies to new connections
            new Fixed("Websocket", o -> new WebSocketValue(o.websocket())),
            new Fixed("LogSizeLimit", o -> o.logging().logSizeLimitBytes()),
            new Fixed("LogMaxFiles", o -> o.logging().logMaxFiles()),
            new Fixed("TLSMap", o -> o.tls().verifyAndMap()),
            new Fixed("TLSRateLimit", o -> o.tls().connectionRateLimit()),
            new Fixed("AllowNonTLS", o -> o.tls().allowNonTls()),
            new Fixed("WriteTimeout", ServerOptions::writeTimeoutPolicy),
            new Fixed("MaxClosedClients", ServerOptions::maxClosedClients),
            new Fixed("LameDuckDuration", ServerOptions::lameDuckDuration),
            new Fixed("LameDuckGracePeriod", ServerOptions::lameDuckGracePeriod),
            new Fixed("FeatureFlags", ServerOptions::featureFlags),
            // operator mode: jnatsd keeps its resolver and accounts for the server's lifetime
            new Fixed("TrustedOperators", o -> o.operator().operatorJwts()),
            new Fixed("TrustedKeys", o -> o.operator().trustedKeys()),
            new Fixed("AccountResolver", o -> o.operator().resolver()));

    private static final List<Reloadable> RELOADABLE = List.of(
            new Reloadable("trace_verbose", o -> o.logging().traceVerbose()),
            new Reloadable("trace_headers", o -> o.logging().traceHeaders()),
            new Reloadable("trace", o -> o.logging().trace()),
            new Reloadable("debug", o -> o.logging().debug()),
            new Reloadable("logtime", o -> o.logging().logtime()),
            new Reloadable("logtime_utc", o -> o.logging().logtimeUtc()),
            new Reloadable("log_file", o -> pathText(o.logging().logFile())),
            new Reloadable("syslog", o -> o.logging().syslog()),
            new Reloadable("remote_syslog", o -> Objects.toString(o.logging().remoteSyslog(), "")),
            new Reloadable("tags", ServerOptions::serverTags),
            new Reloadable("metadata", ServerOptions::serverMetadata),
            new Reloadable("max_connections", ServerOptions::maxConnections),
            new Reloadable("authorization nkey users", Reload::nkeysWithDefaults),
            // nats-server never compares users and accounts (they hold live state): both lines on every reload
            new Reloadable("authorization users", o -> new Object()),
            new Reloadable("accounts", o -> new Object()),
            new Reloadable("default_sentinel", ServerOptions::defaultSentinel),
            new Reloadable("authorization username", o -> o.authorization().username()),
            new Reloadable("authorization password", o -> o.authorization().password()),
            new Reloadable("authorization token", o -> o.authorization().token()),
            new Reloadable("authorization timeout", o -> seconds(o.authTimeout())),
            new Reloadable("pid_file", o -> pathText(o.pidFile())),
            new Reloadable("ports_file_dir", o -> pathText(o.portsFileDir())),
            new Reloadable("max_control_line", ServerOptions::maxControlLine),
            new Reloadable("max_payload", ServerOptions::maxPayload),
            new Reloadable("ping_interval", o -> GoDuration.format(o.pingInterval())),
            new Reloadable("ping_max", ServerOptions::pingMax),
            // Go's field order: TLSTimeout, TLSConfig, TLSPinnedCerts, TLSHandshakeFirst, TLSHandshakeFirstFallback
            new Reloadable("tls timeout", o -> goSeconds(o.tls().timeout())),
            new Reloadable("tls", o -> new TlsContextKey(o.tls())),
            new Reloadable("pinned_certs", o -> o.tls().pinnedCerts()),
            new Reloadable("handshake_first", o -> o.tls().handshakeFirst()),
            new Reloadable("handshake_first_fallback", o -> o.tls().handshakeFirstFallback()),
            new Reloadable("write_deadline", o -> GoDuration.format(o.writeDeadline())),
            new Reloadable("client_advertise", o -> Objects.toString(o.clientAdvertise(), "")),
            new Reloadable("connect_error_reports", ServerOptions::connectErrorReports),
            new Reloadable("reconnect_error_reports", ServerOptions::reconnectErrorReports),
            new Reloadable("max_traced_msg_len", o -> o.logging().maxTracedMsgLen()),
            new Reloadable("no_fast_producer_stall", ServerOptions::noFastProducerStall),
            // nats-server: reload.go ocspOption (OCSPConfig compared by content)
            new Reloadable("OCSP", ServerOptions::ocsp));

    private Reload() {
    }

    /** The result: either an error (nothing may be applied) or the lines to log once applied. */
    record Diff(Optional<String> error, List<String> changes, boolean loggingChanged) {
    }

    /**
     * Compares {@code current} with {@code next}. {@code next} must already carry the running port when the
     * file asks for a random one.
     */
    static Diff diff(ServerOptions current, ServerOptions next, int boundPort) {
        boolean hadResolver = current.operator().resolver().type() != OperatorOptions.ResolverType.NONE;
        boolean hasResolver = next.operator().resolver().type() != OperatorOptions.ResolverType.NONE;
        if (hadResolver != hasResolver) {
            // nats-server: reload.go diffOptions "resolver"
            return new Diff(Optional.of("config reload does not support moving to or from an account resolver"),
                    List.of(), false);
        }
        for (Fixed fixed : FIXED) {
            Object old = fixed.value().apply(current);
            Object now = fixed.value().apply(next);
            if (!Objects.equals(old, now) && (fixed.allowed() == null || !fixed.allowed().test(current, next))) {
                return new Diff(Optional.of("config reload not supported for " + fixed.goField() + ": old="
                        + goText(old) + ", new=" + goText(now)), List.of(), false);
            }
        }
        if (next.port() != current.port() && next.port() != ServerOptions.RANDOM_PORT && next.port() != boundPort) {
            return new Diff(Optional.of("config reload not supported for Port: old=" + current.port() + ", new="
                    + next.port()), List.of(), false);
        }
        List<String> changes = new ArrayList<>();
        for (Reloadable reloadable : RELOADABLE) {
            Object old = reloadable.value().apply(current);
            Object now = reloadable.value().apply(next);
            if (!Objects.equals(old, now)) {
                changes.add(switch (reloadable.name()) {
                    case "tags", "metadata", "authorization nkey users", "authorization users", "accounts",
                         "authorization username", "authorization password", "authorization token" ->
                            "Reloaded: " + reloadable.name();
                    // nats-server: reload.go tlsOption, tlsPinnedCertOption, tlsHandshakeFirst(Fallback)
                    case "tls" -> "Reloaded: tls = " + (next.tls().enabled() ? "enabled" : "disabled");
                    case "pinned_certs" -> "Reloaded: " + next.tls().pinnedCerts().size() + " pinned_certs";
                    case "handshake_first" -> "Reloaded: Client TLS handshake first: " + now;
                    case "handshake_first_fallback" -> "Reloaded: Client TLS handshake first fallback delay: "
                            + goText(now);
                    case "client_advertise" -> "Reload: client_advertise = " + now;
                    case "OCSP" -> "Reloaded: OCSP";
                    default -> "Reloaded: " + reloadable.name() + " = " + goText(now);
                });
            }
        }
        changes.addAll(trustedProxyChanges(current.authorization().trustedProxies(),
                next.authorization().trustedProxies()));
        LoggingOptions a = current.logging();
        LoggingOptions b = next.logging();
        return new Diff(Optional.empty(), changes, !a.equals(b));
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
            String tlsPointer = ws.tls().enabled()
                    ? "0xc" + String.format("%09x", System.identityHashCode(ws.tls()) & 0xfffffffffL) : "<nil>";
            return "{" + String.join(" ", ws.host(), Integer.toString(ws.port()), ws.advertise(), ws.noAuthUser(),
                    ws.jwtCookie(), ws.usernameCookie(), ws.passwordCookie(), ws.tokenCookie(), ws.username(),
                    ws.password(), ws.token(), goSeconds(ws.authTimeout()), Boolean.toString(ws.noTls()),
                    tlsPointer, Boolean.toString(ws.tls().verifyAndMap()), goSet(ws.tls().pinnedCerts()),
                    Boolean.toString(ws.sameOrigin()), "[" + String.join(" ", origins) + "]",
                    Boolean.toString(ws.compression()), GoDuration.format(ws.handshakeTimeout()),
                    GoDuration.format(ws.pingInterval()), goMap(ws.headers()), tlsPointer) + "}";
        }

        private static String goSet(Set<String> keys) {
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            List<String> parts = new ArrayList<>();
            sorted.forEach(k -> parts.add(k + ":{}"));
            return "map[" + String.join(" ", parts) + "]";
        }

        private static String goMap(Map<String, String> map) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(map).forEach((k, v) -> parts.add(k + ":" + v));
            return "map[" + String.join(" ", parts) + "]";
        }
    }

    /** Seconds as Go prints a {@code float64} with {@code %v}: {@code 2}, {@code 0.5}. */
    static String goSeconds(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return Long.toString(nanos / 1_000_000_000L);
        }
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static String pathText(Path path) {
        return path == null ? "" : path.toString();
    }

    /** Go's {@code %v} of the float64 seconds nats-server keeps the auth timeout in: {@code 2}, {@code 0.5}. */
    private static String seconds(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    /**
     * The nkey users as nats-server compares them: with the default permissions already given to those that have
     * none (nats-server applies them while parsing).
     */
    private static Object nkeysWithDefaults(ServerOptions o) {
        AuthOptions auth = o.authorization();
        return auth.nkeys().stream().map(u -> u.permissions() != null ? u
                : new AuthOptions.NkeyUser(u.nkey(), auth.defaultPermissions(), u.allowedConnectionTypes(),
                        u.proxyRequired())).toList();
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

    private static String goText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration d) {
            return GoDuration.format(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase();
        }
        return value.toString();
    }
}
