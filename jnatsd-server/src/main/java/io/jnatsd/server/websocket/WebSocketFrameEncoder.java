package io.jnatsd.server.websocket;

import io.jnatsd.server.conn.WebSocketState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Frames what a WebSocket client's connection writes, as nats-server's {@code wsCollapsePtoNB}: everything written
 * between two flushes becomes one unmasked binary frame (the frame header is the only new buffer; the data buffers
 * are passed on as they are). With per-message deflate negotiated, a batch of more than 64 bytes is compressed as
 * one message (raw deflate at the fastest level, a fresh context per message, the final {@code 00 00 FF FF}
 * removed, RSV1 on the first frame). A browser client ({@code User-Agent: Mozilla/...}) gets frames of at most 4096
 * bytes: separate messages when uncompressed, fragments of one message when compressed (not for Safari, whose
 * compressed messages stay whole).
 * <p>
 * {@link WebSocketState.ControlFrame}s (pong, close) go out as they are, after the data written before them.
 * <p>
 * One instance per channel, on the channel's event loop.
 */
final class WebSocketFrameEncoder extends ChannelOutboundHandlerAdapter {

    /** Batches of at most this many bytes are not compressed. */
    static final int COMPRESS_THRESHOLD = 64;
    /** The frame size limit for browsers. */
    static final int BROWSER_FRAME_BYTES = 4096;
    private static final int MAX_HEADER_BYTES = 10;

    private final boolean compress;
    private final boolean browser;
    private final boolean noCompressedFragments;
    private final List<ByteBuf> pending = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();
    private long pendingBytes;
    private Deflater deflater;

