package io.jnatsd.store;

/** Compression of a file store's sealed blocks: the JSON {@code compression} value. */
// nats-server: filestore.go StoreCompression
public enum StoreCompression {
    /** Blocks are stored as written. */
    NONE("none"),
    /** Sealed blocks are compressed with S2 (Snappy-compatible) block compression. */
    S2("s2");

    private final String jsonName;

    StoreCompression(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON spelling ({@code "none"}, {@code "s2"}). */
    public String jsonName() {
        return jsonName;
    }
}
