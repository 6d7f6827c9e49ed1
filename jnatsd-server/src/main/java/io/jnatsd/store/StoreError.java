package io.jnatsd.store;

/**
 * The errors a store reports, with nats-server's texts (the JetStream API layer puts some of them into API errors,
 * e.g. {@link #MAX_MSGS} becomes 10077 {@code maximum messages exceeded}).
 */
// nats-server: store.go Err* variables
public enum StoreError {
    /** The store was stopped or deleted. */
    CLOSED("store is closed"),
    /** The message was expected but is not there. */
    MSG_NOT_FOUND("no message found"),
    /** The sequence is past the last one. */
    EOF("stream store EOF"),
    /** Discard new: the stream holds max_msgs messages. */
    MAX_MSGS("maximum messages exceeded"),
    /** Discard new: the message would exceed max_bytes. */
    MAX_BYTES("maximum bytes exceeded"),
    /** Discard new per subject: the subject holds max_msgs_per_subject messages. */
    MAX_MSGS_PER_SUBJECT("maximum messages per subject exceeded"),
    /** A removal was attempted while a snapshot was being taken. */
    SNAPSHOT_IN_PROGRESS("snapshot in progress"),
    /** The record would be larger than a store accepts (32 MiB for the file store). */
    MSG_TOO_LARGE("message too large"),
    /** A consumer update was refused because the consumer acknowledges nothing. */
    NO_ACK_POLICY("ack policy is none"),
    /** A raw store named a sequence other than last + 1. */
    SEQUENCE_MISMATCH("expected sequence does not match store"),
    /** An encoded state could not be decoded. */
    CORRUPT_STREAM_STATE("stream state snapshot is corrupt"),
    /** More results matched than the caller allowed. */
    TOO_MANY_RESULTS("too many matching results for request"),
    /** A consumer state update older than the stored one was ignored. */
    OLD_UPDATE("old update ignored"),
    /** A bad argument (the message says which). */
    BAD_REQUEST("bad request"),
    /** Reading or writing the disk failed (the message has the cause, e.g. {@code no space left on device}). */
    IO("i/o error");

    private final String text;

    StoreError(String text) {
        this.text = text;
    }

    /** nats-server's error text. */
    public String text() {
        return text;
    }
}
