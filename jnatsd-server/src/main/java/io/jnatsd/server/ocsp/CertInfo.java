package io.jnatsd.server.ocsp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.auth.CertificateIdentity;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * A certificate as the OCSP advisories describe it ({@code certidp.CertInfo}): subject and issuer in Go's
 * {@code pkix.Name} form, the base64 SHA-256 fingerprint and the DER bytes (base64 in JSON). Immutable.
 */
@JsonInclude(Include.NON_EMPTY)
public record CertInfo(
        @JsonProperty("subject") String subject,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("raw") byte[] raw) {

    /** The description of {@code cert}. */
    // nats-server: events.go sendOCSPPeerRejectEvent (certidp.GetSubjectDNForm, GetIssuerDNForm, GenerateFingerprint)
    public static CertInfo of(X509Certificate cert) {
        byte[] der;
        try {
            der = cert.getEncoded();
        } catch (CertificateEncodingException e) {
            der = null;
        }
        return new CertInfo(CertificateIdentity.subjectString(cert), CertificateIdentity.issuerString(cert),
                OcspCertificates.fingerprint(cert), der);
    }
}
