package io.jnatsd.bench.tool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The TLS record layer of one connection over a byte transport ({@link Io}): the handshake, then {@link #write}
 * encrypts whole batches into one direct buffer of records per socket write, and {@link #read} decrypts what arrives
 * straight into the caller's (direct) buffer. Used by {@link NatsConn} (client side) and by the generator's
 * in-process sinks (server side).
 * <p>
 * Owned by one thread at a time, like the connection; {@link #release} may be called from any thread (Netty's
 * OpenSSL engine serialises it with a running wrap or unwrap).
 */
final class TlsLink {

    /** The transport under the records. */
    interface Io {
        /** Reads what is available into {@code dst}, waiting a short while if nothing is: bytes, 0, or -1 at EOF. */
        int read(ByteBuffer dst) throws IOException;

        /** Writes all of {@code src}. */
        void writeFully(ByteBuffer src) throws IOException;
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_NET_OUT_BYTES = 1 << 20;

    private final SSLEngine engine;
    private final int packetBytes;
    private final int appBytes;
    private final ByteBuffer netIn;          // ciphertext received and not yet decrypted (write mode)
    private ByteBuffer netOut;               // ciphertext to send; grows to fit a batch

    TlsLink(SSLEngine engine, int readBufferBytes) {
        this.engine = engine;
        this.packetBytes = engine.getSession().getPacketBufferSize();
        this.appBytes = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocateDirect(Math.max(readBufferBytes, 2 * packetBytes));
        this.netOut = ByteBuffer.allocateDirect(2 * packetBytes);
    }

    /** The smallest free space {@link #read} needs in its destination to decrypt a record. */
    int minReadBytes() {
        return appBytes;
    }

    /**
     * Runs the handshake to its end. Plaintext that arrives with the last handshake records stays buffered for
     * {@link #read}.
     *
     * @throws SSLException if the peer or the engine fails it; {@link IOException} if the transport fails or the
     *                      deadline passes
     */
    void handshake(Io io, long deadlineNanos) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(appBytes);
        engine.beginHandshake();
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP -> {
                    netOut.clear();
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    netOut.flip();
                    io.writeFully(netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS handshake failed (the engine closed)");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    netIn.flip();
                    SSLEngineResult r;
                    try {
                        r = engine.unwrap(netIn, scratch);
                    } finally {
                        netIn.compact();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS handshake failed (the peer closed it)");
                    }
                    // read only when the engine is still waiting for records: after a delegated task OpenSSL's
                    // engine may report NEED_UNWRAP once more before it has anything to write
                    boolean stalled = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || r.bytesConsumed() == 0 && r.bytesProduced() == 0;
                    if (stalled && isUnwrapping(engine.getHandshakeStatus())) {
                        if (io.read(netIn) < 0) {
                            throw new EOFException("the server closed the connection during the TLS handshake");
                        }
                        if (System.nanoTime() - deadlineNanos > 0) {
                            throw new IOException("TLS handshake not done within the connect timeout");
                        }
                    }
                }
                case NEED_TASK -> runTasks();
                default -> {
                    return;     // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    /** Encrypts and writes all of {@code src} (from its position to its limit). */
    void write(ByteBuffer src, Io io) throws IOException {
        int want = (int) Math.min(MAX_NET_OUT_BYTES, src.remaining() + (long) (src.remaining() / 16_384 + 2) * 128
                + packetBytes);
        if (netOut.capacity() < want) {
            netOut = ByteBuffer.allocateDirect(want);
        }
        while (src.hasRemaining()) {
            netOut.clear();
            do {
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS connection closed");
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || r.bytesConsumed() == 0) {
                    break;
                }
            } while (src.hasRemaining() && netOut.remaining() >= packetBytes);
            netOut.flip();
            io.writeFully(netOut);
        }
    }

    /**
     * Decrypts into {@code dst} (from its position) what is buffered, else what one transport read brings.
     *
     * @return plaintext bytes added to {@code dst}, 0 if none (yet), -1 if the peer closed the connection
     */
    int read(ByteBuffer dst, Io io) throws IOException {
        int start = dst.position();
        boolean closed = unwrapBuffered(dst, io);
        if (dst.position() == start && !closed) {
            int n = io.read(netIn);
            if (n < 0) {
                return -1;
            }
            closed = unwrapBuffered(dst, io);
        }
        int produced = dst.position() - start;
        return produced == 0 && closed ? -1 : produced;
    }

    /** Unwraps buffered records while {@code dst} has room; true when the peer sent close_notify. */
    private boolean unwrapBuffered(ByteBuffer dst, Io io) throws IOException {
        netIn.flip();
        try {
            while (netIn.hasRemaining() && dst.remaining() >= appBytes) {
                SSLEngineResult r = engine.unwrap(netIn, dst);
                switch (r.getStatus()) {
                    case CLOSED -> {
                        return true;
                    }
                    case BUFFER_UNDERFLOW, BUFFER_OVERFLOW -> {
                        return false;
                    }
                    default -> {
                        // OK
                    }
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runTasks();
                } else if (hs == HandshakeStatus.NEED_WRAP) {
                    // a post-handshake message that needs an answer (TLS 1.3 KeyUpdate)
                    netOut.clear();
                    engine.wrap(EMPTY, netOut);
                    netOut.flip();
                    io.writeFully(netOut);
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    return false;
                }
            }
            return false;
        } finally {
            netIn.compact();
        }
    }

    private static boolean isUnwrapping(HandshakeStatus status) {
        return status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    /** Frees the engine (OpenSSL's native state). Idempotent, any thread. */
    void release() {
        TlsClient.release(engine);
    }
}
