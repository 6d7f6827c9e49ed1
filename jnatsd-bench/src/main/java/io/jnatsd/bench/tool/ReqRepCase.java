package io.jnatsd.bench.tool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Request/reply latency: one requester sends a request with a reply subject and waits for the answer before sending
 * the next (one outstanding request, like {@code nats bench --request}); one responder connection answers each with
 * the same sequence number. The round trip crosses the server twice. Reports p50/p90/p99/p99.9 from an HdrHistogram
 * after {@code --reqrep-warmup} requests.
 * <p>
 * The requester runs on the runner thread; the responder has its own thread, joined before returning.
 */
final class ReqRepCase implements BenchCase {

    private final int payloadBytes;

    ReqRepCase(int payloadBytes) {
        this.payloadBytes = payloadBytes;
    }

    @Override
    public String scenario() {
        return "reqrep";
    }

    @Override
    public String label() {
        return "size=" + Format.bytes(payloadBytes);
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("size", payloadBytes);
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        BenchOptions o = env.options();
        String base = env.uniqueSubject("reqrep");
        String requestSubject = base + ".req";
        String inbox = base + ".inbox";
        Reply reply = new Reply();
        Responder responder = new Responder(target.url(), payloadBytes);
        NatsConn requester = null;
        try {
            responder.conn.write(Frames.sub(requestSubject, null, 1));
            responder.conn.flush(o.drainTimeoutNanos);
            requester = NatsConn.open(target.url(), "bench-requester", 64 * 1024, reply);
            requester.write(Frames.sub(inbox, null, 1));
            requester.flush(o.drainTimeoutNanos);
            responder.start();

            PubBatch request = PubBatch.of(requestSubject, inbox, payloadBytes, 1);
            long mask = payloadBytes >= 8 ? -1L : payloadBytes == 0 ? 0 : (1L << (8 * payloadBytes)) - 1;
            Histogram histogram = LatencyStats.newHistogram();
            long sent = 0;
            long mismatched = 0;
            long measureStart = 0;
            long cpu0 = ThreadCpu.currentNanos();
            long limit = env.runMsgs() == Long.MAX_VALUE ? Long.MAX_VALUE : env.runMsgs() + o.reqrepWarmup;
            while (sent < limit) {
                long now = System.nanoTime();
                if (sent == o.reqrepWarmup) {
                    measureStart = now;
                }
                if (sent >= o.reqrepWarmup && now - measureStart >= env.runNanos()) {
                    break;
                }
                long seq = sent + 1;
                int len = request.fill(seq, 1);
                reply.waiting = true;
                long t0 = System.nanoTime();
                requester.write(request.view(len));
                awaitReply(requester, reply, o.drainTimeoutNanos);
                long rtt = System.nanoTime() - t0;
                sent++;
                if (((reply.seq ^ seq) & mask) != 0) {
                    mismatched++;
                }
                if (sent > o.reqrepWarmup) {
                    histogram.recordValue(Math.min(rtt, LatencyStats.HIGHEST_TRACKABLE_NANOS));
                }
                if ((sent & 1023) == 0) {
                    env.progress().tick("reqrep: " + Format.count(sent) + " requests");
                }
            }
            double seconds = Math.max(1, System.nanoTime() - measureStart) / 1e9;
            long cpu = ThreadCpu.currentNanos() - cpu0;
            responder.stopAndJoin();

            List<Metric> metrics = new ArrayList<>();
            Map<String, Double> p = LatencyStats.percentilesMicros(histogram);
            for (String name : List.of("p50", "p90", "p99", "p99.9")) {
                metrics.add(Metric.lower(name, "us", p.get(name)));
            }
            metrics.add(Metric.lower("max", "us", p.get("max")).hidden());
            metrics.add(Metric.lower("mean", "us", p.get("mean")).hidden());
            metrics.add(Metric.higher("req/s", "req/s", histogram.getTotalCount() / seconds).hidden());
            metrics.add(Metric.lower("gen cpu", "%", 100.0 * (cpu + responder.cpuNanos) / (seconds * 1e9)).hidden());
            List<String> detail = new ArrayList<>();
            long errors = Runs.connErrors(requester, null, false, detail)
                    + Runs.connErrors(responder.conn, responder.failure, false, detail);
            if (mismatched > 0) {
                detail.add(mismatched + " replies carried the wrong sequence number");
            }
            Verification v = new Verification(sent, reply.count, 0, mismatched, errors, String.join("; ", detail));
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("histogram", LatencyStats.encode(histogram));
            extras.put("requests", histogram.getTotalCount());
            return new CaseResult(metrics, v, List.of(), extras);
        } finally {
            responder.stopAndJoin();
            Runs.close(requester);
        }
    }

