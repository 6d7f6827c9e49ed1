package io.jnatsd.store;

/**
 * Removes a message on the store's behalf when expiry must go through the stream layer (replicated streams propose
 * the removal; a standalone stream calls {@link StreamStore#removeMessage(long)}). Used when subject delete markers
 * are on. Called on the store's timer thread without the store's lock held.
 */
// nats-server: store.go StorageRemoveMsgHandler
@FunctionalInterface
public interface MessageRemover {

    void removeMessage(long seq);
}
