package io.jnatsd.common.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * nats-server's logger interface on SLF4J. Levels map as: notice → INFO ({@code [INF]}), warn → WARN
 * ({@code [WRN]}), error → ERROR ({@code [ERR]}), fatal → ERROR with the {@link #FATAL} marker ({@code [FTL]}),
 * debug → DEBUG ({@code [DBG]}), trace → TRACE ({@code [TRC]}). Debug and trace are emitted only while the
 * server's {@code debug}/{@code trace} options are on (process-wide switches, as nats-server has one logger per
 * process), and only if SLF4J has the level enabled too.
 * <p>
 * Messages are complete strings: callers build them only after checking {@link #isDebugEnabled()} or
 * {@link #isTraceEnabled()} where that is costly. Thread-safe.
 */
public final class NatsLogger {

    /** Marks a fatal line, rendered {@code [FTL]} by the jnatsd layout. */
    public static final Marker FATAL = MarkerFactory.getMarker("FATAL");

    private static volatile boolean debugEnabled;
    private static volatile boolean traceEnabled;

    private final Logger logger;

    private NatsLogger(Logger logger) {
        this.logger = logger;
    }

    /** A logger named after {@code type}. */
    public static NatsLogger get(Class<?> type) {
        return new NatsLogger(LoggerFactory.getLogger(type));
    }

    /** Switches the debug and trace gates (from {@code -D}, {@code -V} and their config keys). */
    public static void setLevels(boolean debug, boolean trace) {
        debugEnabled = debug;
        traceEnabled = trace;
    }

    public boolean isDebugEnabled() {
        return debugEnabled && logger.isDebugEnabled();
    }

    public boolean isTraceEnabled() {
        return traceEnabled && logger.isTraceEnabled();
    }

    public void notice(String message) {
        logger.info(message);
    }

    public void warn(String message) {
        logger.warn(message);
    }

    public void error(String message) {
        logger.error(message);
    }

    public void error(String message, Throwable cause) {
        logger.error(message, cause);
    }

    /** Logs at {@code [FTL]}; the caller decides whether the process exits. */
    public void fatal(String message) {
        logger.error(FATAL, message);
    }

    public void debug(String message) {
        if (debugEnabled) {
            logger.debug(message);
        }
    }

    public void trace(String message) {
        if (traceEnabled) {
            logger.trace(message);
        }
    }
}
