package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.OptionsValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same WebSocket exchanges against jnatsd and the Go nats-server binary (2.9.10 on this machine), compared byte
 * for byte where both versions behave alike: the HTTP answers to bad upgrades (the {@code Date} value aside), the
 * {@code 101} response with compression and no-masking, pings, close echoes, a NATS protocol error, origin refusals,
 * compressed messages, and the configuration errors of the {@code websocket} block. Where nats-server 2.9.10 differs
 * from the 2.15 sources jnatsd follows (the INFO's host and port, RSV2/RSV3 and close-payload checks, close frames
 * after frame errors) only the common part is compared; the rest is covered by {@link WebSocketIT}.
 */
@SuppressWarnings("try")
class WebSocketGoComparisonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONF = "websocket { listen: \"127.0.0.1:-1\", no_tls: true, compression: true, "
            + "allowed_origins: [\"http://ok.io\"] }\n";

    @TempDir
    static Path dir;

    private static GoServer go;
    private static EmbeddedServer jnatsd;

    @BeforeAll
    static void startServers() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server installed");
        go = GoServer.startWithConfig(CONF);
        jnatsd = EmbeddedServer.startWithConfig(CONF);
    }

    @AfterAll
    static void stopServers() {
        if (go != null) {
            go.close();
        }
        if (jnatsd != null) {
            jnatsd.close();
        }
    }

    private static String withoutDate(String response) {
        return response.replaceAll("\r\nDate: [^\r]+\r\n", "\r\nDate: *\r\n");
    }

    static Stream<String> requests() {
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        String key = "Sec-WebSocket-Key: " + WsRawClient.KEY + "\r\n";
        String version = "Sec-WebSocket-Version: 13\r\n";
        return Stream.of(
                "POST / HTTP/1.1\r\nHost: x\r\n" + upgrade + key + version + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n" + key + version + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n" + key + version
                        + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + version + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 12\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + key + version + "Origin: http://evil.io\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + key + version + "Origin: http://ok.io:8080\r\n\r\n",
                "GET / HTTP/1.1\r\n" + upgrade + key + version + "\r\n",
                "GET / HTTP/1.0\r\n" + upgrade + key + version + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
                "NOT A REQUEST\r\n\r\n",
                "GET /x/../y?q=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\nHost: x\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: "
                        + WsRawClient.KEY + "\nSec-WebSocket-Version: 13\nSec-WebSocket-Extensions: "
                        + "permessage-deflate\nNats-No-Masking: true\nOrigin: http://ok.io\n\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void shouldAnswerUpgradeRequestsLikeTheGoServer(String request) throws IOException {
        String fromGo = WebSocketUpgradeIT.exchange(go.webSocketPort(), request);
        String fromJnatsd = WebSocketUpgradeIT.exchange(jnatsd.wsPort(), request);
        if (fromGo.startsWith("HTTP/1.1 101 ")) {
            // the INFO frame follows the response: compare the response head only
            fromGo = fromGo.substring(0, fromGo.indexOf("\r\n\r\n") + 4);
            fromJnatsd = fromJnatsd.substring(0, fromJnatsd.indexOf("\r\n\r\n") + 4);
        }
        assertThat(withoutDate(fromJnatsd)).isEqualTo(withoutDate(fromGo));
    }

    /** Runs {@code exchange} against both servers over an upgraded connection and compares what they answer. */
    private static void compare(java.util.function.Function<WsRawClient, String> exchange, String... headers) {
        String fromGo;
        String fromJnatsd;
        try (WsRawClient g = WsRawClient.upgraded(go.webSocketPort(), headers);
             WsRawClient j = WsRawClient.upgraded(jnatsd.wsPort(), headers)) {
            g.readMessage();
            j.readMessage();
            fromGo = exchange.apply(g);
            fromJnatsd = exchange.apply(j);
        }
        assertThat(fromJnatsd).isEqualTo(fromGo);
    }

    @Test
    void shouldAnswerPingsAndEchoClosesLikeTheGoServer() {
        compare(ws -> {
            ws.write(WsRawClient.frame(9, "are you there".getBytes(StandardCharsets.UTF_8), true, true, 0));
            WsRawClient.Frame pong = ws.readFrame();
            return pong.opcode() + ":" + pong.text();
        });
        compare(ws -> {
            ws.write(WsRawClient.frame(8, WebSocketIT.hex("03e8 627965"), true, true, 0));
            WsRawClient.Frame close = ws.readCloseFrame();
            return close.closeStatus() + ":" + close.closeReason() + ":" + ws.closedByServer();
        });
        compare(ws -> {
            ws.write(WsRawClient.frame(8, WebSocketIT.hex("0bb8 ffff"), true, true, 0));
            WsRawClient.Frame close = ws.readCloseFrame();
            return close.closeStatus() + ":" + close.closeReason() + ":" + ws.closedByServer();
        });
    }

    @Test
    void shouldEndAProtocolErrorLikeTheGoServer() {
        compare(ws -> {
            ws.send("CONNECT {\"verbose\":false}\r\nFOO\r\n");
            String err = ws.readLine();
            WsRawClient.Frame close = ws.readCloseFrame();
            return err + "|" + close.closeStatus() + ":" + close.closeReason();
        });
        // a frame error: nats-server queues a 1002 close frame but closes the socket first; both close
        compare(ws -> {
            ws.write(WsRawClient.frame(2, "PING\r\n".getBytes(StandardCharsets.UTF_8), true, false, 0));
            return "closed: " + ws.closedByServer();
        });
    }

    @Test
    void shouldCompressLikeTheGoServer() {
        compare(ws -> {
            ws.write(WsRawClient.compressed("CONNECT {\"verbose\":false}\r\nSUB s 1\r\nPUB s 300\r\n"
                    + "z".repeat(300) + "\r\nPING\r\n"));
            WsRawClient.Frame msg = ws.readFrame();
            String inflated = new String(ws.inflate(msg.payload()), StandardCharsets.UTF_8);
            return msg.rsv1() + ":" + inflated;
        }, "Sec-WebSocket-Extensions: permessage-deflate");
    }

    @Test
    void shouldSendTheInfoFieldsBothVersionsShare() throws Exception {
        JsonNode fromGo;
        JsonNode fromJnatsd;
        try (WsRawClient g = WsRawClient.upgraded(go.webSocketPort());
             WsRawClient j = WsRawClient.upgraded(jnatsd.wsPort())) {
            fromGo = JSON.readTree(g.readLine().substring(5));
            fromJnatsd = JSON.readTree(j.readLine().substring(5));
        }
        for (String field : List.of("proto", "headers", "max_payload", "client_ip", "auth_required", "tls_required",
                "tls_available", "connect_urls", "nonce")) {
            assertThat(fromJnatsd.has(field)).as(field).isEqualTo(fromGo.has(field));
            if (fromGo.has(field) && !field.equals("nonce")) {
                assertThat(fromJnatsd.get(field)).as(field).isEqualTo(fromGo.get(field));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "websocket { port: 8080 }",
            "websocket { port: 8080, no_tls: true, allowed_origins: [\"http://x.com:abc\"] }",
            "websocket { port: 8080, no_tls: true, allowed_origins: [\"http://[::1\"] }",
            "authorization { users: [{user: a, password: b}] }\nwebsocket { port: 8080, no_tls: true, "
                    + "authorization { username: x } }",
            "authorization { users: [{user: a, password: b}] }\nwebsocket { port: 8080, no_tls: true, "
                    + "authorization { token: x } }",
            "websocket { port: 8080, no_tls: true, jwt_cookie: \"jwt\" }"})
    void shouldRefuseInvalidOptionsLikeTheGoServer(String conf) throws IOException {
        Path file = Files.writeString(dir.resolve("invalid.conf"), conf + "\n");
        String[] fromGo = GoServer.runToExit("-c", file.toString());
        String fromJnatsd = OptionsValidator.validate(ConfigLoader.options(file)).orElse("(valid)");
        assertThat(fromGo[0]).isEqualTo("1");
        assertThat("nats-server: " + fromJnatsd).isEqualTo(fromGo[1].strip());
    }

    // one problem per file: nats-server walks the block in Go's random map order
    @ParameterizedTest
    @ValueSource(strings = {
            "websocket: 1",
            "websocket { port: \"x\" }",
            "ws { port: 8080, no_tls: true, foo: 1 }",
            "websocket { port: 8080, no_tls: true, authorization { foo: 1 } }",
            "websocket { port: 8080, no_tls: true, authorization: 1 }",
            "websocket { port: 8080, no_tls: true, authorization { user: 1 } }",
            "websocket { port: 8080, no_tls: true, handshake_timeout: \"abc\" }",
            "websocket { port: 8080, no_tls: true, handshake_timeout: 1.5 }",
            "websocket { port: 8080, no_tls: true, allowed_origins: [1, \"http://a\"] }",
            "websocket { port: 8080, no_tls: true, allowed_origins: 1 }",
            "websocket { port: 8080, no_tls: true, listen: \"1.2.3.4\" }",
            "websocket { port: 8080, no_tls: true, compression: \"yes\" }",
            "websocket { port: 8080, tls { cert_file: \"nope\" } }",
            "websocket {\n  port: 8080\n  no_tls: true\n  handshake_timeout: \"2s\"\n  same_origin: true\n}"})
    void shouldCheckTheBlockLikeTheGoServer(String conf) throws IOException {
        Path file = Files.writeString(dir.resolve("check.conf"), conf + "\n");
        String[] fromGo = GoServer.runToExit("-t", "-c", file.toString());
        CommandLineResult result = CommandLine.parse("-t", "-c", file.toString());
        assertThat(result).isInstanceOf(CommandLineResult.PrintAndExit.class);
        CommandLineResult.PrintAndExit printed = (CommandLineResult.PrintAndExit) result;
        // jnatsd (as nats-server 2.15) adds the file's digest to the "is valid" line; 2.9.10 does not
        String fromJnatsd = (printed.stdout() + printed.stderr()).strip().replaceAll(" \\(sha256:[0-9a-f]+\\)$", "");
        assertThat(fromJnatsd).isEqualTo(fromGo[1].strip());
        assertThat(printed.exitCode()).isEqualTo(Integer.parseInt(fromGo[0]));
    }
}
