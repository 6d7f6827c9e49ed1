package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Publishing into a JetStream stream and waiting for the PubAcks: {@code js-sync} keeps one message in flight
 * (publish, wait for its ack, publish the next, as {@code js.publish} does), {@code js-async} keeps up to
 * {@code --js-inflight} messages in flight on one connection (as {@code js.publishAsync} does). Each run creates its
 * own stream (file or memory storage, limits retention, {@link #MAX_BYTES} with discard old, one replica) on a
 * subject of its own, and deletes it afterwards. The rate is acknowledged messages divided by the time from the
 * first publish to the last ack.
 * <p>
 * Checked: every ack is a PubAck rather than an error, and the stream's last sequence afterwards equals the number
 * of messages published. Needs a server with JetStream: launched servers get {@code -js -sd <dir>} when a
 * JetStream scenario is selected. Runs on the runner thread; uses no other thread.
 */
final class JetStreamCase implements BenchCase {

    /** The stream's {@code max_bytes}: older messages are dropped past it, so long runs need no more store. */
    static final long MAX_BYTES = 256L << 20;
    /** The first 8 bytes of a successful PubAck ({@code {"stream"}), little-endian as the scanner reads them. */
    private static final long PUB_ACK_PREFIX = ByteBuffer.wrap("{\"stream".getBytes(StandardCharsets.US_ASCII))
            .order(ByteOrder.LITTLE_ENDIAN).getLong();

    private final String scenario;
    private final String storage;
    private final int payloadBytes;
    private final int inFlight;

    /**
     * @param scenario     {@code js-sync} or {@code js-async}
     * @param storage      {@code file} or {@code memory}
     * @param payloadBytes message size
     * @param inFlight     messages in flight at most (1 for {@code js-sync})
     */
    JetStreamCase(String scenario, String storage, int payloadBytes, int inFlight) {
        this.scenario = scenario;
        this.storage = storage;
        this.payloadBytes = payloadBytes;
        this.inFlight = inFlight;
    }

    @Override
    public String scenario() {
        return scenario;
    }

    @Override
    public String label() {
        return storage + (inFlight > 1 ? " inflight=" + inFlight : "") + " size=" + Format.bytes(payloadBytes);
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storage", storage);
        p.put("inflight", inFlight);
        p.put("size", payloadBytes);
        return p;
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        BenchOptions o = env.options();
        String base = env.uniqueSubject("js");
        String stream = "BENCH_" + base.replace('.', '_');
        String subject = base + ".msgs";
        String inbox = base + ".acks";
        Acks acks = new Acks();
        NatsConn conn = null;
        try (JsApiClient api = JsApiClient.open(target.url(), base + ".api")) {
            api.request("$JS.API.STREAM.CREATE." + stream, "{\"name\":\"" + stream + "\",\"subjects\":[\"" + subject
                    + "\"],\"retention\":\"limits\",\"storage\":\"" + storage + "\",\"max_bytes\":" + MAX_BYTES
                    + ",\"discard\":\"old\",\"num_replicas\":1}");
            try {
                conn = NatsConn.open(target.url(), "bench-js-pub", 64 * 1024, acks);
                conn.write(Frames.sub(inbox, null, 1));
                conn.flush(o.drainTimeoutNanos);
                PubBatch batch = PubBatch.of(subject, inbox, payloadBytes, o.batchBytes);
                Histogram latency = inFlight == 1 ? LatencyStats.newHistogram() : null;
                long cpu0 = ThreadCpu.currentNanos();
                long published = publish(conn, batch, acks, latency, env);
                long end = System.nanoTime();
                long cpu = ThreadCpu.currentNanos() - cpu0;
                long lastSeq = JsApiClient.number(api.request("$JS.API.STREAM.INFO." + stream, ""), "last_seq");
                return result(conn, acks, published, lastSeq, latency, (end - acks.start) / 1e9, cpu);
            } finally {
                Runs.close(conn);
                api.request("$JS.API.STREAM.DELETE." + stream, "");
            }
        }
    }

    /** Publishes for the run's duration (or message count), keeping at most {@link #inFlight} unacknowledged. */
    private long publish(NatsConn conn, PubBatch batch, Acks acks, Histogram latency, RunEnv env)
            throws IOException {
        long limit = env.runMsgs();
        long timeout = env.options().drainTimeoutNanos;
        long published = 0;
        acks.start = System.nanoTime();
        long stopAt = acks.start + Math.min(env.runNanos(), Long.MAX_VALUE / 4);
        long lastAck = acks.start;
        while (true) {
            long now = System.nanoTime();
            boolean more = published < limit && now - stopAt < 0;
            long pending = published - acks.total();
            if (!more && pending == 0) {
                return published;
            }
            if (more && pending < inFlight) {
                int n = (int) Math.min(Math.min(inFlight - pending, batch.frames()), limit - published);
                long t0 = System.nanoTime();
                conn.write(batch.view(batch.fill(published + 1, n)));
                published += n;
                if (latency != null) {
                    awaitAcks(conn, acks, published, timeout);
                    latency.recordValue(Math.min(System.nanoTime() - t0, LatencyStats.HIGHEST_TRACKABLE_NANOS));
                }
                if ((published & 1023) < n) {
                    env.progress().tick(String.format(Locale.ROOT, "%s %s: %s msgs acknowledged", scenario, label(),
                            Format.count(acks.total())));
                }
                continue;
            }
            long before = acks.total();
            if (conn.readOnce() < 0) {
                throw new IOException("the server closed the publisher's connection");
            }
            if (acks.total() != before) {
                lastAck = System.nanoTime();
            } else if (System.nanoTime() - lastAck > timeout) {
                throw new IOException("no PubAck within the drain timeout (" + Format.count(acks.total()) + " of "
                        + Format.count(published) + " acknowledged)");
            }
        }
    }

    private static void awaitAcks(NatsConn conn, Acks acks, long target, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (acks.total() < target) {
            if (conn.readOnce() < 0) {
                throw new IOException("the server closed the publisher's connection");
            }
            if (acks.total() < target && System.nanoTime() - deadline > 0) {
                throw new IOException("no PubAck within the drain timeout");
            }
        }
    }

    private CaseResult result(NatsConn conn, Acks acks, long published, long lastSeq, Histogram latency,
            double seconds, long cpuNanos) {
        List<Metric> metrics = new ArrayList<>();
        double rate = acks.ok / Math.max(1e-9, seconds);
        metrics.add(Metric.higher("msgs/s", "msgs/s", rate));
        metrics.add(Metric.higher("MB/s", "MB/s", rate * payloadBytes / 1e6).hidden());
        metrics.add(Metric.higher("msgs", "msgs", acks.ok).hidden());
        if (latency != null) {
            Map<String, Double> p = LatencyStats.percentilesMicros(latency);
            metrics.add(Metric.lower("p50", "us", p.get("p50")).hidden());
            metrics.add(Metric.lower("p99", "us", p.get("p99")).hidden());
        }
        metrics.add(Metric.lower("gen cpu", "%", 100.0 * cpuNanos / (seconds * 1e9)).hidden());
        List<String> detail = new ArrayList<>();
        long errors = Runs.connErrors(conn, null, false, detail);
        if (acks.failed > 0) {
            errors += acks.failed;
            detail.add(acks.failed + " publishes answered with an error instead of a PubAck");
        }
        if (lastSeq != published) {
            errors++;
            detail.add("the stream's last sequence is " + lastSeq + " after " + published + " publishes");
        }
        long missing = Math.max(0, published - acks.total());
        long extra = Math.max(0, acks.total() - published);
        Verification v = new Verification(published, acks.ok, missing, extra, errors, String.join("; ", detail));
        return new CaseResult(metrics, v, List.of());
    }

    /** The acks received so far; touched only by the runner thread. */
    private static final class Acks implements MsgScanner.Listener {
        long start;
        long ok;
        long failed;

        long total() {
            return ok + failed;
        }

        @Override
        public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
            if (payloadBytes >= 8 && seq == PUB_ACK_PREFIX) {
                ok++;
            } else {
                failed++;
            }
        }
    }
}
