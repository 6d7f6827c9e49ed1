package io.jnatsd.bench.tool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory per idle connection: opens many connections, each with one subscription to its own subject, and reports
 * the growth of the server's resident memory ({@code VmRSS} of {@code /proc/<pid>/status}) divided by their number.
 * Afterwards one message is published to every subject and each connection must receive exactly its own.
 * <p>
 * When the benchmark can launch the server, every run uses a fresh server process, so that memory freed by earlier
 * scenarios (and kept by the JVM or the Go runtime) does not hide the cost. The baseline is taken after a few
 * connections have come and gone, so one-off costs of the first connection (class loading, buffer pools) are not
 * spread over the measured ones. Runs on the runner thread; uses no extra threads.
 */
final class IdleCase implements BenchCase {

    private static final int WARM_CONNECTIONS = 16;
    private static final int GROUP = 256;
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int connections;

    IdleCase(int connections) {
        this.connections = connections;
    }

    @Override
    public String scenario() {
        return "idle";
    }

    @Override
    public String label() {
        return "conns=" + connections;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("connections", connections);
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        ServerProcess fresh = null;
        try {
            Target t = target;
            if (target.launcher() != null) {
                fresh = target.launcher().start(env.options().startTimeoutNanos);
                t = Target.launched(target.launcher(), fresh, null);
            }
            return measure(t, env, fresh != null);
        } finally {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    private CaseResult measure(Target t, RunEnv env, boolean freshServer) throws Exception {
        String base = env.uniqueSubject("idle");
        List<String> notes = new ArrayList<>();
        if (!freshServer) {
            notes.add("measured on the running server (not a fresh process)");
        }
        List<String> detail = new ArrayList<>();
        long errors = 0;
        List<IdleConn> warm = open(t, env, base + ".warm", WARM_CONNECTIONS);
        errors += deliverAndCheck(t, env, base + ".warm", warm, detail);
        warm.forEach(c -> c.conn.close());

        LockSupport.parkNanos(SETTLE_NANOS);
        long rss0 = t.rssKb();
        long openStart = System.nanoTime();
        List<IdleConn> conns = open(t, env, base, connections);
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        try {
            LockSupport.parkNanos(SETTLE_NANOS);
            long rss1 = t.rssKb();
            errors += deliverAndCheck(t, env, base, conns, detail);
            long received = conns.stream().filter(c -> c.count == 1 && c.seq == c.expectedSeq).count();
            long duplicates = conns.stream().mapToLong(c -> Math.max(0, c.count - 1)).sum()
                    + conns.stream().filter(c -> c.count >= 1 && c.seq != c.expectedSeq).count();
            long missing = conns.stream().filter(c -> c.count == 0).count();

            List<Metric> metrics = new ArrayList<>();
            if (rss0 >= 0 && rss1 >= 0) {
                metrics.add(Metric.lower("rss/conn", "KiB", (double) (rss1 - rss0) / connections));
                metrics.add(Metric.lower("rss before", "MiB", rss0 / 1024.0).hidden());
                metrics.add(Metric.lower("rss after", "MiB", rss1 / 1024.0).hidden());
            } else {
                notes.add("server process unknown: memory not measured (use --pid)");
            }
            metrics.add(Metric.higher("connect rate", "conns/s", connections / openSeconds).hidden());
            Verification v = new Verification(connections, received + duplicates, missing, duplicates, errors,
                    String.join("; ", detail));
            return new CaseResult(metrics, v, notes);
        } finally {
            conns.forEach(c -> c.conn.close());
        }
    }

    /** Opens {@code n} connections with one subscription each, {@link #GROUP} at a time, pipelining the set-up. */
    private static List<IdleConn> open(Target t, RunEnv env, String base, int n) throws IOException {
        List<IdleConn> conns = new ArrayList<>(n);
        try {
            for (int from = 0; from < n; from += GROUP) {
                int to = Math.min(n, from + GROUP);
                for (int i = from; i < to; i++) {
                    IdleConn c = new IdleConn(i + 1);
                    c.conn = NatsConn.open(t.url(), "bench-idle", 1024, c);
                    conns.add(c);
                    c.conn.write(Frames.sub(subject(base, i), null, 1));
                }
                for (int i = from; i < to; i++) {
                    NatsConn c = conns.get(i).conn;
                    c.flush(env.options().drainTimeoutNanos);
                    c.releaseSelector();
                }
                env.progress().tick(String.format(Locale.ROOT, "idle: %s of %s connections", Format.count(to),
                        Format.count(n)));
            }
            return conns;
        } catch (IOException | RuntimeException e) {
            conns.forEach(c -> c.conn.close());
            throw e;
        }
    }

    private static String subject(String base, int i) {
        return base + "." + i;
    }

    /** Publishes message i+1 to subject i, then reads every connection until it has its message. */
    private static long deliverAndCheck(Target t, RunEnv env, String base, List<IdleConn> conns, List<String> detail)
            throws IOException {
        long errors = 0;
        try (NatsConn pub = NatsConn.open(t.url(), "bench-idle-pub", 4096, (l, n, s, p) -> { })) {
            for (int from = 0; from < conns.size(); from += 4096) {
                int to = Math.min(conns.size(), from + 4096);
                byte[][] subjects = new byte[to - from][];
                for (int i = from; i < to; i++) {
                    subjects[i - from] = Frames.ascii(subject(base, i));
                }
                PubBatch batch = PubBatch.ofSubjects(subjects, 16);
                pub.write(batch.view(batch.fill(from + 1, to - from)));
            }
            pub.flush(env.options().drainTimeoutNanos);
            errors += Runs.connErrors(pub, null, false, detail);
        }
        long deadline = System.nanoTime() + env.options().drainTimeoutNanos;
        for (IdleConn c : conns) {
            while (c.count == 0 && System.nanoTime() - deadline < 0) {
                if (c.conn.readOnce() < 0) {
                    detail.add("the server closed an idle connection");
                    errors++;
                    break;
                }
            }
            errors += Runs.connErrors(c.conn, null, false, detail);
            c.conn.releaseSelector();
        }
        return errors;
    }

    /** One idle connection and what it received; used only on the runner thread. */
    private static final class IdleConn implements MsgScanner.Listener {
        final long expectedSeq;
        NatsConn conn;
        long count;
        long seq;

        IdleConn(long expectedSeq) {
            this.expectedSeq = expectedSeq;
        }

        @Override
        public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
            this.count++;
            this.seq = seq;
        }
    }
}
