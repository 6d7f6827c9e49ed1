package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    private static final String USAGE_PREFIX = "\nUsage: nats-server [options]\n\nServer Options:\n";

    @TempDir
    Path dir;

    private static ServerOptions run(String... args) {
        CommandLineResult result = CommandLine.parse(args);
        assertThat(result).isInstanceOf(CommandLineResult.Run.class);
        return ((CommandLineResult.Run) result).options();
    }

    private static CommandLineResult.PrintAndExit exit(String... args) {
        CommandLineResult result = CommandLine.parse(args);
        assertThat(result).isInstanceOf(CommandLineResult.PrintAndExit.class);
        return (CommandLineResult.PrintAndExit) result;
    }

    private Path file(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, content);
        return path;
    }

    static Stream<Arguments> everySupportedFlag() {
        List<Arguments> cases = new ArrayList<>();
        Function<ServerOptions, Object> host = ServerOptions::host;
        for (String name : List.of("a", "addr", "net")) {
            cases.add(Arguments.of(List.of("-" + name, "127.0.0.1"), host, "127.0.0.1"));
        }
        for (String name : List.of("p", "port")) {
            cases.add(Arguments.of(List.of("-" + name, "4333"), (Function<ServerOptions, Object>) ServerOptions::port,
                    4333));
        }
        for (String name : List.of("n", "name", "server_name")) {
            cases.add(Arguments.of(List.of("--" + name, "srv-a"),
                    (Function<ServerOptions, Object>) ServerOptions::serverName, "srv-a"));
        }
        for (String name : List.of("P", "pid")) {
            cases.add(Arguments.of(List.of("-" + name, "/tmp/x.pid"),
                    (Function<ServerOptions, Object>) ServerOptions::pidFile, Path.of("/tmp/x.pid")));
        }
        for (String name : List.of("m", "http_port")) {
            cases.add(Arguments.of(List.of("-" + name, "8222"),
                    (Function<ServerOptions, Object>) ServerOptions::httpPort, 8222));
        }
        for (String name : List.of("ms", "https_port")) {
            cases.add(Arguments.of(List.of("-" + name, "8223"),
                    (Function<ServerOptions, Object>) ServerOptions::httpsPort, 8223));
        }
        cases.add(Arguments.of(List.of("--client_advertise", "me:5"),
                (Function<ServerOptions, Object>) ServerOptions::clientAdvertise, "me:5"));
        cases.add(Arguments.of(List.of("--ports_file_dir", "/tmp/p"),
                (Function<ServerOptions, Object>) ServerOptions::portsFileDir, Path.of("/tmp/p")));
        for (String name : List.of("l", "log")) {
            cases.add(Arguments.of(List.of("-" + name, "/tmp/n.log"),
                    (Function<ServerOptions, Object>) o -> o.logging().logFile(), Path.of("/tmp/n.log")));
        }
        cases.add(Arguments.of(List.of("--log_size_limit", "1099511627776"),
                (Function<ServerOptions, Object>) o -> o.logging().logSizeLimitBytes(), 1099511627776L));
        for (String name : List.of("T", "logtime")) {
            cases.add(Arguments.of(List.of("-" + name + "=false"),
                    (Function<ServerOptions, Object>) o -> o.logging().logtime(), false));
        }
        cases.add(Arguments.of(List.of("--logtime_utc"),
                (Function<ServerOptions, Object>) o -> o.logging().logtimeUtc(), true));
        for (String name : List.of("s", "syslog")) {
            cases.add(Arguments.of(List.of("-" + name), (Function<ServerOptions, Object>) o -> o.logging().syslog(),
                    true));
        }
        for (String name : List.of("r", "remote_syslog")) {
            cases.add(Arguments.of(List.of("-" + name, "udp://h:514"),
                    (Function<ServerOptions, Object>) o -> o.logging().remoteSyslog(), "udp://h:514"));
        }
        for (String name : List.of("D", "debug")) {
            cases.add(Arguments.of(List.of("-" + name), (Function<ServerOptions, Object>) o -> o.logging().debug(),
                    true));
        }
        for (String name : List.of("V", "trace")) {
            cases.add(Arguments.of(List.of("-" + name), (Function<ServerOptions, Object>) o -> o.logging().trace(),
                    true));
        }
        cases.add(Arguments.of(List.of("--max_traced_msg_len", "64"),
                (Function<ServerOptions, Object>) o -> o.logging().maxTracedMsgLen(), 64));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("everySupportedFlag")
    void shouldApplyEverySupportedFlagAndAlias(List<String> args, Function<ServerOptions, Object> getter,
            Object expected) {
        assertThat(getter.apply(run(args.toArray(String[]::new)))).isEqualTo(expected);
    }

    @Test
    void shouldUseDefaultsWithoutArguments() {
        ServerOptions o = run();
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(4222);
        assertThat(o.httpHost()).isEqualTo("0.0.0.0");
        assertThat(o.logging().logtime()).isTrue();
        assertThat(o.noSigs()).isFalse();
        assertThat(o.configFile()).isNull();
    }

    @Test
    void shouldTreatPortZeroAsDefaultAndKeepRandomPort() {
        assertThat(run("-p", "0").port()).isEqualTo(4222);
        assertThat(run("-p", "-1").port()).isEqualTo(ServerOptions.RANDOM_PORT);
        assertThat(run("-a", "").host()).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldMakeTheMonitoringHostFollowTheClientHost() {
        assertThat(run("-a", "127.0.0.1", "-m", "8222").httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldLetTheLastOccurrenceWin() {
        assertThat(run("-p", "1", "--port=2", "-p=0x10").port()).isEqualTo(16);
    }

    @Test
    void shouldCombineDebugAndTraceFlags() {
        ServerOptions.LoggingOptions dv = run("-DV").logging();
        assertThat(dv.debug()).isTrue();
        assertThat(dv.trace()).isTrue();
        assertThat(dv.traceVerbose()).isFalse();
        ServerOptions.LoggingOptions vv = run("-VV").logging();
        assertThat(vv.debug()).isFalse();
        assertThat(vv.trace()).isTrue();
        assertThat(vv.traceVerbose()).isTrue();
        ServerOptions.LoggingOptions dvv = run("-DVV").logging();
        assertThat(dvv.debug()).isTrue();
        assertThat(dvv.trace()).isTrue();
        assertThat(dvv.traceVerbose()).isTrue();
    }

    @Test
    void shouldApplyCombinedFlagsAfterSingleOnesInGoSortedOrder() {
        // -DV=false is applied after -D, so it clears what -D set.
        ServerOptions.LoggingOptions cleared = run("-DV=false", "-D").logging();
        assertThat(cleared.debug()).isFalse();
        assertThat(cleared.trace()).isFalse();
        // DV, then DVV, then VV: DVV wins over DV whatever the command-line order.
        ServerOptions.LoggingOptions all = run("-DVV", "-DV=false").logging();
        assertThat(all.debug()).isTrue();
        assertThat(all.traceVerbose()).isTrue();
        // VV=false comes last and clears trace set by DVV, but not debug.
        ServerOptions.LoggingOptions noTrace = run("-VV=false", "-DVV").logging();
        assertThat(noTrace.debug()).isTrue();
        assertThat(noTrace.trace()).isFalse();
        assertThat(noTrace.traceVerbose()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-help", "-h=true", "help", "HELP", "Help"})
    void shouldPrintUsage(String arg) {
        CommandLineResult.PrintAndExit result = exit(arg);
        assertThat(result.stdout()).isEqualTo(CommandLine.USAGE).startsWith(USAGE_PREFIX)
                .endsWith("        --help_tls                   TLS help\n\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldIgnoreHelpFalse() {
        assertThat(run("-h=false").port()).isEqualTo(4222);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v", "--version", "-version", "version", "VERSION"})
    void shouldPrintTheNatsServerVersion(String arg) {
        CommandLineResult.PrintAndExit result = exit(arg);
        assertThat(result.stdout()).isEqualTo("nats-server: v2.15.0-dev\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldActOnVersionBeforeHelpAndPositionals() {
        assertThat(exit("-h", "-v").stdout()).isEqualTo("nats-server: v2.15.0-dev\n");
        assertThat(exit("-v", "-p", "1", "bogus").stdout()).isEqualTo("nats-server: v2.15.0-dev\n");
    }

    @Test
    void shouldPrintTlsHelp() {
        CommandLineResult.PrintAndExit result = exit("--help_tls");
        assertThat(result.stdout()).startsWith("\nTLS configuration is specified in the tls section")
                .contains("Available cipher suites include:\n    TLS_AES_128_GCM_SHA256\n")
                .contains("\nAvailable curve preferences include:\n    X25519MLKEM768\n")
                .contains("ocsp_peer: true").endsWith("using the 'ocsp' configuration option.\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldReportFlagErrorsOnStderrThenUsageOnStdoutWithExitZero() {
        CommandLineResult.PrintAndExit result = exit("-foo");
        assertThat(result.stderr()).isEqualTo("flag provided but not defined: -foo\n");
        assertThat(result.stdout()).isEqualTo(CommandLine.USAGE);
        assertThat(result.exitCode()).isZero();
        assertThat(exit("--foo=x").stderr()).isEqualTo("flag provided but not defined: -foo\n");
        assertThat(exit("-p").stderr()).isEqualTo("flag needs an argument: -p\n");
        assertThat(exit("--signal").stderr()).isEqualTo("flag needs an argument: -signal\n");
        assertThat(exit("-p", "abc").stderr()).isEqualTo("invalid value \"abc\" for flag -p: parse error\n");
        assertThat(exit("-D=x").stderr()).isEqualTo("invalid boolean value \"x\" for -D: parse error\n");
        assertThat(exit("---p").stderr()).isEqualTo("bad flag syntax: ---p\n");
        assertThat(exit("-VD").stderr()).isEqualTo("flag provided but not defined: -VD\n");
        assertThat(exit("-h", "-p", "x").stderr()).isEqualTo("invalid value \"x\" for flag -p: parse error\n");
        assertThat(exit("-p", "99999999999999999999").stderr())
                .isEqualTo("invalid value \"99999999999999999999\" for flag -p: value out of range\n");
    }

    @Test
    void shouldRejectUnknownPositionalCommands() {
        CommandLineResult.PrintAndExit result = exit("bogus");
        assertThat(result.stderr()).isEqualTo("nats-server: unrecognized command: \"bogus\"\n");
        assertThat(result.stdout()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(exit("-D", "false").stderr()).isEqualTo("nats-server: unrecognized command: \"false\"\n");
        assertThat(exit("-", "x").stderr()).isEqualTo("nats-server: unrecognized command: \"-\"\n");
        assertThat(exit("--", "-p", "1").stderr()).isEqualTo("nats-server: unrecognized command: \"-p\"\n");
    }

    @Test
    void shouldRunWhenDoubleDashEndsTheFlags() {
        assertThat(run("-p", "5", "--").port()).isEqualTo(5);
    }

    @Test
    void shouldReturnASignalCommand() {
        CommandLineResult result = CommandLine.parse("--signal", "reload=123");
        assertThat(result).isInstanceOf(CommandLineResult.Signal.class);
        SignalCommand command = ((CommandLineResult.Signal) result).command();
        assertThat(command.commandText()).isEqualTo("reload");
        assertThat(command.pidText()).isEqualTo("123");
        assertThat(CommandLine.parse("-sl", "ldm")).isInstanceOf(CommandLineResult.Signal.class);
    }

    @Test
    void shouldReportSignalParameterErrors() {
        assertThat(exit("-sl", "quit=1=2=3").stderr()).isEqualTo("nats-server: invalid signal parameters: [2 3]\n");
        assertThat(exit("-sl", "quit=abc").stderr()).isEqualTo("nats-server: invalid pid: abc\n");
        assertThat(exit("-sl", "quit=abc").exitCode()).isEqualTo(1);
    }

    @Test
    void shouldHandleSignalBeforeTheConfigFile() {
        assertThat(CommandLine.parse("-sl", "quit=12", "-c", "/nonexistent.conf"))
                .isInstanceOf(CommandLineResult.Signal.class);
        assertThat(exit("-sl", "quit=12", "bogus").stderr())
                .isEqualTo("nats-server: unrecognized command: \"bogus\"\n");
    }

    @Test
    void shouldRequireAConfigFileForCheck() {
        CommandLineResult.PrintAndExit result = exit("-t");
        assertThat(result.stderr()).isEqualTo(
                "nats-server: must specify [-c, --config] option to check configuration file syntax\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(exit("-t", "-c", "").exitCode()).isEqualTo(1);
    }

    @Test
    void shouldConfirmAValidConfigFileWithItsDigest() throws Exception {
        Path conf = file("ok.conf", "port: 4333\n");
        String digest = ConfParser.parseFile(conf).digest();
        CommandLineResult.PrintAndExit result = exit("-t", "-c", conf.toString());
        assertThat(result.stderr()).isEqualTo("nats-server: configuration file " + conf + " is valid (" + digest
                + ")\n");
        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        assertThat(result.stdout()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(exit("-t", "--config", conf.toString()).exitCode()).isZero();
        assertThat(exit("-t=true", "-config=" + conf).exitCode()).isZero();
    }

    @Test
    void shouldTreatWarningsAsFatalInCheckMode() throws IOException {
        Path conf = file("warn.conf", "ping_interval: 5\n");
        CommandLineResult.PrintAndExit result = exit("-t", "-c", conf.toString());
        assertThat(result.stderr()).isEqualTo("nats-server: " + conf + ":1:0: invalid use of field \"ping_interval\":"
                + " ping_interval should be converted to a duration\n\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldSkipServerValidationInCheckMode() throws IOException {
        Path conf = file("big.conf", "max_payload: 100\nmax_pending: 10\n");
        assertThat(exit("-t", "-c", conf.toString()).exitCode()).isZero();
    }

    @Test
    void shouldPrintWarningsAndStartWithoutCheckMode() throws IOException {
        Path conf = file("warn.conf", "ping_interval: 5\n");
        CommandLineResult result = CommandLine.parse("-c", conf.toString());
        assertThat(result).isInstanceOf(CommandLineResult.Run.class);
        CommandLineResult.Run run = (CommandLineResult.Run) result;
        assertThat(run.stderr()).isEqualTo(conf + ":1:0: invalid use of field \"ping_interval\": ping_interval"
                + " should be converted to a duration\n");
        assertThat(run.options().pingInterval()).hasSeconds(5);
        assertThat(run.configDigest()).startsWith("sha256:");
        assertThat(run.options().configFile()).isEqualTo(conf);
    }

    @Test
    void shouldFailOnConfigErrorsWithWarningsFirst() throws IOException {
        Path conf = file("bad.conf", "port: \"abc\"\nping_interval: 5\nfoo: 1\n");
        CommandLineResult.PrintAndExit result = exit("-c", conf.toString());
        assertThat(result.stderr()).isEqualTo("nats-server: "
                + conf + ":2:1: invalid use of field \"ping_interval\": ping_interval should be converted to a"
                + " duration\n"
                + conf + ":1:0: interface conversion: interface {} is string, not int64\n"
                + conf + ":3:1: unknown field \"foo\"\n\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldReportAMissingConfigFile() {
        CommandLineResult.PrintAndExit result = exit("-c", dir.resolve("missing.conf").toString());
        assertThat(result.stderr()).isEqualTo("nats-server: open " + dir.resolve("missing.conf")
                + ": no such file or directory\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(exit("-t", "-c", dir.resolve("missing.conf").toString()).exitCode()).isEqualTo(1);
    }

    @Test
    void shouldLetGivenFlagsWinOverTheConfigFile() throws IOException {
        Path conf = file("p.conf", "port: 4333\nhost: 10.0.0.1\ndebug: true\nlogtime: false\nserver_name: file\n");
        ServerOptions o = run("-c", conf.toString(), "-p", "5000", "-n", "flag");
        assertThat(o.port()).isEqualTo(5000);
        assertThat(o.serverName()).isEqualTo("flag");
        // Not given on the command line: the file's values stay, flag defaults never override them.
        assertThat(o.host()).isEqualTo("10.0.0.1");
        assertThat(o.logging().debug()).isTrue();
        assertThat(o.logging().logtime()).isFalse();
    }

    @Test
    void shouldLetFlagsGivenBeforeTheConfigFlagWinToo() throws IOException {
        Path conf = file("p.conf", "port: 4333\ntrace: true\n");
        ServerOptions o = run("-p", "5000", "-V=false", "-c", conf.toString());
        assertThat(o.port()).isEqualTo(5000);
        assertThat(o.logging().trace()).isFalse();
    }

    @Test
    void shouldClearFileDebugAndTraceWithCombinedFlagFalse() throws IOException {
        Path conf = file("d.conf", "debug: true\ntrace: true\n");
        ServerOptions.LoggingOptions logging = run("-c", conf.toString(), "-DV=false").logging();
        assertThat(logging.debug()).isFalse();
        assertThat(logging.trace()).isFalse();
    }

    @Test
    void shouldReapplyFlagsOnReload() throws IOException {
        Path conf = file("r.conf", "port: 4333\nmax_payload: 2048\n");
        CommandLineResult.Run run = (CommandLineResult.Run) CommandLine.parse("-c", conf.toString(), "-p", "1");
        Files.writeString(conf, "port: 4444\nmax_payload: 4096\n");
        CommandLine.LoadedOptions reloaded = CommandLine.loadOptions(run.flags());
        assertThat(reloaded.options().port()).isEqualTo(1);
        assertThat(reloaded.options().maxPayload()).isEqualTo(4096);
        Files.writeString(conf, "port: \"x\"\n");
        CommandLine.LoadedOptions broken = CommandLine.loadOptions(run.flags());
        assertThat(broken.options()).isNull();
        assertThat(broken.report().errors()).containsExactly(conf + ":1:0: interface conversion: interface {} is"
                + " string, not int64");
    }

    @Test
    void shouldSetTheSingleUserAndTokenFromFlags() {
        AuthOptions auth = run("--user", "derek", "--pass", "s3cr3t").authorization();
        assertThat(auth.username()).isEqualTo("derek");
        assertThat(auth.password()).isEqualTo("s3cr3t");
        assertThat(auth.isAuthRequired()).isTrue();
        assertThat(run("-auth=t0k3n").authorization().token()).isEqualTo("t0k3n");
        assertThat(run().authorization()).isEqualTo(AuthOptions.NONE);
    }

    @Test
    void shouldLetAuthFlagsWinOverTheFileButNotWhenEmpty() throws IOException {
        Path conf = file("a.conf", "authorization { user: file, password: filepass, timeout: 3 }\n");
        AuthOptions auth = run("-c", conf.toString(), "--user", "flag").authorization();
        assertThat(auth.username()).isEqualTo("flag");
        assertThat(auth.password()).isEqualTo("filepass");
        // nats-server: opts.go MergeOptions only copies non-empty credentials from the flags
        AuthOptions kept = run("-c", conf.toString(), "--user=", "--pass=").authorization();
        assertThat(kept.username()).isEqualTo("file");
        assertThat(kept.password()).isEqualTo("filepass");
        assertThat(run("-c", conf.toString()).authTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldExposeTheArgumentsAndConfigFile() {
        CommandLineResult.Run run = (CommandLineResult.Run) CommandLine.parse("-c", "", "-p", "1");
        assertThat(run.flags().arguments()).containsExactly("-c", "", "-p", "1");
        assertThat(run.flags().configFile()).isEmpty();
        assertThat(run.flags().checkConfig()).isFalse();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.configDigest()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--routes=nats://h:6222", "--cluster=nats://0.0.0.0:6222", "--cluster_listen=nats://0.0.0.0:6222",
        "--cluster_name=c", "--cluster_advertise=h:1", "--no_advertise", "--connect_retries=3", "--profile=6060"})
    void shouldRefuseFlagsOfSubsystemsNotBuiltYet(String arg) {
        String name = arg.replaceFirst("^-+", "").replaceFirst("=.*$", "");
        CommandLineResult.PrintAndExit result = exit(arg);
        assertThat(result.stderr()).isEqualTo("nats-server: flag -" + name + " is not supported yet by jnatsd\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldListEveryRefusedFlag() {
        assertThat(exit("--no_advertise", "--profile=1", "--no_advertise").stderr()).isEqualTo("nats-server: flag "
                + "-no_advertise is not supported yet by jnatsd\nflag -profile is not supported yet by jnatsd\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no_advertise=false", "--routes=",
        "--cluster=", "--profile=0", "--connect_retries=0"})
    void shouldAcceptFlagsThatOnlyTurnUnbuiltSubsystemsOff(String arg) {
        assertThat(CommandLine.parse(arg)).isInstanceOf(CommandLineResult.Run.class);
    }

    @Test
    void shouldStillValidateTheSyntaxOfRefusedFlags() {
        assertThat(exit("--profile", "x").stderr()).isEqualTo("invalid value \"x\" for flag -profile: parse error\n");
    }

    @Test
    void shouldTurnJetStreamOnAndSetTheStoreDirectory() {
        CommandLineResult.Run run = (CommandLineResult.Run) CommandLine.parse("-js", "-sd", "/tmp/js");
        assertThat(run.options().jetStream().enabled()).isTrue();
        assertThat(run.options().jetStream().storeDir()).isEqualTo("/tmp/js");
        CommandLineResult.Run off = (CommandLineResult.Run) CommandLine.parse("--jetstream=false", "--store_dir=");
        assertThat(off.options().jetStream().enabled()).isFalse();
        assertThat(off.options().jetStream().storeDir()).isEmpty();
    }

    @Test
    void shouldRegisterEveryFlagOfNatsServer() {
        assertThat(CommandLine.FLAGS.keySet()).containsExactlyInAnyOrder(
                "h", "help", "port", "p", "n", "name", "server_name", "addr", "a", "net", "client_advertise", "D",
                "debug", "V", "VV", "trace", "DV", "DVV", "T", "logtime", "logtime_utc", "user", "pass", "auth", "m",
                "http_port", "ms", "https_port", "c", "config", "t", "sl", "signal", "P", "pid", "ports_file_dir",
                "l", "log", "log_size_limit", "s", "syslog", "r", "remote_syslog", "version", "v", "profile",
                "routes", "cluster", "cluster_listen", "cluster_advertise", "no_advertise", "connect_retries",
                "cluster_name", "help_tls", "tls", "tlsverify", "tlscert", "tlskey", "tlscacert",
                "max_traced_msg_len", "js", "jetstream", "sd", "store_dir");
    }

    // nats-server: opts_test.go TestRedactArgs
    @org.junit.jupiter.api.Test
    void shouldRedactSecretsFromTheCommandLine() {
        org.assertj.core.api.Assertions.assertThat(CommandLine.redactArgs(java.util.List.of("-p", "4222", "--user",
                "bob", "-pass=secret", "--auth", "tok", "--routes",
                "nats://u:p@host1:6222,nats://host2:6222", "-cluster=nats://a:b@0.0.0.0:6222", "-m", "8222")))
                .containsExactly("-p", "4222", "--user", "[REDACTED]", "-pass=[REDACTED]", "--auth", "[REDACTED]",
                        "--routes", "nats://[REDACTED]@host1:6222,nats://host2:6222",
                        "-cluster=nats://[REDACTED]@0.0.0.0:6222", "-m", "8222");
    }
}
