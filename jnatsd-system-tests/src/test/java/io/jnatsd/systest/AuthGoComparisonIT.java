package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs raw-protocol scripts against jnatsd and the Go nats-server binary (2.9.10 on this machine) started with the
 * same authorization configs, and compares what each sends back, byte for byte after the first INFO (the
 * {@code connect_info} INFO that only 2.15 sends is dropped, as in {@link GoServerComparisonIT}). Skipped when
 * {@code /usr/sbin/nats-server} is not installed.
 * <p>
 * Left out on purpose: an operation before CONNECT with a {@code no_auth_user} whose password is a bcrypt hash.
 * 2.9.10 lets it through without checking; 2.15 runs the authentication first and fails it, as jnatsd does
 * ({@link AuthIT}).
 */
class AuthGoComparisonIT {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONNECT_INFO_LINE =
            Pattern.compile("INFO \\{[^\\r\\n]*\"connect_info\":true[^\\r\\n]*\\} \\r\\n");
    private static final Pattern SERVER_PING = Pattern.compile("(?m)^PING\r\n");
    private static final NKey NKEY_USER = NKey.createUser();

    private static final String PERMISSIONS = """
            authorization {
              users: [
                {user: pub, password: p, permissions: {
                   publish: {allow: ["foo.>", "bar"], deny: "foo.bar"}, subscribe: {deny: ["secret", "foo.bar"]}}}
                {user: sub, password: p, permissions: {subscribe: {allow: ["foo", "foo v1", "baz v.*"]}}}
                {user: resp, password: p, permissions: {publish: "req", subscribe: ">", allow_responses: true}}
                {user: wild, password: p, permissions: {subscribe: {deny: "foo.bar"}}}
                {user: hashed, password: "%s"}
                {nkey: %s}
              ]
            }
            """.formatted(AuthIT.FOO_HASH, NKEY_USER.publicKey());
    private static final String NO_AUTH_USER = """
            authorization {
              users: [
                {user: guest, password: guest, permissions: {publish: "public.>", subscribe: "public.>"}}
                {user: admin, password: admin}
              ]
            }
            no_auth_user: guest
            """;
    private static final String NO_AUTH_BCRYPT = "authorization { users: [{user: h, password: \"" + AuthIT.FOO_HASH
            + "\"}] }\nno_auth_user: h\n";
    private static final String TOKEN = "authorization { token: \"" + AuthIT.FOO_HASH + "\" }";
    private static final List<String> CONFIGS = List.of(PERMISSIONS, NO_AUTH_USER, NO_AUTH_BCRYPT, TOKEN);

    private static final Map<String, GoServer> GO = new HashMap<>();
    private static final Map<String, EmbeddedServer> JNATSD = new HashMap<>();

    /** One conversation: the config, the script (built from the first INFO) and whether the server ends it. */
    record Scenario(String name, String conf, Function<JsonNode, String> script, boolean closes) {
        Scenario(String name, String conf, String script, boolean closes) {
            this(name, conf, info -> script, closes);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startServers() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        for (String conf : CONFIGS) {
            GO.put(conf, GoServer.startWithConfig(conf));
            JNATSD.put(conf, EmbeddedServer.startWithConfig(conf));
        }
    }

    @AfterAll
    static void stopServers() {
        GO.values().forEach(GoServer::close);
        JNATSD.values().forEach(EmbeddedServer::close);
        GO.clear();
        JNATSD.clear();
    }

    private static String connect(String user) {
        return "CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"p\"}\r\n";
    }

