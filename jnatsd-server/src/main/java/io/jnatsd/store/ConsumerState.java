package io.jnatsd.store;

import java.util.HashMap;
import java.util.Map;

/**
 * A consumer's stored state: what was delivered last, the ack floors, the messages waiting for an acknowledgement
 * (stream sequence → first consumer sequence and delivery time) and the redelivery counts of messages delivered more
 * than once (stream sequence → deliveries - 1).
 * <p>
 * A plain value: {@link ConsumerStore#state()} returns a copy the caller owns; not thread-safe.
 */
// nats-server: store.go ConsumerState
public final class ConsumerState {

    /** Last delivered consumer and stream sequences. */
    public SequencePair delivered = SequencePair.ZERO;
    /** Ack floors: every message at or below is acknowledged. */
    public SequencePair ackFloor = SequencePair.ZERO;
    /** Stream sequence → pending acknowledgement. */
    public Map<Long, PendingAck> pending = new HashMap<>();
    /** Stream sequence → redelivery count (deliveries - 1). */
    public Map<Long, Long> redelivered = new HashMap<>();

    /** An empty state. */
    public ConsumerState() {
    }

    /** A deep copy. */
    public ConsumerState copy() {
        ConsumerState c = new ConsumerState();
        c.delivered = delivered;
        c.ackFloor = ackFloor;
        c.pending = new HashMap<>(pending);
        c.redelivered = new HashMap<>(redelivered);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerState s && delivered.equals(s.delivered) && ackFloor.equals(s.ackFloor)
                && pending.equals(s.pending) && redelivered.equals(s.redelivered);
    }

    @Override
    public int hashCode() {
        return delivered.hashCode() * 31 + ackFloor.hashCode();
    }

    @Override
    public String toString() {
        return "ConsumerState[delivered=" + delivered + ", ackFloor=" + ackFloor + ", pending=" + pending
                + ", redelivered=" + redelivered + "]";
    }
}
