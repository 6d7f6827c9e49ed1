package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.jwt.AccountLimits;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.Permissions;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account JWT updates applied to connected clients (security.md 5.7, 5.8): lowered connection limits, changed
 * default permissions, account expiry, deletion through {@code $SYS.REQ.CLAIMS.DELETE}, and the resolver replies
 * ({@code jwt update skipped}, PACK with an equal hash).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class JwtUpdatesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwtFixture fx = new JwtFixture();
    private final NKey account = NKey.createAccount();
    private final NKey sysUser = NKey.createUser();

    private Connection system(EmbeddedServer server) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).noReconnect()
                .connectionTimeout(TIMEOUT).authHandler(
                Nats.staticCredentials(JwtFixture.creds(JwtFixture.user(sysUser, "sys", fx.system, c -> c, u -> u),
                        sysUser))).build());
    }

    private JsonNode update(Connection sys, String accountJwt) throws Exception {
        Message reply = sys.request("$SYS.REQ.ACCOUNT." + account.publicKey() + ".CLAIMS.UPDATE",
                accountJwt.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        return JSON.readTree(reply.getData());
    }

    private static String jwtOf(NKey user, NKey account) {
        return JwtFixture.user(user, "u", account, c -> c, u -> u);
    }

    @Test
    void shouldKickNewestClientsWhenConnectionLimitDrops() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)));
             Connection sys = system(server)) {
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                NKey user = NKey.createUser();
                RawClient raw = JwtIT.rawConnect(server.port(), jwtOf(user, account), user);
                raw.expectLine("PONG");
                clients.add(raw);
            }
            JsonNode reply = update(sys, fx.account(account, "A",
                    c -> c.withLimits(AccountLimits.unlimited().withConnections(1))));
            assertThat(reply.path("data").path("message").asText()).isEqualTo("jwt updated");
            assertThat(clients.get(2).readLine()).isEqualTo("-ERR 'maximum account active connections exceeded'");
            assertThat(clients.get(1).readLine()).isEqualTo("-ERR 'maximum account active connections exceeded'");
            assertThat(server.awaitClosedReason(clients.get(2).clientId()))
                    .isEqualTo(ClosedState.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            clients.get(0).send("PING\r\n").expectLine("PONG");
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void shouldReplaceDefaultPermissionsOnUpdate() throws Exception {
        NKey user = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)));
             Connection sys = system(server);
             RawClient raw = JwtIT.rawConnect(server.port(), jwtOf(user, account), user)) {
            raw.expectLine("PONG");
            update(sys, fx.account(account, "A", c -> c.withDefaultPermissions(
                    new Permissions(Permission.deny("secret"), Permission.NONE, null))));
            raw.send("PUB secret 0\r\n\r\nPING\r\n");
            raw.expectLine("-ERR 'Permissions Violation for Publish to \"secret\"'");
        }
    }

    @Test
    void shouldExpireClientsWithTheAccount() throws Exception {
        NKey user = NKey.createUser();
        long exp = Instant.now().getEpochSecond() + 5;
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c, exp)));
             RawClient raw = JwtIT.rawConnect(server.port(), jwtOf(user, account), user)) {
            raw.expectLine("PONG");
            assertThat(JwtIT.nextNonPing(raw, TIMEOUT)).isEqualTo("-ERR 'Account Authentication Expired'");
            assertThat(server.awaitClosedReason(raw.clientId())).isEqualTo(ClosedState.AUTHENTICATION_EXPIRED);
        }
    }

    @Test
    void shouldSkipUpdatesOfUnloadedAccountsInMemoryResolver() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig());
             Connection sys = system(server)) {
            JsonNode reply = update(sys, fx.account(account, "A", c -> c));
            assertThat(reply.path("data").path("message").asText()).isEqualTo("jwt update skipped");
            assertThat(reply.path("data").path("code").asInt()).isEqualTo(200);
        }
    }

    @Test
    void shouldDeleteAccountsAndAnswerPack(@TempDir Path dir) throws Exception {
        NKey user = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.fullConfig(dir));
             Connection sys = system(server)) {
            update(sys, fx.account(account, "A", c -> c));
            try (RawClient raw = JwtIT.rawConnect(server.port(), jwtOf(user, account), user)) {
                raw.expectLine("PONG");

                ObjectNode nats = JSON.createObjectNode();
                nats.putArray("accounts").add(account.publicKey());
                String request = JwtFixture.sign(ClaimsData.of(fx.operator.publicKey()), ClaimType.GENERIC, nats,
                        fx.operator);
                JsonNode reply = JSON.readTree(sys.request("$SYS.REQ.CLAIMS.DELETE",
                        request.getBytes(StandardCharsets.UTF_8), TIMEOUT).getData());
                assertThat(reply.path("data").path("message").asText()).isEqualTo("deleted 1 accounts");
                assertThat(JwtIT.nextNonPing(raw, TIMEOUT)).isEqualTo("-ERR 'Account Authentication Expired'");
            }
            assertThat(dir.resolve(account.publicKey() + ".jwt.deleted")).exists();

            ObjectNode sysDelete = JSON.createObjectNode();
            sysDelete.putArray("accounts").add(fx.system.publicKey());
            String request = JwtFixture.sign(ClaimsData.of(fx.operator.publicKey()), ClaimType.GENERIC, sysDelete,
                    fx.operator);
            JsonNode refused = JSON.readTree(sys.request("$SYS.REQ.CLAIMS.DELETE",
                    request.getBytes(StandardCharsets.UTF_8), TIMEOUT).getData());
            assertThat(refused.path("error").path("description").asText()).isEqualTo("delete accounts request by "
                    + fx.operator.publicKey() + " failed - not allowed to delete system account");

            Subscription inbox = sys.subscribe("_INBOX.pack");
            sys.publish("$SYS.REQ.CLAIMS.PACK", "_INBOX.pack", new byte[32]);
            Message first = inbox.nextMessage(TIMEOUT);
            assertThat(new String(first.getData(), StandardCharsets.UTF_8))
                    .startsWith(fx.system.publicKey() + "|eyJ");
            assertThat(inbox.nextMessage(TIMEOUT).getData()).isEmpty();
        }
    }
}
