package io.jnatsd.server.websocket;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.conn.WebSocketState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ByteProcessor;
import io.netty.util.NetUtil;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP side of a WebSocket listener's connection until it is upgraded: reads request heads (Go's limits
 * and refusals, see {@link HttpRequestHead}), answers them through {@link WebSocketUpgrade} and, on success, writes
 * the {@code 101} response and replaces itself with the frame codec and the NATS handler. A refused request leaves
 * the connection open for the next one when HTTP keep-alive says so, as Go's server does.
 * <p>
 * {@code handshake_timeout} bounds the TLS handshake and each request (Go's {@code http.Server.ReadTimeout}); when it
 * expires the connection closes without an answer. Bytes that arrive behind the upgrade request in the same read
 * close the connection ({@code client sent data before handshake is complete}).
 * <p>
 * One instance per channel, on the channel's event loop.
 */
final class WebSocketUpgradeHandler extends ByteToMessageDecoder {

    private static final NatsLogger LOG = NatsLogger.get(WebSocketUpgradeHandler.class);

    /** Go's {@code DefaultMaxHeaderBytes} plus the 4096 bytes its reader allows on top. */
    static final int MAX_HEAD_BYTES = (1 << 20) + 4096;

    /** Pipeline names after the upgrade. */
    static final String FRAME_ENCODER = "ws-encoder";
    static final String FRAME_DECODER = "ws-decoder";
    static final String NATS = "nats";

    private final WebSocketListener.Setup setup;
    private final Duration handshakeTimeout;
    private ScheduledFuture<?> timer;
    private long skipBodyBytes;          // the unread body of a refused request, skipped before the next one
    private int scannedBytes;            // head bytes already searched for the empty line
    private boolean tlsDone;             // the TLS handshake completed (or there is no TLS)
    private boolean upgraded;

    WebSocketUpgradeHandler(WebSocketListener.Setup setup, boolean tls) {
        this.setup = setup;
        this.handshakeTimeout = setup.handshakeTimeout();
        this.tlsDone = !tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armTimer(ctx);
        super.channelActive(ctx);
    }

    private void armTimer(ChannelHandlerContext ctx) {
        cancelTimer();
        if (handshakeTimeout.isPositive()) {
            timer = ctx.executor().schedule(() -> onTimeout(ctx), handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    // Go: net/http (*conn).serve (read deadline: the TLS handshake error is logged, a request timeout is not)
    private void onTimeout(ChannelHandlerContext ctx) {
        timer = null;
        if (upgraded || !ctx.channel().isActive()) {
            return;
        }
        if (!tlsDone) {
            tlsDone = true;                                  // the failure event of the close is not reported
            LOG.error("websocket: TLS handshake error from " + address(ctx.channel().remoteAddress()) + ": read tcp "
                    + address(ctx.channel().localAddress()) + "->" + address(ctx.channel().remoteAddress())
                    + ": i/o timeout");
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (!tlsDone) {
                tlsDone = true;
                if (!completion.isSuccess()) {
                    LOG.error("websocket: TLS handshake error from " + address(ctx.channel().remoteAddress()) + ": "
                            + WebSocketListener.handshakeError(completion.cause()));
                    ctx.close();
                }
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!tlsDone) {
            return;                                          // reported with the handshake completion event
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(address(ctx.channel().remoteAddress()) + " - websocket read error: " + cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (upgraded) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (skipBodyBytes > 0) {
            int n = (int) Math.min(skipBodyBytes, in.readableBytes());
            in.skipBytes(n);
            skipBodyBytes -= n;
            if (skipBodyBytes > 0) {
                return;
            }
        }
        int end = headEnd(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD_BYTES) {
                refuseAndClose(ctx, HttpRequestHead.tooLarge().response());
            }
            return;
        }
        if (end - in.readerIndex() > MAX_HEAD_BYTES) {
            refuseAndClose(ctx, HttpRequestHead.tooLarge().response());
            return;
        }
        byte[] head = new byte[end - in.readerIndex()];
        in.readBytes(head);
        scannedBytes = 0;
        Object parsed = HttpRequestHead.parse(head);
        if (parsed instanceof HttpRequestHead.Refusal refusal) {
            refuseAndClose(ctx, refusal.response());
            return;
        }
        HttpRequestHead request = (HttpRequestHead) parsed;
        WebSocketUpgrade.Outcome outcome = WebSocketUpgrade.upgrade(request, setup.config());
        switch (outcome) {
            case WebSocketUpgrade.Refused refused -> {
                LOG.error(address(ctx.channel().remoteAddress()) + " - websocket handshake error: "
                        + refused.reason());
                answer(ctx, in, request, refused.response(), refused.keepAlive());
            }
            case WebSocketUpgrade.Redirected redirected ->
                    answer(ctx, in, request, redirected.response(), redirected.keepAlive());
            case WebSocketUpgrade.Upgraded upgrade -> onUpgrade(ctx, in, upgrade);
        }
    }

    /**
     * The index just past the empty line that ends the head, or -1 when it has not arrived. Lines may end with CRLF
     * or LF alone, as Go's reader accepts. Bytes already searched are not searched again.
     */
    private int headEnd(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int from = start + scannedBytes;
        while (from < end) {
            int lf = in.forEachByte(from, end - from, ByteProcessor.FIND_LF);
            if (lf < 0) {
                break;
            }
            if (lf + 1 >= end || (lf + 2 >= end && in.getByte(lf + 1) == '\r')) {
                scannedBytes = lf - start;                   // look at this line end again with more bytes
                return -1;
            }
            if (in.getByte(lf + 1) == '\n') {
                return lf + 2;
            }
            if (in.getByte(lf + 1) == '\r' && in.getByte(lf + 2) == '\n') {
                return lf + 3;
            }
            from = lf + 1;
        }
        scannedBytes = end - start;
        return -1;
    }

    /** Writes a response of Go's server to a request it refused before any handler, and closes. */
    private void refuseAndClose(ChannelHandlerContext ctx, String response) {
        upgraded = true;                                     // nothing more is read
        cancelTimer();
        ctx.writeAndFlush(ascii(ctx, response)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Writes the answer to a request that was not upgraded; keeps the connection for the next one if asked. */
    private void answer(ChannelHandlerContext ctx, ByteBuf in, HttpRequestHead request, String response,
                        boolean keepAlive) {
        if (!keepAlive) {
            refuseAndClose(ctx, response);
            return;
        }
        ctx.writeAndFlush(ascii(ctx, response));
        skipBodyBytes = request.contentLength();
        int n = (int) Math.min(skipBodyBytes, in.readableBytes());
        in.skipBytes(n);
        skipBodyBytes -= n;
        armTimer(ctx);                                       // a new request, a new read deadline
    }

    // nats-server: websocket.go wsUpgrade (after the checks), startWebsocketServer (the handler's kinds)
    private void onUpgrade(ChannelHandlerContext ctx, ByteBuf in, WebSocketUpgrade.Upgraded upgrade) {
        upgraded = true;
        cancelTimer();
        String remote = address(ctx.channel().remoteAddress());
        if (in.isReadable()) {
            // Go hijacks the connection with these bytes still in its reader: it closes without an answer
            LOG.error(remote + " - websocket handshake error: client sent data before handshake is complete");
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        ctx.writeAndFlush(ascii(ctx, upgrade.response()));
        if (upgrade.kind() == WebSocketUpgrade.Kind.LEAF) {
            LOG.error("Not configured to accept leaf node connections");
            ctx.close();
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl == null ? null : ssl.engine().getSession();
        String[] cookies = upgrade.cookies();
        WebSocketState state = new WebSocketState(upgrade.compress(), !upgrade.noMasking(), upgrade.browser(),
                upgrade.noCompressedFragments(), cookies[0], cookies[1], cookies[2], cookies[3],
                upgrade.forwardedFor(), session);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addBefore(ctx.name(), FRAME_ENCODER, new WebSocketFrameEncoder(state));
        pipeline.addAfter(ctx.name(), NATS, setup.natsHandler().apply(state));
        pipeline.replace(this, FRAME_DECODER, new WebSocketFrameDecoder(state));
    }

    private static ByteBuf ascii(ChannelHandlerContext ctx, String text) {
        return ByteBufUtil.encodeString(ctx.alloc(), CharBuffer.wrap(text), StandardCharsets.ISO_8859_1);
    }

    /** Go's {@code RemoteAddr().String()}: {@code ip:port}, IPv6 in brackets. */
    static String address(Object socketAddress) {
        if (socketAddress instanceof InetSocketAddress a && a.getAddress() != null) {
            String ip = NetUtil.toAddressString(a.getAddress());
            return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + a.getPort() : ip + ":" + a.getPort();
        }
        return String.valueOf(socketAddress);
    }
}
