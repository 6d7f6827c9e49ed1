package io.jnatsd.server.conn;

import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide message and byte counters ({@code /varz} in_msgs, out_msgs, in_bytes, out_bytes, the
 * {@code *_client_*} variants, slow_consumers, stale_connections). Connections add their per-read-batch totals once
 * per batch. Every network connection is a client today, so the slow consumer and stale connection counts are the
 * clients' ({@code slow_consumer_stats.clients}). Thread-safe.
 */
public final class ServerStats {
    final LongAdder inMsgs = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outMsgs = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder staleConnections = new LongAdder();
    final LongAdder inClientMsgs = new LongAdder();
    final LongAdder inClientBytes = new LongAdder();
    final LongAdder outClientMsgs = new LongAdder();
    final LongAdder outClientBytes = new LongAdder();

    public long inClientMsgs() {
        return inClientMsgs.sum();
    }

    public long inClientBytes() {
        return inClientBytes.sum();
    }

    public long outClientMsgs() {
        return outClientMsgs.sum();
    }

    public long outClientBytes() {
        return outClientBytes.sum();
    }

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
