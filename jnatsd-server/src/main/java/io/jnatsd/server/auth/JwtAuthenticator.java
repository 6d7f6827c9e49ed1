package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.jwt.TimeRange;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.account.AccountLookupException;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.server.account.UrlAccountResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Checks a client's user JWT in operator mode, in nats-server's order ({@code server/auth.go
 * processClientOrLeafAuthentication}, the JWT branch):
 * <ol>
 *   <li>the JWT decodes as a user claim signed by an account key; {@code proxy_required} needs a trusted proxy
 *       (jnatsd has none); {@code exp}/{@code nbf} hold;</li>
 *   <li>the account ({@code issuer_account}, else {@code iss}) is pinned, if pinning is configured, is found and
 *       signed by a trusted operator key;</li>
 *   <li>{@code iss} is the account or one of its signing keys; a scoped key requires a user without permissions
 *       or limits and replaces them with its expanded template;</li>
 *   <li>the account has not expired, and allows bearer tokens if this is one;</li>
 *   <li>the connection type is allowed; the nonce is signed by the user key (except bearer tokens); the user is
 *       not revoked; the client address is in {@code src}; now is inside {@code times}.</li>
 * </ol>
 * Permissions are the user's, else the account's {@code default_permissions}. Thread-safe; account lookups may
 * block on the resolver.
 */
public final class JwtAuthenticator {

