package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the same raw-protocol scripts against jnatsd and the Go nats-server binary (2.9.10 on this machine) and
 * compares what each server sends back, byte for byte after normalising only the documented differences:
 * <ul>
 *   <li>INFO contents (ids, ports, versions) — only the presence of an INFO line is compared;</li>
 *   <li>2.15 sends an extra INFO with {@code connect_info} after the first PONG of a protocol-1 client (core.md 3.4);</li>
 *   <li>2.15's no-responders status carries a {@code Nats-Subject} header (core.md 3.6).</li>
 * </ul>
 * Skipped when {@code /usr/sbin/nats-server} is not installed.
 */
class GoServerComparisonIT {

    private static final String QUIET = "CONNECT {\"verbose\":false}\r\n";
    private static final String HEADERS = "CONNECT {\"verbose\":false,\"headers\":true}\r\n";
    /** Appended to scripts that leave the connection open: its delivery marks the end of the transcript. */
    private static final String SENTINEL = "SUB __end 4242\r\nPUB __end 3\r\nend\r\n";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern INFO_LINE = Pattern.compile("INFO \\{[^\\r\\n]*\\} \\r\\n");
    private static final Pattern CONNECT_INFO_LINE = Pattern.compile("INFO \\{[^\\r\\n]*\"connect_info\":true[^\\r\\n]*\\} \\r\\n");
    private static final Pattern LDM_INFO_LINE = Pattern.compile("INFO \\{[^\\r\\n]*\"ldm\":true[^\\r\\n]*\\} \\r\\n");
    private static final Pattern SERVER_PING = Pattern.compile("(?m)^PING\r\n");
    private static final Pattern NO_RESPONDERS_2_15 = Pattern.compile(
            "HMSG (\\S+) (\\S+) \\d+ \\d+\\r\\nNATS/1\\.0 503\\r\\nNats-Subject: [^\\r\\n]*\\r\\n\\r\\n\\r\\n");

    private static GoServer go;
    private static EmbeddedServer jnatsd;

