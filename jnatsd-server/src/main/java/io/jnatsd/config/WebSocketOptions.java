package io.jnatsd.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The WebSocket client listener: the {@code websocket} (alias {@code ws}) block of the configuration file
 * (nats-server's {@code WebsocketOpts}, {@code server/opts.go parseWebsocket}). {@link #DISABLED} (port 0) when
 * there is no listener; every other field is then ignored, as nats-server ignores them.
 * <p>
 * Strings are never null: empty means "not set". {@link #toString()} never shows the password or the token.
 * <p>
 * Immutable and thread-safe.
 *
 * @param host             the listen host; empty until the baseline makes it {@code 0.0.0.0}
 * @param port             the listen port; 0 for no listener, {@link ServerOptions#RANDOM_PORT} for a random one
 * @param advertise        {@code advertise}: the host:port announced to clients of the cluster (no cluster yet)
 * @param noTls            {@code no_tls}: a listener without {@code tls {}} is allowed (never used when TLS is
 *                         configured)
 * @param tls              the {@code tls {}} block ({@link TlsOptions#disabled()} without one)
 * @param sameOrigin       {@code same_origin}: the {@code Origin} header must match the request's host
 * @param allowedOrigins   {@code allowed_origins}: the origins accepted (any when empty and not
 *                         {@code same_origin}), in file order
 * @param compression      {@code compression}: per-message deflate is negotiated with clients that offer it
 * @param handshakeTimeout {@code handshake_timeout}: time allowed for the TLS handshake and the HTTP upgrade
 *                         request (per request); zero for none
 * @param jwtCookie        {@code jwt_cookie}: the cookie whose value is a missing CONNECT {@code jwt}
 * @param usernameCookie   {@code user_cookie}: the cookie whose value is a missing CONNECT {@code user}
 * @param passwordCookie   {@code pass_cookie}: the cookie whose value is a missing CONNECT {@code pass}
 * @param tokenCookie      {@code token_cookie}: the cookie whose value is a missing CONNECT {@code auth_token}
 * @param noAuthUser       {@code no_auth_user} of WebSocket clients (overrides the top-level one)
 * @param username         {@code authorization.user} of WebSocket clients
 * @param password         {@code authorization.password} of WebSocket clients
 * @param token            {@code authorization.token} of WebSocket clients
 * @param authTimeout      {@code authorization.timeout} of WebSocket clients; zero means the server's applies
 * @param headers          {@code headers}: extra response headers of the upgrade, in file order
 * @param pingInterval     {@code ping_interval} of WebSocket clients; zero means the server's applies
 */
public record WebSocketOptions(
        String host,
        int port,
        String advertise,
        boolean noTls,
        TlsOptions tls,
        boolean sameOrigin,
        List<String> allowedOrigins,
        boolean compression,
        Duration handshakeTimeout,
        String jwtCookie,
        String usernameCookie,
        String passwordCookie,
        String tokenCookie,
        String noAuthUser,
        String username,
        String password,
        String token,
        Duration authTimeout,
        Map<String, String> headers,
        Duration pingInterval) {

    /** No WebSocket listener. */
    public static final WebSocketOptions DISABLED = builder().build();

    public WebSocketOptions {
        host = Objects.requireNonNullElse(host, "");
        advertise = Objects.requireNonNullElse(advertise, "");
        tls = tls == null ? TlsOptions.disabled() : tls;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        handshakeTimeout = Objects.requireNonNullElse(handshakeTimeout, Duration.ZERO);
        jwtCookie = Objects.requireNonNullElse(jwtCookie, "");
        usernameCookie = Objects.requireNonNullElse(usernameCookie, "");
        passwordCookie = Objects.requireNonNullElse(passwordCookie, "");
        tokenCookie = Objects.requireNonNullElse(tokenCookie, "");
        noAuthUser = Objects.requireNonNullElse(noAuthUser, "");
        username = Objects.requireNonNullElse(username, "");
        password = Objects.requireNonNullElse(password, "");
        token = Objects.requireNonNullElse(token, "");
        authTimeout = Objects.requireNonNullElse(authTimeout, Duration.ZERO);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        pingInterval = Objects.requireNonNullElse(pingInterval, Duration.ZERO);
    }

    /** A builder with nothing configured (no listener). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether there is a WebSocket listener. */
    public boolean enabled() {
        return port != 0;
    }

    /**
     * Whether the WebSocket block overrides the server's authorization for WebSocket clients (a {@code username},
     * {@code token} or {@code no_auth_user} of its own).
     */
    // nats-server: websocket.go wsConfigAuth
    public boolean authOverride() {
        return !username.isEmpty() || !token.isEmpty() || !noAuthUser.isEmpty();
    }

    /** The same options without their TLS configuration, as nats-server compares them on reload. */
    public WebSocketOptions withoutTls() {
        return toBuilder().tls(TlsOptions.disabled()).build();
    }

    @Override
    public String toString() {
        return "WebSocketOptions[host=" + host + ", port=" + port + ", advertise=" + advertise + ", noTls=" + noTls
                + ", tls=" + tls + ", sameOrigin=" + sameOrigin + ", allowedOrigins=" + allowedOrigins
                + ", compression=" + compression + ", handshakeTimeout=" + handshakeTimeout + ", jwtCookie="
                + jwtCookie + ", usernameCookie=" + usernameCookie + ", passwordCookie=" + passwordCookie
                + ", tokenCookie=" + tokenCookie + ", noAuthUser=" + noAuthUser + ", username=" + username
                + ", password=" + AuthOptions.redacted(password) + ", token=" + AuthOptions.redacted(token)
                + ", authTimeout=" + authTimeout + ", headers=" + headers + ", pingInterval=" + pingInterval + "]";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String host = "";
        private int port;
        private String advertise = "";
        private boolean noTls;
        private TlsOptions tls = TlsOptions.disabled();
        private boolean sameOrigin;
        private List<String> allowedOrigins = List.of();
        private boolean compression;
        private Duration handshakeTimeout = Duration.ZERO;
        private String jwtCookie = "";
        private String usernameCookie = "";
        private String passwordCookie = "";
        private String tokenCookie = "";
        private String noAuthUser = "";
        private String username = "";
        private String password = "";
        private String token = "";
        private Duration authTimeout = Duration.ZERO;
        private Map<String, String> headers = Map.of();
        private Duration pingInterval = Duration.ZERO;

        private Builder() {
        }

        private Builder(WebSocketOptions o) {
            host = o.host; port = o.port; advertise = o.advertise; noTls = o.noTls; tls = o.tls;
            sameOrigin = o.sameOrigin; allowedOrigins = o.allowedOrigins; compression = o.compression;
            handshakeTimeout = o.handshakeTimeout; jwtCookie = o.jwtCookie; usernameCookie = o.usernameCookie;
            passwordCookie = o.passwordCookie; tokenCookie = o.tokenCookie; noAuthUser = o.noAuthUser;
            username = o.username; password = o.password; token = o.token; authTimeout = o.authTimeout;
            headers = o.headers; pingInterval = o.pingInterval;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder advertise(String v) { advertise = v; return this; }
        public Builder noTls(boolean v) { noTls = v; return this; }
        /** The {@code tls {}} block; null means {@link TlsOptions#disabled()}. */
        public Builder tls(TlsOptions v) { tls = v == null ? TlsOptions.disabled() : v; return this; }
        public Builder sameOrigin(boolean v) { sameOrigin = v; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }
        public Builder compression(boolean v) { compression = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder jwtCookie(String v) { jwtCookie = v; return this; }
        public Builder usernameCookie(String v) { usernameCookie = v; return this; }
        public Builder passwordCookie(String v) { passwordCookie = v; return this; }
        public Builder tokenCookie(String v) { tokenCookie = v; return this; }
        public Builder noAuthUser(String v) { noAuthUser = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder authTimeout(Duration v) { authTimeout = v; return this; }
        public Builder headers(Map<String, String> v) { headers = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }

        public WebSocketOptions build() {
            return new WebSocketOptions(host, port, advertise, noTls, tls, sameOrigin, allowedOrigins, compression,
                    handshakeTimeout, jwtCookie, usernameCookie, passwordCookie, tokenCookie, noAuthUser, username,
                    password, token, authTimeout, headers, pingInterval);
        }
    }
}
