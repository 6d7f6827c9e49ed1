package io.jnatsd.server.conn;

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
    long outMsgs;
    long outBytes;

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

    /** Schedules one flush per receiver and starts a new batch. */
    void flush(ServerStats stats) {
        for (int i = 0; i < count; i++) {
            receivers[i].scheduleFlush();
            receivers[i] = null;
        }
        count = 0;
        token = TOKENS.incrementAndGet();
        if (outMsgs != 0) {
            stats.outMsgs.add(outMsgs);
            stats.outBytes.add(outBytes);
            outMsgs = 0;
            outBytes = 0;
        }
    }
}
