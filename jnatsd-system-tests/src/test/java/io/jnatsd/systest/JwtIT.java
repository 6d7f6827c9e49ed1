package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.jwt.AccountLimits;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Operator (JWT) mode through the official Java client with {@code .creds} minted in the test (security.md sections
 * 2 and 5): MEMORY and full resolvers, revoked, expired and wrongly signed users, user and account limits, scoped
 * signing keys, expiry while connected, and claim updates through {@code $SYS.REQ.CLAIMS.UPDATE}.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class JwtIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwtFixture fx = new JwtFixture();
    private final NKey account = NKey.createAccount();

    private static Options.Builder options(EmbeddedServer server, byte[] creds) {
        return new Options.Builder().server(server.url()).authHandler(Nats.staticCredentials(creds))
                .connectionTimeout(TIMEOUT).maxReconnects(0).noReconnect();
    }

    private static Connection connect(EmbeddedServer server, byte[] creds) throws Exception {
        return Nats.connect(options(server, creds).build());
    }

    /** A raw client that sent CONNECT with {@code jwt} and the nonce signed by {@code user}, then PING. */
    static RawClient rawConnect(int port, String jwt, NKey user) {
        RawClient raw = RawClient.connectAndReadInfo(port);
        String nonce = raw.info().get("nonce").asText();
        String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                user.sign(nonce.getBytes(StandardCharsets.US_ASCII)));
        raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + jwt + "\",\"sig\":\"" + sig + "\"}\r\nPING\r\n");
        return raw;
    }

    /** The next line that is not a server PING (the first client PING comes about 2 s after CONNECT). */
    static String nextNonPing(RawClient raw, Duration timeout) {
        String line = raw.readLine(timeout);
        while ("PING".equals(line)) {
            raw.send("PONG\r\n");
            line = raw.readLine(timeout);
        }
        return line;
    }

    /** The first line the server answers a CONNECT+PING with {@code jwt} signed by {@code user}. */
    static String firstReply(int port, String jwt, NKey user) {
        try (RawClient raw = rawConnect(port, jwt, user)) {
            return raw.readLine();
        }
    }

    @Test
    void shouldConnectWithCredsThroughMemoryResolver() throws Exception {
        String accountJwt = fx.account(account, "A", c -> c);
        NKey user = NKey.createUser();
        byte[] creds = JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c, u -> u), user);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                accountJwt)); Connection nc = connect(server, creds)) {
            Subscription sub = nc.subscribe("greet");
            nc.publish("greet", "hi".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hi");
            assertThat(server.server().info().authRequired()).isTrue();
            assertThat(server.client(clientId(nc)).orElseThrow().account().name()).isEqualTo(account.publicKey());
        }
    }

    @Test
    void shouldConnectWithCredsFile(@TempDir Path dir) throws Exception {
        NKey user = NKey.createUser();
        Path file = dir.resolve("u.creds");
        Files.write(file, JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c, u -> u), user));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)));
             Connection nc = Nats.connect(new Options.Builder().server(server.url())
                     .authHandler(Nats.credentials(file.toString())).noReconnect().build())) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void shouldTreatVersionOneUserWithoutLimitsAsUnlimited() throws Exception {
        NKey user = NKey.createUser();
        byte[] creds = JwtFixture.creds(JwtFixture.userV1(user, "v1", account), user);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c))); Connection nc = connect(server, creds)) {
            Subscription sub = nc.subscribe("v1.subject");
            nc.publish("v1.subject", "payload".getBytes(StandardCharsets.UTF_8));
            assertThat(sub.nextMessage(TIMEOUT).getData()).asString(StandardCharsets.UTF_8).isEqualTo("payload");
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void shouldRejectRevokedExpiredAndWronglySignedUsers() throws Exception {
        NKey revoked = NKey.createUser();
        NKey stranger = NKey.createAccount();
        long now = Instant.now().getEpochSecond();
        String accountJwt = fx.account(account, "A", c -> c.withRevocation(revoked.publicKey(), now + 60));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                accountJwt))) {
            String revokedJwt = JwtFixture.user(revoked, "r", account, c -> c, u -> u);
            NKey expired = NKey.createUser();
            String expiredJwt = JwtFixture.user(expired, "e", account, c -> c.withExpires(now - 10), u -> u);
            NKey other = NKey.createUser();
            String wrongSigner = JwtFixture.user(other, "w", stranger, c -> c,
                    u -> u.withIssuerAccount(account.publicKey()));
            NKey notYet = NKey.createUser();
            String notYetJwt = JwtFixture.user(notYet, "n", account, c -> c.withNotBefore(now + 3600), u -> u);
            NKey good = NKey.createUser();
            String goodJwt = JwtFixture.user(good, "g", account, c -> c, u -> u);
            assertThat(firstReply(server.port(), revokedJwt, revoked)).isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server.port(), expiredJwt, expired)).isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server.port(), wrongSigner, other)).isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server.port(), notYetJwt, notYet)).isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server.port(), goodJwt, other)).isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server.port(), goodJwt, good)).isEqualTo("PONG");
            byte[] revokedCreds = JwtFixture.creds(revokedJwt, revoked);
            assertThatThrownBy(() -> Nats.connect(options(server, revokedCreds)
                    .connectionTimeout(Duration.ofSeconds(2)).build()))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("Authorization Violation");
        }
    }

    @Test
    void shouldRejectUnknownAccountAndMissingJwt() throws Exception {
        NKey user = NKey.createUser();
        byte[] creds = JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c, u -> u), user);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig());
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            assertThat(raw.info().get("nonce").asText()).hasSize(15);
            assertThat(raw.info().get("auth_required").asBoolean()).isTrue();
            raw.send("CONNECT {\"verbose\":false}\r\n");
            raw.expectLine("-ERR 'Authorization Violation'");
            assertThat(raw.isClosedWithin(TIMEOUT)).isTrue();
            String jwt = new String(creds, StandardCharsets.UTF_8).split("\n")[1];
            assertThat(firstReply(server.port(), jwt, user)).isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldAcceptBearerTokenWithoutSignature() throws Exception {
        NKey user = NKey.createUser();
        String jwt = JwtFixture.user(user, "b", account, c -> c, u -> u.withBearerToken(true));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + jwt + "\"}\r\nPING\r\n");
            raw.expectLine("PONG");
        }
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c.withLimits(AccountLimits.unlimited().withDisallowBearer(true)))));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + jwt + "\"}\r\nPING\r\n");
            raw.expectLine("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldEnforceUserAndAccountLimits() throws Exception {
        String accountJwt = fx.account(account, "A", c -> c.withLimits(AccountLimits.unlimited().withConnections(1)));
        NKey user = NKey.createUser();
        byte[] creds = JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c,
                u -> u.withLimits(2, -1, 8)), user);
        List<String> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                accountJwt));
             Connection nc = Nats.connect(options(server, creds).errorListener(new ErrorListener() {
                 @Override
                 public void errorOccurred(Connection conn, String error) {
                     errors.add(error);
                 }
             }).build())) {
            String jwt = new String(creds, StandardCharsets.UTF_8).split("\n")[1];
            assertThat(firstReply(server.port(), jwt, user))
                    .isEqualTo("-ERR 'maximum account active connections exceeded'");
            assertThat(nc.getServerInfo().getMaxPayload()).isPositive();
            nc.subscribe("a");
            nc.subscribe("b");
            nc.subscribe("c");
            nc.flush(TIMEOUT);
            Await.until(TIMEOUT, () -> errors.contains("maximum subscriptions exceeded"));
            long cid = clientId(nc);
            nc.publish("big", "123456789".getBytes(StandardCharsets.UTF_8));
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.MAX_PAYLOAD_EXCEEDED);
        }
    }

    @Test
    void shouldApplyScopedSigningKeyTemplate() throws Exception {
        NKey scope = NKey.createAccount();
        String accountJwt = fx.account(account, "A", c -> c.withSigningKeys(List.of(SigningKey.scope(
                scope.publicKey(), "dev", UserClaims.unlimited().withPermissions(
                        Permission.allow("{{name()}}.>"), Permission.allow("{{name()}}.>", "_INBOX.>"))))));
        NKey user = NKey.createUser();
        String jwt = JwtFixture.user(user, "alice", scope, c -> c,
                u -> UserClaims.empty().withIssuerAccount(account.publicKey()));
        List<String> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                accountJwt));
             Connection nc = Nats.connect(options(server, JwtFixture.creds(jwt, user)).errorListener(
                     new ErrorListener() {
                         @Override
                         public void errorOccurred(Connection conn, String error) {
                             errors.add(error);
                         }
                     }).build())) {
            Subscription sub = nc.subscribe("alice.x");
            nc.publish("alice.x", new byte[]{1});
            assertThat(sub.nextMessage(TIMEOUT)).isNotNull();
            nc.publish("bob.x", new byte[]{1});
            nc.flush(TIMEOUT);
            Await.until(TIMEOUT, () -> errors.contains("Permissions Violation for Publish to \"bob.x\""));
        }
        NKey limited = NKey.createUser();
        String withPerms = JwtFixture.user(limited, "eve", scope, c -> c,
                u -> u.withIssuerAccount(account.publicKey()));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                accountJwt))) {
            assertThat(firstReply(server.port(), withPerms, limited)).isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldCloseClientWhenUserJwtExpires() throws Exception {
        NKey user = NKey.createUser();
        long exp = Instant.now().getEpochSecond() + 2;
        byte[] creds = JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c.withExpires(exp), u -> u), user);
        String jwt = new String(creds, StandardCharsets.UTF_8).split("\n")[1];
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)));
             RawClient raw = rawConnect(server.port(), jwt, user)) {
            raw.expectLine("PONG");
            long cid = raw.clientId();
            assertThat(nextNonPing(raw, TIMEOUT)).isEqualTo("-ERR 'User Authentication Expired'");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.AUTHENTICATION_EXPIRED);
        }
    }

    @Test
    void shouldStoreUpdatesAndRevokeThroughFullResolver(@TempDir Path dir) throws Exception {
        NKey sysUser = NKey.createUser();
        byte[] sysCreds = JwtFixture.creds(JwtFixture.user(sysUser, "sys", fx.system, c -> c, u -> u), sysUser);
        NKey user = NKey.createUser();
        byte[] creds = JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c, u -> u), user);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.fullConfig(dir));
             Connection sys = connect(server, sysCreds)) {
            String userJwt = new String(creds, StandardCharsets.UTF_8).split("\n")[1];
            assertThat(firstReply(server.port(), userJwt, user)).isEqualTo("-ERR 'Authorization Violation'");

            Message reply = sys.request("$SYS.REQ.CLAIMS.UPDATE",
                    fx.account(account, "A", c -> c).getBytes(StandardCharsets.UTF_8), TIMEOUT);
            JsonNode json = JSON.readTree(reply.getData());
            assertThat(json.path("data").path("code").asInt()).isEqualTo(200);
            assertThat(json.path("data").path("message").asText()).isEqualTo("jwt updated");
            assertThat(json.path("data").path("account").asText()).isEqualTo(account.publicKey());
            assertThat(json.path("server").path("id").asText()).isEqualTo(server.server().serverId());
            assertThat(dir.resolve(account.publicKey() + ".jwt")).exists();

            Message lookup = sys.request("$SYS.REQ.ACCOUNT." + account.publicKey() + ".CLAIMS.LOOKUP", null,
                    TIMEOUT);
            assertThat(new String(lookup.getData(), StandardCharsets.UTF_8)).startsWith("eyJ");
            JsonNode list = JSON.readTree(sys.request("$SYS.REQ.CLAIMS.LIST", null, TIMEOUT).getData());
            assertThat(list.path("data").toString()).contains(account.publicKey(), fx.system.publicKey());

            Message mismatch = sys.request("$SYS.REQ.ACCOUNT." + fx.system.publicKey() + ".CLAIMS.UPDATE",
                    fx.account(account, "A", c -> c).getBytes(StandardCharsets.UTF_8), TIMEOUT);
            assertThat(JSON.readTree(mismatch.getData()).path("error").path("description").asText())
                    .isEqualTo("jwt update resulted in error - subject does not match jwt content");

            try (Connection nc = connect(server, creds)) {
                long cid = clientId(nc);
                String revoking = fx.account(account, "A",
                        c -> c.withRevocation(user.publicKey(), Instant.now().getEpochSecond() + 5));
                Message r = sys.request("$SYS.REQ.ACCOUNT." + account.publicKey() + ".CLAIMS.UPDATE",
                        revoking.getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(JSON.readTree(r.getData()).path("data").path("message").asText())
                        .isEqualTo("jwt updated");
                assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.REVOCATION);
            }
        }
    }

    @Test
    void shouldFetchAccountsFromUrlResolver() throws Exception {
        String accountJwt = fx.account(account, "A", c -> c);
        List<String> paths = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwt/v1/accounts/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            String key = exchange.getRequestURI().getPath().substring("/jwt/v1/accounts/".length());
            byte[] body = key.equals(account.publicKey()) ? accountJwt.getBytes(StandardCharsets.UTF_8)
                    : key.equals(fx.system.publicKey()) ? fx.systemJwt.getBytes(StandardCharsets.UTF_8) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
        try {
            String conf = "operator: \"" + fx.operatorJwt + "\"\nsystem_account: " + fx.system.publicKey()
                    + "\nresolver: URL(\"http://127.0.0.1:" + http.getAddress().getPort() + "/jwt/v1/accounts/\")\n"
                    + JwtFixture.AUTH_TIMEOUT;
            NKey user = NKey.createUser();
            NKey stranger = NKey.createUser();
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
                // operations pipelined behind the CONNECT wait for the account fetch, then run in order
                try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                    String nonce = raw.info().get("nonce").asText();
                    String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                            user.sign(nonce.getBytes(StandardCharsets.US_ASCII)));
                    raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + JwtFixture.user(user, "u", account, c -> c,
                            u -> u) + "\",\"sig\":\"" + sig + "\"}\r\nSUB x 1\r\nPUB x 2\r\nhi\r\nPING\r\n");
                    raw.expectLine("MSG x 1 2");
                    raw.expectLine("hi");
                    raw.expectLine("PONG");
                    assertThat(server.client(raw.clientId()).orElseThrow().account().name())
                            .isEqualTo(account.publicKey());
                }
                assertThat(firstReply(server.port(), JwtFixture.user(stranger, "s", NKey.createAccount(), c -> c,
                        u -> u), stranger)).isEqualTo("-ERR 'Authorization Violation'");
            }
            assertThat(paths).contains("/jwt/v1/accounts/" + account.publicKey());
        } finally {
            http.stop(0);
        }
    }

    private static long clientId(Connection nc) {
        return nc.getServerInfo().getClientId();
    }
}
