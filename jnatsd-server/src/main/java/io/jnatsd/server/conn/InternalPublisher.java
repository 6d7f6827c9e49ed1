package io.jnatsd.server.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Publishes many messages from an internal connection on one thread, reusing its buffers, and flushes the receivers
 * once per batch: the way a JetStream stream's writer sends its acknowledgements (nats-server's {@code outq} drained by
 * the stream's internal loop, then {@code flushClients}). A receiver gets the message copied into its outbound buffer
 * during {@link #publish}, so the caller may reuse its arrays at once.
 * <p>
 * Owned by one thread; not thread-safe. {@link #flush} must be called after a batch, or receivers only see the
 * messages at their next flush. A {@link #pooled} publisher must be {@link #close closed} by its owner.
 */
// nats-server: stream.go internalLoop (outq), client.go flushClients
public final class InternalPublisher implements AutoCloseable {

    private static final byte[] CRLF = {'\r', '\n'};

    private final Connection client;
    private final PublishArgs pa = new PublishArgs();
    private final DeliveryBatch batch = new DeliveryBatch();
    private final ByteBuf body;
    private byte[] replyBytes = new byte[64];
    private byte[] messageSubjectBytes = new byte[128];

    /** A publisher for the internal connection {@code client}, with an unpooled buffer ({@link #close} optional). */
    public InternalPublisher(Connection client) {
        this(client, Unpooled.buffer(256));
    }

    private InternalPublisher(Connection client, ByteBuf body) {
        if (!client.kind().isInternal()) {
            body.release();
            throw new IllegalArgumentException("client: " + client.kind() + " (expected: an internal connection)");
        }
        this.client = client;
        this.body = body;
    }

    /**
     * A publisher for the internal connection {@code client} whose message buffer comes from Netty's default
     * (adaptive) allocator, for a long-lived owner that publishes many messages: receivers' outbound buffers come from
     * the same allocator, and a copy between two of its buffers needs no temporary {@code ByteBuffer} view (from an
     * unpooled buffer it allocates two per message). The owner must {@link #close} it when done.
     */
    public static InternalPublisher pooled(Connection client) {
        return new InternalPublisher(client, ByteBufAllocator.DEFAULT.heapBuffer(256));
    }

    /** Gives the message buffer back; the publisher must not be used afterwards. */
    @Override
    public void close() {
        if (body.refCnt() > 0) {
            body.release();
        }
    }

    /**
     * Publishes {@code payload[payloadOffset, payloadOffset + payloadLength)} with the header block
     * {@code header[headerOffset, headerOffset + headerLength)} (null for none) on {@code subject}, with
     * {@code reply} (null for none).
     *
     * @return whether any subscription received it
     */
    public boolean publish(String subject, String reply, byte[] header, int headerOffset, int headerLength,
                           byte[] payload, int payloadOffset, int payloadLength) {
        if (reply == null) {
            pa.replyLength = 0;
        } else {
            int n = reply.length();
            if (replyBytes.length < n * 3) {
                replyBytes = new byte[Math.max(n * 3, replyBytes.length * 2)];
            }
            pa.reply = replyBytes;
            pa.replyLength = encodeInto(reply, replyBytes);
        }
        return send(subject, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
    }

    /** Publishes with the reply already in {@link #pa}. */
    private boolean send(String subject, byte[] header, int headerOffset, int headerLength, byte[] payload,
                         int payloadOffset, int payloadLength) {
        pa.subjectLength = encodeSubject(subject);
        pa.emptyReply = false;
        pa.fromServiceImport = false;
        pa.serviceImportHops = null;
        int hdrLength = header == null ? 0 : headerLength;
        body.clear();
        if (hdrLength > 0) {
            body.writeBytes(header, headerOffset, hdrLength);
        }
        if (payloadLength > 0) {
            body.writeBytes(payload, payloadOffset, payloadLength);
        }
        body.writeBytes(CRLF);
        pa.headerLength = header == null ? -1 : hdrLength;
        pa.payload = body;
        pa.payloadOffset = 0;
        pa.totalLength = hdrLength + payloadLength;
        var result = client.account().sublist().match(pa.subject, 0, pa.subjectLength);
        return !result.isEmpty() && client.routeResult(result, pa, batch);
    }

    /**
     * Delivers to the subscribers of {@code deliverTo} a message whose MSG lines carry {@code subject} (a JetStream
     * delivery: routed by the deliver subject or pull request inbox, written with the stored message's subject).
     *
     * @return whether any subscription received it
     */
    public boolean deliver(String deliverTo, String subject, String reply, byte[] header, int headerOffset,
                           int headerLength, byte[] payload, int payloadOffset, int payloadLength) {
        int n = subject.length();
        if (messageSubjectBytes.length < n * 3) {
            messageSubjectBytes = new byte[Math.max(n * 3, messageSubjectBytes.length * 2)];
        }
        pa.messageSubjectLength = encodeInto(subject, messageSubjectBytes);
        pa.messageSubject = messageSubjectBytes;
        try {
            return publish(deliverTo, reply, header, headerOffset, headerLength, payload, payloadOffset,
                    payloadLength);
        } finally {
            pa.messageSubject = null;
        }
    }

    /**
     * As {@link #deliver(String, String, String, byte[], int, int, byte[], int, int)} with the reply subject given as
     * the UTF-8 bytes {@code reply[0, replyLength)} (read during the call only), so that a caller building a reply per
     * message (a JetStream ack subject) needs no {@code String} for it.
     *
     * @return whether any subscription received it
     */
    public boolean deliver(String deliverTo, String subject, byte[] reply, int replyLength, byte[] header,
                           int headerOffset, int headerLength, byte[] payload, int payloadOffset, int payloadLength) {
        int n = subject.length();
        if (messageSubjectBytes.length < n * 3) {
            messageSubjectBytes = new byte[Math.max(n * 3, messageSubjectBytes.length * 2)];
        }
        pa.messageSubjectLength = encodeInto(subject, messageSubjectBytes);
        pa.messageSubject = messageSubjectBytes;
        pa.reply = reply;
        pa.replyLength = replyLength;
        try {
            return send(deliverTo, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        } finally {
            pa.messageSubject = null;
            pa.reply = replyBytes;
            pa.replyLength = 0;
        }
    }

    /** Publishes a whole {@code payload} without headers. */
    public boolean publish(String subject, byte[] payload) {
        return publish(subject, null, null, 0, 0, payload, 0, payload.length);
    }

    /** Publishes {@code payload[0, length)} without headers. */
    public boolean publish(String subject, byte[] payload, int length) {
        return publish(subject, null, null, 0, 0, payload, 0, length);
    }

    /** Schedules one flush per receiver touched since the last flush. */
    public void flush() {
        batch.flush(client.host().stats(), client.account(), System.nanoTime(), false);
    }

    /**
     * As {@link #flush()}, but a receiver served by the calling event loop is flushed after the loop's current I/O:
     * for messages published while a network connection's read is being processed (its other messages of the same
     * read then share the write).
     */
    public void flushDeferred() {
        batch.flush(client.host().stats(), client.account(), System.nanoTime(), true);
    }

    private int encodeSubject(String s) {
        int n = s.length();
        if (pa.subject.length < n * 3) {
            pa.subject = new byte[Math.max(n * 3, pa.subject.length * 2)];
        }
        return encodeInto(s, pa.subject);
    }

    /** UTF-8 of {@code s} into {@code out} (sized for 3 bytes per char); ASCII without allocation. */
    private static int encodeInto(String s, byte[] out) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, out, 0, utf8.length);
                return utf8.length;
            }
            out[i] = (byte) c;
        }
        return n;
    }
}
