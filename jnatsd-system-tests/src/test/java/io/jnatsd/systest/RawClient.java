package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A NATS client made of a plain {@link Socket}: it sends exactly the bytes a test gives it and reads the server's
 * replies line by line, so tests can assert on the wire bytes. Lines are returned without their CRLF, decoded as
 * ISO-8859-1 (one char per byte).
 * <p>
 * Not thread-safe: one test thread drives it. Every read has a deadline ({@link #DEFAULT_TIMEOUT} unless given);
 * a missing line fails the test with an {@link AssertionError} rather than hanging.
 */
public final class RawClient implements AutoCloseable {

    /** How long a read waits for the server by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean eof;
    private IOException closeCause;
    private String lastInfoLine;
    private JsonNode lastInfo;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}; reads nothing yet. */
    public static RawClient connect(int port) {
        return connect(port, 0);
    }

    /**
     * Connects to {@code 127.0.0.1:port} with a socket receive buffer of {@code receiveBufferBytes} (0 = system
     * default). A small buffer set before connecting also caps the TCP window, so a client that stops reading makes
     * the server's outbound grow quickly.
     */
    public static RawClient connect(int port, int receiveBufferBytes) {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            return new RawClient(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    /**
     * Connects to {@code 127.0.0.1:port} and runs the TLS handshake at once (nats-server's handshake_first); reads
     * nothing yet.
     */
    public static RawClient connectTlsFirst(int port, SSLContext context) {
        RawClient plain = connect(port);
        try {
            return plain.upgradeToTls(context);
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Runs the client side of a TLS handshake over this connection (after the plaintext INFO, as a NATS client
     * does) and returns the client that reads and writes through TLS; this instance must not be used any more.
     *
     * @throws UncheckedIOException when the handshake fails on the client side
     */
    public RawClient upgradeToTls(SSLContext context) {
        if (position != limit) {
            throw new IllegalStateException("unread bytes before the TLS upgrade: " + (limit - position));
        }
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1",
                    socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            tls.startHandshake();
            return new RawClient(tls);
        } catch (IOException e) {
            throw new UncheckedIOException("TLS handshake", e);
        }
    }

    /** The TLS session, or null on a plaintext connection. */
    public SSLSession tlsSession() {
        return socket instanceof SSLSocket tls ? tls.getSession() : null;
    }

    /** Connects and reads the server's INFO line (available through {@link #info()}). */
    public static RawClient connectAndReadInfo(int port) {
        RawClient client = connect(port);
        client.readInfo();
        return client;
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Sends {@code text} (ISO-8859-1, so {@code \u0000..\u00ff} map to single bytes). */
    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code bytes} in one write. */
    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("send", e);
        }
    }

    /** Sends {@code text} one byte per write (TCP_NODELAY is on, so most bytes travel in their own segment). */
    public RawClient sendByteByByte(String text) {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            send(new byte[] {b});
        }
        return this;
    }

    /** Sends {@code text}; returns false instead of failing when the server has already closed the socket. */
    public boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Reads the next line (without CRLF); fails on timeout or end of stream. */
    public String readLine() {
        return readLine(DEFAULT_TIMEOUT);
    }

    /** Reads the next line (without CRLF, a bare LF also ends a line); fails on timeout or end of stream. */
    public String readLine(Duration timeout) {
        String raw = readRawLine(timeout);
        int end = raw.length() - 1;
        if (end > 0 && raw.charAt(end - 1) == '\r') {
            end--;
        }
        return raw.substring(0, end);
    }

    /** Reads the next line including its line terminator; fails on timeout or end of stream. */
    public String readRawLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, position, i + 1 - position);
                    position = i + 1;
                    return line.toString(StandardCharsets.ISO_8859_1);
                }
            }
            line.write(buffer, position, limit - position);
            position = limit;
            int read = fill(deadline);
            if (read == 0) {
                throw new AssertionError("no complete line within " + timeout.toMillis() + " ms; partial: "
                        + printable(line.toString(StandardCharsets.ISO_8859_1)));
            }
            if (read < 0) {
                throw new AssertionError("connection closed by the server; partial line: "
                        + printable(line.toString(StandardCharsets.ISO_8859_1)));
            }
        }
    }

    /**
     * Reads the next line and asserts it equals {@code expected}. A server {@code PING} met on the way is answered
     * and skipped (unless a PING is what is expected): servers ping every client about 2 s after it connects, which
     * a slow machine can reach in the middle of a test.
     */
    public RawClient expectLine(String expected) {
        String line = readLineAnsweringPings(expected);
        if (!line.equals(expected)) {
            throw new AssertionError("expected line " + printable(expected) + " but got " + printable(line));
        }
        return this;
    }

    /** Reads lines until one equals {@code last} (included); fails on timeout or end of stream. */
    public List<String> readLinesThrough(String last) {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = readLineAnsweringPings(last);
            lines.add(line);
        } while (!line.equals(last));
        return lines;
    }

    private String readLineAnsweringPings(String expected) {
        String line = readLine();
        while (line.equals("PING") && !expected.equals("PING")) {
            send("PONG\r\n");
            line = readLine();
        }
        return line;
    }

    /** Reads raw lines (with their terminators) until one equals {@code lastRawLine}, and returns them joined. */
    public String readRawThrough(String lastRawLine) {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = readRawLine(DEFAULT_TIMEOUT);
            all.append(line);
        } while (!line.equals(lastRawLine));
        return all.toString();
    }

    /** Reads exactly {@code length} bytes; fails on timeout or end of stream. */
    public byte[] readBytes(int length) {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        byte[] result = new byte[length];
        int copied = 0;
        while (copied < length) {
            if (position == limit) {
                int read = fill(deadline);
                if (read <= 0) {
                    throw new AssertionError((read == 0 ? "timed out" : "closed") + " after " + copied + " of "
                            + length + " bytes");
                }
            }
            int n = Math.min(length - copied, limit - position);
            System.arraycopy(buffer, position, result, copied, n);
            position += n;
            copied += n;
        }
        return result;
    }

    /**
     * Reads the INFO line: asserts the exact framing {@code INFO {...} \r\n} (nats-server puts a space before the
     * CRLF) and returns the parsed JSON.
     */
    public JsonNode readInfo() {
        String raw = readRawLine(DEFAULT_TIMEOUT);
        if (!raw.startsWith("INFO {") || !raw.endsWith("} \r\n")) {
            throw new AssertionError("not an INFO line: " + printable(raw));
        }
        lastInfoLine = raw;
        try {
            lastInfo = JSON.readTree(raw.substring("INFO ".length(), raw.length() - 3));
        } catch (IOException e) {
            throw new AssertionError("INFO JSON does not parse: " + printable(raw), e);
        }
        return lastInfo;
    }

    /** The JSON of the last INFO read by {@link #readInfo()}. */
    public JsonNode info() {
        if (lastInfo == null) {
            throw new IllegalStateException("no INFO read yet");
        }
        return lastInfo;
    }

    /** The raw text (with {@code \r\n}) of the last INFO read. */
    public String infoLine() {
        return lastInfoLine;
    }

    /** {@code client_id} from the last INFO: the server's connection id. */
    public long clientId() {
        return info().path("client_id").asLong();
    }

    /**
     * Reads everything until the server closes the connection and returns it (ISO-8859-1); fails if the connection
     * is still open after {@code timeout}. A connection reset counts as closed.
     */
    public String readUntilClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            all.write(buffer, position, limit - position);
            position = limit;
            int read = fill(deadline);
            if (read < 0) {
                return all.toString(StandardCharsets.ISO_8859_1);
            }
            if (read == 0) {
                throw new AssertionError("connection still open after " + timeout.toMillis() + " ms; received: "
                        + printable(all.toString(StandardCharsets.ISO_8859_1)));
            }
        }
    }

    /** {@link #readUntilClosed(Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public String readUntilClosed() {
        return readUntilClosed(DEFAULT_TIMEOUT);
    }

    /** Whether the server closes the connection within {@code timeout}; whatever arrives meanwhile is discarded. */
    public boolean isClosedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            position = limit;
            int read = fill(deadline);
            if (read < 0) {
                return true;
            }
            if (read == 0) {
                return false;
            }
        }
    }

    /** Reads into the empty buffer: > 0 bytes read, 0 on deadline, -1 on end of stream or reset. */
    private int fill(long deadlineNanos) {
        if (eof) {
            return -1;
        }
        position = 0;
        limit = 0;
        while (true) {
            long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0) {
                return 0;
            }
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMs));
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                if (n > 0) {
                    limit = n;
                    return n;
                }
            } catch (SocketTimeoutException e) {
                return 0;
            } catch (SocketException | javax.net.ssl.SSLException e) {
                // reset by the server (it closed with unread input), or a TLS alert: the connection is gone
                eof = true;
                closeCause = e;
                return -1;
            } catch (IOException e) {
                throw new UncheckedIOException("read", e);
            }
        }
    }

    /**
     * What ended the connection when a read found it gone by a reset or a TLS alert (the {@code SSLException}
     * names the alert: {@code Received fatal alert: ...}); null after a plain end of stream or while open.
     */
    public IOException closeCause() {
        return closeCause;
    }

    /** Closes with a TCP reset instead of a FIN (SO_LINGER 0), as a crashed peer would. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException("abort", e);
        }
    }

    /** The local port of this client's socket. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close", e);
        }
    }

    /** {@code text} with CR and LF made visible, shortened to 300 chars, for failure messages. */
    static String printable(String text) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
