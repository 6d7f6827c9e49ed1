package io.jnatsd.server.transport;

import io.jnatsd.server.conn.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Feeds a client socket's bytes to its {@link Connection}. Netty's cumulation keeps an incomplete operation until
 * the rest arrives; the connection parses in place and emits nothing down the pipeline. A read batch (one or more
 * reads followed by {@code channelReadComplete}) ends with one flush per receiver.
 * <p>
 * One instance per channel, on the channel's event loop.
 */
final class ClientInboundHandler extends ByteToMessageDecoder {

    private final ConnectionFactory factory;
    private Connection connection;

    ClientInboundHandler(ConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = factory.onAccept(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (connection == null) {
            io.netty.util.ReferenceCountUtil.release(msg);
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            connection.onChannelException(cause);
        } else {
            ctx.close();
        }
    }

    /** Creates the connection for a newly accepted channel (and sends INFO). */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection onAccept(io.netty.channel.Channel channel);
    }
}
