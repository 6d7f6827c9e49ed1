package io.jnatsd.server.transport;

import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.ClientTlsNegotiator;
import io.jnatsd.server.tls.TlsContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;

import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The client port: binds {@code host:port} and gives every accepted socket a {@link ClientInboundHandler}, preceded
 * by the TLS handlers of a {@link ClientTlsNegotiator} when TLS is on (the TLS context is read per accepted socket,
 * so a reload applies to new connections), and first of all by a {@link ProxyProtocolHandler} when
 * {@code proxy_protocol} is on (the PROXY header comes before TLS). TCP_NODELAY on and keep-alive off, as
 * nats-server's sockets; the read buffer adapts between 64 B and 64 KiB starting at 512 B (nats-server's
 * read-buffer sizing).
 */
public final class ClientListener {

    /** Outbound bytes queued in Netty above which a client is unwritable and its write deadline runs. */
    private static final int HIGH_WATER_MARK_BYTES = 2 * 1024 * 1024;
    private static final int LOW_WATER_MARK_BYTES = 512 * 1024;

    private final Channel serverChannel;

    private ClientListener(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the listener.
     *
     * @param early    a socket already listening on the port (adopted), or null to bind {@code host:port} now
     * @param tls      the TLS context for a new connection, or null for none; read once per accepted socket
     * @param proxyProtocol whether sockets may start with a PROXY protocol header ({@code proxy_protocol})
     * @param onAccept creates and starts the connection of an accepted channel (given its TLS negotiation, or null),
     *                 on the channel's event loop
     * @throws InterruptedException when interrupted while binding
     */
    public static ClientListener bind(Transport transport, String host, int port, EarlyListener early,
                                      Supplier<TlsContext> tls, boolean proxyProtocol,
                                      BiFunction<Channel, ClientTlsNegotiator, Connection> onAccept)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 64 * 1024))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK_BYTES, HIGH_WATER_MARK_BYTES))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (proxyProtocol) {
                            ch.pipeline().addLast(ProxyProtocolHandler.NAME, new ProxyProtocolHandler());
                        }
                        TlsContext context = tls.get();
                        ClientTlsNegotiator negotiator = context == null ? null
                                : ClientTlsNegotiator.install(ch, context);
                        ch.pipeline().addLast("nats", new ClientInboundHandler(onAccept::apply, negotiator));
                    }
                });
        Channel adopted = early == null ? null : early.listen(bootstrap, transport.isEpoll());
        if (adopted != null) {
            return new ClientListener(adopted);
        }
        bootstrap.channel(transport.serverChannelClass());
        Channel channel = bootstrap.bind(host, Math.max(port, 0)).sync().channel();
        return new ClientListener(channel);
    }

    /** The bound address (the real port when a random one was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting; open connections stay. */
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
