package io.jnatsd.systest;

import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The WebSocket listener in the server's life: start-up lines and bind failures, the ports file, reload (what
 * nats-server refuses and what it applies), lame duck mode, limits shared with the client port, the WebSocket ping
 * interval and the browser frame size (nats-server server/websocket.go, server.go, reload.go).
 */
@SuppressWarnings("try")
class WebSocketOperationsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static TestPki pki;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "wsops");
    }

    private static Path write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerOptions options(Path file) {
        return ConfigLoader.options(file).toBuilder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).build();
    }

    @Test
    void shouldLogTheListenerAndWriteItToThePortsFile() throws Exception {
        Path conf = write("start.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n");
        Path portsDir = Files.createDirectories(dir.resolve("ports"));
        try (LogCapture log = LogCapture.of(NatsServer.class);
             EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder().portsFileDir(portsDir))) {
            assertThat(log.lines()).containsSubsequence(
                    "[INFO] Listening for websocket clients on ws://127.0.0.1:" + server.wsPort(),
                    "[WARN] Websocket not configured with TLS. DO NOT USE IN PRODUCTION!",
                    "[INFO] Listening for client connections on 127.0.0.1:" + server.port());
            try (var files = Files.list(portsDir)) {
                Path ports = files.findFirst().orElseThrow();
                assertThat(Files.readString(ports)).isEqualTo("{\"nats\":[\"nats://127.0.0.1:" + server.port()
                        + "\"],\"websocket\":[\"ws://127.0.0.1:" + server.wsPort() + "\"]}");
            }
        }
    }

    @Test
    void shouldFailToStartWhenTheWebSocketPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             LogCapture log = LogCapture.of(NatsServer.class)) {
            Path conf = write("taken.conf", "websocket { listen: \"127.0.0.1:" + taken.getLocalPort()
                    + "\", no_tls: true }\n");
            NatsServer server = new NatsServer(options(conf));
            try {
                assertThatThrownBy(server::start).isInstanceOf(IOException.class)
                        .hasMessage("Unable to listen for websocket connections: listen tcp 127.0.0.1:"
                                + taken.getLocalPort() + ": bind: address already in use");
                assertThat(log.lines()).contains("[ERROR] Unable to listen for websocket connections: listen tcp "
                        + "127.0.0.1:" + taken.getLocalPort() + ": bind: address already in use");
            } finally {
                server.shutdown();
            }
        }
    }

    @Test
    void shouldRefuseToReloadWebSocketOptionsButReloadItsTls() throws Exception {
        TestPki.Issued first = pki.server("first");
        TestPki.Issued second = pki.server("second");
        String tls = "tls { cert_file: \"%s\", key_file: \"%s\" }";
        Path conf = write("reload.conf", "websocket { listen: \"127.0.0.1:-1\", "
                + tls.formatted(first.certFile(), first.keyFile()) + " }\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder())) {
            NatsServer natsServer = server.server();
            write("reload.conf", "websocket { listen: \"127.0.0.1:-1\", compression: true, "
                    + tls.formatted(first.certFile(), first.keyFile()) + " }\n");
            Optional<String> refused = natsServer.reload(options(conf), "");
            assertThat(refused).isPresent();
            assertThat(refused.get()).startsWith("config reload not supported for Websocket: old={127.0.0.1 -1 ")
                    .contains(" false [] false 0s 0s map[] 0xc").contains(" false [] true 0s 0s map[] 0xc");
            // the listener's certificate is replaced for new connections
            write("reload.conf", "websocket { listen: \"127.0.0.1:-1\", "
                    + tls.formatted(second.certFile(), second.keyFile()) + " }\n");
            assertThat(natsServer.reload(options(conf), "")).isEmpty();
            try (WsRawClient ws = WsRawClient.connectTls(server.wsPort(), pki.clientContext(null))) {
                assertThat(ws.upgrade()).startsWith("HTTP/1.1 101 ");
                assertThat(ws.serverCertificate()).isEqualTo(second.certificate());
            }
        }
    }

    @Test
    void shouldRecheckWebSocketClientsWhenAuthorizationIsReloaded() throws Exception {
        Path conf = write("auth.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n"
                + "authorization { users: [ {user: a, password: pa}, {user: b, password: pb} ] }\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder());
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            ws.send("CONNECT {\"user\":\"b\",\"pass\":\"pb\",\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readLine()).isEqualTo("PONG");
            write("auth.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n"
                    + "authorization { users: [ {user: a, password: pa} ] }\n");
            assertThat(server.server().reload(options(conf), "")).isEmpty();
            // a removed user's client is closed without an -ERR, as nats-server does (reload.go: Client Closed)
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1000);
            assertThat(close.closeReason()).isEqualTo("Client Closed");
        }
    }

    @Test
    void shouldTellWebSocketClientsAboutLameDuckModeAndStopAccepting() throws Exception {
        Path conf = write("ldm.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n"
                + "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"20s\"\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder());
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            int wsPort = server.wsPort();
            ws.readLine();
            ws.send("CONNECT {\"protocol\":1,\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readLine()).isEqualTo("PONG");
            assertThat(ws.readLine()).contains("\"connect_info\":true");
            server.server().enterLameDuckMode();
            String ldm = ws.readLineStartingWith("INFO ");
            assertThat(ldm).contains("\"ldm\":true").contains("\"port\":" + wsPort);
            Await.until(TIMEOUT, "the WebSocket listener to close", () -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", wsPort)) {
                    return false;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    @Test
    void shouldCountWebSocketClientsAgainstMaxConnections() throws Exception {
        Path conf = write("maxconn.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\nmax_connections: 1\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder());
             RawClient tcp = RawClient.connectAndReadInfo(server.port());
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            assertThat(ws.readLine()).isEqualTo("-ERR 'maximum connections exceeded'");
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1008);
            assertThat(close.closeReason()).isEqualTo("Maximum Connections Exceeded");
            assertThat(server.awaitClosedReason(tcp.info().path("client_id").asLong() + 1))
                    .isEqualTo(ClosedState.MAX_CONNECTIONS_EXCEEDED);
        }
    }

    @Test
    void shouldPingWebSocketClientsAtTheirOwnInterval() throws Exception {
        Path conf = write("ping.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true, ping_interval: "
                + "\"100ms\" }\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder());
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            // the server's own ping interval is two minutes: a PING now comes from the WebSocket interval
            assertThat(ws.readLine()).isEqualTo("PING");
        }
    }

    @Test
    void shouldLimitFramesForBrowsers() throws Exception {
        Path conf = write("browser.conf", "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n");
        try (EmbeddedServer server = EmbeddedServer.start(b -> options(conf).toBuilder());
             WsRawClient browser = WsRawClient.upgraded(server.wsPort(), "User-Agent: Mozilla/5.0 (X11) Firefox/1");
             io.nats.client.Connection tcp = io.nats.client.Nats.connect(server.url())) {
            browser.readLine();
            browser.send("CONNECT {\"verbose\":false}\r\nSUB b 1\r\nPING\r\n");
            assertThat(browser.readLine()).isEqualTo("PONG");
            String payload = "p".repeat(10_000);
            tcp.publish("b", payload.getBytes(StandardCharsets.UTF_8));
            tcp.flush(TIMEOUT);
            StringBuilder received = new StringBuilder();
            String expected = "MSG b 1 10000\r\n" + payload + "\r\n";
            while (received.length() < expected.length()) {
                WsRawClient.Frame frame = browser.readFrame();
                assertThat(frame.fin()).isTrue();
                assertThat(frame.opcode()).isEqualTo(2);
                assertThat(frame.payload().length).isLessThanOrEqualTo(4096);
                received.append(frame.text());
            }
            assertThat(received.toString()).isEqualTo(expected);
        }
    }
}
