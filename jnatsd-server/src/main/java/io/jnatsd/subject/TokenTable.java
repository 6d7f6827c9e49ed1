package io.jnatsd.subject;

/**
 * Open-addressing map (linear probing, load at most 1/2) from a literal token to its {@link Node}, looked up by a
 * byte range of the subject so that matching never builds a key object. The node carries its own key, so a slot is
 * a single reference.
 *
 * <p>Written under the {@link Sublist} write lock (deletion shifts later entries back, so there are no tombstones);
 * read optimistically: a torn read can miss or find the wrong entry, but every probe loop is bounded by the table
 * length and the matcher validates its read afterwards.
 */
final class TokenTable {

    private static final int MIN_CAPACITY = 4;

    Node[] slots = new Node[MIN_CAPACITY];      // length is a power of two
    int size;

    Node get(byte[] b, int off, int len, int hash) {
        Node[] table = slots;
        if (table == null) {
            return null;                        // only possible in a torn optimistic read
        }
        int mask = table.length - 1;
        int i = hash & mask;
        for (int probes = 0; probes <= mask; probes++) {
            Node node = table[i];
            if (node == null) {
                return null;
            }
            if (node.tokenHash == hash && Bytes.equals(node.token, b, off, len)) {
                return node;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds a node whose token is not yet present. */
    void put(Node node) {
        if ((size + 1) * 2 > slots.length) {
            resize(slots.length * 2);
        }
        insert(slots, node);
        size++;
    }

    void remove(Node node) {
        Node[] table = slots;
        int mask = table.length - 1;
        int i = node.tokenHash & mask;
        while (table[i] != node) {
            if (table[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = null;
        size--;
        // Shift back the entries of the probe run that follows, so lookups need no tombstones.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Node candidate = table[j];
            if (candidate == null) {
                break;
            }
            int home = candidate.tokenHash & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                table[i] = candidate;
                table[j] = null;
                i = j;
            }
        }
        if (table.length > MIN_CAPACITY && size * 8 < table.length) {
            resize(table.length / 2);
        }
    }

    private void resize(int capacity) {
        Node[] resized = new Node[capacity];
        for (Node node : slots) {
            if (node != null) {
                insert(resized, node);
            }
        }
        slots = resized;
    }

    private static void insert(Node[] table, Node node) {
        int mask = table.length - 1;
        int i = node.tokenHash & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = node;
    }
}
