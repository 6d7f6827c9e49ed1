package io.jnatsd.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flags given on the command line, in order, with their parsed values. They are applied on top of the
 * config file at startup and again after every config reload, so a flag always wins over the file and a flag
 * that was not given never overrides it ({@code server/opts.go ConfigureOptions}, second {@code fs.Parse}).
 * Immutable; thread-safe.
 */
public final class CommandLineFlags {

    /** One flag occurrence: the name as typed (without dashes), what it sets, and its value. */
    record Setting(String name, CommandLine.Option option, Object value) {
    }

    private final List<String> arguments;
    private final List<Setting> settings;

    CommandLineFlags(List<String> arguments, List<Setting> settings) {
        this.arguments = List.copyOf(arguments);
        this.settings = List.copyOf(settings);
    }

    /** The command-line arguments as given (without the program name). */
    public List<String> arguments() {
        return arguments;
    }

    /** The config file given with {@code -c}/{@code --config} (the last one; an empty value means none). */
    public Optional<Path> configFile() {
        return configFileText().map(Path::of);
    }

    /** The config file exactly as typed, as nats-server prints it. */
    Optional<String> configFileText() {
        return stringValue(CommandLine.Option.CONFIG).filter(s -> !s.isEmpty());
    }

    /** Whether {@code -t} was given (and not {@code -t=false}). */
    public boolean checkConfig() {
        return boolValue(CommandLine.Option.CHECK_CONFIG);
    }

    boolean boolValue(CommandLine.Option option) {
        return last(option).map(Boolean.class::cast).orElse(false);
    }

    Optional<String> stringValue(CommandLine.Option option) {
        return last(option).map(String.class::cast);
    }

    private Optional<Object> last(CommandLine.Option option) {
        Object value = null;
        for (Setting s : settings) {
            if (s.option() == option) {
                value = s.value();
            }
        }
        return Optional.ofNullable(value);
    }

    /**
     * Flags naming subsystems jnatsd does not have yet, given with a value that would turn something on (an
     * empty string, 0 or false only asks for what jnatsd already does and is accepted).
     */
    List<String> unsupportedFlags() {
        List<String> names = new ArrayList<>();
        for (Setting s : settings) {
            if (!s.option().supported() && !isZeroValue(s.value()) && !names.contains(s.name())) {
                names.add(s.name());
            }
        }
        return names;
    }

    private static boolean isZeroValue(Object value) {
        return switch (value) {
            case Boolean b -> !b;
            case Long n -> n == 0;
            case String s -> s.isEmpty();
            default -> false;
        };
    }

