package io.jnatsd.subject;

/**
 * What a {@link Sublist} stores: a subscription with a subject and an optional queue group. Entries are compared by
 * identity, and {@link #subject()} and {@link #queue()} must return the same bytes for as long as the entry is in a
 * sublist (the sublist keeps its own copies of tokens and queue names, but finds the entry again on remove by them).
 */
public interface SublistEntry {

    /** The subscription subject; may contain wildcards. */
    byte[] subject();

    /** The queue group name, or {@code null} when this is not a queue subscription. */
    byte[] queue();

    /**
     * How many times this queue subscription appears in its group of a match result. Subscriptions of routes and
     * leaf nodes stand for several remote members and return their weight; local ones keep the default of 1. Read
     * on every trie walk; after changing it call {@link Sublist#updateRemoteQueueSub}.
     */
    // nats-server: sublist.go addNodeToResults, isRemoteQSub (sub.qw)
    default int queueWeight() {
        return 1;
    }
}
