package io.jnatsd.systest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures what some of the server's loggers write (at debug level and above) while a test runs, in this JVM.
 * {@link #close()} restores the loggers. Thread-safe for reading while the server logs.
 */
final class LogCapture implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String... names) {
        appender.start();
        for (String name : names) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            loggers.add(logger);
            levels.add(logger.getLevel());
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(appender);
        }
    }

    /** Starts capturing the loggers of {@code sources}. */
    static LogCapture of(Class<?>... sources) {
        String[] names = new String[sources.length];
        for (int i = 0; i < sources.length; i++) {
            names[i] = sources[i].getName();
        }
        return new LogCapture(names);
    }

    /** Starts capturing the loggers named {@code names} (for classes a test cannot see). */
    static LogCapture ofNames(String... names) {
        return new LogCapture(names);
    }

    /** The messages so far, each as {@code [LEVEL] message}. */
    List<String> lines() {
        synchronized (appender.list) {
            List<String> lines = new ArrayList<>();
            for (ILoggingEvent event : new ArrayList<>(appender.list)) {
                lines.add("[" + event.getLevel() + "] " + event.getFormattedMessage());
            }
            return lines;
        }
    }

    /** Waits until a line contains {@code text} and returns it. */
    String await(String text) {
        String[] found = new String[1];
        Await.until(Duration.ofSeconds(10), () -> "a log line with \"" + text + "\" in " + lines(), () -> {
            for (String line : lines()) {
                if (line.contains(text)) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            Logger logger = loggers.get(i);
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(levels.get(i));
        }
        appender.stop();
    }
}
