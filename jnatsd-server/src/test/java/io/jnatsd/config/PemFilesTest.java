package io.jnatsd.config;

import io.jnatsd.server.tls.TestPki;
import io.jnatsd.server.tls.TestPki.Algorithm;
import io.jnatsd.server.tls.TestPki.KeyFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemFilesTest {

    @TempDir
    static Path dir;

    private static TestPki pki;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "pem");
    }

    @ParameterizedTest
    @CsvSource({"EC, PKCS8", "EC, TRADITIONAL", "RSA, PKCS8", "RSA, TRADITIONAL", "ED25519, PKCS8"})
    void shouldLoadEveryKeyEncodingGoAccepts(Algorithm algorithm, KeyFormat format) throws IOException {
        TestPki.Issued issued = pki.issue(algorithm + "-" + format, algorithm, format, true, false,
                List.of("localhost"));
        String label = Files.readString(issued.keyFile()).lines().findFirst().orElseThrow();
        assertThat(label).endsWith("PRIVATE KEY-----");

        PemFiles.KeyPair pair = PemFiles.loadKeyPair(issued.certFile(), issued.keyFile());

        assertThat(pair.chain()).containsExactly(issued.certificate());
        assertThat(secret(pair.key())).isEqualTo(secret(issued.key()));
    }

    /** The secret of a key, whatever optional fields its encoding carries. */
    private static Object secret(java.security.PrivateKey key) {
        return switch (key) {
            case java.security.interfaces.ECPrivateKey ec -> ec.getS();
            case java.security.interfaces.RSAPrivateKey rsa -> rsa.getPrivateExponent();
            default -> java.util.HexFormat.of().formatHex(key.getEncoded());
        };
    }

    @Test
    void shouldLoadAChainAndSkipOtherBlocks() throws IOException {
        TestPki.Issued issued = pki.server("chain");
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, "junk before\n" + Files.readString(issued.certFile())
                + "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + TestPki.pem(pki.caCertificate()));

        PemFiles.KeyPair pair = PemFiles.loadKeyPair(chain, issued.keyFile());

        assertThat(pair.chain()).containsExactly(issued.certificate(), pki.caCertificate());
    }

    @Test
    void shouldRefuseAKeyOfAnotherCertificate() {
        TestPki.Issued one = pki.server("one");
        TestPki.Issued two = pki.server("two");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(one.certFile(), two.keyFile()))
                .hasMessage("tls: private key does not match public key");
    }

    @Test
    void shouldRefuseAKeyOfAnotherType() {
        TestPki.Issued ec = pki.server("ec-type");
        TestPki.Issued rsa = pki.issue("rsa-type", Algorithm.RSA, KeyFormat.PKCS8, true, false, List.of());
        assertThatThrownBy(() -> PemFiles.loadKeyPair(ec.certFile(), rsa.keyFile()))
                .hasMessage("tls: private key type does not match public key type");
    }

    @Test
    void shouldReportMissingFilesAsGoDoes() {
        TestPki.Issued issued = pki.server("missing");
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(missing, issued.keyFile()))
                .hasMessage("open " + missing + ": no such file or directory");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(issued.certFile(), missing))
                .hasMessage("open " + missing + ": no such file or directory");
        assertThatThrownBy(() -> PemFiles.loadCertificates(missing))
                .hasMessage("open " + missing + ": no such file or directory");
    }

    @Test
    void shouldDetectSwitchedOrEmptyInputs() throws IOException {
        TestPki.Issued issued = pki.server("switched");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "nothing here\n");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(issued.keyFile(), issued.certFile()))
                .hasMessage("tls: failed to find certificate PEM data in certificate input, but did find a private"
                        + " key; PEM inputs may have been switched");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(empty, issued.keyFile()))
                .hasMessage("tls: failed to find any PEM data in certificate input");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(issued.certFile(), empty))
                .hasMessage("tls: failed to find any PEM data in key input");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(issued.certFile(), issued.certFile()))
                .hasMessage("tls: found a certificate rather than a key in the PEM for the private key");
    }

    @Test
    void shouldRefuseAnUnparsableKey() throws IOException {
        TestPki.Issued issued = pki.server("badkey");
        Path bad = dir.resolve("bad-key.pem");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.loadKeyPair(issued.certFile(), bad))
                .hasMessage("tls: failed to parse private key");
    }

    @Test
    void shouldLoadACaBundleAndRefuseOneWithoutCertificates() throws IOException {
        assertThat(PemFiles.loadCertificates(pki.caFile())).containsExactly(pki.caCertificate());
        Path garbage = dir.resolve("garbage-ca.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.loadCertificates(garbage)).hasMessage("failed to parse root ca certificate");
    }
}
