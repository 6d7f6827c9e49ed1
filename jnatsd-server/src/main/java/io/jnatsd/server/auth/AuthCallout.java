package io.jnatsd.server.auth;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AuthCalloutOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.AuthorizationRequestClaims;
import io.jnatsd.jwt.AuthorizationResponseClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.ExternalAuthorization;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.AccountLookupException;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Auth callout ({@code server/auth_callout.go}): asks an external service whether a client may connect, and as
 * whom. Per client it
 * <ol>
 *   <li>subscribes a reply inbox {@code $SYS._INBOX.<server hash>.<8 base62>} in the callout account (config:
 *       {@code auth_callout.account}; operator mode: the account the client's JWT bound it to);</li>
 *   <li>publishes on {@value #SUBJECT} in that account an {@code authorization_request} JWT signed by the server
 *       key: {@code sub} the configured issuer (operator mode: the account), {@code aud} {@value #REQUEST_AUDIENCE},
 *       {@code exp} now plus the auth timeout, and the client's details with a fresh {@code user_nkey}; sealed for
 *       the service's xkey with the server's curve key, and a {@value #XKEY_HEADER} header, when one is set;</li>
 *   <li>waits up to the auth timeout for the reply, then checks the {@code authorization_response} JWT and the
 *       user JWT it carries in nats-server's order, with its error texts ({@link #validate}).</li>
 * </ol>
 * The outcome is handed back as an {@link Outcome}; the connection applies it on its event loop. The reply is
 * received on the responder's thread and only completes a future; checking it (which may fetch an account from a
 * resolver) runs on a virtual thread.
 * <p>
 * Thread-safe; one instance per server.
 */
public final class AuthCallout {

    /** Where requests are published, in the callout account. */
    public static final String SUBJECT = "$SYS.REQ.USER.AUTH";
    /** The {@code aud} of every request. */
    public static final String REQUEST_AUDIENCE = "nats-authorization-request";
    /** The header carrying the server's public curve key on sealed requests. */
    public static final String XKEY_HEADER = "Nats-Server-Xkey";

    private static final NatsLogger LOG = NatsLogger.get(AuthCallout.class);
    private static final String JWT_PREFIX = "eyJ";
    private static final String INBOX_PREFIX = "$SYS._INBOX.";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int HASH_LENGTH = 8;
    private static final int REPLY_SUFFIX_LENGTH = 8;
    /** Checks responses (they may fetch an account from a remote resolver) off the event loops. */
    private static final Executor CHECKER = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("jnatsd-auth-callout-", 0).factory());

    /** How requests travel: the server's account internal clients. */
    public interface Bus {
        /**
         * Subscribes {@code subject} in {@code account}; {@code onPayload} gets each message's payload (headers
         * stripped) on the publisher's thread and must not block.
         *
         * @return what unsubscribes it
         */
        Runnable subscribe(Account account, String subject, Consumer<byte[]> onPayload);

        /** Publishes into {@code account} from its internal client. */
        void publish(Account account, String subject, String reply, byte[] headers, byte[] payload);
    }

    /** The asking server as the request's {@code server_id} shows it (without the xkey, added when sealing). */
    public record ServerIdentity(String name, String host, String id, String version, String cluster,
                                 List<String> tags) {
    }

    /**
     * What the connection knows about the client: {@code client_info}, {@code connect_opts}, {@code client_tls}.
     *
     * @param host          the client's IP address
     * @param cid           the connection id
     * @param rawUser       nkey, else user, else the JWT user key, else {@code [REDACTED]} for a token
     * @param kind          {@code Client}
     * @param type          {@code nats} or {@code websocket}
     * @param nonce         the INFO nonce when CONNECT carried a signature, else null
     * @param connect       the CONNECT fields
     * @param tls           the TLS session, or null
     * @param proxyRequired local authentication found that the user must come through a trusted proxy
     * @param trustedProxy  the connection came through a trusted proxy
     * @param logPrefix     the connection's log prefix ({@code <ip>:<port> - cid:<n> - })
     */
    public record Client(String host, long cid, String rawUser, String name, List<String> tags, String nameTag,
                         String kind, String type, String nonce,
                         AuthorizationRequestClaims.ConnectOptions connect,
                         AuthorizationRequestClaims.ClientTls tls, boolean proxyRequired, boolean trustedProxy,
                         String logPrefix) {
    }

    /** What the callout decided. */
    public sealed interface Outcome permits Authorized, Denied {
    }

    /**
     * The client may connect as this user.
     *
     * @param accountName        config mode: the account to place the client in (the user JWT's {@code aud})
     * @param jwtAccount         operator mode: the account to place the client in (the user JWT's issuer account)
     * @param permissions        the user's permissions (or its account's defaults), or null for none
     * @param defaultPermissions whether {@code permissions} are the account's defaults
     * @param userKey            the user JWT {@code sub} (the request's {@code user_nkey})
     * @param issuer             the user JWT {@code iss}
     * @param issuedAt           the user JWT {@code iat}
     * @param bearer             whether the user JWT is a bearer token
     * @param signingKey         operator mode: the signing key that issued the user, or null for the account key
     * @param name               the user JWT {@code name}: replaces the client's user name when not empty
     * @param expiresAt          when the connection must end ({@code exp} or the end of the connect window), or
     *                           null
     */
    public record Authorized(String accountName, JwtAccount jwtAccount, AuthOptions.Permissions permissions,
                             boolean defaultPermissions, String userKey, String issuer, long issuedAt, boolean bearer,
                             SigningKey signingKey, String name, Instant expiresAt) implements Outcome {
    }

    /**
     * The client is refused.
     *
     * @param reason        the error as nats-server logs it (a warning) and reports it in events; empty after a
     *                      timeout
     * @param checkedReply  the refusal came from checking a reply (nats-server rejects the client there, and once
     *                      more after the callout returns: two {@code authentication error} lines)
     * @param proxyRequired the user must come through a trusted proxy (close reason "Proxy Required")
     */
    public record Denied(String reason, boolean checkedReply, boolean proxyRequired) implements Outcome {
    }

    private final NKey serverKey;
    private final NKey curveKey;
    private final Supplier<ServerIdentity> identity;
    private final Function<String, Account> configAccounts;
    private final JwtAccounts jwtAccounts;
    private final Bus bus;
    private final Clock clock;

    /**
     * @param serverKey      signs requests; its public key is the server id every response must be addressed to
     * @param curveKey       the server's curve key (INFO {@code xkey}): seals requests, opens sealed responses
     * @param identity       the server's current name, host, id, version, cluster and tags
     * @param configAccounts config mode: accounts by name (null when unknown)
     * @param jwtAccounts    operator mode: the JWT accounts, or null in config mode
     */
    public AuthCallout(NKey serverKey, NKey curveKey, Supplier<ServerIdentity> identity,
                       Function<String, Account> configAccounts, JwtAccounts jwtAccounts, Bus bus, Clock clock) {
        this.serverKey = serverKey;
        this.curveKey = curveKey;
        this.identity = identity;
        this.configAccounts = configAccounts;
        this.jwtAccounts = jwtAccounts;
        this.bus = bus;
        this.clock = clock;
    }

    /** Whether an operator-mode account delegates its users to a callout service ({@code hasExternalAuth}). */
    public static boolean hasExternalAuth(JwtAccount account) {
        AccountClaims claims = account == null ? null : account.claims();
        return claims != null && claims.authorization().isEnabled();
    }

    /** Whether {@code userId} is one of an operator-mode account's auth users ({@code isExternalAuthUser}). */
    public static boolean isExternalAuthUser(JwtAccount account, String userId) {
        AccountClaims claims = account == null ? null : account.claims();
        return claims != null && claims.authorization().authUsers().contains(userId);
    }

    /**
     * Asks the callout service about {@code client}.
     *
     * @param config   config mode: the {@code auth_callout} options (null in operator mode)
     * @param account  operator mode: the account the client's JWT bound it to, which runs the callout
     * @param timeout  the auth timeout: how long to wait for the reply, and the request's lifetime
     * @param timer    schedules the timeout
     * @return the outcome; never completes exceptionally
     */
    // nats-server: auth_callout.go processClientOrLeafCallout
    public CompletableFuture<Outcome> authorize(Client client, AuthCalloutOptions config, JwtAccount account,
                                                Duration timeout, ScheduledExecutorService timer) {
        boolean operatorMode = config == null;
        Account calloutAccount;
        String recipientXKey;
        if (!operatorMode) {
            calloutAccount = configAccounts.apply(config.account());
            if (calloutAccount == null) {
                return failed("No valid account " + GoQuote.quote(config.account())
                        + " for auth callout request: account missing");
            }
            recipientXKey = config.xkey();
        } else {
            if (account == null) {
                return failed("Client not mapped to a callout account");
            }
            calloutAccount = account.account();
            AccountClaims claims = account.claims();
            recipientXKey = claims == null ? "" : claims.authorization().xkey();
        }
        String accountName = calloutAccount.name();
        NKey user = NKey.createUser();
        String userKey = user.publicKey();
        ServerIdentity server = identity.get();
        String reply = INBOX_PREFIX + serverHash(server.name()) + "." + randomSuffix();
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        Runnable unsubscribe;
        try {
            unsubscribe = bus.subscribe(calloutAccount, reply, response::complete);
        } catch (RuntimeException e) {
            return failed("Error setting up reply subscription for auth request: " + e.getMessage());
        }
        byte[] request;
        byte[] headers = null;
        try {
            String token = requestToken(client, server, operatorMode ? accountName : config.issuer(), userKey,
                    recipientXKey.isEmpty() ? null : curveKey.publicKey(), timeout);
            request = token.getBytes(StandardCharsets.US_ASCII);
        } catch (JwtException e) {
            unsubscribe.run();
            return failed("Error encoding auth request claim on account " + GoQuote.quote(accountName) + ": "
                    + e.getMessage());
        }
        if (!recipientXKey.isEmpty()) {
            try {
                request = curveKey.seal(request, recipientXKey);
            } catch (IllegalArgumentException e) {
                unsubscribe.run();
                return failed("Error encrypting auth request claim on account " + GoQuote.quote(accountName) + ": "
                        + e.getMessage());
            }
            headers = ("NATS/1.0\r\n" + XKEY_HEADER + ": " + curveKey.publicKey() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        ScheduledFuture<?> timeoutTask = timer.schedule(() -> response.complete(null), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        Check check = new Check(client, config, account, accountName, userKey, recipientXKey, server.id());
        CompletableFuture<Outcome> outcome = response.thenApplyAsync(payload -> {
            if (payload == null) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Authorization callout response not received in time on account "
                            + GoQuote.quote(accountName));
                }
                return new Denied("", false, false);
            }
            return validate(check, payload);
        }, CHECKER).exceptionally(e -> new Denied("Auth callout failed: " + e, true, false));
        outcome.whenComplete((ignored, error) -> {
            timeoutTask.cancel(false);
            unsubscribe.run();
        });
        try {
            bus.publish(calloutAccount, SUBJECT, reply, headers, request);
        } catch (RuntimeException e) {
            response.complete(null);
            return failed("Error sending authorization request: " + e.getMessage());
        }
        return outcome;
    }

    private static CompletableFuture<Outcome> failed(String reason) {
        LOG.warn(reason);
        return CompletableFuture.completedFuture(new Denied(reason, false, false));
    }

    /** The signed {@code authorization_request} JWT. */
    private String requestToken(Client c, ServerIdentity server, String subject, String userKey, String serverXKey,
                                Duration timeout) throws JwtException {
        AuthorizationRequestClaims.ServerId serverId = new AuthorizationRequestClaims.ServerId(server.name(),
                server.host(), server.id(), server.version(), server.cluster(), server.tags(), serverXKey);
        AuthorizationRequestClaims.ClientInformation info = new AuthorizationRequestClaims.ClientInformation(
                c.host(), c.cid(), c.rawUser(), c.name(), c.tags(), c.nameTag(), c.kind(), c.type(), null,
                c.nonce());
        AuthorizationRequestClaims nats = new AuthorizationRequestClaims(serverId, userKey, info, c.connect(),
                c.tls(), null, null);
        Instant now = clock.instant();
        long expires = now.plus(timeout).getEpochSecond();
        ClaimsData claims = ClaimsData.of(subject).withAudience(REQUEST_AUDIENCE).withExpires(expires);
        return JwtCodec.encode(claims, ClaimType.AUTHORIZATION_REQUEST, nats, serverKey, clock);
    }

    /** What checking one reply needs. */
    private record Check(Client client, AuthCalloutOptions config, JwtAccount account, String accountName,
                         String userKey, String recipientXKey, String serverId) {
        boolean operatorMode() {
            return config == null;
        }
    }

    /** A reply check failed with this (not yet title-cased) error. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean proxyRequired;

        Refusal(String message) {
            this(message, false);
        }

        Refusal(String message, boolean proxyRequired) {
            super(message, null, false, false);
            this.proxyRequired = proxyRequired;
        }
    }

    /**
     * Checks a reply in nats-server's order: {@code decodeResponse}, then {@code processReply}
     * ({@code getExpirationAndAllowedConnections}, {@code assignAccountAndPermissions}).
     */
    // nats-server: auth_callout.go processReply
    private Outcome validate(Check check, byte[] payload) {
        try {
            UserClaimsAndJwt user = decodeResponse(check, payload);
            return authorize(check, user);
        } catch (Refusal r) {
            return new Denied(titleCase(r.getMessage()), true, r.proxyRequired);
        } catch (VerbatimRefusal r) {
            return new Denied(r.getMessage(), true, false);
        }
    }

    private record UserClaimsAndJwt(Jwt jwt, UserClaims user) {
    }

    /** A refusal nats-server reports without title-casing it. */
    private static final class VerbatimRefusal extends Exception {
        private static final long serialVersionUID = 1L;

        VerbatimRefusal(String message) {
            super(message, null, false, false);
        }
    }

    // nats-server: auth_callout.go decodeResponse
    private UserClaimsAndJwt decodeResponse(Check check, byte[] payload) throws Refusal {
        String account = check.accountName();
        if (payload.length == 0) {
            throw new Refusal("auth callout violation: " + GoQuote.quote("no reason supplied") + " on account "
                    + GoQuote.quote(account));
        }
        boolean encrypted = false;
        byte[] message = payload;
        if (!check.recipientXKey().isEmpty() && !startsWith(message, JWT_PREFIX)) {
            try {
                message = curveKey.open(message, check.recipientXKey());
            } catch (IllegalArgumentException e) {
                throw new Refusal("error decrypting auth callout response on account " + GoQuote.quote(account)
                        + ": " + e.getMessage());
            }
            encrypted = true;
        }
        Jwt response;
        AuthorizationResponseClaims claims;
        try {
            response = JwtCodec.decode(new String(message, StandardCharsets.UTF_8));
            if (response.type() != ClaimType.AUTHORIZATION_RESPONSE) {
                // jwt: DecodeAuthorizationResponseClaims (its text says "request")
                throw new Refusal("not an authorization request claim");
            }
            claims = response.authorizationResponse();
        } catch (JwtException e) {
            throw new Refusal(e.getMessage());
        }
        String issue = responseIssue(response, claims);
        if (issue != null) {
            throw new Refusal("authorization response had validation errors: " + issue);
        }
        if (!response.subject().equals(check.userKey())) {
            throw new Refusal("auth callout violation: auth callout response is not for expected user");
        }
        if (!response.claims().audience().equals(check.serverId())) {
            throw new Refusal("auth callout violation: auth callout response is not for server");
        }
        if (!claims.error().isEmpty()) {
            throw new Refusal("auth callout service returned an error: " + claims.error());
        }
        if (check.operatorMode() && !encrypted) {
            String signer = claims.issuerAccount().isEmpty() ? response.issuer() : claims.issuerAccount();
            if (!signer.equals(account) && !check.account().isUserIssuer(signer)) {
                throw new Refusal("auth callout signing key is unknown");
            }
        }
        try {
            Jwt userJwt = JwtCodec.decode(claims.jwt());
            if (userJwt.type() != ClaimType.USER) {
                throw new Refusal("not user claim");
            }
            return new UserClaimsAndJwt(userJwt, userJwt.user());
        } catch (JwtException e) {
            throw new Refusal(e.getMessage());
        }
    }

    /** The first validation issue of a response ({@code AuthorizationResponseClaims.Validate}), or null. */
    // nats-io/jwt: authorization_claims.go AuthorizationResponseClaims.Validate
    private String responseIssue(Jwt response, AuthorizationResponseClaims claims) {
        if (!NKey.isValidPublicKey(response.subject(), io.jnatsd.nkeys.NKeyType.USER)) {
            return "Subject must be a user public key";
        }
        if (!NKey.isValidPublicKey(response.claims().audience(), io.jnatsd.nkeys.NKeyType.SERVER)) {
            return "Audience must be a server public key";
        }
        if (claims.error().isEmpty() && claims.jwt().isEmpty()) {
            return "Error or Jwt is required";
        }
        if (!claims.error().isEmpty() && !claims.jwt().isEmpty()) {
            return "Only Error or Jwt can be set";
        }
        if (!claims.issuerAccount().isEmpty()
                && !NKey.isValidPublicKey(claims.issuerAccount(), io.jnatsd.nkeys.NKeyType.ACCOUNT)) {
            return "issuer_account is not an account public key";
        }
        List<String> times = response.claims().timeIssues(clock.instant().getEpochSecond());
        return times.isEmpty() ? null : times.getFirst();
    }

    // nats-server: auth_callout.go processReply, getIssuerAccount, getExpirationAndAllowedConnections,
    // assignAccountAndPermissions
    private Outcome authorize(Check check, UserClaimsAndJwt decoded) throws Refusal, VerbatimRefusal {
        Jwt jwt = decoded.jwt();
        UserClaims user = decoded.user();
        String account = check.accountName();
        if ((check.client().proxyRequired() || user.proxyRequired()) && !check.client().trustedProxy()) {
            throw new Refusal("proxy connection required", true);
        }
        Instant now = clock.instant();
        String issue = UserValidation.firstIssue(jwt, user, now.getEpochSecond());
        if (issue != null) {
            throw new VerbatimRefusal("Error validating user JWT: " + issue);
        }
        if (!jwt.subject().equals(check.userKey())) {
            throw new VerbatimRefusal("Expected authorized user of " + GoQuote.quote(check.userKey()) + " but got "
                    + GoQuote.quote(jwt.subject()) + " on account " + GoQuote.quote(account));
        }
        Duration validFor = JwtAuthenticator.validTimes(user, now);
        if (validFor == null) {
            LOG.error(check.client().logPrefix() + "Outside connect times");
            throw new Refusal("authorized user on account " + GoQuote.quote(account)
                    + " outside of valid connect times");
        }
        if (!user.allowedConnectionTypes().isEmpty() && user.allowedConnectionTypes().stream()
                .noneMatch(t -> AuthOptions.CONNECTION_TYPES.contains(t.toUpperCase(java.util.Locale.ROOT)))) {
            throw new Refusal("authorized user on account " + GoQuote.quote(account)
                    + " using invalid connection type");
        }
        String jwtIssuer = jwt.issuer();
        if (!user.issuerAccount().isEmpty()) {
            if (!check.operatorMode()) {
                throw new Refusal("error non operator mode account " + GoQuote.quote(account)
                        + ": attempted to use issuer_account");
            }
            jwtIssuer = user.issuerAccount();
        }
        String expectedIssuer = check.operatorMode() ? account : check.config().issuer();
        if (!jwtIssuer.equals(expectedIssuer)) {
            if (!check.operatorMode()) {
                throw new Refusal("wrong issuer for auth callout response on account " + GoQuote.quote(account)
                        + ", expected " + GoQuote.quote(expectedIssuer) + " got " + GoQuote.quote(jwtIssuer));
            }
            if (!isAllowedAccount(check.account(), jwtIssuer)) {
                throw new Refusal("account " + GoQuote.quote(jwt.issuer()) + " not permitted as valid account option "
                        + "for auth callout for account " + GoQuote.quote(account));
            }
        }
        Instant expiresAt = expiry(jwt.claims().expires(), validFor, now);
        boolean defaults = JwtAuthenticator.usesDefaultPermissions(user);
        if (!check.operatorMode()) {
            String placement = jwt.claims().audience();
            if (configAccounts.apply(placement) == null) {
                throw new Refusal("no valid account " + GoQuote.quote(placement) + " for auth callout response on "
                        + "account " + GoQuote.quote(account) + ": account missing");
            }
            AuthOptions.Permissions permissions = JwtAuthenticator.convert(user.publish(), user.subscribe(),
                    user.response());
            return new Authorized(placement, null, permissions, defaults, jwt.subject(), jwt.issuer(),
                    jwt.claims().issuedAt(), user.bearerToken(), null, jwt.claims().name(), expiresAt);
        }
        JwtAccount target;
        try {
            target = jwtAccounts.lookup(jwtIssuer);
        } catch (AccountLookupException e) {
            throw new Refusal("no valid account " + GoQuote.quote(jwtIssuer) + " for auth callout response on "
                    + "account " + GoQuote.quote(account) + ": " + e.getMessage());
        }
        if (!target.isUserIssuer(jwt.issuer())) {
            throw new Refusal("user JWT issuer " + GoQuote.quote(jwt.issuer()) + " is not known");
        }
        SigningKey scope = target.signingKey(jwt.issuer());
        if (scope != null && scope.scoped()) {
            if (!user.hasNoPermissionsOrLimits()) {
                throw new Refusal("user JWT is not valid: scoped users require no permissions or limits set");
            }
            AccountClaims ac = target.claims();
            try {
                user = UserTemplates.apply(scope.template(), new UserTemplates.Values(jwt.claims().name(),
                        jwt.subject(), jwt.tags(), target.nameTag(), target.key(),
                        ac == null ? List.of() : ac.tags()));
            } catch (UserTemplates.TemplateException e) {
                throw new Refusal("user JWT generated invalid permissions: " + e.getMessage());
            }
            defaults = JwtAuthenticator.usesDefaultPermissions(user);
        }
        AuthOptions.Permissions permissions = JwtAuthenticator.convert(user.publish(), user.subscribe(),
                user.response());
        if (permissions == null && target.claims() != null) {
            io.jnatsd.jwt.Permissions d = target.claims().defaultPermissions();
            permissions = JwtAuthenticator.convert(d.publish(), d.subscribe(), d.response());
        }
        SigningKey signer = target.key().equals(jwt.issuer()) ? null : target.signingKey(jwt.issuer());
        return new Authorized(null, target, permissions, defaults, jwt.subject(), jwt.issuer(),
                jwt.claims().issuedAt(), user.bearerToken(), signer, jwt.claims().name(), expiresAt);
    }

    /** {@code isAllowedAcount}: {@code *} alone allows any account, else the account must be listed. */
    // nats-server: accounts.go isAllowedAcount
    private static boolean isAllowedAccount(JwtAccount account, String key) {
        AccountClaims claims = account.claims();
        if (claims == null) {
            return false;
        }
        ExternalAuthorization auth = claims.authorization();
        if (!auth.isEnabled()) {
            return false;
        }
        List<String> allowed = auth.allowedAccounts();
        if (allowed.size() == 1 && allowed.getFirst().equals("*")) {
            return true;
        }
        return allowed.contains(key);
    }

    /** When the connection expires: {@code exp}, cut short by the end of the connect window ({@code setExpiration}). */
    // nats-server: client.go setExpiration
    static Instant expiry(long expiresSeconds, Duration validFor, Instant now) {
        if (expiresSeconds == 0) {
            return validFor.isZero() ? null : now.plus(validFor);
        }
        long left = Math.max(0, expiresSeconds - now.getEpochSecond());
        Duration untilExp = Duration.ofSeconds(left);
        return !validFor.isZero() && validFor.compareTo(untilExp) < 0 ? now.plus(validFor) : now.plus(untilExp);
    }

    /** nats-server's {@code titleCase}: the first character upper-cased. */
    static String titleCase(String message) {
        if (message.isEmpty()) {
            return message;
        }
        int first = message.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
                .append(message, Character.charCount(first), message.length()).toString();
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String randomSuffix() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] out = new char[REPLY_SUFFIX_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = BASE62[rnd.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    /** The 8-character hash of the server name in system inboxes ({@code events.go getHash}). */
    static String serverHash(String serverName) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(serverName.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[HASH_LENGTH];
            for (int i = 0; i < out.length; i++) {
                out[i] = BASE62[(sha[i] & 0xff) % BASE62.length];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
