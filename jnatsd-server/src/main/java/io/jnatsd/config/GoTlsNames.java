package io.jnatsd.config;

import java.util.List;
import java.util.Set;

/**
 * The TLS names a nats-server built with Go 1.25 accepts in its {@code tls {}} block: cipher suites (Go's
 * {@code crypto/tls} {@code CipherSuites()} and {@code InsecureCipherSuites()}, registered by
 * {@code server/ciphersuites.go}), curve preferences ({@code server/ciphersuites_go125.go}) and minimum versions.
 * These are the names of the configuration language; {@code io.jnatsd.server.tls} maps them to the JDK's. Stateless.
 */
public final class GoTlsNames {

    /** Go's secure suites in Go's order: the default {@code cipher_suites} (TLS 1.3 suites included). */
    public static final List<String> SECURE_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Suites that need {@code allow_insecure_cipher_suites: true}. */
    public static final List<String> INSECURE_CIPHER_SUITES = List.of(
            "TLS_RSA_WITH_RC4_128_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");

    /** The TLS 1.3 suites: accepted in {@code cipher_suites} but, as in Go, never restricted by it. */
    public static final Set<String> TLS13_CIPHER_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** The curve names, in the default order of {@code curve_preferences}. */
    public static final List<String> CURVES = List.of("X25519MLKEM768", "X25519", "CurveP256", "CurveP384",
            "CurveP521");

    /** The minimum TLS version when {@code min_version} is not set. */
    public static final String DEFAULT_MIN_VERSION = "1.2";

    private GoTlsNames() {
    }

    /** Whether {@code name} is a suite Go knows. */
    public static boolean isCipherSuite(String name) {
        return SECURE_CIPHER_SUITES.contains(name) || INSECURE_CIPHER_SUITES.contains(name);
    }

    /** Whether {@code name} is a suite Go calls insecure. */
    public static boolean isInsecureCipherSuite(String name) {
        return INSECURE_CIPHER_SUITES.contains(name);
    }

    /** Whether {@code name} is a curve Go knows. */
    public static boolean isCurve(String name) {
        return CURVES.contains(name);
    }

    /**
     * Checks a {@code min_version} value.
     *
     * @return the version ({@code "1.2"} or {@code "1.3"})
     * @throws IllegalArgumentException with Go's text: {@code unsupported TLS version: TLS 1.0} for 1.0 and 1.1,
     *                                  {@code unknown version: <v>} for anything else
     */
    // nats-server: opts.go parseTLSVersion, server.go tlsVersionFromString
    public static String minVersion(String version) {
        return switch (version) {
            case "1.2", "1.3" -> version;
            case "1.0", "1.1" -> throw new IllegalArgumentException("unsupported TLS version: TLS " + version);
            default -> throw new IllegalArgumentException("unknown version: " + version);
        };
    }
}
