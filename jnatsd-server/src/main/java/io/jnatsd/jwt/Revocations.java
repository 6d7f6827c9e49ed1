package io.jnatsd.jwt;

import java.util.Map;

/**
 * Revocation lists ({@code revocation_list.go}): public key (or {@code *} for all) to a Unix time; credentials
 * issued at or before that time are revoked.
 */
public final class Revocations {

    /** The key that revokes everyone issued up to its time. */
    public static final String ALL = "*";

    private Revocations() {
    }

    /** Whether {@code publicKey}, issued at {@code issuedAt}, is revoked by {@code list}. */
    // nats-io/jwt: revocation_list.go RevocationList.IsRevoked
    public static boolean isRevoked(Map<String, Long> list, String publicKey, long issuedAt) {
        if (list.isEmpty()) {
            return false;
        }
        Long all = list.get(ALL);
        if (all != null && all >= issuedAt) {
            return true;
        }
        Long own = list.get(publicKey);
        return own != null && own >= issuedAt;
    }
}
