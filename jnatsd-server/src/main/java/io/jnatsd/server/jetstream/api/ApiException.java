package io.jnatsd.server.jetstream.api;

/**
 * An operation failed with a JetStream API error; thrown inside the JetStream layer and turned into the response's
 * {@code error} at the API boundary. Expected in normal operation, so it has no stack trace.
 */
public final class ApiException extends RuntimeException {

    private final transient ApiError error;

    /** An exception carrying {@code error}. */
    public ApiException(ApiError error) {
        super(error.description(), null, false, false);
        this.error = error;
    }

    /** The error. */
    public ApiError error() {
        return error;
    }

    /**
     * nats-server's {@code NewJS...Error(err, Unless(err))}: {@code failure} itself when it already carries an API
     * error, else {@code wrapper} with the failure's message as {@code {err}}.
     */
    public static ApiError unless(Throwable failure, JsApiError wrapper) {
        if (failure instanceof ApiException api) {
            return api.error();
        }
        return wrapper.error(failure.getMessage());
    }
}
