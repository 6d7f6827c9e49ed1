package io.jnatsd.store;

/** What a full stream does with a new message: the JSON {@code discard} value. */
// nats-server: store.go DiscardPolicy
public enum DiscardPolicy implements JsonEnum {
    /** Store the new message and remove the oldest ones until the limits hold again. */
    OLD,
    /** Refuse the new message ({@link StoreError#MAX_MSGS}, {@link StoreError#MAX_BYTES}, ...). */
    NEW;
}
