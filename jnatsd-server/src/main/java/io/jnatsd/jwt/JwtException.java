package io.jnatsd.jwt;

/** A token that cannot be decoded, verified or encoded; the message is nats-io/jwt's text where it has one. */
public final class JwtException extends Exception {
    private static final long serialVersionUID = 1L;

    public JwtException(String message) {
        super(message);
    }

    public JwtException(String message, Throwable cause) {
        super(message, cause);
    }
}
