package io.jnatsd.store;

/**
 * A delivered message waiting for its acknowledgement.
 *
 * @param consumerSeq    the consumer sequence of its first delivery
 * @param timestampNanos when it was (last) delivered, nanoseconds since the epoch
 */
// nats-server: store.go Pending
public record PendingAck(long consumerSeq, long timestampNanos) {
}
