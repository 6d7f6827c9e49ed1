package io.jnatsd.bench.tool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator's own ceiling, measured against trivial in-process sinks on loopback, per payload size:
 * <ul>
 *   <li>publisher: the same pre-encoded {@code PUB} batches written to a socket whose other end only counts and
 *       discards bytes;</li>
 *   <li>reader: the same reader ({@link Subscriber}, with its sequence check) fed by a thread that writes
 *       pre-encoded {@code MSG} frames as fast as it can.</li>
 * </ul>
 * The sink thread competes for the same CPU, as a server would, so the ceiling is a conservative estimate. A
 * server result at {@value #WARN_FRACTION} of the ceiling or more gets a warning: there the generator, not the
 * server, may be the limit.
 * <p>
 * For the TLS scenarios the same is measured over TLS against an in-process {@link TlsSink} (the generator's
 * {@link TlsClient} against a server context with the throw-away certificate), plus the rate of new TLS connections
 * (the {@code tls-handshake} case run against a sink that answers {@code PING}). Immutable after {@link #measure}.
 */
final class GeneratorCeiling {

    /** Share of the ceiling above which a result is flagged as possibly generator-limited. */
    static final double WARN_FRACTION = 0.8;

    /**
     * Ceiling for one payload size, in messages per second of one publisher thread and one reader thread.
     *
     * @param size          payload bytes
     * @param pubMsgsPerSec one publisher thread into a discarding sink
     * @param readMsgsPerSec one reader thread fed as fast as a sink thread can write
     */
    record Limits(int size, double pubMsgsPerSec, double readMsgsPerSec) {
    }

    private final TreeMap<Integer, Limits> bySize;
    private final TreeMap<Integer, Limits> tlsBySize;
    private final Map<String, Double> handshakesPerSec;     // TLS version -> new connections per second

    GeneratorCeiling(Map<Integer, Limits> bySize) {
        this(bySize, Map.of(), Map.of());
    }

    GeneratorCeiling(Map<Integer, Limits> bySize, Map<Integer, Limits> tlsBySize, Map<String, Double> handshakes) {
        this.bySize = new TreeMap<>(bySize);
        this.tlsBySize = new TreeMap<>(tlsBySize);
        this.handshakesPerSec = new java.util.LinkedHashMap<>(handshakes);
    }

    /** What to measure for the TLS scenarios: sizes, versions, and the client and sink to measure with. */
    record TlsPlan(Collection<Integer> sizes, Collection<String> versions, int connections, TlsClient client,
            io.netty.handler.ssl.SslContext sink) {
    }

    /**
     * Measures every size in {@code sizes} (plaintext) and what {@code tls} asks for (null: nothing over TLS), for
     * {@code o.ceilingDurationNanos} each.
     */
    static GeneratorCeiling measure(Collection<Integer> sizes, TlsPlan tls, BenchOptions o, Progress progress)
            throws Exception {
        GeneratorCeiling plain = sizes.isEmpty() ? new GeneratorCeiling(Map.of()) : measure(sizes, o, progress);
        if (tls == null) {
            return plain;
        }
        TreeMap<Integer, Limits> tlsOut = new TreeMap<>();
        for (int size : new java.util.TreeSet<>(tls.sizes())) {
            // each once before measuring: the TLS engines' code runs cold otherwise (the plaintext path is short and
            // compiles within the first measurement; the TLS path does not)
            measureTlsPublisher(size, o.ceilingDurationNanos, o.batchBytes, tls);
            double pub = measureTlsPublisher(size, o.ceilingDurationNanos, o.batchBytes, tls);
            measureTlsReader(size, o.ceilingDurationNanos, o.batchBytes, o.readBufferBytes, tls);
            double read = measureTlsReader(size, o.ceilingDurationNanos, o.batchBytes, o.readBufferBytes, tls);
            tlsOut.put(size, new Limits(size, pub, read));
            progress.line(String.format(Locale.ROOT, "generator ceiling %6s TLS (%s): publisher %s msgs/s, reader %s"
                    + " msgs/s", Format.bytes(size), tls.client().provider(), Format.count((long) pub),
                    Format.count((long) read)));
        }
        Map<String, Double> handshakes = new java.util.LinkedHashMap<>();
        for (String version : tls.versions()) {
            double rate = measureHandshakes(version, tls, o, progress);
            handshakes.put(version, rate);
            progress.line(String.format(Locale.ROOT, "generator ceiling TLS %s handshakes (%s, %d at a time): %s"
                    + " conns/s", version, tls.client().provider(), tls.connections(), Format.count((long) rate)));
        }
        return new GeneratorCeiling(plain.bySize, tlsOut, handshakes);
    }

    /** Measures every size in {@code sizes} for {@code o.ceilingDurationNanos} per side. */
    static GeneratorCeiling measure(Collection<Integer> sizes, BenchOptions o, Progress progress) throws Exception {
        TreeMap<Integer, Limits> out = new TreeMap<>();
        for (int size : new java.util.TreeSet<>(sizes)) {
            double pub = measurePublisher(size, o.ceilingDurationNanos, o.batchBytes);
            double read = measureReader(size, o.ceilingDurationNanos, o.batchBytes, o.readBufferBytes);
            out.put(size, new Limits(size, pub, read));
            progress.line(String.format(Locale.ROOT, "generator ceiling %6s: publisher %s msgs/s, reader %s msgs/s",
                    Format.bytes(size), Format.count((long) pub), Format.count((long) read)));
        }
        return new GeneratorCeiling(out);
    }

    /** All measured sizes, ascending. */
    List<Limits> all() {
        return List.copyOf(bySize.values());
    }

    /** All sizes measured over TLS, ascending. */
    List<Limits> allTls() {
        return List.copyOf(tlsBySize.values());
    }

    /** New TLS connections per second by version ({@code 1.3}, {@code 1.2}). */
    Map<String, Double> handshakes() {
        return java.util.Collections.unmodifiableMap(handshakesPerSec);
    }

    /** The limits for {@code size}, or for the nearest measured size. */
    Limits forSize(int size) {
        return nearest(bySize, size);
    }

    private static Limits nearest(TreeMap<Integer, Limits> bySize, int size) {
        Map.Entry<Integer, Limits> floor = bySize.floorEntry(size);
        Map.Entry<Integer, Limits> ceil = bySize.ceilingEntry(size);
        if (floor == null) {
            return ceil.getValue();
        }
        if (ceil == null) {
            return floor.getValue();
        }
        return size - floor.getKey() <= ceil.getKey() - size ? floor.getValue() : ceil.getValue();
    }

    /** A warning if one publisher thread ran at {@code msgsPerSec} (over TLS or not), near its ceiling. */
    Optional<String> checkPublisher(int size, boolean tls, double msgsPerSec) {
        TreeMap<Integer, Limits> map = tls ? tlsBySize : bySize;
        if (map.isEmpty()) {
            return Optional.empty();
        }
        double limit = nearest(map, size).pubMsgsPerSec();
        return msgsPerSec >= WARN_FRACTION * limit
                ? Optional.of(String.format(Locale.ROOT, "publisher at %.0f%% of the generator's ceiling (%s msgs/s)"
                        + ": may be generator-limited", 100 * msgsPerSec / limit, Format.count((long) limit)))
                : Optional.empty();
    }

    /** A warning if one reader thread received {@code msgsPerSec} (over TLS or not), near its ceiling. */
    Optional<String> checkReader(int size, boolean tls, double msgsPerSec) {
        TreeMap<Integer, Limits> map = tls ? tlsBySize : bySize;
        if (map.isEmpty()) {
            return Optional.empty();
        }
        double limit = nearest(map, size).readMsgsPerSec();
        return msgsPerSec >= WARN_FRACTION * limit
                ? Optional.of(String.format(Locale.ROOT, "reader at %.0f%% of the generator's ceiling (%s msgs/s)"
                        + ": may be generator-limited", 100 * msgsPerSec / limit, Format.count((long) limit)))
                : Optional.empty();
    }

    /** A warning if {@code connsPerSec} new TLS connections of {@code version} is near the generator's ceiling. */
    Optional<String> checkHandshakes(String version, double connsPerSec) {
        Double limit = handshakesPerSec.get(version);
        if (limit == null || limit <= 0) {
            return Optional.empty();
        }
        return connsPerSec >= WARN_FRACTION * limit
                ? Optional.of(String.format(Locale.ROOT, "handshakes at %.0f%% of the generator's ceiling (%s conns/s)"
                        + ": may be generator-limited", 100 * connsPerSec / limit, Format.count(limit.longValue())))
                : Optional.empty();
    }

    /** Messages per second one publisher thread writes over TLS into a sink that decrypts and discards. */
    static double measureTlsPublisher(int size, long durationNanos, int batchBytes, TlsPlan tls) throws Exception {
        try (TlsSink sink = new TlsSink(tls.sink(), TlsSink.Mode.DISCARD, null);
             NatsConn conn = NatsConn.open(sink.url(tls.client()), "bench-ceiling", 4096, (l, n, s, p) -> { })) {
            PubBatch batch = PubBatch.of("bench.ceiling", null, size, batchBytes);
            long frameBytes = batch.fill(1, 1);
            long seq = 1;
            long t0 = System.nanoTime();
            long sunk0 = sink.plaintextBytes();
            long t1;
            while ((t1 = System.nanoTime()) - t0 < durationNanos) {
                conn.write(batch.view(batch.fill(seq, batch.frames())));
                seq += batch.frames();
            }
            return (sink.plaintextBytes() - sunk0) / (double) frameBytes / ((t1 - t0) / 1e9);
        }
    }

    /** Messages per second one reader thread decrypts, scans and checks when a sink sends MSG frames over TLS. */
    static double measureTlsReader(int size, long durationNanos, int batchBytes, int readBufferBytes, TlsPlan tls)
            throws Exception {
        try (TlsSink sink = new TlsSink(tls.sink(), TlsSink.Mode.BLAST,
                PubBatch.msgFrames("bench.ceiling", 1, size, batchBytes))) {
            Subscriber reader = Subscriber.ordered(sink.url(tls.client()), "bench-ceiling", readBufferBytes, size);
            try {
                return readRate(reader, size, durationNanos);
            } finally {
                reader.stopAndJoin();
            }
        }
    }

    /** New TLS connections per second of the {@code tls-handshake} case against a sink that answers PING. */
    static double measureHandshakes(String version, TlsPlan tls, BenchOptions o, Progress progress)
            throws Exception {
        try (TlsSink sink = new TlsSink(tls.sink(), TlsSink.Mode.PONG, null)) {
            Target target = Target.ofUrl("sink", sink.url(tls.client()), ProcessHandle.current().pid());
            RunEnv env = new RunEnv(o, progress, null).withDuration(o.ceilingDurationNanos);
            HandshakeCase handshakes = new HandshakeCase(version, tls.connections());
            handshakes.run(target, env);        // once to warm up: the handshake code runs cold otherwise
            CaseResult r = handshakes.run(target, env);
            if (!r.verification().ok()) {
                throw new IllegalStateException("TLS handshakes with the in-process sink failed: "
                        + r.verification().detail());
            }
            return r.metric("conns/s").map(Metric::value).orElse(0.0);
        }
    }

    /** Messages per second one publisher thread writes into a socket whose peer discards everything. */
    static double measurePublisher(int size, long durationNanos, int batchBytes) throws Exception {
        try (ServerSocketChannel listener = listen()) {
            AtomicLong sunk = new AtomicLong();
            Thread sink = new Thread(() -> discard(listener, sunk), "bench-ceiling-sink");
            sink.setDaemon(true);
            sink.start();
            PubBatch batch = PubBatch.of("bench.ceiling", null, size, batchBytes);
            long frameBytes = batch.fill(1, 1);
            double rate;
            try (SocketChannel socket = connect(listener)) {
                long seq = 1;
                long t0 = System.nanoTime();
                long sunk0 = sunk.get();
                long t1;
                while ((t1 = System.nanoTime()) - t0 < durationNanos) {
                    writeFully(socket, batch.view(batch.fill(seq, batch.frames())));
                    seq += batch.frames();
                }
                rate = (sunk.get() - sunk0) / (double) frameBytes / ((t1 - t0) / 1e9);
            }
            sink.join(10_000);
            return rate;
        }
    }

    private static void discard(ServerSocketChannel listener, AtomicLong sunk) {
        try (SocketChannel s = listener.accept()) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            int n;
            while ((n = s.read(buf.clear())) >= 0) {
                sunk.addAndGet(n);
            }
        } catch (IOException e) {
            // the publisher closed: done
        }
    }

    /** Messages per second one reader thread scans and checks when fed {@code MSG} frames as fast as possible. */
    static double measureReader(int size, long durationNanos, int batchBytes, int readBufferBytes) throws Exception {
        try (ServerSocketChannel listener = listen()) {
            Blaster blaster = new Blaster(listener, PubBatch.msgFrames("bench.ceiling", 1, size, batchBytes));
            Thread feeder = new Thread(blaster, "bench-ceiling-feeder");
            feeder.setDaemon(true);
            feeder.start();
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Subscriber reader = Subscriber.ordered(ServerUrl.of("127.0.0.1", port),
                    "bench-ceiling", readBufferBytes, size);
            try {
                reader.start("bench-ceiling-reader");
                return readRate(reader, size, durationNanos);
            } finally {
                blaster.stop = true;
                reader.stopAndJoin();
                feeder.join(10_000);
            }
        }
    }

    /** Runs {@code reader} (started here if it is not yet) for a tenth of the duration, then measures its rate. */
    private static double readRate(Subscriber reader, int size, long durationNanos) throws InterruptedException {
        if (!reader.started()) {
            reader.start("bench-ceiling-reader");
        }
        LockSupport.parkNanos(durationNanos / 10);
        long t0 = System.nanoTime();
        long r0 = reader.received();
        LockSupport.parkNanos(durationNanos);
        long r1 = reader.received();
        long t1 = System.nanoTime();
        reader.stopAndJoin();
        SeqCheck c = reader.check();
        if (c.missing() != 0 || c.backwards() != 0 || reader.failure() != null) {
            throw new IllegalStateException("the reader mis-scanned its own frames (size " + size
                    + "): missing " + c.missing() + ", backwards " + c.backwards() + ", failure "
                    + reader.failure());
        }
        return (r1 - r0) / ((t1 - t0) / 1e9);
    }

    private static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
    }

    private static SocketChannel connect(ServerSocketChannel listener) throws IOException {
        SocketChannel s = SocketChannel.open();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        s.connect(listener.getLocalAddress());
        return s;
    }

    private static void writeFully(SocketChannel s, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            s.write(src);
        }
    }

    /** Writes {@code MSG} frames with increasing sequence numbers until stopped; owned by its own thread. */
    private static final class Blaster implements Runnable {
        private final ServerSocketChannel listener;
        private final PubBatch frames;
        volatile boolean stop;

        Blaster(ServerSocketChannel listener, PubBatch frames) {
            this.listener = listener;
            this.frames = frames;
        }

        @Override
        public void run() {
            try (SocketChannel s = listener.accept()) {
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                long seq = 1;
                while (!stop) {
                    writeFully(s, frames.view(frames.fill(seq, frames.frames())));
                    seq += frames.frames();
                }
            } catch (IOException e) {
                // the reader closed: done
            }
        }
    }
}
