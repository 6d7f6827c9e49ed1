package io.jnatsd.server.conn;

import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.ServiceImport;
import io.jnatsd.server.account.StreamImport;
import io.jnatsd.subject.SublistEntry;

import java.nio.charset.StandardCharsets;

/**
 * One subscription of a connection: subject, optional queue group and sid, the auto-unsubscribe limit and the
 * count of messages delivered so far. Lives in its account's sublist and in its connection's sid map.
 * <p>
 * A subscription may also be a shadow of a client subscription inserted into an exporting account's sublist for a
 * stream import, the internal subscription of a service import, or the internal {@code _R_.} subscription that
 * routes responses; those take their own delivery path ({@link #special}).
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
    /** Shadow subscriptions: the stream import this one delivers through, else null. */
    final StreamImport streamImport;
    /** Shadow subscriptions: the client's own subscription they stand for, else null. */
    final Subscription parent;
    /** The service import whose requests this internal subscription catches, else null. */
    final ServiceImport serviceImport;
    /** The account whose response mappings this internal {@code _R_.} subscription serves, else null. */
    final Account responsesOf;
    /** Whether delivery takes another path than appending a MSG to the connection: any of the above is set. */
    final boolean special;

    long delivered;        // guarded by connection.outbound lock
    long maxMessages;      // 0 = unlimited; guarded by connection.outbound lock
    volatile boolean closed;
    /** The shadow subscriptions in exporters' sublists (stream imports), or null; owner's thread only. */
    Subscription[] shadows;

    Subscription(Connection connection, byte[] subject, byte[] queue, byte[] sid, MessageHandler handler) {
        this(connection, subject, queue, sid, handler, null, null, null, null);
    }

    Subscription(Connection connection, byte[] subject, byte[] queue, byte[] sid, MessageHandler handler,
                 StreamImport streamImport, Subscription parent, ServiceImport serviceImport, Account responsesOf) {
        this.connection = connection;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.handler = handler;
        this.streamImport = streamImport;
        this.parent = parent;
        this.serviceImport = serviceImport;
        this.responsesOf = responsesOf;
        this.special = handler != null || streamImport != null || serviceImport != null || responsesOf != null;
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
