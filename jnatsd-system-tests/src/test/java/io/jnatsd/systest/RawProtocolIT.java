package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.server.conn.ClosedState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client protocol on the wire, checked with raw sockets against the bytes of the parity checklist (core.md
 * sections 3, 4, 5, 8): INFO, CONNECT options, verbose/pedantic modes, every core {@code -ERR}, the silent closes,
 * split frames, garbage, slow consumers, no-responders, auto-unsubscribe and lame duck mode.
 */
class RawProtocolIT {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String QUIET = "CONNECT {\"verbose\":false}\r\n";

    private static EmbeddedServer server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A client that has read INFO, sent {@code connect} and seen the PONG of a PING (so the server processed it). */
    private static RawClient connected(EmbeddedServer on, String connectJson) {
        RawClient client = RawClient.connectAndReadInfo(on.port());
        client.send("CONNECT " + connectJson + "\r\nPING\r\n").expectLine("PONG");
        return client;
    }

    private static RawClient quiet(EmbeddedServer on) {
        return connected(on, "{\"verbose\":false}");
    }

    private static String repeat(char c, int count) {
        char[] chars = new char[count];
        Arrays.fill(chars, c);
        return new String(chars);
    }

    // ------------------------------------------------------------------------------------------------------------ INFO

    @Test
    void shouldSendInfoWithServerAndClientFieldsOnAccept() {
        try (RawClient client = RawClient.connect(server.port())) {
            JsonNode info = client.readInfo();

            assertThat(client.infoLine()).startsWith("INFO {\"server_id\":\"N").endsWith("} \r\n");
            assertThat(info.path("server_id").asText()).hasSize(56).startsWith("N")
                    .isEqualTo(server.server().serverId()).matches("[A-Z2-7]+");
            assertThat(info.path("server_name").asText()).isEqualTo(server.server().serverId());
            assertThat(info.path("version").asText()).isEqualTo("2.15.0-dev");
            assertThat(info.path("proto").isInt()).isTrue();
            assertThat(info.path("proto").asInt()).isEqualTo(1);
            assertThat(info.path("headers").asBoolean(false)).isTrue();
            assertThat(info.path("max_payload").asLong()).isEqualTo(1_048_576L);
            assertThat(info.path("port").asInt()).isEqualTo(server.port());
            assertThat(info.path("host").asText()).isEqualTo("127.0.0.1");
            assertThat(info.path("client_id").asLong()).isPositive();
            assertThat(info.path("client_ip").asText()).isEqualTo("127.0.0.1");
            assertThat(info.has("auth_required")).as("omitempty auth_required").isFalse();
            assertThat(info.has("tls_required")).as("omitempty tls_required").isFalse();
            assertThat(info.has("ldm")).as("omitempty ldm").isFalse();
            assertThat(info.has("connect_info")).as("omitempty connect_info").isFalse();
        }
    }

    @Test
    void shouldGiveEachConnectionItsOwnClientId() {
        try (RawClient a = RawClient.connectAndReadInfo(server.port());
             RawClient b = RawClient.connectAndReadInfo(server.port())) {
            assertThat(a.clientId()).isNotEqualTo(b.clientId());
            assertThat(a.info().path("server_id").asText()).isEqualTo(b.info().path("server_id").asText());
        }
    }

    @Test
    void shouldReportConfiguredMaxPayloadAndHeaderSupportInInfo() {
        try (EmbeddedServer custom = EmbeddedServer.start(b -> b.maxPayload(4096).noHeaderSupport(true));
             RawClient client = RawClient.connect(custom.port())) {
            JsonNode info = client.readInfo();
            assertThat(info.path("max_payload").asLong()).isEqualTo(4096L);
            assertThat(info.path("headers").isBoolean()).isTrue();
            assertThat(info.path("headers").asBoolean(true)).isFalse();
        }
    }

    @Test
    void shouldEscapeHtmlCharactersAndAdvertiseTheConfiguredAddressInInfo() {
        try (EmbeddedServer named = EmbeddedServer.start(b -> b.serverName("srv<&>")
                .clientAdvertise("adv.example:4333"));
             RawClient client = RawClient.connect(named.port())) {
            JsonNode info = client.readInfo();
            // Go's encoding/json escapes <, > and & even inside strings
            assertThat(client.infoLine()).contains("\"server_name\":\"srv\\u003c\\u0026\\u003e\"");
            assertThat(info.path("server_name").asText()).isEqualTo("srv<&>");
            assertThat(info.path("host").asText()).isEqualTo("adv.example");
            assertThat(info.path("port").asInt()).isEqualTo(4333);
        }
    }

    // ----------------------------------------------------------------------------------------------- CONNECT and modes

