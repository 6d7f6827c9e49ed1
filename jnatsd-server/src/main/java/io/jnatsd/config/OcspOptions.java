package io.jnatsd.config;

import java.util.List;
import java.util.Objects;

/**
 * OCSP stapling of the server's own certificate (the top-level {@code ocsp} key, nats-server's {@code OCSPConfig}):
 * {@code ocsp: true} is {@link Mode#AUTO}, {@code ocsp: false} is {@link Mode#NEVER}, and the map form sets the mode
 * and the responders to ask instead of the certificate's own. Without the key nats-server behaves as in
 * {@link Mode#AUTO} (a certificate with the must-staple extension is stapled). Immutable.
 *
 * @param mode         when to staple and whether a revoked certificate shuts the server down
 * @param overrideUrls responders asked instead of the certificate's OCSP URLs ({@code url}); empty for those
 */
public record OcspOptions(Mode mode, List<String> overrideUrls) {

    /** The stapling policies ({@code server/ocsp.go OCSPMode}). */
    public enum Mode {
        /** Staple only a certificate with the must-staple (status_request) extension; never shut down. */
        AUTO,
        /** Always staple, and shut the server down when the certificate is revoked or its status is not good. */
        ALWAYS,
        /** Never staple, even a must-staple certificate (with a warning). */
        NEVER,
        /** Staple a must-staple certificate, and shut the server down when it is revoked. */
        MUST
    }

    public OcspOptions {
        Objects.requireNonNull(mode, "mode");
        overrideUrls = overrideUrls == null ? List.of() : List.copyOf(overrideUrls);
    }

    /** {@code ocsp: true} or {@code false}. */
    public static OcspOptions of(boolean enabled) {
        return new OcspOptions(enabled ? Mode.AUTO : Mode.NEVER, List.of());
    }
}
