package io.jnatsd.server.conn;

import io.jnatsd.server.account.Account;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The receivers a publisher appended to during one read batch, each to be flushed once when the batch ends
 * (nats-server's {@code pcd} set and {@code flushClients}), plus the batch's delivery counters.
 * <p>
 * Owned by one thread: a network connection's event loop, or the caller of one internal publish. Membership is
 * tracked with a per-batch token stamped on the receiver, so adding is O(1) without hashing; a receiver shared by
 * publishers on several threads may be added twice, which is harmless (flush scheduling is idempotent).
 */
final class DeliveryBatch {

    private static final AtomicLong TOKENS = new AtomicLong();

    private Connection[] receivers = new Connection[16];
    private int count;
    private long token = TOKENS.incrementAndGet();
    long outMsgs;           // deliveries to network clients (enqueueMessage)
    long outBytes;
    long internalMsgs;      // deliveries to internal subscriptions (system, JetStream, account clients)
    long internalBytes;

    void add(Connection receiver) {
        if (receiver.flushBatchToken == token) {
            return;
        }
        receiver.flushBatchToken = token;
        if (count == receivers.length) {
            Connection[] grown = new Connection[count * 2];
            System.arraycopy(receivers, 0, grown, 0, count);
            receivers = grown;
        }
        receivers[count++] = receiver;
    }

    /**
     * Schedules one flush per receiver (stamping its last activity with {@code nowNanos}, as nats-server's
     * {@code flushClients} does), adds the batch's deliveries to the server's and the publisher's account's
     * counters, and starts a new batch.
     *
     * @param publisherAccount the publisher's account, or null
     */
    // nats-server: client.go flushClients (cp.last), processMsgResults updateStats
    void flush(ServerStats stats, Account publisherAccount, long nowNanos) {
        flush(stats, publisherAccount, nowNanos, false);
    }

    /**
     * As {@link #flush(ServerStats, Account, long)}; with {@code deferred}, a receiver on the calling event loop is
     * flushed by a task that runs after the loop's current I/O, so messages appended while the loop is still reading
     * go out with one write.
     */
    void flush(ServerStats stats, Account publisherAccount, long nowNanos, boolean deferred) {
        for (int i = 0; i < count; i++) {
            receivers[i].lastActivityNanos = nowNanos;
            receivers[i].scheduleFlush(deferred);
            receivers[i] = null;
        }
        count = 0;
        token = TOKENS.incrementAndGet();
        if (outMsgs != 0 || internalMsgs != 0) {
            long msgs = outMsgs + internalMsgs;
            long bytes = outBytes + internalBytes;
            stats.outMsgs.add(msgs);
            stats.outBytes.add(bytes);
            stats.outClientMsgs.add(outMsgs);
            stats.outClientBytes.add(outBytes);
            if (publisherAccount != null) {
                publisherAccount.stats().addSent(msgs, bytes);
            }
            outMsgs = 0;
            outBytes = 0;
            internalMsgs = 0;
            internalBytes = 0;
        }
    }
}
