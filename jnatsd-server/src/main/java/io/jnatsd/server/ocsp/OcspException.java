package io.jnatsd.server.ocsp;

/**
 * An OCSP request, fetch or response that failed, with the text nats-server reports for it (for example
 * {@code ocsp: error from server: try later} or {@code exhausted ocsp servers: ...}).
 */
public final class OcspException extends Exception {

    public OcspException(String message) {
        super(message);
    }

    public OcspException(String message, Throwable cause) {
        super(message, cause);
    }
}
