package io.jnatsd.store;

/**
 * A store operation failed. {@link #error()} says why; the message is nats-server's text (for {@link StoreError#IO}
 * and {@link StoreError#BAD_REQUEST} it carries the detail). Limit refusals (discard new) happen in normal operation,
 * so instances without a cause are created without a stack trace.
 */
public final class StoreException extends RuntimeException {

    private final StoreError error;

    /** An error with nats-server's text and no stack trace. */
    public StoreException(StoreError error) {
        super(error.text(), null, false, false);
        this.error = error;
    }

    /** An error with a specific message (I/O details, argument problems). */
    public StoreException(StoreError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    /** An error caused by another exception (usually an {@link java.io.IOException}). */
    public StoreException(StoreError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** Why the operation failed. */
    public StoreError error() {
        return error;
    }
}
