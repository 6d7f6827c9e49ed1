package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    private static final String FILE = "t.conf";

    private static ConfigReport load(String text, ServerOptions.Builder builder) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    /** Loads a config that must be free of problems, with unset values at their defaults. */
    private static ServerOptions options(String text) {
        ServerOptions.Builder builder = ServerOptions.builder().httpHost("");
        ConfigReport report = load(text, builder);
        assertThat(report.text()).isEmpty();
        return OptionsBaseline.apply(builder.build());
    }

    private static List<String> errors(String text) {
        ConfigReport report = load(text, ServerOptions.builder());
        assertThat(report.warnings()).isEmpty();
        return report.errors();
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                Arguments.of("listen: 4333", (Function<ServerOptions, Object>) ServerOptions::port, 4333),
                Arguments.of("listen: \"127.0.0.1:4333\"", (Function<ServerOptions, Object>) o -> o.host() + "|"
                        + o.port(), "127.0.0.1|4333"),
                Arguments.of("listen: 127.0.0.1:4333", (Function<ServerOptions, Object>) o -> o.host() + "|"
                        + o.port(), "127.0.0.1|4333"),
                Arguments.of("listen: \"[::1]:4333\"", (Function<ServerOptions, Object>) ServerOptions::host, "::1"),
                Arguments.of("listen: \":4333\"", (Function<ServerOptions, Object>) ServerOptions::host, "0.0.0.0"),
                Arguments.of("port: 4333", (Function<ServerOptions, Object>) ServerOptions::port, 4333),
                Arguments.of("PORT: 4333", (Function<ServerOptions, Object>) ServerOptions::port, 4333),
                Arguments.of("Port = 4333", (Function<ServerOptions, Object>) ServerOptions::port, 4333),
                Arguments.of("port: -1", (Function<ServerOptions, Object>) ServerOptions::port, -1),
                Arguments.of("port: 0", (Function<ServerOptions, Object>) ServerOptions::port, 4222),
                Arguments.of("host: 127.0.0.1", (Function<ServerOptions, Object>) ServerOptions::host, "127.0.0.1"),
                Arguments.of("net: localhost", (Function<ServerOptions, Object>) ServerOptions::host, "localhost"),
                Arguments.of("server_name: srv", (Function<ServerOptions, Object>) ServerOptions::serverName, "srv"),
                Arguments.of("client_advertise: \"me:5222\"",
                        (Function<ServerOptions, Object>) ServerOptions::clientAdvertise, "me:5222"),
                Arguments.of("max_payload: 2MB", (Function<ServerOptions, Object>) ServerOptions::maxPayload,
                        2 * 1024 * 1024),
                Arguments.of("max_payload: 2k", (Function<ServerOptions, Object>) ServerOptions::maxPayload, 2000),
                Arguments.of("max_payload: 0", (Function<ServerOptions, Object>) ServerOptions::maxPayload,
                        1024 * 1024),
                Arguments.of("max_control_line: 8KB",
                        (Function<ServerOptions, Object>) ServerOptions::maxControlLine, 8192),
                Arguments.of("max_pending: 10GB", (Function<ServerOptions, Object>) ServerOptions::maxPendingBytes,
                        10L * 1024 * 1024 * 1024),
                Arguments.of("max_connections: 100",
                        (Function<ServerOptions, Object>) ServerOptions::maxConnections, 100),
                Arguments.of("max_conn: 100", (Function<ServerOptions, Object>) ServerOptions::maxConnections, 100),
                Arguments.of("max_connections: 0", (Function<ServerOptions, Object>) ServerOptions::maxConnections,
                        -1),
                Arguments.of("max_subscriptions: 7",
                        (Function<ServerOptions, Object>) ServerOptions::maxSubscriptions, 7),
                Arguments.of("max_subs: 7", (Function<ServerOptions, Object>) ServerOptions::maxSubscriptions, 7),
                Arguments.of("max_sub_tokens: 255", (Function<ServerOptions, Object>) ServerOptions::maxSubTokens,
                        255),
                Arguments.of("max_subscription_tokens: 1",
                        (Function<ServerOptions, Object>) ServerOptions::maxSubTokens, 1),
                Arguments.of("ping_interval: \"30s\"",
                        (Function<ServerOptions, Object>) ServerOptions::pingInterval, Duration.ofSeconds(30)),
                Arguments.of("ping_interval: 10s",
                        (Function<ServerOptions, Object>) ServerOptions::pingInterval, Duration.ofSeconds(10)),
                Arguments.of("ping_interval: \"1h30m\"",
                        (Function<ServerOptions, Object>) ServerOptions::pingInterval, Duration.ofMinutes(90)),
                Arguments.of("ping_max: 5", (Function<ServerOptions, Object>) ServerOptions::pingMax, 5),
                Arguments.of("write_deadline: \"1.5s\"",
                        (Function<ServerOptions, Object>) ServerOptions::writeDeadline, Duration.ofMillis(1500)),
                Arguments.of("write_timeout: close",
                        (Function<ServerOptions, Object>) ServerOptions::writeTimeoutPolicy,
                        ServerOptions.WriteTimeoutPolicy.CLOSE),
                Arguments.of("write_timeout: retry",
                        (Function<ServerOptions, Object>) ServerOptions::writeTimeoutPolicy,
                        ServerOptions.WriteTimeoutPolicy.RETRY),
                Arguments.of("write_timeout: default",
                        (Function<ServerOptions, Object>) ServerOptions::writeTimeoutPolicy,
                        ServerOptions.WriteTimeoutPolicy.DEFAULT),
                Arguments.of("lame_duck_duration: \"30s\"",
                        (Function<ServerOptions, Object>) ServerOptions::lameDuckDuration, Duration.ofSeconds(30)),
                Arguments.of("lame_duck_grace_period: \"5s\"",
                        (Function<ServerOptions, Object>) ServerOptions::lameDuckGracePeriod, Duration.ofSeconds(5)),
                Arguments.of("lame_duck_grace_period: \"0s\"",
                        (Function<ServerOptions, Object>) ServerOptions::lameDuckGracePeriod, Duration.ofSeconds(10)),
                Arguments.of("no_header_support: true",
                        (Function<ServerOptions, Object>) ServerOptions::noHeaderSupport, true),
                Arguments.of("disable_sublist_cache: true",
                        (Function<ServerOptions, Object>) ServerOptions::disableSublistCache, true),
                Arguments.of("no_sublist_cache: yes",
                        (Function<ServerOptions, Object>) ServerOptions::disableSublistCache, true),
                Arguments.of("no_fast_producer_stall: on",
                        (Function<ServerOptions, Object>) ServerOptions::noFastProducerStall, true),
                Arguments.of("max_closed_clients: 5",
                        (Function<ServerOptions, Object>) ServerOptions::maxClosedClients, 5),
                Arguments.of("connect_error_reports: 10",
                        (Function<ServerOptions, Object>) ServerOptions::connectErrorReports, 10),
                Arguments.of("reconnect_error_reports: 10",
                        (Function<ServerOptions, Object>) ServerOptions::reconnectErrorReports, 10),
                Arguments.of("pid_file: /tmp/a.pid", (Function<ServerOptions, Object>) ServerOptions::pidFile,
                        Path.of("/tmp/a.pid")),
                Arguments.of("pidfile: \"/tmp/a.pid\"", (Function<ServerOptions, Object>) ServerOptions::pidFile,
                        Path.of("/tmp/a.pid")),
                Arguments.of("ports_file_dir: /tmp", (Function<ServerOptions, Object>) ServerOptions::portsFileDir,
                        Path.of("/tmp")),
                Arguments.of("http: 8222", (Function<ServerOptions, Object>) o -> o.httpHost() + "|" + o.httpPort(),
                        "0.0.0.0|8222"),
                Arguments.of("host: 10.0.0.1\nhttp: 8222", (Function<ServerOptions, Object>) ServerOptions::httpHost,
                        "10.0.0.1"),
                Arguments.of("http: \"127.0.0.1:8222\"",
                        (Function<ServerOptions, Object>) o -> o.httpHost() + "|" + o.httpPort(), "127.0.0.1|8222"),
                Arguments.of("https: \"127.0.0.1:8223\"",
                        (Function<ServerOptions, Object>) o -> o.httpHost() + "|" + o.httpsPort(), "127.0.0.1|8223"),
                Arguments.of("http_port: 8222", (Function<ServerOptions, Object>) ServerOptions::httpPort, 8222),
                Arguments.of("monitor_port: 8222", (Function<ServerOptions, Object>) ServerOptions::httpPort, 8222),
                Arguments.of("https_port: 8223", (Function<ServerOptions, Object>) ServerOptions::httpsPort, 8223),
                Arguments.of("http_base_path: nats", (Function<ServerOptions, Object>) ServerOptions::httpBasePath,
                        "nats"),
                Arguments.of("http_base_path: \"/a//b/../c/\"",
                        (Function<ServerOptions, Object>) ServerOptions::httpBasePath, "/a//b/../c/"),
                Arguments.of("log_file: /tmp/n.log", (Function<ServerOptions, Object>) o -> o.logging().logFile(),
                        Path.of("/tmp/n.log")),
                Arguments.of("logfile: /tmp/n.log", (Function<ServerOptions, Object>) o -> o.logging().logFile(),
                        Path.of("/tmp/n.log")),
                Arguments.of("logfile_size_limit: 1MB",
                        (Function<ServerOptions, Object>) o -> o.logging().logSizeLimitBytes(), 1024L * 1024),
                Arguments.of("log_size_limit: 100",
                        (Function<ServerOptions, Object>) o -> o.logging().logSizeLimitBytes(), 100L),
                Arguments.of("logfile_max_num: 3", (Function<ServerOptions, Object>) o -> o.logging().logMaxFiles(),
                        3),
                Arguments.of("log_max_num: 3", (Function<ServerOptions, Object>) o -> o.logging().logMaxFiles(), 3),
                Arguments.of("logtime: false", (Function<ServerOptions, Object>) o -> o.logging().logtime(), false),
                Arguments.of("logtime_utc: true", (Function<ServerOptions, Object>) o -> o.logging().logtimeUtc(),
                        true),
                Arguments.of("debug: true", (Function<ServerOptions, Object>) o -> o.logging().debug(), true),
                Arguments.of("trace: true", (Function<ServerOptions, Object>) o -> o.logging().trace(), true),
                Arguments.of("trace_verbose: true",
                        (Function<ServerOptions, Object>) o -> o.logging().trace() + "|" + o.logging().traceVerbose(),
                        "true|true"),
                Arguments.of("trace_headers: true",
                        (Function<ServerOptions, Object>) o -> o.logging().trace() + "|" + o.logging().traceHeaders(),
                        "true|true"),
                Arguments.of("syslog: true", (Function<ServerOptions, Object>) o -> o.logging().syslog(), true),
                Arguments.of("remote_syslog: \"udp://h:514\"",
                        (Function<ServerOptions, Object>) o -> o.logging().remoteSyslog(), "udp://h:514"),
                Arguments.of("max_traced_msg_len: 32",
                        (Function<ServerOptions, Object>) o -> o.logging().maxTracedMsgLen(), 32),
                Arguments.of("server_tags: [a, \" B \", b, c]",
                        (Function<ServerOptions, Object>) ServerOptions::serverTags, List.of("a", "b", "c")),
                Arguments.of("server_tags: \"region:eu\"",
                        (Function<ServerOptions, Object>) ServerOptions::serverTags, List.of("region:eu")),
                Arguments.of("server_metadata: {a: x, b: \"y\"}",
                        (Function<ServerOptions, Object>) ServerOptions::serverMetadata, Map.of("a", "x", "b", "y")),
                Arguments.of("feature_flags: {f1: true, f2: false}",
                        (Function<ServerOptions, Object>) ServerOptions::featureFlags,
                        Map.of("f1", true, "f2", false)));
    }

    @ParameterizedTest
    @MethodSource("goodValues")
    void shouldApplyEveryCoreKey(String text, Function<ServerOptions, Object> getter, Object expected) {
        assertThat(getter.apply(options(text))).isEqualTo(expected);
    }

    @Test
    void shouldKeepDefaultsAndWarnForAnEmptyMap() {
        ServerOptions.Builder builder = ServerOptions.builder().httpHost("");
        ConfigReport report = load("{}", builder);
        assertThat(report.warnings()).containsExactly("t.conf: config has no values or is empty");
        assertThat(OptionsBaseline.apply(builder.build()))
                .isEqualTo(OptionsBaseline.apply(ServerOptions.builder().httpHost("").build()));
    }

    @Test
    void shouldWarnAboutAnEmptyConfig() {
        ConfigReport report = load("", ServerOptions.builder());
        assertThat(report.warnings()).containsExactly("t.conf: config has no values or is empty");
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.text()).isEqualTo("t.conf: config has no values or is empty\n");
    }

    @Test
    void shouldApplyKeysInFileOrderSoTheLastAliasWins() {
        assertThat(options("listen: \"1.2.3.4:5\"\nport: 6").port()).isEqualTo(6);
        assertThat(options("port: 6\nlisten: \"1.2.3.4:5\"").port()).isEqualTo(5);
        assertThat(options("host: a\nnet: b").host()).isEqualTo("b");
    }

    @Test
    void shouldWarnForIntegerSecondsDurations() {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load("ping_interval: 60\nwrite_deadline: 3", builder);
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).containsExactly(
                "t.conf:1:0: invalid use of field \"ping_interval\": ping_interval should be converted to a duration",
                "t.conf:2:1: invalid use of field \"write_deadline\": write_deadline should be converted to a"
                        + " duration");
        ServerOptions o = builder.build();
        assertThat(o.pingInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.writeDeadline()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldReadASizeSuffixedDurationAsANumberOfSeconds() {
        // "2m" is the number 2,000,000 in the config language, hence 2,000,000 seconds.
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load("ping_interval: 2m", builder);
        assertThat(report.warnings()).hasSize(1);
        assertThat(builder.build().pingInterval()).isEqualTo(Duration.ofSeconds(2_000_000));
    }

    @Test
    void shouldReportAFloatDurationAsWarningAndError() {
        ConfigReport report = load("ping_interval: 1.5", ServerOptions.builder());
        assertThat(report.warnings()).containsExactly(
                "t.conf:1:0: invalid use of field \"ping_interval\": ping_interval should be converted to a duration");
        assertThat(report.errors()).containsExactly(
                "t.conf:1:0: interface conversion: interface {} is float64, not int64");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("port: \"abc\"", "t.conf:1:0: interface conversion: interface {} is string, not int64"),
                Arguments.of("port: 1.5", "t.conf:1:0: interface conversion: interface {} is float64, not int64"),
                Arguments.of("port: true", "t.conf:1:0: interface conversion: interface {} is bool, not int64"),
                Arguments.of("port: [1 ]",
                        "t.conf:1:0: interface conversion: interface {} is []interface {}, not int64"),
                Arguments.of("port: {a: 1}",
                        "t.conf:1:0: interface conversion: interface {} is map[string]interface {}, not int64"),
                Arguments.of("port: 2020-01-01T00:00:00Z",
                        "t.conf:1:0: interface conversion: interface {} is time.Time, not int64"),
                Arguments.of("debug: 5", "t.conf:1:0: interface conversion: interface {} is int64, not bool"),
                Arguments.of("debug: \"true\"", "t.conf:1:0: interface conversion: interface {} is string, not bool"),
                Arguments.of("host: 5", "t.conf:1:0: interface conversion: interface {} is int64, not string"),
                Arguments.of("  \n  server_name: 5",
                        "t.conf:2:3: interface conversion: interface {} is int64, not string"),
                Arguments.of("listen: \"nope\"", "t.conf:1:0: could not parse address string \"nope\""),
                Arguments.of("listen: \"a:b:c\"", "t.conf:1:0: could not parse address string \"a:b:c\""),
                Arguments.of("listen: \"[::1\"", "t.conf:1:0: could not parse address string \"[::1\""),
                Arguments.of("listen: \"h:x\"", "t.conf:1:0: could not parse port \"x\""),
                Arguments.of("listen: \"h:\"", "t.conf:1:0: could not parse port \"\""),
                Arguments.of("listen: true", "t.conf:1:0: expected port or host:port, got bool"),
                Arguments.of("listen: 1.5", "t.conf:1:0: expected port or host:port, got float64"),
                Arguments.of("http: [1 ]", "t.conf:1:0: expected port or host:port, got []interface {}"),
                Arguments.of("https: \"x\"", "t.conf:1:0: could not parse address string \"x\""),
                Arguments.of("server_name: \"a b\"", "t.conf:1:0: server name cannot contain spaces"),
                Arguments.of("max_payload: 3GB", "t.conf:1:0: max_payload value is too big"),
                Arguments.of("MAX_PAYLOAD: 3GB", "t.conf:1:0: MAX_PAYLOAD value is too big"),
                Arguments.of("max_control_line: 2147483648", "t.conf:1:0: max_control_line value is too big"),
                Arguments.of("max_sub_tokens: 256", "t.conf:1:0: max_sub_tokens value is too big"),
                Arguments.of("max_subscription_tokens: 0",
                        "t.conf:1:0: max_subscription_tokens value can not be negative"),
                Arguments.of("max_sub_tokens: -1", "t.conf:1:0: max_sub_tokens value can not be negative"),
                Arguments.of("ping_interval: \"5x\"",
                        "t.conf:1:0: error parsing ping_interval: time: unknown unit \"x\" in duration \"5x\""),
                Arguments.of("write_deadline: \"abc\"",
                        "t.conf:1:0: error parsing write_deadline: time: invalid duration \"abc\""),
                Arguments.of("write_timeout: never",
                        "t.conf:1:0: write_timeout must be 'default', 'close' or 'retry'"),
                Arguments.of("write_timeout: CLOSE",
                        "t.conf:1:0: write_timeout must be 'default', 'close' or 'retry'"),
                Arguments.of("lame_duck_duration: \"10s\"",
                        "t.conf:1:0: invalid lame_duck_duration of 10s, minimum is 30 seconds"),
                Arguments.of("lame_duck_duration: \"29.5s\"",
                        "t.conf:1:0: invalid lame_duck_duration of 29.5s, minimum is 30 seconds"),
                Arguments.of("lame_duck_duration: \"x\"",
                        "t.conf:1:0: error parsing lame_duck_duration: time: invalid duration \"x\""),
                Arguments.of("lame_duck_duration: 60",
                        "t.conf:1:0: interface conversion: interface {} is int64, not string"),
                Arguments.of("lame_duck_grace_period: \"-1s\"",
                        "t.conf:1:0: invalid lame_duck_grace_period, needs to be positive"),
                Arguments.of("lame_duck_grace_period: \"1\"",
                        "t.conf:1:0: error parsing lame_duck_grace_period: time: missing unit in duration \"1\""),
                Arguments.of("server_tags: [a, 1 ]",
                        "t.conf:1:0: error parsing tags: unsupported type *conf.token where string is expected"),
                Arguments.of("server_tags: 5", "t.conf:1:0: error parsing tags: unsupported type int64"),
                Arguments.of("server_metadata: [a]",
                        "t.conf:1:0: error parsing metadata: unsupported type []interface {}"),
                Arguments.of("server_metadata: {\n  a: x\n  b: 5\n}",
                        "t.conf:3:3: interface conversion: interface {} is int64, not string"),
                Arguments.of("feature_flags: true", "t.conf:1:0: error parsing feature flags: unsupported type bool"),
                Arguments.of("feature_flags: {\n  f1: true\n  f2: \"yes\"\n}",
                        "t.conf:3:3: error parsing feature flag \"f2\": expected bool, got string"),
                Arguments.of("foo: 1", "t.conf:1:0: unknown field \"foo\""),
                Arguments.of("Foo_Bar: 1", "t.conf:1:0: unknown field \"Foo_Bar\""),
                Arguments.of("http_host: x", "t.conf:1:0: unknown field \"http_host\""));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void shouldReportBadValuesAtTheKeyPosition(String text, String expected) {
        assertThat(errors(text)).containsExactly(expected);
    }

    @Test
    void shouldNotApplyRejectedValues() {
        ServerOptions.Builder builder = ServerOptions.builder();
        load("server_name: \"a b\"\nmax_payload: 3GB\nlame_duck_duration: \"1s\"\nmax_sub_tokens: 999", builder);
        ServerOptions o = builder.build();
        assertThat(o.serverName()).isNull();
        assertThat(o.maxPayload()).isEqualTo(ServerOptions.DEFAULT_MAX_PAYLOAD);
        assertThat(o.lameDuckDuration()).isEqualTo(ServerOptions.DEFAULT_LAME_DUCK_DURATION);
        assertThat(o.maxSubTokens()).isZero();
    }

    @Test
    void shouldCollectEveryProblem() {
        ConfigReport report = load("port: \"a\"\nhost: 1\nbogus: 2\nping_interval: 3\nmax_payload: 3GB\n",
                ServerOptions.builder());
        assertThat(report.errors()).containsExactly(
                "t.conf:1:0: interface conversion: interface {} is string, not int64",
                "t.conf:2:1: interface conversion: interface {} is int64, not string",
                "t.conf:3:1: unknown field \"bogus\"",
                "t.conf:5:1: max_payload value is too big");
        assertThat(report.warnings()).hasSize(1);
        assertThat(report.text()).isEqualTo(
                "t.conf:4:1: invalid use of field \"ping_interval\": ping_interval should be converted to a duration\n"
                + "t.conf:1:0: interface conversion: interface {} is string, not int64\n"
                + "t.conf:2:1: interface conversion: interface {} is int64, not string\n"
                + "t.conf:3:1: unknown field \"bogus\"\n"
                + "t.conf:5:1: max_payload value is too big\n");
    }

    @Test
    void shouldAcceptUnknownKeysUsedAsVariables() {
        assertThat(options("MYPORT = 4333\nport: $MYPORT").port()).isEqualTo(4333);
        assertThat(errors("MYPORT = 4333\nport: 1")).containsExactly("t.conf:1:0: unknown field \"MYPORT\"");
    }

    @Test
    void shouldTreatAVariableNamedLikeAnOptionAsTheOption() {
        assertThat(options("PORT = 4\nhost: x").port()).isEqualTo(4);
    }

    @Test
    void shouldMergeIncludedKeysFromTheIncludedFile() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jnatsd-inc");
        try {
            java.nio.file.Files.writeString(dir.resolve("inc.conf"), "port: 4333\nbad: 1\n");
            java.nio.file.Files.writeString(dir.resolve("main.conf"), "include inc.conf\ndebug: true\n");
            ServerOptions.Builder builder = ServerOptions.builder();
            ConfigReport report = ConfigLoader.loadFile(dir.resolve("main.conf"), builder);
            assertThat(report.errors()).containsExactly(dir.resolve("inc.conf") + ":2:1: unknown field \"bad\"");
            assertThat(builder.build().port()).isEqualTo(4333);
            assertThat(builder.build().logging().debug()).isTrue();
            assertThat(builder.build().configFile()).isEqualTo(dir.resolve("main.conf"));
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shouldReturnParseErrorsAsFatal() {
        ConfigReport report = ConfigLoader.loadFile(Path.of("/nonexistent/x.conf"), ServerOptions.builder());
        assertThat(report.fatalError()).isEqualTo("open /nonexistent/x.conf: no such file or directory");
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.text()).isEqualTo("open /nonexistent/x.conf: no such file or directory");
    }

    @Test
    void shouldReadTrustedProxies() {
        String key = io.jnatsd.nkeys.NKey.createUser().publicKey();
        String other = io.jnatsd.nkeys.NKey.createAccount().publicKey();
        assertThat(options("proxies { trusted: [ {key: " + key + "}, {public_key: " + other + "} ] }")
                .authorization().trustedProxies()).containsExactly(key, other);
        assertThat(errors("proxies: 1")).containsExactly("t.conf:1:0: expected proxies to be a map/struct, got int64");
        assertThat(errors("proxies { trusted: 1 }"))
                .containsExactly("t.conf:1:10: expected proxies' trusted field to be an array, got int64");
        assertThat(errors("proxies { trusted: [\"x\"] }"))
                .containsExactly("t.conf:1:21: expected proxies' trusted entry to be a map/struct, got string");
        assertThat(errors("proxies { trusted: [ {key: bad} ] }"))
                .containsExactly("t.conf:1:22: invalid proxy key \"bad\"");
        assertThat(errors("proxies { trusted: [ {x: 1} ], other: 2 }"))
                .containsExactly("t.conf:1:22: unknown field \"x\"", "t.conf:1:31: unknown field \"other\"");
        assertThat(OptionsValidator.validate(ServerOptions.builder().authorization(io.jnatsd.config.AuthOptions.NONE
                .withTrustedProxies(java.util.List.of(""))).build()))
                .contains("proxy trusted key \"\" is invalid");
    }

    @Test
    void shouldReadProxyProtocol() {
        assertThat(options("proxy_protocol: true").proxyProtocol()).isTrue();
        assertThat(options("port: 1").proxyProtocol()).isFalse();
        assertThat(errors("proxy_protocol: 1")).containsExactly(
                "t.conf:1:0: interface conversion: interface {} is int64, not bool");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster", "gateway", "leaf", "leafnodes", "mqtt",
        "default_js_domain", "prof_port", "prof_block_rate"})
    void shouldRefuseKeysOfSubsystemsNotBuiltYet(String key) {
        assertThat(errors("port: 1\n" + key + ": {}")).containsExactly("t.conf:2:1: " + key
                + " is not supported yet by jnatsd");
        assertThat(errors(key.toUpperCase(java.util.Locale.ROOT) + " = 1")).containsExactly("t.conf:1:0: "
                + key.toUpperCase(java.util.Locale.ROOT) + " is not supported yet by jnatsd");
    }

    @Test
    void shouldRefuseUnbuiltKeysEvenWhenUsedAsVariables() {
        assertThat(errors("cluster = 5\nport: $cluster")).containsExactly(
                "t.conf:1:0: cluster is not supported yet by jnatsd");
    }

    @Test
    void shouldLetTraceVerboseAndTraceHeadersTurnTraceOff() {
        assertThat(options("trace: true\ntrace_verbose: false").logging().trace()).isFalse();
        assertThat(options("trace: true\ntrace_headers: false").logging().trace()).isFalse();
    }

    @Test
    void shouldSaturateIntegersBeyondJavaInt() {
        assertThat(options("max_connections: 10000000000").maxConnections()).isEqualTo(Integer.MAX_VALUE);
    }
}