    @Test
    void shouldAcknowledgeEmptyConnectWithOkBecauseVerboseDefaultsToTrue() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("CONNECT {}\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("+OK", "PONG");
        }
    }

    @Test
    void shouldAcknowledgeSubUnsubAndPubButNotPingInVerboseMode() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("CONNECT {\"verbose\":true}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\nUNSUB 99\r\n"
                    + "PING\r\nPONG\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "+OK", "+OK", "+OK", "MSG foo 1 2", "hi", "+OK", "+OK", "PONG");
            client.expectLine("PONG");
        }
    }

    @Test
    void shouldReportInvalidPublishSubjectInPedanticModeButStillDeliver() {
        try (RawClient client = connected(server, "{\"verbose\":false,\"pedantic\":true}")) {
            client.send("SUB foo.* 1\r\nPUB foo.* 2\r\nhi\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Invalid Publish Subject'", "MSG foo.* 1 2", "hi", "PONG");
        }
    }

    @Test
    void shouldDefaultToPedanticWhenConnectOmitsIt() {
        try (RawClient client = quiet(server)) {
            client.send("SUB a.> 1\r\nPUB a..b 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("-ERR 'Invalid Publish Subject'", "PONG");
        }
    }

    @Test
    void shouldRouteWildcardPublishToWildcardSubscriptionsOnlyWhenNotPedantic() {
        try (RawClient client = connected(server, "{\"verbose\":false,\"pedantic\":false}")) {
            client.send("SUB foo.* 1\r\nSUB foo.> 2\r\nSUB foo.bar 3\r\nPUB foo.* 1\r\nx\r\nPING\r\n");
            List<String> lines = client.readLinesThrough("PONG");
            assertThat(lines).hasSize(5).last().isEqualTo("PONG");
            assertThat(List.of(lines.get(0), lines.get(2))).containsExactlyInAnyOrder("MSG foo.* 1 1", "MSG foo.* 2 1");
            assertThat(List.of(lines.get(1), lines.get(3))).containsExactly("x", "x");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".a", "a.", "a.>.b", ">.a", "."})
    void shouldRejectMalformedSubscriptionSubjectAndKeepTheConnection(String subject) {
        try (RawClient client = quiet(server)) {
            client.send("SUB " + subject + " 1\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("-ERR 'Invalid Subject'", "PONG");
            // the sid was not registered: it can be used again
            client.send("SUB ok 1\r\nPUB ok 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG ok 1 1", "x", "PONG");
        }
    }

    @Test
    void shouldAcceptProtocolVariants() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            // CONNECT needs no space, op names are case-insensitive, PING ignores trailing bytes, bare LF ends lines
            client.send("CONNECT{\"verbose\":false}\r\nsub foo 1\r\nPuB foo 3\nab\n\r\nPINGXYZ junk\r\npong\r\n"
                    + "ping\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG foo 1 3", "ab", "", "PONG");
            client.expectLine("PONG");                   // the lower-case "ping"; "pong" got no reply
            client.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldAllowPubSubWithoutConnect() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("SUB foo 1\r\nPUB foo 2\r\nok\r\nPING\r\n");
            // no CONNECT: default options apply, so verbose is on
            assertThat(client.readLinesThrough("PONG")).containsExactly("+OK", "+OK", "MSG foo 1 2", "ok", "PONG");
        }
    }

    // ----------------------------------------------------------------------------------------------- errors that close

    static Stream<Arguments> closingErrors() {
        return Stream.of(
                Arguments.of("FOO\r\n", "Unknown Protocol Operation", ClosedState.PROTOCOL_VIOLATION),
                Arguments.of("MSG foo 1 2\r\n", "Unknown Protocol Operation", ClosedState.PROTOCOL_VIOLATION),
                Arguments.of("UNSUB\r\n", "Unknown Protocol Operation", ClosedState.PROTOCOL_VIOLATION),
                Arguments.of("\r\nPING\r\n", "Unknown Protocol Operation", ClosedState.PROTOCOL_VIOLATION),
                Arguments.of(QUIET + "PUB foo 2\r\nhiXY", "Unknown Protocol Operation",
                        ClosedState.PROTOCOL_VIOLATION),
                Arguments.of("PUB foo 1048577\r\n", "Maximum Payload Violation", ClosedState.MAX_PAYLOAD_EXCEEDED),
                Arguments.of("PUB foo 99999999\r\n", "Maximum Payload Violation", ClosedState.MAX_PAYLOAD_EXCEEDED),
                Arguments.of("CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 10 1048577\r\n",
                        "Maximum Payload Violation", ClosedState.MAX_PAYLOAD_EXCEEDED),
                Arguments.of("CONNECT {\"protocol\":2}\r\n", "invalid client protocol",
                        ClosedState.BAD_CLIENT_PROTOCOL_VERSION),
                Arguments.of("CONNECT {\"no_responders\":true}\r\n", "no responders requires headers support",
                        ClosedState.NO_RESPONDERS_REQUIRES_HEADERS),
                Arguments.of("SUB " + repeat('a', 4095) + " 1\r\n", "maximum control line exceeded",
                        ClosedState.MAX_CONTROL_LINE_EXCEEDED),
                Arguments.of("CONNECT {\"name\":\"" + repeat('n', 4100) + "\"}\r\n",
                        "maximum control line exceeded", ClosedState.MAX_CONTROL_LINE_EXCEEDED),
                Arguments.of("CONNECT {\"account\":\"A\"}\r\n", "Authorization Violation",
                        ClosedState.AUTHENTICATION_VIOLATION),
                Arguments.of("CONNECT {\"new_account\":true}\r\n", "Authorization Violation",
                        ClosedState.AUTHENTICATION_VIOLATION));
    }

    @ParameterizedTest
    @MethodSource("closingErrors")
    void shouldSendErrAndClose(String script, String error, ClosedState reason) {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send(script);
            String rest = client.readUntilClosed(CLOSE_TIMEOUT);
            assertThat(rest).isEqualTo("-ERR '" + error + "'\r\n");
            assertThat(server.awaitClosedReason(client.clientId())).isEqualTo(reason);
        }
    }

    @Test
    void shouldCutANeverEndingControlLineBeforeItsEnd() {
        try (EmbeddedServer small = EmbeddedServer.start(b -> b.maxControlLine(64));
             RawClient client = RawClient.connectAndReadInfo(small.port())) {
            client.send("PUB " + repeat('s', 500));     // no CRLF ever
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'maximum control line exceeded'\r\n");
            assertThat(small.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.MAX_CONTROL_LINE_EXCEEDED);
        }
    }

    @Test
    void shouldAcceptAControlLineOfExactlyMaxControlLine() {
        String subject = repeat('a', 4094);          // "<subject> 1" is 4096 bytes of args
        try (RawClient client = quiet(server)) {
            client.send("SUB " + subject + " 1\r\nPUB " + subject + " 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG " + subject + " 1 1", "x", "PONG");
        }
    }

    @Test
    void shouldCheckTheControlLineLimitAcrossReads() {
        String subject = repeat('b', 4094);
        try (RawClient client = quiet(server)) {
            String line = "SUB " + subject + " 1\r\n";
            client.send(line.substring(0, 2000));
            client.send(line.substring(2000, 4000));
            client.send(line.substring(4000) + "PUB " + subject + " 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG " + subject + " 1 1", "x", "PONG");
        }
        try (RawClient client = quiet(server)) {
            String line = "SUB " + subject + "bb 1\r\n";
            client.send(line.substring(0, 3000));
            client.send(line.substring(3000));
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'maximum control line exceeded'\r\n");
        }
    }

    @Test
    void shouldProcessTenThousandPipelinedPublishesInOrder() {
        try (RawClient subscriber = quiet(server); RawClient publisher = quiet(server)) {
            subscriber.send("SUB pipe 1\r\nPING\r\n").expectLine("PONG");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                String n = Integer.toString(i);
                script.append("PUB pipe ").append(n.length()).append("\r\n").append(n).append("\r\n");
            }
            publisher.send(script.append("PING\r\n").toString()).expectLine("PONG");
            for (int i = 0; i < 10_000; i++) {
                String n = Integer.toString(i);
                subscriber.expectLine("MSG pipe 1 " + n.length()).expectLine(n);
            }
            subscriber.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldAcceptPayloadOfExactlyMaxPayload() {
        byte[] payload = new byte[1_048_576];
        new Random(7).nextBytes(payload);
        try (RawClient sub = quiet(server); RawClient pub = quiet(server)) {
            sub.send("SUB big 1\r\nPING\r\n").expectLine("PONG");
            pub.send("PUB big 1048576\r\n").send(payload).send("\r\nPING\r\n").expectLine("PONG");
            sub.expectLine("MSG big 1 1048576");
            assertThat(sub.readBytes(payload.length)).isEqualTo(payload);
            sub.expectLine("");
        }
    }

    @Test
    void shouldCloseClientThatSendsErr() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("-ERR 'oops'\r\n");
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
            assertThat(server.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.PARSE_ERROR);
        }
    }

    static Stream<String> silentCloses() {
        String headers = "CONNECT {\"verbose\":false,\"headers\":true}\r\n";
        return Stream.of(
                "PUB foo\r\n",
                "PUB a b c d\r\n",
                "PUB foo abc\r\n",
                "PUB foo -1\r\n",
                "PUB foo 1234567890\r\n",
                "SUB foo\r\n",
                "SUB a b c d\r\n",
                "UNSUB 1 2 3\r\n",
                "CONNECT {bad\r\n",
                "CONNECT {\"verbose\":\"yes\"}\r\n",
                QUIET + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                headers + "HPUB foo 12\r\n",
                headers + "HPUB foo 5 3\r\n",
                headers + "HPUB foo x 3\r\n",
                headers + "HPUB foo 3 y\r\n");
    }

    @ParameterizedTest
    @MethodSource("silentCloses")
    void shouldCloseWithoutErrOnMalformedArguments(String script) {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send(script);
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
            assertThat(server.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void shouldRefuseConnectionsOverMaxConnectionsAfterSendingInfo() {
        try (EmbeddedServer limited = EmbeddedServer.start(b -> b.maxConnections(1));
             RawClient first = quiet(limited);
             RawClient second = RawClient.connect(limited.port())) {
            second.readInfo();
            assertThat(second.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'maximum connections exceeded'\r\n");
            assertThat(limited.awaitClosedReason(second.clientId())).isEqualTo(ClosedState.MAX_CONNECTIONS_EXCEEDED);
            first.send("SUB foo 1\r\nPUB foo 1\r\nx\r\nPING\r\n");
            assertThat(first.readLinesThrough("PONG")).containsExactly("MSG foo 1 1", "x", "PONG");
        }
    }

    @Test
    void shouldRefuseEveryClientWhenTheConfigFileSetsMaxConnectionsToZero() {
        // nats-server 2.15: 0 in the file is a real limit, not "use the default" as in 2.9.10
        try (EmbeddedServer none = EmbeddedServer.startWithConfig("max_connections: 0\n");
             RawClient client = RawClient.connectAndReadInfo(none.port())) {
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'maximum connections exceeded'\r\n");
            assertThat(none.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.MAX_CONNECTIONS_EXCEEDED);
        }
    }

    @Test
    void shouldUseTheDefaultConnectionLimitWhenAnEmbedderLeavesItZero() {
        // an embedder's zero means "unset" (nats-server: opts.go setBaselineOptions)
        try (EmbeddedServer unset = EmbeddedServer.start(b -> b.maxConnections(0));
             RawClient client = quiet(unset)) {
            assertThat(unset.client(client.clientId())).isPresent();
        }
    }

    @Test
    void shouldRecordAResetConnectionAsReadError() {
        long cid;
        try (RawClient client = quiet(server)) {
            cid = client.clientId();
            client.abort();
        }
        assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.READ_ERROR);
    }

    @Test
    void shouldKeepOnlyTheMostRecentClosedConnections() {
        try (EmbeddedServer ring = EmbeddedServer.start(b -> b.maxClosedClients(2))) {
            List<Long> cids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try (RawClient client = quiet(ring)) {
                    cids.add(client.clientId());
                }
                ring.awaitClosedReason(cids.get(i));
            }
            assertThat(ring.server().closedConnections()).extracting(c -> c.cid())
                    .containsExactly(cids.get(2), cids.get(3));
        }
    }

    @Test
    void shouldRefuseSubscriptionsOverMaxSubscriptionsAndKeepTheConnection() {
        try (EmbeddedServer limited = EmbeddedServer.start(b -> b.maxSubscriptions(2));
             RawClient client = quiet(limited)) {
            client.send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("-ERR 'maximum subscriptions exceeded'",
                    "PONG");
            client.send("PUB c 1\r\nc\r\nPUB b 1\r\nb\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG b 2 1", "b", "PONG");
            assertThat(limited.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(2);
            // the limit is on current subscriptions: after an UNSUB there is room again
            client.send("UNSUB 1\r\nSUB c 3\r\nPUB c 1\r\nc\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG c 3 1", "c", "PONG");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void shouldCloseStaleConnectionThatNeverAnswersPings(int pingMax) {
        try (EmbeddedServer pinging = EmbeddedServer.start(b -> b.pingInterval(Duration.ofMillis(150))
                .pingMax(pingMax));
             RawClient client = RawClient.connectAndReadInfo(pinging.port())) {
            client.send(QUIET);
            // ping_max PINGs may be outstanding; the timer firing once more closes the connection
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT))
                    .isEqualTo("PING\r\n".repeat(pingMax) + "-ERR 'Stale Connection'\r\n");
            assertThat(pinging.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.STALE_CONNECTION);
            assertThat(pinging.server().stats().staleConnections()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepAConnectionThatAnswersPings() {
        try (EmbeddedServer pinging = EmbeddedServer.start(b -> b.pingInterval(Duration.ofMillis(100)).pingMax(1));
             RawClient client = RawClient.connectAndReadInfo(pinging.port())) {
            client.send(QUIET);
            for (int i = 0; i < 3; i++) {
                client.expectLine("PING");
                client.send("PONG\r\n");
            }
            client.send("SUB foo 1\r\nPUB foo 1\r\nx\r\n");
            List<String> lines = new ArrayList<>();
            while (lines.size() < 2) {
                String line = client.readLine();
                if (line.equals("PING")) {
                    client.send("PONG\r\n");
                } else {
                    lines.add(line);
                }
            }
            assertThat(lines).containsExactly("MSG foo 1 1", "x");
            assertThat(pinging.closed(client.clientId())).isEmpty();
        }
    }

    @Test
    void shouldNotArmTheAuthTimeoutWhenNoAuthIsConfigured() {
        // the server's first PING comes 300 ms after accept, long after a 50 ms auth timeout would have fired
        try (EmbeddedServer noAuth = EmbeddedServer.start(b -> b.authTimeout(Duration.ofMillis(50))
                .pingInterval(Duration.ofMillis(300)));
             RawClient client = RawClient.connectAndReadInfo(noAuth.port())) {
            client.expectLine("PING");
            client.send("PONG\r\nSUB late 1\r\nPUB late 2\r\nok\r\nPING\r\n");
            List<String> lines = client.readLinesThrough("PONG");
            assertThat(lines).filteredOn(line -> !line.equals("PING"))
                    .containsExactly("+OK", "+OK", "MSG late 1 2", "ok", "PONG");
            assertThat(noAuth.closed(client.clientId())).isEmpty();
        }
    }

    @Test
    void shouldRefuseToStartWhenMaxPayloadExceedsMaxPending() {
        assertThatThrownBy(() -> EmbeddedServer.start(b -> b.maxPayload(2 * 1024 * 1024)
                .maxPendingBytes(1024 * 1024)).close())
                .hasStackTraceContaining("max_payload (2097152) cannot be higher than max_pending (1048576)");
    }

    @Test
    void shouldReportAPortInUseLikeNatsServer() {
        int port = server.port();
        assertThatThrownBy(() -> EmbeddedServer.startOnPort(port, b -> b).close())
                .isInstanceOf(java.io.UncheckedIOException.class)
                .cause().hasMessage("Error listening on port: 127.0.0.1:" + port + ", \"listen tcp 127.0.0.1:" + port
                        + ": bind: address already in use\"");
    }

    // ------------------------------------------------------------------------------------------------ errors that keep

    @Test
    void shouldRefuseReservedReplySubjectAndKeepTheConnection() {
        try (RawClient client = quiet(server)) {
            client.send("SUB foo 1\r\nPUB foo _R_.x 2\r\nhi\r\nPUB foo 1\r\na\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Publish with Reply of \"_R_.x\"'", "MSG foo 1 1", "a", "PONG");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"_R_.x", "$JS.ACK.s.c.1", "_GR_.abc.x"})
    void shouldRefuseEveryReservedReplyPrefix(String reply) {
        try (RawClient client = quiet(server)) {
            client.send("SUB foo 1\r\nPUB foo " + reply + " 1\r\nx\r\nPUB foo _R_ 1\r\ny\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Publish with Reply of \"" + reply + "\"'", "MSG foo 1 _R_ 1", "y",
                    "PONG");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"_GR_.x", "$NRG.x"})
    void shouldRefusePublishToInternalSubjects(String subject) {
        // $NRG. is refused by nats-server 2.15 (2.9.10 let client accounts publish there)
        try (RawClient client = quiet(server)) {
            client.send("SUB " + subject + " 1\r\nPUB " + subject + " 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Publish to \"" + subject + "\"'", "PONG");
        }
    }

    @Test
    void shouldRefuseReservedQueueNameAndKeepTheConnection() {
        try (RawClient client = quiet(server)) {
            client.send("SUB foo _sys_ 1\r\nSUB foo 1\r\nPUB foo 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"_sys_\"'", "MSG foo 1 1",
                    "x", "PONG");
        }
    }

    @Test
    void shouldRefuseSubscriptionsWithTooManyTokens() {
        try (EmbeddedServer limited = EmbeddedServer.start(b -> b.maxSubTokens(3));
             RawClient client = quiet(limited)) {
            client.send("SUB a.b.c.d 1\r\nSUB a.b.> 1\r\nPUB a.b.c 1\r\nx\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "-ERR 'Permissions Violation for Subscription to \"a.b.c.d\", too many tokens'", "MSG a.b.c 1 1",
                    "x", "PONG");
        }
    }

    @Test
    void shouldApplyConfiguredMaxPayloadToPubAndToHpubTotalSize() {
        try (EmbeddedServer small = EmbeddedServer.start(b -> b.maxPayload(100))) {
            try (RawClient client = connected(small, "{\"verbose\":false,\"headers\":true}")) {
                client.send("SUB foo 1\r\nPUB foo 100\r\n" + repeat('p', 100) + "\r\nPING\r\n");
                assertThat(client.readLinesThrough("PONG")).containsExactly("MSG foo 1 100", repeat('p', 100), "PONG");
                client.send("HPUB foo 12 101\r\n");
                assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'Maximum Payload Violation'\r\n");
                assertThat(small.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.MAX_PAYLOAD_EXCEEDED);
            }
            try (RawClient client = quiet(small)) {
                client.send("PUB foo 101\r\n");
                assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEqualTo("-ERR 'Maximum Payload Violation'\r\n");
            }
        }
    }

    @Test
    void shouldRefuseHeadersWhenTheServerHasNoHeaderSupport() {
        try (EmbeddedServer noHeaders = EmbeddedServer.start(b -> b.noHeaderSupport(true))) {
            try (RawClient client = connected(noHeaders, "{\"verbose\":false,\"headers\":true}")) {
                client.send("HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
                assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
                assertThat(noHeaders.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.PROTOCOL_VIOLATION);
            }
            try (RawClient client = RawClient.connectAndReadInfo(noHeaders.port())) {
                client.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n");
                assertThat(client.readUntilClosed(CLOSE_TIMEOUT))
                        .isEqualTo("-ERR 'no responders requires headers support'\r\n");
            }
        }
    }

    // --------------------------------------------------------------------------------------------------- subscriptions

    @Test
    void shouldGiveQueueMessagesToAnotherMemberWhenThePublisherDoesNotEcho() {
        try (RawClient self = connected(server, "{\"verbose\":false,\"echo\":false}");
             RawClient other = quiet(server)) {
            self.send("SUB work.noecho q 1\r\nPING\r\n").expectLine("PONG");
            other.send("SUB work.noecho q 1\r\nPING\r\n").expectLine("PONG");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                script.append("PUB work.noecho 2\r\n").append(String.format("%02d", i)).append("\r\n");
            }
            self.send(script.append("PING\r\n").toString()).expectLine("PONG");   // nothing for itself
            for (int i = 0; i < 50; i++) {
                other.expectLine("MSG work.noecho 1 2").expectLine(String.format("%02d", i));
            }
            other.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldKeepServingAQueueGroupAfterOneMemberAutoUnsubscribes() {
        try (RawClient limited = quiet(server); RawClient steady = quiet(server); RawClient publisher = quiet(server)) {
            limited.send("SUB work.auto q 1\r\nUNSUB 1 2\r\nSUB work.auto.end 2\r\nPING\r\n").expectLine("PONG");
            steady.send("SUB work.auto q 1\r\nSUB work.auto.end 2\r\nPING\r\n").expectLine("PONG");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                script.append("PUB work.auto 1\r\nm\r\n");
            }
            publisher.send(script.append("PUB work.auto.end 0\r\n\r\nPING\r\n").toString()).expectLine("PONG");
            int toLimited = countQueueMessages(limited);
            int toSteady = countQueueMessages(steady);
            assertThat(toLimited).isBetween(0, 2);
            assertThat(toLimited + toSteady).isEqualTo(20);
        }
    }

    @Test
    void shouldSeeEverySubscriptionChangeAtOnceDespiteMatchCaches() {
        // the publisher's per-connection cache and the account's shared cache must never serve a stale result
        String[] patterns = {"cache.s", "cache.*", "cache.>", "*.s", ">"};
        try (RawClient subscriber = quiet(server); RawClient publisher = quiet(server)) {
            for (int i = 0; i < 100; i++) {
                String pattern = patterns[i % patterns.length];
                String queue = i % 3 == 0 ? " grp" : "";
                publisher.send("PUB cache.s 1\r\n-\r\nPING\r\n").expectLine("PONG");     // warms the caches
                subscriber.send("SUB " + pattern + queue + " " + i + "\r\nPING\r\n").expectLine("PONG");
                publisher.send("PUB cache.s 1\r\n+\r\nPING\r\n").expectLine("PONG");
                subscriber.expectLine("MSG cache.s " + i + " 1").expectLine("+");
                subscriber.send("UNSUB " + i + "\r\nPING\r\n").expectLine("PONG");
            }
            publisher.send("PUB cache.s 1\r\n-\r\nPING\r\n").expectLine("PONG");
            subscriber.send("PING\r\n").expectLine("PONG");
            assertThat(server.client(subscriber.clientId()).orElseThrow().subscriptionCount()).isZero();
        }
    }

    @Test
    void shouldHandleManySubscriptionsOnOneConnection() {
        int count = 5_000;
        try (RawClient client = quiet(server)) {
            StringBuilder subs = new StringBuilder();
            for (int i = 0; i < count; i++) {
                subs.append("SUB many.").append(i).append(' ').append(i).append("\r\n");
            }
            client.send(subs.append("SUB many.* all\r\nPING\r\n").toString()).expectLine("PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(count + 1);
            client.send("PUB many.4321 1\r\nx\r\nPING\r\n");
            List<String> lines = client.readLinesThrough("PONG");
            assertThat(List.of(lines.get(0), lines.get(2))).containsExactlyInAnyOrder("MSG many.4321 4321 1",
                    "MSG many.4321 all 1");
            StringBuilder unsubs = new StringBuilder();
            for (int i = 0; i < count; i++) {
                unsubs.append("UNSUB ").append(i).append("\r\n");
            }
            client.send(unsubs.append("PUB many.4321 1\r\ny\r\nPING\r\n").toString());
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG many.4321 all 1", "y", "PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldTreatPartialWildcardsAsLiterals() {
        try (RawClient client = connected(server, "{\"verbose\":false,\"pedantic\":false}")) {
            client.send("SUB foo* 1\r\nSUB a>b 2\r\nSUB *.x 3\r\nPUB foox 1\r\n1\r\nPUB foo* 1\r\n2\r\n"
                    + "PUB a>b 1\r\n3\r\nPUB ab 1\r\n4\r\nPUB y.x 1\r\n5\r\nPUB y..x 1\r\n6\r\nPUB .x 1\r\n7\r\n"
                    + "PING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG foo* 1 1", "2", "MSG a>b 2 1", "3",
                    "MSG y.x 3 1", "5", "PONG");
        }
    }

    /** Counts "MSG work.auto" deliveries up to the "work.auto.end" marker. */
    private static int countQueueMessages(RawClient client) {
        int count = 0;
        while (true) {
            String line = client.readLine();
            if (line.equals("MSG work.auto.end 2 0")) {
                client.expectLine("");
                return count;
            }
            assertThat(line).isEqualTo("MSG work.auto 1 1");
            client.expectLine("m");
            count++;
        }
    }

    @Test
    void shouldSendNoRespondersOnceTheOnlyResponderIsGone() {
        try (RawClient requester = connected(server, "{\"verbose\":false,\"headers\":true,\"no_responders\":true}")) {
            requester.send("SUB _INBOX.gone 1\r\nPING\r\n").expectLine("PONG");
            long responderCid;
            try (RawClient responder = quiet(server)) {
                responderCid = responder.clientId();
                responder.send("SUB svc.gone 1\r\nPING\r\n").expectLine("PONG");
                requester.send("PUB svc.gone _INBOX.gone 1\r\nq\r\nPING\r\n").expectLine("PONG");
                responder.expectLine("MSG svc.gone 1 _INBOX.gone 1").expectLine("q");
            }
            server.awaitClosedReason(responderCid);
            requester.send("PUB svc.gone _INBOX.gone 1\r\nq\r\nPING\r\n");
            int size = 32 + "svc.gone".length();
            assertThat(requester.readLinesThrough("PONG")).containsExactly("HMSG _INBOX.gone 1 " + size + " " + size,
                    "NATS/1.0 503", "Nats-Subject: svc.gone", "", "", "PONG");
        }
    }

    @Test
    void shouldNotSendNoRespondersForAReplySubscriptionOfAnotherClient() {
        try (RawClient requester = connected(server, "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
             RawClient inbox = connected(server, "{\"verbose\":false,\"headers\":true}")) {
            inbox.send("SUB _INBOX.other 1\r\nPING\r\n").expectLine("PONG");
            requester.send("PUB nobody.other _INBOX.other 0\r\n\r\nPING\r\n").expectLine("PONG");
            inbox.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldCountMessagesAndBytes() {
        try (EmbeddedServer fresh = EmbeddedServer.start();
             RawClient subscriber = quiet(fresh)) {
            long publisherCid;
            subscriber.send("SUB count 1\r\nSUB count.* 2\r\nSUB count 3\r\nPING\r\n").expectLine("PONG");
            try (RawClient publisher = quiet(fresh)) {
                publisherCid = publisher.clientId();
                publisher.send("PUB count 5\r\nhello\r\nPUB count.x 3\r\nabc\r\nPUB nobody 4\r\nlost\r\n"
                        + "PING\r\n").expectLine("PONG");
            }
            subscriber.send("PING\r\n");
            assertThat(subscriber.readLinesThrough("PONG")).hasSize(7);
            // in: 3 messages, 12 bytes; out: "hello" twice and "abc" once
            Await.until(EmbeddedServer.REACTION_TIMEOUT, () -> "stats in=" + fresh.server().stats().inMsgs()
                    + " out=" + fresh.server().stats().outMsgs(),
                    () -> fresh.server().stats().inMsgs() == 3 && fresh.server().stats().outMsgs() == 3);
            assertThat(fresh.server().stats().inBytes()).isEqualTo(12);
            assertThat(fresh.server().stats().outBytes()).isEqualTo(13);
            fresh.awaitClosedReason(publisherCid);
            assertThat(fresh.closed(publisherCid).orElseThrow()).satisfies(c -> {
                assertThat(c.connection().inMsgs()).isEqualTo(3);
                assertThat(c.connection().inBytes()).isEqualTo(12);
                assertThat(c.connection().outMsgs()).isZero();
            });
            assertThat(fresh.client(subscriber.clientId()).orElseThrow().outMsgs()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------------------------------- subscriptions (UNSUB)

    @Test
    void shouldDeliverExactlyMaxMessagesAfterUnsubWithMax() {
        try (RawClient client = quiet(server)) {
            client.send("SUB foo 1\r\nUNSUB 1 3\r\n");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                script.append("PUB foo 1\r\n").append(i).append("\r\n");
            }
            client.send(script.append("PING\r\n").toString());
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "MSG foo 1 1", "0", "MSG foo 1 1", "1", "MSG foo 1 1", "2", "PONG");
            Await.until(EmbeddedServer.REACTION_TIMEOUT, "subscription removed after its max",
                    () -> server.client(client.clientId()).orElseThrow().subscriptionCount() == 0);
        }
    }

    @Test
    void shouldUnsubscribeAtOnceWhenMaxIsAlreadyReachedOrUnparsable() {
        try (RawClient client = quiet(server)) {
            client.send("SUB foo 1\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nUNSUB 1 2\r\nSUB bar 2\r\nUNSUB 2 abc\r\n"
                    + "PUB foo 1\r\nc\r\nPUB bar 1\r\nd\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG foo 1 1", "a", "MSG foo 1 1", "b",
                    "PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isZero();
        }
    }

    @Test
    void shouldIgnoreSubscriptionWithDuplicateSid() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("CONNECT {}\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("+OK", "PONG");
            client.send("SUB foo 1\r\nSUB bar 1\r\nPUB bar 1\r\nb\r\nPUB foo 1\r\nf\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "+OK", "+OK", "+OK", "+OK", "MSG foo 1 1", "f", "PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldDropAllSubscriptionsOnASecondConnect() {
        try (RawClient client = quiet(server)) {
            client.send("SUB a 1\r\nSUB b 2\r\nPING\r\n").expectLine("PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(2);
            // nats-server 2.15 (not 2.9.10): a second CONNECT starts over without subscriptions
            client.send(QUIET + "PUB a 1\r\nx\r\nSUB c 3\r\nPUB c 1\r\ny\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG c 3 1", "y", "PONG");
            assertThat(server.client(client.clientId()).orElseThrow().subscriptionCount()).isEqualTo(1);
        }
    }

    // --------------------------------------------------------------------------------------------------------- headers

    @Test
    void shouldRoundTripHeadersAndStripThemForClientsWithoutHeaderSupport() {
        String headers = "NATS/1.0\r\nA: 1\r\nA: 2\r\nB: x y\r\n\r\n";
        int headerBytes = headers.length();
        int totalBytes = headerBytes + "hello".length();
        try (RawClient withHeaders = connected(server, "{\"verbose\":false,\"headers\":true}");
             RawClient plain = quiet(server)) {
            withHeaders.send("SUB h 1\r\nPING\r\n").expectLine("PONG");
            plain.send("SUB h 7\r\nPING\r\n").expectLine("PONG");

            withHeaders.send("HPUB h reply.to " + headerBytes + " " + totalBytes + "\r\n" + headers + "hello\r\n");

            withHeaders.expectLine("HMSG h 1 reply.to " + headerBytes + " " + totalBytes);
            assertThat(new String(withHeaders.readBytes(totalBytes + 2), StandardCharsets.ISO_8859_1))
                    .isEqualTo(headers + "hello\r\n");
            plain.expectLine("MSG h 7 reply.to 5").expectLine("hello");
        }
    }

    @Test
    void shouldDeliverHpubWithZeroHeaderSizeAsPlainMessage() {
        try (RawClient client = connected(server, "{\"verbose\":false,\"headers\":true}")) {
            client.send("SUB z 1\r\nHPUB z 0 2\r\nhi\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly("MSG z 1 2", "hi", "PONG");
        }
    }

    @Test
    void shouldSendNoRespondersStatusWithSubjectHeader() {
        try (RawClient client = connected(server,
                "{\"verbose\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1}")) {
            client.readInfo();                             // connect_info INFO after the first PONG
            client.send("SUB _INBOX.x 1\r\nPUB nobody _INBOX.x 0\r\n\r\nPING\r\n");
            int size = 32 + "nobody".length();
            client.expectLine("HMSG _INBOX.x 1 " + size + " " + size);
            assertThat(new String(client.readBytes(size + 2), StandardCharsets.ISO_8859_1))
                    .isEqualTo("NATS/1.0 503\r\nNats-Subject: nobody\r\n\r\n\r\n");
            client.expectLine("PONG");
        }
    }

    @Test
    void shouldNotSendNoRespondersWithoutTheOptionOrWhenSomeoneListens() {
        try (RawClient plain = quiet(server);
             RawClient requester = connected(server, "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
             RawClient responder = quiet(server)) {
            plain.send("SUB _INBOX.p 1\r\nPUB nobody.p _INBOX.p 0\r\n\r\nPING\r\n").expectLine("PONG");
            responder.send("SUB svc 1\r\nPING\r\n").expectLine("PONG");
            requester.send("SUB _INBOX.r 1\r\nPUB svc _INBOX.r 1\r\nq\r\nPING\r\n").expectLine("PONG");
            responder.expectLine("MSG svc 1 _INBOX.r 1").expectLine("q");
        }
    }

    // ---------------------------------------------------------------------------------------------------- connect_info

    @Test
    void shouldSendConnectInfoAfterFirstPongForProtocolOne() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            long cid = client.clientId();
            client.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expectLine("PONG");
            JsonNode info = client.readInfo();
            assertThat(info.path("connect_info").asBoolean(false)).isTrue();
            assertThat(info.path("remote_account").asText()).isEqualTo("$G");
            assertThat(info.has("acc_is_sys")).as("omitempty acc_is_sys").isFalse();
            assertThat(info.path("client_id").asLong()).isEqualTo(cid);
            assertThat(info.path("server_id").asText()).isEqualTo(server.server().serverId());
            client.send("PING\r\nPING\r\n").expectLine("PONG").expectLine("PONG");
        }
    }

    @Test
    void shouldNotSendConnectInfoForProtocolZero() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.send("CONNECT {\"verbose\":false,\"protocol\":0}\r\nPING\r\nPING\r\n");
            client.expectLine("PONG").expectLine("PONG");
        }
    }

    // ------------------------------------------------------------------------------------------------------ robustness

    @Test
    void shouldParseFramesDeliveredOneByteAtATime() {
        try (RawClient client = RawClient.connectAndReadInfo(server.port())) {
            client.sendByteByByte("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\nPUB foo reply 5\r\n"
                    + "hello\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n");
            assertThat(client.readLinesThrough("PONG")).containsExactly(
                    "MSG foo 1 reply 5", "hello", "HMSG foo 1 12 14", "NATS/1.0", "", "hi", "PONG");
        }
    }

    @Test
    void shouldSurviveRandomGarbageAndKeepServingOtherClients() {
        Random random = new Random(20240611L);
        byte[] alphabet = "PUBSUBHPUBUNSUBCONNECTPINGPONGINFO+OK-ERR {}\":,.*> \t\r\n\r\n0123456789"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient observer = quiet(server)) {
            observer.send("SUB garbage.> 1\r\nPING\r\n").expectLine("PONG");
            int before = server.server().clientCount();
            for (int round = 0; round < 40; round++) {
                byte[] garbage = new byte[256 + random.nextInt(4096)];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)]
                            : (byte) random.nextInt(256);
                }
                try (RawClient noisy = RawClient.connect(server.port())) {
                    noisy.trySend(garbage);
                }
            }
            server.awaitClientCount(before);
            assertThat(server.server().isRunning()).isTrue();
            observer.send("PUB garbage.check 2\r\nok\r\nPING\r\n");
            assertThat(observer.readLinesThrough("PONG")).endsWith("MSG garbage.check 1 2", "ok", "PONG");
            try (RawClient late = quiet(server)) {
                late.send("PUB garbage.late 1\r\nz\r\nPING\r\n").expectLine("PONG");
            }
            assertThat(observer.readLinesThrough("z")).endsWith("MSG garbage.late 1 1", "z");
        }
    }

    @Test
    void shouldDropAPartialMessageWhenThePublisherDisconnectsMidPayload() {
        try (RawClient subscriber = quiet(server); RawClient publisher = quiet(server)) {
            subscriber.send("SUB cut 1\r\nPING\r\n").expectLine("PONG");
            long cid;
            try (RawClient cut = quiet(server)) {
                cid = cut.clientId();
                cut.send("PUB cut 100\r\nabcdefghij");
            }
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.CLIENT_CLOSED);
            publisher.send("PUB cut 5\r\nwhole\r\nPING\r\n").expectLine("PONG");
            subscriber.expectLine("MSG cut 1 5").expectLine("whole");
            subscriber.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldKeepPublishingWhenASubscriberVanishesMidFlood() {
        try (RawClient publisher = quiet(server); RawClient survivor = quiet(server)) {
            survivor.send("SUB vanish 1\r\nPING\r\n").expectLine("PONG");
            RawClient doomed = quiet(server);
            doomed.send("SUB vanish 1\r\nPING\r\n").expectLine("PONG");
            String batch = ("PUB vanish 512\r\n" + repeat('v', 512) + "\r\n").repeat(64) + "PING\r\n";
            for (int round = 0; round < 20; round++) {
                publisher.send(batch).expectLine("PONG");
                if (round == 5) {
                    doomed.abort();
                }
            }
            server.awaitClosedReason(doomed.clientId());
            int messages = 20 * 64;
            for (int i = 0; i < messages; i++) {
                survivor.expectLine("MSG vanish 1 512");
                assertThat(survivor.readBytes(514)).hasSize(514);
            }
            survivor.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldCloseSlowConsumerWithoutBlockingThePublisherOrOtherSubscribers() throws Exception {
        int payloadBytes = 1024;
        int batch = 64;
        try (EmbeddedServer limited = EmbeddedServer.start(b -> b.maxPayload(64 * 1024)
                .maxPendingBytes(512 * 1024));
             RawClient slow = RawClient.connect(limited.port(), 4096);
             RawClient publisher = quiet(limited)) {
            slow.readInfo();
            slow.send(QUIET + "SUB flood 1\r\nPING\r\n").expectLine("PONG");
            long slowCid = slow.clientId();

            AtomicLong received = new AtomicLong();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            try (RawClient fast = quiet(limited)) {
                fast.send("SUB flood 9\r\nPING\r\n").expectLine("PONG");
                Thread reader = Thread.ofPlatform().name("fast-subscriber").start(() -> {
                    try {
                        while (true) {
                            String line = fast.readLine();
                            if (line.equals("PONG")) {
                                return;
                            }
                            assertThat(line).isEqualTo("MSG flood 9 " + payloadBytes);
                            fast.readBytes(payloadBytes + 2);
                            received.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        readerFailure.set(t);
                    }
                });

                byte[] payload = new byte[payloadBytes];
                Arrays.fill(payload, (byte) 'x');
                StringBuilder frame = new StringBuilder();
                for (int i = 0; i < batch; i++) {
                    frame.append("PUB flood ").append(payloadBytes).append("\r\n")
                            .append(new String(payload, StandardCharsets.ISO_8859_1)).append("\r\n");
                }
                byte[] batchBytes = frame.append("PING\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
                long published = 0;
                // at most 64 MiB: far more than the 512 KiB limit plus what the kernel buffers hold
                for (int round = 0; round < 1024 && limited.closed(slowCid).isEmpty(); round++) {
                    publisher.send(batchBytes).expectLine("PONG");
                    published += batch;
                }
                assertThat(limited.awaitClosedReason(slowCid)).isEqualTo(ClosedState.SLOW_CONSUMER_PENDING_BYTES);
                assertThat(limited.server().stats().slowConsumers()).isEqualTo(1);
                // a slow consumer is cut off without an -ERR (and without flushing what is still queued)
                assertThat(slow.readUntilClosed(CLOSE_TIMEOUT)).doesNotContain("-ERR");
                // the publisher still gets PONGs, and the fast subscriber gets every message
                publisher.send(batchBytes).expectLine("PONG");
                published += batch;
                long expected = published;
                Await.until(Duration.ofSeconds(30), () -> "fast subscriber got " + received.get() + " of " + expected,
                        () -> received.get() == expected || readerFailure.get() != null);
                fast.send("PING\r\n");
                reader.join(Duration.ofSeconds(10));
                assertThat(readerFailure.get()).isNull();
                assertThat(received.get()).isEqualTo(expected);
                assertThat(limited.closed(fast.clientId())).isEmpty();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------- lame duck

    @Test
    void shouldSendLameDuckInfoAndStopAccepting() {
        try (EmbeddedServer ldm = EmbeddedServer.start();
             RawClient client = RawClient.connectAndReadInfo(ldm.port())) {
            int port = ldm.port();
            client.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expectLine("PONG");
            assertThat(client.readInfo().path("connect_info").asBoolean(false)).isTrue();

            ldm.server().enterLameDuckMode();

            JsonNode info = client.readInfo();
            assertThat(info.path("ldm").asBoolean(false)).isTrue();
            assertThat(info.path("server_id").asText()).isEqualTo(ldm.server().serverId());
            assertThat(info.has("connect_info")).isFalse();
            Await.until(EmbeddedServer.REACTION_TIMEOUT, "the listener to close", () -> refusesConnections(port));
            client.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldCloseEveryClientAfterTheLameDuckGracePeriodAndShutDown() {
        try (EmbeddedServer ldm = EmbeddedServer.start(b -> b.lameDuckDuration(Duration.ofSeconds(2))
                .lameDuckGracePeriod(Duration.ofMillis(100)));
             RawClient modern = RawClient.connectAndReadInfo(ldm.port());
             RawClient legacy = RawClient.connectAndReadInfo(ldm.port())) {
            modern.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expectLine("PONG");
            modern.readInfo();
            legacy.send("CONNECT {\"verbose\":false,\"protocol\":0}\r\nPING\r\n").expectLine("PONG");

            ldm.server().enterLameDuckMode();

            assertThat(modern.readInfo().path("ldm").asBoolean(false)).isTrue();
            assertThat(modern.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
            assertThat(legacy.readUntilClosed(CLOSE_TIMEOUT)).as("protocol 0 gets no async INFO").isEmpty();
            assertThat(ldm.awaitClosedReason(modern.clientId())).isEqualTo(ClosedState.SERVER_SHUTDOWN);
            assertThat(ldm.awaitClosedReason(legacy.clientId())).isEqualTo(ClosedState.SERVER_SHUTDOWN);
            Await.until(EmbeddedServer.REACTION_TIMEOUT, "shutdown after lame duck mode",
                    () -> !ldm.server().isRunning());
        }
    }

    /** nats-server shuts JetStream down as lame duck mode starts, before the clients go (server.go lameDuckMode). */
    @Test
    void shouldStopJetStreamWhenLameDuckModeStarts() throws IOException {
        java.nio.file.Path store = java.nio.file.Files.createTempDirectory("ldm-js-");
        try (EmbeddedServer ldm = EmbeddedServer.start(b -> b.lameDuckDuration(Duration.ofSeconds(30))
                .lameDuckGracePeriod(Duration.ofSeconds(10)).jetStream(io.jnatsd.config.JetStreamOptions.DISABLED
                        .toBuilder().enabled(true).storeDir(store.toString()).build()));
             RawClient client = RawClient.connectAndReadInfo(ldm.port())) {
            client.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expectLine("PONG");
            client.readInfo();
            assertThat(ldm.server().jetStream().isShuttingDown()).isFalse();

            ldm.server().enterLameDuckMode();

            assertThat(client.readInfo().path("ldm").asBoolean(false)).isTrue();
            Await.until(EmbeddedServer.REACTION_TIMEOUT, "JetStream stopped",
                    () -> ldm.server().jetStream().isShuttingDown());
            client.send("PING\r\n").expectLine("PONG");          // the client stays for the grace period
        }
    }

    @Test
    void shouldSendLameDuckInfoOnlyToClientsThatGotTheirFirstPong() {
        // nats-server: route.go sendAsyncInfoToClients sends async INFO only once firstPongSent is set
        try (EmbeddedServer ldm = EmbeddedServer.start(b -> b.lameDuckDuration(Duration.ofSeconds(2))
                .lameDuckGracePeriod(Duration.ofMillis(100)));
             RawClient client = RawClient.connectAndReadInfo(ldm.port())) {
            client.send("CONNECT {\"verbose\":true,\"protocol\":1}\r\n").expectLine("+OK");

            ldm.server().enterLameDuckMode();

            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
            assertThat(ldm.awaitClosedReason(client.clientId())).isEqualTo(ClosedState.SERVER_SHUTDOWN);
        }
    }

    @Test
    void shouldCloseAConsumerThatBlocksWritesPastTheWriteDeadline() {
        int payloadBytes = 4096;
        try (EmbeddedServer deadline = EmbeddedServer.start(b -> b.writeDeadline(Duration.ofMillis(200)));
             RawClient slow = RawClient.connect(deadline.port(), 4096);
             RawClient publisher = quiet(deadline)) {
            slow.readInfo();
            slow.send(QUIET + "SUB stuck 1\r\nPING\r\n").expectLine("PONG");
            StringBuilder frame = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                frame.append("PUB stuck ").append(payloadBytes).append("\r\n").append(repeat('d', payloadBytes))
                        .append("\r\n");
            }
            byte[] batchBytes = frame.append("PING\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            // at most 32 MiB, half of max_pending: only the write deadline can close the subscriber
            for (int round = 0; round < 512 && deadline.closed(slow.clientId()).isEmpty(); round++) {
                publisher.send(batchBytes).expectLine("PONG");
            }
            assertThat(deadline.awaitClosedReason(slow.clientId())).isEqualTo(ClosedState.SLOW_CONSUMER_WRITE_DEADLINE);
            assertThat(slow.isClosedWithin(CLOSE_TIMEOUT)).isTrue();
            publisher.send("PING\r\n").expectLine("PONG");
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void shouldCloseEveryClientWithServerShutdownOnShutdown() {
        EmbeddedServer gone = EmbeddedServer.start();
        int port = gone.port();
        try (RawClient client = quiet(gone)) {
            long cid = client.clientId();
            gone.close();
            assertThat(client.readUntilClosed(CLOSE_TIMEOUT)).isEmpty();
            assertThat(gone.closed(cid)).map(c -> c.reason()).contains(ClosedState.SERVER_SHUTDOWN);
            assertThat(refusesConnections(port)).isTrue();
        }
    }
}
