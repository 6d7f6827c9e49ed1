package io.jnatsd.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Formats a Logback event as a nats-server log line:
 * <pre>
 * [&lt;pid&gt;] 2006/01/02 15:04:05.000000 [INF] message\n     logtime on (local time, or UTC without a marker)
 * [&lt;pid&gt;] [INF] message\n                                logtime off
 * </pre>
 * The level tag is {@code [INF]}, {@code [WRN]}, {@code [ERR]}, {@code [FTL]}, {@code [DBG]} or {@code [TRC]},
 * coloured with ANSI codes only when built for a terminal. A throwable attached to the event follows on the next
 * lines. Immutable and thread-safe.
 */
public final class NatsLayout extends LayoutBase<ILoggingEvent> {

    private final String pidPrefix;
    private final boolean logtime;
    private final ZoneId zone;
    private final boolean colours;

    /**
     * @param logtime  write the timestamp ({@code logtime}, default true)
     * @param utc      timestamps in UTC instead of local time ({@code logtime_utc})
     * @param colours  colour the level tag (only for a terminal stderr)
     */
    public NatsLayout(boolean logtime, boolean utc, boolean colours) {
        this(logtime, utc ? ZoneOffset.UTC : ZoneId.systemDefault(), colours);
    }

    NatsLayout(boolean logtime, ZoneId zone, boolean colours) {
        this.pidPrefix = ProcessIdentity.pidPrefix();
        this.logtime = logtime;
        this.zone = zone;
        this.colours = colours;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return format(NatsLevel.of(event), event.getFormattedMessage(), event.getThrowableProxy(),
                event.getInstant());
    }

    /** The line for a message logged at {@code now}, as {@link #doLayout} would write it. */
    String line(NatsLevel level, String message, Instant now) {
        return format(level, message, null, now);
    }

    private String format(NatsLevel level, String message, IThrowableProxy thrown, Instant time) {
        // nats-server: logger/log.go NewStdLogger/NewFileLogger (Go log flags LstdFlags|Lmicroseconds, pid prefix)
        StringBuilder line = new StringBuilder(160);
        line.append(pidPrefix);
        if (logtime) {
            appendTimestamp(line, LocalDateTime.ofInstant(time, zone));
        }
        line.append(level.label(colours));
        line.append(message);
        if (thrown != null) {
            if (!endsWithNewline(line)) {
                line.append('\n');
            }
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        if (!endsWithNewline(line)) {
            line.append('\n');          // Go's log.Logger adds the newline only when missing
        }
        return line.toString();
    }

    /**
     * A line the file rotator writes itself: pid, local timestamp (even with {@code logtime_utc}), plain tag,
     * message and {@code \r\n}.
     */
    String rotatorLine(NatsLevel level, String message, Instant now) {
        // nats-server: logger/log.go fileLogger.logDirect
        StringBuilder line = new StringBuilder(160);
        line.append(pidPrefix);
        if (logtime) {
            appendTimestamp(line, LocalDateTime.ofInstant(now, ZoneId.systemDefault()));
        }
        return line.append(level.label(false)).append(message).append("\r\n").toString();
    }

    boolean colours() {
        return colours;
    }

    /** This layout, or a copy of it with plain level tags. */
    NatsLayout withoutColours() {
        return colours ? new NatsLayout(logtime, zone, false) : this;
    }

    private static boolean endsWithNewline(StringBuilder line) {
        return !line.isEmpty() && line.charAt(line.length() - 1) == '\n';
    }

    /** {@code 2006/01/02 15:04:05.000000 } (with the trailing space). */
    private static void appendTimestamp(StringBuilder line, LocalDateTime time) {
        appendPadded(line, time.getYear(), 4).append('/');
        appendPadded(line, time.getMonthValue(), 2).append('/');
        appendPadded(line, time.getDayOfMonth(), 2).append(' ');
        appendPadded(line, time.getHour(), 2).append(':');
        appendPadded(line, time.getMinute(), 2).append(':');
        appendPadded(line, time.getSecond(), 2).append('.');
        appendPadded(line, time.getNano() / 1000, 6).append(' ');
    }

    private static StringBuilder appendPadded(StringBuilder line, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            line.append('0');
        }
        return line.append(digits);
    }
}
