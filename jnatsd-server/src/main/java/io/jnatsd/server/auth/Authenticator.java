package io.jnatsd.server.auth;

import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.nkeys.NKey;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a client's CONNECT may stay, in config mode: nkey users, the users list, {@code no_auth_user}, a
 * token or a single user, in nats-server's order ({@code server/auth.go configureAuthorization},
 * {@code processClientOrLeafAuthentication}):
 * <ol>
 *   <li>a custom authenticator of the embedding application ({@link ClientAuthentication}) decides alone;</li>
 *   <li>a CONNECT {@code proxy_sig} must verify with one of the trusted proxies' keys, when there are any
 *       ("Proxy Not Trusted" otherwise);</li>
 *   <li>nothing configured: everyone is in, credentials are ignored;</li>
 *   <li>nkey users: a client without any credentials becomes the {@code no_auth_user} if that is an nkey user (no
 *       signature needed); a CONNECT {@code nkey} must be one of them and allowed on this connection type, or the
 *       client fails (the users list is not tried);</li>
 *   <li>users: with {@code verify_and_map} the client certificate names the user ({@link CertificateIdentity}: e-mail,
 *       DNS and URI alternative names, then the subject as an LDAP DN, then Go's RFC 2253 string with and without
 *       its DC components); otherwise a client without user, password or token becomes the {@code no_auth_user}
 *       (its configured name and password are copied, so a bcrypt password can never match); the named user must
 *       exist and be allowed on this connection type;</li>
 *   <li>the matched nkey user must have signed the INFO nonce (unless it is the {@code no_auth_user}); the matched
 *       user's password must match (a certificate-mapped user normally has none); either may require a trusted
 *       proxy ("Proxy Required" without one);</li>
 *   <li>otherwise the token, else the single user and password.</li>
 * </ol>
 * Passwords and tokens may be bcrypt hashes ({@link Passwords}). Permissions are compiled once per user; users without
 * their own get {@code default_permissions}.
 * <p>
 * Immutable and thread-safe; a config reload builds a new one.
 */
public final class Authenticator {

    /** The connection type of a plain NATS client ({@code allowed_connection_types}). */
    public static final String STANDARD = "STANDARD";
    /** The connection type of a WebSocket client ({@code allowed_connection_types}). */
    public static final String WEBSOCKET = "WEBSOCKET";

    private static final Base64.Decoder RAW_URL = Base64.getUrlDecoder();
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final Base64.Decoder STD = Base64.getDecoder();

    private final AuthOptions options;
    private final JwtAuthenticator jwt;     // null outside operator mode
    private final boolean authRequired;
    private final Map<String, UserEntry> users;
    private final List<UserEntry> usersInOrder;
    private final Map<String, NkeyEntry> nkeys;
    private final List<NKey> trustedProxies;
    private final boolean mapCertificates;
    private final boolean standardMapsCertificates;    // the client port has verify_and_map
    private final boolean webSocketMapsCertificates;   // the WebSocket listener has verify_and_map
    private final boolean webSocket;                   // this authenticator is the WebSocket listener's
    private final ClientAuthentication custom;
    private final boolean sublistCache;
    private final boolean hiddenNoAuthUser;  // the no_auth_user is nats-server's hidden system-only user

    private record UserEntry(AuthOptions.User user, Permissions permissions, Set<String> connectionTypes) {
    }

    private record NkeyEntry(AuthOptions.NkeyUser user, Permissions permissions, Set<String> connectionTypes) {
    }

