package io.jnatsd.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.jnatsd.common.logging.NatsLogger;
import java.util.List;
import org.slf4j.Marker;

/**
 * nats-server's six log levels with their line label, terminal colour and syslog severity. Immutable.
 */
enum NatsLevel {
    // nats-server: logger/log.go setPlainLabelFormats, setColoredLabelFormats; logger/syslog.go (trace → Notice)
    INF("INF", "32", 5),
    WRN("WRN", "0;93", 4),
    ERR("ERR", "31", 3),
    FTL("FTL", "31", 2),
    DBG("DBG", "36", 7),
    TRC("TRC", "33", 5);

    private final String plainLabel;
    private final String colouredLabel;
    private final int syslogSeverity;

    NatsLevel(String name, String colourCode, int syslogSeverity) {
        this.plainLabel = "[" + name + "] ";
        this.colouredLabel = "[\u001b[" + colourCode + "m" + name + "\u001b[0m] ";
        this.syslogSeverity = syslogSeverity;
    }

    /** The tag written before the message, including its trailing space: {@code "[INF] "}. */
    String label(boolean coloured) {
        return coloured ? colouredLabel : plainLabel;
    }

    /** RFC 5424 severity: notice 5, warning 4, err 3, crit 2, debug 7. */
    int syslogSeverity() {
        return syslogSeverity;
    }

    /** The nats-server level of a Logback event; ERROR carrying {@link NatsLogger#FATAL} is {@link #FTL}. */
    static NatsLevel of(ILoggingEvent event) {
        Level level = event.getLevel();
        if (level.levelInt >= Level.ERROR_INT) {
            return isFatal(event.getMarkerList()) ? FTL : ERR;
        }
        if (level.levelInt >= Level.WARN_INT) {
            return WRN;
        }
        if (level.levelInt >= Level.INFO_INT) {
            return INF;
        }
        if (level.levelInt >= Level.DEBUG_INT) {
            return DBG;
        }
        return TRC;
    }

    private static boolean isFatal(List<Marker> markers) {
        if (markers == null) {
            return false;
        }
        for (Marker marker : markers) {
            if (marker.contains(NatsLogger.FATAL)) {
                return true;
            }
        }
        return false;
    }
}
