package io.jnatsd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code websocket} block: every key and alias, nats-server's parse errors and positions
 * ({@code opts.go parseWebsocket}), and the start-time checks ({@code websocket.go validateWebsocketOptions}).
 */
class WebSocketConfigTest {

    private static final String FILE = "t.conf";

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
        return OptionsBaseline.apply(builder.build());
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    private static Optional<String> validate(String text) {
        return OptionsValidator.validate(options(text));
    }

    @Test
    void shouldReadEveryKey() {
        WebSocketOptions ws = options("""
                ws {
                  host: "127.0.0.1"
                  port: 8080
                  advertise: "example.com:443"
                  no_tls: true
                  same_origin: true
                  allowed_origins: ["http://a.io", "https://b.io:8443"]
                  compress: true
                  handshake_timeout: "2s"
                  jwt_cookie: jwt
                  user_cookie: u
                  pass_cookie: p
                  token_cookie: t
                  no_auth_user: nobody
                  authentication { username: wsu, password: wsp, token: wst, timeout: 2.5 }
                  headers { Strict-Transport-Security: "max-age=31536000", X-Frame-Options: DENY }
                  ping_interval: "30s"
                }
                """).websocket();
        assertThat(ws.host()).isEqualTo("127.0.0.1");
        assertThat(ws.port()).isEqualTo(8080);
        assertThat(ws.advertise()).isEqualTo("example.com:443");
        assertThat(ws.noTls()).isTrue();
        assertThat(ws.sameOrigin()).isTrue();
        assertThat(ws.allowedOrigins()).containsExactly("http://a.io", "https://b.io:8443");
        assertThat(ws.compression()).isTrue();
        assertThat(ws.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(List.of(ws.jwtCookie(), ws.usernameCookie(), ws.passwordCookie(), ws.tokenCookie()))
                .containsExactly("jwt", "u", "p", "t");
        assertThat(ws.noAuthUser()).isEqualTo("nobody");
        assertThat(List.of(ws.username(), ws.password(), ws.token())).containsExactly("wsu", "wsp", "wst");
        assertThat(ws.authTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(ws.headers()).containsExactly(Map.entry("Strict-Transport-Security", "max-age=31536000"),
                Map.entry("X-Frame-Options", "DENY"));
        assertThat(ws.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ws.authOverride()).isTrue();
        assertThat(ws.toString()).doesNotContain("wsp").doesNotContain("wst");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            listen: "10.0.0.1:9000"      | 10.0.0.1 | 9000
            listen: 9001                 | 0.0.0.0  | 9001
            net: "::1", port: -1         | ::1      | -1
            port: 0                      | ''       | 0
            """)
    void shouldReadTheListenAddress(String keys, String host, int port) {
        WebSocketOptions ws = options("websocket { " + keys + ", no_tls: true }").websocket();
        assertThat(ws.host()).isEqualTo(host);
        assertThat(ws.port()).isEqualTo(port);
        assertThat(ws.enabled()).isEqualTo(port != 0);
    }

    @Test
    void shouldTakeSecondsAndOneSecondForOtherTimeoutTypes() {
        assertThat(options("websocket { handshake_timeout: 3 }").websocket().handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(options("websocket { authorization { timeout: 4 } }").websocket().authTimeout())
                .isEqualTo(Duration.ofSeconds(4));
        // nats-server: a string (or any other type) is one second, silently
        assertThat(options("websocket { authorization { timeout: \"5s\" } }").websocket().authTimeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(options("websocket { allowed_origins: \"http://only.io\" }").websocket().allowedOrigins())
                .containsExactly("http://only.io");
    }

    @Test
    void shouldWarnAboutAnIntegerPingInterval() {
        ConfigReport report = load("websocket { ping_interval: 5 }", ServerOptions.builder());
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).containsExactly(
                "t.conf:1:12: invalid use of field \"ping_interval\": ping_interval should be converted to a duration");
    }

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of("websocket: 1", "t.conf:1:0: Expected websocket to be a map, got int64"),
                Arguments.of("websocket { port: \"x\" }",
                        "t.conf:1:12: interface conversion: interface {} is string, not int64"),
                Arguments.of("websocket { no_tls: 1, port: \"x\" }",
                        "t.conf:1:12: interface conversion: interface {} is int64, not bool"),
                Arguments.of("websocket { foo: 1 }", "t.conf:1:12: unknown field \"foo\""),
                Arguments.of("websocket { authorization { foo: 1 } }", "t.conf:1:28: unknown field \"foo\""),
                Arguments.of("websocket { handshake_timeout: \"abc\" }",
                        "t.conf:1:12: time: invalid duration \"abc\""),
                Arguments.of("websocket { handshake_timeout: 1.5 }",
                        "t.conf:1:12: error parsing handshake timeout: unsupported type float64"),
                Arguments.of("websocket { allowed_origins: 1 }",
                        "t.conf:1:12: error parsing allowed origins: unsupported type int64"),
                Arguments.of("websocket { allowed_origins: [1, \"a\"] }",
                        "t.conf:1:30: error parsing allowed origins: unsupported type in array int64"),
                Arguments.of("websocket { listen: \"1.2.3.4\" }",
                        "t.conf:1:12: could not parse address string \"1.2.3.4\""),
                Arguments.of("websocket { headers: 1 }",
                        "t.conf:1:12: error parsing headers: unsupported type int64"),
                Arguments.of("websocket { headers: { X-A: 1 } }",
                        "t.conf:1:23: error parsing header key X-A: unsupported type int64"),
                Arguments.of("websocket { ping_interval: \"x\" }",
                        "t.conf:1:12: error parsing ping_interval: time: invalid duration \"x\""),
                Arguments.of("websocket { tls { cert_file: \"nope\" } }",
                        "t.conf:1:12: missing 'key_file' in TLS configuration"));
    }

    @ParameterizedTest
    @MethodSource("parseErrors")
    void shouldReportParseErrorsAsNatsServer(String text, String error) {
        assertThat(errors(text)).containsExactly(error);
    }

    @Test
    void shouldReportBothPanicsOfAWrongTypeInTheAuthorizationBlock() {
        assertThat(errors("websocket { port: 1, authorization: 1 }")).containsExactly(
                "t.conf:1:21: interface conversion: interface {} is int64, not map[string]interface {}",
                "t.conf:1:21: runtime error: invalid memory address or nil pointer dereference");
        assertThat(errors("websocket { port: 1, authorization { user: 1 }, foo: 2 }")).containsExactly(
                "t.conf:1:37: interface conversion: interface {} is int64, not string",
                "t.conf:1:21: runtime error: invalid memory address or nil pointer dereference");
    }

    @Test
    void shouldReportEveryUnknownFieldAndSkipUsedVariables() {
        assertThat(errors("ws { port: 8080, foo: 1, bar: 2 }")).containsExactly("t.conf:1:17: unknown field \"foo\"",
                "t.conf:1:25: unknown field \"bar\"");
        assertThat(errors("websocket { v: 8080, port: $v }")).isEmpty();
    }

    @Test
    void shouldListenOnEveryInterfaceByDefault() {
        assertThat(options("websocket { port: 8080, no_tls: true }").websocket().host()).isEqualTo("0.0.0.0");
        assertThat(options("websocket { no_tls: true }").websocket().host()).isEmpty();
    }

    static Stream<Arguments> validationErrors() {
        return Stream.of(
                Arguments.of("websocket { port: 8080 }", "websocket requires TLS configuration"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"x.com\"] }",
                        "unable to parse allowed origin: parse \"x.com\": invalid URI for request"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"ftp://x.com\"] }",
                        "unable to parse allowed origin \"ftp://x.com\": allowed origins must be absolute URLs with"
                        + " http or https scheme"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"http://\"] }",
                        "unable to parse allowed origin \"http://\": host is required"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"http://x:abc\"] }",
                        "unable to parse allowed origin: parse \"http://x:abc\": invalid port \":abc\" after host"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"http://[::1\"] }",
                        "unable to parse allowed origin: parse \"http://[::1\": missing ']' in host"),
                Arguments.of("websocket { port: 8080, no_tls: true, allowed_origins: [\"http://a:1:2\"] }",
                        "unable to parse allowed origin: address a:1:2: too many colons in address"),
                Arguments.of("websocket { port: 8080, no_tls: true, no_auth_user: bob }",
                        "no_auth_user: \"bob\" present, but users/nkeys are not defined"),
                Arguments.of("websocket { port: 8080, no_tls: true, headers { Connection: x } }",
                        "websocket: invalid header \"Connection\" not allowed"),
                Arguments.of("websocket { port: 8080, no_tls: true, headers { nats-no-masking: x } }",
                        "websocket: invalid header \"nats-no-masking\" not allowed"),
                Arguments.of("websocket { port: 8080, no_tls: true, headers { Sec-WebSocket-Foo: x } }",
                        "websocket: invalid header \"Sec-WebSocket-Foo\", \"Sec-WebSocket-\" prefix not allowed"),
                Arguments.of("websocket { port: 8080, no_tls: true, jwt_cookie: jwt }",
                        "trusted operators or trusted keys configuration is required for JWT authentication via coo"
                        + "kie \"jwt\""));
    }

    @ParameterizedTest
    @MethodSource("validationErrors")
    void shouldValidateAsNatsServer(String text, String error) {
        assertThat(validate(text)).contains(error);
    }

    @Test
    void shouldValidateAgainstTheUsers() {
        String users = "authorization { users: [ {user: a, password: b} ] }\n";
        assertThat(validate(users + "websocket { port: 1, no_tls: true, no_auth_user: bob }")).contains(
                "no_auth_user: \"bob\" not present as user or nkey in authorization block or account configuration");
        assertThat(validate(users + "websocket { port: 1, no_tls: true, no_auth_user: a }")).isEmpty();
        assertThat(validate(users + "websocket { port: 1, no_tls: true, authorization { user: x } }")).contains(
                "websocket authentication username not compatible with presence of users/nkeys");
        assertThat(validate(users + "websocket { port: 1, no_tls: true, authorization { token: x } }")).contains(
                "websocket authentication token not compatible with presence of users/nkeys");
    }

    @Test
    void shouldIgnoreTheBlockWithoutAPort() {
        assertThat(validate("websocket { jwt_cookie: jwt, headers { Host: x } }")).isEmpty();
    }

    @Test
    void shouldNotChangeWhenOnlyTheOriginOrderDiffers() {
        WebSocketOptions a = options("websocket { port: 1, no_tls: true, "
                + "allowed_origins: [\"http://a\", \"http://b\"] }").websocket();
        WebSocketOptions b = options("websocket { port: 1, no_tls: true, "
                + "allowed_origins: [\"http://b\", \"http://a\"] }").websocket();
        assertThat(a.withoutTls()).isNotEqualTo(b.withoutTls());      // records compare in order; reload sorts
        assertThat(a.toBuilder().allowedOrigins(List.of("http://b", "http://a")).build()).isEqualTo(b);
    }
}