    private Authenticator(AuthOptions options, boolean sublistCache, ServerOptions server, boolean webSocket,
                          ClientAuthentication custom, JwtAuthenticator jwt, boolean hiddenNoAuthUser) {
        this.options = options;
        this.hiddenNoAuthUser = hiddenNoAuthUser;
        this.custom = custom;
        this.jwt = jwt;
        this.sublistCache = sublistCache;
        this.webSocket = webSocket;
        this.standardMapsCertificates = server.tls().enabled() && server.tls().verifyAndMap();
        this.webSocketMapsCertificates = server.websocket().enabled() && server.websocket().tls().enabled()
                && server.websocket().tls().verifyAndMap();
        // nats-server: auth.go processClientOrLeafAuthentication ("Always override TLSMap" for WebSocket clients)
        this.mapCertificates = webSocket ? webSocketMapsCertificates : standardMapsCertificates;
        // nats-server: auth.go configureAuthorization (a custom authenticator always requires auth); a WebSocket
        // override requires it for WebSocket clients (websocket.go wsConfigAuth, auth.go checkAuthentication)
        this.authRequired = custom != null || options.isAuthRequired() || server.authorization().isAuthRequired()
                || jwt != null
                || (webSocket && server.websocket().authOverride());
        Map<AuthOptions.Permissions, Permissions> compiled = new IdentityHashMap<>();
        Map<String, UserEntry> userMap = new HashMap<>();
        List<UserEntry> ordered = new ArrayList<>();
        for (AuthOptions.User u : options.users()) {
            AuthOptions.Permissions p = permissionsOf(u.permissions(), u.account(), options);
            UserEntry entry = new UserEntry(u, compile(compiled, p, sublistCache),
                    upperCase(u.allowedConnectionTypes()));
            userMap.put(u.username(), entry);
            ordered.add(entry);
        }
        Map<String, NkeyEntry> nkeyMap = new HashMap<>();
        for (AuthOptions.NkeyUser u : options.nkeys()) {
            AuthOptions.Permissions p = permissionsOf(u.permissions(), u.account(), options);
            nkeyMap.put(u.nkey(), new NkeyEntry(u, compile(compiled, p, sublistCache),
                    upperCase(u.allowedConnectionTypes())));
        }
        this.users = Map.copyOf(userMap);
        this.usersInOrder = List.copyOf(ordered);
        this.nkeys = Map.copyOf(nkeyMap);
        List<NKey> proxies = new ArrayList<>();
        for (String key : options.trustedProxies()) {
            proxies.add(NKey.fromPublicKey(key));           // validated when the options were checked
        }
        this.trustedProxies = List.copyOf(proxies);
    }

    /**
     * A user's own permissions, else the authorization block's defaults for users of the global account (users of
     * other accounts got their account's defaults when the configuration was read).
     */
    // nats-server: opts.go parseAuthorization and parseAccounts (applyDefaultPermissions)
    private static AuthOptions.Permissions permissionsOf(AuthOptions.Permissions own, String account,
                                                         AuthOptions options) {
        if (own != null) {
            return own;
        }
        return account.isEmpty() ? options.defaultPermissions() : null;
    }

    /** The authenticator for {@code options} (its {@link ServerOptions#authorization()} and TLS mapping). */
    public static Authenticator of(ServerOptions options) {
        return of(options, null, null);
    }

    /**
     * The authenticator for {@code options}, or, when {@code custom} is not null, the one that leaves every
     * decision to {@code custom}.
     */
    public static Authenticator of(ServerOptions options, ClientAuthentication custom) {
        return of(options, custom, null);
    }

    /**
     * The authenticator for {@code options} in operator mode: every client needs a user JWT checked by
     * {@code jwt} (null: config mode, as {@link #of(ServerOptions)}).
     */
    public static Authenticator of(ServerOptions options, JwtAuthenticator jwt) {
        return of(options, null, jwt);
    }

    /**
     * The authenticator with an embedder's {@code custom} decision and/or operator mode's {@code jwt} (both
     * nullable).
     */
    public static Authenticator of(ServerOptions options, ClientAuthentication custom, JwtAuthenticator jwt) {
        return of(options, null, custom, jwt);
    }

    /**
     * As {@link #of(ServerOptions, ClientAuthentication, JwtAuthenticator)}, with {@code withHiddenUser} (when not
     * null) in place of the options' authorization: nats-server's hidden {@code no_auth_user} of a configuration
     * with only {@code $G} and a system account. Its clients are let in without credentials but INFO keeps
     * {@code auth_required}, and it never counts as a plain text password.
     */
    public static Authenticator of(ServerOptions options, AuthOptions withHiddenUser, ClientAuthentication custom,
                                   JwtAuthenticator jwt) {
        return new Authenticator(withHiddenUser != null ? withHiddenUser : options.authorization(),
                !options.disableSublistCache(), options, false, custom, jwt, withHiddenUser != null);
    }

