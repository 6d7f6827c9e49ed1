package io.jnatsd.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.jnatsd.config.ServerOptions.LoggingOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Marker;

/** Builds Logback events and logging options for the tests. */
final class TestEvents {

    static final String PID_PREFIX = "[" + ProcessHandle.current().pid() + "] ";
    /** {@code 2006/01/02 15:04:05.000000 } */
    static final String TIMESTAMP = "\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} ";

    private static final LoggerContext CONTEXT = new LoggerContext();

    private TestEvents() {
    }

    static LoggingEvent event(Level level, String message) {
        return event(level, message, null, null);
    }

    static LoggingEvent event(Level level, String message, Marker marker, Throwable thrown) {
        LoggingEvent event = new LoggingEvent(TestEvents.class.getName(), CONTEXT.getLogger("test"), level, message,
                thrown, null);
        if (marker != null) {
            event.addMarker(marker);
        }
        return event;
    }

    static LoggingEvent event(Level level, String message, Instant instant) {
        LoggingEvent event = event(level, message);
        event.setInstant(instant);
        return event;
    }

    /** Options with logtime off. */
    static LoggingOptions options(boolean debug, boolean trace, Path logFile, String remoteSyslog, boolean syslog) {
        return new LoggingOptions(debug, trace, false, false, false, false, logFile, 0, 0, syslog, remoteSyslog, 0);
    }
}
