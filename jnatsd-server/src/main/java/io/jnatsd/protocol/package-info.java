/**
 * The NATS client text protocol: an incremental, allocation-free parser over Netty buffers
 * ({@link io.jnatsd.protocol.ProtocolParser}) that hands views into the read buffer to a
 * {@link io.jnatsd.protocol.ProtocolHandler}, and the constant byte sequences the server writes.
 * Behaviour of nats-server {@code server/parser.go} and the argument handling of {@code server/client.go}
 * ({@code processPub}, {@code processHeaderPub}, {@code processSub}, {@code processUnsub}).
 * <p>
 * A parser is owned by one connection's event loop and is not thread-safe.
 */
package io.jnatsd.protocol;
