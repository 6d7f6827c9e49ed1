package io.jnatsd.bench.tool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental scanner of the server-to-client byte stream: finds each line, and for {@code MSG} skips the payload
 * after reading the sequence number from its first bytes (see {@link PubBatch} for the layout). Creates no object
 * per message. Reads the socket's buffer in place with absolute gets, so a large payload is never copied: only each
 * control line (tens of bytes) is copied into a reused array, which the listener may read, for example for the
 * reply subject.
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

    private byte[] line = new byte[256];      // the current control line; for a MSG, kept until its payload ends
    private int lineBytes;
    private boolean inPayload;
    private int headerBytes;                  // size of the current HMSG's headers (0 for a MSG)
    private int payloadBytes;                 // size of the current MSG payload (after the headers)
    private int payloadPos;                   // bytes of payload + CRLF consumed so far
    private int seqBytes;                     // min(8, payloadBytes)
    private long seq;

    MsgScanner(Listener listener) {
        this.listener = listener;
    }

    /** Consumes {@code buf[off .. off+len)}. */
    void scan(byte[] buf, int off, int len) {
        scan(ByteBuffer.wrap(buf), off, len);
    }

    /**
     * Consumes the bytes at absolute indexes {@code off .. off+len)} of {@code buf} (its position and limit are not
     * used or changed); calls the listener for every complete item.
     */
    void scan(ByteBuffer buf, int off, int len) {
        int at = off;
        int end = off + len;
        while (at < end) {
            if (inPayload) {
                at = scanPayload(buf, at, end);
                continue;
            }
            int lf = indexOfLf(buf, at, end);
            append(buf, at, (lf < 0 ? end : lf) - at);
            if (lf < 0) {
                return;
            }
            at = lf + 1;
            int n = lineBytes;
            lineBytes = 0;
            onLine(n);
        }
    }

    private static int indexOfLf(ByteBuffer buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(ByteBuffer buf, int from, int n) {
        int need = lineBytes + n;
        if (need > MAX_LINE_BYTES) {
            throw new IllegalStateException("server sent a line longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (need > line.length) {
            line = Arrays.copyOf(line, Math.max(need, line.length * 2));
        }
        buf.get(from, line, lineBytes, n);
        lineBytes = need;
    }

    /** The line in {@code line[0..n)}, without its LF; a trailing CR is dropped here. */
    private void onLine(int n) {
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            return;
        }
        switch (line[0]) {
            case 'M', 'm', 'H', 'h' -> startMsg(n);
            case 'P', 'p' -> {
                if (n >= 2 && (line[1] == 'I' || line[1] == 'i')) {
                    listener.onPing();
                } else {
                    listener.onPong();
                }
            }
            case '-' -> {
                String text = new String(line, 0, n, StandardCharsets.UTF_8);
                listener.onError(text.startsWith("-ERR ") ? text.substring(5) : text);
            }
            case '+', 'I', 'i' -> {
                // +OK or INFO: nothing to do
            }
            default -> throw new IllegalStateException("unexpected line from the server: " + text(n));
        }
    }

    private String text(int n) {
        return new String(line, 0, Math.min(n, 80), StandardCharsets.UTF_8);
    }

    private void startMsg(int n) {
        // MSG <subject> <sid> [reply] <size>, HMSG <subject> <sid> [reply] <header size> <total size>
        boolean headers = line[0] == 'H' || line[0] == 'h';
        int i = n - 1;
        long size = 0;
        long scale = 1;
        while (i > 0 && line[i] >= '0' && line[i] <= '9' && scale <= 1_000_000_000L) {
            size += (line[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (scale == 1 || (line[i] != ' ' && line[i] != '\t') || size > Integer.MAX_VALUE - 2) {
            throw new IllegalStateException("bad MSG line from the server: " + text(n));
        }
        long hdr = 0;
        if (headers) {
            i--;
            scale = 1;
            while (i > 0 && line[i] >= '0' && line[i] <= '9' && scale <= 1_000_000_000L) {
                hdr += (line[i] - '0') * scale;
                scale *= 10;
                i--;
            }
            if (scale == 1 || hdr > size) {
                throw new IllegalStateException("bad HMSG line from the server: " + text(n));
            }
        }
        lineBytes = n;                        // kept (without CR) until the payload is complete
        headerBytes = (int) hdr;
        payloadBytes = (int) (size - hdr);
        seqBytes = Math.min(8, payloadBytes);
        payloadPos = 0;
        seq = 0;
        inPayload = true;
    }

    private int scanPayload(ByteBuffer buf, int at, int end) {
        if (payloadPos < headerBytes) {
            int skip = Math.min(end - at, headerBytes - payloadPos);
            payloadPos += skip;
            at += skip;
        }
        while (payloadPos >= headerBytes && payloadPos < headerBytes + seqBytes && at < end) {
            seq |= (buf.get(at) & 0xFFL) << (8 * (payloadPos - headerBytes));
            payloadPos++;
            at++;
        }
        int total = headerBytes + payloadBytes + 2;
        int skip = Math.min(end - at, total - payloadPos);
        payloadPos += skip;
        at += skip;
        if (payloadPos == total) {
            if (buf.get(at - 1) != '\n') {
                throw new IllegalStateException("MSG payload not followed by CR LF (" + payloadBytes + " bytes)");
            }
            inPayload = false;
            int n = lineBytes;
            lineBytes = 0;
            listener.onMsg(line, n, seq, payloadBytes);
        }
        return at;
    }
}
