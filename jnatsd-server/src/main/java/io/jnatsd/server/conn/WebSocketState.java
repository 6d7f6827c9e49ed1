package io.jnatsd.server.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;

/**
 * What makes a {@link Connection} a WebSocket client (nats-server's {@code client.ws}): what its upgrade request
 * negotiated (compression, masking, browser, cookies, {@code X-Forwarded-For}) and whether a close frame has been
 * queued. The frame codec of {@code io.jnatsd.server.websocket} sits before and after the connection's usual
 * pipeline; the connection itself only adds close frames and answers pings through {@link ControlFrame}s.
 * <p>
 * The negotiated fields are immutable; {@link #closeFrame} and the connection link belong to the channel's event
 * loop.
 */
public final class WebSocketState {

    /** Close frame status codes ({@code RFC 6455} section 7.4.1) nats-server sends. */
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_NO_STATUS = 1005;
    public static final int CLOSE_INVALID_PAYLOAD = 1007;
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
    public static final int CLOSE_INTERNAL_ERROR = 1011;
    public static final int CLOSE_TLS_HANDSHAKE = 1015;

    /** Frame opcodes. */
    public static final int OPCODE_CONTINUATION = 0;
    public static final int OPCODE_TEXT = 1;
    public static final int OPCODE_BINARY = 2;
    public static final int OPCODE_CLOSE = 8;
    public static final int OPCODE_PING = 9;
    public static final int OPCODE_PONG = 10;

    /** Largest control frame payload. */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private final boolean compress;
    private final boolean maskRead;
    private final boolean browser;
    private final boolean noCompressedFragments;
    private final String cookieJwt;
    private final String cookieUsername;
    private final String cookiePassword;
    private final String cookieToken;
    private final String forwardedFor;
    private final SSLSession tlsSession;

    private boolean closeSent;            // a close frame is queued (event loop)
    private ByteBuf closeFrame;           // the queued close frame until the connection closes (event loop)
    private boolean flushOnClose;         // a protocol error queued a close frame that must reach the client
    private Connection connection;        // set once the connection exists (event loop)

    /**
     * @param compress              per-message deflate was negotiated
     * @param maskRead              the client masks its frames (it did not ask for {@code Nats-No-Masking})
     * @param browser               the {@code User-Agent} starts with {@code Mozilla/}: frames are cut at 4 KiB
     * @param noCompressedFragments a Safari browser: compressed messages are never fragmented
     * @param cookieJwt             the {@code jwt_cookie} value, or empty
     * @param cookieUsername        the {@code user_cookie} value, or empty
     * @param cookiePassword        the {@code pass_cookie} value, or empty
     * @param cookieToken           the {@code token_cookie} value, or empty
     * @param forwardedFor          the {@code X-Forwarded-For} address (a valid IP), or null
     * @param tlsSession            the TLS session of a {@code wss} connection, or null
     */
    public WebSocketState(boolean compress, boolean maskRead, boolean browser, boolean noCompressedFragments,
                          String cookieJwt, String cookieUsername, String cookiePassword, String cookieToken,
                          String forwardedFor, SSLSession tlsSession) {
        this.compress = compress;
        this.maskRead = maskRead;
        this.browser = browser;
        this.noCompressedFragments = noCompressedFragments;
        this.cookieJwt = cookieJwt;
        this.cookieUsername = cookieUsername;
        this.cookiePassword = cookiePassword;
        this.cookieToken = cookieToken;
        this.forwardedFor = forwardedFor;
        this.tlsSession = tlsSession;
    }

    public boolean compress() {
        return compress;
    }

    public boolean maskRead() {
        return maskRead;
    }

    public boolean browser() {
        return browser;
    }

    public boolean noCompressedFragments() {
        return noCompressedFragments;
    }

    String cookieJwt() {
        return cookieJwt;
    }

    String cookieUsername() {
        return cookieUsername;
    }

    String cookiePassword() {
        return cookiePassword;
    }

    String cookieToken() {
        return cookieToken;
    }

    /** The {@code X-Forwarded-For} address shown in log lines, or null. */
    public String forwardedFor() {
        return forwardedFor;
    }

    SSLSession tlsSession() {
        return tlsSession;
    }

    /** The connection of this WebSocket, once created; null before. Event loop only. */
    public Connection connection() {
        return connection;
    }

    void connection(Connection c) {
        this.connection = c;
    }

