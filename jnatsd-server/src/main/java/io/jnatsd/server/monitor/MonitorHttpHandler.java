package io.jnatsd.server.monitor;

import io.jnatsd.common.logging.NatsLogger;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One monitoring connection: takes each aggregated request, answers it through {@link MonitorRoutes} on a virtual
 * thread (building {@code /connz} waits for the connections' event loops, which an event loop must not do), and
 * writes the reply with Go's {@code Date} and {@code Content-Length}. Reading pauses while a request is answered, so
 * pipelined requests are answered in order. A connection idle for the header timeout is closed, as Go's
 * {@code ReadHeaderTimeout}. One instance per channel.
 */
final class MonitorHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final NatsLogger LOG = NatsLogger.get(MonitorHttpHandler.class);
    /** Go's {@code http.TimeFormat}. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US);

    private final MonitorRoutes routes;
    private boolean busy;

    MonitorHttpHandler(MonitorRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    || cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            LOG.debug("monitoring: bad request from " + ctx.channel().remoteAddress() + ": " + cause);
            byte[] body = (status.code() + " " + status.reasonPhrase()).getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpReply.TEXT_PLAIN);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpUtil.setContentLength(response, body.length);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String method = request.method().name();
        boolean head = HttpMethod.HEAD.equals(request.method());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        String rawQuery = decoder.rawQuery();
        String path = decoder.path();
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        QueryParams query = new QueryParams(decoder.parameters());
        busy = true;
        ctx.channel().config().setAutoRead(false);
        Thread.ofVirtual().name("jnatsd-monitor").start(() -> {
            HttpReply reply;
            try {
                reply = routes.handle(method, path, rawQuery, query, headers);
            } catch (RuntimeException e) {
                LOG.error("monitoring: " + e, e);
                reply = HttpReply.text(500, e.toString());
            }
            HttpReply answer = reply;
            ctx.executor().execute(() -> write(ctx, answer, head, keepAlive));
        });
    }

    private void write(ChannelHandlerContext ctx, HttpReply reply, boolean head, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        response.headers().set("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        response.headers().set("Content-Length", reply.body().length);
        busy = false;
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && !busy) {
            ctx.close();                        // nats-server: ReadHeaderTimeout of 5 s
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("monitoring: " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }
}
