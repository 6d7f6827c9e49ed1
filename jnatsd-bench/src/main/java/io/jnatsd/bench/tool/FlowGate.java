package io.jnatsd.bench.tool;

import java.util.List;

/**
 * End-to-end flow control between a publisher and the readers of the same run: the publisher may run ahead of the
 * slowest reader by at most a window of messages. This keeps the server's per-subscriber backlog far below its
 * slow-consumer limit (64 MB in nats-server) without slowing a server that keeps up: the window is several
 * megabytes, so the socket pipeline stays full.
 * <p>
 * Called by the publishing thread; reads the readers' counters, which they publish with release stores.
 */
@FunctionalInterface
interface FlowGate {

    /** No flow control (nobody receives). */
    FlowGate OPEN = () -> Long.MAX_VALUE;

    /** The highest sequence number the publisher may send now. */
    long allowedUpTo();

    /** Every reader gets every message: limited by the slowest reader. */
    static FlowGate slowest(List<Subscriber> readers, long windowMsgs) {
        Subscriber[] all = readers.toArray(new Subscriber[0]);
        return () -> {
            long min = Long.MAX_VALUE;
            for (Subscriber s : all) {
                min = Math.min(min, s.received());
            }
            return min + windowMsgs;
        };
    }

    /** The readers share the messages (queue group): limited by what they received together. */
    static FlowGate together(List<Subscriber> readers, long windowMsgs) {
        Subscriber[] all = readers.toArray(new Subscriber[0]);
        return () -> {
            long sum = 0;
            for (Subscriber s : all) {
                sum += s.received();
            }
            return sum + windowMsgs;
        };
    }
}
