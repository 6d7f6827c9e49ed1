package io.jnatsd.systest;

import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.ConfigReport;
import io.jnatsd.config.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts side by side with the Go nats-server binary (2.9.10 on this machine): the errors {@code -t} reports for
 * bad {@code accounts} blocks, and raw-protocol conversations of several clients across accounts (stream imports,
 * service requests and responses with their {@code Nats-Request-Info} header, private exports, account limits,
 * no responders, latency results, the hidden system-only user), compared after normalising what is random (reply
 * subjects, RTTs, times, ids, server names). Skipped when {@code /usr/sbin/nats-server} is not installed.
 * <p>
 * Left out on purpose: files whose errors depend on Go's random map order (a cycle found on one import or the
 * other, duplicate users reported in one block or the other, a single user and account users reported by one block
 * or the other, {@code no_system_account} read before or after the latency it forbids, an export with both
 * {@code stream} and {@code service}: which one is reported as "already seen" depends on Go's map order), where 2.9.10 words an error differently from nats-server main ({@code failed to create mapping
 * transform for stream import subject from ...}), and a request through a service import that reaches no
 * responder: nats-server main (and jnatsd) answer a {@code no_responders} client with a 503, 2.9.10 does not
 * ({@link AccountsIT} checks it through jnats).
 */
class AccountsGoComparisonIT {

    private static final String ACCOUNTS = """
            accounts {
              A {
                users: [{user: a, password: a}, {user: mon, password: mon}]
                exports: [
                  {stream: "feed.>"}
                  {service: "svc.*", response: stream}
                  {service: "single.>"}
                  {stream: "priv.*", accounts: [C]}
                  {service: "wild.*.x"}
                  {service: "tracked", latency: {subject: "lat", sampling: 100}}
                ]
                limits: {max_conn: 2}
              }
              B {
                users: [{user: b, password: b, permissions: {subscribe: {deny: "from.a.feed.secret"}}}]
                imports: [
                  {stream: {account: A, subject: "feed.>"}, prefix: "from.a"}
                  {service: {account: A, subject: "svc.x"}, to: "req"}
                  {service: {account: A, subject: "single.*"}, to: "s.*"}
                  {service: {account: A, subject: "wild.*.x"}, to: "w.*"}
                  {service: {account: A, subject: "tracked"}, share: true}
                ]
              }
              C {
                users: [{user: c, password: c}]
                imports: [{stream: {account: A, subject: "priv.C"}}]
                limits: {max_subs: 1, max_payload: 5}
              }
            }
            """;
    private static final String SYSTEM_ONLY = """
            accounts { SYS { users: [{user: sys, password: s}] } }
            system_account: SYS
            """;
    private static final List<String> CONFIGS = List.of(ACCOUNTS, SYSTEM_ONLY);

    private static final Pattern SERVICE_REPLY = Pattern.compile("_R_\\.\\w{6}\\.\\w{6}(\\.\\w{8}\\.T)?");
    private static final Pattern INFO_LINE = Pattern.compile("INFO \\{[^\\r\\n]*\\} \\r\\n");
    private static final Pattern SERVER_PING = Pattern.compile("(?m)^PING\r\n");
    private static final Pattern HMSG_SIZES = Pattern.compile("(?m)^HMSG (\\S+ \\S+ (?:\\S+ )?)\\d+ \\d+(?=\\r\\n)");
    /** 2.15 (and jnatsd) name the subject in a no-responders status; 2.9.10 does not. */
    private static final Pattern NATS_SUBJECT = Pattern.compile("Nats-Subject: [^\\r]*\\r\\n");
    private static final Pattern MSG_SIZE = Pattern.compile("(?m)^MSG (lat \\S+ +)\\d+(?=\\r\\n)");
    private static final Pattern VARYING = Pattern.compile(
            "\"(rtt|service|system|total)\":\\d+|\"(start|timestamp)\":\"[^\"]+\"|\"id\":\"\\w{22}\""
                    + "|\"(server|id)\":(\"N\\w{55}\"|\\d+)");

