package io.jnatsd.server.ocsp;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A parsed, signature-checked OCSP response for one certificate (what {@code golang.org/x/crypto/ocsp.Response}
 * holds of it). Immutable; {@link #raw()} is the caller's array, never changed.
 *
 * @param raw              the DER bytes as received (what is stapled, cached and saved)
 * @param status           the asserted status
 * @param serialNumber     the serial number the single response is about
 * @param producedAt       when the responder signed it
 * @param thisUpdate       when the status was known to be correct
 * @param nextUpdate       when newer information will be available, or null when the responder does not say
 * @param revokedAt        for {@link OcspStatus#REVOKED}: when, else null
 * @param revocationReason for {@link OcspStatus#REVOKED}: the CRL reason code, else 0
 * @param signer           the certificate embedded in the response that signed it (a delegated responder, or the
 *                         issuer itself), or null when the issuer signed without embedding a certificate
 */
public record OcspResponse(byte[] raw, OcspStatus status, BigInteger serialNumber, Instant producedAt,
                           Instant thisUpdate, Instant nextUpdate, Instant revokedAt, int revocationReason,
                           X509Certificate signer) {

    public OcspResponse {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
    }

    @Override
    public String toString() {
        return "OcspResponse[" + status + ", serial=" + serialNumber + ", thisUpdate=" + thisUpdate
                + ", nextUpdate=" + nextUpdate + ", delegated=" + (signer != null) + "]";
    }
}
