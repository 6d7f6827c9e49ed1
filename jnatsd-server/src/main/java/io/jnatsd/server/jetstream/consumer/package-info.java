/**
 * JetStream consumers on one server: {@link io.jnatsd.server.jetstream.consumer.Consumer} (a consumer's delivery and
 * acknowledgement state and its loop), {@link io.jnatsd.server.jetstream.consumer.Consumers} (create, update, delete
 * and recovery with nats-server's checks), the configuration model and its rules
 * ({@link io.jnatsd.server.jetstream.consumer.ConsumerConfig},
 * {@link io.jnatsd.server.jetstream.consumer.ConsumerConfigChecks}), what the API reports
 * ({@link io.jnatsd.server.jetstream.consumer.ConsumerInfo}) and the consumer advisories. The state lives in the
 * store SPI's {@code ConsumerStore} (memory or {@code obs/<consumer>/} of a file stream).
 *
 * <p>Behaviour of nats-server {@code server/consumer.go} (configuration defaults and checks, delivery, pull requests,
 * acknowledgements, redelivery, flow control, heartbeats, priority groups, pause, reset), the consumer parts of
 * {@code server/stream.go} ({@code ackMsg}, {@code partitionUnique}, interest checks) and
 * {@code server/jetstream_events.go} (consumer advisories and the ack metric).
 *
 * <p>Threads: each consumer owns one virtual thread; the internal subscriptions that feed it (acks, pull requests,
 * flow-control replies, resets) run on publishers' event loops and only queue and unpark it. A consumer's lock guards
 * its state; API workers take it briefly. Lock order: stream lock, then a consumer's lock (a consumer never calls into
 * the stream while holding its own); creates and deletes of a stream's consumers are serialized by
 * {@link io.jnatsd.server.jetstream.Stream#consumerOps()}.
 */
package io.jnatsd.server.jetstream.consumer;
