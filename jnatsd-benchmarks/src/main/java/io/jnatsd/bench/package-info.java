/**
 * JMH benchmarks of jnatsd's hot path: subject matching ({@code SublistBenchmark}), protocol parsing
 * ({@code ProtocolParserBenchmark}), MSG/HMSG encoding ({@code OutboundEncodingBenchmark}) and publish/subscribe
 * through an in-process server on loopback ({@code LoopbackPubSubBenchmark}), and the JetStream stores' append and load
 * ({@code StoreBenchmark}).
 * <p>
 * Built into the shaded {@code jnatsd-benchmarks/target/jnatsd-jmh.jar}; how to run them and what a short run gave
 * is in {@code docs/performance.md}. They compare jnatsd with itself on one machine; they follow no Go file, though
 * {@code SublistBenchmark} mirrors the cases of nats-server's {@code server/sublist_test.go} benchmarks.
 */
package io.jnatsd.bench;
