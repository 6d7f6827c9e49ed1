package io.jnatsd.config;

import java.util.Optional;

/**
 * What the process should do after {@link CommandLine#parse}: run a server, print and exit, or signal a running
 * server. The library never exits the JVM; the application turns these into process actions. Immutable.
 */
public sealed interface CommandLineResult {

    /**
     * Start a server with these options.
     *
     * @param options      the complete options (defaults, config file, flags; unset values at their defaults)
     * @param flags        the flags given, to re-apply after a config reload
     * @param configReport the config file's warnings (printed to stderr before starting) and digest; empty when
     *                     no file was given
     */
    record Run(ServerOptions options, CommandLineFlags flags, ConfigReport configReport)
            implements CommandLineResult {

        /** What to print to stderr before starting: the config warnings as nats-server prints them. */
        public String stderr() {
            return configReport.text();
        }

        /** {@code sha256:<hex>} of the config file, or empty without one. */
        public String configDigest() {
            return configReport.digest();
        }
    }

    /**
     * Print {@code stdout} and {@code stderr} (each exactly as given, newlines included) and exit.
     *
     * @param stdout   text for standard output
     * @param stderr   text for standard error
     * @param exitCode the process exit code
     */
    record PrintAndExit(String stdout, String stderr, int exitCode) implements CommandLineResult {

        /** An error nats-server reports as {@code nats-server: <message>} with exit code 1. */
        static PrintAndExit fatal(String message) {
            return new PrintAndExit("", Versions.PROGRAM_NAME + ": " + message + "\n", 1);
        }
    }

    /**
     * Send a signal to a running server ({@code --signal}), then exit.
     *
     * @param command the parsed signal command
     */
    record Signal(SignalCommand command) implements CommandLineResult {

        /** Sends the signal and says how the process ends: silently with 0, or with the error and 1. */
        public PrintAndExit execute() {
            Optional<String> error = command.send();
            return error.map(PrintAndExit::fatal).orElseGet(() -> new PrintAndExit("", "", 0));
        }
    }
}
