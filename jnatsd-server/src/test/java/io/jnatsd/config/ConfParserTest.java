package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parser tests ported from nats-server {@code conf/parse_test.go}; the method names are the Go test names.
 * nats-server's plain and pedantic parses give the same values, so each case is checked once.
 */
class ConfParserTest {

    private static final Function<String, String> NO_ENV = name -> null;

    @TempDir
    Path tmp;

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static void test(String data, Map<String, Object> expected) throws ConfException {
        test(data, expected, NO_ENV);
    }

    private static void test(String data, Map<String, Object> expected, Function<String, String> env)
            throws ConfException {
        assertThat(ConfParser.parseString(data, null, env).toPlainMap()).isEqualTo(expected);
    }

    private Path write(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void simpleTopLevel() throws ConfException {
        test("foo='1'; bar=2.2; baz=true; boo=22", map("foo", "1", "bar", 2.2, "baz", true, "boo", 22L));
    }

    @Test
    void bools() throws ConfException {
        for (String text : List.of("foo=true", "foo=TRUE", "foo=true", "foo=yes", "foo=on")) {
            test(text, map("foo", true));
        }
    }

    @Test
    void simpleVariable() throws ConfException {
        test("\n  index = 22\n  foo = $index\n", map("index", 22L, "foo", 22L));
    }

    @Test
    void nestedVariable() throws ConfException {
        String varNestedSample = """

                  index = 22
                  nest {
                    index = 11
                    foo = $index
                  }
                  bar = $index
                """;
        test(varNestedSample, map("index", 22L, "nest", map("index", 11L, "foo", 11L), "bar", 22L));
    }

    @Test
    void missingVariable() {
        assertThatThrownBy(() -> ConfParser.parseString("foo=$index", null, NO_ENV))
                .isInstanceOf(ConfException.class)
                .hasMessageStartingWith("variable reference");
    }

    @Test
    void envVariable() throws ConfException {
        test("foo = $__UNIQ22__", map("foo", 22L), Map.of("__UNIQ22__", "22")::get);
    }

    @Test
    void envVariableString() throws ConfException {
        test("foo = $__UNIQ22__", map("foo", "xyz"), Map.of("__UNIQ22__", "xyz")::get);
    }

    @Test
    void envVariableStringStartingWithNumber() {
        // the Go test references the literal variable "%s", which does not exist
        assertThatThrownBy(() -> ConfParser.parseString("foo = $%s", null, Map.of("__UNIQ22__", "3xyz")::get))
                .isInstanceOf(ConfException.class);
    }

    @Test
    void envVariableStringStartingWithNumberAndSizeUnit() throws ConfException {
        test("foo = $__UNIQ22__", map("foo", "3Gyz"), Map.of("__UNIQ22__", "3Gyz")::get);
    }

    @Test
    void envVariableStringStartingWithNumberUsingQuotes() throws ConfException {
        test("foo = $__UNIQ22__", map("foo", "3xyz"), Map.of("__UNIQ22__", "'3xyz'")::get);
    }

    @Test
    void bcryptVariable() throws ConfException {
        test("password: $2a$11$ooo", map("password", "$2a$11$ooo"));
    }

    @Test
    void convenientNumbers() throws ConfException {
        String easynum = """
                k = 8k
                kb = 4kb
                ki = 3ki
                kib = 4ki
                m = 1m
                mb = 2MB
                mi = 2Mi
                mib = 64MiB
                g = 2g
                gb = 22GB
                gi = 22Gi
                gib = 22GiB
                tb = 22TB
                ti = 22Ti
                tib = 22TiB
                pb = 22PB
                pi = 22Pi
                pib = 22PiB
                """;
        long kib = 1024L;
        test(easynum, map(
                "k", 8_000L, "kb", 4 * kib, "ki", 3 * kib, "kib", 4 * kib,
                "m", 1_000_000L, "mb", 2 * kib * kib, "mi", 2 * kib * kib, "mib", 64 * kib * kib,
                "g", 2_000_000_000L, "gb", 22 * kib * kib * kib, "gi", 22 * kib * kib * kib,
                "gib", 22 * kib * kib * kib,
                "tb", 22 * (1L << 40), "ti", 22 * (1L << 40), "tib", 22 * (1L << 40),
                "pb", 22 * (1L << 50), "pi", 22 * (1L << 50), "pib", 22 * (1L << 50)));
    }

    @Test
    void parseFileWithChecksDigestPreservesConfigKeyUsedAsVariable() throws Exception {
        Path conf = write("nats.conf", "\n\t\tport = 4222\n\t\tmonitor_port = $port\n\t");
        ConfDocument doc = ConfParser.parseFile(conf, NO_ENV);
        assertThat(doc.root()).containsKey("port");
        assertThat(doc.isUsedAsVariable("port")).isTrue();
        assertThat(doc.isUsedAsVariable("monitor_port")).isFalse();
    }

    @Test
    void sample1() throws ConfException {
        String sample1 = """

                foo  {
                  host {
                    ip   = '127.0.0.1'
                    port = 4242
                  }
                  servers = [ "a.com", "b.com", "c.com"]
                }
                """;
        test(sample1, map("foo", map(
                "host", map("ip", "127.0.0.1", "port", 4242L),
                "servers", List.of("a.com", "b.com", "c.com"))));
    }

    @Test
    void sample2() throws ConfException {
        String cluster = """

                cluster {
                  port: 4244

                  authorization {
                    user: route_user
                    password: top_secret
                    timeout: 1
                  }

                  # Routes are actively solicited and connected to from this server.
                  # Other servers can connect to us if they supply the correct credentials
                  # in their routes definitions from above.

                  // Test both styles of comments

                  routes = [
                    nats-route://foo:bar@apcera.me:4245
                    nats-route://foo:bar@apcera.me:4246
                  ]
                }
                """;
        test(cluster, map("cluster", map(
                "port", 4244L,
                "authorization", map("user", "route_user", "password", "top_secret", "timeout", 1L),
                "routes", List.of("nats-route://foo:bar@apcera.me:4245", "nats-route://foo:bar@apcera.me:4246"))));
    }

    @Test
    void sample3() throws ConfException {
        String sample3 = "\nfoo  {\n  expr = '(true == \"false\")'\n  text = 'This is a multi-line\ntext block.'\n}\n";
        test(sample3, map("foo", map("expr", "(true == \"false\")", "text", "This is a multi-line\ntext block.")));
    }

    @Test
    void sample4() throws ConfException {
        String sample4 = "\n  array [\n    { abc: 123 }\n    { xyz: \"word\" }\n  ]\n";
        test(sample4, map("array", List.of(map("abc", 123L), map("xyz", "word"))));
    }

    @Test
    void sample5() throws ConfException {
        String sample5 = "\n  now = 2016-05-04T18:53:41Z\n  gmt = false\n\n";
        test(sample5, map("now", Instant.parse("2016-05-04T18:53:41Z"), "gmt", false));
    }

    private Path writeIncludesFixture() throws IOException {
        write("includes/users.conf", """
                # Users configuration

                include ./passwords.conf;

                users = [
                  {user: alice, password: $ALICE_PASS}
                  {user: bob,   password: $BOB_PASS}
                ]
                """);
        write("includes/passwords.conf", """
                # Just foo & bar for testing
                ALICE_PASS: $2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q
                BOB_PASS: $2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly
                """);
        return write("simple.conf", """
                listen: 127.0.0.1:4222

                authorization {
                  include 'includes/users.conf' # Pull in from file
                  timeout: 0.5
                }
                """);
    }

    @Test
    void includes() throws Exception {
        String alice = "$2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q";
        String bob = "$2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly";
        ConfDocument doc = ConfParser.parseFile(writeIncludesFixture(), NO_ENV);
        assertThat(doc.toPlainMap()).isEqualTo(map(
                "listen", "127.0.0.1:4222",
                "authorization", map(
                        "ALICE_PASS", alice,
                        "BOB_PASS", bob,
                        "users", List.of(map("user", "alice", "password", alice), map("user", "bob", "password", bob)),
                        "timeout", 0.5)));
    }

    @Test
    void includeVariablesWithChecks() throws Exception {
        writeIncludesFixture();
        String varIncludedVariablesSample = """

                authorization {

                  include "./includes/passwords.conf"

                  CAROL_PASS: foo

                  users = [
                   {user: alice, password: $ALICE_PASS}
                   {user: bob,   password: $BOB_PASS}
                   {user: carol, password: $CAROL_PASS}
                  ]
                }
                """;
        Map<String, ConfValue> auth = ConfParser
                .parseString(varIncludedVariablesSample, tmp.resolve("main.conf"), NO_ENV)
                .root().get("authorization").asMap();
        assertThat(auth.get("ALICE_PASS").asString())
                .isEqualTo("$2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q");
        assertThat(auth.get("ALICE_PASS").line()).isEqualTo(2);
        assertThat(auth.get("ALICE_PASS").column()).isEqualTo(1);
        assertThat(auth.get("ALICE_PASS").file()).isEqualTo(tmp.resolve("includes/passwords.conf").toString());
        assertThat(auth.get("BOB_PASS").asString())
                .isEqualTo("$2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly");
        assertThat(auth.get("BOB_PASS").line()).isEqualTo(3);
        assertThat(auth.get("BOB_PASS").column()).isEqualTo(1);
        assertThat(auth.get("CAROL_PASS").asString()).isEqualTo("foo");
        assertThat(auth.get("CAROL_PASS").line()).isEqualTo(6);
        assertThat(auth.get("CAROL_PASS").column()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A@@Føøøø?˛ø:{øøøø˙˙", "include \"9/\ufffd"})
    void parserNoInfiniteLoop(String text) {
        assertThatThrownBy(() -> ConfParser.parseString(text, null, NO_ENV))
                .isInstanceOf(ConfException.class)
                .hasMessageContaining("Unexpected EOF");
    }

    @Test
    void parseWithNoValuesAreInvalid() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "config is invalid (:1:41)");
        cases.put("              aaaaaaaaaaaaaaaaaaaaaaaaaaa", "config is invalid (:1:41)");
        cases.put("     aaaaaaaaaaaaaaaaaaaaaaaaaaa         ", "config is invalid (:1:41)");
        cases.put("\n          \t\t# with comments and no spaces to create key values\n"
                + "         \t\t# is also an invalid config.\n"
                + "         \t\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n                        ",
                "config is invalid (:5:25)");
        cases.put("\n                        a,a,a,a,a,a,a,a,a,a,a\n                        ",
                "config is invalid (:3:25)");
        cases.forEach((text, error) -> assertThatThrownBy(() -> ConfParser.parseString(text, null, NO_ENV))
                .as(text)
                .hasMessage(error));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n\n                        ",
            "\n                        # just comments with no values\n                        # is still valid.\n"})
    void parseWithNoValuesEmptyConfigsAreValid(String text) throws ConfException {
        assertThat(ConfParser.parseString(text, null, NO_ENV).root()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "\n                        {\n                        # comments in the body\n                        }\n",
            // trailing brackets accidentally can become keys; valid since needed to support JSON like configs
            "\n                        accounts { users = [{}]}\n                        }\n                        ",
            "{\n                          accounts { users = [{}]}\n"
                    + "                        }\n                        "})
    void parseWithTrailingBracketsAreValid(String text) throws ConfException {
        ConfParser.parseString(text, null, NO_ENV);
    }

    @Test
    void parseWithNoValuesIncludes() throws Exception {
        String input1 = """
                # includes
                accounts {
                  foo { include 'foo.conf'}
                  bar { users = [{user = "bar"}] }
                  quux { include 'quux.conf'}
                }
                """;
        Path dir1 = tmp.resolve("one");
        write("one/foo.conf", "");
        write("one/quux.conf", "?????????????");
        Path main1 = write("one/nats.conf", input1);
        assertThatThrownBy(() -> ConfParser.parseFile(main1, NO_ENV))
                .hasMessage("error parsing include file 'quux.conf', config is invalid (" + dir1.resolve("quux.conf")
                        + ":1:13)");

        String input2 = """
                # includes
                accounts {
                  foo { include 'foo.conf'}
                  bar { include 'bar.conf'}
                  quux { include 'quux.conf'}
                }
                """;
        Path dir2 = tmp.resolve("two");
        write("two/foo.conf", "");
        write("two/bar.conf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        write("two/quux.conf", "\n       # just some comments,\n       # and no key values also ok.\n    ");
        Path main2 = write("two/nats.conf", input2);
        assertThatThrownBy(() -> ConfParser.parseFile(main2, NO_ENV))
                .hasMessage("error parsing include file 'bar.conf', config is invalid (" + dir2.resolve("bar.conf")
                        + ":1:34)");
    }

    @Test
    void jsonParseCompat() throws Exception {
        Path nested = write("a/nats.conf", """

                {
                  "http_port": 8227,
                  "port": 4227,
                  "write_deadline": "1h",
                  "cluster": {
                    "port": 6222,
                    "routes": [
                      "nats://127.0.0.1:4222",
                      "nats://127.0.0.1:4223",
                      "nats://127.0.0.1:4224"
                    ]
                  }
                }
                """);
        assertThat(ConfParser.parseFile(nested, NO_ENV).toPlainMap()).isEqualTo(map(
                "http_port", 8227L, "port", 4227L, "write_deadline", "1h",
                "cluster", map("port", 6222L, "routes",
                        List.of("nats://127.0.0.1:4222", "nats://127.0.0.1:4223", "nats://127.0.0.1:4224"))));

        Path blocks = write("b/nats.conf", """
                {
                  "jetstream": {
                    "store_dir": "/tmp/nats"
                    "max_mem": 1000000,
                  },
                  "port": 4222,
                  "server_name": "nats1"
                }
                """);
        assertThat(ConfParser.parseFile(blocks, NO_ENV).toPlainMap()).isEqualTo(map(
                "jetstream", map("store_dir", "/tmp/nats", "max_mem", 1_000_000L),
                "port", 4222L, "server_name", "nats1"));

        assertThat(ConfParser.parseFile(write("c/nats.conf", "{}"), NO_ENV).root()).isEmpty();
        assertThat(ConfParser.parseFile(write("d/nats.conf", "\n{\n}\n"), NO_ENV).root()).isEmpty();

        write("e/foo.json", "{ \"users\": [ {\"user\": \"foo\"} ] }");
        write("e/bar.json", "{\n  \"users\": [ {\"user\": \"bar\"} ]\n}");
        write("e/quux.json", "{}");
        Path includes = write("e/nats.conf", """
                accounts {
                  foo  { include 'foo.json'  }
                  bar  { include 'bar.json'  }
                  quux { include 'quux.json' }
                }
                """);
        assertThat(ConfParser.parseFile(includes, NO_ENV).toPlainMap()).isEqualTo(map("accounts", map(
                "foo", map("users", List.of(map("user", "foo"))),
                "bar", map("users", List.of(map("user", "bar"))),
                "quux", map())));
    }

    @Test
    void blocks() throws ConfException {
        Map<String, Object> listen = map("listen", "0.0.0.0:4222");
        test("{ listen: 0.0.0.0:4222 }", listen);
        test("{\n\t\t\t\tlisten: 0.0.0.0:4222\n\t\t\t }", listen);
        test("\n\t\t\t{\n\t\t\t\tlisten: 0.0.0.0:4222\n\t\t\t}\n\t\t\t# wibble\n\t\t\t", listen);
        test("\n\t\t\t{\n\t\t\t\t{\n\t\t\t\t\tlisten: 0.0.0.0:4222 // random comment\n\t\t\t\t}\n"
                + "\t\t\t\t# wibble1\n\t\t\t}\n\t\t\t# wibble2\n\t\t\t", listen);
        Map<String, Object> debug = map("debug", false, "prof_port", 8221L, "server_name", "aws-useast2-natscj1-1");
        test("\n\t\t\t{\n\t\t\t  \"debug\":              False\n\t\t\t  \"prof_port\":          8221\n"
                + "\t\t\t  \"server_name\":        \"aws-useast2-natscj1-1\"\n\t\t\t}\n\t\t\t", debug);
        test("\n\t\t\t{\n\t\t\t  \"debug\":              False\n"
                + "\t\t\t  \"server_name\":        \"gcp-asianortheast3-natscj1-1\"\n\n"
                + "\t\t\t  # Profile port specification.\n\t\t\t  \"prof_port\":          8221\n\t\t\t}\n\t\t\t",
                map("debug", false, "prof_port", 8221L, "server_name", "gcp-asianortheast3-natscj1-1"));
    }

    private String digestOf(String name, String input, Map<String, String> includes) throws Exception {
        for (Map.Entry<String, String> include : includes.entrySet()) {
            write(name + "/" + include.getKey(), include.getValue());
        }
        return ConfParser.parseFile(write(name + "/nats.conf", input), NO_ENV).digest();
    }

    @Test
    void parseDigest() throws Exception {
        String fooBar = "sha256:226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de";
        assertThat(digestOf("d1", "foo = bar", Map.of())).isEqualTo(fooBar);
        assertThat(digestOf("d2", "# Comments and whitespace have no effect\n    foo = bar\n    ", Map.of()))
                .isEqualTo(fooBar);
        assertThat(digestOf("d3", "# Syntax changes have no effect\n    'foo': 'bar'\n    ", Map.of()))
                .isEqualTo(fooBar);
        assertThat(digestOf("d4", "# Syntax changes have no effect\n    { 'foo': 'bar' }\n    ", Map.of()))
                .isEqualTo(fooBar);
        assertThat(digestOf("d5", """
                # substitutions
                BAR_USERS = { users = [ {user = "bar"} ]}
                hello = 'world'
                accounts {
                  QUUX_USERS = [ { user: quux }]
                  bar = $BAR_USERS
                  quux = { users = $QUUX_USERS }
                }
                very { nested { env { VAR = 'NESTED', quux = $VAR }}}
                """, Map.of()))
                .isEqualTo("sha256:bddb282343249c26d3edcef9bfaa9d2711505fc67210380e871405ba394a9186");
        assertThat(digestOf("d6", """
                # substitutions, same as previous one without env vars.
                hello = 'world'
                accounts {
                  bar  = { users = [ { user = "bar" } ]}
                  quux = { users = [ { user: quux   } ]}
                }
                very { nested { env { quux = 'NESTED' }}}
                """, Map.of()))
                .isEqualTo("sha256:34f8faf3f269fe7509edc4742f20c8c4a7ad51fe21f8b361764314b533ac3ab5");
        assertThat(digestOf("d7", """
                # substitutions
                BAR_USERS = { users = [ {user = "foo"} ]}
                bar = $BAR_USERS
                accounts {
                  users = $BAR_USERS
                }
                """, Map.of()))
                .isEqualTo("sha256:b0e2ba0b8ec2cb75681b5c5d61789cda0c9942c2f9fe16cdb7f6703364485360");
        assertThat(digestOf("d8", """
                # substitutions
                bar = { users = [ {user = "foo"} ]}
                accounts {
                  users = { users = [ {user = "foo"} ]}
                }
                """, Map.of()))
                .isEqualTo("sha256:f5d943b4ed22b80c6199203f8a7eaa8eb68ef7b2d46ef6b1b26f05e21f8beb13");
        String includesDigest = "sha256:e72d70c91b64b0f880f86decb95ec2600cbdcf8bdcd2355fce5ebc54a84a77e9";
        assertThat(digestOf("d9", """
                # includes
                accounts {
                  foo { include 'foo.conf'}
                  bar { users = [{user = "bar"}] }
                  quux { include 'quux.conf'}
                }
                """, Map.of("foo.conf", " users = [{user = \"foo\"}]", "quux.conf", " users = [{user = \"quux\"}]")))
                .isEqualTo(includesDigest);
        assertThat(digestOf("d10", """
                # includes
                accounts {
                  foo { include 'foo.conf'}
                  bar { include 'bar.conf'}
                  quux { include 'quux.conf'}
                }
                """, Map.of("foo.conf", " users = [{user = \"foo\"}]", "bar.conf", " users = [{user = \"bar\"}]",
                "quux.conf", " users = [{user = \"quux\"}]")))
                .isEqualTo(includesDigest);
    }
}
