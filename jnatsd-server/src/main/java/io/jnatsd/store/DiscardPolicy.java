package io.jnatsd.store;

/** What a full stream does with a new message: the JSON {@code discard} value. */
// nats-server: store.go DiscardPolicy
public enum DiscardPolicy {
    /** Store the new message and remove the oldest ones until the limits hold again. */
    OLD("old"),
    /** Refuse the new message ({@link StoreError#MAX_MSGS}, {@link StoreError#MAX_BYTES}, ...). */
    NEW("new");

    private final String jsonName;

    DiscardPolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON spelling ({@code "old"}, {@code "new"}). */
    public String jsonName() {
        return jsonName;
    }
}