    /**
     * One scripted conversation; {@code closes} says whether the server is expected to end it. An open conversation
     * ends at the delivery of {@link #SENTINEL}, or at the first PONG when {@code untilPong} (for clients that do not
     * receive their own messages).
     */
    record Scenario(String name, String script, boolean closes, boolean untilPong) {
        Scenario(String name, String script, boolean closes) {
            this(name, script, closes, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startServers() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        go = GoServer.start();
        jnatsd = EmbeddedServer.start();
    }

    @AfterAll
    static void stopServers() {
        try {
            if (go != null) {
                go.close();
            }
        } finally {
            if (jnatsd != null) {
                jnatsd.close();
            }
        }
    }

    private static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    static Stream<Scenario> scenarios() {
        String headerBlock = "NATS/1.0\r\nA: 1\r\nA: 2\r\n\r\n";
        int headerBytes = headerBlock.length();
        return Stream.of(
                new Scenario("connect {} + ping", "CONNECT {}\r\nPING\r\n", false),
                new Scenario("connect protocol 1 + pings", "CONNECT {\"verbose\":false,\"protocol\":1}\r\n"
                        + "PING\r\nPING\r\n", false),
                new Scenario("no connect, verbose defaults", "SUB foo 1\r\nPUB foo 2\r\nhi\r\nPING\r\n", false),
                new Scenario("verbose sub/pub/unsub", "CONNECT {}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\n"
                        + "UNSUB 99\r\nPING\r\nPONG\r\n", false),
                new Scenario("bad op", "FOO\r\n", true),
                new Scenario("bad op after connect", QUIET + "SUB foo 1\r\nXYZ\r\n", true),
                new Scenario("MSG from client", "MSG foo 1 2\r\n", true),
                new Scenario("UNSUB without space", "UNSUB\r\n", true),
                new Scenario("empty line", "\r\nPING\r\n", true),
                new Scenario("bad payload terminator", QUIET + "PUB foo 2\r\nhiXY", true),
                new Scenario("client -ERR", "-ERR 'oops'\r\n", true),
                new Scenario("pedantic publish", QUIET + "SUB foo.* 1\r\nPUB foo.* 2\r\nhi\r\n", false),
                new Scenario("pedantic publish empty token", QUIET + "SUB a.> 1\r\nPUB a..b 1\r\nx\r\n", false),
                new Scenario("non-pedantic wildcard publish", "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n"
                        + "SUB foo.* 1\r\nSUB foo.bar 2\r\nPUB foo.* 1\r\nx\r\n", false),
                new Scenario("invalid subject", QUIET + "SUB a..b 1\r\nSUB a.>.b 2\r\nSUB foo 1\r\nPUB foo 1\r\n"
                        + "x\r\n", false),
                new Scenario("max control line exceeded", "SUB " + repeat('a', 4095) + " 1\r\n", true),
                new Scenario("control line at the limit", QUIET + "SUB " + repeat('a', 4094) + " 1\r\nPUB "
                        + repeat('a', 4094) + " 1\r\nx\r\n", false),
                new Scenario("max control line in CONNECT", "CONNECT {\"name\":\"" + repeat('n', 4100) + "\"}\r\n",
                        true),
                new Scenario("max payload exceeded", "PUB foo 1048577\r\n", true),
                new Scenario("HPUB max payload exceeded", HEADERS + "HPUB foo 10 1048577\r\n", true),
                new Scenario("PUB one arg", "PUB foo\r\n", true),
                new Scenario("PUB four args", "PUB a b c d\r\n", true),
                new Scenario("PUB bad size", "PUB foo abc\r\n", true),
                new Scenario("PUB negative size", "PUB foo -1\r\n", true),
                new Scenario("PUB ten-digit size", "PUB foo 1234567890\r\n", true),
                new Scenario("SUB one arg", "SUB foo\r\n", true),
                new Scenario("UNSUB three args", "UNSUB 1 2 3\r\n", true),
                new Scenario("bad CONNECT json", "CONNECT {bad\r\n", true),
                new Scenario("CONNECT wrong type", "CONNECT {\"verbose\":\"yes\"}\r\n", true),
                new Scenario("invalid client protocol", "CONNECT {\"protocol\":2}\r\n", true),
                new Scenario("no responders without headers", "CONNECT {\"no_responders\":true}\r\n", true),
                new Scenario("HPUB without headers negotiated", QUIET + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                        true),
                new Scenario("HPUB header size > total", HEADERS + "HPUB foo 5 3\r\n", true),
                new Scenario("HPUB two args", HEADERS + "HPUB foo 12\r\n", true),
                new Scenario("headers round trip", HEADERS + "SUB h 1\r\nHPUB h r " + headerBytes + " "
                        + (headerBytes + 5) + "\r\n" + headerBlock + "hello\r\nHPUB h 0 2\r\nhi\r\n", false),
                new Scenario("reserved reply subject", QUIET + "SUB foo 1\r\nPUB foo _R_.x 2\r\nhi\r\n"
                        + "PUB foo 1\r\na\r\n", false),
                new Scenario("duplicate sid", "CONNECT {}\r\nSUB foo 1\r\nSUB bar 1\r\nPUB bar 1\r\nb\r\n"
                        + "PUB foo 1\r\nf\r\n", false),
                new Scenario("unsub with max", QUIET + "SUB foo 1\r\nUNSUB 1 2\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\n"
                        + "PUB foo 1\r\nc\r\n", false),
                new Scenario("unsub with bad max", QUIET + "SUB foo 1\r\nUNSUB 1 abc\r\nPUB foo 1\r\nx\r\n", false),
                new Scenario("no responders", "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                        + "SUB _INBOX.x 1\r\nPUB nobody _INBOX.x 0\r\n\r\n", false),
                new Scenario("protocol variants", "CONNECT{\"verbose\":false}\r\nsub foo 1\r\nPuB foo 3\nab\n\r\n"
                        + "PINGXYZ junk\r\npong\r\nping\n", false),
                new Scenario("leading spaces", "  PING\r\n", true),
                new Scenario("ping before connect", "PING\r\n", false),
                new Scenario("reserved queue name", QUIET + "SUB foo _sys_ 1\r\nPUB foo 1\r\na\r\n", false),
                new Scenario("publish to _GR_", QUIET + "SUB _GR_.> 1\r\nPUB _GR_.x 1\r\na\r\n", false),
                new Scenario("reply $JS.ACK and _GR_", QUIET + "SUB foo 1\r\nPUB foo $JS.ACK.x 1\r\na\r\n"
                        + "PUB foo _GR_.x 1\r\nb\r\nPUB foo ok.x 1\r\nc\r\n", false),
                new Scenario("account in CONNECT", "CONNECT {\"verbose\":false,\"account\":\"A\"}\r\n", true),
                new Scenario("new_account in CONNECT", "CONNECT {\"verbose\":false,\"new_account\":true}\r\n", true),
                new Scenario("CONNECT keys ignore case and unknowns", "CONNECT {\"VERBOSE\":false,\"Pedantic\":false,"
                        + "\"unknown\":1}\r\nSUB a.* 1\r\nPUB a.* 0\r\n\r\n", false),
                new Scenario("INFO and +OK from client", QUIET + "INFO {}\r\n+OK\r\nPING\r\n", false),
                new Scenario("bad INFO from client", QUIET + "INFO {bad\r\n", true),
                new Scenario("payload with CRLF and empty payload", QUIET + "SUB foo 1\r\nPUB foo 4\r\na\r\nb\r\n"
                        + "PUB foo 0\r\n\r\n", false),
                new Scenario("queue groups per subject", QUIET + "SUB foo q 1\r\nSUB bar q 3\r\nPUB foo 1\r\na\r\n"
                        + "PUB bar 1\r\nb\r\n", false),
                new Scenario("no echo", "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\nSUB foo q 2\r\n"
                        + "PUB foo 1\r\na\r\nPING\r\n", false, true),
                new Scenario("double unsub", QUIET + "SUB foo 1\r\nUNSUB 1\r\nUNSUB 1\r\nPUB foo 1\r\na\r\n", false),
                new Scenario("reply subject delivered", QUIET + "SUB foo 1\r\nPUB foo my.reply 2\r\nhi\r\n", false),
                new Scenario("partial wildcards are literals", "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n"
                        + "SUB foo* 1\r\nSUB a>b 2\r\nSUB *.x 3\r\nPUB foox 1\r\n1\r\nPUB foo* 1\r\n2\r\n"
                        + "PUB a>b 1\r\n3\r\nPUB ab 1\r\n4\r\nPUB y.x 1\r\n5\r\nPUB y..x 1\r\n6\r\nPUB .x 1\r\n7\r\n",
                        false),
                new Scenario("tab separators", QUIET + "SUB\tfoo\t\t1\r\nPUB foo \t 1\r\nx\r\n", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAnswerLikeTheGoServer(Scenario scenario) {
        String fromGo = normalise(transcript(go.port(), scenario));
        String fromJnatsd = normalise(transcript(jnatsd.port(), scenario));
        assertThat(lines(fromJnatsd)).as("jnatsd vs nats-server for %s", scenario.name())
                .containsExactlyElementsOf(lines(fromGo));
    }

    /** What the server sends for {@code scenario}: everything after the first INFO, then an open/closed marker. */
    private static String transcript(int port, Scenario scenario) {
        try (RawClient client = RawClient.connectAndReadInfo(port)) {
            if (scenario.closes()) {
                client.send(scenario.script());
                return client.readUntilClosed(CLOSE_TIMEOUT) + "<closed>";
            }
            if (scenario.untilPong()) {
                client.send(scenario.script());
                return client.readRawThrough("PONG\r\n") + "<open>";
            }
            client.send(scenario.script() + SENTINEL);
            return client.readRawThrough("end\r\n") + "<open>";
        }
    }

    private static String normalise(String transcript) {
        String text = CONNECT_INFO_LINE.matcher(transcript).replaceAll("");
        text = INFO_LINE.matcher(text).replaceAll("INFO {...}\r\n");
        return NO_RESPONDERS_2_15.matcher(text).replaceAll("HMSG $1 $2 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");
    }

    private static List<String> lines(String text) {
        return List.of(text.split("(?<=\\n)"));
    }

    @Test
    void shouldBehaveLikeTheGoServerInLameDuckMode() {
        String conf = "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n";
        List<String> fromGo;
        try (GoServer ldmGo = GoServer.startWithConfig(conf)) {
            fromGo = lameDuckTranscripts(ldmGo.port(), () -> ldmGo.signal("USR2"));
        }
        List<String> fromJnatsd;
        try (EmbeddedServer ldmJnatsd = EmbeddedServer.startWithConfig(conf)) {
            fromJnatsd = lameDuckTranscripts(ldmJnatsd.port(), () -> ldmJnatsd.server().enterLameDuckMode());
        }
        assertThat(fromJnatsd).containsExactlyElementsOf(fromGo);
    }

    /**
     * What three clients see from lame duck mode on: a protocol-1 client that has not sent PING yet, one that has,
     * and a protocol-0 client; each transcript runs until the server closes the connection.
     */
    private static List<String> lameDuckTranscripts(int port, Runnable enterLameDuckMode) {
        try (RawClient noPingYet = RawClient.connectAndReadInfo(port);
             RawClient pinged = RawClient.connectAndReadInfo(port);
             RawClient legacy = RawClient.connectAndReadInfo(port)) {
            noPingYet.send("CONNECT {\"verbose\":true,\"protocol\":1}\r\n").expectLine("+OK");
            pinged.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expectLine("PONG");
            legacy.send("CONNECT {\"verbose\":false,\"protocol\":0}\r\nPING\r\n").expectLine("PONG");
            enterLameDuckMode.run();
            List<String> transcripts = new ArrayList<>();
            for (RawClient client : List.of(noPingYet, pinged, legacy)) {
                String seen = client.readUntilClosed(Duration.ofSeconds(20)) + "<closed>";
                // the server's first RTT PING (about 2 s after CONNECT) may or may not come before the close
                String withoutPings = SERVER_PING.matcher(seen).replaceAll("");
                transcripts.add(normalise(LDM_INFO_LINE.matcher(withoutPings).replaceAll("INFO {ldm}\r\n")));
            }
            return transcripts;
        }
    }

    @Test
    void shouldSendTheInfoFieldsTheGoServerSends() {
        JsonNode goInfo;
        JsonNode ourInfo;
        try (RawClient client = RawClient.connectAndReadInfo(go.port())) {
            goInfo = client.info();
        }
        try (RawClient client = RawClient.connectAndReadInfo(jnatsd.port())) {
            ourInfo = client.info();
        }
        Set<String> goOnly = Set.of("git_commit");     // omitempty: jnatsd has no git commit to report
        List<String> missing = new ArrayList<>();
        for (Iterator<String> it = goInfo.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (goOnly.contains(field)) {
                continue;
            }
            if (!ourInfo.has(field)) {
                missing.add(field);
            } else {
                assertThat(ourInfo.get(field).getNodeType()).as("JSON type of %s", field)
                        .isEqualTo(goInfo.get(field).getNodeType());
            }
        }
        assertThat(missing).as("INFO fields nats-server sends that jnatsd does not").isEmpty();
        for (String field : List.of("proto", "headers", "max_payload", "host", "client_ip")) {
            assertThat(ourInfo.get(field)).as(field).isEqualTo(goInfo.get(field));
        }
        assertThat(ourInfo.get("server_id").asText()).hasSameSizeAs(goInfo.get("server_id").asText())
                .startsWith("N");
    }
}
