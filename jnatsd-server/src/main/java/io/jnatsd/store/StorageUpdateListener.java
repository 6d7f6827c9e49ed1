package io.jnatsd.store;

/**
 * Told about every change of a store's message and byte counts, so that the JetStream layer can account account
 * usage and drop acknowledgements of removed messages. For a single message {@code seq} and {@code subject} name it;
 * for bulk changes (purge, compact, truncate) {@code seq} is 0 and {@code subject} null.
 * <p>
 * Called on the thread that changed the store (the writer, or the store's timer thread for expiry), after the store
 * released its lock: the listener may call back into the store.
 */
// nats-server: store.go StorageUpdateHandler
@FunctionalInterface
public interface StorageUpdateListener {

    /**
     * @param msgsDelta  change in message count (negative for removals)
     * @param bytesDelta change in bytes (as {@link StreamState#bytes()} counts them)
     * @param seq        the message's sequence, or 0 for a bulk change
     * @param subject    the message's subject, or null for a bulk change
     */
    void onStorageUpdate(long msgsDelta, long bytesDelta, long seq, String subject);
}
