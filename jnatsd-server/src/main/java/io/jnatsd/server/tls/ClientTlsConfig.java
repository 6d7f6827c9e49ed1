package io.jnatsd.server.tls;

import io.jnatsd.config.GoTlsNames;
import io.jnatsd.config.TlsOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The client side of a {@code tls {}} block, for connections the server makes itself (the URL account resolver's
 * {@code resolver_tls}): the first certificate is offered when the server asks for one, {@code ca_file} (else the
 * JDK's roots) verifies the server, {@code insecure} verifies nothing (nor the host name), and the Go suites,
 * curves and minimum version map to the JDK's names. Always the JDK's provider (java.net.http uses JSSE).
 * Immutable.
 *
 * @param sslContext the JSSE context
 * @param parameters the protocols, suites and groups to apply to each connection
 */
// nats-server: opts.go GenTLSConfig used as a client configuration (RootCAs from ca_file, InsecureSkipVerify)
public record ClientTlsConfig(SSLContext sslContext, SSLParameters parameters) {

    /**
     * The client configuration of {@code options} (enabled ones).
     *
     * @throws IllegalArgumentException when the JDK cannot build it
     */
    public static ClientTlsConfig of(TlsOptions options) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = options.certificates().isEmpty() ? null
                    : new KeyManager[] {new OneCertificate(options.certificates().getFirst())};
            TrustManager[] trust = options.insecure() ? new TrustManager[] {new TrustAll()}
                    : trustManagers(options.caCertificates());
            context.init(keys, trust, null);
            SSLParameters parameters = context.getDefaultSSLParameters();
            Set<String> supportedSuites = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            Set<String> supportedGroups = Set.of(context.getSupportedSSLParameters().getNamedGroups());
            parameters.setProtocols(JsseNames.protocols(options.minVersion()));
            parameters.setCipherSuites(JsseNames.cipherSuites(options.cipherSuites(), supportedSuites).names()
                    .toArray(new String[0]));
            List<String> groups = JsseNames.jsseGroups(options.curvePreferences(), supportedGroups).names();
            if (!groups.isEmpty()) {
                parameters.setNamedGroups(groups.toArray(new String[0]));
            } else if (!options.curvePreferences().equals(GoTlsNames.CURVES)) {
                throw new IllegalArgumentException("none of the curve preferences " + options.curvePreferences()
                        + " is available from the JDK TLS provider");
            }
            return new ClientTlsConfig(context, parameters);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(List<X509Certificate> caCertificates)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caCertificates.isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < caCertificates.size(); i++) {
                store.setCertificateEntry("ca" + i, caCertificates.get(i));
            }
            factory.init(store);
        }
        return factory.getTrustManagers();
    }

    /** Offers the configured certificate whatever the server asks for, as Go's client offers its first one. */
    private static final class OneCertificate extends X509ExtendedKeyManager {
        private static final String ALIAS = "0";
        private final TlsOptions.CertificateKeyPair pair;

        OneCertificate(TlsOptions.CertificateKeyPair pair) {
            this.pair = pair;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return pair.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return pair.key();
        }
    }

    /**
     * {@code insecure}: accepts any server certificate; an extended trust manager, so JSSE adds no host name check
     * of its own (Go's {@code InsecureSkipVerify} skips both).
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client configuration verifies no clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // insecure: every server is trusted
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client configuration verifies no clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // insecure: every server is trusted
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client configuration verifies no clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // insecure: every server is trusted
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
