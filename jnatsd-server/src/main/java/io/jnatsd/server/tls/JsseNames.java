package io.jnatsd.server.tls;

import io.jnatsd.config.GoTlsNames;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Go's TLS names (the configuration language, see {@link GoTlsNames}) in the names of the JDK's TLS provider (JSSE)
 * and of OpenSSL: cipher suites, key-exchange groups and protocol versions. Go's suite names are the IANA names JSSE
 * uses, except that JSSE spells some legacy RSA suites with an {@code SSL_} prefix. Stateless.
 */
final class JsseNames {

    /** Go curve name → JSSE named group. */
    private static final Map<String, String> JSSE_GROUPS = Map.of(
            "X25519MLKEM768", "X25519MLKEM768",
            "X25519", "x25519",
            "CurveP256", "secp256r1",
            "CurveP384", "secp384r1",
            "CurveP521", "secp521r1");

    /** Go curve name → OpenSSL/BoringSSL group. */
    private static final Map<String, String> OPENSSL_GROUPS = Map.of(
            "X25519MLKEM768", "X25519MLKEM768",
            "X25519", "X25519",
            "CurveP256", "P-256",
            "CurveP384", "P-384",
            "CurveP521", "P-521");

    private JsseNames() {
    }

    /** The names in {@code from} that {@code supported} lacks, and the mapped ones it has, in order. */
    record Mapped(List<String> names, List<String> unsupported) {
    }

    /**
     * The JSSE suites for Go's {@code cipher_suites}: every TLS 1.3 suite the provider supports (Go never restricts
     * TLS 1.3), then the configured TLS 1.2 suites in their order.
     */
    // nats-server: opts.go GenTLSConfig (CipherSuites only applies up to TLS 1.2 in Go)
    static Mapped cipherSuites(List<String> goNames, Collection<String> supported) {
        List<String> names = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (String tls13 : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256")) {
            if (supported.contains(tls13)) {
                names.add(tls13);
            }
        }
        for (String goName : goNames) {
            if (GoTlsNames.TLS13_CIPHER_SUITES.contains(goName)) {
                continue;
            }
            String legacy = "SSL_" + goName.substring("TLS_".length());
            if (supported.contains(goName)) {
                names.add(goName);
            } else if (supported.contains(legacy)) {
                names.add(legacy);
            } else {
                unsupported.add(goName);
            }
        }
        return new Mapped(List.copyOf(names), List.copyOf(unsupported));
    }

    /** The JSSE named groups for Go's {@code curve_preferences}, keeping only those in {@code supported}. */
    static Mapped jsseGroups(List<String> goCurves, Collection<String> supported) {
        return groups(goCurves, JSSE_GROUPS, supported);
    }

    private static Mapped groups(List<String> goCurves, Map<String, String> names, Collection<String> supported) {
        List<String> mapped = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (String curve : goCurves) {
            String group = names.get(curve);
            if (group != null && supported.contains(group)) {
                mapped.add(group);
            } else {
                unsupported.add(curve);
            }
        }
        return new Mapped(List.copyOf(mapped), List.copyOf(unsupported));
    }

    /** The OpenSSL group names for Go's {@code curve_preferences}, keeping only those in {@code supported}. */
    static Mapped opensslGroups(List<String> goCurves, Collection<String> supported) {
        return groups(goCurves, OPENSSL_GROUPS, supported);
    }

    /** Every OpenSSL group name a Go curve maps to. */
    static Collection<String> opensslGroupNames() {
        return OPENSSL_GROUPS.values();
    }

    /** The protocols from {@code min_version} up to TLS 1.3 (Go's maximum). */
    static String[] protocols(String minVersion) {
        return "1.3".equals(minVersion) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
    }
}
