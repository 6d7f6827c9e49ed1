package io.jnatsd.systest;

import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.TestPki;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication of WebSocket clients: the {@code websocket} block's own user, token and {@code no_auth_user}
 * (nats-server's auth override), cookies that stand in for CONNECT credentials, {@code allowed_connection_types},
 * user JWTs given as a cookie, {@code verify_and_map} on the WebSocket listener, and the log labels with
 * {@code X-Forwarded-For} (nats-server server/websocket.go, auth.go, client.go processConnect).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class WebSocketAuthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String WS = "websocket { listen: \"127.0.0.1:-1\", no_tls: true";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;
    private static TestPki.Issued aliceCert;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "wsauth");
        serverCert = pki.server("server");
        aliceCert = pki.clientWithNames("alice", "CN=alice", List.of("alice@example.com"), List.of(), List.of());
    }

    private static EmbeddedServer server(String wsBlockRest, String more) {
        return EmbeddedServer.startWithConfig(WS + wsBlockRest + " }\n" + more);
    }

    /** The first reply of a WebSocket client that sends {@code connect} (a CONNECT line) and a PING. */
    private static String firstReply(EmbeddedServer server, String connect, String... headers) {
        try (WsRawClient ws = WsRawClient.upgraded(server.wsPort(), headers)) {
            ws.readLine();
            ws.send(connect + "\r\nPING\r\n");
            return ws.readLine();
        }
    }

    private static String firstTcpReply(EmbeddedServer server, String connect) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send(connect + "\r\nPING\r\n");
            return raw.readLine();
        }
    }

    @Test
    void shouldUseTheWebSocketBlocksTokenForWebSocketClientsOnly() {
        try (EmbeddedServer server = server(", authorization { token: wstoken }",
                "authorization { token: tcptoken }")) {
            assertThat(firstReply(server, "CONNECT {\"auth_token\":\"wstoken\",\"verbose\":false}")).isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"auth_token\":\"tcptoken\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstTcpReply(server, "CONNECT {\"auth_token\":\"tcptoken\",\"verbose\":false}"))
                    .isEqualTo("PONG");
            assertThat(firstTcpReply(server, "CONNECT {\"auth_token\":\"wstoken\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldUseTheWebSocketBlocksUserAndTimeout() {
        try (EmbeddedServer server = server(", authorization { user: wsu, password: wsp, timeout: 0.2 }", "")) {
            assertThat(firstReply(server, "CONNECT {\"user\":\"wsu\",\"pass\":\"wsp\",\"verbose\":false}"))
                    .isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"user\":\"wsu\",\"pass\":\"no\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstTcpReply(server, "CONNECT {\"verbose\":false}")).isEqualTo("PONG");
            try (WsRawClient idle = WsRawClient.upgraded(server.wsPort())) {
                idle.readLine();
                assertThat(idle.readLine()).isEqualTo("-ERR 'Authentication Timeout'");
            }
        }
    }

    @Test
    void shouldTakeCredentialsFromCookiesWhenConnectHasNone() throws Exception {
        String users = "authorization { users: [ {user: alice, password: pa}, {user: bob, password: pb} ] }";
        try (EmbeddedServer server = server(", user_cookie: u, pass_cookie: p", users)) {
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: u=alice; p=pa")).isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: u=alice", "Cookie: p=\"pa\""))
                    .isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: u=alice; p=wrong"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            // the CONNECT's own fields win over the cookies
            assertThat(firstReply(server, "CONNECT {\"user\":\"bob\",\"pass\":\"pb\",\"verbose\":false}",
                    "Cookie: u=alice; p=pa")).isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"pass\":\"pb\",\"verbose\":false}", "Cookie: u=bob; p=pa"))
                    .isEqualTo("PONG");
            // the official client sends cookies through an HTTP request interceptor
            Options options = new Options.Builder().server(server.wsUrl()).connectionTimeout(TIMEOUT).noReconnect()
                    .httpRequestInterceptor(request -> request.getHeaders().add("Cookie", "u=bob; p=pb")).build();
            try (io.nats.client.Connection nc = Nats.connect(options)) {
                nc.flush(TIMEOUT);
                assertThat(server.server().clients().stream().anyMatch(c -> "bob".equals(c.clientOptions().user)))
                        .isTrue();
            }
        }
    }

    @Test
    void shouldTakeTheTokenFromItsCookie() {
        try (EmbeddedServer server = server(", token_cookie: t, authorization { token: s3cret }", "")) {
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: t=s3cret")).isEqualTo("PONG");
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: other=s3cret"))
                    .isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldApplyTheWebSocketNoAuthUserOnlyToWebSocketClients() {
        String users = "authorization { users: [ {user: a, password: pa}, {user: b, password: pb} ] }\n"
                + "no_auth_user: a";
        try (EmbeddedServer server = server(", no_auth_user: b", users);
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            // the WebSocket INFO keeps auth_required (nats-server does not clear it for a no_auth_user)
            assertThat(ws.readLine()).contains("\"auth_required\":true");
            ws.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readLine()).isEqualTo("PONG");
            Connection wsClient = server.server().clients().stream().filter(Connection::isWebSocket).findFirst()
                    .orElseThrow();
            assertThat(wsClient.clientOptions().user).isEqualTo("b");
            try (RawClient tcp = RawClient.connectAndReadInfo(server.port())) {
                assertThat(tcp.info().has("auth_required")).isFalse();
                tcp.send("CONNECT {\"verbose\":false,\"name\":\"tcp\"}\r\nPING\r\n");
                tcp.expectLine("PONG");
                assertThat(server.clientNamed("tcp").orElseThrow().clientOptions().user).isEqualTo("a");
            }
        }
    }

    @Test
    void shouldEnforceAllowedConnectionTypes() throws Exception {
        String users = "authorization { users: [ {user: w, password: p, allowed_connection_types: [\"WEBSOCKET\"]},"
                + " {user: s, password: p, allowed_connection_types: [\"STANDARD\"]} ] }";
        try (EmbeddedServer server = server("", users)) {
            assertThat(firstReply(server, "CONNECT {\"user\":\"w\",\"pass\":\"p\",\"verbose\":false}"))
                    .isEqualTo("PONG");
            assertThat(firstTcpReply(server, "CONNECT {\"user\":\"w\",\"pass\":\"p\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server, "CONNECT {\"user\":\"s\",\"pass\":\"p\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstTcpReply(server, "CONNECT {\"user\":\"s\",\"pass\":\"p\",\"verbose\":false}"))
                    .isEqualTo("PONG");
        }
    }

    @Test
    void shouldAcceptAUserJwtFromItsCookie() {
        JwtFixture fx = new JwtFixture();
        NKey account = NKey.createAccount();
        NKey user = NKey.createUser();
        String bearer = JwtFixture.user(user, "wsuser", account, c -> c,
                u -> u.withBearerToken(true).withAllowedConnectionTypes(List.of("WEBSOCKET")));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(account.publicKey(),
                fx.account(account, "A", c -> c)) + WS + ", jwt_cookie: jwt }\n")) {
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}", "Cookie: jwt=" + bearer)).isEqualTo("PONG");
            // the JWT allows WebSocket connections only
            assertThat(firstTcpReply(server, "CONNECT {\"verbose\":false,\"jwt\":\"" + bearer + "\"}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstReply(server, "CONNECT {\"verbose\":false}")).isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    @Test
    void shouldMapTheWebSocketClientsCertificate() {
        String conf = "websocket { listen: \"127.0.0.1:-1\", tls { cert_file: \"" + serverCert.certFile()
                + "\", key_file: \"" + serverCert.keyFile() + "\", ca_file: \"" + pki.caFile()
                + "\", verify_and_map: true } }\n"
                + "authorization { users: [ {user: \"alice@example.com\"}, {user: tcpuser, password: p} ] }";
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             WsRawClient ws = WsRawClient.connectTls(server.wsPort(), pki.clientContext(aliceCert))) {
            assertThat(ws.upgrade()).startsWith("HTTP/1.1 101 ");
            ws.readLine();
            ws.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readLine()).isEqualTo("PONG");
            assertThat(server.server().clients().stream().filter(Connection::isWebSocket).findFirst().orElseThrow()
                    .clientOptions().user).isEqualTo("alice@example.com");
            // on the client port (no mapping) the password-less user the WebSocket listener maps is refused
            assertThat(firstTcpReply(server, "CONNECT {\"user\":\"alice@example.com\",\"verbose\":false}"))
                    .isEqualTo("-ERR 'Authorization Violation'");
            assertThat(firstTcpReply(server, "CONNECT {\"user\":\"tcpuser\",\"pass\":\"p\",\"verbose\":false}"))
                    .isEqualTo("PONG");
        }
    }

    @Test
    void shouldLabelLogLinesWithWidAndTheForwardedAddress() {
        try (EmbeddedServer server = server("", "debug: true");
             LogCapture log = LogCapture.of(Connection.class);
             WsRawClient ws = WsRawClient.upgraded(server.wsPort(), "X-Forwarded-For: 10.1.2.3");
             WsRawClient notAnIp = WsRawClient.upgraded(server.wsPort(), "X-Forwarded-For: 10.1.2.3, 10.0.0.1")) {
            ws.readLine();
            notAnIp.readLine();
            assertThat(log.await("10.1.2.3/127.0.0.1:" + ws.localPort()))
                    .matches("\\[DEBUG] 10\\.1\\.2\\.3/127\\.0\\.0\\.1:" + ws.localPort()
                            + " - wid:\\d+ - Client connection created");
            assertThat(log.await("127.0.0.1:" + notAnIp.localPort()))
                    .matches("\\[DEBUG] 127\\.0\\.0\\.1:" + notAnIp.localPort()
                            + " - wid:\\d+ - Client connection created");
            ws.send("CONNECT {\"verbose\":false,\"name\":\"n\",\"lang\":\"raw\",\"version\":\"1\"}\r\nFOO\r\n");
            assertThat(log.await("parser ERROR")).contains("10.1.2.3/127.0.0.1:" + ws.localPort() + " - wid:")
                    .contains(" - \"v1:raw:n\" - ");
        }
    }
}
