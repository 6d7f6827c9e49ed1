package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies the top-level keys of a parsed configuration file to a {@link ServerOptions.Builder}, with
 * nats-server's key names, aliases, case-insensitive matching, types, validation and error texts
 * ({@code server/opts.go processConfigFileLine}). Every problem is collected (never the first only) as
 * {@code <file>:<line>:<col>: <reason>}; integer seconds given for a duration are a warning.
 * <p>
 * Keys of subsystems jnatsd does not have yet (cluster, gateways, leaf nodes, MQTT, JetStream's leaf node domains,
 * profiling) are errors {@code <key> is not supported yet by jnatsd}, so a
 * configuration is never half-applied silently. Other unknown keys are {@code unknown field "<key>"} unless the
 * key was used as a variable. The {@code authorization} block is read by {@link AuthConfigParser}, the
 * {@code accounts} block by {@link AccountsConfigParser}, the {@code jetstream} block by
 * {@link JetStreamConfigParser}, the {@code mappings} block (global account) by
 * {@link MappingsConfigParser}, the {@code websocket} block by {@link WebSocketConfigParser}, {@code ocsp} and
 * {@code ocsp_cache} by {@link OcspConfigParser}, {@code tls} and {@code resolver_tls} by {@link TlsBlockParser}.
 * <p>
 * Go applies keys in random map order; jnatsd applies them in file order, so when aliases conflict
 * ({@code listen} and {@code port}) the one written last wins. Stateless; thread-safe (each call works on the
 * caller's builder).
 */
public final class ConfigLoader {

    /** Keys nats-server knows that belong to subsystems jnatsd does not implement yet (lower case). */
    static final Set<String> UNSUPPORTED_KEYS = Set.of(
            // routes, gateways, leaf nodes, MQTT
            "cluster", "gateway", "leaf", "leafnodes", "mqtt",
            // JetStream: the default domains of leaf node accounts
            "default_js_domain",
            // profiling
            "prof_port", "prof_block_rate");

    private static final long MAX_INT32 = Integer.MAX_VALUE;
    private static final int MAX_SUB_TOKENS = 255;
    private static final Duration MIN_LAME_DUCK_DURATION = Duration.ofSeconds(30);

    private ConfigLoader() {
    }

    /**
     * The options of a config file for an embedded server: defaults, then the file, with nats-server's baseline
     * applied. Warnings are ignored, as a normal start ignores them.
     *
     * @throws IllegalArgumentException with nats-server's error text when the file cannot be read or has errors
     */
    public static ServerOptions options(Path file) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = loadFile(file, builder);
        if (report.hasErrors()) {
            throw new IllegalArgumentException(report.text().strip());
        }
        return OptionsBaseline.apply(builder.build());
    }

    /**
     * Parses {@code file} and applies it to {@code builder} (which also records the file as the config file).
     * A read or parse failure is returned as {@link ConfigReport#fatalError()}.
     */
    // nats-server: opts.go Options.ProcessConfigFile
    public static ConfigReport loadFile(Path file, ServerOptions.Builder builder) {
        return loadFile(file.toString(), builder);
    }

    /** {@link #loadFile(Path, ServerOptions.Builder)} for a path exactly as typed (messages show it unchanged). */
    static ConfigReport loadFile(String fileText, ServerOptions.Builder builder) {
        Path file;
        try {
            file = Path.of(fileText);
        } catch (InvalidPathException e) {
            return ConfigReport.fatal("open " + fileText + ": invalid argument");
        }
        builder.configFile(file);
        ConfDocument document;
        try {
            document = ConfParser.parseFile(file);
        } catch (ConfException e) {
            return ConfigReport.fatal(e.getMessage());
        }
        return load(document, fileText, builder);
    }

    /**
     * Applies an already parsed document. {@code sourceName} names it in the "empty" warning (the path as given,
     * or empty for a string).
     */
    // nats-server: opts.go Options.processConfigFile
    public static ConfigReport load(ConfDocument document, String sourceName, ServerOptions.Builder builder) {
        Application application = new Application(document, builder);
        if (document.root().isEmpty()) {
            application.warnings.add(sourceName + ": config has no values or is empty");
        }
        document.root().forEach(application::applyKey);
        application.checkAuthCalloutAccounts();
        builder.logging(application.logging.build());
        builder.jetStream(application.jetStreamOptions.build());
        application.applyTls();
        return new ConfigReport(application.warnings, application.errors, null, document.digest());
    }

    /** A Go value did not have the type a key needs; Go panics and nats-server reports the panic text. */
    static final class TypeMismatch extends RuntimeException {
        final ConfValue at;

        TypeMismatch(ConfValue at, String wanted) {
            this(at, "interface conversion: interface {} is " + goType(at.value()) + ", not " + wanted, false);
        }

        private TypeMismatch(ConfValue at, String message, boolean unused) {
            super(message, null, false, false);
            this.at = at;
        }

        /** Another panic text Go reports at {@code at} (for example a nil dereference after a recovered panic). */
        static TypeMismatch withMessage(ConfValue at, String message) {
            return new TypeMismatch(at, message, false);
        }
    }

    /** One application of a document: the builder being changed and the problems found. Single-threaded. */
    private static final class Application {
        final ConfDocument document;
        final ServerOptions.Builder builder;
        final LoggingBuilder logging;
        final List<String> warnings = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final AuthConfigParser auth;
        final OperatorConfigParser operator;
        final WebSocketConfigParser websocket;
        final AccountsConfigParser accounts;
        final JetStreamConfigParser jetStream;
        final JetStreamOptions.Builder jetStreamOptions;
        /** The {@code tls} block, or null when the file has none. */
        TlsOptions tls;
        /** {@code allow_non_tls}, or null when the file does not set it. */
        Boolean allowNonTls;

        Application(ConfDocument document, ServerOptions.Builder builder) {
            this.document = document;
            this.builder = builder;
            this.logging = new LoggingBuilder(builder.logging());
            this.auth = new AuthConfigParser(document, errors, warnings);
            this.operator = new OperatorConfigParser(errors);
            this.websocket = new WebSocketConfigParser(document, errors, warnings);
            this.jetStream = new JetStreamConfigParser(document, errors, warnings);
            this.jetStreamOptions = builder.jetStream().toBuilder();
            this.accounts = new AccountsConfigParser(document, errors, auth, jetStream);
        }

        void applyKey(String key, ConfValue value) {
            try {
                applyKnownKey(key, value);
            } catch (TypeMismatch e) {
                error(e.at, e.getMessage());
            }
        }

        void error(ConfValue at, String reason) {
            errors.add(at.position() + ": " + reason);
        }

        /**
         * Every {@code auth_callout.allowed_accounts} entry must be a configured account (an error without a
         * position, after all keys are applied).
         */
        // nats-server: opts.go processConfigFile ("Post-process: check auth callout allowed accounts")
        void checkAuthCalloutAccounts() {
            AuthCalloutOptions callout = builder.authCallout();
            if (callout == null) {
                return;
            }
            Set<String> names = new java.util.HashSet<>();
            builder.accounts().forEach(a -> names.add(a.name()));
            for (String name : callout.allowedAccounts()) {
                if (!names.contains(name)) {
                    errors.add("auth_callout allowed account " + GoQuote.quote(name)
                            + " not found in configured accounts");
                }
            }
        }

        /** The file's {@code tls} block and {@code allow_non_tls}, whichever order they came in. */
        void applyTls() {
            TlsOptions result = tls != null ? tls : builder.tls();
            if (allowNonTls != null) {
                result = result.toBuilder().allowNonTls(allowNonTls).build();
            }
            builder.tls(result);
        }

        // nats-server: opts.go processConfigFileLine "tls"
        private void tlsBlock(ConfValue value) {
            try {
                tls = TlsBlockParser.parse(value, builder.tls());
            } catch (TlsBlockParser.BlockException e) {
                error(e.at(), e.getMessage());
            }
        }

        // nats-server: opts.go processConfigFileLine (core keys only)
        private void applyKnownKey(String key, ConfValue value) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (UNSUPPORTED_KEYS.contains(lower)) {
                error(value, key + " is not supported yet by jnatsd");
                return;
            }
            if (OperatorConfigParser.KEYS.contains(lower)) {
                operator.apply(lower, value, builder);
                return;
            }
            switch (lower) {
                case "listen" -> {
                    HostPort hp = listen(value);
                    if (hp != null) {
                        builder.host(hp.host()).port(hp.port());
                    }
                }
                case "client_advertise" -> builder.clientAdvertise(string(value));
                case "port" -> builder.port(toInt(int64(value)));
                case "server_name" -> {
                    String name = string(value);
                    if (name.contains(" ")) {
                        error(value, "server name cannot contain spaces");
                    } else {
                        builder.serverName(name);
                    }
                }
                case "host", "net" -> builder.host(string(value));
                case "default_sentinel" -> builder.defaultSentinel(string(value));
                case "debug" -> logging.debug = bool(value);
                case "trace" -> logging.trace = bool(value);
                case "trace_verbose" -> {
                    logging.traceVerbose = bool(value);
                    logging.trace = logging.traceVerbose;
                }
                case "trace_headers" -> {
                    logging.traceHeaders = bool(value);
                    logging.trace = logging.traceHeaders;
                }
                case "logtime" -> logging.logtime = bool(value);
                case "logtime_utc" -> logging.logtimeUtc = bool(value);
                case "disable_sublist_cache", "no_sublist_cache" -> builder.disableSublistCache(bool(value));
                case "proxy_protocol" -> builder.proxyProtocol(bool(value));
                case "http" -> {
                    HostPort hp = listen(value);
                    if (hp != null) {
                        builder.httpHost(hp.host()).httpPort(hp.port());
                    }
                }
                case "https" -> {
                    HostPort hp = listen(value);
                    if (hp != null) {
                        builder.httpHost(hp.host()).httpsPort(hp.port());
                    }
                }
                case "http_port", "monitor_port" -> builder.httpPort(toInt(int64(value)));
                case "https_port" -> builder.httpsPort(toInt(int64(value)));
                case "http_base_path" -> builder.httpBasePath(string(value));
                case "logfile", "log_file" -> logging.logFile = path(string(value));
                case "logfile_size_limit", "log_size_limit" -> logging.logSizeLimitBytes = int64(value);
                case "logfile_max_num", "log_max_num" -> logging.logMaxFiles = toInt(int64(value));
                case "syslog" -> logging.syslog = bool(value);
                case "remote_syslog" -> logging.remoteSyslog = string(value);
                case "pidfile", "pid_file" -> builder.pidFile(path(string(value)));
                case "ports_file_dir" -> builder.portsFileDir(path(string(value)));
                case "max_control_line" -> {
                    long n = int64(value);
                    if (n > MAX_INT32) {
                        error(value, key + " value is too big");
                    } else {
                        builder.maxControlLine((int) n);
                    }
                }
                case "max_payload" -> {
                    long n = int64(value);
                    if (n > MAX_INT32) {
                        error(value, key + " value is too big");
                    } else {
                        builder.maxPayload((int) n);
                    }
                }
                case "max_pending" -> builder.maxPendingBytes(int64(value));
                // 0 in the file means "no client may connect" (2.15); unset keeps the default.
                case "max_connections", "max_conn" -> {
                    int n = toInt(int64(value));
                    builder.maxConnections(n == 0 ? -1 : n);
                }
                case "max_traced_msg_len" -> logging.maxTracedMsgLen = toInt(int64(value));
                case "max_subscriptions", "max_subs" -> builder.maxSubscriptions(toInt(int64(value)));
                case "max_sub_tokens", "max_subscription_tokens" -> {
                    long n = int64(value);
                    if (n > MAX_SUB_TOKENS) {
                        error(value, key + " value is too big");
                    } else if (n <= 0) {
                        error(value, key + " value can not be negative");
                    } else {
                        builder.maxSubTokens((int) n);
                    }
                }
                case "ping_interval" -> builder.pingInterval(duration("ping_interval", value));
                case "ping_max" -> builder.pingMax(toInt(int64(value)));
                case "write_deadline" -> builder.writeDeadline(duration("write_deadline", value));
                case "write_timeout" -> {
                    switch (string(value)) {
                        case "default" -> builder.writeTimeoutPolicy(ServerOptions.WriteTimeoutPolicy.DEFAULT);
                        case "close" -> builder.writeTimeoutPolicy(ServerOptions.WriteTimeoutPolicy.CLOSE);
                        case "retry" -> builder.writeTimeoutPolicy(ServerOptions.WriteTimeoutPolicy.RETRY);
                        default -> {
                            error(value, "write_timeout must be 'default', 'close' or 'retry'");
                            builder.writeTimeoutPolicy(ServerOptions.WriteTimeoutPolicy.DEFAULT);
                        }
                    }
                }
                case "lame_duck_duration" -> {
                    Duration d = strictDuration("lame_duck_duration", value);
                    if (d == null) {
                        return;
                    }
                    if (d.compareTo(MIN_LAME_DUCK_DURATION) < 0) {
                        error(value, "invalid lame_duck_duration of " + GoDuration.format(d)
                                + ", minimum is 30 seconds");
                    } else {
                        builder.lameDuckDuration(d);
                    }
                }
                case "lame_duck_grace_period" -> {
                    Duration d = strictDuration("lame_duck_grace_period", value);
                    if (d == null) {
                        return;
                    }
                    if (d.isNegative()) {
                        error(value, "invalid lame_duck_grace_period, needs to be positive");
                    } else {
                        builder.lameDuckGracePeriod(d);
                    }
                }
                case "tls" -> tlsBlock(value);
                // nats-server: opts.go processConfigFileLine "resolver_tls" (parseTLS in a client context)
                case "resolver_tls" -> {
                    try {
                        builder.operator(builder.operator().withResolverTls(
                                TlsBlockParser.parse(value, TlsOptions.disabled())));
                    } catch (TlsBlockParser.BlockException e) {
                        error(e.at(), e.getMessage());
                    }
                }
                case "ocsp" -> {
                    try {
                        builder.ocsp(OcspConfigParser.ocsp(value));
                    } catch (OcspConfigParser.OcspConfigException e) {
                        error(e.at(), e.getMessage());
                    }
                }
                case "ocsp_cache" -> {
                    try {
                        OcspCacheOptions cache = OcspConfigParser.cache(value);
                        if (cache != null) {
                            builder.ocspCache(cache);
                        }
                    } catch (OcspConfigParser.OcspConfigException e) {
                        error(e.at(), e.getMessage());
                    }
                }
                case "allow_non_tls" -> allowNonTls = bool(value);
                case "no_header_support" -> builder.noHeaderSupport(bool(value));
                case "connect_error_reports" -> builder.connectErrorReports(toInt(int64(value)));
                case "reconnect_error_reports" -> builder.reconnectErrorReports(toInt(int64(value)));
                case "server_tags" -> serverTags(value);
                case "server_metadata" -> serverMetadata(value);
                case "feature_flags" -> featureFlags(value);
                case "no_fast_producer_stall" -> builder.noFastProducerStall(bool(value));
                case "max_closed_clients" -> builder.maxClosedClients(toInt(int64(value)));
                case "authorization" -> auth.applyAuthorization(value, builder);
                // nats-server: opts.go processConfigFileLine "mappings" (the global account $G)
                case "mappings", "maps" -> builder.mappings(MappingsConfigParser.parse(value, errors));
                case "proxies" -> auth.applyProxies(value, builder);
                case "websocket", "ws" -> builder.websocket(websocket.parse(value, builder.websocket()));
                case "accounts" -> accounts.apply(value, builder);
                case "no_system_account", "no_system", "no_sys_acc" -> builder.noSystemAccount(bool(value));
                case "no_auth_user" -> builder.authorization(builder.authorization().withNoAuthUser(string(value)));
                // nats-server: opts.go processConfigFileLine "store_dir" (also settable inside jetstream {})
                case "store_dir", "storedir" -> {
                    if (!jetStreamOptions.storeDir().isEmpty()) {
                        error(value, "Duplicate 'store_dir' configuration");
                    } else {
                        jetStreamOptions.storeDir(string(value));
                    }
                }
                case "jetstream" -> jetStream.parse(value, jetStreamOptions);
                default -> {
                    if (!document.isUsedAsVariable(key)) {
                        errors.add(value.position() + ": unknown field " + GoQuote.quote(key));
                    }
                }
            }
        }

        /** Go duration string, or integer seconds with a warning ({@code opts.go parseDuration}). */
        private Duration duration(String field, ConfValue value) {
            if (value.value() instanceof String text) {
                try {
                    return GoDuration.parse(text);
                } catch (IllegalArgumentException e) {
                    error(value, "error parsing " + field + ": " + e.getMessage());
                    return Duration.ZERO;
                }
            }
            // The warning is recorded before the type check, so a float gets both (as in Go).
            warnings.add(value.position() + ": invalid use of field " + GoQuote.quote(field) + ": " + field
                    + " should be converted to a duration");
            return Duration.ofSeconds(int64(value));
        }

        /** A duration that must be a string; null after recording the parse error. */
        private Duration strictDuration(String field, ConfValue value) {
            String text = string(value);
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                error(value, "error parsing " + field + ": " + e.getMessage());
                return null;
            }
        }

        private HostPort listen(ConfValue value) {
            try {
                return HostPort.parseListen(value.value());
            } catch (IllegalArgumentException e) {
                error(value, e.getMessage());
                return null;
            }
        }

        // nats-server: opts.go processConfigFileLine "server_tags"; jwt TagList.Add (trimmed, case-insensitive set)
        private void serverTags(ConfValue value) {
            List<String> tags = new ArrayList<>();
            if (value.value() instanceof String tag) {
                addTag(tags, tag);
            } else if (value.value() instanceof List<?> list) {
                for (Object element : list) {
                    if (((ConfValue) element).value() instanceof String tag) {
                        addTag(tags, tag);
                    } else {
                        error(value, "error parsing tags: unsupported type *conf.token where string is expected");
                        return;
                    }
                }
            } else {
                error(value, "error parsing tags: unsupported type " + goType(value.value()));
                return;
            }
            builder.serverTags(tags);
        }

        private static void addTag(List<String> tags, String tag) {
            String trimmed = tag.strip();
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i).equalsIgnoreCase(trimmed)) {
                    tags.set(i, trimmed);
                    return;
                }
            }
            tags.add(trimmed);
        }

        private void serverMetadata(ConfValue value) {
            if (!(value.value() instanceof Map<?, ?> map)) {
                error(value, "error parsing metadata: unsupported type " + goType(value.value()));
                return;
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                metadata.put((String) entry.getKey(), string((ConfValue) entry.getValue()));
            }
            builder.serverMetadata(metadata);
        }

        private void featureFlags(ConfValue value) {
            if (!(value.value() instanceof Map<?, ?> map)) {
                error(value, "error parsing feature flags: unsupported type " + goType(value.value()));
                return;
            }
            Map<String, Boolean> flags = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                ConfValue flag = (ConfValue) entry.getValue();
                if (!(flag.value() instanceof Boolean on)) {
                    error(flag, "error parsing feature flag " + GoQuote.quote((String) entry.getKey())
                            + ": expected bool, got " + goType(flag.value()));
                    return;
                }
                flags.put((String) entry.getKey(), on);
            }
            builder.featureFlags(flags);
        }
    }

    static String string(ConfValue value) {
        if (value.value() instanceof String s) {
            return s;
        }
        throw new TypeMismatch(value, "string");
    }

    static long int64(ConfValue value) {
        if (value.value() instanceof Long n) {
            return n;
        }
        throw new TypeMismatch(value, "int64");
    }

    @SuppressWarnings("unchecked")
    static Map<String, ConfValue> map(ConfValue value) {
        if (value.value() instanceof Map<?, ?> m) {
            return (Map<String, ConfValue>) m;
        }
        throw new TypeMismatch(value, "map[string]interface {}");
    }

    @SuppressWarnings("unchecked")
    static List<ConfValue> list(ConfValue value) {
        if (value.value() instanceof List<?> l) {
            return (List<ConfValue>) l;
        }
        throw new TypeMismatch(value, "[]interface {}");
    }

    static boolean bool(ConfValue value) {
        if (value.value() instanceof Boolean b) {
            return b;
        }
        throw new TypeMismatch(value, "bool");
    }

    /** Empty means "not set" for the file options, as in nats-server. */
    private static Path path(String value) {
        return value.isEmpty() ? null : Path.of(value);
    }

    /**
     * Go holds these in a 64-bit {@code int}; jnatsd in a Java {@code int}, so out-of-range values saturate
     * (every such value already means "practically unlimited").
     */
    private static int toInt(long value) {
        return (int) Math.clamp(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The Go type name nats-server's messages show for a parsed value ({@code %T}). */
    static String goType(Object value) {
        return switch (value) {
            case String s -> "string";
            case Long n -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case Instant t -> "time.Time";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            case null -> "<nil>";
            default -> value.getClass().getSimpleName();
        };
    }
}
