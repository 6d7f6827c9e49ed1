package io.jnatsd.server.jetstream.api;

/** Serves one kind of JetStream API request, on a dispatcher worker thread. */
@FunctionalInterface
interface ApiHandler {

    /** Handles {@code request}; answers through the {@link ApiResponder}. */
    void handle(ApiRequest request);
}
