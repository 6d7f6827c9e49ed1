package io.jnatsd.subject;

/**
 * Thrown by {@link Sublist#insert} for a subject that is not a valid subscription subject: an empty token, or a
 * {@code >} that is not the last token. The message is nats-server's {@code ErrInvalidSubject} text.
 */
public final class InvalidSubjectException extends IllegalArgumentException {

    /** nats-server: sublist.go ErrInvalidSubject. */
    static final String MESSAGE = "sublist: invalid subject";

    InvalidSubjectException() {
        super(MESSAGE);
    }
}
