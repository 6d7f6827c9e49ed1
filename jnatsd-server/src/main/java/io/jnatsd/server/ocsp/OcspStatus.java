package io.jnatsd.server.ocsp;

/**
 * The certificate status an OCSP responder asserts (RFC 6960 {@code CertStatus}), with the names nats-server logs,
 * caches and reports ({@code certidp.GetStatusAssertionStr}).
 */
public enum OcspStatus {
    /** {@code good}. */
    GOOD("good"),
    /** {@code revoked}. */
    REVOKED("revoked"),
    /** {@code unknown}. */
    UNKNOWN("unknown");

    private final String text;

    OcspStatus(String text) {
        this.text = text;
    }

    /** {@code good}, {@code revoked} or {@code unknown}. */
    public String text() {
        return text;
    }

    /** The status named {@code text}; anything else is {@link #UNKNOWN}, as nats-server reads its cache. */
    public static OcspStatus fromText(String text) {
        for (OcspStatus s : values()) {
            if (s.text.equals(text)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return text;
    }
}
