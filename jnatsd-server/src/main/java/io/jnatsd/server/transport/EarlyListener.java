package io.jnatsd.server.transport;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
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

    private final ServerSocketChannel channel;
    private final int descriptor;
    private boolean adopted;

    private EarlyListener(ServerSocketChannel channel, int descriptor) {
        this.channel = channel;
        this.descriptor = descriptor;
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
        return new EarlyListener(jdkChannel, descriptorProbe);
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

    /** The bound port. */
    public int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Hands the socket to Netty, as the transport in use needs it; from now on the returned channel owns it. */
    ServerChannel adopt(boolean epoll) throws IOException {
        if (adopted) {
            throw new IllegalStateException("early listener already adopted");
        }
        adopted = true;
        if (!epoll) {
            return new NioServerSocketChannel(channel);
        }
        int copy = dup(descriptor);
        channel.close();
        return new EpollServerSocketChannel(copy);
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
            channel.close();
        }
    }
}
