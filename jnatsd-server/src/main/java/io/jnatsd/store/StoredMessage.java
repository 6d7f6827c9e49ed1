package io.jnatsd.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A message read from a store, in a holder the caller reuses so that loading does not allocate per message. A load
 * method fills the holder passed to it ({@code into}) and returns it; the holder's buffer grows as needed and is
 * kept. The header block ({@code NATS/1.0\r\n...\r\n\r\n}) sits at {@code buffer()[0, headerLength())} and the payload
 * right after it at {@code buffer()[payloadOffset(), payloadOffset() + payloadLength())}.
 * <p>
 * The bytes belong to the holder: they stay valid until the holder is filled again. Not thread-safe: one holder per
 * reading thread. {@link #header()} and {@link #payload()} return copies for callers that keep them.
 */
// nats-server: store.go StoreMsg (subj, hdr, msg, buf, seq, ts)
public final class StoredMessage {

    private static final byte[] EMPTY = new byte[0];

    private String subject = "";
    private byte[] subjectBytes = EMPTY;          // cached UTF-8 of subject, for file loads that start from bytes
    private byte[] buffer = EMPTY;
    private int headerLength;
    private int payloadLength;
    private long sequence;
    private long timestampNanos;

    /** An empty holder. */
    public StoredMessage() {
    }

    /** The subject. */
    public String subject() {
        return subject;
    }

    /** The stream sequence. */
    public long sequence() {
        return sequence;
    }

    /** When the message was stored, in nanoseconds since the epoch (UTC). */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** The buffer holding the header block and then the payload; longer than both. */
    public byte[] buffer() {
        return buffer;
    }

    /** Length of the header block; 0 when the message has no headers. */
    public int headerLength() {
        return headerLength;
    }

    /** Offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return headerLength;
    }

    /** Length of the payload. */
    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the header block, or null when there is none. */
    public byte[] header() {
        return headerLength == 0 ? null : Arrays.copyOf(buffer, headerLength);
    }

    /** A copy of the payload (empty array for an empty payload). */
    public byte[] payload() {
        return payloadLength == 0 ? EMPTY : Arrays.copyOfRange(buffer, headerLength, headerLength + payloadLength);
    }

    /** Sets every field from arrays (copies the bytes). Stores call this; tests may too. */
    public StoredMessage set(String subject, byte[] header, byte[] payload, long sequence, long timestampNanos) {
        int hl = header == null ? 0 : header.length;
        int pl = payload == null ? 0 : payload.length;
        byte[] b = ensureCapacity(hl + pl);
        if (hl > 0) {
            System.arraycopy(header, 0, b, 0, hl);
        }
        if (pl > 0) {
            System.arraycopy(payload, 0, b, hl, pl);
        }
        setFields(subject, hl, pl, sequence, timestampNanos);
        return this;
    }

    /**
     * Sets every field, copying the header and payload from one array where the payload follows the header at
     * {@code offset + headerLength}.
     */
    public StoredMessage set(String subject, byte[] src, int offset, int headerLength, int payloadLength,
                             long sequence, long timestampNanos) {
        byte[] b = ensureCapacity(headerLength + payloadLength);
        System.arraycopy(src, offset, b, 0, headerLength + payloadLength);
        setFields(subject, headerLength, payloadLength, sequence, timestampNanos);
        return this;
    }

    /**
     * Sets the subject from UTF-8 bytes, reusing the previous {@code String} when the bytes are the same (loads of
     * one subject in a row, the common case for consumers, then allocate nothing).
     */
    public void subjectFromBytes(byte[] src, int offset, int length) {
        if (length != subjectBytes.length || !Arrays.equals(subjectBytes, 0, length, src, offset, offset + length)) {
            subjectBytes = Arrays.copyOfRange(src, offset, offset + length);
            subject = new String(subjectBytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Makes room for {@code length} bytes of header and payload and returns the buffer to fill; the caller then
     * calls {@link #setLengths}.
     */
    public byte[] ensureCapacity(int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, Math.min(Integer.MAX_VALUE - 8, buffer.length * 2))];
        }
        return buffer;
    }

    /** Sets lengths, sequence and timestamp after the caller filled {@link #ensureCapacity} (subject set apart). */
    public void setLengths(int headerLength, int payloadLength, long sequence, long timestampNanos) {
        this.headerLength = headerLength;
        this.payloadLength = payloadLength;
        this.sequence = sequence;
        this.timestampNanos = timestampNanos;
    }

    private void setFields(String subject, int headerLength, int payloadLength, long sequence, long timestampNanos) {
        if (!subject.equals(this.subject)) {
            this.subject = subject;
            this.subjectBytes = EMPTY;
        }
        setLengths(headerLength, payloadLength, sequence, timestampNanos);
    }

    /** Resets to an empty message, keeping the buffer. */
    public void clear() {
        subject = "";
        subjectBytes = EMPTY;
        headerLength = 0;
        payloadLength = 0;
        sequence = 0;
        timestampNanos = 0;
    }

    @Override
    public String toString() {
        return "StoredMessage[seq=" + sequence + ", subject=" + subject + ", hdr=" + headerLength + ", msg="
                + payloadLength + "]";
    }
}
