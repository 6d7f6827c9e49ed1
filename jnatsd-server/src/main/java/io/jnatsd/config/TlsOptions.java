package io.jnatsd.config;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * TLS for the client port: the {@code tls {}} block, the top-level {@code allow_non_tls} key and the {@code --tls*}
 * flags (nats-server's {@code TLSConfig}, {@code TLSTimeout}, {@code TLSPinnedCerts}, {@code TLSRateLimit},
 * {@code TLSHandshakeFirst}, {@code TLSHandshakeFirstFallback} and {@code AllowNonTLS}). Certificates, keys and CA
 * bundles are read when the options are built, as nats-server reads them while parsing the configuration, so a
 * reload that finds changed files yields unequal options. {@link #disabled()} is the value when there is no TLS.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled                   whether clients use TLS (a {@code tls} block or {@code --tls*} flags); when
 *                                  false only {@code allowNonTls} and the defaults are kept
 * @param certificates              the server certificates with their keys, in order (several only with
 *                                  {@code certs}: chosen by SNI, else the first)
 * @param caFile                    {@code ca_file}, or null
 * @param caCertificates            the certificates of {@code ca_file} (empty without one)
 * @param verify                    require and verify a client certificate ({@code verify}, {@code --tlsverify})
 * @param insecure                  {@code insecure} (only meaningful for outgoing connections; kept for parity)
 * @param timeout                   the handshake timeout ({@code timeout}; default 2 s)
 * @param cipherSuites              Go names of the allowed suites, in preference order (the secure list by default)
 * @param allowInsecureCipherSuites whether suites Go calls insecure may be listed
 * @param curvePreferences          Go names of the key-exchange groups, in preference order
 * @param pinnedCerts               lower-case hex SHA-256 digests of the client certificates' SubjectPublicKeyInfo
 *                                  that may connect; empty means no pinning
 * @param minVersion                {@code "1.2"} or {@code "1.3"}
 * @param handshakeFirst            the TLS handshake comes before the INFO ({@code handshake_first})
 * @param handshakeFirstFallback    with {@code handshakeFirst}: how long to wait for the client to start the
 *                                  handshake before sending INFO first after all; zero for never
 * @param connectionRateLimit       TLS handshakes allowed per second on the client port; zero for unlimited
 * @param allowNonTls               plaintext and TLS clients share the port ({@code allow_non_tls})
 * @param verifyAndMap              {@code verify_and_map}: as {@code verify}, and the client certificate's identity
 *                                  selects the user (nats-server's {@code Options.TLSMap})
 * @param ocspPeer                  {@code ocsp_peer}: OCSP verification of client certificates
 *                                  ({@link OcspPeerOptions#DEFAULTS}, verification off, when not set)
 */
public record TlsOptions(
        boolean enabled,
        List<CertificateKeyPair> certificates,
        Path caFile,
        List<X509Certificate> caCertificates,
        boolean verify,
        boolean insecure,
        Duration timeout,
        List<String> cipherSuites,
        boolean allowInsecureCipherSuites,
        List<String> curvePreferences,
        Set<String> pinnedCerts,
        String minVersion,
        boolean handshakeFirst,
        Duration handshakeFirstFallback,
        long connectionRateLimit,
        boolean allowNonTls,
        boolean verifyAndMap,
        OcspPeerOptions ocspPeer) {

    /** Default handshake timeout ({@code server/const.go TLS_TIMEOUT}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** The fallback delay of {@code handshake_first: auto} ({@code DEFAULT_TLS_HANDSHAKE_FIRST_FALLBACK_DELAY}). */
    public static final Duration DEFAULT_HANDSHAKE_FIRST_FALLBACK = Duration.ofMillis(50);

    private static final TlsOptions DISABLED = builder().build();

    public TlsOptions {
        certificates = List.copyOf(certificates);
        caCertificates = List.copyOf(caCertificates);
        cipherSuites = List.copyOf(cipherSuites);
        curvePreferences = List.copyOf(curvePreferences);
        pinnedCerts = Set.copyOf(pinnedCerts);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(handshakeFirstFallback, "handshakeFirstFallback");
        ocspPeer = Objects.requireNonNullElse(ocspPeer, OcspPeerOptions.DEFAULTS);
        if (timeout.isZero()) {
            timeout = DEFAULT_TIMEOUT;       // nats-server: opts.go setBaselineOptions (TLSTimeout 0 → default)
        }
    }

    /**
     * A server certificate chain and its private key, with the files they came from.
     *
     * @param certFile the certificate file
     * @param keyFile  the key file
     * @param chain    the certificates of {@code certFile}, leaf first
     * @param key      the leaf's private key
     */
    public record CertificateKeyPair(Path certFile, Path keyFile, List<X509Certificate> chain, PrivateKey key) {

        public CertificateKeyPair {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            chain = List.copyOf(chain);
            Objects.requireNonNull(key, "key");
        }

        /**
         * Reads a PEM certificate (chain) and its PEM private key.
         *
         * @throws IllegalArgumentException with Go's text, e.g. {@code open c.pem: no such file or directory}
         */
        public static CertificateKeyPair load(Path certFile, Path keyFile) {
            PemFiles.KeyPair pair = PemFiles.loadKeyPair(certFile, keyFile);
            return new CertificateKeyPair(certFile, keyFile, pair.chain(), pair.key());
        }

        @Override
        public String toString() {
            return "CertificateKeyPair[" + certFile + ", " + keyFile + "]";
        }
    }

    /** No TLS; every other value at its default. */
    public static TlsOptions disabled() {
        return DISABLED;
    }

    /** A builder with every default (TLS disabled until a certificate is given or {@link Builder#enabled}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** INFO {@code tls_required}: TLS on and plaintext not allowed. */
    public boolean required() {
        return enabled && !allowNonTls;
    }

    /** INFO {@code tls_available}: TLS on and plaintext allowed. */
    public boolean available() {
        return enabled && allowNonTls;
    }

    /**
     * Whether these and {@code other} build the same TLS context (certificates, keys, CAs, client verification,
     * suites, curves, versions): what nats-server's reload compares as {@code TLSConfig}.
     */
    public boolean sameContext(TlsOptions other) {
        return enabled == other.enabled && certificates.equals(other.certificates)
                && caCertificates.equals(other.caCertificates) && verify == other.verify
                && insecure == other.insecure && cipherSuites.equals(other.cipherSuites)
                && curvePreferences.equals(other.curvePreferences) && minVersion.equals(other.minVersion);
    }

    @Override
    public String toString() {
        return "TlsOptions[enabled=" + enabled + ", certificates=" + certificates + ", caFile=" + caFile + ", verify="
                + verify + ", timeout=" + timeout + ", cipherSuites=" + cipherSuites + ", curvePreferences="
                + curvePreferences + ", pinnedCerts=" + pinnedCerts.size() + ", minVersion=" + minVersion
                + ", handshakeFirst=" + handshakeFirst + ", handshakeFirstFallback=" + handshakeFirstFallback
                + ", connectionRateLimit=" + connectionRateLimit + ", allowNonTls=" + allowNonTls + ", verifyAndMap="
                + verifyAndMap + "]";
    }

    /** Mutable builder; not thread-safe. Setters that read files or check names throw as documented. */
    public static final class Builder {
        private boolean enabled;
        private List<CertificateKeyPair> certificates = List.of();
        private Path caFile;
        private List<X509Certificate> caCertificates = List.of();
        private boolean verify;
        private boolean insecure;
        private Duration timeout = DEFAULT_TIMEOUT;
        private List<String> cipherSuites = GoTlsNames.SECURE_CIPHER_SUITES;
        private boolean allowInsecureCipherSuites;
        private List<String> curvePreferences = GoTlsNames.CURVES;
        private Set<String> pinnedCerts = Set.of();
        private String minVersion = GoTlsNames.DEFAULT_MIN_VERSION;
        private boolean handshakeFirst;
        private Duration handshakeFirstFallback = Duration.ZERO;
        private long connectionRateLimit;
        private boolean allowNonTls;
        private boolean verifyAndMap;
        private OcspPeerOptions ocspPeer = OcspPeerOptions.DEFAULTS;

        private Builder() {
        }

        private Builder(TlsOptions o) {
            enabled = o.enabled; certificates = o.certificates; caFile = o.caFile;
            caCertificates = o.caCertificates; verify = o.verify; insecure = o.insecure; timeout = o.timeout;
            cipherSuites = o.cipherSuites; allowInsecureCipherSuites = o.allowInsecureCipherSuites;
            curvePreferences = o.curvePreferences; pinnedCerts = o.pinnedCerts; minVersion = o.minVersion;
            handshakeFirst = o.handshakeFirst; handshakeFirstFallback = o.handshakeFirstFallback;
            connectionRateLimit = o.connectionRateLimit; allowNonTls = o.allowNonTls; verifyAndMap = o.verifyAndMap;
            ocspPeer = o.ocspPeer;
        }

        /** Turns TLS on or off (a certificate turns it on). */
        public Builder enabled(boolean v) { enabled = v; return this; }

        /**
         * Reads {@code certFile} and {@code keyFile} (PEM) as the only server certificate, and enables TLS.
         *
         * @throws IllegalArgumentException with nats-server's text, e.g.
         *                                  {@code error parsing X509 certificate/key pair: open c.pem: no such file
         *                                  or directory}
         */
        public Builder certificate(Path certFile, Path keyFile) {
            try {
                certificates = List.of(CertificateKeyPair.load(certFile, keyFile));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("error parsing X509 certificate/key pair: " + e.getMessage(), e);
            }
            enabled = true;
            return this;
        }

        /** Already loaded certificates (the first is the default, the others are chosen by SNI); enables TLS. */
        public Builder certificates(List<CertificateKeyPair> v) {
            certificates = List.copyOf(v);
            enabled = true;
            return this;
        }

        /**
         * Reads the CA bundle used to verify client certificates; null for none.
         *
         * @throws IllegalArgumentException with nats-server's text ({@code failed to parse root ca certificate} or
         *                                  the read error)
         */
        public Builder caFile(Path v) {
            caCertificates = v == null ? List.of() : PemFiles.loadCertificates(v);
            caFile = v;
            return this;
        }

        public Builder verify(boolean v) { verify = v; return this; }
        /** {@code verify_and_map}: sets {@code verify} too, as nats-server's parseTLS does. */
        public Builder verifyAndMap(boolean v) { verifyAndMap = v; verify |= v; return this; }
        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder timeout(Duration v) { timeout = Objects.requireNonNull(v); return this; }
        public Builder allowInsecureCipherSuites(boolean v) { allowInsecureCipherSuites = v; return this; }

        /**
         * The suites by Go name (see {@link GoTlsNames}).
         *
         * @throws IllegalArgumentException {@code unrecognized cipher <name>} or an empty list
         */
        public Builder cipherSuites(List<String> v) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("error parsing tls config, 'cipher_suites' cannot be empty");
            }
            for (String name : v) {
                if (!GoTlsNames.isCipherSuite(name)) {
                    throw new IllegalArgumentException("unrecognized cipher " + name);
                }
            }
            cipherSuites = List.copyOf(v);
            return this;
        }

        /**
         * The key-exchange groups by Go name (see {@link GoTlsNames#CURVES}).
         *
         * @throws IllegalArgumentException {@code unrecognized curve preference <name>} or an empty list
         */
        public Builder curvePreferences(List<String> v) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("error parsing tls config, 'curve_preferences' cannot be empty");
            }
            for (String name : v) {
                if (!GoTlsNames.isCurve(name)) {
                    throw new IllegalArgumentException("unrecognized curve preference " + name);
                }
            }
            curvePreferences = List.copyOf(v);
            return this;
        }

        /**
         * The pinned client keys: hex SHA-256 of the DER SubjectPublicKeyInfo (any case).
         *
         * @throws IllegalArgumentException when an entry is not 64 hex digits
         */
        public Builder pinnedCerts(Set<String> v) {
            Set<String> normalized = new LinkedHashSet<>();
            for (String entry : v) {
                String lower = entry.toLowerCase(Locale.ROOT);
                if (!isSha256Hex(lower)) {
                    throw new IllegalArgumentException("error parsing tls config, 'pinned_certs' key " + lower
                            + " does not look like hex-encoded sha256 of DER encoded SubjectPublicKeyInfo");
                }
                normalized.add(lower);
            }
            pinnedCerts = normalized;
            return this;
        }

        /**
         * {@code "1.2"} or {@code "1.3"}.
         *
         * @throws IllegalArgumentException with Go's text for other versions
         */
        public Builder minVersion(String v) { minVersion = GoTlsNames.minVersion(v); return this; }

        public Builder handshakeFirst(boolean v) { handshakeFirst = v; return this; }
        public Builder handshakeFirstFallback(Duration v) {
            handshakeFirstFallback = Objects.requireNonNull(v);
            return this;
        }
        public Builder connectionRateLimit(long v) { connectionRateLimit = v; return this; }
        public Builder allowNonTls(boolean v) { allowNonTls = v; return this; }
        /** {@code ocsp_peer}; null means {@link OcspPeerOptions#DEFAULTS} (off). */
        public Builder ocspPeer(OcspPeerOptions v) {
            ocspPeer = Objects.requireNonNullElse(v, OcspPeerOptions.DEFAULTS);
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException {@code insecure cipher suites configured without
         *                                  'allow_insecure_cipher_suites' option set: <names>}
         */
        // nats-server: opts.go parseTLS (final checks)
        public TlsOptions build() {
            List<String> insecureSuites = new ArrayList<>();
            for (String name : cipherSuites) {
                if (GoTlsNames.isInsecureCipherSuite(name)) {
                    insecureSuites.add(name);
                }
            }
            if (!allowInsecureCipherSuites && !insecureSuites.isEmpty()) {
                throw new IllegalArgumentException("insecure cipher suites configured without "
                        + "'allow_insecure_cipher_suites' option set: " + String.join(", ", insecureSuites));
            }
            return new TlsOptions(enabled, certificates, caFile, caCertificates, verify, insecure, timeout,
                    cipherSuites, allowInsecureCipherSuites, curvePreferences, pinnedCerts, minVersion,
                    handshakeFirst, handshakeFirstFallback, connectionRateLimit, allowNonTls, verifyAndMap, ocspPeer);
        }

        private static boolean isSha256Hex(String text) {
            if (text.length() != 64) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                    return false;
                }
            }
            return true;
        }
    }
}
