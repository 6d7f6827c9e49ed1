package io.jnatsd.server.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;

/**
 * Runs a TLS handshake between two engines in memory (no sockets), for tests of what a provider negotiates. The
 * server engine may be the JDK's or OpenSSL's; the records go back and forth until both are done.
 */
final class EngineHandshake {

    private static final int MAX_STEPS = 1_000;

    private EngineHandshake() {
    }

    /**
     * Handshakes {@code client} with {@code server}, then exchanges one application record each way (so that a
     * TLS 1.3 server's verdict on the client certificate reaches the client).
     *
     * @return the client's session
     * @throws SSLException when either side fails the handshake
     */
    static SSLSession run(SSLEngine client, SSLEngine server) throws SSLException {
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer clientToServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer serverToClient = ByteBuffer.allocate(4 * packet);
        ByteBuffer clientApp = ByteBuffer.allocate(4 * app);
        ByteBuffer serverApp = ByteBuffer.allocate(4 * app);
        client.beginHandshake();
        server.beginHandshake();
        try {
            for (int step = 0; step < MAX_STEPS && !(done(client) && done(server)); step++) {
                advance(client, clientToServer, serverToClient, clientApp);
                advance(server, serverToClient, clientToServer, serverApp);
            }
            if (!done(client) || !done(server)) {
                throw new SSLException("handshake did not finish");
            }
            // one record each way: a refused client certificate (TLS 1.3) shows on the client's next read
            wrap(client, ByteBuffer.wrap(new byte[] {'c'}), clientToServer);
            unwrap(server, clientToServer, serverApp);
            wrap(server, ByteBuffer.wrap(new byte[] {'s'}), serverToClient);
            unwrap(client, serverToClient, clientApp);
            return client.getSession();
        } finally {
            client.closeOutbound();
            server.closeOutbound();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void advance(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> wrap(engine, ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap(engine, in, app);
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> {
                // finished or not handshaking: nothing to do
            }
        }
    }

    private static void wrap(SSLEngine engine, ByteBuffer src, ByteBuffer out) throws SSLException {
        SSLEngineResult result = engine.wrap(src, out);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && engine.isOutboundDone() && out.position() == 0) {
            throw new SSLException("engine closed during the handshake");
        }
    }

    private static void unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer app) throws SSLException {
        in.flip();
        try {
            SSLEngineResult result;
            do {
                result = engine.unwrap(in, app);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("peer closed the connection (alert)");
                }
            } while (in.hasRemaining() && result.getStatus() == SSLEngineResult.Status.OK
                    && result.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP);
        } finally {
            in.compact();
        }
    }
}
