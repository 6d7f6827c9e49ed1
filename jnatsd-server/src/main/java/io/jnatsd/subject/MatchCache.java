package io.jnatsd.subject;

import java.util.Arrays;

/**
 * A connection's own subject-to-result cache (nats-server's L1, {@code readCache.results} in {@code client.go}),
 * in front of the account's {@link Sublist}. Entries are valid for one sublist {@link Sublist#generation()}: the
 * first lookup with a different generation empties the cache. Empty results (no interest) are kept too, unlike
 * nats-server's L1, so publishing where nobody listens also skips the shared sublist. When full, about
 * {@value #PRUNE_ENTRIES} arbitrary entries are evicted to make room.
 *
 * <p>Usage on the publish path: read {@code sublist.generation()} <em>before</em> {@code sublist.match}, then
 * {@code get} with it and, on a miss, {@code put} the match result with that same generation. A concurrent change
 * then bumps the generation and the next lookup starts afresh.
 *
 * <p>Not thread-safe: owned by one connection's event loop. {@link #get} never allocates; {@link #put} copies the key
 * bytes.
 *
 * @param <S> the subscription type
 */
public final class MatchCache<S> {

    /** nats-server: client.go prunes {@code pruneSize + 1} (33) entries when the L1 map is full. */
    static final int PRUNE_ENTRIES = 33;

    private final int maxEntries;
    private final int mask;
    private final byte[][] keys;                // null slot = empty
    private final int[] hashes;
    private final Object[] results;
    private int size;
    private long generation;
    private int pruneStart;                     // rotates so evictions hit different slots

    /** A cache of at most {@code maxEntries} results (nats-server uses 512). */
    public MatchCache(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
        }
        this.maxEntries = maxEntries;
        int capacity = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) * 2;
        this.mask = capacity - 1;
        this.keys = new byte[capacity][];
        this.hashes = new int[capacity];
        this.results = new Object[capacity];
    }

    /**
     * The cached result for {@code b[off, off+len)}, or {@code null} if there is none or {@code generation} differs
     * from the cache's (in which case the cache is emptied and adopts {@code generation}).
     */
    @SuppressWarnings("unchecked")
    public SublistResult<S> get(byte[] b, int off, int len, long generation) {
        if (generation != this.generation) {
            reset(generation);
            return null;
        }
        if (size == 0) {
            return null;
        }
        int hash = Bytes.hash(b, off, len);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] key = keys[i];
            if (key == null) {
                return null;
            }
            if (hashes[i] == hash && Bytes.equals(key, b, off, len)) {
                return (SublistResult<S>) results[i];
            }
        }
    }

    /**
     * Caches {@code result} for {@code b[off, off+len)} under {@code generation}, empty or not.
     * A different generation than the cache's empties the cache first.
     */
    public void put(byte[] b, int off, int len, long generation, SublistResult<S> result) {
        if (generation != this.generation) {
            reset(generation);
        }
        int hash = Bytes.hash(b, off, len);
        int i = hash & mask;
        for (byte[] key = keys[i]; key != null; key = keys[i]) {
            if (hashes[i] == hash && Bytes.equals(key, b, off, len)) {
                results[i] = result;
                return;
            }
            i = (i + 1) & mask;
        }
        if (size >= maxEntries) {
            prune();
            i = hash & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
        }
        keys[i] = Arrays.copyOfRange(b, off, off + len);
        hashes[i] = hash;
        results[i] = result;
        size++;
    }

    /** Forgets every cached result (the connection moved to another sublist). */
    public void clear() {
        reset(Long.MIN_VALUE);
    }

    /** Number of cached results. */
    public int size() {
        return size;
    }

    private void reset(long newGeneration) {
        if (size > 0) {
            Arrays.fill(keys, null);
            Arrays.fill(results, null);
            size = 0;
        }
        generation = newGeneration;
    }

    // nats-server: client.go processInboundClientMsg, "Prune the results cache ... Random delete."
    private void prune() {
        int i = pruneStart;
        pruneStart = (pruneStart + mask / 3) & mask;
        int removed = 0;
        while (removed < PRUNE_ENTRIES && size > 0) {
            if (keys[i] != null) {
                removeAt(i);                    // slot i may now hold a shifted entry: look again
                removed++;
            } else {
                i = (i + 1) & mask;
            }
        }
    }

    /** Empties slot {@code i} and shifts back the rest of its probe run (no tombstones needed). */
    private void removeAt(int i) {
        keys[i] = null;
        results[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == null) {
                return;
            }
            int home = hashes[j] & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                hashes[i] = hashes[j];
                results[i] = results[j];
                keys[j] = null;
                results[j] = null;
                i = j;
            }
        }
    }
}
