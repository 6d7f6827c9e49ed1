package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.TestPki;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket listener seen from the official Java client ({@code ws://}, {@code wss://}) and from raw sockets:
 * pub/sub with TCP clients, the client's INFO, compression both ways, frames (fragments, control frames, every
 * protocol error and its close frame), the close handshake, origins, cookies and WebSocket authorization overrides
 * (nats-server server/websocket.go, client.go, auth.go).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class WebSocketIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WS = "websocket { listen: \"127.0.0.1:-1\", no_tls: true";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "ws");
        serverCert = pki.server("server");
    }

    private static EmbeddedServer server(String wsBlockRest, String more) {
        return EmbeddedServer.startWithConfig(WS + wsBlockRest + " }\n" + more);
    }

    private static EmbeddedServer server() {
        return server("", "");
    }

    private static io.nats.client.Connection connect(String url, Options.Builder options) throws Exception {
        return Nats.connect(options.server(url).connectionTimeout(TIMEOUT).noReconnect().build());
    }

    private static io.nats.client.Connection connect(String url) throws Exception {
        return connect(url, new Options.Builder());
    }

    private static JsonNode info(String line) throws Exception {
        assertThat(line).startsWith("INFO ").endsWith(" ");
        return JSON.readTree(line.substring(5));
    }

    // ---------------------------------------------------------------------------------------- official client

    @Test
    void shouldExchangeMessagesBetweenWebSocketAndTcpClients() throws Exception {
        try (EmbeddedServer server = server();
             io.nats.client.Connection ws = connect(server.wsUrl());
             io.nats.client.Connection tcp = connect(server.url())) {
            Subscription onWs = ws.subscribe("to.ws");
            Subscription onTcp = tcp.subscribe("to.tcp");
            ws.flush(TIMEOUT);
            tcp.flush(TIMEOUT);
            tcp.publish("to.ws", "hello ws".getBytes(StandardCharsets.UTF_8));
            ws.publish("to.tcp", "hello tcp".getBytes(StandardCharsets.UTF_8));
            Message atWs = onWs.nextMessage(TIMEOUT);
            Message atTcp = onTcp.nextMessage(TIMEOUT);
            assertThat(new String(atWs.getData(), StandardCharsets.UTF_8)).isEqualTo("hello ws");
            assertThat(new String(atTcp.getData(), StandardCharsets.UTF_8)).isEqualTo("hello tcp");
            // a request through the WebSocket client, answered by the TCP client
            tcp.createDispatcher(m -> tcp.publish(m.getReplyTo(), m.getData())).subscribe("echo");
            tcp.flush(TIMEOUT);
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Message reply = ws.request("echo", big, TIMEOUT);
            assertThat(reply.getData()).isEqualTo(big);
            Connection wsClient = server.server().clients().stream().filter(Connection::isWebSocket).findFirst()
                    .orElseThrow();
            assertThat(wsClient.clientType()).isEqualTo("websocket");
            assertThat(server.server().clients().stream().filter(c -> !c.isWebSocket()).findFirst().orElseThrow()
                    .clientType()).isEqualTo("nats");
        }
    }

    @Test
    void shouldServeTheJavaClientOverWss() throws Exception {
        String conf = "websocket { listen: \"127.0.0.1:-1\", tls { cert_file: \"" + serverCert.certFile()
                + "\", key_file: \"" + serverCert.keyFile() + "\" } }";
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
            assertThat(server.wsUrl()).startsWith("wss://");
            try (io.nats.client.Connection ws = connect(server.wsUrl(), new Options.Builder()
                    .sslContext(pki.clientContext(null)));
                 io.nats.client.Connection tcp = connect(server.url())) {
                Subscription sub = ws.subscribe("secure");
                ws.flush(TIMEOUT);
                tcp.publish("secure", "over tls".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(sub.nextMessage(TIMEOUT).getData(), StandardCharsets.UTF_8))
                        .isEqualTo("over tls");
                assertThat(ws.getServerInfo().isTLSRequired()).isTrue();
                assertThat(ws.getServerInfo().getPort()).isEqualTo(server.wsPort());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- INFO

    @Test
    void shouldDescribeTheWebSocketListenerInInfo() throws Exception {
        try (EmbeddedServer server = server("", "authorization { token: s3cret }");
             WsRawClient ws = WsRawClient.upgraded(server.wsPort());
             RawClient tcp = RawClient.connectAndReadInfo(server.port())) {
            JsonNode info = info(ws.readLine());
            assertThat(info.get("host").asText()).isEqualTo("127.0.0.1");
            assertThat(info.get("port").asInt()).isEqualTo(server.wsPort());
            assertThat(info.get("client_ip").asText()).isEqualTo("127.0.0.1");
            assertThat(info.get("auth_required").asBoolean()).isTrue();
            assertThat(info.has("tls_required")).isFalse();
            assertThat(info.has("connect_urls")).isFalse();
            assertThat(tcp.info().get("port").asInt()).isEqualTo(server.port());
            ws.send("CONNECT {\"auth_token\":\"s3cret\",\"protocol\":1,\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readLine()).isEqualTo("PONG");
            JsonNode connectInfo = info(ws.readLine());
            assertThat(connectInfo.get("connect_info").asBoolean()).isTrue();
            assertThat(connectInfo.get("port").asInt()).isEqualTo(server.wsPort());
        }
    }

    @Test
    void shouldRequireAuthInInfoWhenOnlyTheWebSocketBlockConfiguresIt() throws Exception {
        try (EmbeddedServer server = server(", authorization { token: wstok }", "");
             WsRawClient ws = WsRawClient.upgraded(server.wsPort());
             RawClient tcp = RawClient.connectAndReadInfo(server.port())) {
            assertThat(info(ws.readLine()).get("auth_required").asBoolean()).isTrue();
            assertThat(tcp.info().has("auth_required")).isFalse();
            ws.send("CONNECT {\"auth_token\":\"nope\"}\r\n");
            assertThat(ws.readLine()).isEqualTo("-ERR 'Authorization Violation'");
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1008);
            assertThat(close.closeReason()).isEqualTo("Authentication Failure");
        }
    }

    // --------------------------------------------------------------------------------------- compression

    @Test
    void shouldNegotiateCompressionOnlyWhenConfiguredAndOffered() throws Exception {
        String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
        try (EmbeddedServer plain = server();
             WsRawClient offered = WsRawClient.connect(plain.wsPort())) {
            assertThat(offered.upgrade(offer)).doesNotContain("Sec-WebSocket-Extensions");
        }
        try (EmbeddedServer compressing = server(", compression: true", "");
             WsRawClient offered = WsRawClient.connect(compressing.wsPort());
             WsRawClient notOffered = WsRawClient.connect(compressing.wsPort())) {
            assertThat(offered.upgrade(offer)).contains("\r\nSec-WebSocket-Extensions: permessage-deflate; "
                    + "server_no_context_takeover; client_no_context_takeover\r\n");
            assertThat(notOffered.upgrade()).doesNotContain("Sec-WebSocket-Extensions");
        }
    }

    @Test
    void shouldCompressLargeBatchesAndInflateCompressedFrames() throws Exception {
        String offer = "Sec-WebSocket-Extensions: permessage-deflate";
        try (EmbeddedServer server = server(", compression: true", "");
             WsRawClient ws = WsRawClient.upgraded(server.wsPort(), offer);
             io.nats.client.Connection tcp = connect(server.url())) {
            WsRawClient.Frame infoFrame = ws.readFrame();
            assertThat(infoFrame.rsv1()).as("an INFO is longer than 64 bytes: compressed").isTrue();
            assertThat(new String(ws.inflate(infoFrame.payload()), StandardCharsets.UTF_8)).startsWith("INFO {");
            ws.write(WsRawClient.compressed("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPING\r\n"));
            WsRawClient.Frame pong = ws.readFrame();
            assertThat(pong.rsv1()).as("6 bytes: not compressed").isFalse();
            assertThat(pong.text()).isEqualTo("PONG\r\n");
            String payload = "x".repeat(10_000);
            tcp.publish("big", payload.getBytes(StandardCharsets.UTF_8));
            tcp.flush(TIMEOUT);
            WsRawClient.Frame msg = ws.readFrame();
            assertThat(msg.rsv1()).isTrue();
            assertThat(msg.payload().length).isLessThan(1_000);
            assertThat(new String(ws.inflate(msg.payload()), StandardCharsets.UTF_8))
                    .isEqualTo("MSG big 1 10000\r\n" + payload + "\r\n");
            // a compressed message split over a first frame and continuations
            byte[] deflated = WsRawClient.deflate(("PUB big 5\r\nhello\r\n").getBytes(StandardCharsets.UTF_8));
            int half = deflated.length / 2;
            ws.write(WsRawClient.frame(2, java.util.Arrays.copyOfRange(deflated, 0, half), false, true, 0x40));
            ws.write(WsRawClient.frame(0, java.util.Arrays.copyOfRange(deflated, half, deflated.length), true, true,
                    0));
            assertThat(ws.readLine()).isEqualTo("MSG big 1 5");
            assertThat(ws.readLine()).isEqualTo("hello");
        }
    }

    @Test
    void shouldCloseWhenACompressedMessageInflatesBeyondMaxPayload() throws Exception {
        try (EmbeddedServer server = server(", compression: true", "max_payload: 1000");
             LogCapture log = LogCapture.of(Connection.class);
             WsRawClient ws = WsRawClient.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate")) {
            long cid = clientId(ws.readLine());
            // each PING fits, the message as a whole inflates beyond max_payload
            ws.write(WsRawClient.compressed("PING\r\n".repeat(300)));
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.await("read error: maximum payload exceeded")).startsWith("[ERROR] 127.0.0.1:");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.READ_ERROR);
        }
    }

    @Test
    void shouldCloseOnACorruptCompressedFrame() throws Exception {
        try (EmbeddedServer server = server(", compression: true", "");
             LogCapture log = LogCapture.of(Connection.class);
             WsRawClient ws = WsRawClient.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate")) {
            ws.readMessage();
            ws.write(WsRawClient.frame(2, new byte[] {(byte) 0xff, (byte) 0xff, 0x12, 0x34}, true, true, 0x40));
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.await("read error: flate: corrupt input before offset")).contains("wid:");
        }
    }

    // ---------------------------------------------------------------------------------------------- frames

    static Stream<Arguments> protocolErrors() {
        return Stream.of(
                Arguments.of("unmasked frame", "8202 5049 4e47 0d0a", "mask bit missing"),
                Arguments.of("RSV2 set", "a282 01020304 51 4b 4d 43 0c 08", "RSV2 and RSV3 must be clear"),
                Arguments.of("RSV1 without deflate", "c282 01020304 51 4b 4d 43 0c 08",
                        "compressed frame received without negotiated permessage-deflate"),
                Arguments.of("126-byte ping", "89fe 007e 01020304",
                        "control frame length bigger than maximum allowed of 125 bytes"),
                Arguments.of("fragmented ping", "0980 01020304", "control frame does not have final bit set"),
                Arguments.of("continuation first", "8080 01020304", "invalid continuation frame"),
                Arguments.of("new message mid-fragment", "0280 01020304 8280 01020304",
                        "new message started before final frame for previous message was received"),
                Arguments.of("unknown opcode 3", "8380 01020304", "unknown opcode 3"),
                Arguments.of("64-bit length with MSB", "82ff 8000000000000000 01020304",
                        "invalid 64-bit payload length"),
                Arguments.of("1-byte close payload", "8881 01020304 00", "close frame payload cannot be 1 byte"),
                Arguments.of("close code 1005", "8882 01020304 02ef", "invalid close status code 1005"),
                Arguments.of("close code 999", "8882 01020304 02e5", "invalid close status code 999"),
                Arguments.of("close code 5000", "8882 01020304 128a", "invalid close status code 5000"),
                Arguments.of("compressed ping", "c980 01020304",
                        "compressed frame received without negotiated permessage-deflate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolErrors")
    void shouldCloseWithProtocolErrorFor(String name, String hex, String reason) throws Exception {
        try (EmbeddedServer server = server();
             LogCapture log = LogCapture.of(Connection.class);
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            long cid = clientId(ws.readLine());
            ws.write(hex(hex));
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1002);
            assertThat(close.closeReason()).isEqualTo(reason);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.await("read error: " + reason)).startsWith("[ERROR] 127.0.0.1:").contains(" - wid:");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.READ_ERROR);
        }
    }

    @Test
    void shouldRefuseACompressedControlFrameWhenDeflateIsNegotiated() throws Exception {
        try (EmbeddedServer server = server(", compression: true", "");
             WsRawClient ws = WsRawClient.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate")) {
            ws.readMessage();
            ws.write(hex("c980 01020304"));
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeReason()).isEqualTo("control frame must not be compressed");
        }
    }

    @Test
    void shouldParseMessagesAcrossFragmentsAndSplitWrites() throws Exception {
        try (EmbeddedServer server = server();
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            ws.send("CONNECT {\"verbose\":false}\r\nSUB s 1\r\n");
            byte[] first = WsRawClient.frame(1, "PUB s 11\r\nhel".getBytes(StandardCharsets.UTF_8), false, true, 0);
            byte[] ping = WsRawClient.frame(9, "between".getBytes(StandardCharsets.UTF_8), true, true, 0);
            byte[] middle = WsRawClient.frame(0, "lo wo".getBytes(StandardCharsets.UTF_8), false, true, 0);
            byte[] last = WsRawClient.frame(0, "rld\r\nPING\r\n".getBytes(StandardCharsets.UTF_8), true, true, 0);
            byte[] all = concat(first, ping, middle, last);
            for (byte b : all) {
                ws.write(new byte[] {b});                   // one byte per write: every split point
            }
            WsRawClient.Frame pong = ws.readFrame();
            assertThat(pong.opcode()).isEqualTo(10);
            assertThat(pong.text()).isEqualTo("between");
            assertThat(ws.readLine()).isEqualTo("MSG s 1 11");
            assertThat(ws.readLine()).isEqualTo("hello world");
            assertThat(ws.readLine()).isEqualTo("PONG");
            // an empty final frame ends a fragmented message; text frames are accepted like binary ones
            ws.write(WsRawClient.frame(1, "PI".getBytes(StandardCharsets.UTF_8), false, true, 0));
            ws.write(WsRawClient.frame(0, "NG\r\n".getBytes(StandardCharsets.UTF_8), false, true, 0));
            ws.write(WsRawClient.frame(0, new byte[0], true, true, 0));
            assertThat(ws.readLine()).isEqualTo("PONG");
        }
    }

    @Test
    void shouldAnswerPingsAndIgnorePongs() throws Exception {
        try (EmbeddedServer server = server();
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            ws.write(WsRawClient.frame(10, "ignored".getBytes(StandardCharsets.UTF_8), true, true, 0));
            ws.write(WsRawClient.frame(9, new byte[0], true, true, 0));
            WsRawClient.Frame pong = ws.readFrame();
            assertThat(pong.opcode()).isEqualTo(10);
            assertThat(pong.payload()).isEmpty();
        }
    }

    // -------------------------------------------------------------------------------------------- closing

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            status and reason     | 03e8 627965        | 88 05 03e8627965
            status only           | 0bb8               | 88 02 0bb8
            no status             | ''                 | 88 00
            invalid UTF-8 reason  | 03e8 ff            | -
            """)
    void shouldEchoTheClientsCloseFrame(String name, String payloadHex, String expectedHex) throws Exception {
        try (EmbeddedServer server = server();
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            long cid = clientId(ws.readLine());
            ws.send("CONNECT {\"verbose\":false}\r\nSUB x 1\r\nPUB x 2\r\nhi\r\n");
            ws.write(WsRawClient.frame(8, hex(payloadHex), true, true, 0));
            // the message published before the close is delivered first
            assertThat(ws.readLine()).isEqualTo("MSG x 1 2");
            assertThat(ws.readLine()).isEqualTo("hi");
            WsRawClient.Frame close = ws.readCloseFrame();
            if (name.equals("invalid UTF-8 reason")) {
                assertThat(close.closeStatus()).isEqualTo(1007);
                assertThat(close.closeReason()).isEqualTo("invalid utf8 body in close frame");
            } else {
                byte[] expected = hex(expectedHex);
                assertThat(close.payload()).isEqualTo(java.util.Arrays.copyOfRange(expected, 2, expected.length));
            }
            assertThat(ws.closedByServer()).isTrue();
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.CLIENT_CLOSED);
            assertThat(server.closed(cid).orElseThrow().connection().clientType()).isEqualTo("websocket");
        }
    }

    @Test
    void shouldSendACloseFrameForTheServersReason() throws Exception {
        try (EmbeddedServer server = server("", "authorization { token: t, timeout: 0.2 }");
             WsRawClient timedOut = WsRawClient.upgraded(server.wsPort())) {
            timedOut.readLine();
            assertThat(timedOut.readLine()).isEqualTo("-ERR 'Authentication Timeout'");
            WsRawClient.Frame close = timedOut.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1008);
            assertThat(close.closeReason()).isEqualTo("Authentication Timeout");
        }
        try (EmbeddedServer server = server("", "max_payload: 10");
             WsRawClient tooBig = WsRawClient.upgraded(server.wsPort());
             WsRawClient badProtocol = WsRawClient.upgraded(server.wsPort())) {
            tooBig.readLine();
            tooBig.send("CONNECT {\"verbose\":false}\r\nPUB a 11\r\n");
            assertThat(tooBig.readLine()).isEqualTo("-ERR 'Maximum Payload Violation'");
            WsRawClient.Frame close = tooBig.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1009);
            assertThat(close.closeReason()).isEqualTo("Maximum Message Payload Exceeded");

            badProtocol.readLine();
            badProtocol.send("CONNECT {\"verbose\":false}\r\nFOO\r\n");
            assertThat(badProtocol.readLine()).isEqualTo("-ERR 'Unknown Protocol Operation'");
            close = badProtocol.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1002);
            assertThat(close.closeReason()).isEqualTo("Protocol Violation");
        }
        try (EmbeddedServer server = server();
             WsRawClient ws = WsRawClient.upgraded(server.wsPort())) {
            ws.readLine();
            server.close();
            WsRawClient.Frame close = ws.readCloseFrame();
            assertThat(close.closeStatus()).isEqualTo(1001);
            assertThat(close.closeReason()).isEqualTo("Server Shutdown");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static byte[] hex(String text) {
        String digits = text.replaceAll("[^0-9a-fA-F]", "");
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** The {@code client_id} of an INFO line. */
    static long clientId(String infoLine) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(infoLine.substring("INFO ".length()))
                .path("client_id").asLong();
    }
}
