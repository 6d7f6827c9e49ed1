package io.jnatsd.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.UnaryOperator;

/**
 * The shared subject-to-result cache of a {@link Sublist} (nats-server's L2 cache): an open-addressing table with
 * linear probing and tombstones, keyed by subject bytes.
 *
 * <p>Threads: {@link #get} runs on any thread without a lock and without allocating. Every other method must be
 * called with the owning sublist's cache lock held. Slots are read and written with volatile semantics, entries are
 * immutable, and a slot never goes from an entry back to {@code null} (removal leaves a tombstone; only a rebuild,
 * published as a new array, drops them), so a lock-free reader can never miss a key that is present throughout its
 * probe.
 */
final class ResultCache {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final Entry TOMBSTONE = new Entry(new byte[0], 0, SublistResult.empty());

    private final int capacity;                 // slots, a power of two
    private volatile Entry[] table;
    private int size;                           // live entries
    private int tombstones;
    private int sweepStart;                     // rotates so sweeps keep different entries each time

    /** An immutable cache entry; replacing a result swaps the whole entry. */
    record Entry(byte[] key, int hash, SublistResult<?> result) {
    }

    /** A cache for up to {@code maxEntries} entries (briefly one more, until the caller sweeps). */
    ResultCache(int maxEntries) {
        this.capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) * 2;
        this.table = new Entry[capacity];
    }

    /** The cached result for {@code b[off, off+len)} with hash {@code hash}, or {@code null}. Lock-free. */
    SublistResult<?> get(byte[] b, int off, int len, int hash) {
        Entry[] slots = table;
        int mask = slots.length - 1;
        int i = hash & mask;
        for (int probes = 0; probes <= mask; probes++) {
            Entry entry = (Entry) SLOT.getVolatile(slots, i);
            if (entry == null) {
                return null;
            }
            if (entry.hash == hash && entry != TOMBSTONE && Bytes.equals(entry.key, b, off, len)) {
                return entry.result;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    int size() {
        return size;
    }

    /** Stores a result unless the key is present already; {@code key} is kept, so pass a private copy. */
    void putIfAbsent(byte[] key, int hash, SublistResult<?> result) {
        Entry[] slots = table;
        int mask = slots.length - 1;
        int i = hash & mask;
        int free = -1;
        for (int probes = 0; probes <= mask; probes++) {
            Entry entry = slots[i];
            if (entry == null) {
                if (free < 0) {
                    free = i;
                }
                break;
            }
            if (entry == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (entry.hash == hash && Bytes.equals(entry.key, key, 0, key.length)) {
                return;
            }
            i = (i + 1) & mask;
        }
        if (free < 0) {
            rebuild(Integer.MAX_VALUE);         // unreachable while the load stays at most 3/4
            putIfAbsent(key, hash, result);
            return;
        }
        if (slots[free] == TOMBSTONE) {
            tombstones--;
        }
        SLOT.setVolatile(slots, free, new Entry(key, hash, result));
        size++;
        if ((size + tombstones) * 4 > capacity * 3) {
            rebuild(Integer.MAX_VALUE);
        }
    }

    /** Replaces the result of the entry for {@code key}, if present, with {@code update} applied to it. */
    void update(byte[] key, int hash, UnaryOperator<SublistResult<?>> update) {
        int i = slotOf(key, hash);
        if (i >= 0) {
            replace(table, i, update);
        }
    }

    /** Applies {@code update} to every entry whose key is matched by the wildcard subject {@code filter}. */
    void updateMatching(byte[] filter, UnaryOperator<SublistResult<?>> update) {
        Entry[] slots = table;
        for (int i = 0; i < slots.length; i++) {
            Entry entry = slots[i];
            if (entry != null && entry != TOMBSTONE && Subjects.matchLiteral(entry.key, filter)) {
                replace(slots, i, update);
            }
        }
    }

    /** Evicts the entry for {@code key}, if present. */
    void remove(byte[] key, int hash) {
        int i = slotOf(key, hash);
        if (i >= 0) {
            evict(table, i);
        }
    }

    /** Evicts every entry whose key is matched by the wildcard subject {@code filter}. */
    void removeMatching(byte[] filter) {
        Entry[] slots = table;
        for (int i = 0; i < slots.length; i++) {
            Entry entry = slots[i];
            if (entry != null && entry != TOMBSTONE && Subjects.matchLiteral(entry.key, filter)) {
                evict(slots, i);
            }
        }
    }

    void clear() {
        table = new Entry[capacity];
        size = 0;
        tombstones = 0;
    }

    /** Drops arbitrary entries until at most {@code keep} remain. */
    // nats-server: sublist.go reduceCacheCount (there in a goroutine, here inline)
    void sweep(int keep) {
        rebuild(keep);
    }

    /** Fanout (plain subscriptions plus queue groups) over the cached results, for {@link SublistStats}. */
    record Fanout(long max, long total, long samples) {
    }

    Fanout fanout() {
        long max = 0;
        long total = 0;
        long entries = 0;
        for (Entry entry : table) {
            if (entry != null && entry != TOMBSTONE) {
                int fanout = entry.result.fanout();
                max = Math.max(max, fanout);
                total += fanout;
                entries++;
            }
        }
        return new Fanout(max, total, entries);
    }

    /** The slot of the live entry for {@code key}, or -1. */
    private int slotOf(byte[] key, int hash) {
        Entry[] slots = table;
        int mask = slots.length - 1;
        int i = hash & mask;
        for (int probes = 0; probes <= mask; probes++) {
            Entry entry = slots[i];
            if (entry == null) {
                return -1;
            }
            if (entry != TOMBSTONE && entry.hash == hash && Bytes.equals(entry.key, key, 0, key.length)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private static void replace(Entry[] slots, int i, UnaryOperator<SublistResult<?>> update) {
        Entry entry = slots[i];
        SLOT.setVolatile(slots, i, new Entry(entry.key, entry.hash, update.apply(entry.result)));
    }

    private void evict(Entry[] slots, int i) {
        SLOT.setVolatile(slots, i, TOMBSTONE);
        size--;
        tombstones++;
    }

    /** Publishes a fresh table without tombstones, keeping at most {@code keep} entries. */
    private void rebuild(int keep) {
        Entry[] old = table;
        Entry[] fresh = new Entry[capacity];
        int mask = capacity - 1;
        int kept = 0;
        int start = sweepStart;
        sweepStart = (sweepStart + capacity / 3) & mask;
        for (int n = 0; n < old.length && kept < keep; n++) {
            Entry entry = old[(start + n) & mask];
            if (entry != null && entry != TOMBSTONE) {
                int i = entry.hash & mask;
                while (fresh[i] != null) {
                    i = (i + 1) & mask;
                }
                fresh[i] = entry;
                kept++;
            }
        }
        size = kept;
        tombstones = 0;
        table = fresh;
    }
}
