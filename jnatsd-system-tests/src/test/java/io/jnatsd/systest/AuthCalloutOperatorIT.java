package io.jnatsd.systest;

import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.ExternalAuthorization;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator-mode auth callout (security.md section 6): an account JWT with {@code authorization} (auth users, allowed
 * accounts, xkey) delegates the users that bind to it, typically through a bearer sentinel user or
 * {@code default_sentinel}; the service answers with a user JWT of the callout account or an allowed one.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class AuthCalloutOperatorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JwtFixture fx = new JwtFixture();
    private final NKey auth = NKey.createAccount();
    private final NKey app = NKey.createAccount();
    private final NKey other = NKey.createAccount();
    private final NKey serviceUser = NKey.createUser();
    private final NKey sentinelUser = NKey.createUser();
    private final String sentinel = JwtFixture.user(sentinelUser, "sentinel", auth, c -> c,
            u -> u.withBearerToken(true).withPermissions(new Permission(null, List.of(">")),
                    new Permission(null, List.of(">"))));

    private String config(List<String> allowed, String xkey, String extra) {
        String authJwt = fx.account(auth, "AUTH", c -> c.withAuthorization(new ExternalAuthorization(
                List.of(serviceUser.publicKey()), allowed, xkey)));
        return fx.memoryConfig(auth.publicKey(), authJwt, app.publicKey(), fx.account(app, "APP", c -> c),
                other.publicKey(), fx.account(other, "OTHER", c -> c)) + extra;
    }

    private static Connection connect(EmbeddedServer server, byte[] creds) throws Exception {
        Options.Builder options = new Options.Builder().server(server.url()).connectionTimeout(TIMEOUT)
                .maxReconnects(0);
        if (creds != null) {
            options.authHandler(Nats.staticCredentials(creds));
        }
        return Nats.connect(options.build());
    }

    private CalloutService service(EmbeddedServer server, NKey xkey,
                                   Function<CalloutService.Request, byte[]> responder) throws Exception {
        byte[] creds = JwtFixture.creds(JwtFixture.user(serviceUser, "svc", auth, c -> c, u -> u), serviceUser);
        return new CalloutService(connect(server, creds), xkey, responder);
    }

    /** A response admitting the client as a user issued by {@code issuer}, signed by the callout account. */
    private byte[] allowAs(CalloutService.Request r, NKey issuer) {
        return CalloutService.response(r, auth, CalloutService.user(r, issuer, null, c -> c, u -> u), null, c -> c);
    }

    private byte[] sentinelCreds() {
        return JwtFixture.creds(sentinel, sentinelUser);
    }

    @Test
    void shouldPlaceASentinelUserInAnAllowedAccount() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(app.publicKey()), null, ""));
             CalloutService service = service(server, null, r -> allowAs(r, app));
             Connection a = connect(server, sentinelCreds());
             Connection b = connect(server, sentinelCreds())) {
            assertThat(service.failures).isEmpty();
            CalloutService.Request request = service.requests.getFirst();
            assertThat(request.jwt().subject()).isEqualTo(auth.publicKey());
            assertThat(request.connect().jwt()).isEqualTo(sentinel);
            assertThat(request.claims().clientInfo().user()).isEqualTo(sentinelUser.publicKey());
            assertThat(request.claims().clientInfo().nameTag()).isEqualTo("sentinel");
            assertThat(server.server().clients()).filteredOn(c -> c.jwtAccount() != null
                    && c.jwtAccount().key().equals(app.publicKey())).hasSize(2);

            Subscription sub = b.subscribe("greeting");
            b.flush(TIMEOUT);
            a.publish("greeting", "hi".getBytes(StandardCharsets.US_ASCII));
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).as("both callout users are in APP, no longer bound by the sentinel's deny-all").isNotNull();
        }
    }

    @Test
    void shouldDenyTheCalloutSubjectToUsersPlacedInTheCalloutAccount() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(), null, ""));
             CalloutService service = service(server, null, r -> allowAs(r, auth));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"protocol\":1,\"jwt\":\"" + sentinel + "\"}\r\n"
                    + "PUB $SYS.REQ.USER.AUTH 0\r\n\r\nPUB x 0\r\n\r\nPING\r\n");
            assertThat(raw.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Publish to \"$SYS.REQ.USER.AUTH\"'", "PONG");
            assertThat(server.client(raw.clientId()).orElseThrow().jwtAccount().key()).isEqualTo(auth.publicKey());
        }
    }

    @Test
    void shouldRefuseAccountsThatAreNotAllowedAndUnknownSigners() throws Exception {
        NKey stranger = NKey.createAccount();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(app.publicKey()), null, ""));
             CalloutService service = service(server, null, r -> "bad-signer".equals(r.connect().name())
                     ? CalloutService.response(r, stranger, CalloutService.user(r, app, null, c -> c, u -> u), null,
                             c -> c)
                     : allowAs(r, other));
             LogCapture logs = LogCapture.ofNames("io.jnatsd.server.conn.Connection")) {
            long cid = rejectRaw(server, "other");
            assertThat(logs.await("not permitted")).isEqualTo("[WARN] Account \"" + other.publicKey()
                    + "\" not permitted as valid account option for auth callout for account \""
                    + auth.publicKey() + "\"");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.AUTHENTICATION_VIOLATION);
            rejectRaw(server, "bad-signer");
            assertThat(logs.await("signing key")).isEqualTo("[WARN] Auth callout signing key is unknown");
            assertThat(service.failures).isEmpty();
        }
    }

    private long rejectRaw(EmbeddedServer server, String name) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"protocol\":1,\"name\":\"" + name + "\",\"jwt\":\"" + sentinel
                    + "\"}\r\n");
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            return raw.clientId();
        }
    }

    @Test
    void shouldAcceptAnyAccountWithAStar() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of("*"), null, ""));
             CalloutService service = service(server, null, r -> allowAs(r, other));
             Connection nc = connect(server, sentinelCreds())) {
            assertThat(server.server().clients()).filteredOn(c -> c.jwtAccount() != null
                    && c.jwtAccount().key().equals(other.publicKey())).hasSize(1);
        }
    }

    @Test
    void shouldSealRequestsForTheAccountXkey() throws Exception {
        NKey xkey = NKey.create(NKeyType.CURVE);
        CalloutService[] self = new CalloutService[1];
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(app.publicKey()),
                xkey.publicKey(), ""));
             CalloutService service = service(server, xkey, r -> self[0].seal(r, allowAs(r, app)))) {
            self[0] = service;
            try (Connection nc = connect(server, sentinelCreds())) {
                CalloutService.Request request = service.requests.getFirst();
                assertThat(request.serverXKey()).isEqualTo(server.server().info().xkey());
                assertThat(request.claims().server().xkey()).isEqualTo(server.server().info().xkey());
                assertThat(service.failures).isEmpty();
            }
        }
    }

    @Test
    void shouldUseTheDefaultSentinelForClientsWithoutAJwt() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(app.publicKey()), null,
                "default_sentinel: \"" + sentinel + "\"\n"));
             CalloutService service = service(server, null, r -> allowAs(r, app));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"protocol\":1,\"user\":\"joe\",\"pass\":\"s3cr3t\"}\r\nPING\r\n");
            raw.expectLine("PONG");
            CalloutService.Request request = service.requests.getFirst();
            assertThat(request.connect().jwt()).isEqualTo(sentinel);
            assertThat(request.connect().user()).isEqualTo("joe");
            assertThat(request.connect().password()).isEqualTo("s3cr3t");
        }
    }

    @Test
    void shouldNotAskAboutTheServiceItself() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(), null, ""));
             CalloutService service = service(server, null, r -> allowAs(r, auth))) {
            assertThat(service.requests).isEmpty();
            assertThat(server.server().clients()).hasSize(1);
        }
    }

    @Test
    void shouldRefuseAUserJwtThatIsNotTheRequestedUser() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(config(List.of(app.publicKey()), null, ""));
             CalloutService service = service(server, null, r -> CalloutService.response(r, auth,
                     CalloutService.sign(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                             UserClaims.unlimited(), app), null, c -> c));
             LogCapture logs = LogCapture.ofNames("io.jnatsd.server.conn.Connection")) {
            rejectRaw(server, "x");
            assertThat(logs.await("Expected authorized user")).endsWith("on account \"" + auth.publicKey() + "\"");
        }
    }
}
