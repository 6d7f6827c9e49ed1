package io.jnatsd.server.websocket;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.WebSocketOptions;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.WebSocketState;
import io.jnatsd.server.tls.TlsContext;
import io.jnatsd.server.transport.ClientInboundHandler;
import io.jnatsd.server.transport.EarlyListener;
import io.jnatsd.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The WebSocket listener ({@code websocket {}}): binds its host and port and gives each accepted socket the TLS
 * handler ({@code wss}, the context read per socket so that a reload applies to new connections) and the
 * {@link WebSocketUpgradeHandler}. After the upgrade the pipeline is
 * <pre>
 *   [ssl] - ws-encoder - ws-decoder - nats (the client port's ClientInboundHandler)
 * </pre>
 * so that a WebSocket client is an ordinary {@link Connection} whose bytes are framed on the way out and unframed on
 * the way in. The socket options and write water marks are the client port's.
 * <p>
 * Thread-safe; the pipelines run on the channels' event loops.
 */
public final class WebSocketListener {

    private static final NatsLogger LOG = NatsLogger.get(WebSocketListener.class);

    private static final int HIGH_WATER_MARK_BYTES = 2 * 1024 * 1024;
    private static final int LOW_WATER_MARK_BYTES = 512 * 1024;
    private static final String SSL = "ssl";
    private static final String HTTP_TO_HTTPS = "ws-http-check";
    private static final String UPGRADE = "ws-upgrade";

    /**
     * What the upgrade handler of each socket needs.
     *
     * @param config           the listener's upgrade settings
     * @param handshakeTimeout {@code handshake_timeout} (zero: none)
     * @param natsHandler      the NATS handler of an upgraded channel, which creates the connection when added
     */
    record Setup(WebSocketUpgrade.Config config, Duration handshakeTimeout,
                 Function<WebSocketState, ChannelHandler> natsHandler) {
    }

    private final Channel serverChannel;
    private final boolean tls;

    private WebSocketListener(Channel serverChannel, boolean tls) {
        this.serverChannel = serverChannel;
        this.tls = tls;
    }

    /**
     * Binds the listener of {@code options}.
     *
     * @param early     the WebSocket port the launcher bound before the JVM started (adopted if it is the
     *                  listener's address), or null to bind now
     * @param tls       the TLS context of a new connection, or null when the listener has none; read per socket
     * @param onUpgrade creates and starts the connection of an upgraded channel, on its event loop
     * @throws InterruptedException when interrupted while binding
     */
    // nats-server: websocket.go startWebsocketServer
    public static WebSocketListener bind(Transport transport, WebSocketOptions options, EarlyListener early,
                                         Supplier<TlsContext> tls,
                                         BiFunction<Channel, WebSocketState, Connection> onUpgrade)
            throws InterruptedException {
        boolean secure = tls.get() != null;
        Setup setup = new Setup(WebSocketUpgrade.Config.of(options), options.handshakeTimeout(),
                state -> ClientInboundHandler.forActiveChannel(channel -> onUpgrade.apply(channel, state)));
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
                        TlsContext context = tls.get();
                        if (context != null) {
                            ch.pipeline().addLast(HTTP_TO_HTTPS, new PlainHttpDetector());
                            ch.pipeline().addLast(SSL, context.newServerHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(UPGRADE, new WebSocketUpgradeHandler(setup, context != null));
                    }
                });
        Channel adopted = early == null ? null : early.listen(bootstrap, transport.isEpoll());
        if (adopted != null) {
            return new WebSocketListener(adopted, secure);
        }
        bootstrap.channel(transport.serverChannelClass());
        Channel channel = bootstrap.bind(options.host(), Math.max(options.port(), 0)).sync().channel();
        return new WebSocketListener(channel, secure);
    }

    /** The bound address (the real port when a random one was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Whether the listener runs TLS ({@code wss}). */
    public boolean tls() {
        return tls;
    }

    /** Stops accepting; upgraded connections stay. */
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }

    /** How a failed handshake is logged. */
    static String handshakeError(Throwable cause) {
        return TlsContext.describeHandshakeError(cause);
    }

    /**
     * On a {@code wss} listener: a client whose first bytes look like a plaintext HTTP request gets Go's
     * {@code 400 Client sent an HTTP request to an HTTPS server} and is closed; anything else goes on to TLS.
     */
    // Go: net/http (*conn).serve (tlsRecordHeaderLooksLikeHTTP)
    static final class PlainHttpDetector extends ByteToMessageDecoder {

        private static final String[] HTTP_STARTS = {"GET /", "HEAD ", "POST ", "PUT /", "OPTIO"};
        private static final byte[] RESPONSE = ("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an "
                + "HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 5) {
                return;
            }
            String start = in.toString(in.readerIndex(), 5, StandardCharsets.ISO_8859_1);
            for (String http : HTTP_STARTS) {
                if (start.equals(http)) {
                    in.skipBytes(in.readableBytes());
                    LOG.error("websocket: TLS handshake error from "
                            + WebSocketUpgradeHandler.address(ctx.channel().remoteAddress())
                            + ": client sent an HTTP request to an HTTPS server");
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            ctx.pipeline().remove(this);
        }
    }
}
