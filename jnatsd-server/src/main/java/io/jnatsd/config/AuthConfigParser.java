package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AuthOptions.NkeyUser;
import io.jnatsd.config.AuthOptions.Permissions;
import io.jnatsd.config.AuthOptions.ResponsePermission;
import io.jnatsd.config.AuthOptions.SubjectPermission;
import io.jnatsd.config.AuthOptions.User;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.subject.Subjects;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the top-level {@code authorization} block of a config file into {@link AuthOptions} (and the auth timeout),
 * with nats-server's keys, aliases, checks and error texts ({@code server/opts.go parseAuthorization},
 * {@code parseUsers}, {@code parseUserPermissions}, {@code parseVariablePermissions}, {@code parseAllowResponses},
 * {@code checkPermSubjectArray}, and the {@code authorization} case of {@code processConfigFileLine}).
 * <p>
 * Errors and warnings are appended to the caller's lists as {@code <file>:<line>:<col>: <reason>}. A value of the
 * wrong type throws {@link ConfigLoader.TypeMismatch}, as Go's failed type assertion panics. Go walks maps in
 * random order; this parser walks them in file order. Single-threaded: one instance per loaded document.
 */
final class AuthConfigParser {

    /** Above this, the timeout gets nats-server's "possibly caused by unquoted duration" warning. */
    private static final double TIMEOUT_WARNING_SECONDS = 60;

    private final ConfDocument document;
    private final List<String> errors;
    private final List<String> warnings;

