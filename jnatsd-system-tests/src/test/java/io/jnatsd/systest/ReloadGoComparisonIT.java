package io.jnatsd.systest;

import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config reload by SIGHUP of {@code bin/jnatsd} and of nats-server 2.9.10, each started with {@code -c} and the
 * same flags: for each case both files change from the same base to the same new text, both processes get SIGHUP
 * and both logs must show the same lines ({@code Reloaded: ...} in the same order, the same
 * {@code Failed to reload server configuration: ...}), then again on the way back to the base. The cases cover every
 * reloadable option 2.9.10 knows, non-reloadable options with their Go field names and {@code %v} values, broken
 * files and a non-reloadable change next to reloadable ones (which must change nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReloadGoComparisonIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** {@code [pid] 2026/12/07 19:00:36.973184 [INF] text} or, with logtime off, {@code [pid] [INF] text}. */
    private static final Pattern PREFIX = Pattern.compile(
            "^\\[\\d+\\] (\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} )?");
    private static final Pattern DIGEST = Pattern.compile(" ?\\(sha256:[0-9a-f]{64}\\)$");
    private static final String BASE = "max_connections: 1000\n";

    private Path goDir;
    private Path jnatsdDir;
    private GoServer go;
    private JnatsdProcess jnatsd;
    private TestPki pki;
    private TestPki.Issued cert;

    @BeforeAll
    void startBoth() throws IOException {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        Path root = Files.createTempDirectory("reload-compare-");
        goDir = Files.createDirectories(root.resolve("go"));
        jnatsdDir = Files.createDirectories(root.resolve("jnatsd"));
        pki = TestPki.create(Files.createDirectories(root.resolve("pki")), "reload");
        cert = pki.server("server");
        Files.writeString(goDir.resolve("server.conf"), BASE);
        Files.writeString(jnatsdDir.resolve("server.conf"), BASE);
        go = GoServer.start("-c", goDir.resolve("server.conf").toString());
        jnatsd = JnatsdProcess.start(jnatsdDir, "-p", "-1", "-a", "127.0.0.1", "-c",
                jnatsdDir.resolve("server.conf").toString());
    }

    @AfterAll
    void stopBoth() {
        if (go != null) {
            go.close();
        }
        if (jnatsd != null) {
            jnatsd.close();
        }
    }

    Stream<Arguments> cases() {
        return Stream.of(
                // reloadable options, one at a time
                Arguments.of("trace", "trace: true"),
                Arguments.of("debug", "debug: true"),
                Arguments.of("trace_verbose", "trace_verbose: true"),
                Arguments.of("debug and trace", "debug: true\ntrace: true"),
                Arguments.of("logtime", "logtime: false"),
                Arguments.of("max_connections", "max_connections: 5"),
                Arguments.of("user and password", "authorization { user: u, password: p }"),
                Arguments.of("token", "authorization { token: secret }"),
                Arguments.of("auth timeout", "authorization { user: u, password: p, timeout: 3 }"),
                Arguments.of("users", "authorization { users: [ {user: a, password: a}, {user: b, password: b} ] }"),
                Arguments.of("accounts", "accounts { A { users: [ {user: a, password: a} ] } }"),
                Arguments.of("ping_interval", "ping_interval: \"30s\""),
                Arguments.of("ping_max", "ping_max: 5"),
                Arguments.of("max_control_line", "max_control_line: 2048"),
                Arguments.of("max_payload", "max_payload: 2000"),
                Arguments.of("write_deadline", "write_deadline: \"3s\""),
                Arguments.of("client_advertise", "client_advertise: \"nats.example.com:4333\""),
                Arguments.of("pid_file", "pid_file: \"{dir}/server.pid\""),
                Arguments.of("max_traced_msg_len", "max_traced_msg_len: 10"),
                Arguments.of("error reports", "connect_error_reports: 5\nreconnect_error_reports: 2"),
                Arguments.of("server_tags", "server_tags: [\"a:1\", \"b:2\"]"),
                Arguments.of("tls", "{tls}"),
                Arguments.of("tls timeout", "{tls}\ntls { timeout: 4 }"),
                Arguments.of("tls verify", "tls { cert_file: \"{cert}\", key_file: \"{key}\", verify: true, "
                        + "ca_file: \"{ca}\" }"),
                Arguments.of("pinned_certs", "tls { cert_file: \"{cert}\", key_file: \"{key}\", pinned_certs: "
                        + "[\"a8a0e6e7d5b1d1c9f3e4c2b0a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0\"] }"),
                Arguments.of("everything reloadable at once", """
                        client_advertise: "x.example:4222"
                        logtime: false
                        max_connections: 100
                        authorization { user: u, password: p, timeout: 3 }
                        ping_interval: "30s"
                        ping_max: 5
                        max_control_line: 2048
                        max_payload: 2000
                        pid_file: "{dir}/server.pid"
                        write_deadline: "3s"
                        max_traced_msg_len: 10
                        connect_error_reports: 5
                        reconnect_error_reports: 2
                        server_tags: ["a:b"]
                        """),
                // what cannot be reloaded
                Arguments.of("server_name", "server_name: other"),
                Arguments.of("max_pending", "max_pending: 100000000"),
                Arguments.of("lame_duck_duration", "lame_duck_duration: \"45s\""),
                Arguments.of("lame_duck_grace_period", "lame_duck_grace_period: \"5s\""),
                Arguments.of("http_port", "http_port: 18222"),
                Arguments.of("http_base_path", "http_base_path: /x"),
                Arguments.of("max_subscriptions", "max_subscriptions: 10"),
                Arguments.of("no_header_support", "no_header_support: true"),
                Arguments.of("disable_sublist_cache", "disable_sublist_cache: true"),
                Arguments.of("max_sub_tokens", "max_sub_tokens: 10"),
                Arguments.of("system_account", "system_account: FOO\naccounts { FOO {} }"),
                Arguments.of("no_system_account", "no_system_account: true"),
                Arguments.of("no_auth_user", "authorization { users: [ {user: a, password: a} ] }\n"
                        + "no_auth_user: a"),
                Arguments.of("log_size_limit", "log_size_limit: 100000"),
                Arguments.of("verify_and_map", "tls { cert_file: \"{cert}\", key_file: \"{key}\", "
                        + "verify_and_map: true, ca_file: \"{ca}\" }"),
                Arguments.of("allow_non_tls", "{tls}\nallow_non_tls: true"),
                Arguments.of("non-reloadable next to reloadable ones", "max_payload: 2000\nserver_name: other\n"
                        + "ping_max: 9"),
                // files that do not load or do not validate
                // one unknown field only: nats-server reports several in its (random) map order
                Arguments.of("unknown field", "max_payload: 2000\nbogus: 1"),
                Arguments.of("lame_duck_duration below the minimum", "lame_duck_duration: \"5s\""),
                Arguments.of("max_payload above max_pending", "max_payload: 2000000000"),
                Arguments.of("bad client_advertise", "max_payload: 2000\nclient_advertise: \"a:b:c\""),
                Arguments.of("missing certificate", "max_payload: 2000\ntls { cert_file: \"{dir}/missing.pem\", "
                        + "key_file: \"{key}\" }"),
                Arguments.of("syntax error", "max_payload: 2000\nauthorization {"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldLogTheSameReloadAsNatsServer(String name, String body) {
        List<String> fromGo = reload(goDir, go::output, () -> go.signal("HUP"), body);
        List<String> fromJnatsd = reload(jnatsdDir, jnatsd::output, () -> jnatsd.signal("HUP"), body);
        assertThat(fromJnatsd).as("reload to: %s", body).isEqualTo(fromGo);
        List<String> backGo = reload(goDir, go::output, () -> go.signal("HUP"), "");
        List<String> backJnatsd = reload(jnatsdDir, jnatsd::output, () -> jnatsd.signal("HUP"), "");
        assertThat(backJnatsd).as("reload back from: %s", body).isEqualTo(backGo);
    }

    /**
     * Writes the base plus {@code body} to the server's file, sends SIGHUP and returns what it logged for that
     * reload (up to its {@code Reloaded server configuration} or {@code Failed to reload...}), without the pid,
     * time, trace and debug lines, and with the server's directory written {@code {dir}}.
     */
    private List<String> reload(Path dir, Supplier<String> output, Runnable hangup, String body) {
        String text = body.replace("{tls}", "tls { cert_file: \"{cert}\", key_file: \"{key}\" }")
                .replace("{cert}", cert.certFile().toString()).replace("{key}", cert.keyFile().toString())
                .replace("{ca}", pki.caFile().toString()).replace("{dir}", dir.toString());
        int before = output.get().length();
        int done = outcomes(output.get());
        try {
            Files.writeString(dir.resolve("server.conf"), BASE + text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hangup.run();
        Await.until(WAIT, () -> "the reload's outcome in " + output.get().substring(before),
                () -> outcomes(output.get()) > done);
        String logged = output.get().substring(before);
        List<String> lines = new ArrayList<>();
        for (String line : logged.split("\n")) {
            // 2.9.10 prints no digest after "Reloaded server configuration" (2.10+ and jnatsd do)
            String plain = DIGEST.matcher(PREFIX.matcher(line).replaceFirst("").replace(dir.toString(), "{dir}"))
                    .replaceFirst("");
            if (plain.startsWith("[TRC]") || plain.startsWith("[DBG]") || plain.isBlank()
                    || plain.contains("Trapped \"hangup\" signal")) {
                continue;        // 2.9.10 traps at debug level, 2.15 and jnatsd at info
            }
            lines.add(plain);
            if (plain.contains("Reloaded server configuration")) {
                break;
            }
        }
        return lines;
    }

    private static int outcomes(String output) {
        int count = 0;
        for (String line : output.split("\n")) {
            if (line.contains("Reloaded server configuration") || line.contains("Failed to reload server")) {
                count++;
            }
        }
        return count;
    }
}
