package io.jnatsd.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a client socket when {@code proxy_protocol} is on: waits for the optional PROXY header
 * ({@link ProxyHeaderParser}), consumes it, reports the outcome downstream as a {@link ProxyHeaderEvent} and removes
 * itself, handing the bytes that follow the header (or the client's own bytes when there was no header) to the next
 * handler: the TLS handlers, if any, then the connection. The header therefore always precedes TLS, as the PROXY
 * protocol specifies and nats-server reads it ({@code server.go createClientEx}).
 * <p>
 * The header must be complete within {@link #READ_TIMEOUT} (nats-server's {@code proxyProtoReadTimeout}); a malformed
 * header, a timeout or the client closing mid-header is reported as an error and the connection closes. The error
 * bytes are dropped.
 * <p>
 * One instance per channel, on the channel's event loop.
 */
final class ProxyProtocolHandler extends ByteToMessageDecoder {

    /** Pipeline name. */
    static final String NAME = "proxy-protocol";
    /** How long the client has to send the header (or its first 6 bytes). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The end of the header phase.
     *
     * @param source the client's real address, or null when the socket's peer stays the client's address (no
     *               header, LOCAL, UNKNOWN or an unspecified family)
     * @param error  nats-server's error text, or null on success
     */
    record ProxyHeaderEvent(InetSocketAddress source, String error) {
    }

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean done;

    ProxyProtocolHandler() {
        this(READ_TIMEOUT);
    }

    ProxyProtocolHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startTimer(ctx);
        super.channelActive(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null && !done) {
            timer = ctx.executor().schedule(() -> onTimeout(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    // nats-server: client_proxyproto.go readProxyProtoHeader (deadline proxyProtoReadTimeout)
    private void onTimeout(ChannelHandlerContext ctx) {
        timer = null;
        if (done || ctx.isRemoved()) {
            return;
        }
        fail(ctx, ProxyHeaderParser.incomplete(bufferedBytes(), "i/o timeout"));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        ProxyHeaderParser.Outcome outcome = ProxyHeaderParser.parse(in);
        switch (outcome.kind()) {
            case NEED_MORE -> {
                // wait for more bytes
            }
            case ABSENT, HEADER -> {
                finish();
                ctx.fireUserEventTriggered(new ProxyHeaderEvent(outcome.source(), null));
                ctx.pipeline().remove(this);      // what is left in the cumulation goes on to the next handler
            }
            case ERROR -> {
                in.skipBytes(in.readableBytes());
                fail(ctx, outcome.error());
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!done) {
            fail(ctx, ProxyHeaderParser.incomplete(bufferedBytes(), "EOF"));
        }
        super.channelInactive(ctx);
    }

    private void fail(ChannelHandlerContext ctx, String error) {
        finish();
        ctx.fireUserEventTriggered(new ProxyHeaderEvent(null, error));
    }

    private void finish() {
        done = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private ByteBuf bufferedBytes() {
        return internalBuffer();
    }
}
