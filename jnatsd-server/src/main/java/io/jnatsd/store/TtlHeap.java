package io.jnatsd.store;

import java.util.Arrays;

/**
 * Expiry times of messages with a per-message TTL: a binary min-heap of (expires, sequence) pairs in two primitive
 * arrays. Removed messages are not taken out; the store checks that a popped sequence still exists (a sequence's
 * message never changes, so its expiry is exact). {@link #compact} drops such stale entries when they pile up.
 * <p>
 * Not thread-safe: guarded by the owning store's lock.
 */
// nats-server: thw/thw.go HashWheel (Add, Remove, ExpireTasks, GetNextExpiration); our design is a lazy heap
public final class TtlHeap {

    private long[] expires = new long[16];
    private long[] seqs = new long[16];
    private int size;

    /** Adds {@code seq} expiring at {@code expiresNanos}. */
    public void add(long seq, long expiresNanos) {
        if (size == expires.length) {
            expires = Arrays.copyOf(expires, size * 2);
            seqs = Arrays.copyOf(seqs, size * 2);
        }
        int i = size++;
        expires[i] = expiresNanos;
        seqs[i] = seq;
        siftUp(i);
    }

    /** Number of entries, stale ones included. */
    public int size() {
        return size;
    }

    /** Earliest expiry, or {@link Long#MAX_VALUE} when empty. */
    public long nextExpiry() {
        return size == 0 ? Long.MAX_VALUE : expires[0];
    }

    /** Sequence of the earliest entry (only when {@link #size()} > 0). */
    public long peekSeq() {
        return seqs[0];
    }

    /** Removes the earliest entry. */
    public void pop() {
        size--;
        if (size > 0) {
            expires[0] = expires[size];
            seqs[0] = seqs[size];
            siftDown(0);
        }
    }

    /** Removes everything. */
    public void clear() {
        size = 0;
    }

    /** Keeps only the entries whose sequence passes {@code live}, then rebuilds the heap. */
    public void compact(java.util.function.LongPredicate live) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (live.test(seqs[i])) {
                expires[n] = expires[i];
                seqs[n] = seqs[i];
                n++;
            }
        }
        size = n;
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Calls {@code visitor} for every entry (unordered). */
    public void forEach(EntryVisitor visitor) {
        for (int i = 0; i < size; i++) {
            visitor.visit(seqs[i], expires[i]);
        }
    }

    /** Receives heap entries. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long seq, long expiresNanos);
    }

    private void siftUp(int i) {
        long e = expires[i];
        long s = seqs[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (expires[p] <= e) {
                break;
            }
            expires[i] = expires[p];
            seqs[i] = seqs[p];
            i = p;
        }
        expires[i] = e;
        seqs[i] = s;
    }

    private void siftDown(int i) {
        long e = expires[i];
        long s = seqs[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && expires[r] < expires[c]) {
                c = r;
            }
            if (e <= expires[c]) {
                break;
            }
            expires[i] = expires[c];
            seqs[i] = seqs[c];
            i = c;
        }
        expires[i] = e;
        seqs[i] = s;
    }
}
