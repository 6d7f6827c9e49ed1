package io.jnatsd.bench.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * One raw client connection: a blocking socket, a read buffer and a {@link MsgScanner}. {@code CONNECT} is written
 * on open; the server's {@code PING}s are answered; {@code -ERR} lines are kept for the report.
 * <p>
 * Owned by one thread at a time: the scenario sets it up, then hands it to the one publisher or reader thread that
 * uses it until it is joined. {@link #close} may be called from any thread to unblock that thread.
 */
final class NatsConn implements AutoCloseable {

    /** How long one read blocks before {@link #readOnce} returns 0 so the caller can check its deadline. */
    static final int READ_POLL_MS = 100;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] readBuffer;
    private final MsgScanner scanner;
    private final MsgScanner.Listener messages;

    private long pongs;
    private volatile long errors;
    private volatile String lastError;

    private NatsConn(Socket socket, int readBufferBytes, MsgScanner.Listener messages) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.readBuffer = new byte[readBufferBytes];
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
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.host(), url.port()), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_POLL_MS);
            NatsConn conn = new NatsConn(socket, readBufferBytes, messages);
            conn.write(Frames.connect(url, name));
            return conn;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes all of {@code bytes[off .. off+len)}, blocking while the socket is full. */
    void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
    }

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length);
    }

    /**
     * Reads what is available (blocking up to {@link #READ_POLL_MS}) and scans it.
     *
     * @return bytes read, 0 if nothing arrived in time, -1 if the server closed the connection
     */
    int readOnce() throws IOException {
        int n;
        try {
            n = in.read(readBuffer, 0, readBuffer.length);
        } catch (SocketTimeoutException e) {
            return 0;
        }
        if (n > 0) {
            scanner.scan(readBuffer, 0, n);
        }
        return n;
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

    /** Number of {@code -ERR} lines received. */
    long errors() {
        return errors;
    }

    /** The last {@code -ERR} text, or {@code null}. */
    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }
}
