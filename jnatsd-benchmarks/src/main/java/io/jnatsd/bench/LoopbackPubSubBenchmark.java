package io.jnatsd.bench;

import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.NatsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end through an in-process {@link NatsServer} on a loopback port: one raw-socket publisher, {@link
 * #subscribers} raw-socket subscribers on the same subject, each on its own connection and reader thread that only
 * counts bytes. Reported as messages published per second; each is delivered to every subscriber, so delivered
 * messages per second are the score times {@link #subscribers}.
 *
 * <p>The benchmark thread is the publisher: each invocation writes one pre-encoded batch of {@value #BATCH}
 * {@code PUB bench.loopback <size>} frames with a single socket write, then waits until every subscriber has
 * received all but the last {@value #WINDOW} messages published so far. The window keeps the subscribers' pending
 * output far below the server's max_pending (64 MB), so the server never cuts a subscriber off as a slow consumer;
 * a subscriber that falls further behind makes the publisher wait, so the score is the rate the whole path
 * sustains. The server's PING interval is set to an hour so that no PING needs answering during a run.
 *
 * <p>Everything shares the machine's cores: server event loops, subscriber threads and the publisher. Compare runs
 * on one machine only.
 *
 * <p>Run: {@code java -jar jnatsd-benchmarks/target/jnatsd-jmh.jar LoopbackPubSubBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoopbackPubSubBenchmark {

    /** Messages per socket write: the unit of {@link OperationsPerInvocation}. */
    static final int BATCH = 1000;
    /** Messages a subscriber may lag behind the publisher before the publisher waits. */
    static final int WINDOW = 2 * BATCH;

    private static final String SUBJECT = "bench.loopback";
    private static final String SID = "1";
    private static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"16", "1024"})
    int payloadBytes;

    @Param({"1", "4"})
    int subscribers;

    private NatsServer server;
    private Socket publisher;
    private OutputStream publisherOut;
    private Thread publisherReader;
    private volatile String publisherNotice;
    private final List<Socket> subscriberSockets = new ArrayList<>();
    private final List<Thread> subscriberReaders = new ArrayList<>();
    private AtomicLong[] receivedBytes;
    private byte[] batch;
    private long deliveredFrameBytes;
    private long published;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = new NatsServer(ServerOptions.builder()
                .host("127.0.0.1")
                .port(ServerOptions.RANDOM_PORT)
                .pingInterval(Duration.ofHours(1))
                .build());
        server.start();
        try {
            connectClients(server.clientPort());
        } catch (IOException | RuntimeException e) {
            closeAll();
            throw e;
        }
    }

    private void connectClients(int port) throws IOException {

        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        byte[] pubFrame = frame("PUB " + SUBJECT + " " + payloadBytes + "\r\n", payload);
        byte[] msgFrame = frame("MSG " + SUBJECT + " " + SID + " " + payloadBytes + "\r\n", payload);
        deliveredFrameBytes = msgFrame.length;
        batch = new byte[pubFrame.length * BATCH];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(pubFrame, 0, batch, i * pubFrame.length, pubFrame.length);
        }

        for (int i = 0; i < subscribers; i++) {
            Socket socket = connect(port, "SUB " + SUBJECT + " " + SID + "\r\n");
            subscriberSockets.add(socket);
        }
        publisher = connect(port, "");
        publisherOut = publisher.getOutputStream();

        // One message end to end, checked byte for byte, before the readers start counting.
        publisherOut.write(pubFrame);
        publisherOut.flush();
        for (Socket socket : subscriberSockets) {
            byte[] got = socket.getInputStream().readNBytes(msgFrame.length);
            if (!Arrays.equals(got, msgFrame)) {
                throw new IllegalStateException("subscriber got " + ascii(got));
            }
        }

        receivedBytes = new AtomicLong[subscribers];
        for (int i = 0; i < subscribers; i++) {
            AtomicLong counter = new AtomicLong();
            receivedBytes[i] = counter;
            InputStream in = subscriberSockets.get(i).getInputStream();
            Thread reader = Thread.ofPlatform().daemon().name("bench-sub-" + i).start(() -> count(in, counter));
            subscriberReaders.add(reader);
        }
        InputStream publisherIn = publisher.getInputStream();
        publisherReader = Thread.ofPlatform().daemon().name("bench-pub-reader").start(() -> watch(publisherIn));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        closeAll();
    }

    private void closeAll() {
        try {
            closeQuietly(publisher);
            for (Socket socket : subscriberSockets) {
                closeQuietly(socket);
            }
            for (Thread reader : subscriberReaders) {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            }
            if (publisherReader != null) {
                publisherReader.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.shutdown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publish() throws IOException {
        publisherOut.write(batch);
        published += BATCH;
        awaitSubscribers(published - WINDOW);
        return published;
    }

    /** Parks until every subscriber has received at least {@code messages} messages. */
    private void awaitSubscribers(long messages) {
        if (messages <= 0) {
            return;
        }
        long neededBytes = messages * deliveredFrameBytes;
        long start = 0;
        for (AtomicLong received : receivedBytes) {
            while (received.get() < neededBytes) {
                if (start == 0) {
                    start = System.nanoTime();
                } else if (System.nanoTime() - start > STALL_LIMIT_NANOS) {
                    throw new IllegalStateException("subscriber stalled at " + received.get() / deliveredFrameBytes
                            + " of " + messages + " messages; server said to publisher: " + publisherNotice);
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Subscriber reader: counts bytes until the socket closes. */
    private static void count(InputStream in, AtomicLong counter) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                counter.setRelease(total);
            }
        } catch (IOException closed) {
            // teardown closed the socket
        }
    }

    /** Publisher reader: the server sends the publisher nothing in a healthy run; keeps what it does send. */
    private void watch(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                publisherNotice = new String(buffer, 0, n, StandardCharsets.US_ASCII);
            }
        } catch (IOException closed) {
            // teardown closed the socket
        }
    }

    /** Connects, reads INFO, sends CONNECT, {@code extra} and PING, and reads the PONG and the INFO after it. */
    private static Socket connect(int port, String extra) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        String info = readLine(in);
        if (!info.startsWith("INFO ")) {
            throw new IllegalStateException("expected INFO, got " + info);
        }
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false,\"protocol\":1}\r\n" + extra
                + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = readLine(in);
        if (!reply.equals("PONG")) {
            throw new IllegalStateException("expected PONG, got " + reply);
        }
        // nats-server: client.go processPing, a protocol-1 client gets an INFO with connect_info after its first PONG.
        String connectInfo = readLine(in);
        if (!connectInfo.startsWith("INFO ")) {
            throw new IllegalStateException("expected INFO after the first PONG, got " + connectInfo);
        }
        return socket;
    }

    /** One CRLF-terminated line, read byte by byte so that nothing after it is consumed. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1
                        : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
        throw new IOException("connection closed after " + line);
    }

    private static byte[] frame(String line, byte[] payload) {
        byte[] head = line.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + payload.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(payload, 0, frame, head.length, payload.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
