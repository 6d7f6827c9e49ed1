package io.jnatsd.server.monitor;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.tls.TlsContext;
import io.jnatsd.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP(S) monitoring listener: Netty's HTTP codec on the server's event loops, requests answered by
 * {@link MonitorRoutes}. HTTPS uses the client port's certificates without asking for client certificates, as
 * nats-server's {@code getMonitoringTLSConfig}. Headers are limited to 1 MiB, a connection idle for 5 s between
 * requests is closed. Thread-safe.
 */
// nats-server: server.go startMonitoring
public final class MonitorServer implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(MonitorServer.class);
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int READ_HEADER_TIMEOUT_SECONDS = 5;

    private final Channel channel;
    private final boolean secure;

    private MonitorServer(Channel channel, boolean secure) {
        this.channel = channel;
        this.secure = secure;
    }

    /**
     * Binds {@code host:port} ({@code -1}: a random port) and logs {@code Starting http(s) monitor on ...}.
     *
     * @param tls the TLS context for HTTPS (without client verification), or null for HTTP
     * @throws IOException {@code can't listen to the monitor port: ...} when the port cannot be bound
     */
    public static MonitorServer start(Transport transport, String host, int port, TlsContext tls,
                                      Monitoring monitoring, String basePath) throws IOException {
        MonitorRoutes routes = new MonitorRoutes(monitoring, basePath);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", tls.sslContext().newHandler(ch.alloc()));
                        }
                        p.addLast("idle", new IdleStateHandler(READ_HEADER_TIMEOUT_SECONDS, 0, 0,
                                TimeUnit.SECONDS));
                        p.addLast("http", new HttpServerCodec(MAX_HEADER_BYTES, MAX_HEADER_BYTES, 8192));
                        p.addLast("continue", new HttpServerExpectContinueHandler());
                        p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES));
                        p.addLast("monitor", new MonitorHttpHandler(routes));
                    }
                });
        int bindPort = port == -1 ? 0 : port;
        String hostPort = hostPort(host, bindPort);
        Channel bound;
        try {
            bound = bootstrap.bind(host, bindPort).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the monitor port", e);
        } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared
            throw new IOException("can't listen to the monitor port: " + describe(hostPort, e), e);
        }
        int actual = ((InetSocketAddress) bound.localAddress()).getPort();
        LOG.notice("Starting " + (tls == null ? "http" : "https") + " monitor on " + hostPort(host, actual));
        return new MonitorServer(bound, tls != null);
    }

    private static String describe(String address, Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (text.toLowerCase().contains("address already in use")) {
            return "listen tcp " + address + ": bind: address already in use";
        }
        return "listen tcp " + address + ": " + text;
    }

    static String hostPort(String host, int port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Whether this is the HTTPS listener. */
    public boolean isSecure() {
        return secure;
    }

    /** Stops listening (open requests are answered while the event loops run). */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
