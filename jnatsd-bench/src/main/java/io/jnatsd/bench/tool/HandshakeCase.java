package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * New TLS connections per second: {@code --handshake-conns} threads each connect, read the plaintext {@code INFO},
 * run a full TLS handshake at one protocol version (the client never resumes a session), send {@code CONNECT} and
 * {@code PING}, wait for the {@code PONG} (so the server has accepted the client), and close; over and over for the
 * run's duration. Reports completed connections per second; a connection that fails, or negotiates another version,
 * counts as an error.
 * <p>
 * Runs on the runner thread plus one platform thread per concurrent connection, joined before returning.
 */
final class HandshakeCase implements BenchCase {

    private final String version;       // "1.3" or "1.2"
    private final int connections;

    HandshakeCase(String version, int connections) {
        this.version = version;
        this.connections = connections;
    }

    @Override
    public String scenario() {
        return "tls-handshake";
    }

    @Override
    public String label() {
        return "tls=" + version + (connections == 1 ? "" : " conns=" + connections);
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tlsVersion", version);
        p.put("connections", connections);
        return p;
    }

    @Override
    public boolean needsTls() {
        return true;
    }

    /** The JSSE name of the version, e.g. {@code TLSv1.3}. */
    String protocol() {
        return "TLSv" + version;
    }

    @Override
    public CaseResult run(Target server, RunEnv env) throws Exception {
        Target target = server.tls();
        ServerUrl url = target.url().withTls(target.url().tls().withProtocols(List.of(protocol())));
        long runNanos = env.countedRuns() ? BenchOptions.seconds(600) : env.runNanos();
        long limit = env.runMsgs();
        AtomicBoolean stop = new AtomicBoolean();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker(url, protocol(), env.options().drainTimeoutNanos, stop,
                    limit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, limit / connections)));
        }
        long serverCpu0 = target.cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < workers.size(); i++) {
            workers.get(i).thread = new Thread(workers.get(i), "bench-handshake-" + i);
            workers.get(i).thread.setDaemon(true);
            workers.get(i).thread.start();
        }
        long deadline = start + runNanos;
        while (System.nanoTime() - deadline < 0 && workers.stream().anyMatch(w -> w.thread.isAlive())) {
            workers.getFirst().thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    Math.min(250_000_000L, deadline - System.nanoTime()))));
            long done = workers.stream().mapToLong(w -> w.completed).sum();
            env.progress().tick(String.format(Locale.ROOT, "%s %s: %s connections", scenario(), label(),
                    Format.count(done)));
        }
        stop.set(true);
        for (Worker w : workers) {
            w.thread.join();
        }
        long end = System.nanoTime();
        long serverCpu1 = target.cpuNanos();

        long completed = 0;
        long failed = 0;
        long cpu = 0;
        long maxThreadCpu = 0;
        List<String> detail = new ArrayList<>();
        for (Worker w : workers) {
            completed += w.completed;
            failed += w.failed;
            cpu += w.cpuNanos;
            maxThreadCpu = Math.max(maxThreadCpu, w.cpuNanos);
            if (w.lastFailure != null && detail.size() < 3) {
                detail.add(w.lastFailure);
            }
        }
        double seconds = Math.max(1, end - start) / 1e9;
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.higher("conns/s", "conns/s", completed / seconds));
        metrics.add(Metric.higher("conns", "conns", completed).hidden());
        metrics.add(Metric.lower("gen cpu", "%", 100.0 * cpu / (seconds * 1e9)).hidden());
        metrics.add(Metric.lower("gen max thread cpu", "%", 100.0 * maxThreadCpu / (seconds * 1e9)).hidden());
        if (serverCpu0 >= 0 && serverCpu1 >= 0) {
            metrics.add(Metric.lower("srv cpu", "%", 100.0 * (serverCpu1 - serverCpu0) / (seconds * 1e9)).hidden());
            if (completed > 0) {
                metrics.add(Metric.lower("srv cpu per conn", "us", (serverCpu1 - serverCpu0) / 1e3 / completed)
                        .hidden());
            }
        }
        if (completed > 0) {
            metrics.add(Metric.lower("gen cpu per conn", "us", cpu / 1e3 / completed).hidden());
        }
        List<String> notes = new ArrayList<>();
        GeneratorCeiling ceiling = env.ceiling();
        if (ceiling != null) {
            ceiling.checkHandshakes(version, completed / seconds).ifPresent(notes::add);
        }
        Verification v = new Verification(completed + failed, completed, 0, 0, failed, String.join("; ", detail));
        return new CaseResult(metrics, v, notes);
    }

    /** One connecting thread; its counters are read after it is joined (and, approximately, for progress). */
    private static final class Worker implements Runnable {
        private final ServerUrl url;
        private final String protocol;
        private final long flushTimeoutNanos;
        private final AtomicBoolean stop;
        private final long maxConnections;
        Thread thread;
        volatile long completed;
        long failed;
        long cpuNanos;
        String lastFailure;

        Worker(ServerUrl url, String protocol, long flushTimeoutNanos, AtomicBoolean stop, long maxConnections) {
            this.url = url;
            this.protocol = protocol;
            this.flushTimeoutNanos = flushTimeoutNanos;
            this.stop = stop;
            this.maxConnections = maxConnections;
        }

        @Override
        public void run() {
            long cpu0 = ThreadCpu.currentNanos();
            try {
                while (!stop.get() && completed + failed < maxConnections) {
                    try (NatsConn conn = NatsConn.open(url, "bench-handshake", 4096, (l, n, s, p) -> { })) {
                        conn.flush(flushTimeoutNanos);
                        if (!protocol.equals(conn.tlsProtocol())) {
                            throw new IllegalStateException("negotiated " + conn.tlsProtocol() + ", not " + protocol);
                        }
                        if (conn.errors() > 0) {
                            throw new IllegalStateException("-ERR '" + conn.lastError() + "'");
                        }
                        completed++;
                    } catch (Exception e) {
                        failed++;
                        lastFailure = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                    }
                }
            } finally {
                cpuNanos = ThreadCpu.currentNanos() - cpu0;
            }
        }
    }
}
