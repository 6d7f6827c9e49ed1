package io.jnatsd.server.conn;

import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide message and byte counters ({@code /varz} in_msgs, out_msgs, in_bytes, out_bytes, slow_consumers).
 * Connections add their per-read-batch totals once per batch. Thread-safe.
 */
public final class ServerStats {
    final LongAdder inMsgs = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outMsgs = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder staleConnections = new LongAdder();

    public long inMsgs() {
        return inMsgs.sum();
    }

    public long inBytes() {
        return inBytes.sum();
    }

    public long outMsgs() {
        return outMsgs.sum();
    }

    public long outBytes() {
        return outBytes.sum();
    }

    public long slowConsumers() {
        return slowConsumers.sum();
    }

    public long staleConnections() {
        return staleConnections.sum();
    }
}