    /**
     * The authenticator of WebSocket clients: as {@link #of(ServerOptions, AuthOptions, ClientAuthentication,
     * JwtAuthenticator)}, but when the {@code websocket} block has a user, token or {@code no_auth_user} of its
     * own, those replace the top-level ones (the users and nkey users stay shared), and the WebSocket listener's
     * {@code verify_and_map} applies.
     */
    // nats-server: websocket.go wsConfigAuth, auth.go processClientOrLeafAuthentication (case WS)
    public static Authenticator forWebSocket(ServerOptions options, AuthOptions withHiddenUser,
                                             ClientAuthentication custom, JwtAuthenticator jwt) {
        AuthOptions auth = withHiddenUser != null ? withHiddenUser : options.authorization();
        var ws = options.websocket();
        boolean hidden = withHiddenUser != null;
        if (ws.authOverride()) {
            auth = auth.withUsername(ws.username()).withPassword(ws.password()).withToken(ws.token())
                    .withNoAuthUser(ws.noAuthUser());
            hidden = false;
        }
        return new Authenticator(auth, !options.disableSublistCache(), options, true, custom, jwt, hidden);
    }

    /** Whether an embedder's custom authenticator decides alone (no built-in checks, no auth callout). */
    public boolean isCustom() {
        return custom != null;
    }

    /** The user-JWT check of operator mode, or null in config mode. */
    public JwtAuthenticator jwt() {
        return jwt;
    }

    private static Permissions compile(Map<AuthOptions.Permissions, Permissions> compiled,
                                       AuthOptions.Permissions p, boolean sublistCache) {
        return p == null ? null : compiled.computeIfAbsent(p, key -> Permissions.compile(key, sublistCache));
    }

    private static Set<String> upperCase(Set<String> types) {
        return Set.copyOf(types.stream().map(t -> t.toUpperCase(Locale.ROOT)).toList());
    }

    /** The options this was built from. */
    public AuthOptions options() {
        return options;
    }

    /** Whether clients must authenticate: they then have to send CONNECT first, within the auth timeout. */
    public boolean authRequired() {
        return authRequired;
    }

    /**
     * INFO {@code auth_required}: as {@link #authRequired()}, but false when a {@code no_auth_user} lets clients in
     * without credentials (server.go createClientEx); WebSocket clients are always told {@link #authRequired()}
     * (websocket.go createWSClient).
     */
    // nats-server: server.go createClientEx (sysAccOnlyNoAuthUser keeps auth_required)
    public boolean infoAuthRequired() {
        return authRequired && (webSocket || options.noAuthUser().isEmpty() || hiddenNoAuthUser);
    }

    /** Whether INFO carries a nonce for nkey or proxy signatures (nkey.go nonceRequired, config mode). */
    public boolean nonceRequired() {
        return !nkeys.isEmpty() || !trustedProxies.isEmpty() || jwt != null;
    }

    /** Whether the client certificate selects the user ({@code verify_and_map}). */
    public boolean mapsCertificates() {
        return mapCertificates && custom == null;
    }

    /** Whether {@code proxyKey} (a proxy a connection came through) is one of the trusted proxies. */
    public boolean trustsProxy(String proxyKey) {
        return options.trustedProxies().contains(proxyKey);
    }

    /**
     * Whether a client whose first operation is not CONNECT may go on as the {@code no_auth_user}: it must be in
     * the users list, need no proxy and be allowed on {@code connectionType} (parser.go parse).
     */
    public boolean allowsImplicitConnect(String connectionType) {
        String name = options.noAuthUser();
        if (name.isEmpty()) {
            return false;
        }
        UserEntry entry = users.get(name);
        return entry != null && !entry.user().proxyRequired() && typeAllowed(entry.connectionTypes(), connectionType);
    }

    /**
     * The account of the configured user a client authenticated as, by its nkey (when set) or name: its account
     * name ({@code $G} for users of the global account), or null when there is no such user. Null too when no
     * users or nkey users are configured at all.
     */
    // nats-server: reload.go clientHasMovedToDifferentAccount (the lookup in the users and nkeys maps)
    public String accountOfUser(String nkey, String username) {
        if (users.isEmpty() && nkeys.isEmpty()) {
            return null;
        }
        String account;
        if (nkey != null && !nkey.isEmpty()) {
            NkeyEntry entry = nkeys.get(nkey);
            account = entry == null ? null : entry.user().account();
        } else if (username != null && !username.isEmpty()) {
            UserEntry entry = users.get(username);
            account = entry == null ? null : entry.user().account();
        } else {
            return null;
        }
        return account == null ? null : account.isEmpty() ? "$G" : account;
    }

