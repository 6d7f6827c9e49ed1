package io.jnatsd.app.logging;

import static io.jnatsd.app.logging.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.jnatsd.common.logging.NatsLogger;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogWriterTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final int TIMEOUT_MS = 10_000;
    /** Go's time.Stamp, {@code Jan _2 15:04:05}. */
    private static final String STAMP = "[A-Z][a-z]{2} [ 1-3]\\d \\d{2}:\\d{2}:\\d{2}";

    @TempDir
    Path dir;

    @Test
    void shouldSendRfc3164DatagramWithHostnameToRemoteUdp() throws IOException {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(TIMEOUT_MS);
            NatsSyslogAppender appender = start(SyslogWriter.remote("udp://127.0.0.1:" + server.getLocalPort(),
                    "jnatsd"));
            Instant now = Instant.parse("2024-07-08T09:10:11Z");

            appender.doAppend(event(Level.INFO, "Server is ready", now));
            appender.doAppend(event(Level.WARN, "warned", now));
            appender.doAppend(event(Level.ERROR, "failed", now));
            appender.doAppend(event(Level.ERROR, "fatal", NatsLogger.FATAL, null));
            appender.doAppend(event(Level.DEBUG, "debugged", now));
            appender.doAppend(event(Level.TRACE, "traced", now));
            appender.stop();

            String rfc3339 = ZonedDateTime.ofInstant(now, ZoneId.systemDefault())
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            String header = " " + ProcessIdentity.hostname() + " jnatsd[" + PID + "]: ";
            assertThat(receive(server)).isEqualTo("<5>" + rfc3339 + header + "Server is ready\n");
            assertThat(receive(server)).isEqualTo("<4>" + rfc3339 + header + "warned\n");
            assertThat(receive(server)).isEqualTo("<3>" + rfc3339 + header + "failed\n");
            assertThat(receive(server)).matches("<2>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})"
                    + Pattern.quote(header + "fatal\n"));
            assertThat(receive(server)).isEqualTo("<7>" + rfc3339 + header + "debugged\n");
            assertThat(receive(server)).isEqualTo("<5>" + rfc3339 + header + "traced\n");
        }
    }

    @Test
    void shouldStreamNewlineTerminatedMessagesToRemoteTcp() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(TIMEOUT_MS);
            NatsSyslogAppender appender = start(SyslogWriter.remote("tcp://127.0.0.1:" + server.getLocalPort(),
                    "nats-server"));
            Instant now = Instant.parse("2024-07-08T09:10:11Z");
            appender.doAppend(event(Level.INFO, "one", now));
            appender.doAppend(event(Level.ERROR, "two\n", now));

            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(TIMEOUT_MS);
                BufferedReader reader = new BufferedReader(new InputStreamReader(accepted.getInputStream(),
                        StandardCharsets.UTF_8));
                String rfc3339 = ZonedDateTime.ofInstant(now, ZoneId.systemDefault())
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                String header = " " + ProcessIdentity.hostname() + " nats-server[" + PID + "]: ";
                assertThat(reader.readLine()).isEqualTo("<5>" + rfc3339 + header + "one");
                assertThat(reader.readLine()).isEqualTo("<3>" + rfc3339 + header + "two");
            } finally {
                appender.stop();
            }
        }
    }

    @Test
    void shouldUseLocalFormatWithoutHostnameForUnixUrl() throws IOException {
        Path socket = dir.resolve("remote.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            NatsSyslogAppender appender = start(SyslogWriter.remote("unix://" + socket, "jnatsd"));
            appender.doAppend(event(Level.WARN, "careful"));
            try (SocketChannel accepted = server.accept()) {
                assertThat(readLine(accepted)).matches("<4>" + STAMP + " jnatsd\\[" + PID + "\\]: careful\n");
            } finally {
                appender.stop();
            }
        }
    }

    @Test
    void shouldSendToLocalDaemonDatagramSocketWithFacilityDaemon() throws Exception {
        Path socket = dir.resolve("log");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Channel daemon = new Bootstrap()
                .group(SyslogConnection.DatagramLoop.GROUP)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(socket.toString())).sync().channel();
        try {
            NatsSyslogAppender appender = start(SyslogWriter.local(List.of(dir.resolve("missing"), socket),
                    "jnatsd"));
            appender.doAppend(event(Level.INFO, "hello"));
            appender.doAppend(event(Level.ERROR, "dead", NatsLogger.FATAL, null));
            appender.doAppend(event(Level.DEBUG, "dbg"));
            appender.stop();

            assertThat(received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .matches("<29>" + STAMP + " jnatsd\\[" + PID + "\\]: hello\n");
            assertThat(received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .matches("<26>" + STAMP + " jnatsd\\[" + PID + "\\]: dead\n");
            assertThat(received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .matches("<31>" + STAMP + " jnatsd\\[" + PID + "\\]: dbg\n");
        } finally {
            daemon.close().sync();
        }
    }

    @Test
    void shouldFallBackToLocalDaemonStreamSocket() throws IOException {
        Path socket = dir.resolve("stream-log");
        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(socket));
            NatsSyslogAppender appender = start(SyslogWriter.local(List.of(socket), "jnatsd"));
            appender.doAppend(event(Level.WARN, "via stream"));
            try (SocketChannel accepted = daemon.accept()) {
                assertThat(readLine(accepted)).matches("<28>" + STAMP + " jnatsd\\[" + PID + "\\]: via stream\n");
            } finally {
                appender.stop();
            }
        }
    }

    @Test
    void shouldFormatLocalStampWithSpacePaddedDay() throws IOException {
        Path socket = dir.resolve("stamp-log");
        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(socket));
            SyslogWriter writer = SyslogWriter.local(List.of(socket), "jnatsd");
            writer.close();
            Instant early = ZonedDateTime.of(2024, 3, 5, 7, 8, 9, 0, ZoneId.systemDefault()).toInstant();
            Instant late = ZonedDateTime.of(2024, 12, 25, 23, 59, 0, 0, ZoneId.systemDefault()).toInstant();

            assertThat(new String(writer.frame(29, "m", early), StandardCharsets.UTF_8))
                    .isEqualTo("<29>Mar  5 07:08:09 jnatsd[" + PID + "]: m\n");
            assertThat(new String(writer.frame(26, "m\n", late), StandardCharsets.UTF_8))
                    .isEqualTo("<26>Dec 25 23:59:00 jnatsd[" + PID + "]: m\n");
        }
    }

    @Test
    void shouldFailWithGoTextWhenNoLocalDaemon() {
        assertThatThrownBy(() -> SyslogWriter.local(List.of(dir.resolve("none")), "jnatsd"))
                .isInstanceOf(LoggingSetupException.class)
                .hasMessage("error connecting to syslog: \"Unix syslog delivery error\"");
    }

    @Test
    void shouldFailWithGoTextWhenRemoteCannotBeDialled() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThatThrownBy(() -> SyslogWriter.remote("tcp://127.0.0.1:" + closedPort, "jnatsd"))
                .hasMessage("error connecting to syslog: \"dial tcp 127.0.0.1:" + closedPort
                        + ": connect: connection refused\"");
        assertThatThrownBy(() -> SyslogWriter.remote("udp://localhost", "jnatsd"))
                .hasMessage("error connecting to syslog: \"dial udp: address localhost: missing port in address\"");
        assertThatThrownBy(() -> SyslogWriter.remote("unix://" + dir.resolve("nothing"), "jnatsd"))
                .hasMessage("error connecting to syslog: \"dial unix " + dir.resolve("nothing")
                        + ": connect: no such file or directory\"");
    }

    private static NatsSyslogAppender start(SyslogWriter writer) {
        NatsSyslogAppender appender = new NatsSyslogAppender(writer);
        appender.setContext(new LoggerContext());
        appender.start();
        return appender;
    }

    private static String receive(DatagramSocket server) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        server.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (buffer.position() == 0 || buffer.get(buffer.position() - 1) != '\n') {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
