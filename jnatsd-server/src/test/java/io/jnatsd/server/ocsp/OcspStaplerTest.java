package io.jnatsd.server.ocsp;

import io.jnatsd.config.OcspOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The staple side ({@link OcspStapler}, {@link OcspSupport#configure}): nats-server's {@code NewOCSPMonitor}
 * decisions per mode, the status sources (memory, status file, responders), validity, the refresh interval and the
 * issuer of the certificate. The handshakes that staple are in {@code OcspStaplingIT}.
 */
class OcspStaplerTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestOcspResponder responder;
    private static TestPki.Issued mustStaple;
    private static TestPki.Issued plain;

    @BeforeAll
    static void setUp() {
        pki = TestPki.create(dir, "staple");
        responder = TestOcspResponder.start(pki.caCertificate(), pki.caKey());
        mustStaple = pki.issue("must", true, new TestPki.Extras(true, List.of(responder.url()), false, false));
        plain = pki.issue("plain", true, new TestPki.Extras(false, List.of(responder.url()), false, false));
        responder.status(mustStaple.certificate(), OcspStatus.GOOD).status(plain.certificate(), OcspStatus.GOOD);
    }

    @AfterAll
    static void tearDown() {
        responder.close();
    }

    private static ServerOptions options(TestPki.Issued cert, OcspOptions ocsp) {
        return ServerOptions.builder().tls(TlsOptions.builder().certificate(cert.certFile(), cert.keyFile())
                .caFile(pki.caFile()).build()).ocsp(ocsp).build();
    }

    private static OcspSupport.Setup configure(TestPki.Issued cert, OcspOptions ocsp) {
        return OcspSupport.configure(options(cert, ocsp), OcspEvents.NONE, null, Clock.systemUTC());
    }

    @Test
    void shouldDetectMustStaple() {
        assertThat(OcspCertificates.mustStaple(mustStaple.certificate())).isTrue();
        assertThat(OcspCertificates.mustStaple(plain.certificate())).isFalse();
        assertThat(OcspCertificates.ocspServers(plain.certificate())).containsExactly(responder.url());
        assertThat(OcspCertificates.ocspServers(pki.caCertificate())).isEmpty();
    }

    @Test
    void shouldStapleByModeAsNatsServer() {
        // auto (also without the key): only a must-staple certificate
        assertThat(configure(mustStaple, null).support().client().stapler()).isNotNull();
        assertThat(configure(plain, null).support().client().stapler()).isNull();
        assertThat(configure(plain, OcspOptions.of(true)).support().client().stapler()).isNull();
        // never: nothing, with a warning for a must-staple certificate
        assertThat(configure(mustStaple, OcspOptions.of(false)).support().client().stapler()).isNull();
        // always: any certificate, shutting down on a bad status
        OcspStapler always = configure(plain, new OcspOptions(OcspOptions.Mode.ALWAYS, List.of())).support()
                .client().stapler();
        assertThat(always.shutdownOnRevoke()).isTrue();
        // must: a must-staple certificate, shutting down on a bad status
        assertThat(configure(plain, new OcspOptions(OcspOptions.Mode.MUST, List.of())).support().client()
                .stapler()).isNull();
        assertThat(configure(mustStaple, new OcspOptions(OcspOptions.Mode.MUST, List.of())).support().client()
                .stapler().shutdownOnRevoke()).isTrue();
        assertThat(configure(mustStaple, null).support().client().stapler().shutdownOnRevoke()).isFalse();
    }

    @Test
    void shouldRefuseToStartWithoutAGoodStatusWhenItMustShutDown() {
        TestPki.Issued revoked = pki.issue("revoked", true, new TestPki.Extras(true, List.of(responder.url()),
                false, false));
        responder.status(revoked.certificate(), OcspStatus.REVOKED);
        assertThat(configure(revoked, new OcspOptions(OcspOptions.Mode.ALWAYS, List.of())).error()).isEqualTo(
                "found existing OCSP status for certificate at '" + revoked.certFile() + "': revoked");
        // auto: a revoked staple is served, the server runs
        assertThat(configure(revoked, null).error()).isNull();
        TestPki.Issued noUrl = pki.issue("nourl", true, new TestPki.Extras(true, List.of(), false, false));
        assertThat(configure(noUrl, null).error()).isEqualTo("bad OCSP status update for certificate at '"
                + noUrl.certFile() + "': no available ocsp servers");
        // the url override
        responder.status(noUrl.certificate(), OcspStatus.GOOD);
        assertThat(configure(noUrl, new OcspOptions(OcspOptions.Mode.AUTO, List.of(responder.url()))).error())
                .isNull();
    }

    @Test
    void shouldFallBackToGetAndReportResponderFailures() throws Exception {
        try (TestOcspResponder getOnly = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            getOnly.postFails(true).status(plain.certificate(), OcspStatus.GOOD);
            OcspStapler stapler = new OcspStapler("client", "c.pem", plain.certificate(), pki.caCertificate(), false,
                    List.of(getOnly.url() + "/"), null, Clock.systemUTC());
            assertThat(stapler.status().status()).isEqualTo(OcspStatus.GOOD);
            assertThat(getOnly.hits()).extracting(TestOcspResponder.Hit::method).containsExactly("GET");
            getOnly.postFails(false).httpStatus(500);
            int length = OcspMessages.request(plain.certificate(), pki.caCertificate()).length;
            int encoded = java.util.Base64.getEncoder().encodeToString(OcspMessages.request(plain.certificate(),
                    pki.caCertificate())).length();
            assertThatThrownBy(stapler::remoteStatus).hasMessage("exhausted ocsp servers: non-ok http status on POST"
                    + " request (reqlen=" + length + "): 500\nnon-ok http status on GET request (reqlen=" + encoded
                    + "): 500");
            // the cached staple is still current
            assertThat(stapler.status().status()).isEqualTo(OcspStatus.GOOD);
            stapler.close();
        }
    }

    @Test
    void shouldJudgeValidityAndRefreshHalfwayToNextUpdate() throws Exception {
        Instant now = Instant.now();
        try (TestOcspResponder stale = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            stale.status(plain.certificate(), OcspStatus.GOOD).thisUpdateOffset(Duration.ofHours(-2))
                    .validity(Duration.ofHours(1));
            OcspStapler stapler = new OcspStapler("client", "c.pem", plain.certificate(), pki.caCertificate(), false,
                    List.of(stale.url()), null, Clock.systemUTC());
            assertThatThrownBy(stapler::status).hasMessageStartingWith("invalid ocsp NextUpdate, is past time: ");
            stale.thisUpdateOffset(Duration.ofHours(1));
            assertThatThrownBy(stapler::status).hasMessageStartingWith("invalid ocsp ThisUpdate, is future time: ");
            stale.thisUpdateOffset(Duration.ofMinutes(-1)).validity(null);
            assertThat(stapler.status().nextUpdate()).isNull();
            assertThat(stapler.nextRun()).isEqualTo(OcspStapler.DEFAULT_CHECK_INTERVAL);
            stale.validity(Duration.ofHours(2));
            OcspResponse fresh = stapler.remoteStatus();
            Clock fixed = Clock.fixed(fresh.nextUpdate().minus(Duration.ofHours(1)), ZoneOffset.UTC);
            OcspStapler later = new OcspStapler("client", "c.pem", plain.certificate(), pki.caCertificate(), false,
                    List.of(stale.url()), null, fixed);
            later.status();
            assertThat(later.nextRun()).isEqualTo(Duration.ofMinutes(30));
            OcspStapler past = new OcspStapler("client", "c.pem", plain.certificate(), pki.caCertificate(), false,
                    List.of(stale.url()), null, Clock.fixed(now.plus(Duration.ofHours(3)), ZoneOffset.UTC));
            assertThatThrownBy(past::status).hasMessageStartingWith("invalid ocsp NextUpdate, is past time: ");
            stapler.close();
            later.close();
            past.close();
        }
    }

    @Test
    void shouldKeepStatusFilesInTheStoreDirectory() throws Exception {
        Path store = dir.resolve("store");
        OcspSupport.Setup setup = OcspSupport.configure(options(mustStaple, null), OcspEvents.NONE, store,
                Clock.systemUTC());
        assertThat(setup.error()).isNull();
        Path file = store.resolve("ocsp").resolve(OcspStapler.storeKey(mustStaple.certificate()));
        byte[] saved = Files.readAllBytes(file);
        assertThat(OcspMessages.parse(saved, pki.caCertificate()).status()).isEqualTo(OcspStatus.GOOD);
        setup.support().stop();
        // a new stapler reads the file first: the responder is not asked
        int asked = responder.requests();
        OcspSupport again = OcspSupport.configure(options(mustStaple, null), OcspEvents.NONE, store,
                Clock.systemUTC()).support();
        assertThat(responder.requests()).isEqualTo(asked);
        again.stop();
        Files.writeString(dir.resolve("notadir"), "x");
        assertThat(OcspSupport.configure(options(mustStaple, null), OcspEvents.NONE, dir.resolve("notadir"),
                Clock.systemUTC()).error()).startsWith("could not create OCSP storage directory - ");
    }

    @Test
    void shouldFindTheIssuer() throws Exception {
        TestPki intermediate = pki.intermediate("stapleint", List.of());
        TestPki.Issued bundled = intermediate.issue("bundled", true, new TestPki.Extras(true, List.of(), false,
                true));
        List<X509Certificate> chain;
        try (var in = Files.newInputStream(bundled.certFile())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        }
        assertThat(chain).hasSize(2);
        assertThat(OcspCertificates.issuer(chain, List.of())).isEqualTo(intermediate.caCertificate());
        // the CA file completes a lone certificate
        TestPki.Issued lone = intermediate.issue("lone", true, TestPki.Extras.NONE);
        assertThat(OcspCertificates.issuer(List.of(lone.certificate()), List.of(pki.caCertificate(),
                intermediate.caCertificate()))).isEqualTo(intermediate.caCertificate());
        assertThatThrownBy(() -> OcspCertificates.issuer(List.of(lone.certificate()), List.of(pki.caCertificate())))
                .hasMessage("no issuers found");
        // a second certificate that did not sign the first
        assertThatThrownBy(() -> OcspCertificates.issuer(List.of(lone.certificate(), pki.caCertificate()),
                List.of())).hasMessage("no issuers found");
    }
}
