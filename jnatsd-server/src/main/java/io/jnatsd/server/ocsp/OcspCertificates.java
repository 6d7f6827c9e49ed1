package io.jnatsd.server.ocsp;

import io.jnatsd.server.auth.CertificateIdentity;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.GeneralName;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What OCSP needs to know about certificates: the must-staple extension, the OCSP responder URLs of the Authority
 * Information Access extension, the issuer of a server certificate, a verified chain, and the fingerprint that keys
 * the peer cache. Stateless.
 */
public final class OcspCertificates {

    /** id-pe-tlsfeature (RFC 7633). */
    private static final String TLS_FEATURE_OID = "1.3.6.1.5.5.7.1.24";
    /** The status_request TLS extension number (RFC 6066): "must staple". */
    private static final int STATUS_REQUEST = 5;
    private static final String AIA_OID = "1.3.6.1.5.5.7.1.1";
    private static final String OCSP_ACCESS_METHOD = "1.3.6.1.5.5.7.48.1";
    private static final String SERVER_AUTH_EKU = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";

    private OcspCertificates() {
    }

    /** Whether the certificate carries the TLS feature extension with status_request (must staple). */
    // nats-server: ocsp.go hasOCSPStatusRequest
    public static boolean mustStaple(X509Certificate cert) {
        byte[] wrapped = cert.getExtensionValue(TLS_FEATURE_OID);
        if (wrapped == null) {
            return false;
        }
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(wrapped).getOctets());
            if (!(value instanceof ASN1Sequence features)) {
                return false;
            }
            for (ASN1Encodable feature : features) {
                if (!(feature instanceof ASN1Integer n)) {
                    return false;          // Go's unmarshal into []int fails, and so does the check
                }
                if (n.hasValue(STATUS_REQUEST)) {
                    return true;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    /** The OCSP responder URLs of the Authority Information Access extension, in order (Go's {@code OCSPServer}). */
    public static List<String> ocspServers(X509Certificate cert) {
        byte[] wrapped = cert.getExtensionValue(AIA_OID);
        if (wrapped == null) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        try {
            ASN1Sequence descriptions = ASN1Sequence.getInstance(ASN1OctetString.getInstance(wrapped).getOctets());
            for (ASN1Encodable element : descriptions) {
                AccessDescription description = AccessDescription.getInstance(element);
                if (description.getAccessMethod().getId().equals(OCSP_ACCESS_METHOD)
                        && description.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    urls.add(description.getAccessLocation().getName().toString());
                }
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return urls;
    }

    /**
     * The responder URLs peer verification may use: those that parse as absolute http(s) URLs
     * ({@code certidp.getWebEndpoints}).
     */
    static List<URI> webEndpoints(X509Certificate cert) {
        List<URI> endpoints = new ArrayList<>();
        for (String url : ocspServers(cert)) {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme();
                if (uri.isAbsolute() && ("http".equals(scheme) || "https".equals(scheme))) {
                    endpoints.add(uri);
                }
            } catch (URISyntaxException e) {
                // skipped, as Go skips URLs ParseRequestURI refuses
            }
        }
        return endpoints;
    }

    /**
     * The issuer of a server certificate, to check its OCSP responses with: the second certificate of the file when
     * there is one (it must have signed the first), else the certificate a verified chain to the trusted CAs (the
     * {@code ca_file}, or the system's) finds above the leaf.
     *
     * @throws OcspException {@code no issuers found} or {@code <subject> invalid ca basic constraints: is not ca}
     */
    // nats-server: ocsp.go getOCSPIssuer, getOCSPIssuerLocally; certstore.GetLeafIssuer
    static X509Certificate issuer(List<X509Certificate> chain, List<X509Certificate> trusted) throws OcspException {
        if (chain.isEmpty()) {
            throw new OcspException("no issuers found");
        }
        X509Certificate leaf = chain.getFirst();
        X509Certificate issuer;
        if (chain.size() > 1) {
            issuer = chain.get(1);
            try {
                leaf.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new OcspException("no issuers found");
            }
        } else {
            List<X509Certificate> verified = verifiedChain(leaf, chain, anchors(trusted), true);
            if (verified == null || verified.size() < 2) {
                throw new OcspException("no issuers found");
            }
            issuer = verified.get(1);
        }
        if (issuer.getBasicConstraints() < 0) {
            throw new OcspException(CertificateIdentity.subjectString(issuer)
                    + " invalid ca basic constraints: is not ca");
        }
        return issuer;
    }

    /** The trust anchors for {@code trusted} CAs, or the JDK's default trust store when empty. */
    static Set<TrustAnchor> anchors(List<X509Certificate> trusted) {
        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> roots = trusted.isEmpty() ? SystemRoots.certificates() : trusted;
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        return anchors;
    }

    /**
     * A chain from {@code leaf} to one of {@code anchors}, leaf first and the anchor last (Go's verified chain), or
     * null when none can be built. {@code presented} may hold intermediates. A leaf that is itself an anchor is a
     * chain of one.
     *
     * @param serverAuth whether the leaf must allow server authentication (Go's default {@code VerifyOptions})
     */
    static List<X509Certificate> verifiedChain(X509Certificate leaf, List<X509Certificate> presented,
                                               Set<TrustAnchor> anchors, boolean serverAuth) {
        for (TrustAnchor anchor : anchors) {
            if (leaf.equals(anchor.getTrustedCert())) {
                return List.of(leaf);
            }
        }
        if (anchors.isEmpty()) {
            return null;
        }
        try {
            if (serverAuth && !allowsServerAuth(leaf)) {
                return null;
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            List<X509Certificate> store = new ArrayList<>(presented);
            store.add(leaf);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(parameters);
            List<X509Certificate> chain = new ArrayList<>();
            for (var cert : result.getCertPath().getCertificates()) {
                chain.add((X509Certificate) cert);
            }
            chain.add(result.getTrustAnchor().getTrustedCert());
            return chain;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static boolean allowsServerAuth(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null || usages.contains(SERVER_AUTH_EKU) || usages.contains(ANY_EKU);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** The base64 SHA-256 of the whole certificate: the peer cache key ({@code certidp.GenerateFingerprint}). */
    public static String fingerprint(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }

    /** Whether {@code cert} lists id-kp-OCSPSigning among its extended key usages. */
    static boolean ocspSigning(X509Certificate cert) {
        try {
            List<String> usages = cert.getExtendedKeyUsage();
            return usages != null && usages.contains("1.3.6.1.5.5.7.3.9");
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
