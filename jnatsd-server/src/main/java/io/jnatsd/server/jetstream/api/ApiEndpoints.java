package io.jnatsd.server.jetstream.api;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;

/**
 * What every group of JetStream API endpoints ({@link StreamApi}, {@link ConsumerApi}) starts a request with: the API
 * level header and JetStream for the account, request JSON decoded with Go's rules, and the stream a request names.
 * <p>
 * Stateless apart from the engine, so thread-safe.
 */
// nats-server: jetstream_api.go (the opening checks of each js*Request handler)
abstract class ApiEndpoints {

    private static final NatsLogger LOG = NatsLogger.get(ApiEndpoints.class);

    final JetStream js;
    final ApiResponder responder;

    ApiEndpoints(JetStream js, ApiResponder responder) {
        this.js = js;
        this.responder = responder;
    }

    /**
     * The checks every endpoint starts with: the API level header, then JetStream for the account.
     *
     * @param zero the response's fields besides the error (a failed response still carries them)
     * @return the account's JetStream, or null after answering
     */
    final JsAccount begin(ApiRequest r, String type, Object... zero) {
        if (ApiResponder.errorOnRequiredApiLevel(r.header())) {
            responder.error(r, type, JsApiError.REQUIRED_API_LEVEL.error(), zero);
            return null;
        }
        JsAccount jsa = js.account(r.account());
        if (jsa == null) {
            responder.error(r, type, JsApiError.NOT_ENABLED_FOR_ACCOUNT.error(), zero);
            return null;
        }
        return jsa;
    }

    /** The request body as {@code cls}, or null after answering 10025 (and logging nats-server's warning). */
    final <T> T decode(ApiRequest r, String type, GoStruct spec, Class<T> cls, Object... zero) {
        try {
            return ApiJson.decode(r.body(), spec, cls, js.options().strict());
        } catch (ApiJson.DecodeException e) {
            LOG.warn("Invalid JetStream request '" + r.account().name() + " > " + r.subject() + "': "
                    + e.getMessage());
            responder.error(r, type, JsApiError.INVALID_JSON.error(e.getMessage()), zero);
            return null;
        }
    }

    /**
     * For endpoints that take no body: {@link #begin}, an empty request (10038 otherwise), then the stream named by
     * the subject's fifth token (10059 when there is none).
     *
     * @return the stream, or null after answering
     */
    final Stream streamOfEmptyRequest(ApiRequest r, String type) {
        JsAccount jsa = begin(r, type);
        if (jsa == null) {
            return null;
        }
        if (!ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, type, JsApiError.NOT_EMPTY_REQUEST.error());
            return null;
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, type, JsApiError.STREAM_NOT_FOUND.error());
        }
        return stream;
    }
}