    private static final Map<String, GoServer> GO = new HashMap<>();
    private static final Map<String, EmbeddedServer> JNATSD = new HashMap<>();

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

    // -------------------------------------------------------------------------------------------- config errors

    static Stream<String> badFiles() {
        return Stream.of(
                "accounts: [A, \"$G\", A]",
                "accounts { A { nkey: \"bad\" } }",
                "accounts { A: 1 }",
                "accounts { A { foo: 1 } }",
                "accounts { A { limits { max_conn: 1, bogus: 2 } } }",
                "accounts { A { limits: 5 } }",
                "accounts { A { exports: 5 } }",
                "accounts { A { exports: [ 5 ] } }",
                "accounts { A { exports: [ {stream: \"a\", response: single} ] } }",
                "accounts { A { exports: [ {service: \"a\", response: bogus} ] } }",
                "accounts { A { exports: [ {service: \"a\", threshold: \"x\"} ] } }",
                "accounts { A { exports: [ {service: \"a\", latency: {sampling: 200, subject: lat}} ] } }",
                "accounts { A { exports: [ {service: \"a\", latency: {sampling: 50}} ] } }",
                "accounts { A { exports: [ {service: \"a\", accounts: [B]} ] } }",
                "accounts { A { exports: [ {stream: \"a.b\", account_token_position: 2} ] } }",
                "accounts { A { exports: [ {service: \"a\", accounts: 5} ] } }",
                "accounts { A { exports: [ {service: \"a\", response: stream, latency: \"lat\"} ] } }",
                "accounts { A { exports: [ {service: \"a\", latency: {sampling: 50, subject: \"lat.*\"}} ] } }",
                "accounts { A { imports: [ {stream: {account: Z, subject: \"a\"}} ] } }",
                "accounts { A { imports: [ {stream: {account: A}} ] } }",
                "accounts { A { imports: [ {service: {account: A, subject: a, bogus: 1}} ] } }",
                "accounts {\n  A { exports: [ {stream: \"a\"} ] }\n  B { imports: [ {stream: {account: A, subject: "
                        + "\"b\"}} ] }\n}",
                "accounts {\n  A { exports: [ {stream: \"a\", accounts: [C]} ] }\n  B { imports: [ {stream: "
                        + "{account: A, subject: \"a\"}} ] }\n  C {}\n}",
                "accounts {\n  A { exports: [ {stream: \"a.>\"} ] }\n  B { imports: [ {stream: {account: A, subject: "
                        + "\"a.>\"}, prefix: \"x.*\"} ] }\n}",
                "accounts {\n  A { exports: [ {stream: \"a\"} ] }\n  B { imports: [ {stream: {account: A, subject: "
                        + "\"a\"}}, {stream: {account: A, subject: \"a\"}} ] }\n}",
                "accounts {\n  A { exports: [ {service: \"a\"} ] }\n  B { imports: [ {service: {account: A, subject: "
                        + "\"a\"}}, {service: {account: A, subject: \"a\"}} ] }\n}",
                "accounts {\n  A { exports: [ {stream: \"a.*\", account_token_position: 2} ] }\n  B { imports: [ "
                        + "{stream: {account: A, subject: \"a.C\"}} ] }\n}",
                "accounts { A { mappings: { \"a\": \"b.*\" } } }",
                "accounts {\n  A { exports: [ {service: \"a.>\"} ] }\n  B { imports: [ {service: {account: A, "
                        + "subject: \"a.*\"}, to: \"b.*.c\"} ] }\n}");
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void shouldCheckConfigFilesLikeTheGoServer(String text, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("accounts.conf");
        Files.writeString(file, text);
        Process go = new ProcessBuilder(GoServer.BINARY.toString(), "-t", "-c", file.toString())
                .redirectErrorStream(true).start();
        assertThat(go.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String goOutput = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ConfigReport report = ConfigLoader.loadFile(file, ServerOptions.builder());
        String ours = report.hasErrors() ? "nats-server: " + String.join("\n", report.errors())
                : "nats-server: configuration file " + file + " is valid";
        assertThat(ours).isEqualTo(goOutput);
    }

    // ---------------------------------------------------------------------------------------- conversations

    /**
     * One client sending a script; {@code {reply}} is the last {@code _R_.} subject that client received. When
     * {@code closes}, the server is expected to close the connection.
     */
    record Step(String client, String send, boolean closes) {
        Step(String client, String send) {
            this(client, send, false);
        }
    }

    /**
     * A conversation; {@code perClient}: compare what each client received as a whole, not step by step, for
     * messages the servers publish asynchronously (latency results arrive before or after the next PING's PONG,
     * with either server, depending on scheduling).
     */
    record Conversation(String name, String conf, List<Step> steps, boolean perClient) {
        Conversation(String name, String conf, List<Step> steps) {
            this(name, conf, steps, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String connect(String user) {
        return "CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + user + "\",\"headers\":true,"
                + "\"no_responders\":true,\"name\":\"" + user + "-client\",\"lang\":\"raw\",\"version\":\"1\"}\r\n";
    }

    static Stream<Conversation> conversations() {
        return Stream.of(
                new Conversation("stream import with prefix and a delivery deny", ACCOUNTS, List.of(
                        new Step("b", connect("b") + "SUB from.a.> 1\r\nSUB from.a.feed.* 2\r\nSUB feed.x 3\r\n"),
                        new Step("a", connect("a") + "PUB feed.x 2\r\nhi\r\nPUB feed.secret 1\r\ns\r\n"
                                + "PUB other 1\r\no\r\n"))),
                new Conversation("private stream export", ACCOUNTS, List.of(
                        new Step("c", connect("c") + "SUB priv.C 1\r\n"),
                        new Step("b", connect("b") + "SUB priv.C 1\r\n"),
                        new Step("a", connect("a") + "PUB priv.C 1\r\np\r\nPUB priv.B 1\r\nq\r\n"))),
                new Conversation("streamed service with responses", ACCOUNTS, List.of(
                        new Step("a", connect("a") + "SUB svc.* 9\r\n"),
                        new Step("b", connect("b") + "SUB _INBOX.x 2\r\nPUB req _INBOX.x 3\r\nreq\r\n"),
                        new Step("a", "PUB {reply} 3\r\none\r\nPUB {reply} 3\r\ntwo\r\nPUB {reply} 0\r\n\r\n"
                                + "PUB {reply} 5\r\nafter\r\n"))),
                new Conversation("singleton and wildcard services", ACCOUNTS, List.of(
                        new Step("a", connect("a") + "SUB single.* 10\r\nSUB wild.*.x 11\r\n"),
                        new Step("b", connect("b") + "SUB _INBOX.y 2\r\nPUB s.one _INBOX.y 3\r\nreq\r\n"),
                        new Step("a", "PUB {reply} 5\r\nfirst\r\nPUB {reply} 6\r\nsecond\r\n"),
                        new Step("b", "PUB w.two _INBOX.y 3\r\nreq\r\nPUB s.x.y _INBOX.y 1\r\nz\r\n"))),
                new Conversation("account limits", ACCOUNTS, List.of(
                        new Step("c", connect("c") + "SUB x 1\r\nSUB y 2\r\nPUB x 5\r\n12345\r\n"),
                        new Step("c", "PUB x 6\r\n123456\r\n", true))),
                new Conversation("latency results", ACCOUNTS, List.of(
                        new Step("mon", connect("mon") + "SUB lat 1\r\n"),
                        new Step("a", connect("a") + "SUB tracked 1\r\n"),
                        new Step("b", connect("b") + "SUB _INBOX.l 2\r\nPUB tracked _INBOX.l 1\r\nq\r\n"),
                        new Step("a", "PUB {reply} 2\r\nok\r\n"),
                        new Step("b", "PUB tracked 1\r\nq\r\n")), true),
                new Conversation("system-only account: hidden user", SYSTEM_ONLY, List.of(
                        new Step("anonymous", "CONNECT {\"verbose\":false}\r\nSUB foo 1\r\n"),
                        new Step("before connect", "SUB foo 1\r\n"),
                        new Step("sys", "CONNECT {\"verbose\":false,\"user\":\"sys\",\"pass\":\"s\"}\r\nSUB foo 1\r\n"),
                        new Step("anonymous", "PUB foo 1\r\nx\r\n"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void shouldConverseLikeTheGoServer(Conversation conversation) {
        List<String> fromGo = transcript(GO.get(conversation.conf()).port(), conversation);
        List<String> fromJnatsd = transcript(JNATSD.get(conversation.conf()).port(), conversation);
        assertThat(fromJnatsd).as("jnatsd vs nats-server for %s", conversation.name())
                .containsExactlyElementsOf(fromGo);
    }

    private static List<String> transcript(int port, Conversation conversation) {
        Map<String, RawClient> clients = new LinkedHashMap<>();
        Map<String, String> replies = new HashMap<>();
        List<String> seen = new ArrayList<>();
        try {
            for (Step step : conversation.steps()) {
                RawClient client = clients.computeIfAbsent(step.client(), n -> {
                    RawClient c = RawClient.connectAndReadInfo(port);
                    seen.add(n + " INFO auth_required=" + c.info().path("auth_required").asBoolean());
                    return c;
                });
                String script = step.send();
                if (script.contains("{reply}")) {
                    script = script.replace("{reply}", replies.getOrDefault(step.client(), "_R_.none"));
                }
                if (step.closes()) {
                    client.send(script);
                    seen.add(step.client() + " " + normalise(client.readUntilClosed()) + "<closed>");
                    clients.remove(step.client());
                    client.close();
                    continue;
                }
                client.send(script + "PING\r\n");
                // the stepping client's PONG first: the server has then routed all it sent
                Map<String, String> raws = new LinkedHashMap<>();
                raws.put(step.client(), read(client));
                for (Map.Entry<String, RawClient> e : clients.entrySet()) {
                    if (e.getValue() != client) {
                        raws.put(e.getKey(), read(e.getValue().send("PING\r\n")));
                    }
                }
                for (Map.Entry<String, String> e : raws.entrySet()) {
                    String raw = e.getValue();
                    Matcher m = SERVICE_REPLY.matcher(raw);
                    while (m.find()) {
                        replies.put(e.getKey(), m.group());
                    }
                    String text = normalise(raw);
                    if (!text.equals("PONG\r\n")) {
                        seen.add(e.getKey() + " " + text);
                    }
                }
            }
        } finally {
            clients.values().forEach(RawClient::close);
        }
        return conversation.perClient() ? perClient(seen) : seen;
    }

    /** The transcript as one entry per client: everything it received, in order, without the PONGs. */
    private static List<String> perClient(List<String> seen) {
        Map<String, StringBuilder> byClient = new LinkedHashMap<>();
        for (String entry : seen) {
            int space = entry.indexOf(' ');
            byClient.computeIfAbsent(entry.substring(0, space), k -> new StringBuilder())
                    .append(entry.substring(space + 1).replace("PONG\r\n", ""));
        }
        List<String> merged = new ArrayList<>();
        byClient.forEach((client, text) -> merged.add(client + " " + text));
        return merged;
    }

    private static String read(RawClient client) {
        return client.readRawThrough("PONG\r\n");
    }

    private static String normalise(String raw) {
        String text = INFO_LINE.matcher(raw).replaceAll("");
        text = SERVER_PING.matcher(text).replaceAll("");
        text = SERVICE_REPLY.matcher(text).replaceAll("_R_.<reply>");
        text = NATS_SUBJECT.matcher(text).replaceAll("");
        text = HMSG_SIZES.matcher(text).replaceAll("HMSG $1<sizes>");
        text = MSG_SIZE.matcher(text).replaceAll("MSG $1<size>");
        return VARYING.matcher(text).replaceAll("<varies>");
    }
}
