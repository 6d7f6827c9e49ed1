package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real reload per reloadable option nats-server knows and jnatsd has (the config file rewritten, then
 * {@link NatsServer#reloadConfigFile()}, the path SIGHUP and {@code $SYS.REQ.SERVER.<id>.RELOAD} take): each case
 * checks the option's effect on clients before and after, and the {@code Reloaded: ...} lines. Logging options,
 * which need the launcher's logger, are reloaded by SIGHUP of {@code bin/jnatsd} in {@link ReloadProcessIT}; the
 * exact log sequences are compared with nats-server 2.9.10 in {@link ReloadGoComparisonIT}. The last tests show that
 * a refused or broken file changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LISTEN = "listen: \"127.0.0.1:-1\"\n";
    /** nats-server logs these two on every reload (its users and accounts never compare equal). */
    private static final String USERS = "Reloaded: authorization users";
    private static final String ACCOUNTS = "Reloaded: accounts";

    private Path dir;
    private TestPki pki;
    private TestPki.Issued cert;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    void createPki() throws IOException {
        dir = Files.createTempDirectory("reload-it-");
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")), "reload-it");
        cert = pki.server("server");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        open.clear();
    }

    /** A running server, its config file and what it logs. */
    final class Ctx {
        final Path conf;
        final NatsServer server;
        final LogCapture log;
        final List<RawClient> clients = new ArrayList<>();

        Ctx(String base) throws IOException {
            conf = Files.createTempFile(dir, "server-", ".conf");
            Files.writeString(conf, LISTEN + text(base));
            log = LogCapture.of(NatsServer.class);
            open.add(log);
            server = new NatsServer(ConfigLoader.options(conf));
            open.add(server::shutdown);
            server.start();
        }

        /** Rewrites the file and reloads it; the error, if the reload was refused. */
        Optional<String> reload(String body) {
            try {
                Files.writeString(conf, LISTEN + text(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return server.reloadConfigFile();
        }

        /** A new connection with its INFO read (kept open until the test ends). */
        RawClient raw() {
            RawClient c = RawClient.connectAndReadInfo(server.clientPort());
            open.add(c);
            clients.add(c);
            return c;
        }

        /** A new connection past CONNECT (with {@code connectFields} added) and a first PONG. */
        RawClient client(String connectFields) {
            RawClient c = raw();
            c.send("CONNECT {\"verbose\":false" + (connectFields.isEmpty() ? "" : "," + connectFields)
                    + "}\r\nPING\r\n").expectLine("PONG");
            return c;
        }

        /** The {@code Reloaded...} lines logged so far (the message text only). */
        List<String> reloadLines() {
            return log.lines().stream().map(l -> l.substring(l.indexOf("] ") + 2))
                    .filter(l -> l.startsWith("Reload") || l.startsWith("Closed ")).toList();
        }

        JsonNode varz() {
            return Http.get("http://127.0.0.1:" + server.monitorAddress().getPort() + "/varz").json();
        }
    }

    /** What an option does to clients: checked once before the reload ({@code reloaded} false) and once after. */
    @FunctionalInterface
    interface Effect {
        void check(Ctx ctx, boolean reloaded) throws Exception;
    }

    private String text(String body) {
        return body.replace("{tls}", "tls { cert_file: \"{cert}\", key_file: \"{key}\" }")
                .replace("{cert}", cert.certFile().toString()).replace("{key}", cert.keyFile().toString())
                .replace("{ca}", pki.caFile().toString()).replace("{dir}", dir.toString()) + "\n";
    }

    private static final NKey NKEY_A = NKey.createUser();
    private static final NKey NKEY_B = NKey.createUser();

    private static String nkeyConnect(RawClient c, NKey key) {
        String nonce = c.info().path("nonce").asText();
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(nonce.getBytes(
                StandardCharsets.US_ASCII)));
        return "\"nkey\":\"" + key.publicKey() + "\",\"sig\":\"" + sig + "\"";
    }

    /** Sends CONNECT with {@code fields} and returns what the server answers up to PONG or the close. */
    private static String tryConnect(RawClient c, String fields) {
        c.send("CONNECT {\"verbose\":false," + fields + "}\r\nPING\r\n");
        String first = c.readLine(WAIT);
        return first == null ? "" : first;
    }

    Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("max_connections", "", "max_connections: 1",
                        List.of("Closed 1 connections to fall within max_connections",
                                "Reloaded: max_connections = 1", USERS, ACCOUNTS), (Effect) (ctx, reloaded) -> {
                            if (!reloaded) {
                                ctx.client("");
                                ctx.client("");
                                return;
                            }
                            // the newest goes, as nats-server's maxConnExceeded: -ERR then close
                            assertThat(ctx.clients.get(1).readUntilClosed(WAIT))
                                    .isEqualTo("-ERR 'maximum connections exceeded'\r\n");
                            ctx.clients.get(0).send("PING\r\n").expectLine("PONG");
                            assertThat(ctx.raw().readUntilClosed(WAIT))
                                    .isEqualTo("-ERR 'maximum connections exceeded'\r\n");
                        }),
                Arguments.of("users", "authorization { users: [ {user: a, password: a} ] }",
                        "authorization { users: [ {user: b, password: b} ] }",
                        List.of(USERS, ACCOUNTS), (Effect) (ctx, reloaded) -> {
                            if (!reloaded) {
                                ctx.client("\"user\":\"a\",\"pass\":\"a\"");
                                return;
                            }
                            ctx.clients.get(0).readUntilClosed(WAIT);           // its user is gone
                            ctx.client("\"user\":\"b\",\"pass\":\"b\"");
                            assertThat(tryConnect(ctx.raw(), "\"user\":\"a\",\"pass\":\"a\""))
                                    .isEqualTo("-ERR 'Authorization Violation'");
                        }),
                Arguments.of("nkeys", "authorization { users: [ {nkey: " + NKEY_A.publicKey() + "} ] }",
                        "authorization { users: [ {nkey: " + NKEY_B.publicKey() + "} ] }",
                        List.of("Reloaded: authorization nkey users", USERS, ACCOUNTS), (Effect) (ctx, reloaded) -> {
                            if (!reloaded) {
                                RawClient a = ctx.raw();
                                assertThat(tryConnect(a, nkeyConnect(a, NKEY_A))).isEqualTo("PONG");
                                return;
                            }
                            assertThat(ctx.clients.get(0).readUntilClosed(WAIT)).isEmpty();
                            RawClient b = ctx.raw();
                            assertThat(tryConnect(b, nkeyConnect(b, NKEY_B))).isEqualTo("PONG");
                            RawClient a = ctx.raw();
                            assertThat(tryConnect(a, nkeyConnect(a, NKEY_A)))
                                    .isEqualTo("-ERR 'Authorization Violation'");
                        }),
                Arguments.of("accounts", "accounts { A { users: [ {user: a, password: a} ] }, B {} }",
                        "accounts { A {}, B { users: [ {user: a, password: a} ] } }",
                        List.of(USERS, ACCOUNTS), (Effect) (ctx, reloaded) -> {
                            if (!reloaded) {
                                ctx.client("\"user\":\"a\",\"pass\":\"a\"");
                                assertThat(onlyClient(ctx).account().name()).isEqualTo("A");
                                return;
                            }
                            // moved to another account: closed without an error, as nats-server does
                            assertThat(ctx.clients.get(0).readUntilClosed(WAIT)).isEmpty();
                            ctx.client("\"user\":\"a\",\"pass\":\"a\"");
                            Await.until(WAIT, () -> ctx.server.clientCount() == 1);
                            assertThat(onlyClient(ctx).account().name()).isEqualTo("B");
                        }),
                Arguments.of("username", "authorization { user: u, password: p }",
                        "authorization { user: v, password: p }",
                        List.of(USERS, ACCOUNTS, "Reloaded: authorization username"),
                        credentials("\"user\":\"u\",\"pass\":\"p\"",
                                "\"user\":\"v\",\"pass\":\"p\"")),
                Arguments.of("password", "authorization { user: u, password: p }",
                        "authorization { user: u, password: q }",
                        List.of(USERS, ACCOUNTS, "Reloaded: authorization password"),
                        credentials("\"user\":\"u\",\"pass\":\"p\"",
                                "\"user\":\"u\",\"pass\":\"q\"")),
                Arguments.of("token", "authorization { token: t1 }", "authorization { token: t2 }",
                        List.of(USERS, ACCOUNTS, "Reloaded: authorization token"), credentials("\"auth_token\":\"t1\"",
                                "\"auth_token\":\"t2\"")),
                Arguments.of("authorization timeout", "authorization { token: t }",
                        "authorization { token: t, timeout: 0.2 }",
                        List.of(USERS, ACCOUNTS, "Reloaded: authorization timeout = 0.2"), (Effect) (ctx, reloaded) -> {
                            if (reloaded) {
                                // a client that never sends CONNECT
                                assertThat(ctx.raw().readUntilClosed(WAIT))
                                        .isEqualTo("-ERR 'Authentication Timeout'\r\n");
                            }
                        }),
                Arguments.of("ping_interval", "", "ping_interval: \"100ms\"",
                        List.of(USERS, ACCOUNTS, "Reloaded: ping_interval = 100ms"), (Effect) (ctx, reloaded) -> {
                            if (reloaded) {
                                assertThat(ctx.client("").readLine(WAIT)).isEqualTo("PING");
                            }
                        }),
                Arguments.of("ping_max", "ping_interval: \"100ms\"\nping_max: 1000000",
                        "ping_interval: \"100ms\"\nping_max: 1", List.of(USERS, ACCOUNTS, "Reloaded: ping_max = 1"),
                        (Effect) (ctx, reloaded) -> {
                            if (!reloaded) {
                                RawClient c = ctx.client("");
                                assertThat(c.readLine(WAIT)).isEqualTo("PING");     // not answered
                                return;
                            }
                            assertThat(ctx.clients.get(0).readUntilClosed(WAIT))
                                    .endsWith("-ERR 'Stale Connection'\r\n");
                        }),
                Arguments.of("max_control_line", "", "max_control_line: 64",
                        List.of(USERS, ACCOUNTS, "Reloaded: max_control_line = 64"), (Effect) (ctx, reloaded) -> {
                            String sub = "SUB " + "s".repeat(80) + " 1\r\nPING\r\n";
                            if (!reloaded) {
                                ctx.client("").send(sub).expectLine("PONG");
                                return;
                            }
                            ctx.clients.get(0).send(sub);      // the connection open before the reload
                            assertThat(ctx.clients.get(0).readUntilClosed(WAIT))
                                    .startsWith("-ERR 'maximum control line exceeded'");
                        }),
                Arguments.of("max_payload", "", "max_payload: 100",
                        List.of(USERS, ACCOUNTS, "Reloaded: max_payload = 100"),
                        (Effect) (ctx, reloaded) -> {
                            String pub = "PUB p 200\r\n" + "x".repeat(200) + "\r\nPING\r\n";
                            if (!reloaded) {
                                ctx.client("").send(pub).expectLine("PONG");
                                return;
                            }
                            assertThat(ctx.raw().info().get("max_payload").asInt()).isEqualTo(100);
                            ctx.clients.get(0).send(pub);
                            assertThat(ctx.clients.get(0).readUntilClosed(WAIT))
                                    .startsWith("-ERR 'Maximum Payload Violation'");
                        }),
                Arguments.of("write_deadline", "http_port: -1", "http_port: -1\nwrite_deadline: \"3s\"",
                        List.of(USERS, ACCOUNTS, "Reloaded: write_deadline = 3s"), varz("write_deadline", "10000000000",
                                "3000000000")),
                Arguments.of("client_advertise", "", "client_advertise: \"nats.example.com:4333\"",
                        List.of("Reload: client_advertise = nats.example.com:4333", USERS,
                                ACCOUNTS), (Effect) (ctx, reloaded) -> {
                            JsonNode info = ctx.raw().info();
                            assertThat(info.get("host").asText()).isEqualTo(reloaded ? "nats.example.com"
                                    : "127.0.0.1");
                            assertThat(info.get("port").asInt()).isEqualTo(reloaded ? 4333
                                    : ctx.server.clientPort());
                        }),
                Arguments.of("pid_file", "", "pid_file: \"{dir}/reload.pid\"",
                        List.of(USERS, ACCOUNTS, "Reloaded: pid_file = {dir}/reload.pid"), (Effect) (ctx, reloaded) -> {
                            Path pid = dir.resolve("reload.pid");
                            if (!reloaded) {
                                Files.deleteIfExists(pid);
                                return;
                            }
                            assertThat(Files.readString(pid)).isEqualTo(Long.toString(ProcessHandle.current()
                                    .pid()));
                        }),
                Arguments.of("ports_file_dir", "", "ports_file_dir: \"{dir}/ports\"",
                        List.of(USERS, ACCOUNTS, "Reloaded: ports_file_dir = {dir}/ports"),
                        (Effect) (ctx, reloaded) -> {
                            Path ports = dir.resolve("ports");
                            if (!reloaded) {
                                Files.createDirectories(ports);
                                return;
                            }
                            try (Stream<Path> files = Files.list(ports)) {
                                List<Path> written = files.toList();
                                assertThat(written).hasSize(1);
                                assertThat(Files.readString(written.get(0))).isEqualTo(
                                        "{\"nats\":[\"nats://127.0.0.1:" + ctx.server.clientPort() + "\"]}");
                                Files.delete(written.get(0));
                            }
                        }),
                Arguments.of("tls", "", "{tls}", List.of(USERS, ACCOUNTS,
                // nats-server: opts.go getDefaultAuthTimeout (TLS timeout + 1 s once TLS is on)
                "Reloaded: authorization timeout = 3", "Reloaded: tls = enabled"), (Effect) (ctx, reloaded) -> {
                    if (!reloaded) {
                        ctx.client("");
                        return;
                    }
                    assertThat(ctx.raw().info().path("tls_required").asBoolean()).isTrue();
                    ctx.clients.get(0).send("PING\r\n").expectLine("PONG");   // existing clients stay
                }),
                Arguments.of("tls timeout", "http_port: -1\n{tls}", "http_port: -1\n"
                        + "tls { cert_file: \"{cert}\", key_file: \"{key}\", timeout: 3 }",
                        List.of(USERS, ACCOUNTS, "Reloaded: authorization timeout = 4", "Reloaded: tls timeout = 3"),
                        varz("tls_timeout", "2", "3")),
                Arguments.of("handshake_first", "{tls}", "tls { cert_file: \"{cert}\", key_file: \"{key}\", "
                        + "handshake_first: true }", List.of(USERS, ACCOUNTS,
                        "Reloaded: Client TLS handshake first: true"),
                        (Effect) (ctx, reloaded) -> {
                            if (reloaded) {
                                try (RawClient c = RawClient.connectTlsFirst(ctx.server.clientPort(),
                                        pki.clientContext(null))) {
                                    assertThat(c.readInfo().path("tls_required").asBoolean()).isTrue();
                                }
                            }
                        }),
                Arguments.of("server_tags", "http_port: -1", "http_port: -1\nserver_tags: [\"a:1\", \"b:2\"]",
                        List.of(USERS, ACCOUNTS, "Reloaded: tags"), (Effect) (ctx, reloaded) ->
                                assertThat(ctx.varz().path("tags").toString())
                                        .isEqualTo(reloaded ? "[\"a:1\",\"b:2\"]" : "")),
                Arguments.of("server_metadata", "http_port: -1", "http_port: -1\nserver_metadata: { k: v }",
                        List.of(USERS, ACCOUNTS, "Reloaded: metadata"), (Effect) (ctx, reloaded) ->
                                assertThat(ctx.varz().path("metadata").toString())
                                        .isEqualTo(reloaded ? "{\"k\":\"v\"}" : "")),
                // no routes, gateways or leaf nodes yet: nothing else reads these
                Arguments.of("connect_error_reports", "", "connect_error_reports: 5\nreconnect_error_reports: 2",
                        List.of(USERS, ACCOUNTS, "Reloaded: connect_error_reports = 5",
                                "Reloaded: reconnect_error_reports = 2"),
                        (Effect) (ctx, reloaded) -> assertThat(ctx.server.options().connectErrorReports())
                                .isEqualTo(reloaded ? 5 : 3600)),
                Arguments.of("no_fast_producer_stall", "", "no_fast_producer_stall: true",
                        List.of(USERS, ACCOUNTS, "Reloaded: fast producers will not be stalled"),
                        (Effect) (ctx, reloaded) ->
                                assertThat(ctx.server.options().noFastProducerStall()).isEqualTo(reloaded)));
    }

    private static io.jnatsd.server.conn.Connection onlyClient(Ctx ctx) {
        return ctx.server.clients().stream().findFirst().orElseThrow();
    }

    /** Old credentials connected before stop working (the client is closed), new ones work after. */
    private static Effect credentials(String old, String now) {
        return (ctx, reloaded) -> {
            if (!reloaded) {
                ctx.client(old);
                return;
            }
            assertThat(ctx.clients.get(0).readUntilClosed(WAIT)).isEqualTo("-ERR 'Authorization Violation'\r\n");
            ctx.client(now);
            assertThat(tryConnect(ctx.raw(), old)).isEqualTo("-ERR 'Authorization Violation'");
        };
    }

    private static Effect varz(String field, String before, String after) {
        return (ctx, reloaded) -> assertThat(ctx.varz().get(field).asText()).isEqualTo(reloaded ? after : before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void shouldApplyAndLogAReloadedOption(String name, String base, String next, List<String> lines, Effect effect)
            throws Exception {
        Ctx ctx = new Ctx(base);
        effect.check(ctx, false);
        assertThat(ctx.reload(next)).isEmpty();
        List<String> expected = new ArrayList<>();
        for (String line : lines) {
            expected.add(line.replace("{dir}", dir.toString()));
        }
        expected.add("Reloaded server configuration (" + ctx.server.configDigest() + ")");
        assertThat(ctx.reloadLines()).containsExactlyElementsOf(expected);
        effect.check(ctx, true);
    }

    // --------------------------------------------------------------------------------------- nothing applied

    /**
     * A reloaded file that nats-server would refuse (a non-reloadable change next to reloadable ones, a TLS
     * certificate that cannot be read after everything else passed, a syntax error, an invalid value): the reload
     * fails with nats-server's error and the server runs exactly as before.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void shouldChangeNothingWhenAReloadIsRefused(String name, String next, String error) throws Exception {
        Ctx ctx = new Ctx("http_port: -1\nauthorization { token: t }\nmax_payload: 1000");
        RawClient before = ctx.client("\"auth_token\":\"t\"");
        String loaded = ctx.varz().get("config_load_time").asText();

        Optional<String> refused = ctx.reload("http_port: -1\n" + next);

        assertThat(refused).hasValueSatisfying(e -> assertThat(e.replace(dir.toString(), "{dir}")).contains(error));
        assertThat(ctx.reloadLines()).isEmpty();
        JsonNode info = ctx.raw().info();
        assertThat(info.get("max_payload").asInt()).isEqualTo(1000);
        assertThat(info.path("tls_required").asBoolean()).isFalse();
        assertThat(info.path("auth_required").asBoolean()).isTrue();
        assertThat(ctx.server.options().pingMax()).isEqualTo(2);
        assertThat(ctx.varz().get("config_load_time").asText()).isEqualTo(loaded);
        before.send("PUB p 500\r\n" + "x".repeat(500) + "\r\nPING\r\n").expectLine("PONG");
        assertThat(tryConnect(ctx.raw(), "\"auth_token\":\"t\"")).isEqualTo("PONG");
    }

    Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("non-reloadable next to reloadable ones", "authorization { token: other }\n"
                        + "max_payload: 100\nserver_name: other\nping_max: 9",
                        "config reload not supported for ServerName: old=, new=other"),
                Arguments.of("certificate that cannot be read", "authorization { token: other }\nmax_payload: 100\n"
                        + "ping_max: 9\ntls { cert_file: \"{dir}/missing.pem\", key_file: \"{key}\" }",
                        "{dir}/missing.pem"),
                Arguments.of("syntax error", "max_payload: 100\nauthorization {", "Unexpected EOF processing map"),
                Arguments.of("unknown field", "max_payload: 100\nbogus: 1", "unknown field \"bogus\""),
                Arguments.of("invalid options", "max_payload: 100\nmax_pending: 10",
                        "max_payload (100) cannot be higher than max_pending (10)"));
    }

    @Test
    void shouldUpdateConfigLoadTimeOnAReload() throws Exception {
        Ctx ctx = new Ctx("http_port: -1");
        String loaded = ctx.varz().get("config_load_time").asText();
        assertThat(ctx.reload("http_port: -1\nmax_payload: 100")).isEmpty();
        assertThat(ctx.varz().get("config_load_time").asText()).isNotEqualTo(loaded);
        assertThat(ctx.varz().get("config_digest").asText()).isEqualTo(ctx.server.configDigest()).startsWith("sha256:");
    }

    /** {@code $SYS.REQ.SERVER.<id>.RELOAD}: the same reload, its outcome in the reply. */
    @Test
    void shouldReloadOnTheSystemRequest() throws Exception {
        String accounts = "system_account: SYS\naccounts { SYS { users: [ {user: sys, password: sys} ] } }\n";
        Ctx ctx = new Ctx(accounts + "max_payload: 1000");
        io.nats.client.Connection sys = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server("nats://127.0.0.1:" + ctx.server.clientPort()).userInfo("sys", "sys").build());
        open.add(sys::close);
        String subject = "$SYS.REQ.SERVER." + ctx.server.serverId() + ".RELOAD";
        Files.writeString(ctx.conf, LISTEN + accounts + "max_payload: 2000\n");

        JsonNode ok = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                sys.request(subject, new byte[0], WAIT).getData());
        assertThat(ok.get("server").get("id").asText()).isEqualTo(ctx.server.serverId());
        assertThat(ok.has("error")).isFalse();
        assertThat(ok.has("data")).isFalse();
        assertThat(ctx.reloadLines()).contains("Reloaded: max_payload = 2000");
        assertThat(ctx.raw().info().get("max_payload").asInt()).isEqualTo(2000);

        Files.writeString(ctx.conf, LISTEN + accounts + "max_payload: 3000\nserver_name: other\n");
        JsonNode refused = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                sys.request(subject, new byte[0], WAIT).getData());
        assertThat(refused.get("error").get("description").asText())
                .isEqualTo("config reload not supported for ServerName: old=, new=other");
        assertThat(ctx.raw().info().get("max_payload").asInt()).isEqualTo(2000);
    }

    @Test
    void shouldRefuseAReloadWithoutAConfigFile() {
        try (EmbeddedServer server = EmbeddedServer.start()) {
            assertThat(server.server().reloadConfigFile())
                    .contains("can only reload config when a file is provided using -c or --config");
        }
    }
}