    /** Runs remote account fetches (blocking HTTP) off the event loops. */
    private static final Executor FETCHER = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("jnatsd-account-fetch-", 0).factory());

    private final JwtAccounts accounts;
    private final Set<String> pinnedAccounts;
    private final boolean sublistCache;
    private final Clock clock;

    /**
     * @param accounts       the operator-mode accounts
     * @param pinnedAccounts {@code resolver_pinned_accounts} (the system account is added), empty for no pinning
     */
    public JwtAuthenticator(JwtAccounts accounts, Set<String> pinnedAccounts, boolean sublistCache, Clock clock) {
        this.accounts = accounts;
        Set<String> pinned = new HashSet<>(pinnedAccounts);
        if (!pinned.isEmpty() && !accounts.systemAccountKey().isEmpty()) {
            pinned.add(accounts.systemAccountKey());
        }
        this.pinnedAccounts = Set.copyOf(pinned);
        this.sublistCache = sublistCache;
        this.clock = clock;
    }

    /**
     * When {@code userJwt}'s account is not loaded and must come from a remote resolver, starts fetching it on a
     * virtual thread and returns the fetch; null when {@link #authenticate} will not block on the network (the
     * account is loaded, the token does not decode, or the resolver is local).
     */
    public CompletableFuture<Void> prefetch(String userJwt) {
        if (userJwt == null || userJwt.isEmpty() || !(accounts.resolver() instanceof UrlAccountResolver)) {
            return null;
        }
        String accountKey;
        try {
            Jwt jwt = JwtCodec.decode(userJwt);
            UserClaims user = jwt.user();
            accountKey = user.issuerAccount().isEmpty() ? jwt.issuer() : user.issuerAccount();
        } catch (JwtException e) {
            return null;
        }
        JwtAccount loaded = accounts.loaded(accountKey);
        if (loaded != null && loaded.jwt() != null && !loaded.isExpired(clock.instant().getEpochSecond())) {
            return null;
        }
        return CompletableFuture.runAsync(() -> {
            try {
                accounts.lookup(accountKey);
            } catch (AccountLookupException e) {
                // authenticate() repeats the lookup and reports the failure
            }
        }, FETCHER);
    }

    /** The accounts this authenticator binds clients to. */
    public JwtAccounts accounts() {
        return accounts;
    }

    /**
     * Checks a CONNECT.
     *
     * @param userJwt        the CONNECT {@code jwt} (null or empty when absent)
     * @param signature      the CONNECT {@code sig}
     * @param nonce          the nonce sent in INFO (ASCII bytes)
     * @param clientHost     the client IP address text
     * @param connectionType {@code STANDARD}, {@code WEBSOCKET}, ...
     */
    // nats-server: auth.go processClientOrLeafAuthentication (operator mode)
    public JwtAuthResult authenticate(String userJwt, String signature, byte[] nonce, String clientHost,
                                      String connectionType) {
        if (userJwt == null || userJwt.isEmpty()) {
            return JwtAuthResult.denied("", "Authentication requires a user JWT");
        }
        Jwt jwt;
        UserClaims user;
        try {
            jwt = JwtCodec.decode(userJwt);
            user = jwt.user();
        } catch (JwtException e) {
            return JwtAuthResult.denied("", "User JWT not valid: " + e.getMessage());
        }
        String userKey = jwt.subject();
        if (user.proxyRequired()) {
            return JwtAuthResult.proxyRequired(userKey);
        }
        Instant now = clock.instant();
        long nowSeconds = now.getEpochSecond();
        if (!jwt.claims().timeIssues(nowSeconds).isEmpty()) {
            return JwtAuthResult.denied(userKey, "User JWT no longer valid: "
                    + String.join(", ", jwt.claims().timeIssues(nowSeconds)));
        }
        String accountKey = user.issuerAccount().isEmpty() ? jwt.issuer() : user.issuerAccount();
        if (!pinnedAccounts.isEmpty() && !pinnedAccounts.contains(accountKey)) {
            return JwtAuthResult.denied(userKey, "Account " + accountKey + " not listed as operator pinned account");
        }
        JwtAccount account;
        try {
            account = accounts.lookup(accountKey);
        } catch (AccountLookupException e) {
            return JwtAuthResult.denied(userKey, "Account JWT lookup error: " + e.getMessage());
        }
        if (!accounts.isTrusted(account.issuer())) {
            return JwtAuthResult.denied(account, userKey, "Account JWT not signed by trusted operator");
        }
        if (!account.isUserIssuer(jwt.issuer())) {
            return JwtAuthResult.denied(account, userKey, "User JWT issuer is not known");
        }
        SigningKey scope = account.signingKey(jwt.issuer());
        if (scope != null && scope.scoped()) {
            if (!user.hasNoPermissionsOrLimits()) {
                return JwtAuthResult.denied(account, userKey,
                        "User JWT is not valid: scoped users require no permissions or limits set");
            }
            try {
                AccountClaims ac = account.claims();
                user = UserTemplates.apply(scope.template(), new UserTemplates.Values(jwt.claims().name(), userKey,
                        jwt.tags(), account.nameTag(), accountKey, ac == null ? List.of() : ac.tags()));
            } catch (UserTemplates.TemplateException e) {
                return JwtAuthResult.denied(account, userKey, "User JWT generated invalid permissions");
            }
        }
        if (account.isExpired(nowSeconds)) {
            return JwtAuthResult.denied(account, userKey, "Account JWT has expired");
        }
        if (user.bearerToken() && account.disallowsBearer()) {
            return JwtAuthResult.denied(account, userKey, "Account does not allow bearer tokens");
        }
        if (!connectionTypeAllowed(user.allowedConnectionTypes(), connectionType)) {
            return JwtAuthResult.denied(account, userKey, "Connection type not allowed");
        }
        if (!user.bearerToken()) {
            String failure = verifySignature(userKey, signature, nonce);
            if (failure != null) {
                return JwtAuthResult.denied(account, userKey, failure);
            }
        }
        AccountClaims accountClaims = account.claims();
        if (accountClaims != null && accountClaims.isRevoked(userKey, jwt.claims().issuedAt())) {
            return JwtAuthResult.denied(account, userKey, "User authentication revoked");
        }
        if (!sourceAllowed(user.sourceNetworks(), clientHost)) {
            return JwtAuthResult.deniedWithError(account, userKey, "Bad src Ip " + clientHost);
        }
        Duration validFor = validTimes(user, now);
        if (validFor == null) {
            return JwtAuthResult.deniedWithError(account, userKey, "Outside connect times");
        }
        Instant expiresAt = null;
        if (jwt.claims().expires() > 0) {
            expiresAt = Instant.ofEpochSecond(jwt.claims().expires());
        }
        if (!validFor.isZero()) {
            Instant windowEnd = now.plus(validFor);
            expiresAt = expiresAt == null || windowEnd.isBefore(expiresAt) ? windowEnd : expiresAt;
        }
        Permissions permissions = compile(user, accountClaims);
        return new JwtAuthResult(true, false, null, null, userKey, jwt.issuer(), jwt.claims().issuedAt(),
                user.bearerToken(), account, permissions, usesDefaultPermissions(user), user.maxSubscriptions(),
                user.maxPayloadBytes(), expiresAt);
    }

    /** The user's permissions, else the account's default permissions, compiled; null for none. */
    // nats-server: accounts.go buildInternalNkeyUser, buildPermissionsFromJwt
    private Permissions compile(UserClaims user, AccountClaims account) {
        AuthOptions.Permissions p = convert(user.publish(), user.subscribe(), user.response());
        if (p == null && account != null) {
            io.jnatsd.jwt.Permissions d = account.defaultPermissions();
            p = convert(d.publish(), d.subscribe(), d.response());
        }
        return p == null ? null : Permissions.compile(p, sublistCache);
    }

    /** The compiled {@code default_permissions} of {@code account}, or null when it sets none. */
    public Permissions defaultPermissions(AccountClaims account) {
        if (account == null) {
            return null;
        }
        io.jnatsd.jwt.Permissions d = account.defaultPermissions();
        AuthOptions.Permissions p = convert(d.publish(), d.subscribe(), d.response());
        return p == null ? null : Permissions.compile(p, sublistCache);
    }

    /** Whether {@code user} carries no permissions of its own (so the account defaults apply). */
    public static boolean usesDefaultPermissions(UserClaims user) {
        return convert(user.publish(), user.subscribe(), user.response()) == null;
    }

    /** JWT permissions as the server's; null when nothing is set. Also used for account default permissions. */
    static AuthOptions.Permissions convert(Permission pub, Permission sub, io.jnatsd.jwt.ResponsePermission resp) {
        AuthOptions.SubjectPermission publish = pub.isEmpty() ? null
                : new AuthOptions.SubjectPermission(nullIfEmpty(pub.allow()), nullIfEmpty(pub.deny()));
        AuthOptions.SubjectPermission subscribe = sub.isEmpty() ? null
                : new AuthOptions.SubjectPermission(nullIfEmpty(sub.allow()), nullIfEmpty(sub.deny()));
        AuthOptions.ResponsePermission response = resp == null ? null
                : new AuthOptions.ResponsePermission(resp.maxMessages(), Duration.ofNanos(resp.expiresNanos()));
        if (publish == null && subscribe == null && response == null) {
            return null;
        }
        return new AuthOptions.Permissions(publish, subscribe, response);
    }

    private static List<String> nullIfEmpty(List<String> list) {
        return list.isEmpty() ? null : list;
    }

    // nats-server: auth.go convertAllowedConnectionTypes, client.go connectionTypeAllowed
    private static boolean connectionTypeAllowed(List<String> types, String connectionType) {
        if (types.isEmpty()) {
            return true;
        }
        Set<String> known = new HashSet<>();
        for (String t : types) {
            String upper = t.toUpperCase(Locale.ROOT);
            if (AuthOptions.CONNECTION_TYPES.contains(upper)) {
                known.add(upper);
            }
        }
        return !known.isEmpty() && known.contains(connectionType);
    }

    private static String verifySignature(String userKey, String signature, byte[] nonce) {
        if (signature == null || signature.isEmpty()) {
            return "Signature missing";
        }
        byte[] sig = Authenticator.decodeSignature(signature);
        if (sig == null) {
            return "Signature not valid base64";
        }
        NKey key;
        try {
            key = NKey.fromPublicKey(userKey);
        } catch (IllegalArgumentException e) {
            return "User nkey not valid: " + e.getMessage();
        }
        if (nonce == null || !key.verify(nonce, sig)) {
            return "Signature not verified";
        }
        return null;
    }

    /** Whether {@code host} is inside one of {@code cidrs} (none: any host). */
    // nats-server: jwt.go validateSrc
    static boolean sourceAllowed(List<String> cidrs, String host) {
        if (cidrs.isEmpty()) {
            return true;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        byte[] ip = parseIp(host);
        if (ip == null) {
            return false;
        }
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                return false;
            }
            byte[] net = parseIp(cidr.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            if (net == null || bits < 0 || bits > net.length * 8) {
                return false;
            }
            byte[] addr = ip;
            if (addr.length != net.length) {
                addr = net.length == 4 ? toV4(ip) : toV6(ip);
                if (addr == null) {
                    continue;
                }
            }
            if (prefixMatches(addr, net, bits)) {
                return true;
            }
        }
        return false;
    }

    private static boolean prefixMatches(byte[] a, byte[] b, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (b[full] & mask);
    }

    private static byte[] toV4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xFF || v6[11] != (byte) 0xFF) {
            return null;
        }
        return new byte[]{v6[12], v6[13], v6[14], v6[15]};
    }

    private static byte[] toV6(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    /** The address bytes of a literal IPv4/IPv6 address (never a DNS lookup), or null. */
    private static byte[] parseIp(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean literal = t.indexOf(':') >= 0 || t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Null when now is outside every window of {@code user.times()} (or a time or zone does not parse); else how
     * long the current window lasts, zero when there are no windows.
     */
    // nats-server: jwt.go validateTimesAt, validateTimeRangeAt
    static Duration validTimes(UserClaims user, Instant instant) {
        if (user.times().isEmpty()) {
            return Duration.ZERO;
        }
        ZoneId zone;
        try {
            zone = user.timesLocation().isEmpty() ? ZoneId.systemDefault() : ZoneId.of(user.timesLocation());
        } catch (DateTimeException e) {
            return null;
        }
        ZonedDateTime now = instant.atZone(zone);
        Duration best = null;
        for (TimeRange range : user.times()) {
            ZonedDateTime start;
            ZonedDateTime end;
            try {
                start = now.with(LocalTime.parse(range.start())).withNano(0);
                end = now.with(LocalTime.parse(range.end())).withNano(0);
            } catch (DateTimeParseException | NullPointerException e) {
                return null;
            }
            Duration validFor = null;
            if (start.isBefore(now) && end.isAfter(now)) {
                validFor = Duration.between(now, end);
            } else if (start.isAfter(end)) {
                if (end.isAfter(now)) {
                    validFor = Duration.between(now, end);
                } else {
                    ZonedDateTime nextEnd = end.plusDays(1);
                    if (start.isBefore(now) && nextEnd.isAfter(now)) {
                        validFor = Duration.between(now, nextEnd);
                    }
                }
            }
            if (validFor != null && (best == null || validFor.compareTo(best) > 0)) {
                best = validFor;
            }
        }
        return best;
    }
}
