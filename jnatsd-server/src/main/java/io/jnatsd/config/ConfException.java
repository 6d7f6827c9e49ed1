package io.jnatsd.config;

/**
 * A configuration that cannot be read or parsed. The message is the text nats-server prints after its
 * {@code nats-server: } prefix, e.g. {@code Parse error on line 3: 'Unexpected EOF.'} or
 * {@code a.conf:2:3: unknown field "x"}.
 *
 * <p>Immutable.
 */
public final class ConfException extends Exception {

    /** An error whose message is already complete. */
    public ConfException(String message) {
        super(message);
    }

    /** An error about a value: {@code <file>:<line>:<col>: <reason>}, as nats-server's {@code configErr}. */
    public ConfException(ConfValue at, String reason) {
        super(at.position() + ": " + reason);
    }
}
