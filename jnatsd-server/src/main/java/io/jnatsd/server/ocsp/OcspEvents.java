package io.jnatsd.server.ocsp;

import java.security.cert.X509Certificate;

/**
 * Where OCSP peer verification reports to: the system account's advisories ({@code server/events.go}
 * {@code sendOCSPPeerRejectEvent}, {@code sendOCSPPeerChainlinkInvalidEvent}). Called on the thread running the
 * handshake's verification; implementations hand the event over and return.
 */
public interface OcspEvents {

    /** Reports nothing (no system account). */
    OcspEvents NONE = new OcspEvents() {
        @Override
        public void peerRejected(String kind, X509Certificate peer, String reason) {
        }

        @Override
        public void linkInvalid(X509Certificate peer, X509Certificate link, String reason) {
        }
    };

    /**
     * A peer's handshake is refused: {@code $SYS.SERVER.<id>.OCSP.PEER.CONN.REJECT}.
     *
     * @param kind   the connection kind ({@code client})
     * @param peer   the peer's certificate, or null when none was verified
     * @param reason {@code client not OCSP valid}
     */
    void peerRejected(String kind, X509Certificate peer, String reason);

    /**
     * A certificate of the peer's chain is not OCSP valid: {@code $SYS.SERVER.<id>.OCSP.PEER.LINK.INVALID}.
     *
     * @param peer   the peer's certificate
     * @param link   the certificate found invalid (may be the peer's)
     * @param reason why ({@code Invalid OCSP response status: revoked}, ...)
     */
    void linkInvalid(X509Certificate peer, X509Certificate link, String reason);
}
