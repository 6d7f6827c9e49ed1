package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Message throughput through the server: {@code pub} (publishers only), {@code fanout} (1 publisher, N subscribers
 * on the subject), {@code queue} (1 publisher, a queue group of N) and {@code payload} (1:1 at a given size); over
 * TLS, {@code tls-pub} (publish only) and {@code tls-1to1} (1:1), on the target's TLS instance.
 * The rate is what was delivered (published, for {@code pub}) divided by the time from the first publish to the last
 * delivery (to the final {@code PONG}, for {@code pub}). Every delivery is checked against the sequence numbers.
 * <p>
 * Runs on the runner thread; starts one thread per connection and joins them before returning.
 */
final class ThroughputCase implements BenchCase {

    /** A generator thread on CPU for this share of a run or more is flagged as a possible bottleneck. */
    static final double BUSY_THREAD_FRACTION = 0.9;

    private final String scenario;
    private final int publishers;
    private final int subscribers;
    private final boolean queueGroup;
    private final int payloadBytes;
    private final boolean tls;

    ThroughputCase(String scenario, int publishers, int subscribers, boolean queueGroup, int payloadBytes) {
        this.scenario = scenario;
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.queueGroup = queueGroup;
        this.payloadBytes = payloadBytes;
        this.tls = BenchOptions.TLS_SCENARIOS.contains(scenario);
    }

    @Override
    public String scenario() {
        return scenario;
    }

    @Override
    public String label() {
        return switch (scenario) {
            case "pub" -> (publishers > 1 ? "pubs=" + publishers + " " : "") + "size=" + Format.bytes(payloadBytes);
            case "fanout" -> "subs=" + subscribers + " size=" + Format.bytes(payloadBytes);
            case "queue" -> "members=" + subscribers + " size=" + Format.bytes(payloadBytes);
            default -> "size=" + Format.bytes(payloadBytes);
        };
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("publishers", publishers);
        p.put("subscribers", subscribers);
        p.put("queue", queueGroup);
        p.put("size", payloadBytes);
        return p;
    }

    int payloadBytes() {
        return payloadBytes;
    }

    @Override
    public boolean needsTls() {
        return tls;
    }

