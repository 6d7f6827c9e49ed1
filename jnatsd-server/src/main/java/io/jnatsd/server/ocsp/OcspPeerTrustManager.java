package io.jnatsd.server.ocsp;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The server side's client-certificate check with OCSP peer verification behind it: the usual PKIX verification
 * first (the delegate), then {@link OcspPeerVerifier#acceptClient} on the verified chain, as nats-server's
 * {@code VerifyConnection} hook runs after Go's chain verification. A refused client fails the handshake with
 * {@link OcspPeerRejectedException} ({@code client not OCSP valid}).
 * <p>
 * The providers call it while handshaking: the JDK's in its delegated tasks, OpenSSL's in tasks when the context
 * is built with {@code USE_TASKS}; the TLS context runs those on virtual threads, so the responders' answers are
 * awaited off the event loops. Thread-safe.
 */
// nats-server: ocsp_peer.go plugClientTLSOCSPPeer
public final class OcspPeerTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final OcspPeerVerifier verifier;
    private final Set<TrustAnchor> anchors;

    public OcspPeerTrustManager(X509ExtendedTrustManager delegate, OcspPeerVerifier verifier) {
        this.delegate = delegate;
        this.verifier = verifier;
        this.anchors = OcspCertificates.anchors(List.of(delegate.getAcceptedIssuers()));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
        checkOcsp(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
        checkOcsp(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
        checkOcsp(chain);
    }

    private void checkOcsp(X509Certificate[] presented) throws CertificateException {
        List<X509Certificate> verified = presented.length == 0 ? null
                : OcspCertificates.verifiedChain(presented[0], List.of(presented), anchors, false);
        if (!verifier.acceptClient(verified == null ? List.of() : verified)) {
            throw new OcspPeerRejectedException(OcspPeerVerifier.CLIENT_REJECT);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** The OCSP verdict that refuses a handshake; its message is what nats-server logs as the handshake error. */
    public static final class OcspPeerRejectedException extends CertificateException {
        public OcspPeerRejectedException(String message) {
            super(message);
        }
    }
}
