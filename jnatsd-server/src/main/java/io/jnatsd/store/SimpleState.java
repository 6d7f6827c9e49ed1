package io.jnatsd.store;

/**
 * Counts for a filtered part of a stream: how many messages, and the first and last of their sequences (0 when
 * there are none).
 *
 * @param msgs  number of messages
 * @param first first matching sequence
 * @param last  last matching sequence
 */
// nats-server: store.go SimpleState
public record SimpleState(long msgs, long first, long last) {

    /** No messages. */
    public static final SimpleState EMPTY = new SimpleState(0, 0, 0);
}
