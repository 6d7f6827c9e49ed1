package io.jnatsd.config;

import io.jnatsd.config.AuthOptions.NkeyUser;
import io.jnatsd.config.AuthOptions.Permissions;
import io.jnatsd.config.AuthOptions.ResponsePermission;
import io.jnatsd.config.AuthOptions.SubjectPermission;
import io.jnatsd.config.AuthOptions.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code authorization} block and {@code no_auth_user}, with the texts nats-server 2.9.10 printed [obs]. */
class AuthConfigParserTest {

    private static final String FILE = "t.conf";
    private static final String NKEY = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";

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
        assertThat(report.text()).isEmpty();
        return builder.build();
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    @Test
    void shouldReadASingleUser() {
        ServerOptions o = options("authorization { user: derek, password: s3cr3t, timeout: 3 }");
        assertThat(o.authorization().username()).isEqualTo("derek");
        assertThat(o.authorization().password()).isEqualTo("s3cr3t");
        assertThat(o.authorization().isAuthRequired()).isTrue();
        assertThat(o.authTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.authorization().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldReadATokenAndTheTimeoutInEveryForm() {
        ServerOptions o = options("authorization { token: $2a$04$P/.bd.7unw9Ew7yWJqXsl.f4oNRLQGvadEL2YnqQXbbb.IVQajRdK,"
                + " timeout: 0.5 }");
        assertThat(o.authorization().token()).startsWith("$2a$04$");
        assertThat(o.authTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(options("authorization { token: t, timeout: \"1500ms\" }").authTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(options("authorization { token: t }").authTimeout())
                .as("unset until the baseline picks the (TLS-aware) default").isZero();
    }

    @Test
    void shouldWarnAboutTimeoutsOverAMinute() {
        ConfigReport report = load("authorization {\n  timeout: 100\n}", ServerOptions.builder());
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).containsExactly("t.conf:2:3: invalid use of field \"timeout\": timeout of 100 "
                + "(100.000000 seconds) is high, consider keeping it under 60 seconds. possibly caused by unquoted "
                + "duration; use '1m' instead of 1m, for example");
    }

    @Test
    void shouldReadUsersNkeysPermissionsAndConnectionTypes() {
        ServerOptions o = options("""
                authorization {
                  ADMIN = { publish: ">", subscribe: ">" }
                  default_permissions: { publish: { deny: "secret.>" } }
                  users: [
                    {user: alice, password: a, permissions: $ADMIN}
                    {user: bob, pass: b, allowed_connection_types: ["standard", "WebSocket"]}
                    {nkey: %s, permissions: { sub: ["foo", "bar q1"], allow_responses: {max: 3, ttl: "5s"} }}
                  ]
                }
                no_auth_user: bob
                """.formatted(NKEY));
        AuthOptions auth = o.authorization();
        assertThat(auth.noAuthUser()).isEqualTo("bob");
        assertThat(auth.defaultPermissions()).isEqualTo(Permissions.publish(SubjectPermission.deny("secret.>")));
        assertThat(auth.users()).containsExactly(
                User.of("alice", "a", new Permissions(SubjectPermission.allow(">"), SubjectPermission.allow(">"),
                        null)),
                new User("bob", "b", null, Set.of("STANDARD", "WEBSOCKET"), false));
        assertThat(auth.nkeys()).containsExactly(NkeyUser.of(NKEY, new Permissions(null,
                SubjectPermission.allow("foo", "bar q1"), new ResponsePermission(3, Duration.ofSeconds(5)))));
    }

    @Test
    void shouldReadAllowResponsesForms() {
        Permissions yes = options("authorization { users: [{user: a, permissions: {allow_responses: true}}] }")
                .authorization().users().getFirst().permissions();
        assertThat(yes.response()).isEqualTo(ResponsePermission.defaults());
        Permissions no = options("authorization { users: [{user: a, permissions: {allow_responses: false}}] }")
                .authorization().users().getFirst().permissions();
        assertThat(no.response()).isNull();
        Permissions unlimited = options("authorization { users: [{user: a, permissions: "
                + "{allow_responses: {max: -1, expires: \"-1s\"}}}] }").authorization().users().getFirst()
                .permissions();
        assertThat(unlimited.response()).isEqualTo(new ResponsePermission(-1, Duration.ofSeconds(-1)));
        Permissions zero = options("authorization { users: [{user: a, permissions: "
                + "{allow_responses: {max: 0, expires: \"0s\"}}}] }").authorization().users().getFirst()
                .permissions();
        assertThat(zero.response()).isEqualTo(ResponsePermission.defaults());
    }

    @Test
    void shouldTreatAnEmptyAllowDenyMapAsNoRestriction() {
        Permissions p = options("authorization { users: [{user: a, permissions: {publish: {}}}] }")
                .authorization().users().getFirst().permissions();
        assertThat(p.publish()).isNull();
    }

    static Stream<Arguments> badBlocks() {
        return Stream.of(
                Arguments.of("authorization {\n  user: a\n  token: b\n}",
                        "t.conf:1:0: Cannot have a user/pass and token"),
                Arguments.of("authorization {\n  user: a\n  users: [{user: b, password: c}]\n}",
                        "t.conf:1:0: Can not have a single user/pass and a users array"),
                Arguments.of("authorization {\n  users: []\n  token: x\n}",
                        "t.conf:1:0: Can not have a token and a users array"),
                Arguments.of("authorization {\n  users: [{user: b, password: c}, {user: b, password: d}]\n}",
                        "t.conf:1:0: Duplicate user \"b\" detected"),
                Arguments.of("authorization {\n  users: [{user: a}, {nkey: " + NKEY + "}, {nkey: " + NKEY + "}]\n}",
                        "t.conf:1:0: Duplicate nkey \"" + NKEY + "\" detected"),
                Arguments.of("authorization {\n  users: [{nkey: UABC}]\n}",
                        "t.conf:2:12: Not a valid public nkey for a user"),
                Arguments.of("authorization {\n  users: [{password: x}]\n}", "t.conf:2:12: User entry requires a user"),
                Arguments.of("authorization {\n  users: [{nkey: " + NKEY + ", user: x}]\n}",
                        "t.conf:2:76: Nkey users do not take usernames or passwords"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {subscribe: {allow: \"a b c\"}}}]\n}",
                        "t.conf:2:47: subject \"a b c\" is not a valid subject"),
                // 2.15 (checkPermSubjectArray): queue entries are for subscribe lists only
                Arguments.of("authorization {\n  users: [{user: x, permissions: {publish: {allow: \"a b\"}}}]\n}",
                        "t.conf:2:45: subject \"a b\" is not a valid subject"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {subscribe: {deny: \"a b.>.c\"}}}]\n}",
                        "t.conf:2:47: queue \"b.>.c\" is not a valid queue"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {subscribe: \"a b c\"}}]\n}",
                        "subject \"a b c\" is not a valid subject"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {subscribe: 1}}]\n}",
                        "Expected subject permissions to be a subject, or array of subjects, got int64"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {subscribe: {allowed: \"a\"}}}]\n}",
                        "t.conf:2:47: Unknown field name \"allowed\" parsing subject permissions, only 'allow' or "
                                + "'deny' are permitted"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {pub: \"a\", foo: 1}}]\n}",
                        "t.conf:2:45: Unknown field \"foo\" parsing permissions"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: \"x\"}]\n}",
                        "t.conf:2:21: Expected permissions to be a map/struct, got x"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {allow_responses: \"x\"}}]\n}",
                        "t.conf:2:35: error parsing response permissions, expected a boolean or a map"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {allow_responses: {max: \"x\"}}}]\n}",
                        "t.conf:2:53: interface conversion: interface {} is string, not int64"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {allow_responses: {foo: 1}}}]\n}",
                        "t.conf:2:53: Unknown field \"foo\" parsing permissions"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {allow_responses: {expires: 5}}}]\n}",
                        "t.conf:2:53: error parsing expires, not a duration string"),
                Arguments.of("authorization {\n  users: [{user: x, permissions: {allow_responses: {expires: \"x\"}}}]"
                        + "\n}", "t.conf:2:53: error parsing expires: time: invalid duration \"x\""),
                Arguments.of("authorization {\n  users: [{user: x, allowed_connection_types: [\"STANDARD\", "
                        + "\"bogus\"]}]\n}", "t.conf:2:21: invalid connection types [\"BOGUS\"]"),
                Arguments.of("authorization {\n  users: [{user: x, clients: 1}]\n}",
                        "t.conf:2:21: error parsing allowed connection types: unsupported type int64"),
                Arguments.of("authorization {\n  users: [{user: x, foo: 1}]\n}", "t.conf:2:21: unknown field \"foo\""),
                Arguments.of("authorization {\n  foo: 1\n}", "t.conf:2:3: unknown field \"foo\""),
                Arguments.of("authorization { users: \"x\" }",
                        "t.conf:1:16: Expected users field to be an array, got x"),
                Arguments.of("authorization { users: [\"x\"] }",
                        "t.conf:1:25: Expected user entry to be a map/struct, got x"),
                Arguments.of("authorization {\n  user: 1\n}",
                        "t.conf:2:3: interface conversion: interface {} is int64, not string"),
                Arguments.of("authorization: 1",
                        "t.conf:1:0: interface conversion: interface {} is int64, not map[string]interface {}"),
                // 2.15 parses the timeout strictly (2.9.10 accepted both)
                Arguments.of("authorization {\n  timeout: \"x\"\n}",
                        "t.conf:2:3: error parsing authorization config, 'timeout' time: invalid duration \"x\""),
                Arguments.of("authorization {\n  timeout: true\n}",
                        "t.conf:2:3: error parsing authorization config, 'timeout' wrong type"));
    }

    @ParameterizedTest
    @MethodSource("badBlocks")
    void shouldReportBadBlocksLikeNatsServer(String text, String expected) {
        assertThat(errors(text)).first().isEqualTo(expected);
    }

    @Test
    void shouldReadNoAuthUserAnywhereInTheFile() {
        ServerOptions o = options("no_auth_user: a\nauthorization { users: [{user: a, password: b}] }");
        assertThat(o.authorization().noAuthUser()).isEqualTo("a");
        assertThat(o.authorization().users()).hasSize(1);
    }
}
