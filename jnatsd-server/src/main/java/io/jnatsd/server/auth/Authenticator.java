package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.nkeys.NKey;

import java.nio.charset.StandardCharsets;
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
 *   <li>nothing configured: everyone is in, credentials are ignored;</li>
 *   <li>nkey users: a client without any credentials becomes the {@code no_auth_user} if that is an nkey user (no
 *       signature needed); a CONNECT {@code nkey} must be one of them and allowed on this connection type, or the
 *       client fails (the users list is not tried);</li>
 *   <li>users: a client without user, password or token becomes the {@code no_auth_user} (its configured name and
 *       password are copied, so a bcrypt password can never match); the named user must exist and be allowed on
 *       this connection type;</li>
 *   <li>the matched nkey user must have signed the INFO nonce (unless it is the {@code no_auth_user}); the matched
 *       user's password must match; either may require a trusted proxy, which jnatsd does not have, so such users
 *       always fail with "Proxy Required";</li>
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

    private static final Base64.Decoder RAW_URL = Base64.getUrlDecoder();
    private static final Base64.Decoder STD = Base64.getDecoder();

    private final AuthOptions options;
    private final boolean authRequired;
    private final Map<String, UserEntry> users;
    private final Map<String, NkeyEntry> nkeys;

    private record UserEntry(AuthOptions.User user, Permissions permissions, Set<String> connectionTypes) {
    }

    private record NkeyEntry(AuthOptions.NkeyUser user, Permissions permissions, Set<String> connectionTypes) {
    }

    private Authenticator(AuthOptions options, boolean sublistCache) {
        this.options = options;
        this.authRequired = options.isAuthRequired();
        Map<AuthOptions.Permissions, Permissions> compiled = new IdentityHashMap<>();
        Map<String, UserEntry> userMap = new HashMap<>();
        for (AuthOptions.User u : options.users()) {
            AuthOptions.Permissions p = u.permissions() != null ? u.permissions() : options.defaultPermissions();
            userMap.put(u.username(), new UserEntry(u, compile(compiled, p, sublistCache),
                    upperCase(u.allowedConnectionTypes())));
        }
        Map<String, NkeyEntry> nkeyMap = new HashMap<>();
        for (AuthOptions.NkeyUser u : options.nkeys()) {
            AuthOptions.Permissions p = u.permissions() != null ? u.permissions() : options.defaultPermissions();
            nkeyMap.put(u.nkey(), new NkeyEntry(u, compile(compiled, p, sublistCache),
                    upperCase(u.allowedConnectionTypes())));
        }
        this.users = Map.copyOf(userMap);
        this.nkeys = Map.copyOf(nkeyMap);
    }

    /** The authenticator for {@code options} (its {@link ServerOptions#authorization()}). */
    public static Authenticator of(ServerOptions options) {
        return new Authenticator(options.authorization(), !options.disableSublistCache());
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
     * without credentials (server.go createClientEx).
     */
    public boolean infoAuthRequired() {
        return authRequired && options.noAuthUser().isEmpty();
    }

    /** Whether INFO carries a nonce for nkey signatures (nkey.go nonceRequired, config mode). */
    public boolean nonceRequired() {
        return !nkeys.isEmpty();
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

    /** nats-server's startup warning when a password is kept in plain text (auth.go checkAuthforWarnings). */
    public List<String> warnings() {
        boolean plain = !options.password().isEmpty() && !Passwords.isBcrypt(options.password());
        for (UserEntry entry : users.values()) {
            if (!Passwords.isBcrypt(entry.user().password())) {
                plain = true;
                break;
            }
        }
        return plain ? List.of("Plaintext passwords detected, use nkeys or bcrypt") : List.of();
    }

    /**
     * Checks {@code credentials} of a client on {@code connectionType} that was sent {@code nonce} in its INFO
     * (null when none was sent).
     */
    // nats-server: auth.go processClientOrLeafAuthentication (config mode, client connections)
    public AuthResult authenticate(Credentials credentials, byte[] nonce, String connectionType) {
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
        if (!users.isEmpty() && nkey == null) {
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
            if (nkey.user().proxyRequired()) {
                return AuthResult.proxyRequired(c);
            }
            if (!nkey.user().nkey().equals(noAuthUser)) {
                String failure = verifySignature(c.nkey(), c.signature(), nonce);
                if (failure != null) {
                    return AuthResult.denied(c, failure);
                }
            }
            return AuthResult.user(c, nkey.permissions());
        }
        if (user != null) {
            if (user.user().proxyRequired()) {
                return AuthResult.proxyRequired(c);
            }
            return Passwords.matches(user.user().password(), c.password()) ? AuthResult.user(c, user.permissions())
                    : AuthResult.denied(c);
        }
        if (options.proxyRequired()) {
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
