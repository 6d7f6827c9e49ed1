package io.jnatsd.systest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client made of a plain (or TLS) {@link Socket}: it writes the exact upgrade request and frames a test
 * gives it (masked or not, fragmented, compressed, malformed) and reads the server's HTTP response and frames, so
 * tests can assert on the wire bytes. NATS lines read through {@link #readLine()} come from the binary frames'
 * payloads (inflated when compressed).
 * <p>
 * Not thread-safe: one test thread drives it. Every read has a deadline; a missing answer fails the test with an
 * {@link AssertionError}.
 */
final class WsRawClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A valid {@code Sec-WebSocket-Key} (RFC 6455's example) and its accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** One frame as received. */
    record Frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
        /** A close frame's status, or -1 without one. */
        int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        /** A close frame's reason text. */
        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private final Inflater inflater = new Inflater(true);

    private WsRawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout((int) TIMEOUT.toMillis());
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}; sends nothing yet. */
    static WsRawClient connect(int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new WsRawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    /** Connects with TLS (handshake done) to {@code 127.0.0.1:port}. */
    static WsRawClient connectTls(int port, SSLContext context) {
        try {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.startHandshake();
            return new WsRawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("TLS connect to 127.0.0.1:" + port, e);
        }
    }

    /** Connects and upgrades with a valid request plus {@code extraHeaders} (lines without CRLF); fails otherwise. */
    static WsRawClient upgraded(int port, String... extraHeaders) {
        WsRawClient client = connect(port);
        String response = client.upgrade(extraHeaders);
        if (!response.startsWith("HTTP/1.1 101 ")) {
            client.close();
            throw new AssertionError("upgrade refused: " + response);
        }
        return client;
    }

    /** A valid upgrade request for {@code /} with {@code extraHeaders}. */
    static String request(String... extraHeaders) {
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n");
        for (String header : extraHeaders) {
            b.append(header).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Sends a valid upgrade request with {@code extraHeaders} and returns the response head (and body). */
    String upgrade(String... extraHeaders) {
        write(request(extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
        return readHttpResponse();
    }

    /** Writes raw bytes. */
    void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String latin1) {
        write(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads an HTTP response: the head and, with a {@code Content-Length}, the body. */
    String readHttpResponse() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r'
                    && bytes[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\nContent-Length: ");
        if (at >= 0) {
            int end = text.indexOf("\r\n", at + 2);
            int length = Integer.parseInt(text.substring(at + 18, end));
            byte[] body = readExactly(length);
            text += new String(body, StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    /** A frame, masked with a random key unless {@code mask} is false; {@code rsv} holds RSV bits (0x70). */
    static byte[] frame(int opcode, byte[] payload, boolean fin, boolean mask, int rsv) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = mask ? 0x80 : 0;
        if (payload.length <= 125) {
            b.put((byte) (maskBit | payload.length));
        } else if (payload.length < 65536) {
            b.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            b.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (mask) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            b.put(key);
            for (int i = 0; i < payload.length; i++) {
                b.put((byte) (payload[i] ^ key[i & 3]));
            }
        } else {
            b.put(payload);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A masked, final binary frame carrying {@code text}. */
    static byte[] binary(String text) {
        return frame(2, text.getBytes(StandardCharsets.UTF_8), true, true, 0);
    }

    /** A masked, final, compressed (RSV1) binary frame carrying {@code text} deflated. */
    static byte[] compressed(String text) {
        return frame(2, deflate(text.getBytes(StandardCharsets.UTF_8)), true, true, 0x40);
    }

    /** Raw deflate of {@code data}, flushed, without the trailing {@code 00 00 FF FF}. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        byte[] buffer = new byte[data.length + 1024];
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(buffer, n - 4);
    }

    /** Sends {@code text} in one masked binary frame. */
    void send(String text) {
        write(binary(text));
    }

    /** Reads the next frame. */
    Frame readFrame() {
        int b0 = readByte();
        if (b0 < 0) {
            throw new AssertionError("connection closed instead of a frame");
        }
        int b1 = readByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            byte[] l = readExactly(2);
            length = ((l[0] & 0xff) << 8) | (l[1] & 0xff);
        } else if (length == 127) {
            length = ByteBuffer.wrap(readExactly(8)).getLong();
        }
        byte[] key = (b1 & 0x80) != 0 ? readExactly(4) : null;
        byte[] payload = readExactly((int) length);
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, (b0 & 0x40) != 0, payload);
    }

    /** Reads a whole data message (its continuation frames joined, inflated if compressed). */
    byte[] readMessage() {
        Frame first = readFrame();
        if (first.opcode() != 2 && first.opcode() != 1) {
            throw new AssertionError("expected a data frame, got opcode " + first.opcode() + ": " + first.text());
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(first.payload());
        Frame frame = first;
        while (!frame.fin()) {
            frame = readFrame();
            if (frame.opcode() != 0) {
                throw new AssertionError("expected a continuation frame, got opcode " + frame.opcode());
            }
            message.writeBytes(frame.payload());
        }
        return first.rsv1() ? inflate(message.toByteArray()) : message.toByteArray();
    }

    /** Inflates a per-message-deflate payload (the tail appended). */
    byte[] inflate(byte[] data) {
        inflater.reset();
        byte[] input = Arrays.copyOf(data, data.length + 4);
        input[data.length + 2] = (byte) 0xff;
        input[data.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new AssertionError("server sent a bad deflate stream", e);
        }
        return out.toByteArray();
    }

    /** The next NATS protocol line (without CRLF) from the data frames. */
    String readLine() {
        while (true) {
            byte[] buffered = lines.toByteArray();
            for (int i = 0; i + 1 < buffered.length; i++) {
                if (buffered[i] == '\r' && buffered[i + 1] == '\n') {
                    lines.reset();
                    lines.write(buffered, i + 2, buffered.length - i - 2);
                    return new String(buffered, 0, i, StandardCharsets.UTF_8);
                }
            }
            lines.writeBytes(readMessage());
        }
    }

    /** Reads NATS lines until one starts with {@code prefix} and returns it. */
    String readLineStartingWith(String prefix) {
        while (true) {
            String line = readLine();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Reads frames until a close frame and returns it; fails if the connection ends first. */
    Frame readCloseFrame() {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == 8) {
                return frame;
            }
        }
    }

    /** Whether the server closed the connection: the next read sees the end of the stream (data is skipped). */
    boolean closedByServer() {
        try {
            byte[] buffer = new byte[4096];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;                                     // reset
        }
    }

    private int readByte() {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT);
        } catch (IOException e) {
            return -1;
        }
    }

    private byte[] readExactly(int n) {
        try {
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new AssertionError("connection closed after " + bytes.length + " of " + n + " bytes");
            }
            return bytes;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificate the server presented (a TLS connection). */
    java.security.cert.Certificate serverCertificate() {
        try {
            return ((SSLSocket) socket).getSession().getPeerCertificates()[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError("no server certificate", e);
        }
    }

    /** The local port of the socket (the server logs it as the client's). */
    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        inflater.end();
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }
}
