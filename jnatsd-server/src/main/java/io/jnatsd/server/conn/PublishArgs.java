package io.jnatsd.server.conn;

import io.jnatsd.common.ByteBufCopy;
import io.jnatsd.protocol.PublishLine;
import io.netty.buffer.ByteBuf;

/**
 * The message being routed: subject and reply copied into reusable arrays, payload (headers first) as a view into
 * the publisher's read buffer that is followed by CRLF. One instance per network connection, reused for every
 * message (nats-server's {@code pubArg}); internal publishes make their own.
 */
final class PublishArgs {
    byte[] subject = new byte[128];
    int subjectLength;
    byte[] reply = new byte[64];
    int replyLength;
    /** -1 for PUB, else the header block length (0 means no headers). */
    int headerLength = -1;
    ByteBuf payload;
    int payloadOffset;
    /** Length of headers plus payload, without the trailing CRLF. */
    int totalLength;
    /** The size tokens as the publisher sent them (in {@link #payload}); length 0 when there are none. */
    int headerSizeOffset;
    int headerSizeLength;
    int totalSizeOffset;
    int totalSizeLength;
    /**
     * Whether an empty reply is written as an empty token (two spaces before the size), as nats-server writes the
     * messages of its internal account clients.
     */
    boolean emptyReply;
    /** Whether the message came through a service import (it is then not exported again to stream imports). */
    boolean fromServiceImport;
    /** The service imports this message went through, newest last (cycle detection); null for a client's. */
    ServiceImports.Hop serviceImportHops;
    /**
     * When not null, the subject plain subscriptions get in their MSG lines instead of {@link #subject}, which then
     * only routes: JetStream deliveries go to the deliver subject (or a pull request's inbox) under the stored
     * message's own subject. Set only by {@link InternalPublisher}; null for every client publish.
     */
    byte[] messageSubject;
    int messageSubjectLength;
    /** Reused by deliveries that need another subject (stream imports); see {@link #scratchSubject(int)}. */
    private byte[] scratchSubject = new byte[0];

    /** A scratch array of at least {@code length} bytes, owned by the publishing thread. */
    byte[] scratchSubject(int length) {
        if (scratchSubject.length < length) {
            scratchSubject = new byte[Math.max(length, 128)];
        }
        return scratchSubject;
    }

    void setSubject(ByteBuf buf, int offset, int length) {
        if (subject.length < length) {
            subject = new byte[Math.max(length, subject.length * 2)];
        }
        ByteBufCopy.toArray(buf, offset, subject, 0, length);
        subjectLength = length;
    }

    /** Takes the subject and reply of a client's PUB/HPUB from the parser's copy of the line. */
    void setSubjectAndReply(PublishLine line) {
        int length = line.subjectLength();
        if (subject.length < length) {
            subject = new byte[Math.max(length, subject.length * 2)];
        }
        line.copySubject(subject);
        subjectLength = length;
        length = line.replyLength();
        if (reply.length < length) {
            reply = new byte[Math.max(length, reply.length * 2)];
        }
        line.copyReply(reply);
        replyLength = length;
    }

    /** Replaces the subject (a mapped one). */
    void setSubject(byte[] newSubject) {
        if (subject.length < newSubject.length) {
            subject = new byte[Math.max(newSubject.length, subject.length * 2)];
        }
        System.arraycopy(newSubject, 0, subject, 0, newSubject.length);
        subjectLength = newSubject.length;
    }

    void setReply(ByteBuf buf, int offset, int length) {
        if (reply.length < length) {
            reply = new byte[Math.max(length, reply.length * 2)];
        }
        if (length > 0) {
            ByteBufCopy.toArray(buf, offset, reply, 0, length);
        }
        replyLength = length;
    }

    boolean hasHeaders() {
        return headerLength > 0;
    }

    boolean subjectStartsWith(byte[] prefix) {
        return startsWith(subject, subjectLength, prefix);
    }

    boolean replyStartsWith(byte[] prefix) {
        return startsWith(reply, replyLength, prefix);
    }

    private static boolean startsWith(byte[] value, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (value[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
