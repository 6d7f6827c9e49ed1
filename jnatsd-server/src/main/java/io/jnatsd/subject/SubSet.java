package io.jnatsd.subject;

import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * The subscriptions of one trie node (its plain subscriptions, or the members of one queue group): a dense array
 * that a match copies in one {@code System.arraycopy}, plus an identity index once the set is large, so add and
 * remove stay O(1) for nodes with thousands of subscribers. Subscriptions are compared by identity.
 *
 * <p>Mutated only by the {@link Sublist} writer, under its write lock. Optimistic matchers read {@link #items} and
 * {@link #size} without a lock and may see them torn (a stale size, a {@code null} slot); they clamp the size to the
 * array length, skip nulls and throw the result away when the read fails validation.
 */
final class SubSet {

    private static final Object[] NONE = {};
    /** Above this many members, positions are indexed instead of found by a linear scan. */
    private static final int INDEX_THRESHOLD = 16;

    Object[] items = NONE;                            // members in [0, size), nulls after
    int size;
    private IdentityHashMap<Object, Integer> positions; // member -> index in items; null while small

    /** Adds {@code sub}; false if it is already a member. */
    boolean add(Object sub) {
        if (indexOf(sub) >= 0) {
            return false;
        }
        Object[] current = items;
        if (size == current.length) {
            current = Arrays.copyOf(current, Math.max(4, size * 2));
            current[size] = sub;
            items = current;
        } else {
            current[size] = sub;
        }
        if (positions != null) {
            positions.put(sub, size);
        } else if (size + 1 > INDEX_THRESHOLD) {
            positions = new IdentityHashMap<>(size * 2);
            for (int i = 0; i <= size; i++) {
                positions.put(current[i], i);
            }
        }
        size++;
        return true;
    }

    /** Removes {@code sub}; false if it was not a member. The last member moves into the freed slot. */
    boolean remove(Object sub) {
        int index = indexOf(sub);
        if (index < 0) {
            return false;
        }
        int last = size - 1;
        Object[] current = items;
        Object moved = current[last];
        current[index] = moved;
        current[last] = null;
        size = last;
        if (positions != null) {
            positions.remove(sub);
            if (index != last) {
                positions.put(moved, index);
            }
            if (last <= INDEX_THRESHOLD / 2) {
                positions = null;
            }
        }
        if (current.length > 8 && last * 4 < current.length) {
            items = Arrays.copyOf(current, current.length / 2);
        }
        return true;
    }

    private int indexOf(Object sub) {
        if (positions != null) {
            Integer index = positions.get(sub);
            return index == null ? -1 : index;
        }
        Object[] current = items;
        for (int i = 0; i < size; i++) {
            if (current[i] == sub) {
                return i;
            }
        }
        return -1;
    }
}
