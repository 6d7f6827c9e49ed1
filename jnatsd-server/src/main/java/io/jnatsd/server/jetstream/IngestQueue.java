package io.jnatsd.server.jetstream;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A stream's ingest queue: many publishers (event loops) offer, one writer (a virtual thread) polls
 * ({@code server/ipqueue.go ipQueue} with {@code ipqLimitByLen} and {@code ipqLimitBySize}). Bounded by messages and
 * bytes ({@code max_buffered_msgs}, {@code max_buffered_size}): an offer beyond either limit fails, and the publisher
 * answers with 429. Messages the server produces itself (markers, schedules) bypass the limits.
 * <p>
 * Thread-safe; lock-free on the offer side. The writer parks when empty and is unparked by the next offer.
 */
// nats-server: ipqueue.go ipQueue (push with limits, pop, signal channel)
final class IngestQueue {

    /**
     * One message to store.
     *
     * @param subject  the subject it was published on
     * @param reply    the reply subject, or null
     * @param header   the header block, or null
     * @param payload  the payload
     * @param internal produced by the server (fewer checks, no limits)
     */
    record Message(String subject, String reply, byte[] header, byte[] payload, boolean internal) {

        long size() {
            return subject.length() + (reply == null ? 0 : reply.length()) + (header == null ? 0 : header.length)
                    + (payload == null ? 0 : payload.length);
        }
    }

    private final int maxMsgs;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private volatile Thread waiter;
    private volatile boolean closed;
    private volatile String overflowReason = "";

    IngestQueue(int maxMsgs, long maxBytes) {
        this.maxMsgs = maxMsgs;
        this.maxBytes = maxBytes;
    }

    /** Queues a published message; false when a limit would be exceeded (or the queue is closed). */
    boolean offer(Message m) {
        if (closed) {
            return false;
        }
        long size = m.size();
        if (count.incrementAndGet() > maxMsgs) {
            count.decrementAndGet();
            overflowReason = "IPQ len limit reached";
            return false;
        }
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            count.decrementAndGet();
            overflowReason = "IPQ size limit reached";
            return false;
        }
        queue.add(m);
        signal();
        return true;
    }

    /** Queues a message the server produced, whatever the limits. */
    void offerInternal(Message m) {
        if (closed) {
            return;
        }
        count.incrementAndGet();
        bytes.addAndGet(m.size());
        queue.add(m);
        signal();
    }

    private void signal() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** The next message, or null when empty. Writer only. */
    Message poll() {
        Message m = queue.poll();
        if (m != null) {
            count.decrementAndGet();
            bytes.addAndGet(-m.size());
        }
        return m;
    }

    /** Parks the writer until a message arrives or the queue closes. Writer only. */
    void awaitMessages() {
        waiter = Thread.currentThread();
        sleeping.set(true);
        if (!queue.isEmpty() || closed) {
            sleeping.set(false);
            return;
        }
        while (sleeping.get() && !closed && queue.isEmpty()) {
            LockSupport.park(this);
        }
        sleeping.set(false);
    }

    /** Messages queued. */
    int size() {
        return count.get();
    }

    /** Why the last offer failed. */
    String overflowReason() {
        return overflowReason;
    }

    /** Refuses further offers and wakes the writer; what is queued is dropped. */
    void close() {
        closed = true;
        queue.clear();
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
