package io.jnatsd.server.tls;

import io.jnatsd.server.ocsp.OcspPeerVerifier;
import io.jnatsd.server.ocsp.OcspResponse;
import io.jnatsd.server.ocsp.OcspStapler;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What OCSP adds to a TLS context: the stapler of its (first) certificate and the verifier of client certificates,
 * either may be null. Handshakes of a context with hooks run the providers' blocking steps (choosing the
 * certificate and its staple, verifying the client) as delegated tasks on virtual threads: both may wait for an
 * OCSP responder. Immutable.
 *
 * @param stapler the server certificate's staple source, or null for no stapling
 * @param peer    the client certificate verifier, or null without {@code ocsp_peer}
 */
public record OcspHooks(OcspStapler stapler, OcspPeerVerifier peer) {

    /** No OCSP. */
    public static final OcspHooks NONE = new OcspHooks(null, null);

    /** Runs the handshakes' delegated tasks of contexts with hooks; a virtual thread each, nothing idle. */
    static final ExecutorService TASKS = Executors.newVirtualThreadPerTaskExecutor();

    /** Whether there is anything to do. */
    public boolean active() {
        return stapler != null || peer != null;
    }

    /**
     * The staple for a handshake serving the stapled certificate: the current response, fetched now if the cached
     * one is no longer current.
     *
     * @throws StapleUnavailableException with nats-server's text when none can be had (the handshake fails)
     */
    // nats-server: ocsp.go NewOCSPMonitor (tls.Config.GetCertificate)
    byte[] staple() {
        try {
            OcspResponse response = stapler.status();
            return response.raw();
        } catch (io.jnatsd.server.ocsp.OcspException e) {
            throw new StapleUnavailableException(e.getMessage(), e);
        }
    }

    /** No current staple could be had for a handshake: nats-server fails the handshake with this text. */
    static final class StapleUnavailableException extends RuntimeException {
        StapleUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
