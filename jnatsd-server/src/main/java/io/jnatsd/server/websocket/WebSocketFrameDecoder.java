package io.jnatsd.server.websocket;

import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.WebSocketState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns a WebSocket client's frames into the NATS protocol bytes they carry, as nats-server's {@code wsReadLoop}:
 * <pre>
 *   0               1               2               3
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| length 7    | length 16/64 (if 126/127)     |
 *  |I|S|S|S|  (4)  |A|             |                               |
 *  |N|1|2|3|       |S|             | ... masking key (if MASK)     |
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 * </pre>
 * Text and binary payloads are unmasked in place and passed on as they arrive (a frame need not be complete), as
 * slices of the read buffer, to the connection's handler; continuation frames continue them. Ping frames are
 * answered with a pong, a close frame is echoed (its status checked) and ends the connection. A compressed message
 * (RSV1, negotiated per-message deflate) is collected, at most {@code min(8 x max_payload, 64 MiB)} bytes, then
 * inflated with the final empty blocks appended; at most max_payload bytes of it reach the parser.
 * <p>
 * Protocol errors close with status 1002 and nats-server's reason: RSV2/RSV3 set, RSV1 without deflate, a missing
 * mask, control frames that are long, fragmented or compressed, a message started inside another, a stray
 * continuation, an unknown opcode, a 64-bit length with its top bit set, a one-byte or invalid close status.
 * <p>
 * One instance per channel, on the channel's event loop. It emits each piece with {@code fireChannelRead} as soon as
 * it is decoded, so the parser has seen everything before the frame that closes the connection.
 */
final class WebSocketFrameDecoder extends ByteToMessageDecoder {