    /** Whether users or nkey users are configured (not counting a custom authenticator). */
    public boolean hasUsers() {
        return custom == null && (!users.isEmpty() || !nkeys.isEmpty());
    }

    /** nats-server's startup warning when a password is kept in plain text (auth.go checkAuthforWarnings). */
    public List<String> warnings() {
        boolean plain = !options.password().isEmpty() && !Passwords.isBcrypt(options.password());
        for (UserEntry entry : users.values()) {
            if (hiddenNoAuthUser && entry.user().username().equals(options.noAuthUser())) {
                continue;                       // nats-server: auth.go checkAuthforWarnings skips the hidden user
            }
            if (!Passwords.isBcrypt(entry.user().password())) {
                plain = true;
                break;
            }
        }
        return plain ? List.of("Plaintext passwords detected, use nkeys or bcrypt") : List.of();
    }

    /**
     * Checks {@code credentials} of a client on {@code connectionType} that was sent {@code nonce} in its INFO
     * (null when none was sent), without TLS peer certificates.
     */
    public AuthResult authenticate(Credentials credentials, byte[] nonce, String connectionType) {
        return authenticate(new ClientAuthentication.Request(credentials, "", "", nonce, List.of(), null,
                connectionType));
    }

    /** Checks the client described by {@code request}. */
    // nats-server: auth.go isClientAuthorized, processClientOrLeafAuthentication (config mode, client connections)
    public AuthResult authenticate(ClientAuthentication.Request request) {
        Credentials credentials = request.credentials();
        if (custom != null) {
            ClientAuthentication.Decision decision = custom.check(request);
            if (decision == null || !decision.accepted()) {
                return AuthResult.denied(credentials);
            }
            Permissions permissions = decision.permissions() == null ? null
                    : Permissions.compile(decision.permissions(), sublistCache);
            return AuthResult.custom(credentials, permissions, decision.account());
        }
        String proxyKey = null;
        if (!credentials.proxySignature().isEmpty() && !trustedProxies.isEmpty()) {
            ProxyCheck check = verifyProxy(credentials.proxySignature(), request.nonce());
            if (check.key() == null) {
                return AuthResult.proxyNotTrusted(credentials, check.debugReason());
            }
            proxyKey = check.key();
        }
        return authenticateConfigured(request, proxyKey != null).withProxyKey(proxyKey);
    }

    private record ProxyCheck(String key, String debugReason) {
    }

    /** The trusted proxy whose key verifies {@code signature} of the nonce (auth.go proxyCheck). */
    private ProxyCheck verifyProxy(String signature, byte[] nonce) {
        byte[] sig = rawUrlDecode(signature);
        if (sig == null) {
            return new ProxyCheck(null, "Proxy signature not valid base64");
        }
        if (nonce != null) {
            for (NKey key : trustedProxies) {
                if (key.verify(nonce, sig)) {
                    return new ProxyCheck(key.publicKey(), null);
                }
            }
        }
        return new ProxyCheck(null, "proxy not trusted");
    }

