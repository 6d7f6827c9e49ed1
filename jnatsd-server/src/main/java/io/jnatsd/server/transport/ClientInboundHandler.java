package io.jnatsd.server.transport;

import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.ClientTlsNegotiator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLSession;
import java.util.List;
import java.util.function.Function;

/**
 * Feeds a client socket's bytes to its {@link Connection}. Netty's cumulation keeps an incomplete operation until
 * the rest arrives; the connection parses in place and emits nothing down the pipeline. A read batch (one or more
 * reads followed by {@code channelReadComplete}) ends with one flush per receiver. On a TLS port it also relays the
 * outcome of the {@link ClientTlsNegotiator} to the connection (the handshake's completion reaches this handler as a
 * user event from the {@code SslHandler} before it), and the end of a PROXY protocol header (a user event from the
 * {@link ProxyProtocolHandler}).
 * <p>
 * One instance per channel, on the channel's event loop.
 */
public final class ClientInboundHandler extends ByteToMessageDecoder implements ClientTlsNegotiator.Listener {

    private final ConnectionFactory factory;
    private final ClientTlsNegotiator tls;      // null when the port has no TLS
    private final boolean startWhenAdded;       // added to an active channel (a WebSocket after its upgrade)
    private Connection connection;

    ClientInboundHandler(ConnectionFactory factory, ClientTlsNegotiator tls) {
        this(factory, tls, false);
    }

    private ClientInboundHandler(ConnectionFactory factory, ClientTlsNegotiator tls, boolean startWhenAdded) {
        this.factory = factory;
        this.tls = tls;
        this.startWhenAdded = startWhenAdded;
    }

    /**
     * The handler of a channel that is already active and whose transport is settled (a WebSocket after its upgrade,
     * behind the frame codec): {@code factory} creates and starts the connection when the handler is added.
     */
    public static ClientInboundHandler forActiveChannel(Function<Channel, Connection> factory) {
        return new ClientInboundHandler((channel, negotiator) -> factory.apply(channel), null, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (startWhenAdded && ctx.channel().isActive()) {
            connection = factory.onAccept(ctx.channel(), null);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!startWhenAdded) {
            connection = factory.onAccept(ctx.channel(), tls);
        }
        super.channelActive(ctx);
        if (tls != null && connection != null && ctx.channel().isActive() && !connection.isClosed()) {
            tls.start(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (connection == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        connection.beginReadBatch();
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        connection.onRead(in);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (connection != null) {
            connection.endReadBatch();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (tls != null) {
            tls.onChannelInactive();
        }
        super.channelInactive(ctx);
        if (connection != null) {
            connection.onChannelInactive();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connection.onWritabilityChanged(ctx.channel().isWritable());
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ProxyProtocolHandler.ProxyHeaderEvent header) {
            if (connection != null) {
                if (header.error() != null) {
                    connection.onProxyHeaderError(header.error());
                } else {
                    connection.onProxyHeader(header.source());
                }
            }
            return;
        }
        if (event == Connection.RESUME_READING) {
            // the connection paused its parser (operator mode: account fetch); decode what is still buffered
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
            return;
        }
        if (tls != null && connection != null && tls.onUserEvent(event)) {
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            if (tls != null && tls.onException(cause)) {
                return;
            }
            connection.onChannelException(cause);
        } else {
            ctx.close();
        }
    }

    // ------------------------------------------------------------------------ TLS outcome → connection

    @Override
    public void onTlsHandshakeStarted() {
        connection.onTlsHandshakeStarted();
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        connection.onTlsEstablished(session);
    }

    @Override
    public void onTlsNotUsed() {
        connection.onTlsNotUsed();
    }

    @Override
    public void onHandshakeFirstFallback() {
        connection.sendDeferredInfo();
    }

    @Override
    public void onTlsHandshakeError(String error, boolean probe) {
        connection.onTlsHandshakeError(error, probe);
    }

    @Override
    public void onTlsHandshakeTimeout() {
        connection.onTlsHandshakeTimeout();
    }

    @Override
    public void onTlsThrottled() {
        connection.onTlsThrottled();
    }

    /** Creates the connection for a newly accepted channel (and sends INFO unless TLS says to wait). */
    @FunctionalInterface
    interface ConnectionFactory {
        /**
         * @param tls the channel's TLS negotiation, or null on a port without TLS
         */
        Connection onAccept(Channel channel, ClientTlsNegotiator tls);
    }
}
