package io.jnatsd.bench.tool;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental scanner of the server-to-client byte stream: finds each line, and for {@code MSG} skips the payload
 * after reading the sequence number from its first bytes (see {@link PubBatch} for the layout). Creates no object
 * per message; a control line cut across reads is carried over in a scratch array, and each {@code MSG} control line
 * is copied into a reused array so that the listener can read it (for example the reply subject) after the payload.
 * <p>
 * Owned by the one thread that reads the connection; not thread-safe.
 */
final class MsgScanner {

    /** Receives what the scanner finds, on the reading thread. */
    interface Listener {
        /**
         * One complete {@code MSG}. {@code line[0..lineLength)} is the control line without CR LF (valid until the
         * next call); {@code seq} holds the payload's first {@code min(8, payloadBytes)} bytes, little-endian.
         */
        void onMsg(byte[] line, int lineLength, long seq, int payloadBytes);

        /** A {@code PING} from the server (the connection answers it). */
        default void onPing() {
        }

        /** A {@code PONG}. */
        default void onPong() {
        }

        /** A {@code -ERR} line; {@code text} is what follows {@code -ERR }. */
        default void onError(String text) {
        }
    }

    private static final int MAX_LINE_BYTES = 1 << 20;

    private final Listener listener;

    private byte[] pending = new byte[256];   // start of a control line cut by the end of a read
    private int pendingBytes;
    private byte[] msgLine = new byte[256];   // control line of the MSG whose payload is being skipped
    private int msgLineBytes;
    private boolean inPayload;
    private int payloadBytes;                 // size of the current MSG payload
    private int payloadPos;                   // bytes of payload + CRLF consumed so far
    private int seqBytes;                     // min(8, payloadBytes)
    private long seq;

    MsgScanner(Listener listener) {
        this.listener = listener;
    }

    /** Consumes {@code buf[off .. off+len)}; calls the listener for every complete item in it. */
    void scan(byte[] buf, int off, int len) {
        int at = off;
        int end = off + len;
        while (at < end) {
            if (inPayload) {
                at = scanPayload(buf, at, end);
                continue;
            }
            int lf = indexOfLf(buf, at, end);
            if (lf < 0) {
                keepPending(buf, at, end - at);
                return;
            }
            if (pendingBytes > 0) {
                keepPending(buf, at, lf - at);
                line(pending, 0, pendingBytes);
                pendingBytes = 0;
            } else {
                line(buf, at, lf - at);
            }
            at = lf + 1;
        }
    }

    private static int indexOfLf(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void keepPending(byte[] buf, int from, int n) {
        int need = pendingBytes + n;
        if (need > MAX_LINE_BYTES) {
            throw new IllegalStateException("server sent a line longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (need > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(need, pending.length * 2));
        }
        System.arraycopy(buf, from, pending, pendingBytes, n);
        pendingBytes = need;
    }

    /** One line without its LF; a trailing CR is dropped here. */
    private void line(byte[] b, int from, int n) {
        if (n > 0 && b[from + n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            return;
        }
        switch (b[from]) {
            case 'M', 'm' -> startMsg(b, from, n);
            case 'P', 'p' -> {
                if (n >= 2 && (b[from + 1] == 'I' || b[from + 1] == 'i')) {
                    listener.onPing();
                } else {
                    listener.onPong();
                }
            }
            case '-' -> {
                String text = new String(b, from, n, StandardCharsets.UTF_8);
                listener.onError(text.startsWith("-ERR ") ? text.substring(5) : text);
            }
            case '+', 'I', 'i' -> {
                // +OK or INFO: nothing to do
            }
            default -> throw new IllegalStateException("unexpected line from the server: "
                    + new String(b, from, Math.min(n, 80), StandardCharsets.UTF_8));
        }
    }

    private void startMsg(byte[] b, int from, int n) {
        // MSG <subject> <sid> [reply] <size>: the size is the last token
        int end = from + n;
        int i = end - 1;
        long size = 0;
        long scale = 1;
        while (i > from && b[i] >= '0' && b[i] <= '9') {
            size += (b[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (scale == 1 || (b[i] != ' ' && b[i] != '\t') || size > Integer.MAX_VALUE - 2) {
            throw new IllegalStateException("bad MSG line from the server: "
                    + new String(b, from, Math.min(n, 80), StandardCharsets.UTF_8));
        }
        if (n > msgLine.length) {
            msgLine = Arrays.copyOf(msgLine, Math.max(n, msgLine.length * 2));
        }
        System.arraycopy(b, from, msgLine, 0, n);
        msgLineBytes = n;
        payloadBytes = (int) size;
        seqBytes = Math.min(8, payloadBytes);
        payloadPos = 0;
        seq = 0;
        inPayload = true;
    }

    private int scanPayload(byte[] buf, int at, int end) {
        while (payloadPos < seqBytes && at < end) {
            seq |= (buf[at] & 0xFFL) << (8 * payloadPos);
            payloadPos++;
            at++;
        }
        int total = payloadBytes + 2;
        int skip = Math.min(end - at, total - payloadPos);
        payloadPos += skip;
        at += skip;
        if (payloadPos == total) {
            if (buf[at - 1] != '\n') {
                throw new IllegalStateException("MSG payload not followed by CR LF (" + payloadBytes + " bytes)");
            }
            inPayload = false;
            listener.onMsg(msgLine, msgLineBytes, seq, payloadBytes);
        }
        return at;
    }
}