    /** Queues {@code frame} (a complete close frame) as the one to send when the connection closes. */
    void queueClose(ByteBuf frame, boolean flush) {
        if (closeFrame != null) {
            closeFrame.release();
        }
        closeFrame = frame;
        closeSent = true;
        flushOnClose |= flush;
    }

    /** Whether the close frame queued by a protocol error must be flushed even though the close reason skips it. */
    boolean flushOnClose() {
        return flushOnClose;
    }

    /**
     * The close frame to write now that the connection closes for {@code reason}: the one already queued (an echo
     * or a protocol error), else one for the reason; null if one was already taken.
     */
    // nats-server: client.go markConnAsClosed (wsEnqueueCloseMessage unless closeSent), websocket.go
    // wsCollapsePtoNB (the close message goes out last)
    ByteBuf takeCloseFrame(ClosedState reason, ByteBufAllocator allocator) {
        ByteBuf frame = closeFrame;
        closeFrame = null;
        if (frame == null && !closeSent) {
            closeSent = true;
            frame = closeFrame(allocator, closeStatus(reason), reason.text());
        }
        return frame;
    }

    /** Releases a queued frame that will never be written. */
    void discardCloseFrame() {
        if (closeFrame != null) {
            closeFrame.release();
            closeFrame = null;
        }
    }

    /** The status of the close frame nats-server sends when it closes a connection for {@code reason}. */
    // nats-server: websocket.go wsEnqueueCloseMessage
    public static int closeStatus(ClosedState reason) {
        return switch (reason) {
            case CLIENT_CLOSED -> CLOSE_NORMAL;
            case AUTHENTICATION_TIMEOUT, AUTHENTICATION_VIOLATION, SLOW_CONSUMER_PENDING_BYTES,
                 SLOW_CONSUMER_WRITE_DEADLINE, MAX_ACCOUNT_CONNECTIONS_EXCEEDED, MAX_CONNECTIONS_EXCEEDED,
                 MAX_CONTROL_LINE_EXCEEDED, MAX_SUBSCRIPTIONS_EXCEEDED, MISSING_ACCOUNT, AUTHENTICATION_EXPIRED,
                 REVOCATION -> CLOSE_POLICY_VIOLATION;
            case TLS_HANDSHAKE_ERROR -> CLOSE_TLS_HANDSHAKE;
            case PARSE_ERROR, PROTOCOL_VIOLATION, BAD_CLIENT_PROTOCOL_VERSION -> CLOSE_PROTOCOL_ERROR;
            case MAX_PAYLOAD_EXCEEDED -> CLOSE_MESSAGE_TOO_BIG;
            case WRITE_ERROR, READ_ERROR, STALE_CONNECTION, SERVER_SHUTDOWN -> CLOSE_GOING_AWAY;
            default -> CLOSE_INTERNAL_ERROR;
        };
    }

    /**
     * A complete close frame with {@code status} and {@code body}; a body longer than a control frame allows is cut
     * to 120 bytes and ends with {@code ...}.
     */
    // nats-server: websocket.go wsCreateCloseMessage
    public static ByteBuf closeFrame(ByteBufAllocator allocator, int status, String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        int length = text.length;
        boolean cut = length > MAX_CONTROL_PAYLOAD - 2;
        if (cut) {
            length = MAX_CONTROL_PAYLOAD - 5;
        }
        ByteBuf frame = allocator.buffer(4 + length + (cut ? 3 : 0));
        frame.writeByte(0x80 | OPCODE_CLOSE);
        frame.writeByte(2 + length + (cut ? 3 : 0));
        frame.writeShort(status);
        frame.writeBytes(text, 0, length);
        if (cut) {
            frame.writeBytes(new byte[] {'.', '.', '.'});
        }
        return frame;
    }

    /** A complete unmasked control frame ({@code opcode}) carrying {@code payload} (at most 125 bytes). */
    public static ByteBuf controlFrame(ByteBufAllocator allocator, int opcode, byte[] payload) {
        ByteBuf frame = allocator.buffer(2 + payload.length);
        frame.writeByte(0x80 | opcode);
        frame.writeByte(payload.length);
        frame.writeBytes(payload);
        return frame;
    }

    /**
     * A control frame written through the pipeline as is: the frame encoder sends it after the data frames already
     * queued, never inside one.
     *
     * @param frame the complete frame (header and payload)
     */
    public record ControlFrame(ByteBuf frame) {
    }
}
