package io.jnatsd.common.logging;

import io.jnatsd.config.ServerOptions.LoggingOptions;

/**
 * What the server may ask of the logging system of the process that hosts it. The jnatsd app installs a
 * Logback implementation that writes nats-server's line format; an embedding application keeps its own SLF4J
 * setup and uses {@link #HOST_MANAGED}.
 */
public interface LoggingBackend {

    /** Applies (or re-applies, on reload) the logging options: destination, timestamps, levels. */
    void configure(LoggingOptions options);

    /**
     * Reopens the log file (SIGUSR1), so that an external rotation tool can move it away.
     *
     * @return false when the output is not a file, in which case the server logs that the re-open was ignored
     */
    boolean reopen();

    /** The host owns its logging configuration: options only switch the server's debug/trace gates. */
    LoggingBackend HOST_MANAGED = new LoggingBackend() {
        @Override
        public void configure(LoggingOptions options) {
            NatsLogger.setLevels(options.debug(), options.trace() || options.traceVerbose());
        }

        @Override
        public boolean reopen() {
            return false;
        }
    };
}
