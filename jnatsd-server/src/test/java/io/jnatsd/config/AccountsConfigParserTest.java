package io.jnatsd.config;

import io.jnatsd.config.AuthOptions.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code accounts} block: both forms, users, limits, exports, imports and the checks made when they are linked,
 * with the texts and positions nats-server 2.9.10 printed for the same files [obs] (main's wording where they
 * differ: {@code failed to create mapping transform for stream import subject from ...}).
 */
class AccountsConfigParserTest {

    private static final String FILE = "t.conf";
    private static final String ACCOUNT_KEY = io.jnatsd.nkeys.NKey.create(io.jnatsd.nkeys.NKeyType.ACCOUNT)
            .publicKey();

    private static ConfigReport load(String text, ServerOptions.Builder builder) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    private static ServerOptions options(String text) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load(text, builder);
        assertThat(report.errors()).isEmpty();
        return builder.build();
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    @Test
    void shouldReadTheListForm() {
        ServerOptions o = options("accounts: [A, B]");
        assertThat(o.accounts()).extracting(AccountOptions::name).containsExactly("A", "B");
        assertThat(o.accounts().getFirst().limits()).isEqualTo(AccountOptions.Limits.UNLIMITED);
    }

    @Test
    void shouldReadTheMapFormWithUsersLimitsAndDefaults() {
        ServerOptions o = options("""
                accounts {
                  A {
                    nkey: %s
                    users: [{user: a, password: pa}, {user: b, password: pb, permissions: {publish: "x"}}]
                    default_permissions: {publish: "defaults.>"}
                    limits: {max_conn: 2, max_subs: 3, max_payload: 4, max_leafs: 5}
                    mappings: {"in": "out"}
                  }
                  B: { users: [{user: c, password: pc}] }
                }
                authorization { default_permissions: {subscribe: "global"}, users: [{user: g, password: pg}] }
                """.formatted(ACCOUNT_KEY));
        AccountOptions a = o.account("A");
        assertThat(a.nkey()).isEqualTo(ACCOUNT_KEY);
        assertThat(a.limits()).isEqualTo(new AccountOptions.Limits(2, 3, 4, 5));
        assertThat(a.mappings().select("in", "")).isEqualTo("out");
        assertThat(o.authorization().users()).extracting(User::username, User::account)
                .containsExactly(org.assertj.core.api.Assertions.tuple("a", "A"),
                        org.assertj.core.api.Assertions.tuple("b", "A"),
                        org.assertj.core.api.Assertions.tuple("c", "B"),
                        org.assertj.core.api.Assertions.tuple("g", ""));
        User userA = o.authorization().users().getFirst();
        assertThat(userA.permissions().publish().allow()).containsExactly("defaults.>");
        assertThat(o.authorization().users().get(1).permissions().publish().allow()).containsExactly("x");
        assertThat(o.authorization().users().get(2).permissions()).as("B has no defaults; $G's do not apply")
                .isNull();
        assertThat(o.authorizationBlock()).isTrue();
    }

