package io.jnatsd.store.file;

import java.util.Arrays;

/**
 * A set of sequences kept as sorted, disjoint, non-adjacent closed ranges: a block's deleted sequences (removed
 * messages, skips). Removals from the front of a stream and skip runs stay one range, so the set stays small.
 * <p>
 * Not thread-safe: guarded by the owning block's monitor.
 */
// nats-server: avl/seqset.go SequenceSet (our design: run-length ranges)
final class SequenceRanges {

    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int size;
    private long count;

    /** Number of sequences. */
    long count() {
        return count;
    }

    /** Number of ranges. */
    int ranges() {
        return size;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code seq} is in the set. */
    boolean contains(long seq) {
        int i = find(seq);
        return i >= 0 && starts[i] <= seq && seq <= ends[i];
    }

    /** Index of the last range starting at or before {@code seq}, or -1. */
    private int find(long seq) {
        int lo = 0;
        int hi = size - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= seq) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    /** Adds {@code seq}; returns false when it was there. */
    boolean add(long seq) {
        return addRange(seq, seq) > 0;
    }

    /** Adds {@code [from, to]}; returns how many sequences were new. */
    long addRange(long from, long to) {
        if (to < from) {
            return 0;
        }
        // fast path: append after the last range
        if (size == 0 || from > ends[size - 1] + 1) {
            ensure();
            starts[size] = from;
            ends[size] = to;
            size++;
            count += to - from + 1;
            return to - from + 1;
        }
        long added = 0;
        long s = from;
        while (s <= to) {
            int i = find(s);
            if (i >= 0 && s <= ends[i]) {
                s = ends[i] + 1;            // already covered
                continue;
            }
            long gapEnd = i + 1 < size ? Math.min(to, starts[i + 1] - 1) : to;
            insert(i + 1, s, gapEnd);
            added += gapEnd - s + 1;
            s = gapEnd + 1;
        }
        count += added;
        mergeAll();
        return added;
    }

    private void insert(int at, long s, long e) {
        ensure();
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(ends, at, ends, at + 1, size - at);
        starts[at] = s;
        ends[at] = e;
        size++;
    }

    private void mergeAll() {
        if (size == 0) {
            return;
        }
        int out = 0;
        for (int r = 1; r < size; r++) {
            if (starts[r] <= ends[out] + 1) {
                ends[out] = Math.max(ends[out], ends[r]);
            } else {
                out++;
                starts[out] = starts[r];
                ends[out] = ends[r];
            }
        }
        size = out + 1;
    }

    /** Removes {@code seq}; returns false when it was not there. */
    boolean remove(long seq) {
        int i = find(seq);
        if (i < 0 || seq > ends[i]) {
            return false;
        }
        count--;
        if (starts[i] == ends[i]) {
            System.arraycopy(starts, i + 1, starts, i, size - i - 1);
            System.arraycopy(ends, i + 1, ends, i, size - i - 1);
            size--;
        } else if (starts[i] == seq) {
            starts[i]++;
        } else if (ends[i] == seq) {
            ends[i]--;
        } else {
            insert(i + 1, seq + 1, ends[i]);
            ends[i] = seq - 1;
        }
        return true;
    }

    /** Removes every sequence below {@code seq}. */
    void removeBelow(long seq) {
        int keep = 0;
        while (keep < size && ends[keep] < seq) {
            count -= ends[keep] - starts[keep] + 1;
            keep++;
        }
        if (keep > 0) {
            System.arraycopy(starts, keep, starts, 0, size - keep);
            System.arraycopy(ends, keep, ends, 0, size - keep);
            size -= keep;
        }
        if (size > 0 && starts[0] < seq) {
            count -= seq - starts[0];
            starts[0] = seq;
        }
    }

    /** Removes every sequence above {@code seq}. */
    void removeAbove(long seq) {
        while (size > 0 && starts[size - 1] > seq) {
            count -= ends[size - 1] - starts[size - 1] + 1;
            size--;
        }
        if (size > 0 && ends[size - 1] > seq) {
            count -= ends[size - 1] - seq;
            ends[size - 1] = seq;
        }
    }

    void clear() {
        size = 0;
        count = 0;
    }

    /** Smallest sequence in {@code [from, to]} not in the set, or -1. */
    long firstNotIn(long from, long to) {
        long s = from;
        while (s <= to) {
            int i = find(s);
            if (i >= 0 && s <= ends[i]) {
                s = ends[i] + 1;
            } else {
                return s;
            }
        }
        return -1;
    }

    /** Largest sequence in {@code [from, to]} not in the set, or -1. */
    long lastNotIn(long from, long to) {
        long s = to;
        while (s >= from) {
            int i = find(s);
            if (i >= 0 && s <= ends[i]) {
                s = starts[i] - 1;
            } else {
                return s;
            }
        }
        return -1;
    }

    /** Number of set members in {@code [from, to]}. */
    long countIn(long from, long to) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            long s = Math.max(from, starts[i]);
            long e = Math.min(to, ends[i]);
            if (s <= e) {
                n += e - s + 1;
            }
        }
        return n;
    }

    private void ensure() {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
    }
}
