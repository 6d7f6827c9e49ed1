package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * nats-server's command line: every flag and alias of {@code server/opts.go ConfigureOptions}, Go {@code flag}
 * syntax (see {@link GoFlagParser}), the positional commands {@code version} and {@code help}, {@code -t},
 * {@code --signal}, and the precedence "defaults, then config file, then the flags that were given". Texts and
 * exit codes are nats-server's, including its quirk that a flag error exits 0 (the usage exits first).
 * <p>
 * Order of decisions, as in nats-server: flag syntax, {@code -v}, {@code -h}, {@code --help_tls}, positional
 * command, {@code --signal}, config file ({@code -t} stops here), then the flags of subsystems jnatsd does not
 * have yet are refused. Stateless; thread-safe.
 */
public final class CommandLine {

    /** What a flag sets. {@code supported} is false for subsystems jnatsd does not implement yet. */
    enum Option {
        HELP(GoFlagParser.Kind.BOOL, true),
        VERSION(GoFlagParser.Kind.BOOL, true),
        HELP_TLS(GoFlagParser.Kind.BOOL, true),
        CONFIG(GoFlagParser.Kind.STRING, true),
        CHECK_CONFIG(GoFlagParser.Kind.BOOL, true),
        SIGNAL(GoFlagParser.Kind.STRING, true),
        HOST(GoFlagParser.Kind.STRING, true),
        PORT(GoFlagParser.Kind.INT, true),
        SERVER_NAME(GoFlagParser.Kind.STRING, true),
        CLIENT_ADVERTISE(GoFlagParser.Kind.STRING, true),
        PID_FILE(GoFlagParser.Kind.STRING, true),
        PORTS_FILE_DIR(GoFlagParser.Kind.STRING, true),
        HTTP_PORT(GoFlagParser.Kind.INT, true),
        HTTPS_PORT(GoFlagParser.Kind.INT, true),
        LOG_FILE(GoFlagParser.Kind.STRING, true),
        LOG_SIZE_LIMIT(GoFlagParser.Kind.INT64, true),
        LOGTIME(GoFlagParser.Kind.BOOL, true),
        LOGTIME_UTC(GoFlagParser.Kind.BOOL, true),
        SYSLOG(GoFlagParser.Kind.BOOL, true),
        REMOTE_SYSLOG(GoFlagParser.Kind.STRING, true),
        DEBUG(GoFlagParser.Kind.BOOL, true),
        TRACE(GoFlagParser.Kind.BOOL, true),
        /** {@code -VV}: trace and trace_verbose. */
        VERBOSE_TRACE(GoFlagParser.Kind.BOOL, true),
        /** {@code -DV}: debug and trace. */
        DEBUG_TRACE(GoFlagParser.Kind.BOOL, true),
        /** {@code -DVV}: debug, trace and trace_verbose. */
        DEBUG_VERBOSE_TRACE(GoFlagParser.Kind.BOOL, true),
        MAX_TRACED_MSG_LEN(GoFlagParser.Kind.INT, true),
        JETSTREAM(GoFlagParser.Kind.BOOL, true),
        STORE_DIR(GoFlagParser.Kind.STRING, true),
        USER(GoFlagParser.Kind.STRING, true),
        PASS(GoFlagParser.Kind.STRING, true),
        AUTH(GoFlagParser.Kind.STRING, true),
        TLS(GoFlagParser.Kind.BOOL, true),
        TLS_VERIFY(GoFlagParser.Kind.BOOL, true),
        TLS_CERT(GoFlagParser.Kind.STRING, true),
        TLS_KEY(GoFlagParser.Kind.STRING, true),
        TLS_CA_CERT(GoFlagParser.Kind.STRING, true),
        ROUTES(GoFlagParser.Kind.STRING, false),
        CLUSTER(GoFlagParser.Kind.STRING, false),
        CLUSTER_NAME(GoFlagParser.Kind.STRING, false),
        CLUSTER_ADVERTISE(GoFlagParser.Kind.STRING, false),
        NO_ADVERTISE(GoFlagParser.Kind.BOOL, false),
        CONNECT_RETRIES(GoFlagParser.Kind.INT, false),
        PROFILE(GoFlagParser.Kind.INT, false);

