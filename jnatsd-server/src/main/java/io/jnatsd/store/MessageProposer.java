package io.jnatsd.store;

/**
 * Hands a message the store produced (a subject delete marker, a fired schedule) to the stream layer, which stores it
 * like a publish (roll-ups, TTL, republish, consumers). Called on the store's timer thread without the store's lock
 * held.
 */
// nats-server: store.go ProcessJetStreamMsgHandler
@FunctionalInterface
public interface MessageProposer {

    /**
     * @param subject the subject to store on
     * @param header  the header block (never null for markers and schedules)
     * @param payload the payload (may be empty)
     */
    void proposeMessage(String subject, byte[] header, byte[] payload);
}
