package io.jnatsd.server.tls;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;

/**
 * {@code pinned_certs}: a client may connect only when the SHA-256 of its leaf certificate's DER
 * SubjectPublicKeyInfo is listed (lower-case hex). Checked after the handshake and again when a reload changes the
 * list. Stateless.
 */
public final class PinnedCerts {

    private PinnedCerts() {
    }

    /**
     * Whether the peer of {@code session} may stay: always when {@code pins} is empty; never without a session or a
     * client certificate.
     */
    // nats-server: auth.go matchesPinnedCert
    public static boolean matches(SSLSession session, Set<String> pins) {
        if (pins.isEmpty()) {
            return true;
        }
        if (session == null) {
            return false;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
        return chain.length > 0 && chain[0] instanceof X509Certificate leaf && pins.contains(keyId(leaf));
    }

    /** The hex SHA-256 of the certificate's SubjectPublicKeyInfo: the value {@code pinned_certs} lists. */
    public static String keyId(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