    private static void awaitReply(NatsConn conn, Reply reply, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (reply.waiting) {
            if (conn.readOnce() < 0) {
                throw new IOException("server closed the requester's connection");
            }
            if (reply.waiting && System.nanoTime() - deadline > 0) {
                throw new IOException("no reply within the drain timeout");
            }
        }
    }

    /** The requester's view of the latest reply; touched only by the requester (runner) thread. */
    private static final class Reply implements MsgScanner.Listener {
        boolean waiting;
        long seq;
        long count;

        @Override
        public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
            this.seq = seq;
            this.count++;
            this.waiting = false;
        }
    }

    /**
     * Answers every request with {@code PUB <reply> <size>} carrying the request's sequence number; replies to one
     * socket read are written together. Owned by its own thread after {@link #start}.
     */
    private static final class Responder implements Runnable, MsgScanner.Listener {
        final NatsConn conn;
        private static final byte[] PUB_SPACE = Frames.ascii("PUB ");
        private final int payloadBytes;
        private final byte[] sizeAndCrlf;
        private final int[] tokenStarts = new int[5];
        private final int[] tokenEnds = new int[5];
        private byte[] out = new byte[64 * 1024];
        private int outBytes;
        private Thread thread;
        private volatile boolean stop;
        volatile Throwable failure;
        long cpuNanos;

        Responder(ServerUrl url, int payloadBytes) throws IOException {
            this.payloadBytes = payloadBytes;
            this.sizeAndCrlf = Frames.ascii(" " + payloadBytes + "\r\n");
            this.conn = NatsConn.open(url, "bench-responder", 64 * 1024, this);
        }

        void start() {
            thread = new Thread(this, "bench-responder");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            long cpu0 = ThreadCpu.currentNanos();
            try {
                while (!stop) {
                    if (conn.readOnce() < 0) {
                        return;
                    }
                    if (outBytes > 0) {
                        conn.write(out, 0, outBytes);
                        outBytes = 0;
                    }
                }
            } catch (Throwable e) {
                if (!stop) {
                    failure = e;
                }
            } finally {
                cpuNanos = ThreadCpu.currentNanos() - cpu0;
            }
        }

        @Override
        public void onMsg(byte[] line, int lineLength, long seq, int size) {
            // MSG <subject> <sid> <reply> <size>: the reply is the third token after MSG
            int[] starts = tokenStarts;
            int[] ends = tokenEnds;
            int tokens = 0;
            int i = 0;
            while (i < lineLength && tokens < 5) {
                while (i < lineLength && (line[i] == ' ' || line[i] == '\t')) {
                    i++;
                }
                if (i == lineLength) {
                    break;
                }
                starts[tokens] = i;
                while (i < lineLength && line[i] != ' ' && line[i] != '\t') {
                    i++;
                }
                ends[tokens++] = i;
            }
            if (tokens != 5) {
                return;             // no reply subject: nothing to answer
            }
            int replyLength = ends[3] - starts[3];
            int need = 4 + replyLength + sizeAndCrlf.length + payloadBytes + 2;
            if (outBytes + need > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, outBytes + need));
            }
            System.arraycopy(PUB_SPACE, 0, out, outBytes, 4);
            outBytes += 4;
            System.arraycopy(line, starts[3], out, outBytes, replyLength);
            outBytes += replyLength;
            System.arraycopy(sizeAndCrlf, 0, out, outBytes, sizeAndCrlf.length);
            outBytes += sizeAndCrlf.length;
            PubBatch.encodePayload(out, outBytes, payloadBytes, seq);
            outBytes += payloadBytes;
            out[outBytes++] = '\r';
            out[outBytes++] = '\n';
        }

        void stopAndJoin() throws InterruptedException {
            stop = true;
            if (thread != null) {
                thread.join(NatsConn.READ_POLL_MS * 20L);
            }
            conn.close();
            if (thread != null) {
                thread.join();
            }
        }
    }
}
