package io.jnatsd.server.conn;

/**
 * Receives the messages of an internal subscription (system account, JetStream, service imports), as
 * nats-server's {@code msgHandler} callbacks. Called synchronously on the publisher's thread: it must be quick and
 * must not block; hand real work to a queue.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * @param subscription the internal subscription that matched
     * @param publisher    the connection that published (may be an internal one)
     * @param subject      the published subject
     * @param reply        the reply subject or null
     * @param headers      the raw header block ({@code NATS/1.0...}) or null
     * @param payload      the payload without headers
     */
    void onMessage(Subscription subscription, Connection publisher, String subject, String reply, byte[] headers,
                   byte[] payload);
}
