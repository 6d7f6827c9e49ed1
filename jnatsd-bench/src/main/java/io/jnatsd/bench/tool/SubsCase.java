package io.jnatsd.bench.tool;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Matching cost as the number of subscriptions grows: one connection subscribes to {@code count} distinct subjects
 * (a share of them wildcards), then one publisher sends to subjects drawn at random from that set, each matching
 * exactly one subscription. Reports the subscribe rate and the delivered message rate; every message is checked
 * by sequence. Subscription {@code i} is {@code <base>.<i>}, or for wildcards {@code <base>.<i>.*} /
 * {@code <base>.<i>.>} (alternating), published to as {@code <base>.<i>.x}.
 * <p>
 * The publisher rotates through {@value #BATCHES} pre-encoded batches of {@value #FRAMES_PER_BATCH} random subjects,
 * so up to 65,536 distinct subjects are hit over and over: more than a subject cache holds.
 * Runs on the runner thread plus one publisher and one reader thread.
 */
final class SubsCase implements BenchCase {

    static final int BATCHES = 16;
    static final int FRAMES_PER_BATCH = 4096;
    private static final int SUB_WRITE_BYTES = 64 * 1024;

    private final int count;
    private final int wildcardPct;
    private final int payloadBytes;

    SubsCase(int count, int wildcardPct, int payloadBytes) {
        this.count = count;
        this.wildcardPct = wildcardPct;
        this.payloadBytes = payloadBytes;
    }

    @Override
    public String scenario() {
        return "subs";
    }

    @Override
    public String label() {
        return "subs=" + Format.count(count) + " wild=" + wildcardPct + "%";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subscriptions", count);
        p.put("wildcardPct", wildcardPct);
        p.put("size", payloadBytes);
        return p;
    }

    /** Whether subscription {@code i} is a wildcard: {@code wildcardPct} of every 100, spread evenly. */
    boolean isWildcard(int i) {
        return i % 100 < wildcardPct;
    }

    String subscription(String base, int i) {
        String s = base + "." + i;
        if (!isWildcard(i)) {
            return s;
        }
        return s + ((i / 100) % 2 == 0 ? ".*" : ".>");
    }

    String publishSubject(String base, int i) {
        return isWildcard(i) ? base + "." + i + ".x" : base + "." + i;
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        BenchOptions o = env.options();
        String base = env.uniqueSubject("subs");
        Subscriber reader = Subscriber.ordered(target.url(), "bench-subs", o.readBufferBytes, payloadBytes);
        Publisher pub = null;
        try {
            long subStart = System.nanoTime();
            ByteArrayOutputStream lines = new ByteArrayOutputStream(SUB_WRITE_BYTES + 256);
            for (int i = 0; i < count; i++) {
                lines.writeBytes(Frames.sub(subscription(base, i), null, i + 1L));
                if (lines.size() >= SUB_WRITE_BYTES) {
                    reader.conn().write(lines.toByteArray());
                    lines.reset();
                    env.progress().tick(String.format(Locale.ROOT, "subs: %s of %s subscriptions sent",
                            Format.count(i + 1L), Format.count(count)));
                }
            }
            reader.conn().write(lines.toByteArray());
            reader.conn().flush(Math.max(o.drainTimeoutNanos, BenchOptions.seconds(120)));
            double subSeconds = Math.max(1, System.nanoTime() - subStart) / 1e9;
            long rssKb = target.rssKb();

            SplittableRandom random = new SplittableRandom(count * 31L + wildcardPct);
            PubBatch[] batches = new PubBatch[BATCHES];
            for (int b = 0; b < BATCHES; b++) {
                byte[][] subjects = new byte[FRAMES_PER_BATCH][];
                for (int f = 0; f < FRAMES_PER_BATCH; f++) {
                    subjects[f] = Frames.ascii(publishSubject(base, random.nextInt(count)));
                }
                batches[b] = PubBatch.ofSubjects(subjects, payloadBytes);
            }
            long frameBytes = batches[0].fill(1, 1);
            long windowMsgs = Math.max(2L * FRAMES_PER_BATCH, o.windowBytes / frameBytes);
            NatsConn conn = NatsConn.open(target.url(), "bench-subs-pub", 4096, (l, n, s, p) -> { });
            pub = new Publisher(conn, batches, env.runMsgs(), env.runNanos(), o.drainTimeoutNanos,
                    FlowGate.slowest(List.of(reader), windowMsgs));
            conn.flush(o.drainTimeoutNanos);
            reader.start("bench-subs-reader");
            long serverCpu0 = target.cpuNanos();
            pub.start("bench-subs-publisher");
            Runs.joinPublishers(List.of(pub), env, scenario() + " " + label());
            long published = pub.published();
            Runs.awaitDelivery(List.of(reader), published, env, scenario() + " " + label());
            reader.stopAndJoin();
            long serverCpu1 = target.cpuNanos();

            double seconds = Math.max(1, reader.lastReceiveNanos() - pub.startNanos()) / 1e9;
            double rate = reader.check().received() / seconds;
            List<Metric> metrics = new ArrayList<>();
            metrics.add(Metric.higher("msgs/s", "msgs/s", rate));
            metrics.add(Metric.higher("subs/s", "subs/s", count / subSeconds));
            if (rssKb >= 0) {
                metrics.add(Metric.lower("rss", "MiB", rssKb / 1024.0).hidden());
            }
            metrics.add(Metric.lower("gen cpu", "%", 100.0 * (pub.cpuNanos() + reader.cpuNanos()) / (seconds * 1e9))
                    .hidden());
            if (serverCpu0 >= 0 && serverCpu1 >= 0) {
                metrics.add(Metric.lower("srv cpu", "%", 100.0 * (serverCpu1 - serverCpu0) / (seconds * 1e9))
                        .hidden());
            }
            List<String> detail = new ArrayList<>();
            long errors = Runs.connErrors(conn, pub.failure(), false, detail)
                    + Runs.connErrors(reader.conn(), reader.failure(), reader.closedByServer(), detail);
            SeqCheck c = reader.check();
            long missing = c.missing() + Math.max(0, published - c.last());
            Verification v = new Verification(published, c.received(), missing, c.backwards(), errors,
                    String.join("; ", detail));
            List<String> notes = new ArrayList<>();
            GeneratorCeiling ceiling = env.ceiling();
            if (ceiling != null) {
                ceiling.checkPublisher(payloadBytes, false, published / seconds).ifPresent(notes::add);
                ceiling.checkReader(payloadBytes, false, rate).ifPresent(notes::add);
            }
            return new CaseResult(metrics, v, notes);
        } finally {
            if (pub != null) {
                pub.stop();
                pub.conn().close();
            }
            reader.stopAndJoin();
        }
    }
}
