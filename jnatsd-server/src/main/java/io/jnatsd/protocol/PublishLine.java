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
}
