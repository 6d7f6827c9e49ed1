/**
 * Black-box acceptance tests of the core server: a real {@code io.nats:jnats} client, raw sockets speaking the
 * client protocol byte for byte, and a side-by-side comparison with the Go nats-server binary when it is installed.
 * <p>
 * The test kit ({@link io.jnatsd.systest.EmbeddedServer}, {@link io.jnatsd.systest.RawClient},
 * {@link io.jnatsd.systest.Await}, {@link io.jnatsd.systest.GoServer}) only uses the public embedding API of
 * {@code io.jnatsd.server.NatsServer}; {@link io.jnatsd.systest.JnatsdProcess} runs {@code bin/jnatsd} as an operator
 * does (signals, output, exit code). Expected bytes come from the parity checklist (core.md sections 3, 4, 5, 8),
 * which follows nats-server's {@code server/client.go} and {@code server/parser.go}.
 */
package io.jnatsd.systest;