    @Test
    void shouldReadExportsAndImports() {
        ServerOptions o = options("""
                accounts {
                  A {
                    exports: [
                      {stream: "feed.>"}
                      {service: "svc.*", accounts: [B], response: stream, threshold: "1s"}
                      {service: "lat", latency: {sampling: "50%", subject: "lat.results"}}
                      {service: "hdr", latency: {sampling: headers, subject: "hdr.results"}}
                      {stream: "private.*.data", account_token_position: 2}
                    ]
                  }
                  B {
                    imports: [
                      {stream: {account: A, subject: "feed.>"}, prefix: "from.a"}
                      {service: {account: A, subject: "svc.x"}, to: "req", share: true}
                      {stream: {account: A, subject: "private.B.data"}}
                    ]
                  }
                }
                """);
        List<ExportOptions> exports = o.account("A").exports();
        assertThat(exports).hasSize(5);
        assertThat(exports.get(0)).isEqualTo(ExportOptions.stream("feed.>"));
        assertThat(exports.get(1).accounts()).containsExactly("B");
        assertThat(exports.get(1).responseType()).isEqualTo(ExportOptions.ResponseType.STREAMED);
        assertThat(exports.get(1).effectiveResponseThreshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(exports.get(2).latency()).isEqualTo(new ExportOptions.Latency("lat.results", 50));
        assertThat(exports.get(3).latency().samplingPercent()).isEqualTo(ExportOptions.Latency.HEADER_SAMPLING);
        assertThat(exports.get(4).accountTokenPosition()).isEqualTo(2);
        List<ImportOptions> imports = o.account("B").imports();
        assertThat(imports.get(0)).isEqualTo(ImportOptions.stream("A", "feed.>", "from.a"));
        assertThat(imports.get(1).localServiceSubject()).isEqualTo("req");
        assertThat(imports.get(1).share()).isTrue();
    }

    @Test
    void shouldResolveImportsInAGraph() {
        AccountGraph graph = new AccountGraph();
        graph.addAccount("A");
        graph.addAccount("B");
        assertThat(graph.addStreamExport("A", ExportOptions.stream("feed.>"))).isNull();
        assertThat(graph.addServiceExport("A", ExportOptions.service("svc.>"))).isNull();
        assertThat(graph.addStreamImport("B", ImportOptions.stream("A", "feed.*", "pre"),
                AccountGraph.ActivationCheck.NONE)).isNull();
        AccountGraph.StreamImport si = graph.streamImports("B").getFirst();
        assertThat(si.to()).isEqualTo("pre.feed.*");
        assertThat(si.transform().apply("feed.x")).isEqualTo("pre.feed.x");
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "svc.*", "local.*.req"),
                AccountGraph.ActivationCheck.NONE, false)).isNull();
        AccountGraph.ServiceImport svc = graph.serviceImports("B").getFirst();
        assertThat(svc.from()).isEqualTo("local.*.req");
        assertThat(svc.transform().apply("local.x.req")).isEqualTo("svc.x");
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "svc.*", "local.*.req"),
                AccountGraph.ActivationCheck.NONE, false)).isEqualTo("duplicate service import subject "
                + "\"local.*.req\", previously used in import for account \"A\", subject \"svc.*\"");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("accounts: [A, \"$G\", A]", List.of("t.conf:1:15: \"$G\" is a Reserved Account",
                        "t.conf:1:20: Duplicate Account Entry: A")),
                Arguments.of("accounts { A { nkey: \"bad\" } }",
                        List.of("t.conf:1:15: Not a valid public nkey for an account: \"bad\"")),
                Arguments.of("accounts { \"$G\" { } }", List.of("t.conf:1:12: \"$G\" is a Reserved Account")),
                Arguments.of("accounts { A: 1 }", List.of("t.conf:1:11: Expected map entries for accounts")),
                Arguments.of("accounts { A { foo: 1 } }", List.of("t.conf:1:15: unknown field \"foo\"")),
                Arguments.of("accounts { A { limits { max_conn: 1, bogus: 2 } } }",
                        List.of("t.conf:1:37: Unknown field \"bogus\" parsing account limits")),
                Arguments.of("accounts { A { limits: 5 } }",
                        List.of("t.conf:1:15: Expected account limits to be a map/struct, got 5")),
                Arguments.of("accounts { A { exports: 5 } }",
                        List.of("t.conf:1:15: Exports should be an array, got int64")),
                Arguments.of("accounts { A { imports: 5 } }",
                        List.of("t.conf:1:15: Imports should be an array, got int64")),
                Arguments.of("accounts { A { exports: [ 5 ] } }",
                        List.of("t.conf:1:26: Export Items should be a map with type entry, got int64")),
                Arguments.of("accounts { A { exports: [ {stream: \"a\", service: \"b\"} ] } }",
                        List.of("t.conf:1:40: Detected service \"b\" but already saw a stream")),
                Arguments.of("accounts { A { exports: [ {stream: \"a\", response: single} ] } }",
                        List.of("t.conf:1:40: Detected response directive on non-service")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", response: bogus} ] } }",
                        List.of("t.conf:1:41: Unknown response type: \"bogus\"")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", threshold: 5} ] } }",
                        List.of("t.conf:1:41: Expected response threshold to be a parseable time duration, got "
                                + "int64")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", threshold: \"x\"} ] } }",
                        List.of("t.conf:1:41: Expected response threshold to be a parseable time duration, got "
                                + "\"x\"")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", latency: {sampling: 200, subject: lat}} ] } }",
                        List.of("t.conf:1:51: bad sampling percentage, should be 1-100")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", latency: {sampling: 50}} ] } }",
                        List.of("t.conf:1:41: Latency subject required, but missing")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", latency: 5} ] } }",
                        List.of("t.conf:1:41: Expected latency entry to be a map/struct or string, got int64")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", accounts: [B]} ] } }",
                        List.of("t.conf:1:0: \"B\" account not defined for service export")),
                Arguments.of("accounts { A { exports: [ {stream: \"a.b\", account_token_position: 2} ] } }",
                        List.of("t.conf:1:0: Error adding stream export \"a.b\": sublist: invalid subject")),
                Arguments.of("accounts { A { exports: [ {stream: \"a\"} ] }, B { imports: [ {stream: {account: A, "
                        + "subject: \"b\"}} ] } }",
                        List.of("t.conf:1:0: Error adding stream import \"b\": stream import not authorized")),
                Arguments.of("accounts { A { exports: [ {stream: \"a\", accounts: [C]} ] }, B { imports: [ {stream: "
                        + "{account: A, subject: \"a\"}} ] }, C {} }",
                        List.of("t.conf:1:0: Error adding stream import \"a\": stream import not authorized")),
                Arguments.of("accounts { A { exports: [ {stream: \"a.>\"} ] }, B { imports: [ {stream: {account: A, "
                        + "subject: \"a.>\"}, prefix: \"x.*\"} ] } }",
                        List.of("t.conf:1:0: Error adding stream import \"a.>\": stream import prefix can not contain "
                                + "wildcard tokens")),
                Arguments.of("accounts { A { exports: [ {stream: \"a.>\"} ] }, B { imports: [ {stream: {account: A, "
                        + "subject: \"a.>\"}, prefix: \"x\", to: \"y\"} ] } }",
                        List.of("t.conf:1:114: Stream import can not have a 'prefix' and a 'to' property")),
                Arguments.of("accounts { A { exports: [ {stream: \"a\"} ] }, B { imports: [ {stream: {account: A, "
                        + "subject: \"a\"}}, {stream: {account: A, subject: \"a\"}} ] } }",
                        List.of("t.conf:1:0: Error adding stream import \"a\": stream import already exists")),
                Arguments.of("accounts { A { exports: [ {service: \"a\"} ] }, B { imports: [ {service: {account: A, "
                        + "subject: \"a\"}}, {service: {account: A, subject: \"a\"}} ] } }",
                        List.of("t.conf:1:137: Duplicate service import subject \"a\", previously used in import for "
                                + "account \"A\", subject \"a\"")),
                Arguments.of("accounts { A { exports: [ {service: \"a\"} ], imports: [ {service: {account: B, "
                        + "subject: \"b\"}, to: \"a\"} ] }, B { exports: [ {service: \"b\"} ], imports: [ {service: "
                        + "{account: A, subject: \"a\"}, to: \"b\"} ] } }",
                        List.of("t.conf:1:0: Error adding service import \"a\": import forms a cycle")),
                Arguments.of("accounts { A { imports: [ {stream: {account: Z, subject: \"a\"}} ] } }",
                        List.of("t.conf:1:0: \"Z\" account not defined for stream import")),
                Arguments.of("accounts { A { imports: [ {stream: {account: A}} ] } }",
                        List.of("t.conf:1:27: Expect an account name and a subject")),
                Arguments.of("accounts { A { imports: [ {stream: 5} ] } }",
                        List.of("t.conf:1:27: Stream entry should be an account map, got int64")),
                Arguments.of("accounts { A { imports: [ {service: {account: A, subject: a, bogus: 1}} ] } }",
                        List.of("t.conf:1:61: unknown field \"bogus\"")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", latency: {sampling: 50, subject: \"lat.*\"}} ] "
                        + "} }", List.of("t.conf:1:0: Error adding service latency sampling for \"a\" on subject "
                        + "\"lat.*\": invalid publish subject")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", response: stream, latency: \"lat\"} ] } }",
                        List.of("t.conf:1:0: Error adding service latency sampling for \"a\" on subject \"lat\": bad "
                                + "service response type")),
                Arguments.of("authorization { user: a, password: b }\naccounts { A { users: [{user: x, password: y}] "
                        + "} }", List.of("t.conf:2:16: Can not have a single user/pass and accounts")),
                Arguments.of("authorization { users: [{user: x, password: y}] }\naccounts { A { users: [{user: x, "
                        + "password: y}] } }", List.of("t.conf:2:16: Duplicate user \"x\" detected")),
                Arguments.of("accounts { A { users: [{user: x, password: y}] } }\nauthorization { users: [{user: x, "
                        + "password: y}] }", List.of("t.conf:2:1: Duplicate user \"x\" detected")),
                Arguments.of("accounts { A { users: [{user: x, password: y}] }, B { users: [{user: x, password: z}] } "
                        + "}", List.of("t.conf:1:54: Duplicate user \"x\" detected")),
                Arguments.of("accounts { A { mappings: { \"a\": \"b.*\" } } }",
                        List.of("t.conf:1:28: Error adding mapping for \"a\" to \"b.*\" : invalid subject")),
                Arguments.of("no_system_account: true\naccounts { A { exports: [ {service: \"a\", latency: \"lat\"} ] } }",
                        List.of("t.conf:2:1: Error adding service latency sampling for \"a\": system account not "
                                + "setup")),
                Arguments.of("accounts { A { exports: [ {stream: \"a.*\", account_token_position: 2} ] }, B { imports: "
                        + "[ {stream: {account: A, subject: \"a.C\"}} ] } }",
                        List.of("t.conf:1:0: Error adding stream import \"a.C\": stream import not authorized")),
                Arguments.of("accounts { A { exports: [ {stream: \"a.>\"} ] }, B { imports: [ {stream: {account: A, "
                        + "subject: \"a.*\"}, to: \"b.c\"} ] } }",
                        List.of("t.conf:1:0: Error adding stream import \"a.*\": failed to create mapping transform for "
                                + "stream import subject from \"a.*\" to \"b.c\": invalid mapping destination: not using "
                                + "all of the token wildcard(s) in b.c")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", accounts: 5} ] } }",
                        List.of("t.conf:1:41: interface conversion: interface {} is int64, not []interface {}")),
                Arguments.of("accounts { A { jetstream: maybe } }",
                        List.of("Expected 'enabled' or 'disabled' for string value, got 'maybe'")),
                Arguments.of("accounts { A { jetstream: {max_mem: \"x\"} } }",
                        List.of("t.conf:1:27: Expected a parseable size for \"max_mem\", got x")),
                Arguments.of("accounts { A { msg_trace: \"x\" } }",
                        List.of("t.conf:1:15: msg_trace is not supported yet by jnatsd")),
                Arguments.of("accounts { A { exports: [ {service: \"a\", latency: {sampling: \"x%\", subject: l}} ] } }",
                        List.of("t.conf:1:51: Failed to parse latency sample: strconv.Atoi: parsing \"x\": invalid "
                                + "syntax")),
                Arguments.of("port: 4222\n\n  accounts {\n A { exports: [ {service: \"a\", accounts: [B]} ] } }",
                        List.of("t.conf:3:3: \"B\" account not defined for service export")),
                Arguments.of("x = 1\naccounts { A { exports: [ {service: \"a\", accounts: [B]} ] } }",
                        List.of("t.conf:1:0: unknown field \"x\"")));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void shouldReportWhatNatsServerReports(String text, List<String> expected) {
        assertThat(errors(text)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldAcceptWhatNatsServerAccepts() {
        options("accounts { A { exports: [ {service: \"a.>\"} ] }, B { imports: [ {service: {account: A, subject: "
                + "\"a.*\"}, to: \"b.*.c\"} ] } }");
        options("accounts { A { exports: [ {service: \"a\", threshold: \"1s\", threshold: \"2s\"} ] } }");
        options("accounts { A { exports: [ {service: \"a\", accounts: []} ] }, B { imports: [ {service: {account: "
                + "A, subject: a}} ] } }");
        options("accounts: 5");
        ServerOptions o = options("no_system_account: true\nsystem_account: SYS\naccounts: [SYS]");
        assertThat(o.noSystemAccount()).isTrue();
        assertThat(o.operator().systemAccount()).isEqualTo("SYS");
    }

    @Test
    void shouldFindCyclesAndAuthorizeByAccountTokenPosition() {
        AccountGraph graph = new AccountGraph();
        graph.addAccount("A");
        graph.addAccount("B");
        assertThat(graph.addStreamExport("A", ExportOptions.stream("x.>"))).isNull();
        assertThat(graph.addStreamExport("B", ExportOptions.stream("x.>"))).isNull();
        assertThat(graph.addStreamImport("B", ImportOptions.stream("A", "x.>", ""),
                AccountGraph.ActivationCheck.NONE)).isNull();
        assertThat(graph.addStreamImport("A", ImportOptions.stream("B", "x.>", ""),
                AccountGraph.ActivationCheck.NONE)).isEqualTo("import forms a cycle");
        ExportOptions byPosition = ExportOptions.service("req.*.data").withAccountTokenPosition(2);
        assertThat(graph.addServiceExport("A", byPosition)).isNull();
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "req.B.data", ""),
                AccountGraph.ActivationCheck.NONE, false)).isNull();
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "req.C.data", "other"),
                AccountGraph.ActivationCheck.NONE, false)).isEqualTo("service import not authorized");
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "req.C.data", "internal"),
                AccountGraph.ActivationCheck.NONE, true)).as("internal imports skip authorization").isNull();
    }

    @Test
    void shouldAskTheActivationCheckForTokenRequiredExports() {
        AccountGraph graph = new AccountGraph();
        graph.addAccount("A");
        graph.addAccount("B");
        ExportOptions tokenRequired = new ExportOptions(true, "svc", List.of(), true, null, null, null, null, 0,
                false);
        assertThat(graph.addServiceExport("A", tokenRequired)).isNull();
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "svc", ""),
                AccountGraph.ActivationCheck.NONE, false)).isEqualTo("service import not authorized");
        assertThat(graph.addServiceImport("B", ImportOptions.service("A", "svc", ""),
                (exporter, export, importer, imp) -> exporter.equals("A") && importer.equals("B"), false)).isNull();
    }

    @Test
    void shouldCheckLatencyTracking() {
        AccountGraph graph = new AccountGraph();
        graph.addAccount("A");
        ExportOptions tracked = ExportOptions.service("svc").withLatency(new ExportOptions.Latency("results", 50));
        graph.addServiceExport("A", tracked);
        assertThat(graph.latencyProblem("A", tracked)).isNull();
        graph.addServiceExport("A", ExportOptions.service("results"));
        assertThat(graph.latencyProblem("A", tracked)).as("results subject exported as a service")
                .isEqualTo("invalid publish subject");
        assertThat(graph.latencyProblem("A", tracked.withResponseType(ExportOptions.ResponseType.CHUNKED)
                .withLatency(new ExportOptions.Latency("other", 100)))).isEqualTo("bad service response type");
    }
}