    private AuthResult authenticateConfigured(ClientAuthentication.Request request, boolean trustedProxy) {
        Credentials credentials = request.credentials();
        String connectionType = request.connectionType();
        byte[] nonce = request.nonce();
        if (!authRequired) {
            return AuthResult.allowed(credentials);
        }
        Credentials c = credentials;
        String noAuthUser = options.noAuthUser();
        NkeyEntry nkey = null;
        UserEntry user = null;
        if (!nkeys.isEmpty()) {
            if (!noAuthUser.isEmpty() && c.user().isEmpty() && c.password().isEmpty() && c.token().isEmpty()
                    && c.nkey().isEmpty() && nkeys.containsKey(noAuthUser)) {
                c = c.withNkey(noAuthUser);
            }
            if (!c.nkey().isEmpty()) {
                nkey = nkeys.get(c.nkey());
                if (nkey == null || !typeAllowed(nkey.connectionTypes(), connectionType)) {
                    return AuthResult.denied(c);
                }
            }
        }
        if (!users.isEmpty() && nkey == null && mapCertificates) {
            CertificateMatch match = mapCertificate(request.peerCertificates(), connectionType);
            if (match.user() == null) {
                return AuthResult.denied(c, match.debugReason());
            }
            user = match.user();
            c = c.withMappedUser(user.user().username());
        } else if (!users.isEmpty() && nkey == null) {
            if (!noAuthUser.isEmpty() && c.user().isEmpty() && c.password().isEmpty() && c.token().isEmpty()) {
                UserEntry entry = users.get(noAuthUser);
                if (entry != null) {
                    c = c.withUser(entry.user().username(), entry.user().password());
                }
            }
            if (!c.user().isEmpty()) {
                user = users.get(c.user());
                if (user == null || !typeAllowed(user.connectionTypes(), connectionType)) {
                    return AuthResult.denied(c);
                }
            }
        }
        if (nkey != null) {
            if (nkey.user().proxyRequired() && !trustedProxy) {
                return AuthResult.proxyRequired(c);
            }
            if (!nkey.user().nkey().equals(noAuthUser)) {
                String failure = verifySignature(c.nkey(), c.signature(), nonce);
                if (failure != null) {
                    return AuthResult.denied(c, failure);
                }
            }
            return AuthResult.user(c, nkey.permissions(), nkey.user().account());
        }
        if (user != null) {
            if (user.user().proxyRequired() && !trustedProxy) {
                return AuthResult.proxyRequired(c);
            }
            // A user without a password that verify_and_map on another listener could select is a certificate
            // identity: two empty passwords must not match.
            if (!mapCertificates && user.user().password().isEmpty() && !user.user().username().equals(noAuthUser)
                    && canMapCertificate(user)) {
                return AuthResult.denied(c, "User " + GoQuote.quote(user.user().username())
                        + " requires a client certificate");
            }
            return Passwords.matches(user.user().password(), c.password())
                    ? AuthResult.user(c, user.permissions(), user.user().account()) : AuthResult.denied(c);
        }
        if (options.proxyRequired() && !trustedProxy) {
            return AuthResult.proxyRequired(c);
        }
        if (!options.token().isEmpty()) {
            return Passwords.matches(options.token(), c.token()) ? AuthResult.allowed(c) : AuthResult.denied(c);
        }
        if (!options.username().isEmpty()) {
            boolean ok = options.username().equals(c.user()) && Passwords.matches(options.password(), c.password());
            return ok ? AuthResult.allowed(c) : AuthResult.denied(c);
        }
        return AuthResult.denied(c);
    }

    /** Whether a listener with {@code verify_and_map} could select {@code user} (allowed on its connection type). */
    // nats-server: auth.go canTLSMap (client and WebSocket listeners)
    private boolean canMapCertificate(UserEntry user) {
        return (standardMapsCertificates && typeAllowed(user.connectionTypes(), STANDARD))
                || (webSocketMapsCertificates && typeAllowed(user.connectionTypes(), WEBSOCKET));
    }

    private record CertificateMatch(UserEntry user, String debugReason) {
    }

