package io.jnatsd.subject.transform;

/**
 * A source/destination pair that cannot become a {@link SubjectTransform}. The message is nats-server's error text:
 * {@code invalid subject} ({@code ErrBadSubject}), or an {@code invalid mapping destination: <reason>} error, followed
 * by {@code  in <token>} when nats-server names the offending token ({@code mappingDestinationErr}).
 * <p>
 * Immutable; thread-safe.
 */
public final class SubjectTransformException extends Exception {

    /** nats-server's error values for transforms (errors.go), with their texts. */
    public enum Reason {
        /** {@code ErrBadSubject}: source or destination is not a valid subject, or wildcards do not line up. */
        BAD_SUBJECT("invalid subject"),
        /** {@code ErrInvalidMappingDestinationSubject}. */
        INVALID_TRANSFORM("invalid mapping destination: invalid transform"),
        /** {@code ErrMappingDestinationNotUsingAllWildcards}. */
        NOT_USING_ALL_WILDCARDS("invalid mapping destination: not using all of the token wildcard(s)"),
        /** {@code ErrUnknownMappingDestinationFunction}. */
        UNKNOWN_FUNCTION("invalid mapping destination: unknown function"),
        /** {@code ErrMappingDestinationIndexOutOfRange}. */
        INDEX_OUT_OF_RANGE("invalid mapping destination: wildcard index out of range"),
        /** {@code ErrMappingDestinationNotEnoughArgs}. */
        NOT_ENOUGH_ARGUMENTS("invalid mapping destination: not enough arguments passed to the function"),
        /** {@code ErrMappingDestinationInvalidArg}. */
        INVALID_ARGUMENT("invalid mapping destination: function argument is invalid or in the wrong format"),
        /** {@code ErrMappingDestinationTooManyArgs}. */
        TOO_MANY_ARGUMENTS("invalid mapping destination: too many arguments passed to the function"),
        /** {@code ErrMappingDestinationNotSupportedForImport}. */
        NOT_SUPPORTED_FOR_IMPORT("invalid mapping destination: the only mapping function allowed for import "
                + "transforms is {{Wildcard()}}");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** nats-server's text of this error value. */
        public String text() {
            return text;
        }
    }

    private final Reason reason;
    private final String token;

    SubjectTransformException(Reason reason, String token) {
        super(token.isEmpty() ? reason.text : reason.text + " in " + token);
        this.reason = reason;
        this.token = token;
    }

    SubjectTransformException(Reason reason) {
        this(reason, "");
    }

    public Reason reason() {
        return reason;
    }

    /** The destination token (or whole destination) nats-server names in the message; empty when none. */
    public String token() {
        return token;
    }

    /** Whether Go's {@code errors.Is(err, ErrInvalidMappingDestination)} holds: every reason but a bad subject. */
    public boolean isInvalidMappingDestination() {
        return reason != Reason.BAD_SUBJECT;
    }
}
