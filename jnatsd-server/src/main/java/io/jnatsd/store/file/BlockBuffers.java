package io.jnatsd.store.file;

import java.util.ArrayList;

/**
 * Recycled record arrays of large blocks, shared by every file store of the process. A stream writing large
 * messages fills a block of several megabytes every few hundred messages and loads the oldest block again to remove
 * from it; allocating those arrays each time makes the young collector copy them while they live, in pauses that
 * stall publishers. Arrays come back when a block is unloaded, dropped or compacted, and go out for new write blocks,
 * block loads and compactions (nats-server pools its block cache buffers for the same reason). Only arrays of at
 * least {@link #MIN_POOLED} bytes are kept, at most {@link #MAX_ARRAYS} of them and a 32nd of the heap in all.
 * A recycled array holds stale bytes past the records: every reader is bounded by {@link MessageBlock#dataLen}.
 */
// nats-server: filestore.go getMsgBlockBuf / recycleMsgBlockBuf
final class BlockBuffers {

    static final int MIN_POOLED = 256 * 1024;
    static final int MAX_ARRAYS = 16;
    private static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 32;

    private static final ArrayList<byte[]> POOL = new ArrayList<>(MAX_ARRAYS);   // guarded by itself
    private static long pooledBytes;                                               // guarded by POOL

    private BlockBuffers() {
    }

    /**
     * An array of at least {@code min} bytes: the smallest pooled one no longer than {@code max}, else a new one, of
     * {@code max} bytes when {@code min} is at least half of it (the block size: full blocks then share one size, so
     * an array given back fits the next taker), else of {@code min}.
     */
    static byte[] take(int min, long max) {
        if (min >= MIN_POOLED) {
            synchronized (POOL) {
                int best = -1;
                for (int i = 0; i < POOL.size(); i++) {
                    int len = POOL.get(i).length;
                    if (len >= min && len <= max && (best < 0 || len < POOL.get(best).length)) {
                        best = i;
                    }
                }
                if (best >= 0) {
                    byte[] a = POOL.remove(best);
                    pooledBytes -= a.length;
                    return a;
                }
            }
        }
        if (min >= MIN_POOLED && min >= max / 2 && max <= Integer.MAX_VALUE - 8) {
            return new byte[(int) max];
        }
        return new byte[min];
    }

    /** Returns an array nothing refers to any more. Small arrays, and any beyond the bounds, are left to the GC. */
    static void give(byte[] a) {
        if (a == null || a.length < MIN_POOLED) {
            return;
        }
        synchronized (POOL) {
            if (POOL.size() < MAX_ARRAYS && pooledBytes + a.length <= MAX_BYTES) {
                POOL.add(a);
                pooledBytes += a.length;
            }
        }
    }

    /** Arrays pooled now; for tests. */
    static int pooled() {
        synchronized (POOL) {
            return POOL.size();
        }
    }
}
