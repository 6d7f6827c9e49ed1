package io.jnatsd.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Start-time checks of a complete {@link ServerOptions}, with nats-server's texts. These run when a server is
 * created (also for embedded options that never saw a config file) and are skipped by {@code -t}, as in
 * nats-server. Stateless; thread-safe.
 */
public final class OptionsValidator {

    /** Payloads above this get a startup warning ({@code server/const.go MAX_PAYLOAD_MAX_SIZE}). */
    public static final int MAX_PAYLOAD_WARNING_BYTES = 8 * 1024 * 1024;

    /** The banner warning for {@link #MAX_PAYLOAD_WARNING_BYTES}. */
    public static final String MAX_PAYLOAD_WARNING =
            "Maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance";

    private OptionsValidator() {
    }

    /**
     * The first problem that must stop the server from being created, as nats-server words it; the caller prints
     * {@code nats-server: <text>} and exits 1.
     */
    // nats-server: server.go validateOptions (core checks)
    public static Optional<String> validate(ServerOptions options) {
        if (options.lameDuckDuration().isPositive()
                && options.lameDuckGracePeriod().compareTo(options.lameDuckDuration()) >= 0) {
            return Optional.of("lame duck grace period (" + GoDuration.format(options.lameDuckGracePeriod())
                    + ") should be strictly lower than lame duck duration ("
                    + GoDuration.format(options.lameDuckDuration()) + ")");
        }
        if (options.maxPayload() > options.maxPendingBytes()) {
            return Optional.of("max_payload (" + options.maxPayload() + ") cannot be higher than max_pending ("
                    + options.maxPendingBytes() + ")");
        }
        if (options.serverName() != null && options.serverName().contains(" ")) {
            return Optional.of("server name cannot contain spaces");
        }
        return Optional.empty();
    }

    /**
     * The problem that stops the monitoring listener, checked when monitoring starts; nats-server logs it as
     * {@code [FTL] Can't start monitoring: <text>} and exits 1. HTTPS needs the client TLS configuration.
     */
    // nats-server: server.go StartMonitoring
    public static Optional<String> validateMonitoring(ServerOptions options) {
        if (options.httpPort() != 0 && options.httpsPort() != 0) {
            return Optional.of("can't specify both HTTP (" + options.httpPort() + ") and HTTPs ("
                    + options.httpsPort() + ") ports");
        }
        if (options.httpsPort() != 0 && !options.tls().enabled()) {
            return Optional.of("TLS cert and key required for HTTPS");
        }
        return Optional.empty();
    }

    /** Warnings the startup banner prints (each a complete log message, logged at WRN). */
    // nats-server: server.go Start
    public static List<String> startupWarnings(ServerOptions options) {
        List<String> warnings = new ArrayList<>();
        if (options.maxPayload() > MAX_PAYLOAD_WARNING_BYTES) {
            warnings.add(MAX_PAYLOAD_WARNING);
        }
        return warnings;
    }
}
