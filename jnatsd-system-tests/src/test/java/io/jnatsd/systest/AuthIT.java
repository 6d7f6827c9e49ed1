package io.jnatsd.systest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.AuthHandler;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authentication and permissions in config mode as the official Java client ({@code io.nats:jnats}) and raw sockets
 * see them (security.md sections 1, 3 and 10): user/password and token in plain text and bcrypt, users lists, nkey
 * users signing the nonce, {@code no_auth_user}, the auth timeout, violations and their exact texts, publish and
 * subscribe permissions with wildcards and queue groups, {@code allow_responses}, {@code default_permissions}, the
 * {@code --user/--pass/--auth} flags and re-checking clients on reload. {@link AuthGoComparisonIT} runs the raw
 * scripts against the Go server as well.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class AuthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REJECT_TIMEOUT = Duration.ofSeconds(2);
    /** bcrypt of "foo" from nats-server's test/configs/authorization.conf. */
    static final String FOO_HASH = "$2a$04$P/.bd.7unw9Ew7yWJqXsl.f4oNRLQGvadEL2YnqQXbbb.IVQajRdK";

    private final Logger connectionLog = (Logger) LoggerFactory.getLogger(io.jnatsd.server.conn.Connection.class);
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(NatsServer.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        for (Logger logger : List.of(connectionLog, serverLog)) {
            logger.addAppender(logs);
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
        }
    }

    @AfterEach
    void releaseLogs() {
        for (Logger logger : List.of(connectionLog, serverLog)) {
            logger.detachAppender(logs);
            logger.setLevel(null);
            logger.setAdditive(true);
        }
    }

    private List<String> logLines(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static Connection connect(EmbeddedServer server, Options.Builder options) throws Exception {
        return Nats.connect(options.server(server.url()).connectionTimeout(TIMEOUT).maxReconnects(0).build());
    }

    private static Options.Builder user(String name, String password) {
        return new Options.Builder().userInfo(name, password);
    }

    /**
     * jnats reports the violation only once its connect timeout has passed (it waits for the PONG; the same with
     * nats-server), so rejections use a short one and most are checked on raw sockets instead.
     */
    private static void assertRejected(EmbeddedServer server, Options.Builder options) {
        assertThatThrownBy(() -> Nats.connect(options.server(server.url()).connectionTimeout(REJECT_TIMEOUT)
                .maxReconnects(0).build()).close())
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Authorization Violation");
    }

    /** Sends {@code connect} and expects the violation and the close. */
    private static void assertRawRejected(EmbeddedServer server, String connect) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(connect + "\r\n");
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An {@link AuthHandler} that signs the server's nonce with {@code key}, as a creds-less nkey client does. */
    private static AuthHandler nkeyHandler(NKey key) {
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                return key.sign(nonce);
            }

            @Override
            public char[] getID() {
                return key.publicKey().toCharArray();
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    /** Collects the -ERR texts jnats reports without closing the connection. */
    private static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.add(error);
        }

        void await(String text) {
            Await.until(TIMEOUT, () -> "error " + text + " in " + seen, () -> seen.stream()
                    .anyMatch(e -> e.contains(text)));
        }
    }

    // ------------------------------------------------------------------------------------------- authentication

    @Test
    void shouldAuthenticateAUserWithAPlainOrBcryptPassword() throws Exception {
        for (String password : List.of("foo", FOO_HASH)) {
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(
                    "authorization { user: derek, password: \"" + password + "\" }")) {
                try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                    assertThat(raw.info().path("auth_required").asBoolean()).isTrue();
                    assertThat(raw.info().has("nonce")).isFalse();
                }
                try (Connection nc = connect(server, user("derek", "foo"))) {
                    assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                }
                assertRawRejected(server, "CONNECT {\"user\":\"derek\",\"pass\":\"bar\"}");
                assertRawRejected(server, "CONNECT {\"user\":\"Derek\",\"pass\":\"foo\"}");
                assertRawRejected(server, "CONNECT {}");
            }
        }
    }

    @Test
    void shouldAuthenticateAPlainOrBcryptToken() throws Exception {
        for (String token : List.of("foo", FOO_HASH)) {
            try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { token: \"" + token
                    + "\" }")) {
                try (Connection nc = connect(server, new Options.Builder().token("foo".toCharArray()))) {
                    nc.flush(TIMEOUT);
                }
                assertRawRejected(server, "CONNECT {\"auth_token\":\"bar\"}");
                assertRawRejected(server, "CONNECT {\"user\":\"foo\",\"pass\":\"foo\"}");
            }
        }
    }

    @Test
    void shouldComparePlainTextThatLooksLikeBcryptAsPlainText() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { token: \"$not-bcrypt\" }")) {
            try (Connection nc = connect(server, new Options.Builder().token("$not-bcrypt".toCharArray()))) {
                nc.flush(TIMEOUT);
            }
        }
    }

    @Test
    void shouldAuthenticateUsersOfAList() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                authorization {
                  PASS: $2a$04$P/.bd.7unw9Ew7yWJqXsl.f4oNRLQGvadEL2YnqQXbbb.IVQajRdK
                  users: [
                    {user: alice, password: $PASS}
                    {user: bob, password: plain}
                  ]
                }
                """)) {
            try (Connection alice = connect(server, user("alice", "foo"));
                 Connection bob = connect(server, user("bob", "plain"))) {
                alice.flush(TIMEOUT);
                bob.flush(TIMEOUT);
            }
            assertRejected(server, user("carol", "foo"));
            assertRawRejected(server, "CONNECT {\"user\":\"bob\",\"pass\":\"foo\"}");
        }
        assertThat(logLines(Level.WARN)).contains("Plaintext passwords detected, use nkeys or bcrypt");
    }

    @Test
    void shouldAuthenticateNkeyUsersThatSignTheNonce() throws Exception {
        NKey alice = NKey.createUser();
        NKey stranger = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [ {nkey: "
                + alice.publicKey() + "} ] }")) {
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                assertThat(raw.info().path("nonce").asText()).hasSize(15);
                assertThat(raw.info().path("auth_required").asBoolean()).isTrue();
            }
            try (Connection nc = connect(server, new Options.Builder().authHandler(nkeyHandler(alice)))) {
                nc.flush(TIMEOUT);
            }
            try (Connection nc = connect(server, new Options.Builder().authHandler(Nats.staticCredentials(null,
                    alice.seed().toCharArray())))) {
                nc.flush(TIMEOUT);
            }
            assertRejected(server, new Options.Builder().authHandler(nkeyHandler(stranger)));
        }
    }

    /** The edge cases of security.md 10: missing, wrong and padded signatures, a key that signs for another. */
    @Test
    void shouldCheckNkeySignaturesByteForByte() {
        NKey alice = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [ {nkey: "
                + alice.publicKey() + "}, {user: u, password: p} ] }")) {
            assertThat(nkeyConnect(server, alice, alice, false, false)).startsWith("+OK");
            assertThat(nkeyConnect(server, alice, alice, true, false)).startsWith("+OK");      // std base64, padded
            assertThat(nkeyConnect(server, alice, NKey.createUser(), false, false))
                    .isEqualTo("-ERR 'Authorization Violation'\r\n<closed>");
            assertThat(nkeyConnect(server, alice, alice, false, true))                         // signs another nonce
                    .isEqualTo("-ERR 'Authorization Violation'\r\n<closed>");
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"nkey\":\"" + alice.publicKey() + "\"}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
            // an unknown nkey fails even though the user and password would pass
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"nkey\":\"" + NKey.createUser().publicKey() + "\",\"user\":\"u\",\"pass\":\"p\"}"
                        + "\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
        }
    }

    private static String nkeyConnect(EmbeddedServer server, NKey claimed, NKey signer, boolean padded,
                                      boolean otherNonce) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            String nonce = otherNonce ? "AAAAAAAAAAAAAAA" : raw.info().path("nonce").asText();
            byte[] sig = signer.sign(nonce.getBytes(StandardCharsets.US_ASCII));
            String encoded = padded ? java.util.Base64.getEncoder().encodeToString(sig)
                    : java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
            raw.send("CONNECT {\"verbose\":true,\"nkey\":\"" + claimed.publicKey() + "\",\"sig\":\"" + encoded
                    + "\"}\r\n");
            String first = raw.readRawLine(TIMEOUT);
            if (first.startsWith("+OK")) {
                return first;
            }
            return first + raw.readUntilClosed() + "<closed>";
        }
    }

    @Test
    void shouldMakeClientsWithoutCredentialsTheNoAuthUser() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                authorization {
                  users: [
                    {user: guest, password: guest, permissions: {publish: "public.>", subscribe: "public.>"}}
                    {user: admin, password: admin}
                  ]
                }
                no_auth_user: guest
                """)) {
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                assertThat(raw.info().has("auth_required")).isFalse();     // [obs]
            }
            Errors errors = new Errors();
            try (Connection guest = connect(server, new Options.Builder().errorListener(errors));
                 Connection admin = connect(server, user("admin", "admin"))) {
                Subscription sub = guest.subscribe("public.news");
                guest.flush(TIMEOUT);
                admin.publish("public.news", bytes("hi"));
                assertThat(sub.nextMessage(TIMEOUT)).isNotNull();
                guest.publish("private", bytes("x"));
                errors.await("Permissions Violation for Publish to \"private\"");
                assertThat(guest.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            assertRawRejected(server, "CONNECT {\"user\":\"guest\",\"pass\":\"wrong\"}");
            // telnet style: the first operation need not be CONNECT
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("PING\r\nSUB public.x 1\r\nPUB public.x 2\r\nhi\r\nPING\r\n");
                assertThat(raw.readLinesThrough("PONG")).containsExactly("PONG");
                assertThat(raw.readLinesThrough("PONG")).containsExactly("+OK", "+OK", "MSG public.x 1 2", "hi",
                        "PONG");
            }
        }
    }

    @Test
    void shouldFailANoAuthUserWithABcryptPasswordAsNatsServerDoes() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [{user: h, password: "
                + FOO_HASH + "}] }\nno_auth_user: h\n");
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false}\r\n");
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            assertThat(server.awaitClosedReason(raw.clientId())).isEqualTo(ClosedState.AUTHENTICATION_VIOLATION);
        }
        assertThat(logLines(Level.ERROR)).anyMatch(l -> l.endsWith("authentication error - User \"h\""));
    }

    /** 2.15 authenticates the no_auth_user before a first operation other than CONNECT (2.9.10 did not). */
    @Test
    void shouldFailABcryptNoAuthUserAlsoWithoutConnect() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [{user: h, password: "
                + FOO_HASH + "}] }\nno_auth_user: h\n");
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("PING\r\n");
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
    }

    @Test
    void shouldLetANoAuthNkeyUserInWithoutSigning() throws Exception {
        NKey key = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [{nkey: "
                + key.publicKey() + "}] }\nno_auth_user: " + key.publicKey() + "\n");
             Connection nc = connect(server, new Options.Builder())) {
            nc.flush(TIMEOUT);
        }
    }

    @Test
    void shouldCloseClientsThatDoNotAuthenticateInTime() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { token: t, timeout: 0.3 }");
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authentication Timeout'\r\n");
            assertThat(server.awaitClosedReason(raw.clientId())).isEqualTo(ClosedState.AUTHENTICATION_TIMEOUT);
        }
    }

    @Test
    void shouldNotTimeOutClientsThatAuthenticated() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { token: t, timeout: 0.3 }");
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"auth_token\":\"t\"}\r\n");
            assertThat(raw.isClosedWithin(Duration.ofSeconds(1))).isFalse();
            raw.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldRejectWrongCredentialsAndLogNoSecret() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [{user: bob, password:"
                + " s3cr3t}] }")) {
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"user\":\"bob\",\"pass\":\"wrongpass\"}\r\nPING\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
                assertThat(server.awaitClosedReason(raw.clientId())).isEqualTo(ClosedState.AUTHENTICATION_VIOLATION);
            }
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"verbose\":false}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"auth_token\":\"tok3n-secret\"}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("PING\r\n");                                   // anything before CONNECT
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"user\":\"bob\",\"pass\":\"s3cr3t\",\"account\":\"A\"}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
        }
        List<String> errors = logLines(Level.ERROR);
        assertThat(errors).anyMatch(l -> l.endsWith(" - authentication error - User \"bob\""));
        assertThat(errors).anyMatch(l -> l.endsWith(" - authentication error"));
        assertThat(errors).anyMatch(l -> l.endsWith(" - authentication error - Token \"[REDACTED]\""));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("wrongpass")
                || e.getFormattedMessage().contains("s3cr3t") || e.getFormattedMessage().contains("tok3n-secret"));
    }

    /** A second CONNECT authenticates again: its user's permissions replace the first one's (security.md 10). */
    @Test
    void shouldAuthenticateASecondConnectAgain() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send(connectAs("plain") + "SUB secret 1\r\nPING\r\n").expectLine("PONG");
                raw.send(connectAs("pub") + "SUB secret 2\r\nPUB foo.x 1\r\nx\r\nPUB nope 1\r\ny\r\nPING\r\n");
                assertThat(raw.readLinesThrough("PONG")).containsExactly(
                        "-ERR 'Permissions Violation for Subscription to \"secret\"'",
                        "-ERR 'Permissions Violation for Publish to \"nope\"'", "PONG");
            }
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send(connectAs("plain") + "PING\r\n").expectLine("PONG");
                raw.send("CONNECT {\"user\":\"plain\",\"pass\":\"wrong\"}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
        }
    }

    private static String connectAs(String user) {
        return "CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"p\"}\r\n";
    }

    @Test
    void shouldLabelConnectionLogsWithAccountAndUser() throws Exception {
        NKey key = NKey.createUser();
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { users: [{user: a, password: a},"
                + " {nkey: " + key.publicKey() + "}] }");
             Connection nc = connect(server, user("a", "a").connectionName("labelled"));
             Connection nk = connect(server, new Options.Builder().authHandler(nkeyHandler(key))
                     .connectionName("nk"))) {
            nc.flush(TIMEOUT);
            nk.flush(TIMEOUT);
            assertThat(server.clientNamed("labelled").orElseThrow().toString())
                    .matches("127\\.0\\.0\\.1:\\d+ - cid:\\d+ - \"v[^\"]+:java:labelled\" - \"\\$G/user:a\"");
            assertThat(server.clientNamed("nk").orElseThrow().toString())
                    .endsWith(" - \"$G/nkey:" + key.publicKey() + "\"");
        }
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("authorization { token: t }");
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"auth_token\":\"t\"}\r\nPING\r\n").expectLine("PONG");
            assertThat(server.client(raw.clientId()).orElseThrow().toString()).endsWith(" - \"$G/token\"");
        }
    }

    @Test
    void shouldTakeTheSingleUserAndTokenFromTheCommandLine() throws Exception {
        CommandLineResult result = CommandLine.parse("-a", "127.0.0.1", "-p", "-1", "--user", "cli", "--pass", "pw");
        assertThat(result).isInstanceOf(CommandLineResult.Run.class);
        NatsServer userServer = new NatsServer(((CommandLineResult.Run) result).options());
        userServer.start();
        try {
            try (Connection nc = Nats.connect(new Options.Builder().server(userServer.clientUrl())
                    .userInfo("cli", "pw").connectionTimeout(TIMEOUT).build())) {
                nc.flush(TIMEOUT);
            }
            try (RawClient raw = RawClient.connectAndReadInfo(userServer.clientPort())) {
                raw.send("CONNECT {\"user\":\"cli\",\"pass\":\"nope\"}\r\n");
                assertThat(raw.readUntilClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            }
        } finally {
            userServer.shutdown();
        }
        result = CommandLine.parse("-a", "127.0.0.1", "-p", "-1", "--auth", "tok");
        NatsServer tokenServer = new NatsServer(((CommandLineResult.Run) result).options());
        tokenServer.start();
        try (Connection nc = Nats.connect(new Options.Builder().server(tokenServer.clientUrl())
                .token("tok".toCharArray()).connectionTimeout(TIMEOUT).build())) {
            nc.flush(TIMEOUT);
        } finally {
            tokenServer.shutdown();
        }
    }

    @Test
    void shouldRefuseInvalidAuthorizationAtStartup() {
        assertThatThrownBy(() -> EmbeddedServer.startWithConfig("no_auth_user: ghost\nauthorization { users: "
                + "[{user: a, password: a}] }\n"))
                .hasMessage("no_auth_user: \"ghost\" not present as user or nkey in authorization block or account "
                        + "configuration");
    }

    // ---------------------------------------------------------------------------------------------- permissions

    private static final String PERMISSIONS_CONF = """
            authorization {
              default_permissions: { publish: { deny: "restricted.>" } }
              users: [
                {user: pub, password: p, permissions: {
                   publish: { allow: ["foo.>", "bar", "_INBOX.>"], deny: "foo.bar" }
                   subscribe: { deny: ["secret", "foo.bar"] } }}
                {user: sub, password: p, permissions: { subscribe: ["foo", "foo v1", "baz v.*", "_INBOX.>"] }}
                {user: svc, password: p, permissions: { subscribe: "svc.>", allow_responses: true }}
                {user: limited, password: p, permissions: { subscribe: "svc.>",
                   allow_responses: { max: 2, expires: "1m" } }}
                {user: plain, password: p}
              ]
            }
            """;

    @Test
    void shouldEnforcePublishPermissionsAndKeepTheConnectionOpen() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            Errors errors = new Errors();
            try (Connection pub = connect(server, user("pub", "p").errorListener(errors));
                 Connection watcher = connect(server, user("plain", "p"))) {
                Subscription all = watcher.subscribe(">");
                watcher.flush(TIMEOUT);
                pub.publish("foo.bar", bytes("denied"));
                pub.publish("nope", bytes("denied"));
                pub.publish("foo.baz", bytes("allowed"));
                errors.await("Permissions Violation for Publish to \"foo.bar\"");
                errors.await("Permissions Violation for Publish to \"nope\"");
                Message m = all.nextMessage(TIMEOUT);
                assertThat(m.getSubject()).isEqualTo("foo.baz");
                assertThat(pub.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                pub.flush(TIMEOUT);
            }
        }
        assertThat(logLines(Level.ERROR)).anyMatch(l -> l.endsWith(" - Publish Violation - Subject \"foo.bar\""));
    }

    @Test
    void shouldApplyDefaultPermissionsToUsersWithoutTheirOwn() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            Errors errors = new Errors();
            try (Connection plain = connect(server, user("plain", "p").errorListener(errors))) {
                plain.publish("restricted.x", bytes("x"));
                errors.await("Permissions Violation for Publish to \"restricted.x\"");
                plain.publish("anything", bytes("x"));
                plain.flush(TIMEOUT);
            }
        }
    }

    @Test
    void shouldEnforceSubscribePermissionsWithQueueGroups() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            Errors errors = new Errors();
            try (Connection sub = connect(server, user("sub", "p").errorListener(errors));
                 Connection pub = connect(server, user("plain", "p"))) {
                Subscription plainFoo = sub.subscribe("foo");
                Subscription queueFoo = sub.subscribe("foo", "v1");
                sub.subscribe("foo", "v2");
                sub.subscribe("baz");
                Subscription queueBaz = sub.subscribe("baz", "v.7");
                errors.await("Permissions Violation for Subscription to \"foo\" using queue \"v2\"");
                errors.await("Permissions Violation for Subscription to \"baz\"");
                sub.flush(TIMEOUT);
                pub.publish("foo", bytes("1"));
                pub.publish("baz", bytes("2"));
                assertThat(plainFoo.nextMessage(TIMEOUT)).isNotNull();
                assertThat(queueFoo.nextMessage(TIMEOUT)).isNotNull();
                assertThat(queueBaz.nextMessage(TIMEOUT)).isNotNull();
                assertThat(sub.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
        }
    }

    @Test
    void shouldFilterDeniedSubjectsFromWildcardSubscriptions() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF);
             Connection pub = connect(server, user("pub", "p"));
             Connection plain = connect(server, user("plain", "p"))) {
            Subscription wildcard = pub.subscribe("foo.*");
            pub.flush(TIMEOUT);
            plain.publish("foo.bar", bytes("denied"));
            plain.publish("foo.baz", bytes("allowed"));
            Message m = wildcard.nextMessage(TIMEOUT);
            assertThat(m.getSubject()).isEqualTo("foo.baz");
            assertThat(wildcard.nextMessage(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void shouldLetARespondersAnswerRequestsWithAllowResponses() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            Errors errors = new Errors();
            try (Connection svc = connect(server, user("svc", "p").errorListener(errors));
                 Connection client = connect(server, user("plain", "p"))) {
                svc.createDispatcher(msg -> {
                    svc.publish(msg.getReplyTo(), bytes("pong"));
                    svc.publish(msg.getReplyTo(), bytes("second"));        // max 1: denied
                }).subscribe("svc.ping");
                svc.flush(TIMEOUT);
                Message reply = client.request("svc.ping", bytes("ping"), TIMEOUT);
                assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("pong");
                errors.await("Permissions Violation for Publish to \"" + reply.getSubject() + "\"");
                svc.publish("svc.other", bytes("x"));                       // no blanket publish allow any more
                errors.await("Permissions Violation for Publish to \"svc.other\"");
            }
        }
    }

    @Test
    void shouldCountResponsesAgainstMax() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF)) {
            Errors errors = new Errors();
            try (Connection svc = connect(server, user("limited", "p").errorListener(errors));
                 Connection client = connect(server, user("plain", "p"))) {
                svc.createDispatcher(msg -> {
                    for (int i = 0; i < 3; i++) {
                        svc.publish(msg.getReplyTo(), bytes("r" + i));
                    }
                }).subscribe("svc.many");
                svc.flush(TIMEOUT);
                Subscription replies = client.subscribe("replies.1");
                client.flush(TIMEOUT);
                client.publish("svc.many", "replies.1", bytes("go"));
                assertThat(replies.nextMessage(TIMEOUT)).isNotNull();
                assertThat(replies.nextMessage(TIMEOUT)).isNotNull();
                errors.await("Permissions Violation for Publish to \"replies.1\"");
                assertThat(replies.nextMessage(Duration.ofMillis(200))).isNull();
            }
        }
    }

    /** The exact -ERR texts, each leaving the connection open (security.md 0.3) [obs]. */
    @Test
    void shouldSendTheExactViolationTextsOnARawConnection() {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(PERMISSIONS_CONF);
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false,\"user\":\"sub\",\"pass\":\"p\"}\r\n"
                    + "SUB foo v2 1\r\nSUB bar 2\r\nSUB foo _sys_ 3\r\nSUB foo v1 4\r\nPUB foo 1\r\nx\r\nPING\r\n");
            assertThat(raw.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"v2\"'",
                    "-ERR 'Permissions Violation for Subscription to \"bar\"'",
                    "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"_sys_\"'",
                    "MSG foo 4 1", "x", "PONG");
        }
        assertThat(logLines(Level.ERROR)).anyMatch(l -> l.endsWith(
                " - Subscription Violation - Subject \"foo\", Queue: \"v2\", SID 1"));
        assertThat(logLines(Level.ERROR)).anyMatch(l -> l.endsWith(
                " - Subscription Violation - Subject \"bar\", SID 2"));
    }

    // -------------------------------------------------------------------------------------------------- reload

    @Test
    void shouldRefuseAReloadWithAnInvalidAuthorization() throws Exception {
        Path conf = Files.createTempFile("jnatsd-auth-", ".conf");
        try {
            Files.writeString(conf, "authorization { token: t }\n");
            NatsServer natsServer = new NatsServer(ConfigLoader.options(conf).toBuilder().host("127.0.0.1")
                    .port(-1).build());
            natsServer.start();
            try (RawClient client = RawClient.connectAndReadInfo(natsServer.clientPort())) {
                client.send("CONNECT {\"verbose\":false,\"auth_token\":\"t\"}\r\nPING\r\n").expectLine("PONG");
                Files.writeString(conf, "authorization { users: [{user: a, password: a}] }\nno_auth_user: b\n");
                assertThat(natsServer.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                        .build(), "")).contains("no_auth_user: \"b\" not present as user or nkey in authorization "
                        + "block or account configuration");
                client.send("PING\r\n").expectLine("PONG");              // nothing was applied
            } finally {
                natsServer.shutdown();
            }
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    void shouldRecheckClientsWhenTheAuthorizationIsReloaded() throws Exception {
        Path conf = Files.createTempFile("jnatsd-auth-", ".conf");
        try {
            Files.writeString(conf, """
                    authorization {
                      users: [
                        {user: stays, password: p, permissions: {subscribe: ["a", "b", "q.> grp"]}}
                        {user: leaves, password: p}
                      ]
                    }
                    """);
            NatsServer natsServer = new NatsServer(ConfigLoader.options(conf).toBuilder().host("127.0.0.1")
                    .port(-1).build());
            natsServer.start();
            try (RawClient stays = RawClient.connectAndReadInfo(natsServer.clientPort());
                 RawClient leaves = RawClient.connectAndReadInfo(natsServer.clientPort())) {
                stays.send("CONNECT {\"verbose\":false,\"user\":\"stays\",\"pass\":\"p\"}\r\n"
                        + "SUB a 1\r\nSUB b 2\r\nSUB q.x grp 3\r\nPING\r\n").expectLine("PONG");
                leaves.send("CONNECT {\"verbose\":false,\"user\":\"leaves\",\"pass\":\"p\"}\r\nPING\r\n")
                        .expectLine("PONG");
                Files.writeString(conf, """
                        authorization {
                          users: [
                            {user: stays, password: p, permissions: {subscribe: ["a"]}}
                          ]
                          timeout: 3
                        }
                        """);
                assertThat(natsServer.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                        .build(), "")).isEmpty();
                // nats-server closes a client whose user is gone without an error (reload.go
                // clientHasMovedToDifferentAccount, Client Closed) [obs 2.9.10]
                assertThat(leaves.readUntilClosed()).isEmpty();
                stays.send("PING\r\n");
                assertThat(stays.readLinesThrough("PONG")).containsExactlyInAnyOrder(
                        "-ERR 'Permissions Violation for Subscription to \"b\" (sid \"2\")'",
                        "-ERR 'Permissions Violation for Subscription to \"q.x\" using queue \"grp\" (sid \"3\")'",
                        "PONG");
                stays.send("PUB a 1\r\nx\r\nPUB b 1\r\ny\r\nPING\r\n");
                assertThat(stays.readLinesThrough("PONG")).containsExactly("MSG a 1 1", "x", "PONG");
            } finally {
                natsServer.shutdown();
            }
        } finally {
            Files.deleteIfExists(conf);
        }
        List<String> notices = logLines(Level.INFO);
        assertThat(notices).containsSubsequence("Reloaded: authorization users", "Reloaded: accounts",
                "Reloaded: authorization timeout = 3");
        assertThat(notices).contains("Removed sub \"b\" (sid \"2\") for User \"stays\" - not authorized",
                "Removed sub \"q.x\" using queue \"grp\" (sid \"3\") for User \"stays\" - not authorized");
    }
}
