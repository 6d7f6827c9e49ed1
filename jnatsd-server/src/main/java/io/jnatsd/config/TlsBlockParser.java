package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the client {@code tls {}} block into {@link TlsOptions} with nats-server's keys, checks and error texts
 * ({@code server/opts.go parseTLS}, then {@code GenTLSConfig}, which reads the certificate, key and CA files). As in
 * nats-server the first problem stops the block. {@code ocsp_peer} is read by {@link OcspConfigParser}; the Windows
 * certificate-store keys fail as on any non-Windows nats-server. Stateless.
 */
final class TlsBlockParser {

    /** A problem in the block: where, and nats-server's text. */
    static final class BlockException extends RuntimeException {
        private final transient ConfValue at;

        BlockException(ConfValue at, String message) {
            super(message, null, false, false);
            this.at = at;
        }

        ConfValue at() {
            return at;
        }
    }

    private static final String PINNED_CERTS_TEXT = "hex-encoded sha256 of DER encoded SubjectPublicKeyInfo";

    private TlsBlockParser() {
    }

    /**
     * Parses {@code block} (the value of the top-level {@code tls} key), keeping {@code allowNonTls} from
     * {@code base}.
     *
     * @throws BlockException at the offending value with nats-server's text
     */
    // nats-server: opts.go parseTLS (isClientCtx true), GenTLSConfig
    static TlsOptions parse(ConfValue block, TlsOptions base) {
        if (!(block.value() instanceof Map<?, ?>)) {
            throw new BlockException(block, "interface conversion: interface {} is " + block.goTypeName()
                    + ", not map[string]interface {}");
        }
        TlsOptions.Builder tls = TlsOptions.builder().enabled(true).allowNonTls(base.allowNonTls());
        String certFile = "";
        String keyFile = "";
        String caFile = "";
        List<String[]> certPairs = null;
        for (Map.Entry<String, ConfValue> entry : block.asMap().entrySet()) {
            String key = entry.getKey();
            ConfValue v = entry.getValue();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "cert_file" -> certFile = fileName(v, "cert_file");
                case "key_file" -> keyFile = fileName(v, "key_file");
                case "ca_file" -> caFile = fileName(v, "ca_file");
                case "insecure" -> tls.insecure(flag(v, "insecure"));
                case "verify" -> tls.verify(flag(v, "verify"));
                case "verify_and_map" -> tls.verifyAndMap(flag(v, "verify_and_map"));
                case "verify_cert_and_check_known_urls" -> {
                    if (flag(v, "verify_cert_and_check_known_urls")) {
                        throw new BlockException(v, "verify_cert_and_check_known_urls not supported in this context");
                    }
                }
                case "allow_insecure_cipher_suites" ->
                        tls.allowInsecureCipherSuites(flag(v, "allow_insecure_cipher_suites"));
                case "cipher_suites" -> tls.cipherSuites(names(v, "cipher_suites", "unrecognized cipher ", true));
                case "curve_preferences" ->
                        tls.curvePreferences(names(v, "curve_preferences", "unrecognized curve preference ", false));
                case "timeout" -> tls.timeout(timeout(v));
                case "connection_rate_limit" -> {
                    if (!(v.value() instanceof Long limit)) {
                        throw new BlockException(v, "error parsing tls config, 'connection_rate_limit' wrong type");
                    }
                    tls.connectionRateLimit(limit);
                }
                case "pinned_certs" -> tls.pinnedCerts(pinnedCerts(v));
                case "cert_store" -> certStore(v);
                case "cert_match_by" -> certMatchBy(v);
                case "cert_match" -> {
                    if (!(v.value() instanceof String s) || s.isEmpty()) {
                        throw new BlockException(v, "expected 'cert_match' to be a valid non-empty string");
                    }
                }
                case "ca_certs_match" -> caCertsMatch(v);
                case "handshake_first", "first", "immediate" -> handshakeFirst(key, v, tls);
                case "cert_match_skip_invalid" -> {
                    if (!(v.value() instanceof Boolean)) {
                        throw new BlockException(v, "expected 'cert_match_skip_invalid' to be a boolean");
                    }
                }
                case "ocsp_peer" -> tls.ocspPeer(ocspPeer(v, block));
                case "certs", "certificates" -> certPairs = certificatePairs(v, block);
                case "min_version" -> {
                    if (!(v.value() instanceof String version)) {
                        throw new BlockException(v, "error parsing tls config: 'min_version' wrong type: "
                                + goValue(v));
                    }
                    try {
                        tls.minVersion(version);
                    } catch (IllegalArgumentException e) {
                        throw new BlockException(v, "error parsing tls config: " + e.getMessage());
                    }
                }
                default -> throw new BlockException(v, "error parsing tls config, unknown field "
                        + GoQuote.quote(key));
            }
        }
        if (certPairs != null && !certFile.isEmpty()) {
            throw new BlockException(block,
                    "error parsing tls config, cannot combine 'cert_file' option with 'certs' option");
        }
        TlsOptions options;
        try {
            options = tls.build();
        } catch (IllegalArgumentException e) {
            throw new BlockException(block, e.getMessage());
        }
        return loadFiles(block, options, certFile, keyFile, caFile, certPairs);
    }

    // nats-server: opts.go GenTLSConfig (certificate, key and CA files)
    private static TlsOptions loadFiles(ConfValue block, TlsOptions options, String certFile, String keyFile,
                                       String caFile, List<String[]> certPairs) {
        TlsOptions.Builder tls = options.toBuilder();
        try {
            if (!certFile.isEmpty() && keyFile.isEmpty()) {
                throw new IllegalArgumentException("missing 'key_file' in TLS configuration");
            }
            if (certFile.isEmpty() && !keyFile.isEmpty()) {
                throw new IllegalArgumentException("missing 'cert_file' in TLS configuration");
            }
            if (!certFile.isEmpty()) {
                tls.certificate(Path.of(certFile), Path.of(keyFile));
            } else if (certPairs != null) {
                List<TlsOptions.CertificateKeyPair> pairs = new ArrayList<>();
                for (int i = 0; i < certPairs.size(); i++) {
                    String[] pair = certPairs.get(i);
                    try {
                        pairs.add(TlsOptions.CertificateKeyPair.load(Path.of(pair[0]), Path.of(pair[1])));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("error parsing X509 certificate/key pair " + (i + 1) + "/"
                                + certPairs.size() + ": " + e.getMessage(), e);
                    }
                }
                tls.certificates(pairs);
            }
            if (!caFile.isEmpty()) {
                tls.caFile(Path.of(caFile));
            }
        } catch (IllegalArgumentException e) {
            throw new BlockException(block, e.getMessage());
        }
        return tls.build();
    }

    private static String fileName(ConfValue v, String key) {
        if (!(v.value() instanceof String s)) {
            throw new BlockException(v, "error parsing tls config, expected '" + key + "' to be filename");
        }
        return s;
    }

    private static boolean flag(ConfValue v, String key) {
        if (!(v.value() instanceof Boolean b)) {
            throw new BlockException(v, "error parsing tls config, expected '" + key + "' to be a boolean");
        }
        return b;
    }

    /** A list of cipher or curve names; Go panics (interface conversion) on a non-list or a non-string. */
    private static List<String> names(ConfValue v, String key, String unknownPrefix, boolean ciphers) {
        List<ConfValue> list = list(v);
        if (list.isEmpty()) {
            throw new BlockException(v, "error parsing tls config, '" + key + "' cannot be empty");
        }
        List<String> names = new ArrayList<>();
        for (ConfValue element : list) {
            String name = string(element);
            boolean known = ciphers ? GoTlsNames.isCipherSuite(name) : GoTlsNames.isCurve(name);
            if (!known) {
                throw new BlockException(element, unknownPrefix + name);
            }
            names.add(name);
        }
        return names;
    }

    private static Duration timeout(ConfValue v) {
        return switch (v.value()) {
            case Long seconds -> Duration.ofSeconds(seconds);
            case Double seconds -> Duration.ofNanos(Math.round(seconds * 1e9));
            case String text -> {
                try {
                    yield GoDuration.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new BlockException(v, "error parsing tls config, 'timeout' " + e.getMessage());
                }
            }
            default -> throw new BlockException(v, "error parsing tls config, 'timeout' wrong type");
        };
    }

    private static Set<String> pinnedCerts(ConfValue v) {
        if (!(v.value() instanceof List<?>)) {
            throw new BlockException(v, "error parsing tls config, expected 'pinned_certs' to be a list of "
                    + PINNED_CERTS_TEXT);
        }
        Set<String> pins = new LinkedHashSet<>();
        for (ConfValue element : list(v)) {
            String entry = string(element).toLowerCase(Locale.ROOT);
            if (!entry.matches("[0-9a-f]{64}")) {
                throw new BlockException(element, "error parsing tls config, 'pinned_certs' key " + entry
                        + " does not look like " + PINNED_CERTS_TEXT);
            }
            pins.add(entry);
        }
        return pins;
    }

    // nats-server: certstore.ParseCertStore on a non-Windows build
    private static void certStore(ConfValue v) {
        if (!(v.value() instanceof String store) || store.isEmpty()) {
            throw new BlockException(v, "expected 'cert_store' to be a valid non-empty string");
        }
        String lower = store.toLowerCase(Locale.ROOT);
        if (lower.equals("windowscurrentuser") || lower.equals("windowslocalmachine")) {
            throw new BlockException(v, "cert_store not compatible with current operating system");
        }
        throw new BlockException(v, "cert store type not implemented");
    }

    private static void certMatchBy(ConfValue v) {
        if (!(v.value() instanceof String by) || by.isEmpty()) {
            throw new BlockException(v, "expected 'cert_match_by' to be a valid non-empty string");
        }
        switch (by.toLowerCase(Locale.ROOT)) {
            case "issuer", "subject", "thumbprint" -> {
                // only meaningful with cert_store, which fails on this platform
            }
            default -> throw new BlockException(v, "cert match by type not implemented");
        }
    }

    private static void caCertsMatch(ConfValue v) {
        if (v.value() instanceof List<?> list) {
            for (Object element : list) {
                if (!(((ConfValue) element).value() instanceof String)) {
                    throw new BlockException(v,
                            "error parsing ca_cert_match: unsupported type *conf.token where string is expected");
                }
            }
        }
    }

    // nats-server: opts.go parseTLS "handshake_first"
    private static void handshakeFirst(String key, ConfValue v, TlsOptions.Builder tls) {
        switch (v.value()) {
            case Boolean on -> tls.handshakeFirst(on).handshakeFirstFallback(Duration.ZERO);
            case String text -> {
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "on" -> tls.handshakeFirst(true).handshakeFirstFallback(Duration.ZERO);
                    case "false", "off" -> tls.handshakeFirst(false).handshakeFirstFallback(Duration.ZERO);
                    case "auto", "auto_fallback" -> tls.handshakeFirst(true)
                            .handshakeFirstFallback(TlsOptions.DEFAULT_HANDSHAKE_FIRST_FALLBACK);
                    default -> {
                        Duration delay;
                        try {
                            delay = GoDuration.parse(text);
                        } catch (IllegalArgumentException e) {
                            throw new BlockException(v, "field " + GoQuote.quote(key) + "'s value "
                                    + GoQuote.quote(text) + " is invalid");
                        }
                        tls.handshakeFirst(true).handshakeFirstFallback(delay);
                    }
                }
            }
            default -> throw new BlockException(v, "field " + GoQuote.quote(key)
                    + " should be a boolean or a string, got " + v.goTypeName());
        }
    }

    // nats-server: opts.go parseTLS "ocsp_peer"
    private static OcspPeerOptions ocspPeer(ConfValue v, ConfValue block) {
        if (!(v.value() instanceof Boolean) && !(v.value() instanceof Map<?, ?>)) {
            // Go prints the type of the whole tls block here.
            throw new BlockException(v, "error parsing ocsp peer config: unsupported type " + block.goTypeName());
        }
        try {
            return OcspConfigParser.peer(v);
        } catch (OcspConfigParser.OcspConfigException e) {
            // Go wraps the field's positioned error in one at the ocsp_peer value
            throw new BlockException(v, e.at().position() + ": " + e.getMessage());
        }
    }

    /** The {@code certs} list as {cert_file, key_file} pairs. */
    private static List<String[]> certificatePairs(ConfValue v, ConfValue block) {
        if (!(v.value() instanceof List<?>)) {
            // Go prints the type of the whole tls block here.
            throw new BlockException(v, "error parsing certificates config: unsupported type "
                    + block.goTypeName());
        }
        List<String[]> pairs = new ArrayList<>();
        for (ConfValue element : list(v)) {
            if (!(element.value() instanceof Map<?, ?>)) {
                throw new BlockException(element, "error parsing certificates config: unsupported type "
                        + element.goTypeName());
            }
            String[] pair = {"", ""};
            for (Map.Entry<String, ConfValue> field : element.asMap().entrySet()) {
                ConfValue file = field.getValue();
                if (!(file.value() instanceof String path)) {
                    throw new BlockException(file, "error parsing certificates config: unsupported type "
                            + file.goTypeName());
                }
                switch (field.getKey()) {
                    case "cert_file" -> pair[0] = path;
                    case "key_file" -> pair[1] = path;
                    default -> throw new BlockException(file, "error parsing tls certs config, unknown field "
                            + GoQuote.quote(field.getKey()));
                }
            }
            if (pair[0].isEmpty() || pair[1].isEmpty()) {
                throw new BlockException(element,
                        "error parsing certificates config: both 'cert_file' and 'cert_key' options are required");
            }
            pairs.add(pair);
        }
        return pairs;
    }

    private static List<ConfValue> list(ConfValue v) {
        if (!(v.value() instanceof List<?>)) {
            throw new BlockException(v, "interface conversion: interface {} is " + v.goTypeName()
                    + ", not []interface {}");
        }
        return v.asList();
    }

    private static String string(ConfValue v) {
        if (!(v.value() instanceof String s)) {
            throw new BlockException(v, "interface conversion: interface {} is " + v.goTypeName() + ", not string");
        }
        return s;
    }

    /** Go's {@code %v} of a scalar config value. */
    private static String goValue(ConfValue v) {
        return switch (v.value()) {
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e21 ? Long.toString(d.longValue())
                    : Double.toString(d);
            default -> String.valueOf(v.value());
        };
    }
}
