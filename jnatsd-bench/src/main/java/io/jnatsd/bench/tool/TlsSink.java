package io.jnatsd.bench.tool;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;

/**
 * A trivial in-process TLS "server" on loopback for the generator's TLS ceiling ({@link GeneratorCeiling}): it sends
 * a plaintext {@code INFO} as nats-server does, runs the server side of the handshake, then either discards what it
 * receives, or writes pre-encoded {@code MSG} frames as fast as it can, or answers the first {@code PING} with
 * {@code PONG}. One virtual thread per connection, blocking sockets.
 * <p>
 * Its own TLS costs CPU on the same cores as the generator, as a server's would, so the ceilings it yields are
 * conservative. {@link #close} stops it and its connections; counters may be read from any thread.
 */
final class TlsSink implements AutoCloseable {

    /** What the sink does with a connection after the handshake. */
    enum Mode {
        /** Reads and discards everything, counting plaintext bytes. */
        DISCARD,
        /** Writes {@code MSG} frames with increasing sequence numbers until closed. */
        BLAST,
        /** Answers the first {@code PING} with {@code PONG}, then waits for the client to close. */
        PONG
    }

    private static final byte[] INFO = "INFO {\"server_id\":\"jnatsd-bench-sink\",\"tls_required\":true}\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG_LINE = Frames.PONG;

    private final SslContext context;
    private final Mode mode;
    private final PubBatch frames;                  // BLAST only
    private final ServerSocketChannel listener;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong plaintextBytes = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean stop;

    TlsSink(SslContext context, Mode mode, PubBatch frames) throws IOException {
        this.context = context;
        this.mode = mode;
        this.frames = frames;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                1024);
        this.acceptor = Thread.ofPlatform().daemon().name("bench-tls-sink").start(this::acceptLoop);
    }

    /** The sink's address for a client speaking {@code tls}. */
    ServerUrl url(TlsClient tls) throws IOException {
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        return ServerUrl.of("127.0.0.1", port).withTls(tls);
    }

    /** Plaintext bytes received so far ({@link Mode#DISCARD}). */
    long plaintextBytes() {
        return plaintextBytes.get();
    }

    private void acceptLoop() {
        while (!stop) {
            try {
                SocketChannel s = listener.accept();
                open.add(s);
                Thread.ofVirtual().name("bench-tls-sink-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;     // closed
            }
        }
    }

    private void serve(SocketChannel s) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        engine.setUseClientMode(false);
        TlsLink link = new TlsLink(engine, 256 * 1024);
        TlsLink.Io io = new TlsLink.Io() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return s.read(dst);
            }

            @Override
            public void writeFully(ByteBuffer src) throws IOException {
                while (src.hasRemaining()) {
                    s.write(src);
                }
            }
        };
        try {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            io.writeFully(ByteBuffer.wrap(INFO));
            link.handshake(io, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(256 * 1024, 2 * link.minReadBytes()));
            switch (mode) {
                case DISCARD -> {
                    int n;
                    while (!stop && (n = link.read(buf.clear(), io)) >= 0) {
                        plaintextBytes.addAndGet(n);
                    }
                }
                case BLAST -> {
                    long seq = 1;
                    while (!stop) {
                        link.write(frames.view(frames.fill(seq, frames.frames())), io);
                        seq += frames.frames();
                    }
                }
                case PONG -> {
                    int matched = 0;        // bytes of "PING\r\n" seen in a row
                    byte[] ping = Frames.PING;
                    while (!stop && matched < ping.length) {
                        int n = link.read(buf.clear(), io);
                        if (n < 0) {
                            return;
                        }
                        for (int i = 0; i < n && matched < ping.length; i++) {
                            byte b = buf.get(i);
                            matched = b == ping[matched] ? matched + 1 : b == ping[0] ? 1 : 0;
                        }
                    }
                    link.write(ByteBuffer.wrap(PONG_LINE), io);
                    while (!stop && link.read(buf.clear(), io) >= 0) {
                        // wait for the client to close
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (or stop): done with this connection
        } finally {
            open.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // best effort
            }
            link.release();
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            listener.close();
        } catch (IOException e) {
            // best effort
        }
        for (SocketChannel s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // best effort
            }
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
