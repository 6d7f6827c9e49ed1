/**
 * The JetStream API ({@code $JS.API.>}): the dispatcher on an internal subscription of the system account
 * ({@link io.jnatsd.server.jetstream.api.JsApiDispatcher}), the stream and consumer endpoints
 * ({@link io.jnatsd.server.jetstream.api.StreamApi}, {@link io.jnatsd.server.jetstream.api.ConsumerApi}; pull requests
 * and resets are served by each consumer's own subscriptions), request decoding with Go's JSON
 * semantics and errors ({@link io.jnatsd.server.jetstream.api.ApiJson}, {@link io.jnatsd.server.jetstream.api.GoStruct},
 * {@link io.jnatsd.server.jetstream.api.ApiRequests}), responses and audit advisories
 * ({@link io.jnatsd.server.jetstream.api.ApiResponder}) and every JetStream API error
 * ({@link io.jnatsd.server.jetstream.api.JsApiError}, generated from nats-server's {@code errors.json}).
 *
 * <p>Behaviour of nats-server {@code server/jetstream_api.go}, {@code server/jetstream_errors.go} and
 * {@code server/errors.json}.
 *
 * <p>Threads: the dispatcher's subscription callback runs on the publisher's thread and only queues; requests are
 * served by a few worker virtual threads. Everything here is thread-safe or stateless.
 */
package io.jnatsd.server.jetstream.api;
