package io.jnatsd.store;

import java.util.Iterator;
import java.util.Map;

/**
 * The rules by which a consumer's state moves (deliveries, acknowledgements, floors), shared by the memory and file
 * consumer stores. Not thread-safe: the owning consumer store calls it under its lock.
 */
// nats-server: memstore.go consumerMemStore (UpdateDelivered, UpdateAcks, Update, ...), filestore.go consumerFileStore
public final class ConsumerStateTracker {

    private ConsumerStoreConfig config;
    private ConsumerState state = new ConsumerState();

    public ConsumerStateTracker(ConsumerStoreConfig config) {
        this.config = config;
    }

    public ConsumerStoreConfig config() {
        return config;
    }

    public void config(ConsumerStoreConfig config) {
        this.config = config;
    }

    /** The live state (not a copy). */
    public ConsumerState state() {
        return state;
    }

    public void setStarting(long sseq) {
        state.delivered = new SequencePair(state.delivered.consumer(), sseq);
        state.ackFloor = new SequencePair(state.ackFloor.consumer(), sseq);
    }

    public void updateStarting(long sseq) {
        if (sseq > state.delivered.stream()) {
            state.delivered = new SequencePair(state.delivered.consumer(), sseq);
            if (config.ackPolicy() == AckPolicy.NONE) {
                state.ackFloor = new SequencePair(state.ackFloor.consumer(), sseq);
            }
        }
    }

    public void reset(long sseq) {
        state = new ConsumerState();
        setStarting(sseq);
    }

    public boolean hasState() {
        return state.delivered.consumer() != 0 || state.delivered.stream() != 0;
    }

    /** Returns whether the state changed. */
    // nats-server: memstore.go consumerMemStore.UpdateDelivered
    public boolean updateDelivered(long dseq, long sseq, long dc, long ts) {
        if (dc != 1 && config.ackPolicy() == AckPolicy.NONE) {
            throw new StoreException(StoreError.NO_ACK_POLICY);
        }
        if (dseq <= state.ackFloor.consumer()) {
            return false;
        }
        if (config.ackPolicy() != AckPolicy.NONE) {
            if (sseq <= state.delivered.stream()) {
                PendingAck p = state.pending.get(sseq);
                if (p != null) {
                    state.pending.put(sseq, new PendingAck(p.consumerSeq(), ts));
                }
            } else {
                state.pending.put(sseq, new PendingAck(dseq, ts));
            }
            state.delivered = new SequencePair(Math.max(dseq, state.delivered.consumer()),
                    Math.max(sseq, state.delivered.stream()));
            if (dc > 1) {
                long maxdc = config.maxDeliver();
                if (maxdc > 0 && dc > maxdc) {
                    state.pending.remove(sseq);
                }
                Long prev = state.redelivered.get(sseq);
                if (prev == null || prev < dc - 1) {
                    state.redelivered.put(sseq, dc - 1);
                }
            }
        } else {
            long c = state.delivered.consumer();
            long s = state.delivered.stream();
            long fc = state.ackFloor.consumer();
            long fs = state.ackFloor.stream();
            if (dseq > c) {
                c = dseq;
                fc = dseq;
            }
            if (sseq > s) {
                s = sseq;
                fs = sseq;
            }
            state.delivered = new SequencePair(c, s);
            state.ackFloor = new SequencePair(fc, fs);
        }
        return true;
    }

    /** Returns whether the state changed. */
    // nats-server: memstore.go consumerMemStore.UpdateAcks
    public boolean updateAcks(long dseq, long sseq) {
        if (config.ackPolicy() == AckPolicy.NONE) {
            throw new StoreException(StoreError.NO_ACK_POLICY);
        }
        boolean changed = !state.redelivered.isEmpty() && state.redelivered.remove(sseq) != null;
        if (dseq <= state.ackFloor.consumer()) {
            return changed;
        }
        if (state.pending.isEmpty() || !state.pending.containsKey(sseq)) {
            throw new StoreException(StoreError.MSG_NOT_FOUND);
        }
        if (config.ackPolicy() == AckPolicy.ALL || config.ackPolicy() == AckPolicy.FLOW_CONTROL) {
            long sgap = sseq - state.ackFloor.stream();
            state.ackFloor = new SequencePair(dseq, sseq);
            if (sgap > state.pending.size()) {
                Iterator<Map.Entry<Long, PendingAck>> it = state.pending.entrySet().iterator();
                while (it.hasNext()) {
                    long seq = it.next().getKey();
                    if (seq <= sseq) {
                        it.remove();
                        state.redelivered.remove(seq);
                    }
                }
            } else {
                for (long seq = sseq; seq > sseq - sgap && !state.pending.isEmpty(); seq--) {
                    state.pending.remove(seq);
                    state.redelivered.remove(seq);
                }
            }
            return true;
        }
        PendingAck p = state.pending.remove(sseq);
        if (p != null && dseq > p.consumerSeq() && p.consumerSeq() > 0) {
            dseq = p.consumerSeq();
        }
        if (state.pending.isEmpty()) {
            state.ackFloor = state.delivered;
        } else if (dseq == state.ackFloor.consumer() + 1) {
            state.ackFloor = new SequencePair(dseq, sseq);
            if (state.delivered.consumer() > dseq) {
                for (long ss = sseq + 1; ss <= state.delivered.stream(); ss++) {
                    PendingAck np = state.pending.get(ss);
                    if (np != null) {
                        if (np.consumerSeq() > 0) {
                            state.ackFloor = new SequencePair(np.consumerSeq() - 1, ss - 1);
                        }
                        break;
                    }
                }
            }
        }
        return true;
    }

    public void removeRedeliveredBelow(long seq) {
        if (seq == 0) {
            return;
        }
        state.redelivered.keySet().removeIf(s -> s < seq);
    }

    /** Checks {@code s} and replaces the state with a copy of it. */
    // nats-server: memstore.go consumerMemStore.Update / ForceUpdate
    public void update(ConsumerState s, boolean force) {
        if (s.ackFloor.consumer() > s.delivered.consumer()) {
            throw new StoreException(StoreError.BAD_REQUEST, "bad ack floor for consumer");
        }
        if (s.ackFloor.stream() > s.delivered.stream()) {
            throw new StoreException(StoreError.BAD_REQUEST, "bad ack floor for stream");
        }
        for (Long seq : s.pending.keySet()) {
            if (seq <= s.ackFloor.stream() || seq > s.delivered.stream()) {
                throw new StoreException(StoreError.BAD_REQUEST,
                        "bad pending entry, sequence [" + seq + "] out of range");
            }
        }
        if (!force && (s.delivered.consumer() < state.delivered.consumer()
                || s.ackFloor.stream() < state.ackFloor.stream())) {
            throw new StoreException(StoreError.OLD_UPDATE);
        }
        state = s.copy();
    }

    /** Replaces the state without checks (recovery). */
    public void restore(ConsumerState s) {
        state = s;
    }
}
