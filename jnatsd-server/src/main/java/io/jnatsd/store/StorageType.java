package io.jnatsd.store;

/** Where a stream keeps its messages: the JSON {@code storage} value of a stream configuration. */
// nats-server: store.go StorageType (FileStorage, MemoryStorage)
public enum StorageType {
    /** On disk under the JetStream store directory. */
    FILE("file"),
    /** In memory only; lost at shutdown. */
    MEMORY("memory");

    private final String jsonName;

    StorageType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON spelling ({@code "file"}, {@code "memory"}). */
    public String jsonName() {
        return jsonName;
    }
}
