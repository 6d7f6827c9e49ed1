package io.jnatsd.server.transport;

import io.jnatsd.common.logging.NatsLogger;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The server's event-loop groups: one acceptor thread and {@code jnatsd.eventLoopThreads} I/O threads (default:
 * the number of available processors). Native epoll is used on Linux when Netty's native library loads
 * ({@code -Djnatsd.transport=nio} forces NIO).
 */
public final class Transport {

    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private static final NatsLogger LOG = NatsLogger.get(Transport.class);

    private final boolean epoll;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;

    public Transport() {
        this.epoll = epollSelected();
        int threads = Integer.getInteger("jnatsd.eventLoopThreads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            LOG.warn("jnatsd.eventLoopThreads: " + threads + " (expected: > 0), using 1");
            threads = 1;
        }
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jnatsd-accept", true),
                factory);
        this.ioGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("jnatsd-io", true),
                factory);
    }

    /** Whether the server runs on native epoll: available, and not forced off with {@code -Djnatsd.transport=nio}. */
    static boolean epollSelected() {
        return !"nio".equalsIgnoreCase(System.getProperty("jnatsd.transport")) && Epoll.isAvailable();
    }

    public boolean isEpoll() {
        return epoll;
    }

    public EventLoopGroup acceptGroup() {
        return acceptGroup;
    }

    public EventLoopGroup ioGroup() {
        return ioGroup;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Stops both groups and waits for them, at most a few seconds each: a shutdown must end even if a loop does not
     * (seen once: a profiled JVM whose I/O loops never acknowledged the shutdown).
     */
    public void shutdown() {
        acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS,
                TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS,
                TimeUnit.SECONDS);
    }
}