    WebSocketFrameEncoder(WebSocketState state) {
        this.compress = state.compress();
        this.browser = state.browser();
        this.noCompressedFragments = state.noCompressedFragments();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WebSocketState.ControlFrame control) {
            emit(ctx);
            ctx.write(control.frame(), promise);
            return;
        }
        if (msg instanceof ByteBuf data) {
            if (data.isReadable()) {
                pending.add(data);
                pendingBytes += data.readableBytes();
            } else {
                data.release();
            }
            if (!promise.isVoid()) {
                promises.add(promise);
            }
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        emit(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        discard();
        super.close(ctx, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
        if (deflater != null) {
            deflater.end();                          // its native memory, at once rather than when collected
            deflater = null;
        }
    }

    private void discard() {
        for (ByteBuf buf : pending) {
            buf.release();
        }
        pending.clear();
        pendingBytes = 0;
        for (ChannelPromise p : promises) {
            p.tryFailure(new IllegalStateException("channel closed before the data was framed"));
        }
        promises.clear();
    }

    /** Writes what is pending as frames. */
    // nats-server: websocket.go wsCollapsePtoNB
    private void emit(ChannelHandlerContext ctx) {
        ChannelPromise done = promises.isEmpty() ? ctx.voidPromise() : combinedPromise(ctx);
        if (pending.isEmpty()) {
            if (!done.isVoid()) {
                ctx.write(Unpooled.EMPTY_BUFFER, done);
            }
            return;
        }
        if (compress && pendingBytes > COMPRESS_THRESHOLD) {
            ByteBuf deflated = deflate(ctx.alloc());
            int frameLimit = browser && !noCompressedFragments ? BROWSER_FRAME_BYTES : 0;
            writeFragments(ctx, deflated, frameLimit, true, done);
        } else if (browser) {
            writeBrowserFrames(ctx, done);
        } else {
            ctx.write(header(ctx.alloc(), true, true, false, pendingBytes), ctx.voidPromise());
            for (int i = 0, n = pending.size(); i < n; i++) {
                ctx.write(pending.get(i), i == n - 1 ? done : ctx.voidPromise());
            }
        }
        pending.clear();
        pendingBytes = 0;
    }

    /** One promise completing every promise collected since the last frame. */
    private ChannelPromise combinedPromise(ChannelHandlerContext ctx) {
        List<ChannelPromise> waiting = new ArrayList<>(promises);
        promises.clear();
        ChannelPromise combined = ctx.newPromise();
        combined.addListener(f -> {
            for (ChannelPromise p : waiting) {
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
        return combined;
    }

    /**
     * Uncompressed data for a browser: separate binary messages of at most 4096 bytes, cut across the pending
     * buffers (slices, no copies).
     */
    private void writeBrowserFrames(ChannelHandlerContext ctx, ChannelPromise done) {
        long left = pendingBytes;
        int index = 0;
        ByteBuf current = pending.get(0);
        while (left > 0) {
            int frame = (int) Math.min(BROWSER_FRAME_BYTES, left);
            ctx.write(header(ctx.alloc(), true, true, false, frame), ctx.voidPromise());
            int needed = frame;
            while (needed > 0) {
                int take = Math.min(needed, current.readableBytes());
                needed -= take;
                left -= take;
                boolean last = left == 0;
                ctx.write(current.readRetainedSlice(take), last ? done : ctx.voidPromise());
                if (!current.isReadable()) {
                    current.release();
                    index++;
                    current = index < pending.size() ? pending.get(index) : null;
                }
            }
        }
    }

    /**
     * Writes {@code payload} as one message: a single frame, or fragments of {@code frameLimit} bytes when it is
     * larger (opcode and RSV1 on the first only).
     */
    private void writeFragments(ChannelHandlerContext ctx, ByteBuf payload, int frameLimit, boolean compressed,
                                ChannelPromise done) {
        int length = payload.readableBytes();
        if (frameLimit == 0 || length <= frameLimit) {
            ctx.write(header(ctx.alloc(), true, true, compressed, length), ctx.voidPromise());
            ctx.write(payload, done);
            return;
        }
        boolean first = true;
        while (payload.isReadable()) {
            int size = Math.min(frameLimit, payload.readableBytes());
            boolean last = size == payload.readableBytes();
            ctx.write(header(ctx.alloc(), first, last, compressed && first, size), ctx.voidPromise());
            ctx.write(last ? payload.readSlice(size) : payload.readRetainedSlice(size),
                    last ? done : ctx.voidPromise());
            first = false;
        }
    }

    /**
     * Compresses the pending buffers into one raw deflate stream at the fastest level, flushed, without its
     * trailing empty block marker; releases them.
     */
    private ByteBuf deflate(ByteBufAllocator allocator) {
        if (deflater == null) {
            deflater = new Deflater(Deflater.BEST_SPEED, true);
        }
        deflater.reset();
        ByteBuf out = allocator.heapBuffer((int) Math.min(Integer.MAX_VALUE - 64, pendingBytes / 2 + 64));
        for (ByteBuf buf : pending) {
            deflater.setInput(buf.nioBuffer());
            while (!deflater.needsInput()) {
                deflateInto(out, Deflater.NO_FLUSH);
            }
            buf.release();
        }
        while (deflateInto(out, Deflater.SYNC_FLUSH)) {
            // more output pending
        }
        int end = out.writerIndex();
        if (end >= 4 && out.getInt(end - 4) == 0x0000ffff) {
            out.writerIndex(end - 4);
        }
        return out;
    }

    /** One deflate call into {@code out}; true when it filled the space it was given (call again). */
    private boolean deflateInto(ByteBuf out, int flush) {
        out.ensureWritable(256);
        int space = out.writableBytes();
        int produced = deflater.deflate(out.array(), out.arrayOffset() + out.writerIndex(), space, flush);
        out.writerIndex(out.writerIndex() + produced);
        return produced == space;
    }

    /** A frame header: FIN, RSV1, the binary opcode on a first frame (continuation otherwise), no mask. */
    // nats-server: websocket.go wsFillFrameHeader
    static ByteBuf header(ByteBufAllocator allocator, boolean first, boolean fin, boolean rsv1, long length) {
        ByteBuf header = allocator.buffer(MAX_HEADER_BYTES);
        int b0 = (first ? WebSocketState.OPCODE_BINARY : WebSocketState.OPCODE_CONTINUATION) | (fin ? 0x80 : 0)
                | (rsv1 ? 0x40 : 0);
        header.writeByte(b0);
        if (length <= 125) {
            header.writeByte((int) length);
        } else if (length < 65536) {
            header.writeByte(126);
            header.writeShort((int) length);
        } else {
            header.writeByte(127);
            header.writeLong(length);
        }
        return header;
    }
}
