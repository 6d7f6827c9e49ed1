package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.nkeys.NKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Start-time checks of a complete {@link ServerOptions}, with nats-server's texts. These run when a server is
 * created (also for embedded options that never saw a config file) and are skipped by {@code -t}, as in
 * nats-server. Stateless; thread-safe.
 */
public final class OptionsValidator {

    /** Payloads above this get a startup warning ({@code server/const.go MAX_PAYLOAD_MAX_SIZE}). */
    public static final int MAX_PAYLOAD_WARNING_BYTES = 8 * 1024 * 1024;

    /** The banner warning for {@link #MAX_PAYLOAD_WARNING_BYTES}. */
    public static final String MAX_PAYLOAD_WARNING =
            "Maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance";

    private OptionsValidator() {
    }

    /**
     * The first problem that must stop the server from being created, as nats-server words it; the caller prints
     * {@code nats-server: <text>} and exits 1.
     */
    // nats-server: server.go validateOptions (core checks)
    public static Optional<String> validate(ServerOptions options) {
        if (options.lameDuckDuration().isPositive()
                && options.lameDuckGracePeriod().compareTo(options.lameDuckDuration()) >= 0) {
            return Optional.of("lame duck grace period (" + GoDuration.format(options.lameDuckGracePeriod())
                    + ") should be strictly lower than lame duck duration ("
                    + GoDuration.format(options.lameDuckDuration()) + ")");
        }
        if (options.maxPayload() > options.maxPendingBytes()) {
            return Optional.of("max_payload (" + options.maxPayload() + ") cannot be higher than max_pending ("
                    + options.maxPendingBytes() + ")");
        }
        if (options.serverName() != null && options.serverName().contains(" ")) {
            return Optional.of("server name cannot contain spaces");
        }
        Optional<String> operator = OperatorValidation.validate(options);
        if (operator.isPresent()) {
            return operator;
        }
        Optional<String> auth = validateAuth(options.authorization());
        if (auth.isPresent()) {
            return auth;
        }
        Optional<String> system = validateSystemAccount(options);
        if (system.isPresent()) {
            return system;
        }
        Optional<String> jetStream = validateJetStream(options.jetStream());
        if (jetStream.isPresent()) {
            return jetStream;
        }
        // nats-server: server.go validateOptions ("Finally check websocket options")
        return validateWebSocket(options);
    }