    /** Final empty stored blocks appended to a compressed message (RFC 7692 section 7.2.2 and a last block). */
    private static final byte[] COMPRESSED_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff, 0x01, 0x00, 0x00,
            (byte) 0xff, (byte) 0xff};
    private static final int INFLATE_CHUNK_BYTES = 32 * 1024;
    private static final int MAX_MESSAGE_MULTIPLE = 8;
    private static final long MAX_MESSAGE_LIMIT = 64L * 1024 * 1024;
    private static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    /** A compressed-message buffer larger than this is released after its message rather than kept. */
    private static final int RETAINED_BUFFER_BYTES = 64 * 1024;

    private final WebSocketState state;
    private final boolean maskRead;
    private final boolean compress;

    private boolean frameStart = true;      // the next byte starts a frame header
    private boolean messageDone = true;     // the last data frame had FIN (a new message may start)
    private boolean compressedMessage;      // the current message is compressed
    private long remaining;                 // payload bytes of the current data frame still to come
    private final byte[] maskKey = new byte[4];
    private int maskPosition;
    private boolean stopped;                // the connection is closing: nothing more is read

    private ByteBuf compressed;             // the compressed message so far (copied)
    private Inflater inflater;

    WebSocketFrameDecoder(WebSocketState state) {
        this.state = state;
        this.maskRead = state.maskRead();
        this.compress = state.compress();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            Connection connection = state.connection();
            if (stopped || connection == null || connection.isClosed()) {
                stopped = true;
                in.skipBytes(in.readableBytes());
                return;
            }
            if (frameStart) {
                if (!readHeader(ctx, in, connection)) {
                    return;
                }
                continue;
            }
            int n = (int) Math.min(remaining, in.readableBytes());
            payload(ctx, in, n, connection);
        }
    }

    /**
     * Reads a frame header (and a whole control frame); false when more bytes are needed or the connection ends.
     * Checks run in nats-server's order as soon as their bytes are there.
     */
    // nats-server: websocket.go wsReadLoop (frame header), wsHandleControlFrame
    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in, Connection connection) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        int b0 = in.getUnsignedByte(start);
        int opcode = b0 & 0x0f;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        if ((b0 & 0x30) != 0) {
            return protocolError(connection, "RSV2 and RSV3 must be clear");
        }
        if (rsv1 && !compress) {
            return protocolError(connection, "compressed frame received without negotiated permessage-deflate");
        }
        if (available < 2) {
            return false;
        }
        int b1 = in.getUnsignedByte(start + 1);
        if (maskRead && (b1 & 0x80) == 0) {
            return protocolError(connection, "mask bit missing");
        }
        long length = b1 & 0x7f;
        boolean control = false;
        switch (opcode) {
            case WebSocketState.OPCODE_CLOSE, WebSocketState.OPCODE_PING, WebSocketState.OPCODE_PONG -> {
                if (length > WebSocketState.MAX_CONTROL_PAYLOAD) {
                    return protocolError(connection, "control frame length bigger than maximum allowed of "
                            + WebSocketState.MAX_CONTROL_PAYLOAD + " bytes");
                }
                if (!fin) {
                    return protocolError(connection, "control frame does not have final bit set");
                }
                if (rsv1) {
                    return protocolError(connection, "control frame must not be compressed");
                }
                control = true;
            }
            case WebSocketState.OPCODE_TEXT, WebSocketState.OPCODE_BINARY -> {
                if (!messageDone) {
                    return protocolError(connection,
                            "new message started before final frame for previous message was received");
                }
            }
            case WebSocketState.OPCODE_CONTINUATION -> {
                if (messageDone || rsv1) {
                    return protocolError(connection, "invalid continuation frame");
                }
            }
            default -> {
                return protocolError(connection, "unknown opcode " + opcode);
            }
        }
        int headerLength = 2;
        if (length == 126) {
            if (available < 4) {
                return false;
            }
            length = in.getUnsignedShort(start + 2);
            headerLength = 4;
        } else if (length == 127) {
            if (available < 10) {
                return false;
            }
            length = in.getLong(start + 2);
            if (length < 0) {
                return protocolError(connection, "invalid 64-bit payload length");
            }
            headerLength = 10;
        }
        if (maskRead) {
            if (available < headerLength + 4) {
                return false;
            }
            in.getBytes(start + headerLength, maskKey);
            headerLength += 4;
        }
        maskPosition = 0;
        if (control) {
            if (available < headerLength + length) {
                return false;
            }
            in.skipBytes(headerLength);
            byte[] payload = new byte[(int) length];
            in.readBytes(payload);
            if (maskRead) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= maskKey[i & 3];
                }
            }
            controlFrame(ctx, opcode, payload, connection);
            return true;
        }
        in.skipBytes(headerLength);
        if (opcode != WebSocketState.OPCODE_CONTINUATION) {
            compressedMessage = rsv1;
        }
        messageDone = fin;
        remaining = length;
        frameStart = false;
        if (length == 0) {
            payload(ctx, in, 0, connection);
        }
        return true;
    }

    /** Hands {@code n} payload bytes of the current data frame on (unmasked), or collects them if compressed. */
    private void payload(ChannelHandlerContext ctx, ByteBuf in, int n, Connection connection) {
        if (maskRead && n > 0) {
            unmask(in, in.readerIndex(), n);
        }
        remaining -= n;
        boolean messageEnd = messageDone && remaining == 0;
        if (remaining == 0) {
            frameStart = true;
        }
        if (compressedMessage) {
            collect(ctx, in, n, messageEnd, connection);
        } else if (n > 0) {
            ctx.fireChannelRead(in.readRetainedSlice(n));
        }
    }

    /** XORs {@code n} bytes at {@code index} with the masking key, eight at a time where possible. */
    // nats-server: websocket.go (*wsReadInfo).unmask
    private void unmask(ByteBuf in, int index, int n) {
        int p = maskPosition;
        int end = index + n;
        int i = index;
        if (n >= 16) {
            long key = 0;
            for (int k = 0; k < 8; k++) {
                key = (key << 8) | (maskKey[(p + k) & 3] & 0xffL);
            }
            for (; i + 8 <= end; i += 8) {
                in.setLong(i, in.getLong(i) ^ key);
            }
        }
        for (; i < end; i++) {
            in.setByte(i, in.getByte(i) ^ maskKey[(p + i - index) & 3]);
        }
        maskPosition = (p + n) & 3;
    }

    // nats-server: websocket.go wsDecompressAndParse
    private void collect(ChannelHandlerContext ctx, ByteBuf in, int n, boolean messageEnd, Connection connection) {
        int maxPayload = connection.maxPayload() <= 0 ? DEFAULT_MAX_PAYLOAD : connection.maxPayload();
        long limit = Math.min((long) maxPayload * MAX_MESSAGE_MULTIPLE, MAX_MESSAGE_LIMIT);
        if (compressed == null) {
            compressed = ctx.alloc().heapBuffer();
        }
        if (n > 0) {
            if (compressed.readableBytes() + (long) n > limit) {
                in.skipBytes(n);
                readError(connection, "maximum payload exceeded");
                return;
            }
            compressed.writeBytes(in, n);
        }
        if (!messageEnd) {
            return;
        }
        if (compressed.readableBytes() + (long) COMPRESSED_TAIL.length > limit) {
            readError(connection, "maximum payload exceeded");
            return;
        }
        compressed.writeBytes(COMPRESSED_TAIL);
        inflate(ctx, connection, maxPayload);
    }

    private void inflate(ChannelHandlerContext ctx, Connection connection, int maxPayload) {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        inflater.reset();
        ByteBuf input = compressed;
        inflater.setInput(input.array(), input.arrayOffset() + input.readerIndex(), input.readableBytes());
        long total = 0;
        try {
            while (true) {
                ByteBuf chunk = ctx.alloc().heapBuffer(INFLATE_CHUNK_BYTES);
                int produced;
                try {
                    produced = inflater.inflate(chunk.array(), chunk.arrayOffset() + chunk.writerIndex(),
                            INFLATE_CHUNK_BYTES);
                } catch (DataFormatException e) {
                    chunk.release();
                    readError(connection, "flate: corrupt input before offset " + inflater.getBytesRead());
                    return;
                }
                long passed = Math.min(produced, maxPayload - total);
                if (passed > 0) {
                    chunk.writerIndex(chunk.writerIndex() + (int) passed);
                    ctx.fireChannelRead(chunk);
                } else {
                    chunk.release();
                }
                total += produced;
                if (total > maxPayload) {
                    readError(connection, "maximum payload exceeded");
                    return;
                }
                if (connection.isClosed()) {
                    stopped = true;
                    return;
                }
                if (inflater.finished()) {
                    return;
                }
                if (produced == 0) {
                    // the input ended inside the stream (Go's flate: io.ErrUnexpectedEOF)
                    readError(connection, "unexpected EOF");
                    return;
                }
            }
        } finally {
            if (compressed == input) {               // not released meanwhile by the channel's end
                if (input.capacity() > RETAINED_BUFFER_BYTES) {
                    input.release();                 // a large message: do not keep its buffer for the next one
                    compressed = null;
                } else {
                    input.clear();
                }
            }
        }
    }

    // nats-server: websocket.go wsHandleControlFrame
    private void controlFrame(ChannelHandlerContext ctx, int opcode, byte[] payload, Connection connection) {
        switch (opcode) {
            case WebSocketState.OPCODE_PING -> connection.onWebSocketPing(payload);
            case WebSocketState.OPCODE_CLOSE -> {
                if (payload.length == 1) {
                    protocolError(connection, "close frame payload cannot be 1 byte");
                    return;
                }
                int status = WebSocketState.CLOSE_NO_STATUS;
                String body = "";
                if (payload.length >= 2) {
                    status = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    if (!validCloseStatus(status)) {
                        protocolError(connection, "invalid close status code " + status);
                        return;
                    }
                    if (payload.length > 2) {
                        body = utf8(payload);
                        if (body == null) {
                            status = WebSocketState.CLOSE_INVALID_PAYLOAD;
                            body = "invalid utf8 body in close frame";
                        }
                    }
                }
                stopped = true;
                ByteBuf echo = status == WebSocketState.CLOSE_NO_STATUS
                        ? WebSocketState.controlFrame(ctx.alloc(), WebSocketState.OPCODE_CLOSE, new byte[0])
                        : WebSocketState.closeFrame(ctx.alloc(), status, body);
                connection.onWebSocketClose(echo);
            }
            default -> {
                // a pong: nothing to do
            }
        }
    }

    /** The close body (after the status) if it is valid UTF-8, else null. */
    private static String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 2, payload.length - 2)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // nats-server: websocket.go wsIsValidCloseStatus
    static boolean validCloseStatus(int code) {
        if (code == WebSocketState.CLOSE_NO_STATUS || code == 1004 || code == 1006
                || code == WebSocketState.CLOSE_TLS_HANDSHAKE) {
            return false;
        }
        if (code < 1000 || code >= 5000) {
            return false;
        }
        return code < 1016 || code > 2999;
    }

    private boolean protocolError(Connection connection, String message) {
        stopped = true;
        connection.onWebSocketProtocolError(message);
        return false;
    }

    private void readError(Connection connection, String message) {
        stopped = true;
        if (compressed != null) {
            compressed.clear();
        }
        connection.onWebSocketReadError(message);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    private void release() {
        if (compressed != null) {
            compressed.release();
            compressed = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
