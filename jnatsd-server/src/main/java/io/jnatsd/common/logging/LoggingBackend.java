package io.jnatsd.common.logging;

import io.jnatsd.config.ServerOptions.LoggingOptions;

/**
 * What the server may ask of the logging system of the process that hosts it. The jnatsd app installs a
 * Logback implementation that writes nats-server's line format; an embedding application keeps its own SLF4J
 * setup and uses {@link #HOST_MANAGED}.
 */
public interface LoggingBackend {

    /**
     * A logging set-up ready to replace the current one (its file opened, its syslog connection made): nothing
     * has changed until {@link #commit()}. A reload prepares the new set-up before it changes anything, so that a
     * destination that cannot be set up fails the reload and leaves the running logger as it was.
     */
    interface Prepared {

        /** Switches to the prepared set-up. */
        void commit();

        /** Drops the prepared set-up (closes what it opened); the current one stays. */
        void discard();
    }

    /** Applies (or re-applies, on reload) the logging options: destination, timestamps, levels. */
    void configure(LoggingOptions options);

    /**
     * Prepares {@code options} for a later {@link Prepared#commit()}. The default defers all the work to the
     * commit, which then cannot fail for lack of a destination.
     *
     * @throws RuntimeException with nats-server's text when the destination cannot be set up; nothing changed
     */
    default Prepared prepare(LoggingOptions options) {
        return new Prepared() {
            @Override
            public void commit() {
                configure(options);
            }

            @Override
            public void discard() {
                // nothing was set up
            }
        };
    }

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
