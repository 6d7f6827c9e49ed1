package io.jnatsd.store;

/** Compression of a file store's sealed blocks: the JSON {@code compression} value. */
// nats-server: filestore.go StoreCompression
public enum StoreCompression implements JsonEnum {
    /** Blocks are stored as written. */
    NONE,
    /** Sealed blocks are compressed with S2 (Snappy-compatible) block compression. */
    S2;
}