    /**
     * Applies every given flag to {@code builder}, in command-line order, then the combined logging flags
     * {@code -DV}, {@code -DVV}, {@code -VV} in that (Go's sorted) order, as nats-server's second flag pass does,
     * then the TLS flags (see {@link #applyTls}).
     *
     * @throws IllegalArgumentException when the TLS flags are incomplete or name unreadable files, with
     *                                  nats-server's text (e.g. {@code TLS Server certificate must be present and
     *                                  valid})
     */
    // nats-server: opts.go ConfigureOptions (fs.Parse, then fs.Visit special handling)
    public void applyTo(ServerOptions.Builder builder) {
        LoggingBuilder logging = new LoggingBuilder(builder.logging());
        for (Setting s : settings) {
            Object v = s.value();
            switch (s.option()) {
                case HOST -> builder.host((String) v);
                case PORT -> builder.port(toInt(v));
                case SERVER_NAME -> builder.serverName(emptyToNull((String) v));
                case CLIENT_ADVERTISE -> builder.clientAdvertise(emptyToNull((String) v));
                case PID_FILE -> builder.pidFile(path((String) v));
                case PORTS_FILE_DIR -> builder.portsFileDir(path((String) v));
                case HTTP_PORT -> builder.httpPort(toInt(v));
                case HTTPS_PORT -> builder.httpsPort(toInt(v));
                case LOG_FILE -> logging.logFile = path((String) v);
                case LOG_SIZE_LIMIT -> logging.logSizeLimitBytes = (Long) v;
                case LOGTIME -> logging.logtime = (Boolean) v;
                case LOGTIME_UTC -> logging.logtimeUtc = (Boolean) v;
                case SYSLOG -> logging.syslog = (Boolean) v;
                case REMOTE_SYSLOG -> logging.remoteSyslog = emptyToNull((String) v);
                case DEBUG -> logging.debug = (Boolean) v;
                case TRACE -> logging.trace = (Boolean) v;
                case MAX_TRACED_MSG_LEN -> logging.maxTracedMsgLen = toInt(v);
                // nats-server: opts.go MergeOptions, an empty flag does not override the file
                case USER -> {
                    if (!((String) v).isEmpty()) {
                        builder.authorization(builder.authorization().withUsername((String) v));
                    }
                }
                case PASS -> {
                    if (!((String) v).isEmpty()) {
                        builder.authorization(builder.authorization().withPassword((String) v));
                    }
                }
                case AUTH -> {
                    if (!((String) v).isEmpty()) {
                        builder.authorization(builder.authorization().withToken((String) v));
                    }
                }
                // nats-server: opts.go MergeOptions (-js only turns JetStream on; -sd overrides store_dir)
                case JETSTREAM -> {
                    if ((Boolean) v) {
                        builder.jetStream(builder.jetStream().toBuilder().enabled(true).build());
                    }
                }
                case STORE_DIR -> {
                    if (!((String) v).isEmpty()) {
                        builder.jetStream(builder.jetStream().toBuilder().storeDir((String) v).build());
                    }
                }
                default -> {
                    // command flags (help, config, signal...), combined flags and unsupported subsystems
                }
            }
        }
        if (last(CommandLine.Option.DEBUG_TRACE).isPresent()) {
            boolean on = boolValue(CommandLine.Option.DEBUG_TRACE);
            logging.debug = on;
            logging.trace = on;
        }
        if (last(CommandLine.Option.DEBUG_VERBOSE_TRACE).isPresent()) {
            boolean on = boolValue(CommandLine.Option.DEBUG_VERBOSE_TRACE);
            logging.debug = on;
            logging.trace = on;
            logging.traceVerbose = on;
        }
        if (last(CommandLine.Option.VERBOSE_TRACE).isPresent()) {
            boolean on = boolValue(CommandLine.Option.VERBOSE_TRACE);
            logging.trace = on;
            logging.traceVerbose = on;
        }
        builder.logging(logging.build());
        applyTls(builder);
    }

    /**
     * The {@code --tls*} flags: {@code --tls=false} turns TLS off (and wins over the other TLS flags, which Go visits
     * after it); otherwise any of them replaces the file's certificate, key, CA, verification, suites, curves and
     * minimum version with the flags' (the file's timeout, pinned certs, handshake_first, rate limit and
     * allow_non_tls stay, as they are separate nats-server options).
     */
    // nats-server: opts.go ConfigureOptions (fs.Visit "tls" prefix), overrideTLS
    private void applyTls(ServerOptions.Builder builder) {
        boolean anyTlsFlag = false;
        for (Setting s : settings) {
            anyTlsFlag |= switch (s.option()) {
                case TLS, TLS_VERIFY, TLS_CERT, TLS_KEY, TLS_CA_CERT -> true;
                default -> false;
            };
        }
        if (!anyTlsFlag) {
            return;
        }
        if (last(CommandLine.Option.TLS).isPresent() && !boolValue(CommandLine.Option.TLS)) {
            builder.tls(builder.tls().toBuilder().enabled(false).build());
            return;
        }
        String cert = stringValue(CommandLine.Option.TLS_CERT).orElse("");
        if (cert.isEmpty()) {
            throw new IllegalArgumentException("TLS Server certificate must be present and valid");
        }
        String key = stringValue(CommandLine.Option.TLS_KEY).orElse("");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("TLS Server private key must be present and valid");
        }
        String ca = stringValue(CommandLine.Option.TLS_CA_CERT).orElse("");
        TlsOptions.Builder tls = builder.tls().toBuilder()
                .certificate(Path.of(cert), Path.of(key))
                .caFile(ca.isEmpty() ? null : Path.of(ca))
                .verify(boolValue(CommandLine.Option.TLS_VERIFY))
                .insecure(false)
                .allowInsecureCipherSuites(false)
                .cipherSuites(GoTlsNames.SECURE_CIPHER_SUITES)
                .curvePreferences(GoTlsNames.CURVES)
                .minVersion(GoTlsNames.DEFAULT_MIN_VERSION);
        builder.tls(tls.build());
    }

    private static int toInt(Object value) {
        return Math.toIntExact((Long) value);         // INT flags are range-checked to 32 bits when parsed
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Path path(String value) {
        return value.isEmpty() ? null : Path.of(value);
    }
}
