package io.jnatsd.subject.transform;

/**
 * A subject mapping that cannot be added to {@link SubjectMappings}; the message is nats-server's error text
 * ({@code invalid subject}, {@code duplicate entry for "<dest>"}, {@code total weight needs to be <= 100}, or the
 * destination's {@link SubjectTransformException} text, which is then the cause). Immutable.
 */
public final class InvalidMappingException extends Exception {

    InvalidMappingException(String message) {
        super(message);
    }

    InvalidMappingException(String message, SubjectTransformException cause) {
        super(message, cause);
    }
}