        private final GoFlagParser.Kind kind;
        private final boolean supported;

        Option(GoFlagParser.Kind kind, boolean supported) {
            this.kind = kind;
            this.supported = supported;
        }

        GoFlagParser.Kind kind() {
            return kind;
        }

        boolean supported() {
            return supported;
        }
    }

    /** Every flag name nats-server registers, and what it sets. */
    static final Map<String, Option> FLAGS = flags();

    /** The usage text printed by {@code -h}, {@code help} and after a flag error (nats-server's usageStr). */
    static final String USAGE = resource("usage.txt");

    /** The text of {@code --help_tls}. */
    static final String TLS_HELP = resource("tls-help.txt");

    private static final GoFlagParser PARSER = parser();

    private CommandLine() {
    }

    private static final java.util.regex.Pattern SECRET_ARG =
            java.util.regex.Pattern.compile("^-{1,2}(user|pass|auth)(=.*)?$");
    private static final java.util.regex.Pattern ROUTES_ARG = java.util.regex.Pattern.compile("^-{1,2}(routes)(=.*)?$");
    private static final java.util.regex.Pattern URL_ARG =
            java.util.regex.Pattern.compile("^-{1,2}(cluster|cluster_listen)(=.*)?$");

    /**
     * The arguments with secrets replaced, as nats-server's {@code RedactArgs} does before {@code /debug/vars}
     * shows them: the values of {@code --user}, {@code --pass} and {@code --auth} become {@code [REDACTED]}, and
     * the user information of {@code --routes} and {@code --cluster} URLs {@code [REDACTED]@}.
     */
    // nats-server: opts.go RedactArgs, redactArgValue, redactURLUser, redactURLListUser
    public static List<String> redactArgs(List<String> args) {
        List<String> out = new java.util.ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String arg = out.get(i);
            java.util.function.UnaryOperator<String> redact = null;
            if (SECRET_ARG.matcher(arg).matches()) {
                redact = v -> "[REDACTED]";
            } else if (ROUTES_ARG.matcher(arg).matches()) {
                redact = v -> {
                    String[] parts = v.split(",", -1);
                    for (int p = 0; p < parts.length; p++) {
                        parts[p] = redactUrlUser(parts[p]);
                    }
                    return String.join(",", parts);
                };
            } else if (URL_ARG.matcher(arg).matches()) {
                redact = CommandLine::redactUrlUser;
            }
            if (redact == null) {
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                out.set(i, arg.substring(0, eq) + "=" + redact.apply(arg.substring(eq + 1)));
            } else if (i + 1 < out.size()) {
                out.set(i + 1, redact.apply(out.get(i + 1)));
            }
        }
        return out;
    }

    /** A URL's user information replaced by {@code [REDACTED]}; values without one are kept. */
    private static String redactUrlUser(String raw) {
        int at = raw.lastIndexOf('@');
        int scheme = raw.indexOf("://");
        if (at < 0 || scheme < 0 || at < scheme) {
            return raw;
        }
        return raw.substring(0, scheme + 3).trim() + "[REDACTED]" + raw.substring(at);
    }

    private static Map<String, Option> flags() {
        Map<String, Option> m = new LinkedHashMap<>();
        put(m, Option.HELP, "h", "help");
        put(m, Option.VERSION, "v", "version");
        put(m, Option.HELP_TLS, "help_tls");
        put(m, Option.CONFIG, "c", "config");
        put(m, Option.CHECK_CONFIG, "t");
        put(m, Option.SIGNAL, "sl", "signal");
        put(m, Option.HOST, "a", "addr", "net");
        put(m, Option.PORT, "p", "port");
        put(m, Option.SERVER_NAME, "n", "name", "server_name");
        put(m, Option.CLIENT_ADVERTISE, "client_advertise");
        put(m, Option.PID_FILE, "P", "pid");
        put(m, Option.PORTS_FILE_DIR, "ports_file_dir");
        put(m, Option.HTTP_PORT, "m", "http_port");
        put(m, Option.HTTPS_PORT, "ms", "https_port");
        put(m, Option.LOG_FILE, "l", "log");
        put(m, Option.LOG_SIZE_LIMIT, "log_size_limit");
        put(m, Option.LOGTIME, "T", "logtime");
        put(m, Option.LOGTIME_UTC, "logtime_utc");
        put(m, Option.SYSLOG, "s", "syslog");
        put(m, Option.REMOTE_SYSLOG, "r", "remote_syslog");
        put(m, Option.DEBUG, "D", "debug");
        put(m, Option.TRACE, "V", "trace");
        put(m, Option.VERBOSE_TRACE, "VV");
        put(m, Option.DEBUG_TRACE, "DV");
        put(m, Option.DEBUG_VERBOSE_TRACE, "DVV");
        put(m, Option.MAX_TRACED_MSG_LEN, "max_traced_msg_len");
        put(m, Option.JETSTREAM, "js", "jetstream");
        put(m, Option.STORE_DIR, "sd", "store_dir");
        put(m, Option.USER, "user");
        put(m, Option.PASS, "pass");
        put(m, Option.AUTH, "auth");
        put(m, Option.TLS, "tls");
        put(m, Option.TLS_VERIFY, "tlsverify");
        put(m, Option.TLS_CERT, "tlscert");
        put(m, Option.TLS_KEY, "tlskey");
        put(m, Option.TLS_CA_CERT, "tlscacert");
        put(m, Option.ROUTES, "routes");
        put(m, Option.CLUSTER, "cluster", "cluster_listen");
        put(m, Option.CLUSTER_NAME, "cluster_name");
        put(m, Option.CLUSTER_ADVERTISE, "cluster_advertise");
        put(m, Option.NO_ADVERTISE, "no_advertise");
        put(m, Option.CONNECT_RETRIES, "connect_retries");
        put(m, Option.PROFILE, "profile");
        return Map.copyOf(m);
    }

    private static void put(Map<String, Option> m, Option option, String... names) {
        Arrays.stream(names).forEach(name -> m.put(name, option));
    }

    private static GoFlagParser parser() {
        Map<String, GoFlagParser.Kind> kinds = new LinkedHashMap<>();
        FLAGS.forEach((name, option) -> kinds.put(name, option.kind()));
        return new GoFlagParser(kinds);
    }

    private static String resource(String name) {
        try (InputStream in = CommandLine.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Interprets {@code args} (without the program name). */
    public static CommandLineResult parse(String... args) {
        return parse(List.of(args));
    }

    /** Interprets {@code args} (without the program name). */
    // nats-server: opts.go ConfigureOptions, main.go main, server.go ProcessCommandLineArgs
    public static CommandLineResult parse(List<String> args) {
        GoFlagParser.Result parsed;
        try {
            parsed = PARSER.parse(args);
        } catch (GoFlagParser.FlagException e) {
            return new CommandLineResult.PrintAndExit(USAGE, e.getMessage() + "\n", 0);
        }
        List<CommandLineFlags.Setting> settings = new ArrayList<>();
        for (GoFlagParser.Assignment a : parsed.assignments()) {
            settings.add(new CommandLineFlags.Setting(a.name(), FLAGS.get(a.name()), a.value()));
        }
        CommandLineFlags flags = new CommandLineFlags(args, settings);

        if (flags.boolValue(Option.VERSION)) {
            return versionExit();
        }
        if (flags.boolValue(Option.HELP)) {
            return new CommandLineResult.PrintAndExit(USAGE, "", 0);
        }
        if (flags.boolValue(Option.HELP_TLS)) {
            return new CommandLineResult.PrintAndExit(TLS_HELP, "", 0);
        }
        if (!parsed.positional().isEmpty()) {
            String command = parsed.positional().getFirst();
            return switch (command.toLowerCase(Locale.ROOT)) {
                case "version" -> versionExit();
                case "help" -> new CommandLineResult.PrintAndExit(USAGE, "", 0);
                default -> CommandLineResult.PrintAndExit.fatal("unrecognized command: " + GoQuote.quote(command));
            };
        }
        Optional<String> signal = flags.stringValue(Option.SIGNAL).filter(s -> !s.isEmpty());
        if (signal.isPresent()) {
            try {
                return new CommandLineResult.Signal(SignalCommand.parse(signal.get()));
            } catch (IllegalArgumentException e) {
                return CommandLineResult.PrintAndExit.fatal(e.getMessage());
            }
        }
        if (flags.checkConfig()) {
            return checkConfig(flags);
        }
        List<String> unsupported = flags.unsupportedFlags();
        if (!unsupported.isEmpty()) {
            StringBuilder message = new StringBuilder();
            for (String name : unsupported) {
                message.append(message.isEmpty() ? "" : "\n").append("flag -").append(name)
                        .append(" is not supported yet by jnatsd");
            }
            return CommandLineResult.PrintAndExit.fatal(message.toString());
        }
        LoadedOptions loaded = loadOptions(flags);
        if (loaded.options() == null) {
            return CommandLineResult.PrintAndExit.fatal(loaded.report().text());
        }
        return new CommandLineResult.Run(loaded.options(), flags, loaded.report());
    }

    /**
     * Options from defaults, the config file named by the flags (if any) and the flags, with unset values at
     * their defaults. Used at startup and for a config reload (the file is read again, the flags win again).
     *
     * @param options the options, or null when the report has errors
     * @param report  the config file's problems and digest
     */
    public record LoadedOptions(ServerOptions options, ConfigReport report) {
    }

    /** Builds the options for {@code flags}; see {@link LoadedOptions}. */
    public static LoadedOptions loadOptions(CommandLineFlags flags) {
        // The monitoring host starts empty so that it follows the client host unless http/https set it.
        ServerOptions.Builder builder = ServerOptions.builder().noSigs(false).httpHost("");
        ConfigReport report = new ConfigReport(List.of(), List.of(), null, "");
        Optional<String> configFile = flags.configFileText();
        if (configFile.isPresent()) {
            report = ConfigLoader.loadFile(configFile.get(), builder);
            if (report.hasErrors()) {
                return new LoadedOptions(null, report);
            }
        }
        try {
            flags.applyTo(builder);
        } catch (IllegalArgumentException e) {
            return new LoadedOptions(null, ConfigReport.fatal(e.getMessage()));
        }
        return new LoadedOptions(OptionsBaseline.apply(builder.build()), report);
    }

    /** {@code -t}: the file must load without errors and, unlike a normal start, without warnings. */
    private static CommandLineResult checkConfig(CommandLineFlags flags) {
        Optional<String> configFile = flags.configFileText();
        if (configFile.isEmpty()) {
            return CommandLineResult.PrintAndExit.fatal(
                    "must specify [-c, --config] option to check configuration file syntax");
        }
        ConfigReport report = ConfigLoader.loadFile(configFile.get(), ServerOptions.builder());
        if (report.hasProblems()) {
            return CommandLineResult.PrintAndExit.fatal(report.text());
        }
        return new CommandLineResult.PrintAndExit("", Versions.PROGRAM_NAME + ": configuration file "
                + configFile.get() + " is valid (" + report.digest() + ")\n", 0);
    }

    private static CommandLineResult versionExit() {
        return new CommandLineResult.PrintAndExit(Versions.PROGRAM_NAME + ": v" + Versions.VERSION + "\n", "", 0);
    }
}