    AuthConfigParser(ConfDocument document, List<String> errors, List<String> warnings) {
        this.document = document;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Thrown to abandon the block after a problem Go returns as the parse function's error. */
    private static final class Abandon extends RuntimeException {
        Abandon(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Applies {@code authorization { ... }} to {@code builder}: single user, token, timeout, users, nkey users,
     * default permissions and {@code proxy_required}.
     */
    // nats-server: opts.go processConfigFileLine case "authorization", parseAuthorization
    void applyAuthorization(ConfValue block, ServerOptions.Builder builder) {
        Map<String, ConfValue> map = ConfigLoader.map(block);
        String user = "";
        String pass = "";
        String token = "";
        boolean proxyRequired = false;
        List<User> users = null;
        List<NkeyUser> nkeys = null;
        Permissions defaults = null;
        Double timeoutSeconds = null;
        AuthCalloutOptions callout = null;
        for (Map.Entry<String, ConfValue> entry : map.entrySet()) {
            String key = entry.getKey();
            ConfValue value = entry.getValue();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "user", "username" -> user = ConfigLoader.string(value);
                case "pass", "password" -> pass = ConfigLoader.string(value);
                case "token" -> token = ConfigLoader.string(value);
                case "timeout" -> {
                    timeoutSeconds = timeout(value);
                    if (timeoutSeconds == null) {
                        return;
                    }
                }
                case "users" -> {
                    try {
                        UsersResult parsed = users(value);
                        users = parsed.users();
                        nkeys = parsed.nkeys();
                    } catch (Abandon e) {
                        errors.add(e.getMessage());
                    }
                }
                case "default_permission", "default_permissions", "permissions" -> {
                    try {
                        defaults = permissions(value);
                    } catch (Abandon e) {
                        errors.add(e.getMessage());
                    }
                }
                case "auth_callout", "auth_hook" -> callout = authCallout(value);
                case "proxy_required" -> proxyRequired = ConfigLoader.bool(value);
                default -> unknownField(key, value);
            }
        }
        AuthOptions auth = builder.authorization().withUsername(user).withPassword(pass).withToken(token)
                .withProxyRequired(proxyRequired).withDefaultPermissions(defaults);
        if (timeoutSeconds != null) {
            builder.authTimeout(Duration.ofNanos(Math.round(timeoutSeconds * 1e9)));
        }
        builder.authorization(auth);
        builder.authorizationBlock(true);
        builder.authCallout(callout);
        if ((!user.isEmpty() || !pass.isEmpty()) && !token.isEmpty()) {
            errors.add(block.position() + ": Cannot have a user/pass and token");
            return;
        }
        // Users of accounts parsed before this block count too (nats-server: setupUsersAndNKeysDuplicateCheckMap).
        Set<String> names = new HashSet<>();
        auth.users().forEach(u -> names.add(u.username()));
        auth.nkeys().forEach(u -> names.add(u.nkey()));
        List<User> allUsers = new ArrayList<>(auth.users());
        List<NkeyUser> allNkeys = new ArrayList<>(auth.nkeys());
        if (users != null || !names.isEmpty()) {
            if (!user.isEmpty()) {
                errors.add(block.position() + ": Can not have a single user/pass and a users array");
                return;
            }
            if (!token.isEmpty()) {
                errors.add(block.position() + ": Can not have a token and a users array");
                return;
            }
            for (User u : users == null ? List.<User>of() : users) {
                if (!names.add(u.username())) {
                    errors.add(block.position() + ": Duplicate user " + GoQuote.quote(u.username()) + " detected");
                    return;
                }
                allUsers.add(u);
            }
        }
        for (NkeyUser u : nkeys == null ? List.<NkeyUser>of() : nkeys) {
            if (!names.add(u.nkey())) {
                errors.add(block.position() + ": Duplicate nkey " + GoQuote.quote(u.nkey()) + " detected");
                return;
            }
            allNkeys.add(u);
        }
        if (users != null) {
            builder.authorization(auth.withUsers(allUsers, allNkeys));
        }
    }

    /**
     * Applies {@code proxies { trusted: [ {key: "<public nkey>"}, ... ] }}: the public keys of the trusted proxies.
     * An entry without a key is kept (the validation refuses it), as nats-server does.
     */
    // nats-server: opts.go parseProxies, parseProxiesTrusted
    void applyProxies(ConfValue block, ServerOptions.Builder builder) {
        if (!(block.value() instanceof Map<?, ?>)) {
            errors.add(block.position() + ": expected proxies to be a map/struct, got "
                    + ConfigLoader.goType(block.value()));
            return;
        }
        List<String> keys = null;
        for (Map.Entry<String, ConfValue> entry : ConfigLoader.map(block).entrySet()) {
            ConfValue value = entry.getValue();
            if (!entry.getKey().equalsIgnoreCase("trusted")) {
                unknownField(entry.getKey(), value);
                continue;
            }
            if (!(value.value() instanceof List<?> list)) {
                errors.add(value.position() + ": expected proxies' trusted field to be an array, got "
                        + ConfigLoader.goType(value.value()));
                continue;
            }
            keys = new ArrayList<>();
            for (Object element : list) {
                ConfValue item = (ConfValue) element;
                if (!(item.value() instanceof Map<?, ?>)) {
                    errors.add(item.position() + ": expected proxies' trusted entry to be a map/struct, got "
                            + ConfigLoader.goType(item.value()));
                    continue;
                }
                String key = "";
                for (Map.Entry<String, ConfValue> field : ConfigLoader.map(item).entrySet()) {
                    ConfValue v = field.getValue();
                    switch (field.getKey().toLowerCase(Locale.ROOT)) {
                        case "key", "public_key" -> {
                            key = ConfigLoader.string(v);
                            if (!NKey.isValidPublicKey(key)) {
                                errors.add(v.position() + ": invalid proxy key " + GoQuote.quote(key));
                            }
                        }
                        default -> unknownField(field.getKey(), v);
                    }
                }
                keys.add(key);
            }
        }
        if (keys != null) {
            builder.authorization(builder.authorization().withTrustedProxies(keys));
        }
    }

    /**
     * Parses {@code auth_callout { issuer, account|acc, auth_users|users, xkey|key, allowed_accounts }}; null after
     * recording the error that drops it. A value of the wrong type is recorded where it is (Go recovers the panic
     * inside the callout parser, so the rest of the authorization block still applies).
     */
    // nats-server: opts.go parseAuthCallout
    private AuthCalloutOptions authCallout(ConfValue block) {
        try {
            return parseAuthCallout(block);
        } catch (Abandon e) {
            errors.add(e.getMessage());
        } catch (ConfigLoader.TypeMismatch e) {
            errors.add(e.at.position() + ": " + e.getMessage());
        }
        return null;
    }

    private AuthCalloutOptions parseAuthCallout(ConfValue block) {
        if (!(block.value() instanceof Map<?, ?>)) {
            throw new Abandon(block.position() + ": Expected authorization callout to be a map/struct, got "
                    + goValue(block.value()));
        }
        String issuer = "";
        String account = "";
        List<String> authUsers = new ArrayList<>();
        String xkey = "";
        List<String> allowedAccounts = new ArrayList<>();
        ConfValue last = block;
        for (Map.Entry<String, ConfValue> field : ConfigLoader.map(block).entrySet()) {
            ConfValue v = field.getValue();
            last = v;
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "issuer" -> {
                    issuer = ConfigLoader.string(v);
                    if (!NKey.isValidPublicKey(issuer, NKeyType.ACCOUNT)) {
                        throw new Abandon(v.position() + ": Expected callout user to be a valid public account nkey, "
                                + "got " + GoQuote.quote(issuer));
                    }
                }
                case "account", "acc" -> account = ConfigLoader.string(v);
                case "auth_users", "users" -> {
                    if (!(v.value() instanceof List<?>)) {
                        // Go prints %T of the config token wrapper, not of the value it holds
                        throw new Abandon(v.position() + ": Expected auth_users field to be an array, got "
                                + CONF_TOKEN_TYPE);
                    }
                    for (ConfValue item : ConfigLoader.list(v)) {
                        authUsers.add(ConfigLoader.string(item));
                    }
                }
                case "xkey", "key" -> {
                    xkey = ConfigLoader.string(v);
                    if (!NKey.isValidPublicKey(xkey, NKeyType.CURVE)) {
                        throw new Abandon(v.position() + ": Expected callout xkey to be a valid public xkey, got "
                                + GoQuote.quote(xkey));
                    }
                }
                case "allowed_accounts" -> {
                    if (!(v.value() instanceof List<?>)) {
                        throw new Abandon(v.position() + ": Expected allowed accounts field to be an array, got "
                                + CONF_TOKEN_TYPE);
                    }
                    for (ConfValue item : ConfigLoader.list(v)) {
                        allowedAccounts.add(ConfigLoader.string(item));
                    }
                }
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        errors.add(v.position() + ": Unknown field " + GoQuote.quote(field.getKey())
                                + " parsing authorization callout");
                    }
                }
            }
        }
        if (issuer.isEmpty()) {
            throw new Abandon(last.position() + ": Authorization callouts require an issuer to be specified");
        }
        if (authUsers.isEmpty()) {
            throw new Abandon(last.position() + ": Authorization callouts require authorized users to be specified");
        }
        return new AuthCalloutOptions(issuer, account, authUsers, xkey, allowedAccounts);
    }

    /** Go's {@code %T} of a parsed config value: nats-server's conf package wraps each in a token. */
    private static final String CONF_TOKEN_TYPE = "*conf.token";

    /** Seconds from an integer, a float or a duration string; null after recording the error. */
    private Double timeout(ConfValue value) {
        double seconds;
        String shown;
        switch (value.value()) {
            case Long n -> {
                seconds = n;
                shown = n.toString();
            }
            case Double d -> {
                seconds = d;
                shown = goFloat(d);
            }
            case String s -> {
                try {
                    Duration d = GoDuration.parse(s);
                    seconds = d.toNanos() / 1e9;
                } catch (IllegalArgumentException e) {
                    errors.add(value.position() + ": error parsing authorization config, 'timeout' "
                            + e.getMessage());
                    return null;
                }
                shown = s;
            }
            default -> {
                errors.add(value.position() + ": error parsing authorization config, 'timeout' wrong type");
                return null;
            }
        }
        if (seconds > TIMEOUT_WARNING_SECONDS) {
            warnings.add(value.position() + ": invalid use of field \"timeout\": timeout of " + shown + " ("
                    + String.format(Locale.ROOT, "%f", seconds) + " seconds) is high, consider keeping it under 60 "
                    + "seconds. possibly caused by unquoted duration; use '1m' instead of 1m, for example");
        }
        return seconds;
    }

    /** The users and nkey users of a {@code users} array. */
    record UsersResult(List<User> users, List<NkeyUser> nkeys) {
    }

    /**
     * Parses a {@code users} array (of the authorization block or of an account); null after recording the
     * error that abandons it.
     */
    UsersResult parseUsers(ConfValue value) {
        try {
            return users(value);
        } catch (Abandon e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    /** Parses a permissions map; null after recording the error that abandons it. */
    Permissions parsePermissions(ConfValue value) {
        try {
            return permissions(value);
        } catch (Abandon e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    // nats-server: opts.go parseUsers
    private UsersResult users(ConfValue value) {
        if (!(value.value() instanceof List<?> list)) {
            throw new Abandon(value.position() + ": Expected users field to be an array, got "
                    + goValue(value.value()));
        }
        List<User> users = new ArrayList<>();
        List<NkeyUser> nkeys = new ArrayList<>();
        for (Object element : list) {
            ConfValue entry = (ConfValue) element;
            if (!(entry.value() instanceof Map<?, ?>)) {
                errors.add(entry.position() + ": Expected user entry to be a map/struct, got "
                        + goValue(entry.value()));
                continue;
            }
            String nkey = "";
            String username = "";
            String password = "";
            Permissions permissions = null;
            Set<String> connectionTypes = Set.of();
            boolean proxyRequired = false;
            ConfValue last = entry;
            for (Map.Entry<String, ConfValue> field : ConfigLoader.map(entry).entrySet()) {
                ConfValue v = field.getValue();
                last = v;
                switch (field.getKey().toLowerCase(Locale.ROOT)) {
                    case "nkey" -> nkey = ConfigLoader.string(v);
                    case "user", "username" -> username = ConfigLoader.string(v);
                    case "pass", "password" -> password = ConfigLoader.string(v);
                    case "permission", "permissions", "authorization" -> {
                        try {
                            permissions = permissions(v);
                        } catch (Abandon e) {
                            errors.add(e.getMessage());
                        }
                    }
                    case "allowed_connection_types", "connection_types", "clients" ->
                            connectionTypes = connectionTypes(v);
                    case "proxy_required" -> proxyRequired = ConfigLoader.bool(v);
                    default -> unknownField(field.getKey(), v);
                }
            }
            if (nkey.isEmpty() && username.isEmpty()) {
                throw new Abandon(last.position() + ": User entry requires a user");
            }
            if (!nkey.isEmpty()) {
                if (!NKey.isValidPublicKey(nkey, NKeyType.USER)) {
                    throw new Abandon(last.position() + ": Not a valid public nkey for a user");
                }
                if (!username.isEmpty() || !password.isEmpty()) {
                    throw new Abandon(last.position() + ": Nkey users do not take usernames or passwords");
                }
                nkeys.add(new NkeyUser(nkey, permissions, connectionTypes, proxyRequired));
            } else {
                users.add(new User(username, password, permissions, connectionTypes, proxyRequired));
            }
        }
        return new UsersResult(users, nkeys);
    }

    // nats-server: opts.go parseAllowedConnectionTypes, parseStringArray, client.go convertAllowedConnectionTypes
    private Set<String> connectionTypes(ConfValue value) {
        List<String> names = new ArrayList<>();
        switch (value.value()) {
            case String s -> names.add(s);
            case List<?> list -> {
                for (Object element : list) {
                    ConfValue item = (ConfValue) element;
                    if (item.value() instanceof String s) {
                        names.add(s);
                    } else {
                        errors.add(item.position() + ": error parsing allowed connection types: unsupported type "
                                + "in array " + ConfigLoader.goType(item.value()));
                    }
                }
            }
            default -> {
                errors.add(value.position() + ": error parsing allowed connection types: unsupported type "
                        + ConfigLoader.goType(value.value()));
                return Set.of();
            }
        }
        Set<String> valid = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (AuthOptions.CONNECTION_TYPES.contains(upper)) {
                valid.add(upper);
            } else {
                unknown.add(GoQuote.quote(upper));
            }
        }
        if (!unknown.isEmpty()) {
            errors.add(value.position() + ": invalid connection types [" + String.join(" ", unknown) + "]");
        }
        return valid;
    }

    /** A permissions map: pub/sub allow and deny, and allow_responses. */
    // nats-server: opts.go parseUserPermissions
    Permissions permissions(ConfValue value) {
        if (!(value.value() instanceof Map<?, ?>)) {
            throw new Abandon(value.position() + ": Expected permissions to be a map/struct, got "
                    + goValue(value.value()));
        }
        SubjectPermission publish = null;
        SubjectPermission subscribe = null;
        ResponsePermission response = null;
        for (Map.Entry<String, ConfValue> entry : ConfigLoader.map(value).entrySet()) {
            ConfValue v = entry.getValue();
            switch (entry.getKey().toLowerCase(Locale.ROOT)) {
                case "pub", "publish", "import" -> {
                    try {
                        publish = subjectPermission(v, false);
                    } catch (Abandon e) {
                        errors.add(e.getMessage());
                    }
                }
                case "sub", "subscribe", "export" -> {
                    try {
                        subscribe = subjectPermission(v, true);
                    } catch (Abandon e) {
                        errors.add(e.getMessage());
                    }
                }
                case "publish_allow_responses", "allow_responses" -> {
                    if (v.value() instanceof Boolean on) {
                        response = on ? ResponsePermission.defaults() : null;
                    } else {
                        response = allowResponses(v);
                    }
                }
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        errors.add(v.position() + ": Unknown field " + GoQuote.quote(entry.getKey())
                                + " parsing permissions");
                    }
                }
            }
        }
        return new Permissions(publish, subscribe, response);
    }

    // nats-server: opts.go parseVariablePermissions, parseSubjectPermission, parseOldPermissionStyle
    private SubjectPermission subjectPermission(ConfValue value, boolean allowQueue) {
        if (value.value() instanceof Map<?, ?>) {
            Map<String, ConfValue> map = ConfigLoader.map(value);
            if (map.isEmpty()) {
                return null;
            }
            List<String> allow = null;
            List<String> deny = null;
            for (Map.Entry<String, ConfValue> entry : map.entrySet()) {
                ConfValue v = entry.getValue();
                switch (entry.getKey().toLowerCase(Locale.ROOT)) {
                    case "allow" -> {
                        try {
                            allow = subjects(v, v.position() + ": ", allowQueue);
                        } catch (Abandon e) {
                            errors.add(e.getMessage());
                        }
                    }
                    case "deny" -> {
                        try {
                            deny = subjects(v, v.position() + ": ", allowQueue);
                        } catch (Abandon e) {
                            errors.add(e.getMessage());
                        }
                    }
                    default -> {
                        if (!document.isUsedAsVariable(v)) {
                            errors.add(v.position() + ": Unknown field name " + GoQuote.quote(entry.getKey())
                                    + " parsing subject permissions, only 'allow' or 'deny' are permitted");
                        }
                    }
                }
            }
            return new SubjectPermission(allow, deny);
        }
        // Old style: a subject or a list of subjects to allow. nats-server has lost the value's position here, so
        // these errors carry none.
        return new SubjectPermission(subjects(value, "", allowQueue), null);
    }

    // nats-server: opts.go parsePermSubjects, checkPermSubjectArray
    private static List<String> subjects(ConfValue value, String position, boolean allowQueue) {
        List<String> subjects = new ArrayList<>();
        switch (value.value()) {
            case String s -> subjects.add(s);
            case List<?> list -> {
                for (Object element : list) {
                    ConfValue item = (ConfValue) element;
                    if (!(item.value() instanceof String s)) {
                        throw new Abandon(item.position() + ": Subject in permissions array cannot be cast to string");
                    }
                    subjects.add(s);
                }
            }
            default -> throw new Abandon(position + "Expected subject permissions to be a subject, or array of "
                    + "subjects, got " + ConfigLoader.goType(value.value()));
        }
        String problem = checkSubjects(subjects, allowQueue);
        if (problem != null) {
            throw new Abandon(position + problem);
        }
        return subjects;
    }

    /**
     * The first invalid entry of a permission list, worded as nats-server does, or null. Subscribe lists may hold
     * {@code "<subject> <queue>"} entries.
     */
    // nats-server: opts.go checkPermSubjectArray
    static String checkSubjects(List<String> subjects, boolean allowQueue) {
        for (String s : subjects) {
            if (Subjects.isValidSubject(s)) {
                continue;
            }
            if (!allowQueue) {
                return "subject " + GoQuote.quote(s) + " is not a valid subject";
            }
            String[] fields = s.strip().split("\\s+");
            if (fields.length != 2 || s.isBlank()) {
                return "subject " + GoQuote.quote(s) + " is not a valid subject";
            }
            if (!Subjects.isValidSubject(fields[0])) {
                return "subject " + GoQuote.quote(fields[0]) + " is not a valid subject";
            }
            if (!Subjects.isValidSubject(fields[1])) {
                return "queue " + GoQuote.quote(fields[1]) + " is not a valid queue";
            }
        }
        return null;
    }

    // nats-server: opts.go parseAllowResponses
    private ResponsePermission allowResponses(ConfValue value) {
        if (!(value.value() instanceof Map<?, ?>)) {
            errors.add(value.position() + ": error parsing response permissions, expected a boolean or a map");
            return null;
        }
        int maxMessages = AuthOptions.DEFAULT_ALLOW_RESPONSE_MAX_MESSAGES;
        Duration expires = AuthOptions.DEFAULT_ALLOW_RESPONSE_EXPIRATION;
        for (Map.Entry<String, ConfValue> entry : ConfigLoader.map(value).entrySet()) {
            ConfValue v = entry.getValue();
            switch (entry.getKey().toLowerCase(Locale.ROOT)) {
                case "max", "max_msgs", "max_messages", "max_responses" -> {
                    long max = ConfigLoader.int64(v);
                    if (max != 0) {
                        maxMessages = (int) Math.clamp(max, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    }
                }
                case "expires", "expiration", "ttl" -> {
                    if (!(v.value() instanceof String text)) {
                        errors.add(v.position() + ": error parsing expires, not a duration string");
                        return null;
                    }
                    Duration ttl;
                    try {
                        ttl = GoDuration.parse(text);
                    } catch (IllegalArgumentException e) {
                        errors.add(v.position() + ": error parsing expires: " + e.getMessage());
                        return null;
                    }
                    if (!ttl.isZero()) {
                        expires = ttl;
                    }
                }
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        errors.add(v.position() + ": Unknown field " + GoQuote.quote(entry.getKey())
                                + " parsing permissions");
                    }
                }
            }
        }
        return new ResponsePermission(maxMessages, expires);
    }

    private void unknownField(String key, ConfValue value) {
        if (!document.isUsedAsVariable(value)) {
            errors.add(value.position() + ": unknown field " + GoQuote.quote(key));
        }
    }

    /** Go's {@code %v} of a parsed config value. */
    static String goValue(Object value) {
        return switch (value) {
            case ConfValue c -> goValue(c.value());
            case Double d -> goFloat(d);
            case List<?> list -> {
                List<String> parts = new ArrayList<>();
                list.forEach(item -> parts.add(goValue(item)));
                yield "[" + String.join(" ", parts) + "]";
            }
            case Map<?, ?> map -> {
                List<String> parts = new ArrayList<>();
                new TreeMap<>(map).forEach((k, v) -> parts.add(k + ":" + goValue(v)));
                yield "map[" + String.join(" ", parts) + "]";
            }
            default -> String.valueOf(value);
        };
    }

    /** Go's {@code %v} of a float64 for the values a config holds (no exponent form). */
    static String goFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
