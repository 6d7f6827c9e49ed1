package io.jnatsd.systest;

import io.jnatsd.jwt.Permission;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth callout against the Go nats-server binary. The installed 2.9.10 predates auth callout (2.10 added it): it
 * refuses the {@code auth_callout} key as an unknown field, so it cannot run a callout. What a client sees is still
 * compared byte for byte: a client the callout refuses gets what 2.9.10 sends for a wrong password, a client it
 * admits what 2.9.10 sends a configured user, and a user placed in the callout account is refused publishing on
 * {@code $SYS.REQ.USER.AUTH} as 2.9.10 refuses a user denied that subject. When a Go binary that knows
 * {@code auth_callout} is installed, the config errors are compared as well.
 */
@SuppressWarnings("try")
class AuthCalloutGoComparisonIT {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONNECT_INFO_LINE =
            Pattern.compile("INFO \\{[^\\r\\n]*\"connect_info\":true[^\\r\\n]*\\} \\r\\n");
    private static final Pattern SERVER_PING = Pattern.compile("(?m)^PING\r\n");
    private static final NKey ISSUER = NKey.createAccount();
    private static final String CALLOUT = "authorization {\n  users: [ { user: auth, password: pwd } ]\n"
            + "  auth_callout { issuer: " + ISSUER.publicKey() + ", auth_users: [ auth ] }\n}\n";
    private static final String PLAIN = "authorization {\n  users: [ { user: auth, password: pwd },\n"
            + "    { user: dlc, password: zzz, permissions: { publish: { allow: \"$SYS.>\", "
            + "deny: \"$SYS.REQ.USER.AUTH\" } } } ]\n}\n";

    @BeforeAll
    static void requireGo() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
    }

    /** Whether the installed Go server knows {@code auth_callout} (2.10 and later). */
    private static boolean goKnowsCallout() {
        String[] result = check(CALLOUT);
        return !result[1].contains("unknown field \"auth_callout\"");
    }

    private static String[] check(String conf) {
        try {
            Path file = Files.createTempFile("callout-", ".conf");
            try {
                Files.writeString(file, conf, StandardCharsets.UTF_8);
                return GoServer.runToExit("-c", file.toString(), "-t");
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CONNECT {\"verbose\":false,\"user\":\"dlc\",\"pass\":\"bad\"}\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"dlc\",\"pass\":\"bad\"}\r\nPING\r\n",
        "CONNECT {\"verbose\":true,\"user\":\"dlc\",\"pass\":\"bad\"}\r\nSUB x 1\r\n"})
    void shouldRefuseLikeAWrongPassword(String script) throws Exception {
        try (GoServer go = GoServer.startWithConfig(PLAIN);
             EmbeddedServer jnatsd = EmbeddedServer.startWithConfig(CALLOUT);
             CalloutService service = service(jnatsd, r -> CalloutService.response(r, ISSUER, null, "no", c -> c))) {
            String expected = transcript(go.port(), script, true);
            assertThat(transcript(jnatsd.port(), script, true)).isEqualTo(expected)
                    .isEqualTo("-ERR 'Authorization Violation'\r\n<closed>");
        }
    }

    @Test
    void shouldAdmitAndDenyTheCalloutSubjectLikeAConfiguredUser() throws Exception {
        String script = "CONNECT {\"verbose\":true,\"user\":\"dlc\",\"pass\":\"zzz\"}\r\nPUB $SYS.x 0\r\n\r\n"
                + "PUB $SYS.REQ.USER.AUTH 0\r\n\r\nPUB foo 0\r\n\r\nPING\r\n";
        try (GoServer go = GoServer.startWithConfig(PLAIN);
             EmbeddedServer jnatsd = EmbeddedServer.startWithConfig(CALLOUT);
             CalloutService service = service(jnatsd, r -> CalloutService.allow(r, ISSUER, "$G",
                     u -> u.withPermissions(new Permission(List.of("$SYS.>"), null), null)))) {
            String expected = transcript(go.port(), script, false);
            assertThat(transcript(jnatsd.port(), script, false)).isEqualTo(expected);
            assertThat(expected).contains("-ERR 'Permissions Violation for Publish to \"$SYS.REQ.USER.AUTH\"'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "auth_callout { auth_users: [ auth ] }",
        "auth_callout { issuer: UABC, auth_users: [ auth ] }",
        "auth_callout { issuer: %s }",
        "auth_callout { issuer: %s, auth_users: [ auth ], xkey: nope }",
        "auth_callout { issuer: %s, auth_users: auth }",
        "auth_callout { issuer: %s, auth_users: [ auth ], colour: blue }",
        "auth_callout: 5"})
    void shouldReportConfigErrorsLikeTheGoServerThatHasCallouts(String block) throws Exception {
        Assumptions.assumeTrue(goKnowsCallout(), "the installed nats-server predates auth_callout");
        String conf = "authorization {\n  users: [ { user: auth, password: pwd } ]\n  "
                + block.formatted(ISSUER.publicKey()) + "\n}\n";
        String goError = check(conf)[1].strip();
        Path file = Files.createTempFile("callout-", ".conf");
        try {
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            assertThat(errorOf(file)).isEqualTo(goError.replaceFirst("^nats-server: ", ""));
        } finally {
            Files.delete(file);
        }
    }

    private static String errorOf(Path file) {
        try {
            io.jnatsd.config.ConfigLoader.options(file);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static CalloutService service(EmbeddedServer server,
                                          java.util.function.Function<CalloutService.Request, byte[]> responder)
            throws Exception {
        return new CalloutService(io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(server.url()).userInfo("auth", "pwd").maxReconnects(0).build()), null, responder);
    }

    private static String transcript(int port, String script, boolean closes) {
        try (RawClient client = RawClient.connectAndReadInfo(port)) {
            client.send(script);
            String seen = closes ? client.readUntilClosed(CLOSE_TIMEOUT) + "<closed>"
                    : client.readRawThrough("PONG\r\n") + "<open>";
            return SERVER_PING.matcher(CONNECT_INFO_LINE.matcher(seen).replaceAll("")).replaceAll("");
        }
    }
}
