package io.jnatsd.systest;

import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.TimeRange;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.server.auth.AuthCallout;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Config-mode auth callout (security.md section 6) through the official Java client and raw sockets, with a
 * callout service written in the test ({@link CalloutService}): the request's fields, admitting a client (placement,
 * permissions with the callout subject denied, name, expiry), every way a reply is refused and its logged reason,
 * the timeout, xkey encryption both ways, {@code allowed_accounts}, auth users bypassing the callout, and
 * {@code no_auth_user} clients that skip CONNECT.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class AuthCalloutIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final NKey ISSUER = NKey.createAccount();
    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,"
            + "\"user\":\"dlc\",\"pass\":\"zzz\",\"name\":\"raw\",\"lang\":\"raw\",\"version\":\"1.0\"}\r\n";

    private static String config(String extraCallout, String extra) {
        return "server_name: A\nauthorization {\n  timeout: 2\n"
                + "  users: [ { user: auth, password: pwd } ]\n"
                + "  auth_callout {\n    issuer: " + ISSUER.publicKey() + "\n    auth_users: [ auth ]\n"
                + extraCallout + "  }\n}\n" + extra;
    }

    private static Connection connect(EmbeddedServer server, Options.Builder options) throws Exception {
        return Nats.connect(options.server(server.url()).connectionTimeout(TIMEOUT).maxReconnects(0).build());
    }

    private static CalloutService service(EmbeddedServer server, NKey xkey,
                                          Function<CalloutService.Request, byte[]> responder) throws Exception {
        return new CalloutService(connect(server, new Options.Builder().userInfo("auth", "pwd")), xkey, responder);
    }

    /** Sends {@code connect} and expects the violation and the close; returns the connection id. */
    private static long assertRawRejected(EmbeddedServer server, String connect) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(connect);
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            return raw.clientId();
        }
    }

    @Test
    void shouldSendTheRequestAndAdmitTheUserTheServiceMints() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.allow(r, ISSUER, "$G",
                     u -> u.withPermissions(new Permission(List.of("foo.>", "_INBOX.>"), null),
                             new Permission(List.of("foo.>", "_INBOX.>"), null))));
             Connection nc = connect(server, new Options.Builder().userInfo("dlc", "zzz").connectionName("app"))) {
            assertThat(service.failures).isEmpty();
            CalloutService.Request request = service.requests.getFirst();
            assertThat(request.jwt().issuer()).isEqualTo(server.server().serverId());
            assertThat(request.jwt().subject()).isEqualTo(ISSUER.publicKey());
            assertThat(request.jwt().claims().audience()).isEqualTo(AuthCallout.REQUEST_AUDIENCE);
            assertThat(request.jwt().claims().expires()).isBetween(Instant.now().getEpochSecond(),
                    Instant.now().getEpochSecond() + 3);
            assertThat(request.reply()).matches("\\$SYS\\._INBOX\\.[0-9A-Za-z]{8}\\.[0-9A-Za-z]{8}");
            assertThat(NKey.isValidPublicKey(request.userNkey(), NKeyType.USER)).isTrue();
            assertThat(request.claims().server().name()).isEqualTo("A");
            assertThat(request.claims().server().xkey()).isNull();
            assertThat(request.serverXKey()).isNull();
            assertThat(request.claims().clientInfo().host()).isEqualTo("127.0.0.1");
            assertThat(request.claims().clientInfo().user()).isEqualTo("dlc");
            assertThat(request.claims().clientInfo().kind()).isEqualTo("Client");
            assertThat(request.claims().clientInfo().type()).isEqualTo("nats");
            assertThat(request.connect().user()).isEqualTo("dlc");
            assertThat(request.connect().password()).isEqualTo("zzz");
            assertThat(request.connect().name()).isEqualTo("app");
            assertThat(request.connect().lang()).isEqualTo("java");

            nc.publish("foo.bar", "hi".getBytes(StandardCharsets.US_ASCII));
            nc.flush(TIMEOUT);
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(server.server().clients()).filteredOn(c -> "app".equals(c.clientOptions().name))
                    .singleElement().satisfies(c -> assertThat(c.account().name()).isEqualTo("$G"));
        }
    }

    @Test
    void shouldApplyPermissionsAndDenyTheCalloutSubjectInTheCalloutAccount() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.allow(r, ISSUER, "$G",
                     u -> u.withPermissions(new Permission(List.of("foo.>", "$SYS.>"), null), null)));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(CONNECT + "PUB foo.x 0\r\n\r\nPUB bar 0\r\n\r\nPUB $SYS.REQ.USER.AUTH 0\r\n\r\nPING\r\n");
            assertThat(raw.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Publish to \"bar\"'",
                    "-ERR 'Permissions Violation for Publish to \"$SYS.REQ.USER.AUTH\"'", "PONG");
            assertThat(server.client(raw.clientId()).orElseThrow().account().name()).isEqualTo("$G");
            assertThat(service.requests).hasSize(1);
        }
    }

    @Test
    void shouldPlaceTheUserInTheAudienceAccountUnderItsName() throws Exception {
        String conf = config("    account: AUTH\n", "accounts { AUTH { users: [ { user: auth, password: pwd } ] }, "
                + "APP {} }\n").replace("  users: [ { user: auth, password: pwd } ]\n", "");
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             CalloutService service = service(server, null, r -> CalloutService.response(r, ISSUER,
                     CalloutService.user(r, ISSUER, "APP", c -> c.withName("Derek"), u -> u), null, c -> c));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(CONNECT + "PUB $SYS.REQ.USER.AUTH 0\r\n\r\nPING\r\n");
            assertThat(raw.readLinesThrough("PONG")).as("not in the callout account: no deny added")
                    .containsExactly("PONG");
            var client = server.client(raw.clientId()).orElseThrow();
            assertThat(client.account().name()).isEqualTo("APP");
            assertThat(client.clientOptions().user).isEqualTo("Derek");
            assertThat(service.requests.getFirst().jwt().subject()).isEqualTo(ISSUER.publicKey());
        }
    }

    @Test
    void shouldEndTheConnectionWhenTheUserExpires() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.response(r, ISSUER,
                     CalloutService.user(r, ISSUER, "$G",
                             c -> c.withExpires(Instant.now().getEpochSecond() + 2), u -> u), null, c -> c));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(CONNECT + "PING\r\n");
            raw.expectLine("PONG");
            assertThat(raw.readUntilClosed(TIMEOUT)).as("the server's first PING may come before")
                    .endsWith("-ERR 'User Authentication Expired'\r\n");
            assertThat(server.awaitClosedReason(raw.clientId())).isEqualTo(ClosedState.AUTHENTICATION_EXPIRED);
        }
    }

    static Stream<Arguments> refusedReplies() {
        NKey other = NKey.createAccount();
        Function<CalloutService.Request, byte[]> ok = r -> CalloutService.allow(r, ISSUER, "$G", u -> u);
        return Stream.of(
                Arguments.of("empty reply", (Function<CalloutService.Request, byte[]>) r -> new byte[0],
                        "Auth callout violation: \"no reason supplied\" on account \"$G\""),
                Arguments.of("service error", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, null, "go away", c -> c),
                        "Auth callout service returned an error: go away"),
                Arguments.of("not a JWT", (Function<CalloutService.Request, byte[]>) r ->
                        "garbage".getBytes(StandardCharsets.US_ASCII), "Expected 3 chunks"),
                Arguments.of("a user JWT instead of a response", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.user(r, ISSUER, "$G", c -> c, u -> u).getBytes(StandardCharsets.US_ASCII),
                        "Not an authorization request claim"),
                Arguments.of("audience not a server", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, ISSUER, "$G", c -> c, u -> u), null,
                                c -> c.withAudience("$G")),
                        "Authorization response had validation errors: Audience must be a server public key"),
                Arguments.of("another server", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, ISSUER, "$G", c -> c, u -> u), null,
                                c -> c.withAudience(NKey.createServer().publicKey())),
                        "Auth callout violation: auth callout response is not for server"),
                Arguments.of("another user", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.sign(ClaimsData.of(NKey.createUser().publicKey()).withAudience(r.serverId()),
                                ClaimType.AUTHORIZATION_RESPONSE, new io.jnatsd.jwt.AuthorizationResponseClaims(
                                        null, "x", null, null), ISSUER).getBytes(StandardCharsets.US_ASCII),
                        "Auth callout violation: auth callout response is not for expected user"),
                Arguments.of("neither jwt nor error", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, null, null, c -> c),
                        "Authorization response had validation errors: Error or Jwt is required"),
                Arguments.of("both jwt and error", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, ISSUER, "$G", c -> c, u -> u), "no",
                                c -> c),
                        "Authorization response had validation errors: Only Error or Jwt can be set"),
                Arguments.of("expired response", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, ISSUER, "$G", c -> c, u -> u), null,
                                c -> c.withExpires(Instant.now().getEpochSecond() - 10)),
                        "Authorization response had validation errors: claim is expired"),
                Arguments.of("expired user", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, ISSUER, "$G",
                                c -> c.withExpires(Instant.now().getEpochSecond() - 10), u -> u), null, c -> c),
                        "Error validating user JWT: claim is expired"),
                Arguments.of("bad permission subject", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, "$G", u -> u.withPermissions(
                                new Permission(List.of("foo..bar"), null), null)),
                        "Error validating user JWT: subject \"foo..bar\" cannot contain consecutive `.`"),
                Arguments.of("user JWT for another user", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.sign(ClaimsData.of(NKey.createUser()
                                        .publicKey()).withAudience("$G"), ClaimType.USER, UserClaims.unlimited(),
                                ISSUER), null, c -> c),
                        "Expected authorized user of \""),
                Arguments.of("user JWT of another issuer", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.user(r, other, "$G", c -> c, u -> u), null,
                                c -> c),
                        "Wrong issuer for auth callout response on account \"$G\", expected \"" + ISSUER.publicKey()
                                + "\" got \"" + other.publicKey() + "\""),
                Arguments.of("issuer_account in config mode", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, "$G", u -> u.withIssuerAccount(other.publicKey())),
                        "Error non operator mode account \"$G\": attempted to use issuer_account"),
                Arguments.of("unknown placement account", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, "NOPE", u -> u),
                        "No valid account \"NOPE\" for auth callout response on account \"$G\": account missing"),
                Arguments.of("no placement account", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, null, u -> u),
                        "No valid account \"\" for auth callout response on account \"$G\": account missing"),
                Arguments.of("outside connect times", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, "$G", u -> u.withTimes(List.of(outsideNow()), "UTC")),
                        "Authorized user on account \"$G\" outside of valid connect times"),
                Arguments.of("only unknown connection types", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.allow(r, ISSUER, "$G", u -> u.withAllowedConnectionTypes(List.of("CARRIER"))),
                        "Authorized user on account \"$G\" using invalid connection type"),
                Arguments.of("a user JWT that is no user", (Function<CalloutService.Request, byte[]>) r ->
                        CalloutService.response(r, ISSUER, CalloutService.sign(ClaimsData.of(r.userNkey()),
                                ClaimType.ACTIVATION, null, ISSUER), null, c -> c),
                        "Not user claim"),
                Arguments.of("sanity: the same service admits", ok, null));
    }

    /** A one-second connect window twelve hours away from now (UTC). */
    private static TimeRange outsideNow() {
        java.time.LocalTime start = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusHours(12).withNano(0);
        return new TimeRange(start.toString().length() == 5 ? start + ":00" : start.toString(),
                start.plusSeconds(1).toString().length() == 5 ? start.plusSeconds(1) + ":00"
                        : start.plusSeconds(1).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedReplies")
    void shouldRefuseBadRepliesWithNatsServersReasons(String name, Function<CalloutService.Request, byte[]> reply,
                                                      String reason) throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, reply);
             LogCapture logs = LogCapture.ofNames("io.jnatsd.server.conn.Connection",
                     "io.jnatsd.server.auth.AuthCallout")) {
            if (reason == null) {
                try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                    raw.send(CONNECT + "PING\r\n");
                    raw.expectLine("PONG");
                }
                return;
            }
            long cid = assertRawRejected(server, CONNECT);
            assertThat(logs.await(reason)).startsWith("[WARN] " + reason);
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.AUTHENTICATION_VIOLATION);
            assertThat(logs.lines().stream().filter(l -> l.endsWith("authentication error - User \"dlc\"")))
                    .as("nats-server rejects in the reply handler and again after the callout").hasSize(2);
            assertThat(service.failures).isEmpty();
        }
    }

    @Test
    void shouldCloseWithProxyRequiredForAProxyOnlyUser() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.response(r, ISSUER,
                     CalloutService.sign(ClaimsData.of(r.userNkey()).withAudience("$G"), ClaimType.USER,
                             UserClaims.unlimited().withProxyRequired(true), ISSUER), null, c -> c));
             LogCapture logs = LogCapture.ofNames("io.jnatsd.server.conn.Connection")) {
            long cid = assertRawRejected(server, CONNECT);
            assertThat(logs.await("Proxy connection required")).isEqualTo("[WARN] Proxy connection required");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.PROXY_REQUIRED);
        }
    }

    @Test
    void shouldRefuseWhenTheServiceDoesNotAnswerInTime() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", "debug: true\n").replace(
                "timeout: 2", "timeout: 0.5"));
             CalloutService service = service(server, null, r -> null);
             LogCapture logs = LogCapture.ofNames("io.jnatsd.server.auth.AuthCallout")) {
            long cid = assertRawRejected(server, CONNECT);
            assertThat(service.requests).hasSize(1);
            assertThat(logs.await("not received in time")).isEqualTo(
                    "[DEBUG] Authorization callout response not received in time on account \"$G\"");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.AUTHENTICATION_VIOLATION);
        }
    }

    @Test
    void shouldSealRequestsForTheServiceXkeyAndOpenSealedReplies() throws Exception {
        NKey xkey = NKey.create(NKeyType.CURVE);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("    xkey: " + xkey.publicKey() + "\n",
                ""));
             SealingService sealing = new SealingService(server, xkey)) {
            String serverXKey = server.server().info().xkey();
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send(CONNECT + "PING\r\n");
                raw.expectLine("PONG");
            }
            CalloutService.Request sealed = sealing.service.requests.getFirst();
            assertThat(sealed.serverXKey()).isEqualTo(serverXKey);
            assertThat(sealed.claims().server().xkey()).isEqualTo(serverXKey);
            sealing.sealReplies = false;
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send(CONNECT + "PING\r\n");
                raw.expectLine("PONG");
            }
            sealing.garbleReplies = true;
            assertRawRejected(server, CONNECT);
            assertThat(sealing.service.failures).isEmpty();
        }
    }

    /** A service with an xkey that can seal its replies, answer in plain text, or send undecryptable bytes. */
    private static final class SealingService implements AutoCloseable {
        final CalloutService service;
        volatile boolean sealReplies = true;
        volatile boolean garbleReplies;

        SealingService(EmbeddedServer server, NKey xkey) throws Exception {
            CalloutService[] self = new CalloutService[1];
            service = service(server, xkey, r -> {
                byte[] allow = CalloutService.allow(r, ISSUER, "$G", u -> u);
                if (garbleReplies) {
                    return "xkv1 definitely not a box".getBytes(StandardCharsets.US_ASCII);
                }
                return sealReplies ? self[0].seal(r, allow) : allow;
            });
            self[0] = service;
        }

        @Override
        public void close() {
            service.close();
        }
    }

    @Test
    void shouldDelegateOnlyTheAllowedAccountsAndUnknownUsers() throws Exception {
        String conf = config("    allowed_accounts: [ A ]\n", "accounts {\n  A { users: [ {user: a, password: a} ] }"
                + "\n  B { users: [ {user: b, password: b} ] }\n}\n");
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             CalloutService service = service(server, null, r -> "b".equals(r.connect().user())
                     ? CalloutService.allow(r, ISSUER, "$G", u -> u)
                     : CalloutService.response(r, ISSUER, null, "not you", c -> c))) {
            assertRawRejected(server, CONNECT.replace("dlc", "a").replace("zzz", "a"));
            assertThat(service.requests).as("A is delegated: the callout's refusal wins").hasSize(1);
            try (Connection nc = connect(server, new Options.Builder().userInfo("b", "b"))) {
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            assertThat(service.requests).as("B is not delegated").hasSize(1);
            assertRawRejected(server, CONNECT);
            assertThat(service.requests).as("an unknown user stays in $G: delegated").hasSize(2);
        }
    }

    @Test
    void shouldNotAskAboutAuthUsersEvenWithAWrongPassword() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.allow(r, ISSUER, "$G", u -> u))) {
            assertRawRejected(server, CONNECT.replace("dlc", "auth"));
            assertThat(service.requests).isEmpty();
        }
    }

    @Test
    void shouldAskAboutANoAuthUserThatSkipsConnect() throws Exception {
        String conf = config("", "no_auth_user: anon\n").replace("{ user: auth, password: pwd } ]",
                "{ user: auth, password: pwd }, { user: anon, password: \"\" } ]");
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             CalloutService service = service(server, null, r -> CalloutService.allow(r, ISSUER, "$G", u -> u));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("PING\r\n");
            raw.expectLine("PONG");
            assertThat(service.requests).hasSize(1);
            assertThat(service.requests.getFirst().connect().user()).isEqualTo("anon");
        }
    }

    @Test
    void shouldSendTheClientsTlsSessionAndCertificates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.jnatsd.server.tls.TestPki pki = io.jnatsd.server.tls.TestPki.create(dir, "callout");
        io.jnatsd.server.tls.TestPki.Issued serverCert = pki.server("server");
        io.jnatsd.server.tls.TestPki.Issued clientCert = pki.client("client");
        String tls = "tls { cert_file: \"" + serverCert.certFile() + "\", key_file: \"" + serverCert.keyFile()
                + "\", ca_file: \"" + pki.caFile() + "\", verify: true }\n";
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", tls));
             CalloutService service = new CalloutService(Nats.connect(new Options.Builder()
                     .server("tls://127.0.0.1:" + server.port()).sslContext(pki.clientContext(clientCert))
                     .userInfo("auth", "pwd").connectionTimeout(TIMEOUT).maxReconnects(0).build()), null,
                     r -> CalloutService.allow(r, ISSUER, "$G", u -> u));
             Connection nc = Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + server.port())
                     .sslContext(pki.clientContext(clientCert)).userInfo("dlc", "zzz").connectionTimeout(TIMEOUT)
                     .maxReconnects(0).build())) {
            var tlsInfo = service.requests.getFirst().claims().clientTls();
            assertThat(tlsInfo.version()).isIn("1.2", "1.3");
            assertThat(tlsInfo.cipher()).startsWith("TLS_");
            assertThat(tlsInfo.certs()).as("verified: the chain goes under verified_chains").isNull();
            String pem = tlsInfo.verifiedChains().getFirst().getFirst();
            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
            var parsed = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            assertThat(parsed).isEqualTo(clientCert.certificate());
        }
    }

    @Test
    void shouldLogUnknownCalloutAccountsAndUsersAtStart() {
        String conf = config("    account: NOPE\n", "").replace("auth_users: [ auth ]", "auth_users: [ auth, ghost ]");
        try (LogCapture logs = LogCapture.ofNames("io.jnatsd.server.NatsServer");
             EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
            assertThat(logs.lines()).contains("[ERROR] Authorization callout account \"NOPE\" not valid",
                    "[ERROR] Authorization callout user \"ghost\" not valid: account missing");
            assertRawRejected(server, CONNECT);
        }
    }

    @Test
    void shouldRedactTokensInTheClientInfo() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config("", ""));
             CalloutService service = service(server, null, r -> CalloutService.allow(r, ISSUER, "$G", u -> u));
             Connection nc = connect(server, new Options.Builder().token("SECRET_TOKEN".toCharArray()))) {
            CalloutService.Request request = service.requests.getFirst();
            assertThat(request.claims().clientInfo().user()).isEqualTo("[REDACTED]");
            assertThat(request.connect().token()).isEqualTo("SECRET_TOKEN");
        }
    }
}
