package io.jnatsd.app.logging;

import io.jnatsd.common.GoQuote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A connection to a syslog daemon that writes messages the way Go's {@code log/syslog.Writer} does:
 * <pre>
 * &lt;PRI&gt;Jan _2 15:04:05 TAG[PID]: MSG\n                        local socket (and unix:// URLs)
 * &lt;PRI&gt;2006-01-02T15:04:05Z07:00 HOSTNAME TAG[PID]: MSG\n      udp:// and tcp://
 * </pre>
 * PRI is facility | severity, times are local, and {@code \n} is added only when MSG lacks it. A failed write
 * reconnects once and retries. Thread-safe (every method is synchronized).
 */
final class SyslogWriter implements AutoCloseable {

    /** {@code LOG_DAEMON}, the facility of local syslog. */
    static final int FACILITY_DAEMON = 3 << 3;
    /** {@code LOG_KERN} (0): remote syslog is dialled with priority {@code LOG_DEBUG}, whose facility bits are 0. */
    static final int FACILITY_KERN = 0;
    /** Where Go looks for the local daemon's socket, in order. */
    static final List<Path> LOCAL_SOCKETS = List.of(Path.of("/dev/log"), Path.of("/var/run/syslog"),
            Path.of("/var/run/log"));

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    /** Opens a fresh connection; the message of its exception is Go's error text. */
    @FunctionalInterface
    interface Dialer {
        SyslogConnection dial() throws IOException;
    }

    private final Dialer dialer;
    private final boolean local;
    private final int facility;
    private final String tag;
    private final long pid;
    private final ZoneId zone;
    private String hostname;
    private volatile SyslogConnection connection;     // written with the lock held

    private SyslogWriter(Dialer dialer, boolean local, int facility, String tag, String hostname) {
        this.dialer = dialer;
        this.local = local;
        this.facility = facility;
        this.tag = tag;
        this.pid = ProcessIdentity.pid();
        this.zone = ZoneId.systemDefault();
        this.hostname = hostname;
    }

    /**
     * Connects to the local daemon ({@code syslog: true}): a datagram socket at the first of {@code sockets} that
     * takes one, else a stream socket.
     *
     * @throws LoggingSetupException {@code error connecting to syslog: "Unix syslog delivery error"}
     */
    static SyslogWriter local(List<Path> sockets, String tag) {
        // nats-server: logger/syslog.go NewSysLogger; Go log/syslog unixSyslog
        Dialer dialer = () -> {
            for (Path socket : sockets) {
                try {
                    return SyslogConnection.unixDatagram(socket);
                } catch (IOException e) {
                    // try the next socket
                }
            }
            for (Path socket : sockets) {
                try {
                    return SyslogConnection.unixStream(socket);
                } catch (IOException e) {
                    // try the next socket
                }
            }
            throw new IOException("Unix syslog delivery error");
        };
        return connect(new SyslogWriter(dialer, true, FACILITY_DAEMON, tag, ProcessIdentity.hostname()));
    }

    /**
     * Connects to {@code remote_syslog}.
     *
     * @throws LoggingSetupException for a bad URL (see {@link SyslogAddress#parse}) or
     *                               {@code error connecting to syslog: "<dial error>"}
     */
    static SyslogWriter remote(String url, String tag) {
        // nats-server: logger/syslog.go NewRemoteSysLogger
        SyslogAddress address = SyslogAddress.parse(url);
        Dialer dialer = () -> SyslogConnection.dial(address.network(), address.address());
        boolean local = address.network().equals("unix");
        return connect(new SyslogWriter(dialer, local, FACILITY_KERN, tag, ProcessIdentity.hostname()));
    }

    private static SyslogWriter connect(SyslogWriter writer) {
        synchronized (writer) {
            try {
                writer.reconnect();
            } catch (IOException e) {
                throw new LoggingSetupException("error connecting to syslog: " + GoQuote.quote(e.getMessage()), e);
            }
        }
        return writer;
    }

    /**
     * Sends {@code message} with {@code severity} (0-7), reconnecting once if the connection broke. A message
     * logged by the socket's own I/O thread is dropped: waiting for that thread from itself would deadlock.
     */
    void write(int severity, String message, Instant now) throws IOException {
        SyslogConnection current = connection;
        if (current != null && current.isIoThread()) {
            return;
        }
        writeAndRetry(severity, message, now);
    }

    private synchronized void writeAndRetry(int severity, String message, Instant now) throws IOException {
        // Go log/syslog Writer.writeAndRetry
        byte[] frame = frame(facility | (severity & 0x07), message, now);
        if (connection != null) {
            try {
                connection.send(frame);
                return;
            } catch (IOException e) {
                // reconnect below
            }
        }
        reconnect();
        connection.send(frame);
    }

    /** The bytes Go's {@code netConn.writeString} would send. */
    byte[] frame(int priority, String message, Instant now) {
        ZonedDateTime time = ZonedDateTime.ofInstant(now, zone);
        StringBuilder text = new StringBuilder(message.length() + 64);
        text.append('<').append(priority).append('>');
        if (local) {
            text.append(MONTHS[time.getMonthValue() - 1]).append(' ');
            if (time.getDayOfMonth() < 10) {
                text.append(' ');
            }
            text.append(time.getDayOfMonth()).append(' ');
            appendTwoDigits(text, time.getHour()).append(':');
            appendTwoDigits(text, time.getMinute()).append(':');
            appendTwoDigits(text, time.getSecond());
        } else {
            text.append(RFC3339.format(time)).append(' ').append(hostname);
        }
        text.append(' ').append(tag).append('[').append(pid).append("]: ").append(message);
        if (!message.endsWith("\n")) {
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void reconnect() throws IOException {
        close();
        connection = dialer.dial();
        if (hostname.isEmpty()) {
            hostname = local ? "localhost" : connection.localAddress();
        }
    }

    private static StringBuilder appendTwoDigits(StringBuilder text, int value) {
        if (value < 10) {
            text.append('0');
        }
        return text.append(value);
    }
}
