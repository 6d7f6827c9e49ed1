package io.jnatsd.server;

import io.jnatsd.config.ServerOptions;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publish path (parse, match through the caches, append to the receiver, flush) allocates nothing per message
 * once warm: measured as heap bytes allocated by the event-loop threads while a publisher sends a burst to one
 * subscriber. A count, not a timing.
 */
class PublishAllocationTest {

    private static final byte[] FRAME = "PUB foo 16\r\n0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DELIVERED_FRAME_BYTES = "MSG foo 1 16\r\n0123456789abcdef\r\n".length();
    private static final int MESSAGES = 200_000;

    private static long eventLoopAllocatedBytes() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("jnatsd-io")) {
                sum += threads.getThreadAllocatedBytes(info.getThreadId());
            }
        }
        return sum;
    }

    private static Thread drain(Socket socket, AtomicLong bytes) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    bytes.addAndGet(n);
                }
            } catch (IOException e) {
                // socket closed at the end of the test
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads INFO and PONG: the subscription is registered before anything is published. */
    private static void awaitPong(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().endsWith("PONG\r\n")) {
            int b = in.read();
            assertThat(b).as("connection open").isNotNegative();
            seen.append((char) b);
        }
    }

    private static void awaitBytes(AtomicLong received, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(received.get()).isGreaterThanOrEqualTo(expected);
    }

    @Test
    void shouldNotAllocatePerMessageOnThePublishPath() throws Exception {
        // The build runs tests with paranoid leak detection, which records a trace per buffer access; measure the
        // production setting instead.
        ResourceLeakDetector.Level leakDetection = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure();
        } finally {
            ResourceLeakDetector.setLevel(leakDetection);
        }
    }

    private void measure() throws Exception {
        NatsServer server = new NatsServer(ServerOptions.builder().host("127.0.0.1")
                .port(ServerOptions.RANDOM_PORT).build());
        server.start();
        try (Socket sub = new Socket("127.0.0.1", server.clientPort());
             Socket pub = new Socket("127.0.0.1", server.clientPort())) {
            AtomicLong received = new AtomicLong();
            sub.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n".getBytes(
                    StandardCharsets.US_ASCII));
            awaitPong(sub);
            pub.getOutputStream().write("CONNECT {\"verbose\":false}\r\n".getBytes(StandardCharsets.US_ASCII));
            drain(sub, received);
            drain(pub, new AtomicLong());
            OutputStream out = new BufferedOutputStream(pub.getOutputStream(), 1 << 16);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 4; round++) {
                long expected = received.get() + (long) MESSAGES * DELIVERED_FRAME_BYTES;
                long before = eventLoopAllocatedBytes();
                for (int i = 0; i < MESSAGES; i++) {
                    out.write(FRAME);
                }
                out.flush();
                awaitBytes(received, expected);
                best = Math.min(best, eventLoopAllocatedBytes() - before);
            }
            double perMessage = best / (double) MESSAGES;
            assertThat(perMessage).as("bytes allocated per message by the event loops (best round)")
                    .isLessThan(2.0);
        } finally {
            server.shutdown();
        }
    }
}
