package io.jnatsd.systest;

import io.jnatsd.server.tls.TestPki;
import io.jnatsd.server.websocket.WebSocketListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side of the WebSocket listener through raw sockets: the upgrade's checks and the exact responses (Go's
 * {@code net/http} server behind nats-server's {@code wsUpgrade}), keep-alive after a refusal, the path kinds,
 * origins, the handshake timeout, TLS and the response headers (nats-server server/websocket.go).
 */
class WebSocketUpgradeIT {

    private static final String WS = "websocket { listen: \"127.0.0.1:-1\", no_tls: true";
    private static final String BASE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    private static final String KEY = "Sec-WebSocket-Key: " + WsRawClient.KEY + "\r\n";
    private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";
    /** Go's {@code DefaultMaxHeaderBytes} plus the 4096 bytes its reader allows on top. */
    private static final int MAX_HEAD_BYTES = (1 << 20) + 4096;
    private static final String UPGRADE_LOGGER = "io.jnatsd.server.websocket.WebSocketUpgradeHandler";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "wsup");
        serverCert = pki.server("server");
    }

    private static EmbeddedServer server(String wsBlockRest) {
        return EmbeddedServer.startWithConfig(WS + wsBlockRest + " }\n");
    }

    /** The response without the value of its {@code Date} header. */
    private static String withoutDate(String response) {
        return response.replaceAll("\r\nDate: [^\r]+\r\n", "\r\nDate: *\r\n");
    }

    private static String handlerError(String proto, int code, String text, String connection) {
        return proto + " " + code + " " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\nDate: *\r\nContent-Length: "
                + (text.length() + 1) + "\r\n" + connection + "\r\n" + text + "\n";
    }

    static Stream<Arguments> badUpgrades() {
        String connection = "Connection: Upgrade\r\n";
        return Stream.of(
                Arguments.of("method not GET", "POST / HTTP/1.1\r\nHost: x\r\n" + UPGRADE + KEY + VERSION, 405,
                        "Method Not Allowed", "request method must be GET"),
                Arguments.of("no Upgrade", BASE + connection + KEY + VERSION, 400, "Bad Request",
                        "invalid value for header 'Upgrade'"),
                Arguments.of("Upgrade: h2c", BASE + "Upgrade: h2c\r\n" + connection + KEY + VERSION, 400,
                        "Bad Request", "invalid value for header 'Upgrade'"),
                Arguments.of("Connection: keep-alive", BASE + "Upgrade: websocket\r\nConnection: keep-alive\r\n"
                        + KEY + VERSION, 400, "Bad Request", "invalid value for header 'Connection'"),
                Arguments.of("no key", BASE + UPGRADE + VERSION, 400, "Bad Request", "key missing"),
                Arguments.of("15-byte key", BASE + UPGRADE + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n" + VERSION,
                        400, "Bad Request", "invalid websocket key"),
                Arguments.of("unpadded key", BASE + UPGRADE + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n"
                        + VERSION, 400, "Bad Request", "invalid websocket key"),
                Arguments.of("version 8", BASE + UPGRADE + KEY + "Sec-WebSocket-Version: 8\r\n", 400, "Bad Request",
                        "invalid version"),
                Arguments.of("mqtt path", "GET /mqtt HTTP/1.1\r\nHost: x\r\n" + UPGRADE + KEY + VERSION, 404,
                        "Not Found", "mqtt websocket endpoint not enabled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpgrades")
    void shouldRefuseBadUpgradesAsNatsServer(String name, String head, int code, String text, String reason)
            throws Exception {
        try (EmbeddedServer server = server("");
             LogCapture log = LogCapture.ofNames(UPGRADE_LOGGER);
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            ws.write(head + "\r\n");
            assertThat(withoutDate(ws.readHttpResponse())).isEqualTo(handlerError("HTTP/1.1", code, text, ""));
            assertThat(log.await("websocket handshake error: " + reason))
                    .isEqualTo("[ERROR] 127.0.0.1:" + ws.localPort() + " - websocket handshake error: " + reason);
            // HTTP/1.1 keep-alive: the same connection may try again, and this time succeed
            String response = ws.upgrade();
            assertThat(response).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(ws.readLine()).startsWith("INFO {");
        }
    }

    @Test
    void shouldAnswerTheSuccessfulUpgradeAsNatsServer() throws Exception {
        try (EmbeddedServer server = server(", headers { Strict-Transport-Security: \"max-age=60\", X-A: b }");
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            String response = ws.upgrade("Nats-No-Masking: true");
            assertThat(response).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + WsRawClient.ACCEPT + "\r\n"
                    + "Nats-No-Masking: true\r\nStrict-Transport-Security: max-age=60\r\nX-A: b\r\n\r\n");
            ws.readLine();
            // no masking was asked for: unmasked frames are what the client sends
            ws.write(WsRawClient.frame(2, "PING\r\n".getBytes(StandardCharsets.US_ASCII), true, false, 0));
            assertThat(ws.readLine()).isEqualTo("PONG");
        }
    }

    @Test
    void shouldRefuseRequestsGosServerRefusesBeforeTheHandler() throws Exception {
        try (EmbeddedServer server = server("")) {
            assertThat(exchange(server.wsPort(), "GET / HTTP/1.1\r\n" + UPGRADE + KEY + VERSION + "\r\n"))
                    .isEqualTo("HTTP/1.1 400 Bad Request: missing required Host header\r\nContent-Type: text/plain; "
                            + "charset=utf-8\r\nConnection: close\r\n\r\n"
                            + "400 Bad Request: missing required Host header");
            assertThat(exchange(server.wsPort(), "GARBAGE\r\n\r\n")).isEqualTo("HTTP/1.1 400 Bad Request\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request");
            assertThat(exchange(server.wsPort(), "GET / HTTP/2.0\r\nHost: x\r\n\r\n"))
                    .isEqualTo("HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version\r\n"
                            + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                            + "505 HTTP Version Not Supported: unsupported protocol version");
            assertThat(withoutDate(exchange(server.wsPort(), "GET / HTTP/1.0\r\n" + UPGRADE + KEY + VERSION
                    + "\r\n"))).isEqualTo(handlerError("HTTP/1.0", 400, "Bad Request", ""));
            assertThat(withoutDate(exchange(server.wsPort(), BASE + "Connection: close\r\n\r\n")))
                    .isEqualTo(handlerError("HTTP/1.1", 400, "Bad Request", "Connection: close\r\n"));
            String tooLarge = BASE + "X-Big: " + "a".repeat(MAX_HEAD_BYTES) + "\r\n\r\n";
            assertThat(exchange(server.wsPort(), tooLarge)).isEqualTo("HTTP/1.1 431 Request Header Fields Too "
                    + "Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                    + "431 Request Header Fields Too Large");
        }
    }

    @Test
    void shouldRedirectAnUncleanPathAsGosServeMux() throws Exception {
        try (EmbeddedServer server = server("");
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            ws.write("GET /a/../b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(withoutDate(ws.readHttpResponse())).isEqualTo("HTTP/1.1 301 Moved Permanently\r\n"
                    + "Content-Type: text/html; charset=utf-8\r\nLocation: /b\r\nDate: *\r\nContent-Length: 37\r\n"
                    + "\r\n<a href=\"/b\">Moved Permanently</a>.\n\n");
        }
    }

    @Test
    void shouldCloseWhenDataFollowsTheUpgradeRequest() throws Exception {
        try (EmbeddedServer server = server("");
             LogCapture log = LogCapture.ofNames(UPGRADE_LOGGER);
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            byte[] request = WsRawClient.request().getBytes(StandardCharsets.ISO_8859_1);
            ws.write(WebSocketIT.concat(request, WsRawClient.binary("PING\r\n")));
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.await("client sent data before handshake is complete")).isEqualTo("[ERROR] 127.0.0.1:"
                    + ws.localPort() + " - websocket handshake error: client sent data before handshake is complete");
            assertThat(server.server().clientCount()).isZero();
        }
    }

    @Test
    void shouldUpgradeThenCloseALeafNodeConnection() throws Exception {
        try (EmbeddedServer server = server("");
             LogCapture log = LogCapture.ofNames(UPGRADE_LOGGER);
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            ws.write(WsRawClient.request().replace("GET / ", "GET /leafnode "));
            assertThat(ws.readHttpResponse()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.await("Not configured to accept leaf node connections"))
                    .isEqualTo("[ERROR] Not configured to accept leaf node connections");
        }
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                Arguments.of("same origin, no Origin", "same_origin: true", "-", "-"),
                Arguments.of("same origin", "same_origin: true", "Origin: http://127.0.0.1", "-"),
                Arguments.of("same origin, other port", "same_origin: true", "Origin: http://127.0.0.1:8080",
                        "not same origin"),
                Arguments.of("same origin, https", "same_origin: true", "Origin: https://127.0.0.1",
                        "not same origin"),
                Arguments.of("same origin, Sec-WebSocket-Origin", "same_origin: true",
                        "Sec-WebSocket-Origin: http://x.io", "not same origin"),
                Arguments.of("allowed", "allowed_origins: [\"https://a.io\", \"http://b.io:81\"]",
                        "Origin: https://A.io:443", "-"),
                Arguments.of("allowed, other port", "allowed_origins: [\"http://b.io:81\"]", "Origin: http://b.io",
                        "not in the allowed list"),
                Arguments.of("allowed, other scheme", "allowed_origins: [\"http://b.io\"]",
                        "Origin: https://b.io:80", "not in the allowed list"),
                Arguments.of("not a URL", "allowed_origins: [\"http://b.io\"]", "Origin: b.io",
                        "parse \"b.io\": invalid URI for request"),
                Arguments.of("bad port", "same_origin: true", "Origin: http://x:y",
                        "parse \"http://x:y\": invalid port \":y\" after host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("origins")
    void shouldCheckOrigins(String name, String config, String origin, String refusal) throws Exception {
        try (EmbeddedServer server = server(", " + config);
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            String response = origin.equals("-") ? ws.upgrade() : ws.upgrade(origin);
            if (refusal.equals("-")) {
                assertThat(response).startsWith("HTTP/1.1 101 ");
            } else {
                assertThat(withoutDate(response)).isEqualTo(handlerError("HTTP/1.1", 403, "Forbidden", ""));
            }
        }
    }

    @Test
    void shouldLogTheOriginRefusal() throws Exception {
        try (EmbeddedServer server = server(", allowed_origins: \"http://ok.io\"");
             LogCapture log = LogCapture.ofNames(UPGRADE_LOGGER);
             WsRawClient ws = WsRawClient.connect(server.wsPort())) {
            ws.upgrade("Origin: http://evil.io");
            assertThat(log.await("origin not allowed")).endsWith(" - websocket handshake error: origin not "
                    + "allowed: not in the allowed list");
        }
    }

    @Test
    void shouldCloseAConnectionThatDoesNotUpgradeInTime() throws Exception {
        try (EmbeddedServer server = server(", handshake_timeout: \"200ms\"");
             WsRawClient idle = WsRawClient.connect(server.wsPort());
             WsRawClient partial = WsRawClient.connect(server.wsPort())) {
            partial.write("GET / HTTP/1.1\r\nHost: x\r\n");
            assertThat(idle.closedByServer()).isTrue();
            assertThat(partial.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldLogATlsHandshakeThatDoesNotFinishInTime() throws Exception {
        try (EmbeddedServer server = wssServer(", handshake_timeout: \"200ms\"");
             LogCapture log = LogCapture.ofNames(UPGRADE_LOGGER);
             WsRawClient idle = WsRawClient.connect(server.wsPort())) {
            assertThat(idle.closedByServer()).isTrue();
            assertThat(log.await("TLS handshake error")).isEqualTo("[ERROR] websocket: TLS handshake error from "
                    + "127.0.0.1:" + idle.localPort() + ": read tcp 127.0.0.1:" + server.wsPort() + "->127.0.0.1:"
                    + idle.localPort() + ": i/o timeout");
        }
    }

    @Test
    void shouldAnswerPlainHttpOnTheWssPortAsGosServer() throws Exception {
        try (EmbeddedServer server = wssServer("");
             LogCapture log = LogCapture.of(WebSocketListener.class)) {
            assertThat(exchange(server.wsPort(), WsRawClient.request())).isEqualTo("HTTP/1.0 400 Bad Request\r\n\r\n"
                    + "Client sent an HTTP request to an HTTPS server.\n");
            assertThat(log.await("TLS handshake error")).endsWith(": client sent an HTTP request to an HTTPS server");
        }
        try (EmbeddedServer server = wssServer("");
             WsRawClient ws = WsRawClient.connectTls(server.wsPort(), pki.clientContext(null))) {
            assertThat(ws.upgrade()).startsWith("HTTP/1.1 101 ");
            assertThat(ws.readLine()).contains("\"tls_required\":true").contains("\"tls_available\":true");
        }
    }

    private static EmbeddedServer wssServer(String rest) {
        return EmbeddedServer.startWithConfig("websocket { listen: \"127.0.0.1:-1\", tls { cert_file: \""
                + serverCert.certFile() + "\", key_file: \"" + serverCert.keyFile() + "\" }" + rest + " }\n");
    }

    /** Writes {@code request} on a new connection and returns everything read until the server closes it. */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder b = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    b.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (b.indexOf("\r\nContent-Length: ") >= 0 && completeHttpResponse(b.toString())) {
                        break;
                    }
                    if (b.indexOf("HTTP/1.1 101 ") == 0 && b.indexOf("\r\n\r\n") > 0) {
                        break;                              // upgraded: the connection stays open
                    }
                }
            } catch (java.net.SocketException e) {
                // reset after the answer: what was read is the answer
            }
            return b.toString();
        }
    }

    /** Whether a response with a Content-Length has all of its body (keep-alive responses do not close). */
    private static boolean completeHttpResponse(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        int at = text.indexOf("\r\nContent-Length: ");
        int end = text.indexOf("\r\n", at + 2);
        int length = Integer.parseInt(text.substring(at + 18, end));
        return text.length() >= headEnd + 4 + length;
    }
}
