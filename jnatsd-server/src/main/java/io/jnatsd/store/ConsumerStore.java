package io.jnatsd.store;

/**
 * Stores one consumer's delivery and acknowledgement state: delivered sequences, ack floors, pending
 * acknowledgements and redelivery counts. The memory implementation keeps it in memory; the file implementation also
 * writes it to {@code obs/<consumer>/o.dat} (with the configuration in {@code meta.inf}) so that a restart resumes
 * where the consumer was.
 * <p>
 * Threading: thread-safe (an internal lock); normally called by the consumer's own thread. A file store writes the
 * state in the background (coalescing updates) and on {@link #stop()}.
 */
// nats-server: store.go ConsumerStore
public interface ConsumerStore {

    /** The consumer's name. */
    String name();

    /** Sets the starting stream sequence: delivered and ack floor stream sequences become {@code sseq}. */
    void setStarting(long sseq);

    /** Moves the delivered stream sequence up to {@code sseq} (and the ack floor for ack none). */
    void updateStarting(long sseq);

    /** Clears the state and sets the starting stream sequence. */
    void reset(long sseq);

    /** Whether anything was delivered yet. */
    boolean hasState();

    /**
     * Records a delivery: consumer sequence {@code dseq} of stream sequence {@code sseq}, delivery count {@code dc}
     * (1 for the first delivery) at {@code timestampNanos}.
     *
     * @throws StoreException {@link StoreError#NO_ACK_POLICY} for a redelivery with ack none
     */
    void updateDelivered(long dseq, long sseq, long dc, long timestampNanos);

    /**
     * Records an acknowledgement of stream sequence {@code sseq} delivered as {@code dseq}; moves the ack floors.
     *
     * @throws StoreException {@link StoreError#NO_ACK_POLICY} with ack none, {@link StoreError#MSG_NOT_FOUND} when
     *                        {@code sseq} is not pending
     */
    void updateAcks(long dseq, long sseq);

    /** Forgets redelivery counts of stream sequences below {@code seq}. */
    void removeRedeliveredBelow(long seq);

    /** The configuration the store was created or last updated with. */
    ConsumerStoreConfig config();

    /** Replaces the configuration (and, for a file store, rewrites {@code meta.inf}). */
    void updateConfig(ConsumerStoreConfig config);

    /**
     * Replaces the whole state.
     *
     * @throws StoreException {@link StoreError#OLD_UPDATE} when {@code state} is older than the stored one,
     *                        {@link StoreError#BAD_REQUEST} when it is inconsistent (floors above delivered, pending
     *                        entries out of range)
     */
    void update(ConsumerState state);

    /** Replaces the whole state even when it is older (consistency is still checked). */
    void forceUpdate(ConsumerState state);

    /**
     * A copy of the state.
     *
     * @throws StoreException {@link StoreError#CLOSED} after {@link #stop()}
     */
    ConsumerState state();

    /** The state in nats-server's binary encoding (magic 22, version 2, varints), as written to {@code o.dat}. */
    byte[] encodedState();

    /** Memory or file. */
    StorageType type();

    /** Flushes (file store) and closes; the stream store forgets this consumer. */
    void stop();

    /** Stops and removes the stored state. */
    void delete();

    /** Stops as part of deleting the whole stream (the stream store removes the directories). */
    void streamDelete();
}
