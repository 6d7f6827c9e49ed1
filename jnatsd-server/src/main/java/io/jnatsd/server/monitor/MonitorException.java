package io.jnatsd.server.monitor;

/**
 * A monitoring request nats-server refuses, with its exact text: HTTP answers 400 with the text as plain text;
 * a {@code $SYS} request gets it as the error description (code 500), or no reply at all when
 * {@link #skipsReply()} (nats-server's {@code errSkipZreq}).
 */
public final class MonitorException extends Exception {

    private static final long serialVersionUID = 1L;

    /** nats-server's {@code errSkipZreq} text. */
    static final String SKIP = "filtered response";

    private final boolean skipsReply;

    public MonitorException(String message) {
        this(message, false);
    }

    public MonitorException(String message, boolean skipsReply) {
        super(message, null, false, false);
        this.skipsReply = skipsReply;
    }

    /** Whether a {@code $SYS} request gets no reply. */
    public boolean skipsReply() {
        return skipsReply;
    }
}