    @Override
    public CaseResult run(Target server, RunEnv env) throws Exception {
        Target target = tls ? server.tls() : server;
        BenchOptions o = env.options();
        String subject = env.uniqueSubject(scenario);
        List<Subscriber> readers = new ArrayList<>();
        List<Publisher> pubs = new ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                Subscriber s = queueGroup
                        ? Subscriber.member(target.url(), "bench-sub-" + i, o.readBufferBytes, payloadBytes)
                        : Subscriber.ordered(target.url(), "bench-sub-" + i, o.readBufferBytes, payloadBytes);
                readers.add(s);
                s.conn().write(Frames.sub(subject, queueGroup ? "bench" : null, 1));
            }
            for (Subscriber s : readers) {
                s.conn().flush(o.drainTimeoutNanos);
            }
            PubBatch batch = PubBatch.of(subject, null, payloadBytes, o.batchBytes);
            long frameBytes = batch.fill(1, 1);
            long windowMsgs = Math.max(2L * batch.frames(), o.windowBytes / frameBytes);
            FlowGate gate = subscribers == 0 ? FlowGate.OPEN
                    : queueGroup ? FlowGate.together(readers, windowMsgs) : FlowGate.slowest(readers, windowMsgs);
            for (int i = 0; i < publishers; i++) {
                NatsConn conn = NatsConn.open(target.url(), "bench-pub-" + i, 4096, (l, n, s, p) -> { });
                conn.flush(o.drainTimeoutNanos);
                PubBatch own = i == 0 ? batch : PubBatch.of(subject, null, payloadBytes, o.batchBytes);
                pubs.add(new Publisher(conn, new PubBatch[] {own}, env.runMsgs(), env.runNanos(),
                        o.drainTimeoutNanos, gate));
            }
            for (int i = 0; i < readers.size(); i++) {
                readers.get(i).start("bench-reader-" + i);
            }
            long serverCpu0 = target.cpuNanos();
            for (int i = 0; i < pubs.size(); i++) {
                pubs.get(i).start("bench-publisher-" + i);
            }
            Runs.joinPublishers(pubs, env, scenario + " " + label());
            long published = 0;
            for (Publisher p : pubs) {
                published += p.published();
            }
            long expected = subscribers == 0 ? published : queueGroup ? published : published * subscribers;
            Runs.awaitDelivery(readers, expected, env, scenario + " " + label());
            for (Subscriber s : readers) {
                s.stopAndJoin();
            }
            long serverCpu1 = target.cpuNanos();
            return result(target, env, pubs, readers, published, expected, serverCpu0, serverCpu1);
        } finally {
            for (Publisher p : pubs) {
                p.stop();
                p.conn().close();
            }
            for (Subscriber s : readers) {
                s.stopAndJoin();
            }
        }
    }

    private CaseResult result(Target target, RunEnv env, List<Publisher> pubs, List<Subscriber> readers,
            long published, long expected, long serverCpu0, long serverCpu1) {
        long start = Long.MAX_VALUE;
        long end = 0;
        long genCpu = 0;
        long maxThreadCpu = 0;
        for (Publisher p : pubs) {
            start = Math.min(start, p.startNanos());
            genCpu += p.cpuNanos();
            maxThreadCpu = Math.max(maxThreadCpu, p.cpuNanos());
            if (readers.isEmpty()) {
                end = Math.max(end, p.flushedNanos());
            }
        }
        long received = 0;
        for (Subscriber s : readers) {
            end = Math.max(end, s.lastReceiveNanos());
            received += s.check().received();
            genCpu += s.cpuNanos();
            maxThreadCpu = Math.max(maxThreadCpu, s.cpuNanos());
        }
        double seconds = Math.max(1, end - start) / 1e9;
        long delivered = readers.isEmpty() ? published : received;
        double rate = delivered / seconds;
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.higher("msgs/s", "msgs/s", rate));
        Metric mbps = Metric.higher("MB/s", "MB/s", rate * payloadBytes / 1e6);
        metrics.add(scenario.equals("payload") ? mbps : mbps.hidden());
        metrics.add(Metric.higher("pub msgs/s", "msgs/s", published / seconds).hidden());
        metrics.add(Metric.higher("msgs", "msgs", delivered).hidden());
        metrics.add(Metric.lower("gen cpu", "%", 100.0 * genCpu / (seconds * 1e9)).hidden());
        metrics.add(Metric.lower("gen max thread cpu", "%", 100.0 * maxThreadCpu / (seconds * 1e9)).hidden());
        if (serverCpu0 >= 0 && serverCpu1 >= 0) {
            metrics.add(Metric.lower("srv cpu", "%", 100.0 * (serverCpu1 - serverCpu0) / (seconds * 1e9)).hidden());
        }
        List<String> notes = new ArrayList<>();
        Verification v = verify(pubs, readers, published, expected, notes);
        double busiest = maxThreadCpu / (seconds * 1e9);
        if (busiest >= BUSY_THREAD_FRACTION) {
            notes.add(String.format(Locale.ROOT, "a generator thread was on CPU %.0f%% of the run: may be"
                    + " generator-limited", 100 * busiest));
        }
        GeneratorCeiling ceiling = env.ceiling();
        if (ceiling != null) {
            ceiling.checkPublisher(payloadBytes, tls, published / seconds / pubs.size()).ifPresent(notes::add);
            if (!readers.isEmpty()) {
                ceiling.checkReader(payloadBytes, tls, rate / readers.size()).ifPresent(notes::add);
            }
        }
        return new CaseResult(metrics, v, notes);
    }

    private Verification verify(List<Publisher> pubs, List<Subscriber> readers, long published, long expected,
            List<String> notes) {
        long errors = 0;
        List<String> detail = new ArrayList<>();
        for (Publisher p : pubs) {
            errors += Runs.connErrors(p.conn(), p.failure(), false, detail);
        }
        long received = 0;
        long missing = 0;
        long duplicates = 0;
        for (Subscriber s : readers) {
            errors += Runs.connErrors(s.conn(), s.failure(), s.closedByServer(), detail);
            received += s.check().received();
            duplicates += s.check().backwards();
            if (!queueGroup) {
                missing += s.check().missing() + Math.max(0, published - s.check().last());
            }
        }
        if (readers.isEmpty()) {
            received = published;   // confirmed by each publisher's final PING/PONG
            if (pubs.stream().anyMatch(p -> p.flushedNanos() == 0)) {
                errors++;
                detail.add("a publisher's final PONG never came");
            }
        } else if (queueGroup) {
            List<SeqCoverage> sets = readers.stream().map(Subscriber::coverage).toList();
            if (sets.stream().allMatch(c -> c != null)) {
                SeqCoverage.Merged m = SeqCoverage.merge(sets, published);
                missing = m.missing();
                duplicates += m.duplicates();
            } else {
                missing = Math.max(0, expected - received);
                duplicates += Math.max(0, received - expected);
                notes.add("payload under 8 bytes: queue deliveries counted, not matched by sequence");
            }
        }
        if (!readers.isEmpty() && payloadBytes == 0) {
            notes.add("0-byte payload: deliveries counted, not sequenced");
        } else if (!readers.isEmpty() && payloadBytes < 8 && !queueGroup) {
            notes.add(String.format(Locale.ROOT, "%d-byte payload: order checked modulo 2^%d", payloadBytes,
                    8 * payloadBytes));
        }
        return new Verification(expected, received, missing, duplicates, errors, String.join("; ", detail));
    }
}
