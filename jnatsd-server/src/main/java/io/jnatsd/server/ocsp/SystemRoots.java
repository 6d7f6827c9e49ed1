package io.jnatsd.server.ocsp;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The JDK's default trusted roots: what a TLS block without {@code ca_file} trusts (Go's system pool). Read once;
 * thread-safe.
 */
final class SystemRoots {

    private SystemRoots() {
    }

    private static final class Holder {
        static final List<X509Certificate> ROOTS = load();
    }

    static List<X509Certificate> certificates() {
        return Holder.ROOTS;
    }

    private static List<X509Certificate> load() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
        } catch (GeneralSecurityException e) {
            return List.of();
        }
        return List.of();
    }
}
