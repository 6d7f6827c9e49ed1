package io.jnatsd.config;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replaces "unset" (zero or empty) option values with nats-server's defaults, as {@code server/opts.go
 * setBaselineOptions} does when a server is created: an empty host becomes {@code 0.0.0.0}, an empty monitoring
 * host follows the client host, port 0 becomes 4222, and zero limits and timers become their defaults. The
 * monitoring base path is kept as configured ({@code /varz} echoes it); the monitor normalises it with
 * {@link #normalizeBasePath}. Port {@code -1} (random) is kept. Stateless; thread-safe.
 */
public final class OptionsBaseline {

    private OptionsBaseline() {
    }

    /** The options with every unset value replaced by its default. */
    // nats-server: opts.go setBaselineOptions (core fields)
    public static ServerOptions apply(ServerOptions o) {
        ServerOptions.Builder b = o.toBuilder();
        String host = o.host().isEmpty() ? ServerOptions.DEFAULT_HOST : o.host();
        b.host(host);
        if (o.httpHost() == null || o.httpHost().isEmpty()) {
            b.httpHost(host);
        }
        if (o.port() == 0) {
            b.port(ServerOptions.DEFAULT_PORT);
        }
        if (o.maxConnections() == 0) {
            b.maxConnections(ServerOptions.DEFAULT_MAX_CONNECTIONS);
        }
        if (isZero(o.pingInterval())) {
            b.pingInterval(ServerOptions.DEFAULT_PING_INTERVAL);
        }
        if (o.pingMax() == 0) {
            b.pingMax(ServerOptions.DEFAULT_PING_MAX);
        }
        if (isZero(o.authTimeout())) {
            b.authTimeout(defaultAuthTimeout(o.tls()));
        }
        if (o.maxControlLine() == 0) {
            b.maxControlLine(ServerOptions.DEFAULT_MAX_CONTROL_LINE);
        }
        if (o.maxPayload() == 0) {
            b.maxPayload(ServerOptions.DEFAULT_MAX_PAYLOAD);
        }
        if (o.maxPendingBytes() == 0) {
            b.maxPendingBytes(ServerOptions.DEFAULT_MAX_PENDING_BYTES);
        }
        if (isZero(o.writeDeadline())) {
            b.writeDeadline(ServerOptions.DEFAULT_WRITE_DEADLINE);
        }
        if (o.maxClosedClients() == 0) {
            b.maxClosedClients(ServerOptions.DEFAULT_MAX_CLOSED_CLIENTS);
        }
        if (isZero(o.lameDuckDuration())) {
            b.lameDuckDuration(ServerOptions.DEFAULT_LAME_DUCK_DURATION);
        }
        if (isZero(o.lameDuckGracePeriod())) {
            b.lameDuckGracePeriod(ServerOptions.DEFAULT_LAME_DUCK_GRACE_PERIOD);
        }
        if (o.connectErrorReports() == 0) {
            b.connectErrorReports(ServerOptions.DEFAULT_CONNECT_ERROR_REPORTS);
        }
        if (o.reconnectErrorReports() == 0) {
            b.reconnectErrorReports(ServerOptions.DEFAULT_RECONNECT_ERROR_REPORTS);
        }
        if (o.websocket().enabled() && o.websocket().host().isEmpty()) {
            b.websocket(o.websocket().toBuilder().host(ServerOptions.DEFAULT_HOST).build());
        }
        return b.build();
    }

    /** Two seconds, or with TLS on the client port the TLS timeout plus one second. */
    // nats-server: opts.go getDefaultAuthTimeout
    static Duration defaultAuthTimeout(TlsOptions tls) {
        if (tls == null || !tls.enabled()) {
            return ServerOptions.DEFAULT_AUTH_TIMEOUT;
        }
        Duration tlsTimeout = isZero(tls.timeout()) ? TlsOptions.DEFAULT_TIMEOUT : tls.timeout();
        return tlsTimeout.plusSeconds(1);
    }

    private static boolean isZero(Duration d) {
        return d == null || d.isZero();
    }

    /** Leading {@code /} added, then cleaned like Go's {@code path.Clean}; empty becomes {@code /}. */
    // nats-server: opts.go normalizeBasePath
    public static String normalizeBasePath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return cleanRooted(path.charAt(0) == '/' ? path : "/" + path);
    }

    /** Go's {@code path.Clean} for a path that starts with {@code /}. */
    private static String cleanRooted(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                parts.pollLast();                       // ".." at the root stays at the root
            } else {
                parts.addLast(element);
            }
        }
        return "/" + String.join("/", parts);
    }
}
