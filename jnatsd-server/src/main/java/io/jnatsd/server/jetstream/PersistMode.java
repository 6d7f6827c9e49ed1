package io.jnatsd.server.jetstream;

/**
 * {@code persist_mode}: whether a file stream's writes are coalesced by a background flusher
 * ({@code server/stream.go PersistModeType}). JSON {@code "default"} (or {@code ""}) and {@code "async"}.
 */
// nats-server: stream.go PersistModeType
public enum PersistMode {
    /** Writes go to the operating system before the PubAck. */
    DEFAULT("default"),
    /** Writes are buffered and flushed in the background. */
    ASYNC("async");

    private final String json;

    PersistMode(String json) {
        this.json = json;
    }

    /** The JSON value. */
    public String json() {
        return json;
    }
}