    /** The JetStream domain must make a valid subject and name ({@code default_js_domain} is not supported). */
    // nats-server: jetstream.go validateJetStreamOptions (standalone part)
    static Optional<String> validateJetStream(JetStreamOptions js) {
        String domain = js.domain();
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        String subject = "$JS." + domain + ".API.>";
        if (!io.jnatsd.subject.Subjects.isValidSubject(subject)) {
            return Optional.of("invalid domain name: derived " + GoQuote.quote(subject) + " is not a valid subject");
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '.' || c == '*' || c == '>') {
                return Optional.of("invalid domain name: may not contain ., * or >");
            }
        }
        return Optional.empty();
    }

    /** Header names nats-server's upgrade response sets itself (lower case). */
    private static final Set<String> RESERVED_WEBSOCKET_HEADERS = Set.of("host", "content-length", "connection",
            "upgrade", "nats-no-masking");

    /**
     * The WebSocket block's checks: TLS unless {@code no_tls}, allowed origins that are absolute http(s) URLs with a
     * host, {@code no_auth_user}, an own username or token only without users, {@code jwt_cookie} only in operator
     * mode, and response headers that do not clash with the upgrade's own.
     */
    // nats-server: websocket.go validateWebsocketOptions
    static Optional<String> validateWebSocket(ServerOptions options) {
        WebSocketOptions ws = options.websocket();
        if (!ws.enabled()) {
            return Optional.empty();
        }
        if (!ws.tls().enabled() && !ws.noTls()) {
            return Optional.of("websocket requires TLS configuration");
        }
        for (String origin : ws.allowedOrigins()) {
            GoUrl url;
            try {
                url = GoUrl.parseRequestUri(origin);
            } catch (GoUrl.ParseException e) {
                return Optional.of("unable to parse allowed origin: " + e.getMessage());
            }
            if (!url.scheme().equals("http") && !url.scheme().equals("https")) {
                return Optional.of("unable to parse allowed origin " + GoQuote.quote(origin)
                        + ": allowed origins must be absolute URLs with http or https scheme");
            }
            if (url.host().isEmpty()) {
                return Optional.of("unable to parse allowed origin " + GoQuote.quote(origin) + ": host is required");
            }
            try {
                GoUrl.hostAndPort(url.scheme().equals("https"), url.host());
            } catch (GoUrl.AddressException e) {
                return Optional.of("unable to parse allowed origin: " + e.getMessage());
            }
        }
        AuthOptions auth = options.authorization();
        if (!ws.noAuthUser().isEmpty()) {
            if (options.operator().enabled()) {
                return Optional.of("no_auth_user not compatible with Trusted Operator");
            }
            Optional<String> problem = noAuthUserProblem(auth, ws.noAuthUser());
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (!auth.users().isEmpty() || !auth.nkeys().isEmpty()) {
            if (!ws.username().isEmpty()) {
                return Optional.of("websocket authentication username not compatible with presence of users/nkeys");
            }
            if (!ws.token().isEmpty()) {
                return Optional.of("websocket authentication token not compatible with presence of users/nkeys");
            }
        }
        if (!ws.jwtCookie().isEmpty() && !options.operator().enabled()) {
            return Optional.of("trusted operators or trusted keys configuration is required for JWT authentication "
                    + "via cookie " + GoQuote.quote(ws.jwtCookie()));
        }
        for (String name : ws.headers().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_WEBSOCKET_HEADERS.contains(lower)) {
                return Optional.of("websocket: invalid header " + GoQuote.quote(name) + " not allowed");
            }
            if (lower.startsWith("sec-websocket-")) {
                return Optional.of("websocket: invalid header " + GoQuote.quote(name)
                        + ", \"Sec-WebSocket-\" prefix not allowed");
            }
        }
        return Optional.empty();
    }

    /**
     * Config mode: {@code system_account} must name a configured account (or {@code $G}).
     */
    // nats-server: server.go configureAccounts ("error resolving system account")
    static Optional<String> validateSystemAccount(ServerOptions options) {
        String name = options.operator().systemAccount();
        if (options.operator().enabled() || name.isEmpty() || name.equals("$G") || options.account(name) != null) {
            return Optional.empty();
        }
        return Optional.of("error resolving system account: account missing");
    }

    /** Connection types, permission subjects and {@code no_auth_user} of the users. */
    // nats-server: auth.go validateAuth, validateAllowedConnectionTypes, validatePermissionSubjects,
    // validateNoAuthUser
    static Optional<String> validateAuth(AuthOptions auth) {
        for (String key : auth.trustedProxies()) {
            if (!NKey.isValidPublicKey(key)) {
                // nats-server: auth.go validateProxies
                return Optional.of("proxy trusted key " + GoQuote.quote(key) + " is invalid");
            }
        }
        for (AuthOptions.User u : auth.users()) {
            Optional<String> problem = validateUser(auth, "user", u.username(), u.allowedConnectionTypes(),
                    u.permissions());
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (AuthOptions.NkeyUser u : auth.nkeys()) {
            Optional<String> problem = validateUser(auth, "nkey", u.nkey(), u.allowedConnectionTypes(),
                    u.permissions());
            if (problem.isPresent()) {
                return problem;
            }
        }
        String noAuthUser = auth.noAuthUser();
        if (noAuthUser.isEmpty()) {
            return Optional.empty();
        }
        return noAuthUserProblem(auth, noAuthUser);
    }

    /** Whether {@code noAuthUser} names a configured user or nkey user. */
    // nats-server: auth.go validateNoAuthUser
    private static Optional<String> noAuthUserProblem(AuthOptions auth, String noAuthUser) {
        if (auth.users().isEmpty() && auth.nkeys().isEmpty()) {
            return Optional.of("no_auth_user: \"" + noAuthUser + "\" present, but users/nkeys are not defined");
        }
        boolean known = auth.users().stream().anyMatch(u -> u.username().equals(noAuthUser))
                || auth.nkeys().stream().anyMatch(u -> u.nkey().equals(noAuthUser));
        return known ? Optional.empty() : Optional.of("no_auth_user: \"" + noAuthUser + "\" not present as user or "
                + "nkey in authorization block or account configuration");
    }

    private static Optional<String> validateUser(AuthOptions auth, String what, String name, Set<String> types,
                                                 AuthOptions.Permissions own) {
        for (String type : types) {
            if (!AuthOptions.CONNECTION_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                return Optional.of("unknown connection type " + GoQuote.quote(type));
            }
        }
        AuthOptions.Permissions p = own != null ? own : auth.defaultPermissions();
        if (p == null) {
            return Optional.empty();
        }
        String problem = null;
        if (p.publish() != null) {
            problem = listProblem("publish allow", p.publish().allow(), false);
            problem = problem != null ? problem : listProblem("publish deny", p.publish().deny(), false);
        }
        if (problem == null && p.subscribe() != null) {
            problem = listProblem("subscribe allow", p.subscribe().allow(), true);
            problem = problem != null ? problem : listProblem("subscribe deny", p.subscribe().deny(), true);
        }
        return problem == null ? Optional.empty()
                : Optional.of("invalid permissions for " + what + " " + GoQuote.quote(name) + ": " + problem);
    }

    private static String listProblem(String list, List<String> subjects, boolean allowQueue) {
        if (subjects == null) {
            return null;
        }
        String problem = AuthConfigParser.checkSubjects(subjects, allowQueue);
        return problem == null ? null : list + ": " + problem;
    }

    /**
     * The problem that stops the monitoring listener, checked when monitoring starts; nats-server logs it as
     * {@code [FTL] Can't start monitoring: <text>} and exits 1. HTTPS needs the client TLS configuration.
     */
    // nats-server: server.go StartMonitoring
    public static Optional<String> validateMonitoring(ServerOptions options) {
        if (options.httpPort() != 0 && options.httpsPort() != 0) {
            return Optional.of("can't specify both HTTP (" + options.httpPort() + ") and HTTPs ("
                    + options.httpsPort() + ") ports");
        }
        if (options.httpsPort() != 0 && !options.tls().enabled()) {
            return Optional.of("TLS cert and key required for HTTPS");
        }
        return Optional.empty();
    }

    /** Warnings the startup banner prints (each a complete log message, logged at WRN). */
    // nats-server: server.go Start
    public static List<String> startupWarnings(ServerOptions options) {
        List<String> warnings = new ArrayList<>();
        if (options.maxPayload() > MAX_PAYLOAD_WARNING_BYTES) {
            warnings.add(MAX_PAYLOAD_WARNING);
        }
        return warnings;
    }
}
