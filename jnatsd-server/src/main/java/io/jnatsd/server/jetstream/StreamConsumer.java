package io.jnatsd.server.jetstream;

/**
 * What a stream needs of a consumer attached to it: the seam consumers plug into ({@link Stream#attach}). The stream
 * asks it about interest (interest retention stores a message only when a consumer's filter matches its subject) and
 * tells it about new, removed and purged messages; a consumer never calls the stream while the stream tells it
 * something. The consumers are {@code io.jnatsd.server.jetstream.consumer.Consumer}s.
 * <p>
 * Implementations are thread-safe: the stream calls from its writer thread, API workers and the store's timer.
 */
// nats-server: stream.go (consumers, csl, signalConsumers, storeUpdates decStreamPending, purgeLocked o.purge)
public interface StreamConsumer {

    /** The consumer's name. */
    String name();

    /** Whether the consumer wants messages on {@code subject} (its filters match it). */
    boolean wants(String subject);

    /**
     * Whether the consumer still needs the message at {@code seq} on {@code subject} (null: unknown, the consumer
     * looks it up): interest and work-queue retention remove a message once no consumer needs it.
     */
    boolean needAck(long seq, String subject);

    /** A message was stored at {@code seq} on {@code subject}. */
    void onStored(long seq, String subject);

    /** The message at {@code seq} on {@code subject} was removed (deleted, expired or by limits). */
    void onRemoved(long seq, String subject);

    /**
     * Messages were purged: everything below {@code firstSeq} is gone (only those matching {@code subject} when it
     * is not empty); {@code lastSeq} is the stream's last sequence.
     */
    void onPurged(long firstSeq, long lastSeq, String subject);

    /**
     * What monitoring reports about the consumer ({@code /jsz} {@code consumer_detail}): its {@code ConsumerInfo},
     * an object the JetStream API's JSON mapper writes, or null when it has none to give (then it is left out).
     */
    Object info();

    /** The stream stops ({@code deleted}: for good); the consumer releases its resources. */
    void onStreamStopped(boolean deleted);
}
