package io.jnatsd.bench.tool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One raw client connection: a non-blocking socket channel, a direct read buffer and a {@link MsgScanner}.
 * {@code CONNECT} is written on open; the server's {@code PING}s are answered; {@code -ERR} lines are kept for the
 * report. For a URL with a {@link TlsClient}, the connection reads the server's plaintext {@code INFO}, runs the TLS
 * handshake and from then on reads and writes through a {@link TlsLink} (records decrypted into the read buffer).
 * Reads and writes go straight between the kernel and direct buffers (one copy); the thread waits on a
 * selector only when the socket has nothing to read or no room to write, and never longer than
 * {@link #READ_POLL_MS} at a time, so that it can notice deadlines and being stopped. The selector is created on
 * first need and can be released ({@link #releaseSelector}) to save file descriptors on idle connections.
 * <p>
 * Owned by one thread at a time: the scenario sets it up, then hands it to the one publisher or reader thread that
 * uses it until that thread is joined. {@link #close} may be called from any thread to stop that thread.
 */
final class NatsConn implements AutoCloseable {

    /** How long one wait blocks before {@link #readOnce} returns 0 so the caller can check its deadline. */
    static final int READ_POLL_MS = 100;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final SocketChannel channel;
    private final ByteBuffer readBuffer;
    private final MsgScanner scanner;
    private final MsgScanner.Listener messages;
    private final TlsLink tls;                    // null for plaintext
    private final TlsLink.Io io = new TlsLink.Io() {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return readRaw(dst);
        }

        @Override
        public void writeFully(ByteBuffer src) throws IOException {
            writeRaw(src);
        }
    };

    private volatile Selector selector;
    private SelectionKey key;
    private long pongs;
    private volatile long errors;
    private volatile String lastError;

    private NatsConn(SocketChannel channel, int readBufferBytes, MsgScanner.Listener messages, TlsLink tls) {
        this.channel = channel;
        this.tls = tls;
        int bytes = tls == null ? readBufferBytes : Math.max(readBufferBytes, 2 * tls.minReadBytes());
        this.readBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.messages = messages;
        this.scanner = new MsgScanner(new MsgScanner.Listener() {
            @Override
            public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
                NatsConn.this.messages.onMsg(line, lineLength, seq, payloadBytes);
            }

            @Override
            public void onPing() {
                try {
                    write(Frames.PONG);
                } catch (IOException e) {
                    // the next read or write reports the broken connection
                }
            }

            @Override
            public void onPong() {
                pongs++;
            }

            @Override
            public void onError(String text) {
                lastError = text;
                errors++;
            }
        });
    }

    /**
     * Connects to {@code url} and writes {@code CONNECT} (without waiting for the server's answer; use
     * {@link #flush} for that). {@code messages} receives every {@code MSG}.
     */
    static NatsConn open(ServerUrl url, String name, int readBufferBytes, MsgScanner.Listener messages)
            throws IOException {
        return open(url, name, readBufferBytes, messages, false);
    }

    /** As {@link #open(ServerUrl, String, int, MsgScanner.Listener)}; with {@code headers} it takes {@code HMSG}s. */
    static NatsConn open(ServerUrl url, String name, int readBufferBytes, MsgScanner.Listener messages,
            boolean headers) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
        SocketChannel channel = SocketChannel.open();
        NatsConn conn = null;
        TlsLink tls = null;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(url.host(), url.port()), CONNECT_TIMEOUT_MS);
            channel.configureBlocking(false);
            if (url.tls() != null) {
                tls = new TlsLink(url.tls().newEngine(), readBufferBytes);
            }
            conn = new NatsConn(channel, readBufferBytes, messages, tls);
            if (tls != null) {
                conn.skipPlaintextInfo(deadline);
                tls.handshake(conn.io, deadline);
            }
            conn.write(Frames.connect(url, name, headers));
            return conn;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (conn != null) {
                conn.close();
            } else if (tls != null) {
                tls.release();
            }
            throw e;
        }
    }

    /**
     * Reads the server's plaintext {@code INFO} line, which precedes the TLS handshake (nats-server sends nothing
     * else before the client's ClientHello).
     */
    private void skipPlaintextInfo(long deadlineNanos) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(64 * 1024);
        while (true) {
            if (readRaw(head) < 0) {
                throw new IOException("server closed the connection before its INFO");
            }
            int n = head.position();
            if (n > 0 && head.get(n - 1) == '\n') {
                String line = new String(head.array(), 0, n, java.nio.charset.StandardCharsets.US_ASCII);
                if (!line.startsWith("INFO") || line.indexOf('\n') != n - 1) {
                    throw new IOException("expected only INFO before the TLS handshake, got: "
                            + line.substring(0, Math.min(80, n)).strip());
                }
                return;
            }
            if (!head.hasRemaining()) {
                throw new IOException("INFO longer than " + head.capacity() + " bytes");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IOException("no INFO within the connect timeout");
            }
        }
    }

    /** Writes all of {@code src} (from its position to its limit), waiting while the socket is full. */
    void write(ByteBuffer src) throws IOException {
        if (tls != null) {
            tls.write(src, io);
        } else {
            writeRaw(src);
        }
    }

    private void writeRaw(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    /** One socket read into {@code dst}, waiting up to {@link #READ_POLL_MS} if nothing is there. */
    private int readRaw(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n == 0) {
            await(SelectionKey.OP_READ);
            n = channel.read(dst);
        }
        return n;
    }

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    /** Writes all of {@code bytes[off .. off+len)}. */
    void write(byte[] bytes, int off, int len) throws IOException {
        write(ByteBuffer.wrap(bytes, off, len));
    }

    /**
     * Reads what is available (waiting up to {@link #READ_POLL_MS} if nothing is) and scans it.
     *
     * @return bytes read (decrypted, over TLS), 0 if nothing arrived in time, -1 if the server closed the connection
     */
    int readOnce() throws IOException {
        readBuffer.clear();
        int n = tls != null ? tls.read(readBuffer, io) : readRaw(readBuffer);
        if (n > 0) {
            scanner.scan(readBuffer, 0, n);
        }
        return n;
    }

    private void await(int ops) throws IOException {
        Selector s = selector;
        if (s == null) {
            s = Selector.open();
            selector = s;
            key = channel.register(s, ops);
        } else if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        s.select(READ_POLL_MS);
        s.selectedKeys().clear();
    }

    /** Closes the selector until the next wait needs one (idle connections: one file descriptor each). */
    void releaseSelector() throws IOException {
        Selector s = selector;
        if (s != null) {
            selector = null;
            key = null;
            s.close();
        }
    }

    /**
     * Sends {@code PING} and reads (scanning messages) until its {@code PONG}: the server has then processed
     * everything this connection sent before.
     */
    void flush(long timeoutNanos) throws IOException {
        long target = pongs + 1;
        write(Frames.PING);
        long deadline = System.nanoTime() + timeoutNanos;
        while (pongs < target) {
            if (readOnce() < 0) {
                throw new IOException("server closed the connection" + errorSuffix());
            }
            if (pongs < target && System.nanoTime() - deadline > 0) {
                throw new IOException("no PONG within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"
                        + errorSuffix());
            }
        }
    }

    private String errorSuffix() {
        String e = lastError;
        return e == null ? "" : " (last -ERR: " + e + ")";
    }

    /** The negotiated TLS version (e.g. {@code TLSv1.3}), or {@code null} for plaintext. */
    String tlsProtocol() {
        return tls == null ? null : tls.protocol();
    }

    /** Number of {@code -ERR} lines received. */
    long errors() {
        return errors;
    }

    /** The last {@code -ERR} text, or {@code null}. */
    String lastError() {
        return lastError;
    }

    /** Closes the connection; a thread waiting in it wakes up and fails. Idempotent, any thread. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is best effort
        }
        if (tls != null) {
            tls.release();
        }
        Selector s = selector;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
    }
}
