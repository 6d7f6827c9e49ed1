/**
 * {@code jnatsd-bench}: a load generator for the NATS client protocol and a side-by-side comparison of jnatsd with
 * the Go nats-server, in the spirit of {@code nats bench}.
 * <p>
 * The generator speaks the raw text protocol over blocking sockets: publishers write pre-encoded {@code PUB} frames
 * in large batches, patching only an 8-byte sequence number into each payload; each subscriber connection has one
 * reader thread that counts {@code MSG} frames by scanning bytes ({@link io.jnatsd.bench.tool.MsgScanner}), creating
 * no object per message, and checks sequence numbers so that every scenario proves no message was lost, duplicated
 * or (for one publisher) reordered. Its own ceiling is measured against in-process sinks
 * ({@link io.jnatsd.bench.tool.GeneratorCeiling}).
 * <p>
 * JetStream: {@link io.jnatsd.bench.tool.JetStreamCase} publishes and waits for PubAcks ({@code js-sync},
 * {@code js-async}); {@link io.jnatsd.bench.tool.ConsumeCase} pre-fills a stream and consumes it through a push
 * consumer (ack none or explicit), a pull consumer in batches or an ordered consumer (flow control answered), reading
 * {@code HMSG} status messages with the same scanner.
 * <p>
 * TLS: a connection to a {@code tls://} server reads the plaintext {@code INFO}, runs the handshake and then encrypts
 * and decrypts through a {@link io.jnatsd.bench.tool.TlsLink} on the same socket and direct buffers, with the JDK's
 * or OpenSSL's engine ({@link io.jnatsd.bench.tool.TlsClient}). {@code --compare} gives each server a second instance
 * with a {@code tls {}} block and a throw-away CA ({@link io.jnatsd.bench.tool.ThrowawayPki}) for the {@code tls-*}
 * scenarios, and can run jnatsd variants with other JVM options side by side.
 * <p>
 * Threads: the main thread runs scenarios one after the other ({@link io.jnatsd.bench.tool.BenchRunner}); a scenario
 * starts one platform thread per publishing or subscribing connection and joins them before it returns. Server
 * processes started for {@code --compare} are killed by the runner, and by a shutdown hook on Ctrl-C
 * ({@link io.jnatsd.bench.tool.ServerProcess}). The in-process TLS sink of the ceiling serves each connection on a
 * virtual thread ({@link io.jnatsd.bench.tool.TlsSink}).
 * <p>
 * Follows the wire format of nats-server's {@code server/parser.go} (client side of it) and the scenarios of the
 * {@code nats bench} command (nats-io/natscli {@code cli/bench_command.go}); no code is shared with either.
 */
package io.jnatsd.bench.tool;
