package io.jnatsd.subject;

/**
 * The subscriptions matching one subject: the plain subscriptions, each to receive a copy, and the queue groups,
 * each to deliver to one of its members. Queue groups with the same name that matched through different subjects
 * ({@code foo.*} and {@code foo.>} for {@code foo.bar}) are one group, as in nats-server.
 *
 * <p>Immutable once published, and shared: the same instance is handed out from the caches to every thread.
 * Subscriptions removed after the result was built stay in it; callers skip closed subscriptions.
 *
 * @param <S> the subscription type
 */
public final class SublistResult<S> {

    private static final Object[] NO_SUBS = {};
    private static final Object[][] NO_GROUPS = {};
    private static final byte[][] NO_NAMES = {};
    private static final SublistResult<?> EMPTY = new SublistResult<>(NO_SUBS, NO_GROUPS, NO_NAMES);

    private final Object[] plain;
    private final Object[][] queueGroups;       // each non-empty; weighted members repeated
    private final byte[][] queueNames;          // parallel to queueGroups

    SublistResult(Object[] plain, Object[][] queueGroups, byte[][] queueNames) {
        this.plain = plain;
        this.queueGroups = queueGroups;
        this.queueNames = queueNames;
    }

    /** The shared empty result. */
    @SuppressWarnings("unchecked")
    static <S> SublistResult<S> empty() {
        return (SublistResult<S>) EMPTY;
    }

    public int plainCount() {
        return plain.length;
    }

    @SuppressWarnings("unchecked")
    public S plain(int i) {
        return (S) plain[i];
    }

    public int queueGroupCount() {
        return queueGroups.length;
    }

    /** Number of entries of a group; a remote member with weight {@code w} occupies {@code w} entries. */
    public int queueGroupSize(int group) {
        return queueGroups[group].length;
    }

    @SuppressWarnings("unchecked")
    public S queueMember(int group, int i) {
        return (S) queueGroups[group][i];
    }

    public boolean isEmpty() {
        return plain.length == 0 && queueGroups.length == 0;
    }

    /** Plain subscriptions plus queue groups: the "fanout" of nats-server's sublist stats. */
    int fanout() {
        return plain.length + queueGroups.length;
    }

    Object[] plainArray() {
        return plain;
    }

    Object[][] queueGroupArrays() {
        return queueGroups;
    }

    byte[][] queueNameArrays() {
        return queueNames;
    }

    @Override
    public String toString() {
        return "SublistResult[plain=" + plain.length + ", queueGroups=" + queueGroups.length + "]";
    }
}