    private static String nkeyConnect(JsonNode info, NKey signer, boolean padded) {
        byte[] sig = signer.sign(info.path("nonce").asText().getBytes(StandardCharsets.US_ASCII));
        String encoded = padded ? Base64.getEncoder().encodeToString(sig)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        return "CONNECT {\"verbose\":false,\"nkey\":\"" + NKEY_USER.publicKey() + "\",\"sig\":\"" + encoded
                + "\"}\r\nPING\r\n";
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("wrong password", PERMISSIONS, "CONNECT {\"user\":\"pub\",\"pass\":\"x\"}\r\n", true),
                new Scenario("unknown user", PERMISSIONS, "CONNECT {\"user\":\"nobody\",\"pass\":\"p\"}\r\n", true),
                new Scenario("no credentials", PERMISSIONS, "CONNECT {\"verbose\":false}\r\nPING\r\n", true),
                new Scenario("ping before connect", PERMISSIONS, "PING\r\n", true),
                new Scenario("sub before connect", PERMISSIONS, "SUB foo 1\r\n", true),
                new Scenario("account after valid credentials", PERMISSIONS,
                        "CONNECT {\"user\":\"pub\",\"pass\":\"p\",\"account\":\"A\"}\r\n", true),
                new Scenario("bcrypt password", PERMISSIONS, "CONNECT {\"user\":\"hashed\",\"pass\":\"foo\"}\r\n"
                        + "PING\r\n", false),
                new Scenario("the hash as password", PERMISSIONS, "CONNECT {\"user\":\"hashed\",\"pass\":\""
                        + AuthIT.FOO_HASH + "\"}\r\n", true),
                new Scenario("publish allow and deny", PERMISSIONS, connect("pub") + "SUB foo.> 1\r\n"
                        + "PUB foo.bar 1\r\nx\r\nPUB foo.baz 1\r\ny\r\nPUB bar 1\r\nz\r\nPUB other 1\r\nw\r\n"
                        + "PING\r\n", false),
                new Scenario("verbose publish violation", PERMISSIONS, "CONNECT {\"verbose\":true,\"user\":\"pub\","
                        + "\"pass\":\"p\"}\r\nPUB other 1\r\nw\r\nPUB bar 1\r\nz\r\nPING\r\n", false),
                new Scenario("subscribe deny", PERMISSIONS, connect("pub") + "SUB secret 1\r\nSUB foo.bar 2\r\n"
                        + "SUB foo.* 3\r\nSUB foo _sys_ 4\r\nPING\r\n", false),
                new Scenario("queue permissions", PERMISSIONS, connect("sub") + "SUB foo 1\r\nSUB foo v1 2\r\n"
                        + "SUB foo v2 3\r\nSUB baz 4\r\nSUB baz v.1 5\r\nSUB baz w 6\r\nSUB other 7\r\n"
                        + "PUB foo 1\r\na\r\nPUB baz 1\r\nb\r\nPING\r\n", false),
                new Scenario("wildcard subscription over a denied subject", PERMISSIONS, connect("wild")
                        + "SUB foo.* 1\r\nSUB foo.bar 2\r\nPUB foo.bar 1\r\nx\r\nPUB foo.baz 1\r\ny\r\nPING\r\n",
                        false),
                new Scenario("allow_responses", PERMISSIONS, connect("resp") + "PUB _INBOX.early 1\r\nx\r\n"
                        + "SUB req 1\r\nPUB req _INBOX.r 2\r\nhi\r\nPUB _INBOX.r 2\r\nok\r\nPUB _INBOX.r 2\r\nno\r\n"
                        + "PUB _INBOX.x 2\r\nno\r\nPUB other 1\r\nz\r\nPING\r\n", false),
                new Scenario("nkey signature", PERMISSIONS, info -> nkeyConnect(info, NKEY_USER, false), false),
                new Scenario("nkey signature in padded std base64", PERMISSIONS,
                        info -> nkeyConnect(info, NKEY_USER, true), false),
                new Scenario("nkey signed by another key", PERMISSIONS,
                        info -> nkeyConnect(info, NKey.createUser(), false), true),
                new Scenario("nkey without signature", PERMISSIONS, "CONNECT {\"nkey\":\"" + NKEY_USER.publicKey()
                        + "\"}\r\n", true),
                new Scenario("no_auth_user: ping first", NO_AUTH_USER, "PING\r\nSUB public.x 1\r\n"
                        + "PUB public.x 1\r\nx\r\nPUB private 1\r\ny\r\nPING\r\n", false),
                new Scenario("no_auth_user: connect without credentials", NO_AUTH_USER, "CONNECT {\"verbose\":false}"
                        + "\r\nSUB private 1\r\nPUB private 1\r\ny\r\nPING\r\n", false),
                new Scenario("no_auth_user: other user", NO_AUTH_USER, "CONNECT {\"verbose\":false,\"user\":\"admin\","
                        + "\"pass\":\"admin\"}\r\nSUB private 1\r\nPUB private 1\r\ny\r\nPING\r\n", false),
                new Scenario("no_auth_user: wrong password", NO_AUTH_USER, "CONNECT {\"user\":\"guest\","
                        + "\"pass\":\"x\"}\r\n", true),
                new Scenario("no_auth_user with a bcrypt password", NO_AUTH_BCRYPT, "CONNECT {}\r\n", true),
                new Scenario("bcrypt token", TOKEN, "CONNECT {\"auth_token\":\"foo\"}\r\nPING\r\n", false),
                new Scenario("wrong token", TOKEN, "CONNECT {\"auth_token\":\"bar\"}\r\n", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAnswerLikeTheGoServer(Scenario scenario) {
        String fromGo = transcript(GO.get(scenario.conf()).port(), scenario);
        String fromJnatsd = transcript(JNATSD.get(scenario.conf()).port(), scenario);
        assertThat(lines(fromJnatsd)).as("jnatsd vs nats-server for %s", scenario.name())
                .containsExactlyElementsOf(lines(fromGo));
    }

    /** INFO {@code auth_required} (absent with a no_auth_user [obs]) and {@code nonce} (only with nkey users). */
    @Test
    void shouldAdvertiseAuthenticationLikeTheGoServer() {
        for (String conf : CONFIGS) {
            assertThat(authFields(JNATSD.get(conf).port())).as("INFO of %s", conf)
                    .isEqualTo(authFields(GO.get(conf).port()));
        }
    }

    private static String authFields(int port) {
        try (RawClient client = RawClient.connectAndReadInfo(port)) {
            JsonNode info = client.info();
            return "auth_required=" + info.path("auth_required").asText("absent") + " nonce="
                    + (info.has("nonce") ? info.path("nonce").asText().length() + " chars" : "absent");
        }
    }

    private static String transcript(int port, Scenario scenario) {
        try (RawClient client = RawClient.connectAndReadInfo(port)) {
            client.send(scenario.script().apply(client.info()));
            String seen = scenario.closes() ? client.readUntilClosed(CLOSE_TIMEOUT) + "<closed>"
                    : client.readRawThrough("PONG\r\n") + "<open>";
            // the server's first RTT PING (about 2 s after CONNECT) may come before the end of a transcript
            return SERVER_PING.matcher(CONNECT_INFO_LINE.matcher(seen).replaceAll("")).replaceAll("");
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.split("(?<=\\n)"));
    }
}
