package io.jnatsd.subject;

import java.util.Arrays;

/**
 * Collects the subscriptions of the trie nodes a subject matched into a {@link SublistResult}, merging queue groups
 * by name. Created on a cache miss only once the first non-empty node is found, so a miss without interest
 * allocates nothing. Used by one thread for one match.
 *
 * <p>Reads nodes that may be changing under an optimistic read (see {@link SubSet}): sizes are clamped to array
 * lengths and null members skipped, so a torn read gives a wrong result but never an exception.
 */
final class ResultBuilder {

    private Object[] plain = new Object[8];
    private int plainCount;
    private byte[][] queueNames = new byte[2][];
    private Object[][] queueMembers = new Object[2][];
    private int[] queueSizes = new int[2];
    private int queueCount;

    void addNode(Node node) {
        SubSet plainSubs = node.plain;
        Object[] items = plainSubs.items;
        int count = Math.min(plainSubs.size, items.length);
        if (count > 0) {
            ensurePlainCapacity(plainCount + count);
            System.arraycopy(items, 0, plain, plainCount, count);
            plainCount += count;
        }
        QueueGroup[] groups = node.queues;
        if (groups == null) {
            return;
        }
        int groupCount = Math.min(node.queueCount, groups.length);
        for (int g = 0; g < groupCount; g++) {
            QueueGroup group = groups[g];
            if (group != null) {
                addQueueMembers(slotFor(group.name), group.members);
            }
        }
    }

    private int slotFor(byte[] name) {
        for (int i = 0; i < queueCount; i++) {
            if (Arrays.equals(queueNames[i], name)) {
                return i;
            }
        }
        if (queueCount == queueNames.length) {
            int capacity = queueCount * 2;
            queueNames = Arrays.copyOf(queueNames, capacity);
            queueMembers = Arrays.copyOf(queueMembers, capacity);
            queueSizes = Arrays.copyOf(queueSizes, capacity);
        }
        queueNames[queueCount] = name;
        queueMembers[queueCount] = new Object[4];
        return queueCount++;
    }

    // nats-server: sublist.go addNodeToResults, remote queue subs are repeated qw times
    private void addQueueMembers(int slot, SubSet members) {
        Object[] items = members.items;
        int count = Math.min(members.size, items.length);
        for (int i = 0; i < count; i++) {
            Object member = items[i];
            if (member == null) {
                continue;
            }
            int weight = ((SublistEntry) member).queueWeight();
            for (int w = 0; w < weight; w++) {
                int size = queueSizes[slot];
                Object[] group = queueMembers[slot];
                if (size == group.length) {
                    group = Arrays.copyOf(group, Math.max(size * 2, size + count - i));
                    queueMembers[slot] = group;
                }
                group[size] = member;
                queueSizes[slot] = size + 1;
            }
        }
    }

    private void ensurePlainCapacity(int needed) {
        if (needed > plain.length) {
            plain = Arrays.copyOf(plain, Math.max(needed, plain.length * 2));
        }
    }

    <S> SublistResult<S> build() {
        int groups = 0;
        for (int i = 0; i < queueCount; i++) {
            if (queueSizes[i] > 0) {
                groups++;
            }
        }
        if (plainCount == 0 && groups == 0) {
            return SublistResult.empty();
        }
        Object[] plainSubs = plainCount == plain.length ? plain : Arrays.copyOf(plain, plainCount);
        Object[][] members = new Object[groups][];
        byte[][] names = new byte[groups][];
        for (int i = 0, g = 0; i < queueCount; i++) {
            int size = queueSizes[i];
            if (size > 0) {
                Object[] group = queueMembers[i];
                members[g] = size == group.length ? group : Arrays.copyOf(group, size);
                names[g] = queueNames[i];
                g++;
            }
        }
        return new SublistResult<>(plainSubs, members, names);
    }

    /**
     * A copy of {@code base} with {@code sub} added (to its queue group, {@link SublistEntry#queueWeight} times, if it
     * is a queue subscription). Arrays that do not change are shared with {@code base}.
     */
    // nats-server: sublist.go addSubToResult (copy on write)
    static <S> SublistResult<S> withSubscription(SublistResult<S> base, SublistEntry sub) {
        Object[] plain = base.plainArray();
        Object[][] groups = base.queueGroupArrays();
        byte[][] names = base.queueNameArrays();
        byte[] queue = sub.queue();
        if (queue == null) {
            Object[] grown = Arrays.copyOf(plain, plain.length + 1);
            grown[plain.length] = sub;
            return new SublistResult<>(grown, groups, names);
        }
        int weight = sub.queueWeight();
        if (weight <= 0) {
            return base;
        }
        for (int g = 0; g < groups.length; g++) {
            if (Arrays.equals(names[g], queue)) {
                Object[][] newGroups = groups.clone();
                Object[] grown = Arrays.copyOf(groups[g], groups[g].length + weight);
                Arrays.fill(grown, groups[g].length, grown.length, sub);
                newGroups[g] = grown;
                return new SublistResult<>(plain, newGroups, names);
            }
        }
        Object[][] newGroups = Arrays.copyOf(groups, groups.length + 1);
        Object[] group = new Object[weight];
        Arrays.fill(group, sub);
        newGroups[groups.length] = group;
        byte[][] newNames = Arrays.copyOf(names, names.length + 1);
        newNames[names.length] = queue.clone();
        return new SublistResult<>(plain, newGroups, newNames);
    }
}
