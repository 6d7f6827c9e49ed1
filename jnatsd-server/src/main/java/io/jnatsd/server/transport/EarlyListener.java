package io.jnatsd.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * The client port bound and listening before the rest of the server is loaded. A JVM needs a few hundred
 * milliseconds to load a whole server (Logback, Netty's platform probing), while tools that launch nats-server
 * connect almost at once (the Java client's test harness tries one connection about 100 ms after the launch). Once
 * this socket listens, the kernel completes those TCP handshakes into the backlog, and the connections are served as
 * soon as {@link ClientListener} adopts the socket.
 * <p>
 * The socket is a plain JDK {@link ServerSocketChannel}, which loads none of that. Under NIO, Netty adopts the
 * channel itself; under epoll, Netty gets a {@code dup(2)} of its descriptor and the JDK channel is closed, so each
 * descriptor has exactly one owner. Reading the descriptor needs {@code --add-opens java.base/sun.nio.ch} (the app
 * jar's manifest grants it); without it {@link #bind} returns null and the server binds as usual.
 * <p>
 * Owns the socket until adopted; {@link #close()} releases an unadopted one. Used by the thread that starts the
 * server only.
 */
public final class EarlyListener implements AutoCloseable {

    private static final int BACKLOG = 1024;
    /** Set by the launcher to the descriptor of the client port it bound before starting the JVM. */
    private static final String INHERITED_PROPERTY = "jnatsd.inheritedListenerFd";
    /** Set by the launcher to the descriptor of the WebSocket port it bound before starting the JVM. */
    private static final String INHERITED_WEBSOCKET_PROPERTY = "jnatsd.inheritedWebSocketFd";

    private final ServerSocketChannel channel;   // bound here, or null for a descriptor the launcher passed
    private final int descriptor;
    private final InetSocketAddress expected;    // the address an inherited descriptor must listen on
    private boolean adopted;

    private EarlyListener(ServerSocketChannel channel, int descriptor, InetSocketAddress expected) {
        this.channel = channel;
        this.descriptor = descriptor;
        this.expected = expected;
    }

    /**
     * Binds {@code host:port} ({@code port} -1 or 0 picks a free one, as the server does for -1).
     *
     * @return the listener, or null when this JVM does not let jnatsd read the socket's descriptor
     * @throws IOException when the address cannot be bound; the caller lets the server's own bind report it
     */
    public static EarlyListener bind(String host, int port) throws IOException {
        int descriptorProbe = -1;
        ServerSocketChannel jdkChannel = ServerSocketChannel.open();
        try {
            jdkChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            jdkChannel.bind(new InetSocketAddress(host, Math.max(port, 0)), BACKLOG);
            jdkChannel.configureBlocking(false);
            descriptorProbe = descriptorOf(jdkChannel);
        } catch (IOException | RuntimeException e) {
            jdkChannel.close();
            throw e;
        }
        if (descriptorProbe < 0) {
            jdkChannel.close();
            return null;
        }
        return new EarlyListener(jdkChannel, descriptorProbe, null);
    }

    private static int descriptorOf(ServerSocketChannel jdkChannel) {
        try {
            Field fdVal = jdkChannel.getClass().getDeclaredField("fdVal");
            fdVal.setAccessible(true);
            return fdVal.getInt(jdkChannel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The listening socket the launcher left open for the JVM ({@code bin/jnatsd} binds the port in a few
     * milliseconds, before the JVM starts, when the port is evident from the command line) and named with
     * {@code -Djnatsd.inheritedListenerFd=<fd>}. It is adopted when the server starts if it listens on
     * {@code host:port} of the final options; otherwise it is closed then and the server binds on its own.
     *
     * @return the listener, or null when the launcher passed none
     */
    public static EarlyListener inherited(String host, int port) {
        return inherited(INHERITED_PROPERTY, host, port);
    }

    /**
     * As {@link #inherited(String, int)}, for the WebSocket listener's port ({@code -Djnatsd.inheritedWebSocketFd}):
     * tools that start a server with a {@code websocket} block connect to that port as early as to the client port.
     */
    public static EarlyListener inheritedWebSocket(String host, int port) {
        return inherited(INHERITED_WEBSOCKET_PROPERTY, host, port);
    }

    private static EarlyListener inherited(String property, String host, int port) {
        int descriptor = Integer.getInteger(property, -1);
        if (descriptor < 0) {
            return null;
        }
        return new EarlyListener(null, descriptor, new InetSocketAddress(host, port));
    }

    /**
     * Starts {@code bootstrap}'s accept loop on this socket.
     *
     * @return the listening channel, or null when the socket could not be adopted (and was closed): the caller
     *         binds on its own
     * @throws InterruptedException when interrupted while registering
     */
    public Channel listen(ServerBootstrap bootstrap, boolean epoll) throws InterruptedException {
        ServerChannel listening;
        try {
            listening = adopt(epoll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (listening == null) {
            return null;
        }
        // Already listening: registering the adopted channel starts the accept loop.
        bootstrap.channelFactory(() -> listening);
        return bootstrap.register().sync().channel();
    }

    /**
     * Hands the socket to Netty, as the transport in use needs it; from now on the returned channel owns it.
     *
     * @return the channel, or null when an inherited descriptor cannot be used (NIO transport, or another address)
     *         and was closed: the caller binds on its own
     */
    private ServerChannel adopt(boolean epoll) throws IOException {
        if (adopted) {
            throw new IllegalStateException("early listener already adopted");
        }
        adopted = true;
        if (channel == null) {
            if (!epoll) {
                closeDescriptor(descriptor);
                return null;
            }
            EpollServerSocketChannel inherited = new EpollServerSocketChannel(descriptor);
            InetSocketAddress local = inherited.localAddress();
            if (local == null || local.getPort() != expected.getPort()
                    || !local.getAddress().equals(expected.getAddress())) {
                closeDescriptor(descriptor);    // the channel was never registered: Netty cannot close it
                return null;
            }
            return inherited;
        }
        if (!epoll) {
            return new NioServerSocketChannel(channel);
        }
        int copy = dup(descriptor);
        channel.close();
        return new EpollServerSocketChannel(copy);
    }

    private static void closeDescriptor(int descriptor) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int ignored = (int) close.invokeExact(descriptor);
        } catch (Throwable e) {
            // the descriptor stays open until the process exits; the server binds on its own anyway
        }
    }

    private static int dup(int descriptor) throws IOException {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup = linker.downcallHandle(linker.defaultLookup().find("dup").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int copy = (int) dup.invokeExact(descriptor);
            if (copy < 0) {
                throw new IOException("dup(" + descriptor + ") failed");
            }
            return copy;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("dup(" + descriptor + "): " + e, e);
        }
    }

    /** Closes the socket unless the server adopted it. */
    @Override
    public void close() throws IOException {
        if (!adopted) {
            adopted = true;
            if (channel == null) {
                closeDescriptor(descriptor);
            } else {
                channel.close();
            }
        }
    }
}
