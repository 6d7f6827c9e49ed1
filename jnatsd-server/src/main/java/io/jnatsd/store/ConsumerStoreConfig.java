package io.jnatsd.store;

import java.util.Objects;

/**
 * What a consumer store needs of a consumer configuration: its ack policy and max_deliver, and the configuration JSON
 * the JetStream layer wants kept with the state (a file store writes it to {@code meta.inf}).
 *
 * @param ackPolicy  the ack policy
 * @param maxDeliver max_deliver ({@code <= 0} unlimited)
 * @param configJson the consumer's configuration as JSON (opaque to the store), or null
 * @param memory     {@code mem_storage}: the state is kept in memory whatever the stream's storage
 */
public record ConsumerStoreConfig(AckPolicy ackPolicy, long maxDeliver, String configJson, boolean memory) {

    /** A consumer whose state is kept by the stream's storage. */
    public ConsumerStoreConfig(AckPolicy ackPolicy, long maxDeliver, String configJson) {
        this(ackPolicy, maxDeliver, configJson, false);
    }

    public ConsumerStoreConfig {
        Objects.requireNonNull(ackPolicy, "ackPolicy");
    }
}
