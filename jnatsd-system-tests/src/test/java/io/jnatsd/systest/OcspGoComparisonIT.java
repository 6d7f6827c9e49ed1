package io.jnatsd.systest;

import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.ocsp.OcspStatus;
import io.jnatsd.server.ocsp.TestOcspResponder;
import io.jnatsd.server.tls.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OCSP stapling against the installed Go nats-server (2.9.10 has {@code ocsp}, not yet {@code ocsp_peer} or
 * {@code ocsp_cache}): the config check's errors and the startup failures of a certificate whose status cannot be
 * had or is revoked where that must stop the server (server/opts.go parseOCSP, server/ocsp.go NewOCSPMonitor).
 */
class OcspGoComparisonIT {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestOcspResponder responder;

    @BeforeAll
    static void setUp() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server installed");
        pki = TestPki.create(dir, "ocspgo");
        responder = TestOcspResponder.start(pki.caCertificate(), pki.caKey());
    }

    @AfterAll
    static void tearDown() {
        if (responder != null) {
            responder.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ocsp: 5",
            "ocsp: \"x\"",
            "ocsp: {mode: bogus}",
            "ocsp: {mode: 5}",
            "ocsp: {url: 5}",
            "ocsp: {Mode: always}",
            "ocsp: {urls: [\"http://a\"]}",
            "ocsp: true",
            "ocsp: {mode: never, url: \"http://127.0.0.1:1\"}"})
    void shouldCheckTheOcspKeyLikeTheGoServer(String conf) throws IOException {
        Path file = Files.writeString(dir.resolve("check.conf"), conf + "\n");
        String[] fromGo = GoServer.runToExit("-t", "-c", file.toString());
        CommandLineResult result = CommandLine.parse("-t", "-c", file.toString());
        assertThat(result).isInstanceOf(CommandLineResult.PrintAndExit.class);
        CommandLineResult.PrintAndExit printed = (CommandLineResult.PrintAndExit) result;
        // jnatsd (as nats-server 2.15) adds the file's digest to the "is valid" line; 2.9.10 does not
        String fromJnatsd = (printed.stdout() + printed.stderr()).strip().replaceAll(" \\(sha256:[0-9a-f]+\\)$", "");
        assertThat(fromJnatsd).isEqualTo(fromGo[1].strip());
        assertThat(printed.exitCode()).isEqualTo(Integer.parseInt(fromGo[0]));
    }

    @Test
    void shouldRefuseToStartLikeTheGoServer() throws IOException {
        TestPki.Issued revoked = pki.issue("revoked", true, new TestPki.Extras(true, List.of(responder.url()),
                false, false));
        responder.status(revoked.certificate(), OcspStatus.REVOKED);
        TestPki.Issued noResponder = pki.issue("noresponder", true, new TestPki.Extras(true, List.of(), false,
                false));
        TestPki.Issued plain = pki.issue("plain", true, new TestPki.Extras(false, List.of(responder.url()), false,
                false));
        responder.status(plain.certificate(), OcspStatus.UNKNOWN);
        assertSameStartupFailure("ocsp: {mode: always}\n" + tls(revoked));
        assertSameStartupFailure("ocsp: {mode: must}\n" + tls(revoked));
        assertSameStartupFailure(tls(noResponder));
        assertSameStartupFailure("ocsp: {mode: always}\n" + tls(plain));
    }

    private static String tls(TestPki.Issued cert) {
        return "port: -1\ntls {\n  cert_file: \"" + cert.certFile() + "\"\n  key_file: \"" + cert.keyFile()
                + "\"\n  ca_file: \"" + pki.caFile() + "\"\n}\n";
    }

    private static void assertSameStartupFailure(String conf) throws IOException {
        Path file = Files.writeString(dir.resolve("start.conf"), conf);
        String[] fromGo = GoServer.runToExit("-c", file.toString());
        assertThat(fromGo[0]).as(fromGo[1]).isEqualTo("1");
        List<String> lines = fromGo[1].strip().lines().toList();
        String jnatsd;
        try {
            NatsServer server = new NatsServer(ConfigLoader.options(file));
            server.shutdown();
            jnatsd = "(started)";
        } catch (IllegalArgumentException e) {
            jnatsd = "nats-server: " + e.getMessage();
        }
        assertThat(jnatsd).isEqualTo(lines.getLast());
    }
}
