package io.jnatsd.subject;

import java.util.Arrays;

/**
 * One token position in the trie: the subscriptions whose subject ends here (plain and per queue group) and the
 * level of the next token. Literal nodes are found by their {@link #token} in the parent {@link Level}; wildcard
 * nodes hang off the level directly.
 *
 * <p>Written under the {@link Sublist} write lock; read optimistically (see {@link SubSet}), so readers null-check
 * {@link #next} and {@link #queues} and clamp {@link #queueCount}.
 */
final class Node {

    final byte[] token;                         // private copy of the token bytes
    final int tokenHash;                        // Bytes.hash of token
    final SubSet plain = new SubSet();
    QueueGroup[] queues;                        // groups in [0, queueCount); null until the first queue sub
    int queueCount;
    Level next;                                 // null until a longer subject passes through this node

    Node(byte[] token, int tokenHash) {
        this.token = token;
        this.tokenHash = tokenHash;
    }

    boolean hasSubscriptions() {
        return plain.size > 0 || queueCount > 0;
    }

    /** No subscriptions and no populated level below: the node can be pruned. */
    boolean isEmpty() {
        return !hasSubscriptions() && (next == null || next.isEmpty());
    }

    QueueGroup queueGroup(byte[] name) {
        for (int i = 0; i < queueCount; i++) {
            if (Arrays.equals(queues[i].name, name)) {
                return queues[i];
            }
        }
        return null;
    }

    QueueGroup addQueueGroup(byte[] name) {
        QueueGroup group = new QueueGroup(name.clone());
        if (queues == null) {
            queues = new QueueGroup[2];
        } else if (queueCount == queues.length) {
            queues = Arrays.copyOf(queues, queueCount * 2);
        }
        queues[queueCount] = group;
        queueCount++;
        return group;
    }

    void removeQueueGroup(QueueGroup group) {
        for (int i = 0; i < queueCount; i++) {
            if (queues[i] == group) {
                int last = queueCount - 1;
                queues[i] = queues[last];
                queues[last] = null;
                queueCount = last;
                return;
            }
        }
    }
}
