package io.jnatsd.store;

/**
 * A consumer sequence and the stream sequence of the same message.
 *
 * @param consumer consumer (delivery) sequence
 * @param stream   stream sequence
 */
// nats-server: store.go SequencePair
public record SequencePair(long consumer, long stream) {

    /** Both zero. */
    public static final SequencePair ZERO = new SequencePair(0, 0);
}
