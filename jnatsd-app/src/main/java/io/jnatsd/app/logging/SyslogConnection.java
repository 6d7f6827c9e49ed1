package io.jnatsd.app.logging;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One open connection to a syslog daemon, as Go's {@code net.Dial} would give {@code log/syslog}: a UDP or unix
 * datagram socket (one message per datagram) or a TCP or unix stream socket (messages back to back, each ending in
 * {@code \n}). Not thread-safe: {@link SyslogWriter} serialises its use.
 */
interface SyslogConnection extends AutoCloseable {

    /** Sends one framed message, blocking until the socket took all of it. */
    void send(byte[] frame) throws IOException;

    /** Go's {@code LocalAddr().String()}, e.g. {@code 127.0.0.1:40000}; empty for unix sockets. */
    String localAddress();

    /** Whether the calling thread is the one doing this connection's I/O (and so must never wait for it). */
    default boolean isIoThread() {
        return false;
    }

    @Override
    void close();

    /**
     * Dials {@code network} ({@code udp}, {@code tcp} or {@code unix} stream) at {@code address}.
     *
     * @throws IOException whose message is Go's dial error text, e.g.
     *                     {@code dial tcp 127.0.0.1:9: connect: connection refused}
     */
    static SyslogConnection dial(String network, String address) throws IOException {
        if (address.isEmpty()) {
            throw new IOException("dial " + network + ": missing address");
        }
        if (network.equals("unix")) {
            return unixStream(Path.of(address));
        }
        InetSocketAddress target = resolve(network, address);
        String shown = hostPort(target.getAddress(), target.getPort());
        try {
            return network.equals("udp") ? new Socket<>(connectUdp(target)) : new Socket<>(SocketChannel.open(target));
        } catch (IOException e) {
            throw new IOException(GoText.dialError(network, shown, e), e);
        }
    }

    /** A unix stream socket (remote {@code unix://} URLs, and local syslog daemons without a datagram socket). */
    static SyslogConnection unixStream(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return new Socket<>(channel);
        } catch (IOException e) {
            channel.close();
            throw new IOException(GoText.dialError("unix", path.toString(), e), e);
        }
    }

    /** A unix datagram socket, through netty's epoll transport (the JDK has none). */
    static SyslogConnection unixDatagram(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("dial unixgram " + path + ": connect: no such file or directory");
        }
        if (!Epoll.isAvailable()) {
            throw new IOException("dial unixgram " + path + ": epoll transport unavailable",
                    Epoll.unavailabilityCause());
        }
        ChannelFuture connected = new Bootstrap()
                .group(DatagramLoop.GROUP)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new DomainSocketAddress(path.toString()))
                .awaitUninterruptibly();
        if (!connected.isSuccess()) {
            connected.channel().close();
            throw new IOException("dial unixgram " + path + ": " + connected.cause().getMessage(), connected.cause());
        }
        return new UnixDatagram(connected.channel());
    }

    private static InetSocketAddress resolve(String network, String address) throws IOException {
        // nats-server leaves this to Go's net.SplitHostPort and resolver
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0) {
                throw addressError(network, address, "missing ']' in address");
            }
            if (close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw addressError(network, address, "missing port in address");
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw addressError(network, address, "missing port in address");
            }
            host = address.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                throw addressError(network, address, "too many colons in address");
            }
            port = address.substring(colon + 1);
        }
        int portNumber;
        try {
            portNumber = port.isEmpty() ? 0 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw addressError(network, port, "invalid port");
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw addressError(network, port, "invalid port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (IOException e) {
            throw new IOException("dial " + network + ": lookup " + host + ": no such host", e);
        }
    }

    private static IOException addressError(String network, String address, String reason) {
        return new IOException("dial " + network + ": address " + address + ": " + reason);
    }

    private static DatagramChannel connectUdp(InetSocketAddress target) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            return channel.connect(target);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Go's {@code JoinHostPort(ip.String(), port)}: IPv6 in brackets, in its shortest form. */
    private static String hostPort(InetAddress address, int port) {
        if (address instanceof Inet6Address ipv6) {
            StringBuilder text = new StringBuilder("[").append(compressed(ipv6.getAddress()));
            if (ipv6.getScopedInterface() != null) {
                text.append('%').append(ipv6.getScopedInterface().getName());
            } else if (ipv6.getScopeId() != 0) {
                text.append('%').append(ipv6.getScopeId());
            }
            return text.append("]:").append(port).toString();
        }
        return address.getHostAddress() + ":" + port;
    }

    /** RFC 5952 text of an IPv6 address: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    private static String compressed(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = Math.max(end, i + 1);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? hostPort(inet.getAddress(), inet.getPort()) : "";
    }

    /** The event loop for unix datagram sockets: one daemon thread, created on first use. */
    final class DatagramLoop {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("jnatsd-syslog", true), EpollIoHandler.newFactory());

        private DatagramLoop() {
        }
    }

    /** A TCP or unix stream socket, or a connected UDP socket. */
    final class Socket<C extends ByteChannel & NetworkChannel> implements SyslogConnection {
        private final C channel;

        Socket(C channel) {
            this.channel = channel;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            writeFully(channel, frame);
        }

        @Override
        public String localAddress() {
            try {
                return describe(channel.getLocalAddress());
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }

    /** Connected unix datagram socket on netty's epoll loop; {@link #send} waits for the write to complete. */
    final class UnixDatagram implements SyslogConnection {
        private final Channel channel;

        UnixDatagram(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            ChannelFuture written = channel.writeAndFlush(Unpooled.wrappedBuffer(frame)).awaitUninterruptibly();
            if (!written.isSuccess()) {
                throw new IOException("write unixgram: " + written.cause().getMessage(), written.cause());
            }
        }

        @Override
        public String localAddress() {
            return "";
        }

        @Override
        public boolean isIoThread() {
            return channel.eventLoop().inEventLoop();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
        }
    }

    private static void writeFully(ByteChannel channel, byte[] frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void closeQuietly(ByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a broken syslog socket
        }
    }
}
