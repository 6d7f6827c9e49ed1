package io.jnatsd.config;

import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code tls {}} block, {@code allow_non_tls} and the {@code --tls*} flags (nats-server opts.go parseTLS). */
class TlsConfigTest {

    private static final String FILE = "t.conf";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued server;
    private static String certs;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "conf");
        server = pki.server("server");
        certs = "cert_file: \"" + server.certFile() + "\", key_file: \"" + server.keyFile() + "\"";
    }

    private static ConfigReport load(String text, ServerOptions.Builder builder) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    private static TlsOptions tls(String text) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load(text, builder);
        assertThat(report.text()).isEmpty();
        return builder.build().tls();
    }

    private static List<String> errors(String text) {
        ConfigReport report = load(text, ServerOptions.builder());
        return report.errors();
    }

    @Test
    void shouldBeDisabledWithoutATlsBlock() {
        TlsOptions tls = tls("port: 1");
        assertThat(tls.enabled()).isFalse();
        assertThat(tls.required()).isFalse();
        assertThat(tls.available()).isFalse();
        assertThat(tls.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldReadACompleteBlock() {
        TlsOptions tls = tls("tls {\n " + certs + "\n ca_file: \"" + pki.caFile() + "\"\n verify: true\n"
                + " timeout: 0.5\n cipher_suites: [\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"]\n"
                + " curve_preferences: [CurveP256, X25519]\n min_version: \"1.3\"\n handshake_first: auto\n"
                + " connection_rate_limit: 7\n pinned_certs: [\"" + "AB".repeat(32) + "\"]\n}");
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.required()).isTrue();
        assertThat(tls.certificates()).singleElement().satisfies(pair -> {
            assertThat(pair.certFile()).isEqualTo(server.certFile());
            assertThat(pair.chain()).containsExactly(server.certificate());
        });
        assertThat(tls.caFile()).isEqualTo(pki.caFile());
        assertThat(tls.caCertificates()).containsExactly(pki.caCertificate());
        assertThat(tls.verify()).isTrue();
        assertThat(tls.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls.curvePreferences()).containsExactly("CurveP256", "X25519");
        assertThat(tls.minVersion()).isEqualTo("1.3");
        assertThat(tls.handshakeFirst()).isTrue();
        assertThat(tls.handshakeFirstFallback()).isEqualTo(Duration.ofMillis(50));
        assertThat(tls.connectionRateLimit()).isEqualTo(7);
        assertThat(tls.pinnedCerts()).containsExactly("ab".repeat(32));
    }

    @Test
    void shouldUseGoDefaultsForSuitesCurvesAndVersion() {
        TlsOptions tls = tls("tls {" + certs + "}");
        assertThat(tls.cipherSuites()).isEqualTo(GoTlsNames.SECURE_CIPHER_SUITES);
        assertThat(tls.curvePreferences()).isEqualTo(GoTlsNames.CURVES);
        assertThat(tls.minVersion()).isEqualTo("1.2");
        assertThat(tls.verify()).isFalse();
        assertThat(tls.handshakeFirst()).isFalse();
        assertThat(tls.pinnedCerts()).isEmpty();
    }

    @Test
    void shouldEnableTlsForAnEmptyBlockAsGoDoes() {
        TlsOptions tls = tls("tls {}");
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.certificates()).isEmpty();
    }

    @Test
    void shouldReadVerifyAndMapAsVerifyPlusMapping() {
        TlsOptions tls = tls("tls { verify_and_map: true }");
        assertThat(tls.verifyAndMap()).isTrue();
        assertThat(tls.verify()).isTrue();
        TlsOptions off = tls("tls { verify: true, verify_and_map: false }");
        assertThat(off.verifyAndMap()).isFalse();
        assertThat(off.verify()).isTrue();
    }

    @Test
    void shouldCombineAllowNonTlsInEitherOrder() {
        assertThat(tls("allow_non_tls: true\ntls {" + certs + "}").available()).isTrue();
        assertThat(tls("tls {" + certs + "}\nallow_non_tls: true").available()).isTrue();
        assertThat(tls("tls {" + certs + "}\nallow_non_tls: true").required()).isFalse();
        assertThat(tls("allow_non_tls: true").allowNonTls()).isTrue();
        assertThat(tls("allow_non_tls: true").available()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timeout: 3                  | PT3S",
        "timeout: \"1m\"             | PT1M",
        "timeout: 0                  | PT2S",
        "handshake_first: true       | PT0S",
        "handshake_first: \"on\"     | PT0S",
        "first: \"auto_fallback\"    | PT0.05S",
        "immediate: \"300ms\"        | PT0.3S"})
    void shouldReadTimeoutAndHandshakeFirstForms(String line, String expected) {
        TlsOptions tls = tls("tls {" + certs + "\n" + line + "}");
        Duration value = line.startsWith("timeout") ? tls.timeout() : tls.handshakeFirstFallback();
        assertThat(value).isEqualTo(Duration.parse(expected));
        if (!line.startsWith("timeout")) {
            assertThat(tls.handshakeFirst()).isTrue();
        }
    }

    @Test
    void shouldAllowInsecureSuitesOnlyWhenAsked() {
        assertThat(errors("tls {" + certs + "\n cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA,"
                + " TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]}")).containsExactly("t.conf:1:0: insecure cipher suites"
                + " configured without 'allow_insecure_cipher_suites' option set: TLS_RSA_WITH_AES_128_CBC_SHA,"
                + " TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
        assertThat(tls("tls {" + certs + "\n allow_insecure_cipher_suites: true\n"
                + " cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]}").cipherSuites())
                .containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bogus: 1                       | t.conf:1:5: error parsing tls config, unknown field \"bogus\"",
        "cipher_suites: [TLS_NOPE]      | t.conf:1:21: unrecognized cipher TLS_NOPE",
        "cipher_suites: []              | t.conf:1:5: error parsing tls config, 'cipher_suites' cannot be empty",
        "curve_preferences: [P256]      | t.conf:1:25: unrecognized curve preference P256",
        "curve_preferences: []          | t.conf:1:5: error parsing tls config, 'curve_preferences' cannot be empty",
        "min_version: \"1.1\"           | t.conf:1:5: error parsing tls config: unsupported TLS version: TLS 1.1",
        "min_version: \"1.4\"           | t.conf:1:5: error parsing tls config: unknown version: 1.4",
        "min_version: 1.2               | t.conf:1:5: error parsing tls config: 'min_version' wrong type: 1.2",
        "timeout: true                  | t.conf:1:5: error parsing tls config, 'timeout' wrong type",
        "timeout: \"x\"                 | t.conf:1:5: error parsing tls config, 'timeout' time: invalid duration \"x\"",
        "verify: \"yes\"                | t.conf:1:5: error parsing tls config, expected 'verify' to be a boolean",
        "cert_file: 1                   | t.conf:1:5: error parsing tls config, expected 'cert_file' to be filename",
        "handshake_first: \"maybe\"     | t.conf:1:5: field \"handshake_first\"'s value \"maybe\" is invalid",
        "first: 1                       | t.conf:1:5: field \"first\" should be a boolean or a string, got int64",
        "connection_rate_limit: \"1\"   | t.conf:1:5: error parsing tls config, 'connection_rate_limit' wrong type",
        "pinned_certs: [\"abc\"]        | t.conf:1:21: error parsing tls config, 'pinned_certs' key abc does not look"
                + " like hex-encoded sha256 of DER encoded SubjectPublicKeyInfo",
        "verify_and_map: 1              | t.conf:1:5: error parsing tls config, expected 'verify_and_map' to be a"
                + " boolean",
        "verify_cert_and_check_known_urls: true | t.conf:1:5: verify_cert_and_check_known_urls not supported in"
                + " this context",
        "ocsp_peer: 1                   | t.conf:1:5: error parsing ocsp peer config: unsupported type"
                + " map[string]interface {}",
        "ocsp_peer: {foo: 1}            | t.conf:1:5: t.conf:1:17: error parsing tls peer config, unknown field"
                + " [\"foo\"]",
        "cert_store: \"WindowsCurrentUser\" | t.conf:1:5: cert_store not compatible with current operating system",
        "cert_store: \"x\"              | t.conf:1:5: cert store type not implemented",
        "cert_file: \"c.pem\"           | t.conf:1:0: missing 'key_file' in TLS configuration",
        "key_file: \"k.pem\"            | t.conf:1:0: missing 'cert_file' in TLS configuration"})
    void shouldReportBlockErrorsAsNatsServerDoes(String line, String expected) {
        assertThat(errors("tls {" + line + "}")).containsExactly(expected);
    }

    @Test
    void shouldReportUnreadableFilesAtTheBlock() {
        Path missing = dir.resolve("missing.pem");
        assertThat(errors("tls {cert_file: \"" + missing + "\", key_file: \"" + server.keyFile() + "\"}"))
                .containsExactly("t.conf:1:0: error parsing X509 certificate/key pair: open " + missing
                        + ": no such file or directory");
        assertThat(errors("tls {" + certs + ", ca_file: \"" + server.keyFile() + "\"}"))
                .containsExactly("t.conf:1:0: failed to parse root ca certificate");
        assertThat(errors("tls: 5")).containsExactly(
                "t.conf:1:0: interface conversion: interface {} is int64, not map[string]interface {}");
    }

    @Test
    void shouldReadCertsListsAndRefuseMixingThemWithCertFile() {
        TestPki.Issued other = pki.server("other");
        TlsOptions tls = tls("tls { certs: [{" + certs + "}, {cert_file: \"" + other.certFile()
                + "\", key_file: \"" + other.keyFile() + "\"}] }");
        assertThat(tls.certificates()).hasSize(2);
        assertThat(tls.certificates().get(1).chain()).containsExactly(other.certificate());
        assertThat(errors("tls { " + certs + "\n certs: [{" + certs + "}] }")).containsExactly(
                "t.conf:1:0: error parsing tls config, cannot combine 'cert_file' option with 'certs' option");
        assertThat(errors("tls { certs: [{cert_file: \"a\"}] }")).containsExactly(
                "t.conf:1:30: error parsing certificates config: both 'cert_file' and 'cert_key' options are"
                        + " required");
        assertThat(errors("tls { certs: [{" + certs + "}, {cert_file: \"" + other.certFile() + "\", key_file: \""
                + server.keyFile() + "\"}] }")).containsExactly("t.conf:1:0: error parsing X509 certificate/key"
                + " pair 2/2: tls: private key does not match public key");
    }

    @Test
    void shouldCompareContextsByContent() throws IOException {
        TlsOptions one = tls("tls {" + certs + "}");
        TlsOptions same = tls("tls {" + certs + "\n timeout: 5}");
        assertThat(one.sameContext(same)).isTrue();
        assertThat(one).isNotEqualTo(same);
        TestPki.Issued replacement = pki.server("replacement");
        Files.copy(replacement.certFile(), server.certFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(replacement.keyFile(), server.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            assertThat(one.sameContext(tls("tls {" + certs + "}"))).isFalse();
        } finally {
            server = pki.server("server");
        }
    }

    // ------------------------------------------------------------------------------------------ flags

    private static ServerOptions run(String... args) {
        CommandLineResult result = CommandLine.parse(args);
        assertThat(result).isInstanceOf(CommandLineResult.Run.class);
        return ((CommandLineResult.Run) result).options();
    }

    private static String fatal(String... args) {
        CommandLineResult result = CommandLine.parse(args);
        assertThat(result).isInstanceOf(CommandLineResult.PrintAndExit.class);
        CommandLineResult.PrintAndExit exit = (CommandLineResult.PrintAndExit) result;
        assertThat(exit.exitCode()).isEqualTo(1);
        return exit.stderr();
    }

    @Test
    void shouldEnableTlsFromFlags() {
        TestPki.Issued client = pki.client("flag-client");
        TlsOptions tls = run("--tlscert", client.certFile().toString(), "--tlskey", client.keyFile().toString(),
                "--tlscacert", pki.caFile().toString(), "--tlsverify").tls();
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.verify()).isTrue();
        assertThat(tls.caCertificates()).containsExactly(pki.caCertificate());
        assertThat(tls.certificates().getFirst().chain()).containsExactly(client.certificate());
        assertThat(run("--tls", "--tlscert=" + server.certFile(), "--tlskey=" + server.keyFile()).tls().required())
                .isTrue();
    }

    @Test
    void shouldRequireCertificateAndKeyWithAnyTlsFlag() {
        assertThat(fatal("--tls")).isEqualTo("nats-server: TLS Server certificate must be present and valid\n");
        assertThat(fatal("--tlsverify=false")).isEqualTo(
                "nats-server: TLS Server certificate must be present and valid\n");
        assertThat(fatal("--tlscert", server.certFile().toString())).isEqualTo(
                "nats-server: TLS Server private key must be present and valid\n");
        Path missing = dir.resolve("nope.pem");
        assertThat(fatal("--tlscert", missing.toString(), "--tlskey", server.keyFile().toString())).isEqualTo(
                "nats-server: error parsing X509 certificate/key pair: open " + missing
                        + ": no such file or directory\n");
    }

    @Test
    void shouldLetTlsFalseDisableTheFileAndWinOverOtherTlsFlags() throws IOException {
        Path conf = dir.resolve("tls.conf");
        Files.writeString(conf, "tls {" + certs + "\n timeout: 4\n}");
        assertThat(run("-c", conf.toString()).tls().enabled()).isTrue();
        assertThat(run("-c", conf.toString(), "--tls=false").tls().enabled()).isFalse();
        assertThat(run("--tls=false", "--tlscert", "x.pem").tls().enabled()).isFalse();
    }

    @Test
    void shouldReplaceTheFilesContextButKeepItsOtherTlsOptions() throws IOException {
        Path conf = dir.resolve("tls-keep.conf");
        Files.writeString(conf, "tls {" + certs + "\n timeout: 4\n verify: true\n min_version: \"1.3\"}");
        TestPki.Issued other = pki.server("flag-server");
        TlsOptions tls = run("-c", conf.toString(), "--tlscert", other.certFile().toString(), "--tlskey",
                other.keyFile().toString()).tls();
        assertThat(tls.certificates().getFirst().chain()).containsExactly(other.certificate());
        assertThat(tls.verify()).isFalse();
        assertThat(tls.minVersion()).isEqualTo("1.2");
        assertThat(tls.timeout()).isEqualTo(Duration.ofSeconds(4));
    }
}