    /**
     * The user a client certificate names ({@code verify_and_map}): the first of its e-mail, DNS and URI alternative
     * names that is a user allowed on {@code connectionType}, else the user whose name is the subject as a DN (same
     * RDN order first, then any order), else the one named by Go's string form of the subject with its DC
     * components, else without them.
     */
    // nats-server: auth.go checkClientTLSCertSubject and its tlsMapAuthFn in processClientOrLeafAuthentication
    private CertificateMatch mapCertificate(List<X509Certificate> chain, String connectionType) {
        if (chain.isEmpty()) {
            return new CertificateMatch(null, "User required in cert, no peer certificates found");
        }
        X509Certificate cert = chain.get(0);
        for (int type : new int[] {SAN_EMAIL, SAN_DNS, SAN_URI}) {
            for (String name : CertificateIdentity.alternativeNames(cert, type)) {
                UserEntry entry = literalUser(name, connectionType);
                if (entry != null) {
                    return new CertificateMatch(entry, null);
                }
            }
        }
        List<List<CertificateIdentity.Attribute>> subject;
        try {
            subject = CertificateIdentity.subject(cert);
        } catch (IllegalArgumentException e) {
            return new CertificateMatch(null, "User in cert, subject not readable");
        }
        CertificateIdentity.Dn certDn = CertificateIdentity.Dn.fromSubject(subject);
        if (certDn != null) {
            List<UserEntry> reordered = new ArrayList<>();
            List<CertificateIdentity.Dn> reorderedDns = new ArrayList<>();
            for (UserEntry entry : usersInOrder) {
                if (!typeAllowed(entry.connectionTypes(), connectionType)) {
                    continue;
                }
                CertificateIdentity.Dn userDn = CertificateIdentity.Dn.parse(entry.user().username());
                if (userDn == null) {
                    continue;
                }
                if (userDn.sameAs(certDn)) {
                    return new CertificateMatch(entry, null);
                }
                reordered.add(entry);
                reorderedDns.add(userDn);
            }
            for (int i = 0; i < reordered.size(); i++) {
                if (reorderedDns.get(i).sameRdnsInAnyOrder(certDn)) {
                    return new CertificateMatch(reordered.get(i), null);
                }
            }
        }
        String rdn = CertificateIdentity.goSubjectString(subject);
        String dcs = CertificateIdentity.domainComponents(subject);
        if (!dcs.isEmpty()) {
            UserEntry entry = literalUser(rdn + "," + dcs, connectionType);
            if (entry != null) {
                return new CertificateMatch(entry, null);
            }
        }
        UserEntry entry = literalUser(rdn, connectionType);
        if (entry != null) {
            return new CertificateMatch(entry, null);
        }
        return new CertificateMatch(null, "User in cert [" + GoQuote.quote(rdn) + "], not found");
    }

    /** The user named {@code name} if it may use {@code connectionType}, else null. */
    private UserEntry literalUser(String name, String connectionType) {
        if (name.isEmpty()) {
            return null;
        }
        UserEntry entry = users.get(name);
        return entry != null && typeAllowed(entry.connectionTypes(), connectionType) ? entry : null;
    }

    /** Go's {@code base64.RawURLEncoding} only (a proxy signature has no fallback); null when invalid. */
    private static byte[] rawUrlDecode(String signature) {
        String s = signature.replace("\r", "").replace("\n", "");     // Go's decoders skip CR and LF
        if (s.length() % 4 == 1 || !onlyChars(s, true)) {
            return null;
        }
        return RAW_URL.decode(s);
    }

    /** Null when {@code signature} is {@code nkey}'s signature of {@code nonce}, else the debug reason. */
    private static String verifySignature(String nkey, String signature, byte[] nonce) {
        if (signature.isEmpty()) {
            return "Signature missing";
        }
        byte[] sig = decodeSignature(signature);
        if (sig == null) {
            return "Signature not valid base64";
        }
        NKey key;
        try {
            key = NKey.fromPublicKey(nkey);
        } catch (IllegalArgumentException e) {
            return "User nkey not valid: " + e.getMessage();
        }
        if (nonce == null || !key.verify(nonce, sig)) {
            return "Signature not verified";
        }
        return null;
    }

    /**
     * Go's {@code base64.RawURLEncoding} (no padding), falling back to {@code base64.StdEncoding} (padded); Go's
     * decoders skip CR and LF. Null when neither decodes.
     */
    static byte[] decodeSignature(String signature) {
        String s = signature.indexOf('\r') < 0 && signature.indexOf('\n') < 0 ? signature
                : signature.replace("\r", "").replace("\n", "");
        if (s.indexOf('=') < 0 && s.length() % 4 != 1 && onlyChars(s, true)) {
            return RAW_URL.decode(s);
        }
        if (s.length() % 4 == 0 && onlyChars(s, false)) {
            try {
                return STD.decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean onlyChars(String s, boolean url) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || (url ? ch == '-' || ch == '_' : ch == '+' || ch == '/' || ch == '=');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // nats-server: client.go connectionTypeAllowed
    private static boolean typeAllowed(Set<String> allowed, String connectionType) {
        return allowed.isEmpty() || allowed.contains(connectionType);
    }

    /** The bytes of {@code nonce} as a client signs them: its ASCII text. */
    public static byte[] nonceBytes(String nonce) {
        return nonce == null ? null : nonce.getBytes(StandardCharsets.US_ASCII);
    }
}
