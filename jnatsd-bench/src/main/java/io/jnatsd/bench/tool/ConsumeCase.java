package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Consuming a pre-filled JetStream stream: {@code js-push} (a push consumer with ack policy none or explicit),
 * {@code js-pull} (a pull consumer fetching batches of {@code --js-batch}, every message acknowledged) and
 * {@code js-ordered} (an ordered consumer as the clients make it: push, ack none, flow control answered, idle
 * heartbeats, memory state). Each run creates its own stream (file or memory), fills it with
 * {@link #messages(BenchOptions, int)} numbered messages through PubAcked publishes, then creates the consumer and
 * times from its creation to the last message received: the rate is messages consumed per second.
 * <p>
 * Checked: every message exactly once and in order (the sequence numbers in the payloads), flow control requests
 * answered, no status other than flow control and heartbeats, and for explicit acks nothing left pending on the
 * consumer afterwards. Needs a server with JetStream. Runs on the runner thread; uses no other thread.
 */
final class ConsumeCase implements BenchCase {

    /** Bytes of payload a run pre-fills at most; fewer messages for large payloads. */
    static final long FILL_BYTES = 192L << 20;

    private final String scenario;
    private final String storage;
    private final int payloadBytes;
    private final boolean explicitAck;
    private final int batch;

    /**
     * @param scenario     {@code js-push}, {@code js-pull} or {@code js-ordered}
     * @param storage      {@code file} or {@code memory}
     * @param payloadBytes message size
     * @param explicitAck  acknowledge every message (always for {@code js-pull}, never for {@code js-ordered})
     * @param batch        messages per pull request ({@code js-pull} only)
     */
    ConsumeCase(String scenario, String storage, int payloadBytes, boolean explicitAck, int batch) {
        this.scenario = scenario;
        this.storage = storage;
        this.payloadBytes = payloadBytes;
        this.explicitAck = explicitAck;
        this.batch = batch;
    }

    /** Messages a run pre-fills and consumes for {@code payloadBytes}. */
    static long messages(BenchOptions o, int payloadBytes) {
        return Math.max(1, Math.min(o.jsConsumeMsgs, FILL_BYTES / Math.max(64, payloadBytes)));
    }

    @Override
    public String scenario() {
        return scenario;
    }

    @Override
    public String label() {
        String mode = switch (scenario) {
            case "js-pull" -> " batch=" + batch;
            case "js-push" -> explicitAck ? " ack=explicit" : " ack=none";
            default -> "";
        };
        return storage + mode + " size=" + Format.bytes(payloadBytes);
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storage", storage);
        p.put("ack", explicitAck ? "explicit" : "none");
        p.put("batch", "js-pull".equals(scenario) ? batch : 0);
        p.put("size", payloadBytes);
        return p;
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        BenchOptions o = env.options();
        String base = env.uniqueSubject("jsc");
        String stream = "BENCH_" + base.replace('.', '_');
        String subject = base + ".msgs";
        String deliver = base + ".deliver";
        long count = messages(o, payloadBytes);
        try (JsApiClient api = JsApiClient.open(target.url(), base + ".api")) {
            api.request("$JS.API.STREAM.CREATE." + stream, "{\"name\":\"" + stream + "\",\"subjects\":[\"" + subject
                    + "\"],\"retention\":\"limits\",\"storage\":\"" + storage + "\",\"num_replicas\":1}");
            Reader reader = new Reader(count);
            NatsConn conn = null;
            try {
                fill(target, subject, base + ".acks", count, env);
                conn = NatsConn.open(target.url(), "bench-js-consume", 256 * 1024, reader, true);
                reader.conn = conn;
                conn.write(Frames.sub(deliver, null, 1));
                conn.flush(o.drainTimeoutNanos);
                long cpu0 = ThreadCpu.currentNanos();
                long start = System.nanoTime();
                String consumer = createConsumer(api, stream, deliver);
                if ("js-pull".equals(scenario)) {
                    reader.pullSubject = ("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer);
                    reader.deliver = deliver;
                    reader.batch = batch;
                    reader.pullMore();
                }
                consume(conn, reader, env);
                long end = reader.lastAt;
                long cpu = ThreadCpu.currentNanos() - cpu0;
                conn.flush(o.drainTimeoutNanos);
                long pendingAcks = explicitAck ? pendingAcks(api, stream, consumer, o.drainTimeoutNanos) : 0;
                return result(conn, reader, count, pendingAcks, (end - start) / 1e9, cpu);
            } finally {
                Runs.close(conn);
                api.request("$JS.API.STREAM.DELETE." + stream, "");
            }
        }
    }

    /** The consumer's unacknowledged messages, asked until none are left or the drain timeout passes. */
    private static long pendingAcks(JsApiClient api, String stream, String consumer, long timeoutNanos)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long n = JsApiClient.number(api.request("$JS.API.CONSUMER.INFO." + stream + "." + consumer, ""),
                    "num_ack_pending");
            if (n == 0 || System.nanoTime() - deadline > 0) {
                return n;
            }
            Thread.sleep(10);
        }
    }

    private String createConsumer(JsApiClient api, String stream, String deliver) throws IOException {
        String config = switch (scenario) {
            case "js-pull" -> "{\"durable_name\":\"bench\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\","
                    + "\"max_waiting\":512,\"replay_policy\":\"instant\"}";
            case "js-ordered" -> "{\"deliver_subject\":\"" + deliver + "\",\"deliver_policy\":\"all\","
                    + "\"ack_policy\":\"none\",\"max_deliver\":1,\"flow_control\":true,"
                    + "\"idle_heartbeat\":5000000000,\"mem_storage\":true,\"num_replicas\":1,"
                    + "\"replay_policy\":\"instant\",\"inactive_threshold\":300000000000}";
            default -> "{\"deliver_subject\":\"" + deliver + "\",\"deliver_policy\":\"all\",\"ack_policy\":\""
                    + (explicitAck ? "explicit\"" : "none\"")
                    + ",\"replay_policy\":\"instant\",\"inactive_threshold\":300000000000}";
        };
        String api0 = "js-pull".equals(scenario) ? "$JS.API.CONSUMER.DURABLE.CREATE." + stream + ".bench"
                : "$JS.API.CONSUMER.CREATE." + stream;
        String reply = api.request(api0, "{\"stream_name\":\"" + stream
                + "\",\"config\":" + config + "}");
        int at = reply.indexOf("\"name\":\"");
        if (at < 0) {
            throw new IOException("no consumer name in " + reply);
        }
        return reply.substring(at + 8, reply.indexOf('"', at + 8));
    }

    /** Fills the stream with {@code count} numbered messages, 256 PubAcks in flight. */
    private void fill(Target target, String subject, String inbox, long count, RunEnv env) throws IOException {
        BenchOptions o = env.options();
        long[] acks = new long[1];
        try (NatsConn pub = NatsConn.open(target.url(), "bench-js-fill", 64 * 1024,
                (line, lineLength, seq, bytes) -> acks[0]++)) {
            pub.write(Frames.sub(inbox, null, 1));
            pub.flush(o.drainTimeoutNanos);
            PubBatch b = PubBatch.of(subject, inbox, payloadBytes, o.batchBytes);
            long published = 0;
            long lastAck = System.nanoTime();
            while (acks[0] < count) {
                if (published < count && published - acks[0] < 256) {
                    int n = (int) Math.min(Math.min(256 - (published - acks[0]), b.frames()), count - published);
                    pub.write(b.view(b.fill(published + 1, n)));
                    published += n;
                    continue;
                }
                long before = acks[0];
                if (pub.readOnce() < 0) {
                    throw new IOException("the server closed the filling connection");
                }
                if (acks[0] != before) {
                    lastAck = System.nanoTime();
                } else if (System.nanoTime() - lastAck > o.drainTimeoutNanos) {
                    throw new IOException("no PubAck within the drain timeout while filling the stream");
                }
            }
            env.progress().tick(String.format(Locale.ROOT, "%s %s: %s msgs stored", scenario, label(),
                    Format.count(count)));
        }
    }

    private void consume(NatsConn conn, Reader reader, RunEnv env) throws IOException {
        long timeout = env.options().drainTimeoutNanos;
        long last = System.nanoTime();
        while (reader.received < reader.count) {
            long before = reader.received;
            if (conn.readOnce() < 0) {
                throw new IOException("the server closed the consuming connection");
            }
            reader.flushReplies();
            if (reader.received != before) {
                last = System.nanoTime();
                if ((reader.received & 0xFFFF) < reader.received - before) {
                    env.progress().tick(String.format(Locale.ROOT, "%s %s: %s msgs consumed", scenario, label(),
                            Format.count(reader.received)));
                }
            } else if (System.nanoTime() - last > timeout) {
                throw new IOException("no message within the drain timeout (" + Format.count(reader.received)
                        + " of " + Format.count(reader.count) + " consumed)");
            }
        }
    }

    private CaseResult result(NatsConn conn, Reader reader, long count, long pendingAcks, double seconds,
            long cpuNanos) {
        List<Metric> metrics = new ArrayList<>();
        double rate = reader.received / Math.max(1e-9, seconds);
        metrics.add(Metric.higher("msgs/s", "msgs/s", rate));
        metrics.add(Metric.higher("MB/s", "MB/s", rate * payloadBytes / 1e6).hidden());
        metrics.add(Metric.higher("msgs", "msgs", reader.received).hidden());
        metrics.add(Metric.lower("gen cpu", "%", 100.0 * cpuNanos / (seconds * 1e9)).hidden());
        List<String> detail = new ArrayList<>();
        long errors = Runs.connErrors(conn, null, false, detail);
        if (reader.otherStatuses > 0) {
            errors += reader.otherStatuses;
            detail.add(reader.otherStatuses + " unexpected status messages");
        }
        if (pendingAcks != 0) {
            errors++;
            detail.add(pendingAcks + " messages still pending acknowledgement on the consumer");
        }
        if (!reader.seq.complete(count)) {
            detail.add("sequence check: " + reader.seq.missing() + " missing, " + reader.seq.backwards()
                    + " out of order or duplicated");
        }
        if ("js-ordered".equals(scenario) && reader.flowControls == 0 && payloadBytes >= 1024 && count > 1000) {
            detail.add("no flow control request seen");
        }
        Verification v = new Verification(count, reader.received, reader.seq.missing(), reader.seq.backwards(),
                errors, String.join("; ", detail));
        return new CaseResult(metrics, v, List.of());
    }

    /** Reads deliveries and statuses, queues acks, flow-control replies and pull requests; runner thread only. */
    private final class Reader implements MsgScanner.Listener {
        final long count;
        final SeqCheck seq = SeqCheck.ordered(payloadBytes);
        NatsConn conn;
        long received;
        long lastAt;
        long flowControls;
        long otherStatuses;
        String pullSubject;
        String deliver;
        int batch;
        long requested;
        private byte[] out = new byte[64 * 1024];
        private int outLen;

        Reader(long count) {
            this.count = count;
        }

        @Override
        public void onMsg(byte[] line, int lineLength, long s, int bytes) {
            boolean headers = line[0] == 'H' || line[0] == 'h';
            if (headers && bytes == 0) {
                // a status: flow control (with a reply) or an idle heartbeat (without)
                int reply = replyStart(line, lineLength, true);
                if (reply >= 0) {
                    flowControls++;
                    pub(line, reply, lineLength);
                } else if (!"js-ordered".equals(scenario) && !"js-push".equals(scenario)) {
                    otherStatuses++;
                }
                return;
            }
            received++;
            lastAt = System.nanoTime();
            seq.accept(s);
            if (explicitAck) {
                int reply = replyStart(line, lineLength, headers);
                if (reply >= 0) {
                    pub(line, reply, lineLength);
                }
            }
            if (pullSubject != null && requested - received <= batch / 2) {
                pullMore();
            }
        }

        /** Asks for the next batch (no more than the stream holds). */
        void pullMore() {
            if (requested >= count) {
                return;
            }
            int n = (int) Math.min(batch, count - requested);
            requested += n;
            byte[] body = ("{\"batch\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
            append(("PUB " + pullSubject + " " + deliver + " " + body.length + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            append(body);
            append(Frames.ascii("\r\n"));
        }

        /** Start of the reply token in {@code MSG subj sid reply size} / {@code HMSG ... reply hdr total}, or -1. */
        private int replyStart(byte[] line, int n, boolean headers) {
            int tokens = 0;
            int[] starts = starts();
            boolean inToken = false;
            for (int i = 0; i < n; i++) {
                boolean space = line[i] == ' ' || line[i] == '\t';
                if (!space && !inToken) {
                    if (tokens < starts.length) {
                        starts[tokens] = i;
                    }
                    tokens++;
                }
                inToken = !space;
            }
            int withReply = headers ? 6 : 5;
            return tokens == withReply ? starts[3] : -1;
        }

        private final int[] tokenStarts = new int[8];

        private int[] starts() {
            return tokenStarts;
        }

        /** Queues {@code PUB <reply> 0} (an ack, or the answer to a flow-control request). */
        private void pub(byte[] line, int replyAt, int n) {
            int end = replyAt;
            while (end < n && line[end] != ' ' && line[end] != '\t') {
                end++;
            }
            append(PUB);
            append(line, replyAt, end - replyAt);
            append(ZERO);
        }

        private void append(byte[] b) {
            append(b, 0, b.length);
        }

        private void append(byte[] b, int off, int len) {
            if (outLen + len > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + len));
            }
            System.arraycopy(b, off, out, outLen, len);
            outLen += len;
        }

        void flushReplies() throws IOException {
            if (outLen > 0) {
                conn.write(out, 0, outLen);
                outLen = 0;
            }
        }
    }

    private static final byte[] PUB = Frames.ascii("PUB ");
    private static final byte[] ZERO = Frames.ascii(" 0\r\n\r\n");
}
