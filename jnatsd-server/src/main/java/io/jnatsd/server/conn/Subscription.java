package io.jnatsd.server.conn;

import io.jnatsd.subject.SublistEntry;

import java.nio.charset.StandardCharsets;

/**
 * One subscription of a connection: subject, optional queue group and sid, the auto-unsubscribe limit and the
 * count of messages delivered so far. Lives in its account's sublist and in its connection's sid map.
 * <p>
 * Immutable identity; {@link #delivered} and {@link #maxMessages} change under the owning connection's outbound
 * lock ({@link Outbound}), which every delivery holds, so the auto-unsubscribe limit is exact under concurrent
 * publishers. {@link #closed} is volatile: a removed subscription may still sit in a publisher's cached match
 * result, and deliveries to it are dropped.
 */
public final class Subscription implements SublistEntry {

    private final Connection connection;
    private final byte[] subject;
    private final byte[] queue;
    private final byte[] sid;
    private final MessageHandler handler;

    long delivered;        // guarded by connection.outbound lock
    long maxMessages;      // 0 = unlimited; guarded by connection.outbound lock
    volatile boolean closed;

    Subscription(Connection connection, byte[] subject, byte[] queue, byte[] sid, MessageHandler handler) {
        this.connection = connection;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.handler = handler;
    }

    @Override
    public byte[] subject() {
        return subject;
    }

    @Override
    public byte[] queue() {
        return queue;
    }

    public byte[] sid() {
        return sid;
    }

    public Connection connection() {
        return connection;
    }

    /** The callback of an internal subscription, null for a network client's. */
    public MessageHandler handler() {
        return handler;
    }

    public String subjectString() {
        return new String(subject, StandardCharsets.UTF_8);
    }

    public String queueString() {
        return queue == null ? null : new String(queue, StandardCharsets.UTF_8);
    }

    public String sidString() {
        return new String(sid, StandardCharsets.UTF_8);
    }

    /** Messages delivered so far; read without the owner's lock, so possibly a little behind (monitoring). */
    public long deliveredCount() {
        return delivered;
    }

    /** The auto-unsubscribe limit, 0 for none; read without the owner's lock (monitoring). */
    public long maxMessagesCount() {
        return maxMessages;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Subscription[" + subjectString() + (queue == null ? "" : " " + queueString()) + " sid="
                + sidString() + "]";
    }
}
