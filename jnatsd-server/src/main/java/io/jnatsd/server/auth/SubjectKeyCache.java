package io.jnatsd.server.auth;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;

/**
 * A bounded map from a subject (optionally with a queue name) to a yes/no answer, keyed by bytes so that a lookup
 * allocates nothing. When an insert takes it above {@code maxEntries}, {@code pruneEntries + 1} arbitrary entries
 * (or all of them) are dropped, as nats-server prunes its permission caches ({@code client.go pruneDenyCache} drops
 * {@code pruneSize + 1} = 33 entries of its 256; {@code prunePubPermsCache} means to drop 33 of 128 but, as its size
 * counter only goes down after the walk, in effect empties the cache, up to 1000 entries).
 * <p>
 * Not thread-safe: the owner either confines it to one thread or guards it with a lock.
 */
final class SubjectKeyCache {

    private final int maxEntries;
    private final int pruneEntries;
    private final HashMap<Key, Boolean> entries = new HashMap<>();
    private final Key probe = new Key();

    SubjectKeyCache(int maxEntries, int pruneEntries) {
        this.maxEntries = maxEntries;
        this.pruneEntries = pruneEntries;
    }

    /** The answer cached for {@code subject[off, off+len)} and {@code queue} (null for none), or null. */
    Boolean get(byte[] subject, int off, int len, byte[] queue) {
        probe.set(subject, off, len, queue);
        try {
            return entries.get(probe);
        } finally {
            probe.set(null, 0, 0, null);
        }
    }

    /** Caches {@code answer}; copies the key bytes. */
    void put(byte[] subject, int off, int len, byte[] queue, boolean answer) {
        Key key = new Key();
        key.set(Arrays.copyOfRange(subject, off, off + len), 0, len, queue == null ? null : queue.clone());
        entries.put(key, answer);
        if (entries.size() > maxEntries) {
            prune();
        }
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private void prune() {
        int removed = 0;
        Iterator<Key> it = entries.keySet().iterator();
        while (it.hasNext() && removed <= pruneEntries) {
            it.next();
            it.remove();
            removed++;
        }
    }

    /** A subject region plus an optional queue; mutable only for the lookup probe. */
    private static final class Key {
        private byte[] subject;
        private int off;
        private int len;
        private byte[] queue;
        private int hash;

        void set(byte[] subject, int off, int len, byte[] queue) {
            this.subject = subject;
            this.off = off;
            this.len = len;
            this.queue = queue;
            int h = 1;
            for (int i = off, end = off + len; i < end; i++) {
                h = 31 * h + subject[i];
            }
            this.hash = 31 * h + (queue == null ? 0 : Arrays.hashCode(queue));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.len == len
                    && Arrays.equals(subject, off, off + len, k.subject, k.off, k.off + k.len)
                    && Arrays.equals(queue, k.queue);
        }
    }
}
