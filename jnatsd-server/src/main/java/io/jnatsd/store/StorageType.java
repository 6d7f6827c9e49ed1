package io.jnatsd.store;

/** Where a stream keeps its messages: the JSON {@code storage} value of a stream configuration. */
// nats-server: store.go StorageType (FileStorage, MemoryStorage)
public enum StorageType implements JsonEnum {
    /** On disk under the JetStream store directory. */
    FILE,
    /** In memory only; lost at shutdown. */
    MEMORY;
}
