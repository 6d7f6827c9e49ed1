package io.jnatsd.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How clients authenticate and what they may publish and subscribe to, in config mode: the top-level
 * {@code authorization} block, {@code no_auth_user}, and the {@code --user}, {@code --pass}, {@code --auth} flags
 * (nats-server's {@code Options} fields {@code Username}, {@code Password}, {@code Authorization}, {@code Users},
 * {@code Nkeys}, {@code NoAuthUser}, {@code ProxyRequired}; {@code server/opts.go parseAuthorization}). The auth
 * timeout stays {@link ServerOptions#authTimeout()}, as nats-server keeps it in {@code Options.AuthTimeout}.
 * <p>
 * Strings are never null: empty means "not set". {@code defaultPermissions} apply to users and nkey users that have
 * none of their own. A user's password and the token may be bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2x$},
 * {@code $2y$}). {@link #toString()} never shows passwords or tokens.
 * <p>
 * Immutable and thread-safe.
 *
 * @param username           the single user's name
 * @param password           the single user's password
 * @param token              the token ({@code authorization.token}, {@code --auth})
 * @param proxyRequired      whether the single user or token must come through a trusted proxy
 * @param users              the users of the {@code users} array that have a name
 * @param nkeys              the users of the {@code users} array that have an nkey
 * @param noAuthUser         the user (name or nkey) a client without credentials becomes
 * @param defaultPermissions permissions of users that have none of their own, or null
 * @param trustedProxies     public nkeys of the trusted proxies ({@code proxies { trusted: [{key: ...}] }}), in
 *                           file order; a client whose CONNECT {@code proxy_sig} one of them verifies came through
 *                           a trusted proxy
 */
public record AuthOptions(
        String username,
        String password,
        String token,
        boolean proxyRequired,
        List<User> users,
        List<NkeyUser> nkeys,
        String noAuthUser,
        Permissions defaultPermissions,
        List<String> trustedProxies) {

    /** No authentication at all. */
    public static final AuthOptions NONE = new AuthOptions("", "", "", false, List.of(), List.of(), "", null,
            List.of());

    /** {@code allow_responses: true}: one response per request (nats-server DEFAULT_ALLOW_RESPONSE_MAX_MSGS). */
    public static final int DEFAULT_ALLOW_RESPONSE_MAX_MESSAGES = 1;
    /** {@code allow_responses: true}: within two minutes (nats-server DEFAULT_ALLOW_RESPONSE_EXPIRATION). */
    public static final Duration DEFAULT_ALLOW_RESPONSE_EXPIRATION = Duration.ofMinutes(2);

    /** The connection types a user may be limited to ({@code allowed_connection_types}), upper case. */
    public static final Set<String> CONNECTION_TYPES = Set.of("STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS",
            "MQTT", "MQTT_WS", "IN_PROCESS");

    public AuthOptions {
        username = Objects.requireNonNullElse(username, "");
        password = Objects.requireNonNullElse(password, "");
        token = Objects.requireNonNullElse(token, "");
        users = users == null ? List.of() : List.copyOf(users);
        nkeys = nkeys == null ? List.of() : List.copyOf(nkeys);
        noAuthUser = Objects.requireNonNullElse(noAuthUser, "");
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** Options without trusted proxies. */
    public AuthOptions(String username, String password, String token, boolean proxyRequired, List<User> users,
                       List<NkeyUser> nkeys, String noAuthUser, Permissions defaultPermissions) {
        this(username, password, token, proxyRequired, users, nkeys, noAuthUser, defaultPermissions, List.of());
    }

    /** A copy with the trusted proxies' public keys. */
    public AuthOptions withTrustedProxies(List<String> keys) {
        return new AuthOptions(username, password, token, proxyRequired, users, nkeys, noAuthUser, defaultPermissions,
                keys);
    }

    /** A builder-style copy with {@code username}. */
    public AuthOptions withUsername(String value) {
        return new AuthOptions(value, password, token, proxyRequired, users, nkeys, noAuthUser, defaultPermissions,
                trustedProxies);
    }

    /** A copy with {@code password}. */
    public AuthOptions withPassword(String value) {
        return new AuthOptions(username, value, token, proxyRequired, users, nkeys, noAuthUser, defaultPermissions,
                trustedProxies);
    }

    /** A copy with {@code token}. */
    public AuthOptions withToken(String value) {
        return new AuthOptions(username, password, value, proxyRequired, users, nkeys, noAuthUser,
                defaultPermissions, trustedProxies);
    }

    /** A copy with {@code users} and {@code nkeys}. */
    public AuthOptions withUsers(List<User> userList, List<NkeyUser> nkeyList) {
        return new AuthOptions(username, password, token, proxyRequired, userList, nkeyList, noAuthUser,
                defaultPermissions, trustedProxies);
    }

    /** A copy with {@code no_auth_user}. */
    public AuthOptions withNoAuthUser(String value) {
        return new AuthOptions(username, password, token, proxyRequired, users, nkeys, value, defaultPermissions,
                trustedProxies);
    }

    /** A copy with {@code default_permissions}. */
    public AuthOptions withDefaultPermissions(Permissions value) {
        return new AuthOptions(username, password, token, proxyRequired, users, nkeys, noAuthUser, value,
                trustedProxies);
    }

    /** A copy with the top-level {@code proxy_required}. */
    public AuthOptions withProxyRequired(boolean value) {
        return new AuthOptions(username, password, token, value, users, nkeys, noAuthUser, defaultPermissions,
                trustedProxies);
    }

    /** Whether any client credential is configured (nats-server then sets INFO {@code auth_required}). */
    // nats-server: auth.go configureAuthorization
    public boolean isAuthRequired() {
        return !users.isEmpty() || !nkeys.isEmpty() || !username.isEmpty() || !token.isEmpty();
    }

    @Override
    public String toString() {
        return "AuthOptions[username=" + username + ", password=" + redacted(password) + ", token="
                + redacted(token) + ", proxyRequired=" + proxyRequired + ", users=" + users + ", nkeys=" + nkeys
                + ", noAuthUser=" + noAuthUser + ", defaultPermissions=" + defaultPermissions + ", trustedProxies="
                + trustedProxies + "]";
    }

    static String redacted(String secret) {
        return secret.isEmpty() ? "" : "[REDACTED]";
    }

    /**
     * One entry of the {@code users} array with a name ({@code server/auth.go User}).
     *
     * @param username               the name
     * @param password               plain text or a bcrypt hash; empty for none
     * @param permissions            its own permissions, or null (then the default permissions apply)
     * @param allowedConnectionTypes connection types it may use (any case); empty allows every type
     * @param proxyRequired          whether it must come through a trusted proxy
     * @param account                the account it binds to (defined in {@code accounts}); empty for the global
     *                               account {@code $G}
     */
    public record User(String username, String password, Permissions permissions,
                       Set<String> allowedConnectionTypes, boolean proxyRequired, String account) {

        public User {
            username = Objects.requireNonNullElse(username, "");
            password = Objects.requireNonNullElse(password, "");
            allowedConnectionTypes = copyOf(allowedConnectionTypes);
            account = Objects.requireNonNullElse(account, "");
        }

        /** A user of the global account. */
        public User(String username, String password, Permissions permissions, Set<String> allowedConnectionTypes,
                    boolean proxyRequired) {
            this(username, password, permissions, allowedConnectionTypes, proxyRequired, "");
        }

        /** A copy bound to {@code value} (empty: the global account). */
        public User withAccount(String value) {
            return new User(username, password, permissions, allowedConnectionTypes, proxyRequired, value);
        }

        /** A copy with {@code value} as its permissions. */
        public User withPermissions(Permissions value) {
            return new User(username, password, value, allowedConnectionTypes, proxyRequired, account);
        }

        /** A user with a password and nothing else. */
        public static User of(String username, String password) {
            return new User(username, password, null, Set.of(), false);
        }

        /** A user with a password and permissions. */
        public static User of(String username, String password, Permissions permissions) {
            return new User(username, password, permissions, Set.of(), false);
        }

        @Override
        public String toString() {
            return "User[username=" + username + ", password=" + redacted(password) + ", permissions=" + permissions
                    + ", allowedConnectionTypes=" + allowedConnectionTypes + ", proxyRequired=" + proxyRequired
                    + ", account=" + account + "]";
        }
    }

    /**
     * One entry of the {@code users} array with an nkey ({@code server/auth.go NkeyUser}).
     *
     * @param nkey                   the public user nkey ({@code U...})
     * @param permissions            its own permissions, or null
     * @param allowedConnectionTypes connection types it may use (any case); empty allows every type
     * @param proxyRequired          whether it must come through a trusted proxy
     * @param account                the account it binds to; empty for the global account {@code $G}
     */
    public record NkeyUser(String nkey, Permissions permissions, Set<String> allowedConnectionTypes,
                           boolean proxyRequired, String account) {

        public NkeyUser {
            nkey = Objects.requireNonNullElse(nkey, "");
            allowedConnectionTypes = copyOf(allowedConnectionTypes);
            account = Objects.requireNonNullElse(account, "");
        }

        /** An nkey user of the global account. */
        public NkeyUser(String nkey, Permissions permissions, Set<String> allowedConnectionTypes,
                        boolean proxyRequired) {
            this(nkey, permissions, allowedConnectionTypes, proxyRequired, "");
        }

        /** A copy bound to {@code value} (empty: the global account). */
        public NkeyUser withAccount(String value) {
            return new NkeyUser(nkey, permissions, allowedConnectionTypes, proxyRequired, value);
        }

        /** A copy with {@code value} as its permissions. */
        public NkeyUser withPermissions(Permissions value) {
            return new NkeyUser(nkey, value, allowedConnectionTypes, proxyRequired, account);
        }

        /** An nkey user with permissions (null for none). */
        public static NkeyUser of(String nkey, Permissions permissions) {
            return new NkeyUser(nkey, permissions, Set.of(), false);
        }
    }

    /**
     * Publish and subscribe permissions and response permissions ({@code server/auth.go Permissions}). A null
     * part places no restriction.
     *
     * @param publish   allow/deny for PUB and HPUB, or null
     * @param subscribe allow/deny for SUB (entries may be {@code "<subject> <queue>"}), or null
     * @param response  {@code allow_responses}, or null
     */
    public record Permissions(SubjectPermission publish, SubjectPermission subscribe, ResponsePermission response) {

        /** Only publish permissions. */
        public static Permissions publish(SubjectPermission publish) {
            return new Permissions(publish, null, null);
        }

        /** Only subscribe permissions. */
        public static Permissions subscribe(SubjectPermission subscribe) {
            return new Permissions(null, subscribe, null);
        }
    }

    /**
     * Allowed and denied subjects ({@code server/auth.go SubjectPermission}). A null list is "not set": no allow
     * list allows everything, while an empty allow list allows nothing.
     *
     * @param allow the allowed subject patterns, or null
     * @param deny  the denied subject patterns, or null
     */
    public record SubjectPermission(List<String> allow, List<String> deny) {

        public SubjectPermission {
            allow = allow == null ? null : List.copyOf(allow);
            deny = deny == null ? null : List.copyOf(deny);
        }

        /** Only an allow list. */
        public static SubjectPermission allow(String... subjects) {
            return new SubjectPermission(List.of(subjects), null);
        }

        /** Only a deny list. */
        public static SubjectPermission deny(String... subjects) {
            return new SubjectPermission(null, List.of(subjects));
        }
    }

    /**
     * {@code allow_responses}: a client may publish to the reply subject of each request it received, at most
     * {@code maxMessages} times (negative: unlimited) within {@code expires} (negative: forever)
     * ({@code server/auth.go ResponsePermission}).
     *
     * @param maxMessages responses allowed per request
     * @param expires     how long after delivery of the request
     */
    public record ResponsePermission(int maxMessages, Duration expires) {

        public ResponsePermission {
            Objects.requireNonNull(expires, "expires");
        }

        /** {@code allow_responses: true}. */
        public static ResponsePermission defaults() {
            return new ResponsePermission(DEFAULT_ALLOW_RESPONSE_MAX_MESSAGES, DEFAULT_ALLOW_RESPONSE_EXPIRATION);
        }
    }

    private static Set<String> copyOf(Set<String> types) {
        return types == null ? Set.of() : Set.copyOf(types);
    }
}
