package io.jnatsd.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.jnatsd.common.logging.LoggingBackend;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.ServerOptions.LoggingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The jnatsd app's {@link LoggingBackend}: points Logback's root logger at nats-server's destination for the
 * options (log_file, else remote_syslog, else syslog, else stderr), sets the levels and the
 * {@link NatsLogger} debug/trace gates. Library loggers (netty and others) stay at WARN.
 * <p>
 * Called from the app's main and signal threads; {@link #configure} and {@link #reopen} are serialised.
 */
public final class LogbackBackend implements LoggingBackend {

    /** Loggers of libraries we depend on, kept quiet unless debug is on. */
    static final List<String> LIBRARY_LOGGERS = List.of("io.netty", "com.fasterxml.jackson", "org.agrona");

    private final LoggerContext context;
    private final List<Path> localSyslogSockets;
    private NatsFileAppender fileAppender;       // the current destination when it is a file, else null

    /** Uses the Logback context SLF4J is bound to. */
    public LogbackBackend() {
        this(logbackContext(), SyslogWriter.LOCAL_SOCKETS);
    }

    LogbackBackend(LoggerContext context, List<Path> localSyslogSockets) {
        this.context = context;
        this.localSyslogSockets = List.copyOf(localSyslogSockets);
    }

    /**
     * Replaces the root logger's output with the destination {@code options} ask for. On failure the previous
     * output stays in place.
     *
     * @throws LoggingSetupException with nats-server's fatal text when the destination cannot be set up
     */
    @Override
    public synchronized void configure(LoggingOptions options) {
        prepare(options).commit();
    }

    /**
     * Creates and starts the appender {@code options} ask for (opens the file, connects to syslog); the root
     * logger keeps its output until the commit.
     *
     * @throws LoggingSetupException with nats-server's fatal text when the destination cannot be set up
     */
    @Override
    public synchronized Prepared prepare(LoggingOptions options) {
        // nats-server: server/log.go ConfigureLogger
        Appender<ILoggingEvent> appender = createAppender(options);
        appender.setContext(context);
        appender.start();
        return new Prepared() {
            @Override
            public void commit() {
                switchTo(appender, options);
            }

            @Override
            public void discard() {
                appender.stop();
            }
        };
    }

    private synchronized void switchTo(Appender<ILoggingEvent> appender, LoggingOptions options) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> existing = it.next();
            if (existing != appender) {
                previous.add(existing);
            }
        }
        for (Appender<ILoggingEvent> old : previous) {
            root.detachAppender(old);
            old.stop();
        }
        fileAppender = appender instanceof NatsFileAppender file ? file : null;

        boolean trace = options.trace() || options.traceVerbose();
        root.setLevel(trace ? Level.TRACE : options.debug() ? Level.DEBUG : Level.INFO);
        for (String library : LIBRARY_LOGGERS) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        NatsLogger.setLevels(options.debug(), trace);
    }

    /**
     * Reopens the log file (SIGUSR1).
     *
     * @return false when the destination is not a file
     * @throws LoggingSetupException when the file cannot be opened again
     */
    @Override
    public synchronized boolean reopen() {
        if (fileAppender == null) {
            return false;
        }
        fileAppender.reopen();
        return true;
    }

    private Appender<ILoggingEvent> createAppender(LoggingOptions options) {
        if (options.logFile() != null && !options.logFile().toString().isEmpty()) {
            NatsLayout layout = new NatsLayout(options.logtime(), options.logtimeUtc(), false);
            layout.setContext(context);
            layout.start();
            return new NatsFileAppender(options.logFile(), layout, options.logSizeLimitBytes(),
                    options.logMaxFiles());
        }
        if (options.remoteSyslog() != null && !options.remoteSyslog().isEmpty()) {
            return new NatsSyslogAppender(SyslogWriter.remote(options.remoteSyslog(), ProcessIdentity.syslogTag()));
        }
        if (options.syslog()) {
            return new NatsSyslogAppender(SyslogWriter.local(localSyslogSockets, ProcessIdentity.syslogTag()));
        }
        NatsStderrAppender stderr = new NatsStderrAppender();
        stderr.setLogtime(options.logtime());
        stderr.setUtc(options.logtimeUtc());
        return stderr;
    }

    private static LoggerContext logbackContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("SLF4J is not bound to Logback but to " + factory.getClass().getName());
    }
}
