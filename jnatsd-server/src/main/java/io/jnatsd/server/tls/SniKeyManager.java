package io.jnatsd.server.tls;

import io.jnatsd.config.TlsOptions.CertificateKeyPair;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Hands the TLS provider the server certificate for a handshake, as Go's {@code tls.Config.getCertificate} picks
 * one from {@code Certificates}: the first certificate valid for the client's SNI name, else the first one. Aliases
 * are the indexes of the configured pairs. Server side only.
 * <p>
 * With OCSP stapling (OpenSSL provider) the engine is given the first certificate's staple when that certificate is
 * chosen, as nats-server's {@code GetCertificate} staples its certificate; fetching it may block, which is why
 * stapling contexts run this as a delegated task.
 * <p>
 * Immutable; called by the provider on the event loop running the handshake, or in a delegated task.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final List<CertificateKeyPair> pairs;
    private final OcspHooks ocsp;     // with a stapler, or null

    SniKeyManager(List<CertificateKeyPair> pairs) {
        this(pairs, null);
    }

    SniKeyManager(List<CertificateKeyPair> pairs, OcspHooks stapling) {
        this.pairs = List.copyOf(pairs);
        this.ocsp = stapling != null && stapling.stapler() != null ? stapling : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (pairs.isEmpty()) {
            return null;
        }
        int index = preferredIndex(engine == null ? null : engine.getHandshakeSession());
        if (!keyTypeMatches(pairs.get(index), keyType)) {
            return null;
        }
        if (ocsp != null && index == 0 && engine instanceof ReferenceCountedOpenSslEngine openssl) {
            openssl.setOcspResponse(ocsp.staple());
        }
        return Integer.toString(index);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseEngineServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (keyTypeMatches(pairs.get(i), keyType)) {
                aliases.add(Integer.toString(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertificateKeyPair pair = pair(alias);
        return pair == null ? null : pair.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertificateKeyPair pair = pair(alias);
        return pair == null ? null : pair.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private CertificateKeyPair pair(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < pairs.size() ? pairs.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // nats-server: crypto/tls Config.getCertificate (first certificate valid for the SNI name, else the first)
    private int preferredIndex(SSLSession handshake) {
        if (pairs.size() == 1 || !(handshake instanceof ExtendedSSLSession session)) {
            return 0;
        }
        String name = null;
        for (SNIServerName serverName : session.getRequestedServerNames()) {
            if (serverName.getType() == StandardConstants.SNI_HOST_NAME) {
                name = ((SNIHostName) serverName).getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        if (name == null) {
            return 0;
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (validFor(pairs.get(i).chain().getFirst(), name)) {
                return i;
            }
        }
        return 0;
    }

    /** Whether a DNS subject alternative name of {@code leaf} matches {@code host} (one-label wildcards). */
    static boolean validFor(X509Certificate leaf, String host) {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        for (List<?> entry : names) {
            if (entry.size() == 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String dns
                    && dnsMatches(dns.toLowerCase(Locale.ROOT), host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    private static boolean keyTypeMatches(CertificateKeyPair pair, String keyType) {
        String algorithm = pair.key().getAlgorithm();
        if (keyType == null) {
            return false;
        }
        return switch (keyType) {
            case "EdDSA", "Ed25519" -> algorithm.equals("EdDSA") || algorithm.equals("Ed25519");
            default -> keyType.equalsIgnoreCase(algorithm);
        };
    }
}
