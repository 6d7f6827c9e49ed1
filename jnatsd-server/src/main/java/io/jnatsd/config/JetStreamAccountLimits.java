package io.jnatsd.config;

/**
 * JetStream limits of one account (a tier): the config file's {@code accounts { A { jetstream {...} } }} or an
 * account JWT's JetStream limits ({@code server/jetstream.go JetStreamAccountLimits}). {@code -1} is unlimited.
 * Immutable.
 *
 * @param maxMemoryBytes            {@code max_memory}
 * @param maxStoreBytes             {@code max_storage}
 * @param maxStreams                {@code max_streams}
 * @param maxConsumers              {@code max_consumers}
 * @param maxAckPending             {@code max_ack_pending}
 * @param memoryMaxStreamBytes      {@code memory_max_stream_bytes}
 * @param storeMaxStreamBytes       {@code storage_max_stream_bytes}
 * @param maxBytesRequired          {@code max_bytes_required}: streams must set max_bytes
 */
// nats-server: jetstream.go JetStreamAccountLimits, opts.go dynamicJSAccountLimits
public record JetStreamAccountLimits(long maxMemoryBytes, long maxStoreBytes, int maxStreams, int maxConsumers,
                                     int maxAckPending, long memoryMaxStreamBytes, long storeMaxStreamBytes,
                                     boolean maxBytesRequired) {

    /** Every limit unlimited: {@code jetstream: enabled} ({@code dynamicJSAccountLimits}). */
    public static final JetStreamAccountLimits UNLIMITED = new JetStreamAccountLimits(-1, -1, -1, -1, -1, -1, -1,
            false);
}
