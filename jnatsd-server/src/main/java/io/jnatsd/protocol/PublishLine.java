package io.jnatsd.protocol;

/**
 * A complete PUB or HPUB as offsets into the read buffer: the parser's one reused argument holder
 * (nats-server's {@code pubArg}). Valid only during {@link ProtocolHandler#onPublish}; never escapes.
 * The size tokens are kept as sent because nats-server copies them verbatim into MSG/HMSG lines
 * ({@code PUB foo 01} is delivered as {@code MSG foo 1 01}).
 */
public final class PublishLine {
    int subjectOffset;
    int subjectLength;
    int replyOffset;
    int replyLength;
    int headerLength = -1;
    int headerSizeOffset;
    int headerSizeLength;
    int totalLength;
    int totalSizeOffset;
    int totalSizeLength;
    int payloadOffset;
    byte[] line;        // the control line, copied: line[0] is the buffer's byte at lineStart
    int lineStart;

    public int subjectOffset() {
        return subjectOffset;
    }

    public int subjectLength() {
        return subjectLength;
    }

    /** Offset of the reply subject; meaningless when {@link #replyLength()} is 0. */
    public int replyOffset() {
        return replyOffset;
    }

    /** 0 without a reply subject. */
    public int replyLength() {
        return replyLength;
    }

    /** -1 for PUB, else the header block length (0 means no headers). */
    public int headerLength() {
        return headerLength;
    }

    /** The HPUB header size token as sent. */
    public int headerSizeOffset() {
        return headerSizeOffset;
    }

    public int headerSizeLength() {
        return headerSizeLength;
    }

    /** Headers plus payload, without the trailing CRLF. */
    public int totalLength() {
        return totalLength;
    }

    /** The total size token as sent. */
    public int totalSizeOffset() {
        return totalSizeOffset;
    }

    public int totalSizeLength() {
        return totalSizeLength;
    }

    /** Where the headers (or, for PUB, the payload) start; followed by CRLF after {@link #totalLength()} bytes. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /**
     * Copies the subject into {@code dst[0, subjectLength)} from the parser's copy of the control line (cheaper
     * than reading the buffer again).
     */
    public void copySubject(byte[] dst) {
        System.arraycopy(line, subjectOffset - lineStart, dst, 0, subjectLength);
    }

    /** Copies the reply subject into {@code dst[0, replyLength)}, as {@link #copySubject}. */
    public void copyReply(byte[] dst) {
        if (replyLength > 0) {
            System.arraycopy(line, replyOffset - lineStart, dst, 0, replyLength);
        }
    }
}
