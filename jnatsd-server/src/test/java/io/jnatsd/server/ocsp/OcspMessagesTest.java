package io.jnatsd.server.ocsp;

import io.jnatsd.server.tls.TestPki;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests and responses as golang.org/x/crypto/ocsp builds and parses them ({@link OcspMessages}). */
class OcspMessagesTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki other;
    private static TestPki.Issued leaf;
    private static TestOcspResponder responder;

    @BeforeAll
    static void setUp() {
        pki = TestPki.create(dir, "messages");
        other = TestPki.create(dir, "other");
        leaf = pki.issue("leaf", true, TestPki.Extras.NONE);
        responder = TestOcspResponder.start(pki.caCertificate(), pki.caKey());
    }

    @AfterAll
    static void tearDown() {
        responder.close();
    }

    private static byte[] ask(TestOcspResponder r, TestPki.Issued cert, X509Issuer issuer) throws Exception {
        byte[] request = OcspMessages.request(cert.certificate(), issuer.cert());
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(r.url())).POST(
                    HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        }
    }

    private record X509Issuer(java.security.cert.X509Certificate cert) {
    }

    @Test
    void shouldBuildGoShapedRequests() throws Exception {
        byte[] der = OcspMessages.request(leaf.certificate(), pki.caCertificate());
        OCSPReq request = new OCSPReq(der);
        assertThat(request.getRequestList()).hasSize(1);
        assertThat(request.hasExtensions()).isFalse();
        assertThat(request.isSigned()).isFalse();
        CertificateID expected = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(pki.caCertificate()),
                leaf.certificate().getSerialNumber());
        assertThat(request.getRequestList()[0].getCertID()).isEqualTo(expected);
        // version omitted, no requestor name: SEQUENCE { SEQUENCE { SEQUENCE OF ... } }
        assertThat(der[0]).isEqualTo((byte) 0x30);
    }

    @Test
    void shouldParseEachStatus() throws Exception {
        for (OcspStatus status : OcspStatus.values()) {
            responder.status(leaf.certificate(), status);
            OcspResponse r = OcspMessages.parse(ask(responder, leaf, new X509Issuer(pki.caCertificate())),
                    pki.caCertificate());
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.serialNumber()).isEqualTo(leaf.certificate().getSerialNumber());
            assertThat(r.nextUpdate()).isAfter(r.thisUpdate());
            assertThat(r.signer()).isNull();
            if (status == OcspStatus.REVOKED) {
                assertThat(r.revokedAt()).isBefore(r.thisUpdate());
                assertThat(r.revocationReason()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldParseAResponseWithoutNextUpdate() throws Exception {
        try (TestOcspResponder open = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            open.status(leaf.certificate(), OcspStatus.GOOD).validity(null);
            OcspResponse r = OcspMessages.parse(ask(open, leaf, new X509Issuer(pki.caCertificate())),
                    pki.caCertificate());
            assertThat(r.nextUpdate()).isNull();
        }
    }

    @Test
    void shouldRefuseAResponseSignedByAnotherIssuer() throws Exception {
        responder.status(leaf.certificate(), OcspStatus.GOOD);
        byte[] raw = ask(responder, leaf, new X509Issuer(pki.caCertificate()));
        assertThatThrownBy(() -> OcspMessages.parse(raw, other.caCertificate()))
                .isInstanceOf(OcspException.class).hasMessage("bad OCSP signature: x509: ECDSA verification failure");
        // without an issuer the signature is not checked (x/crypto/ocsp with a nil issuer)
        assertThat(OcspMessages.parse(raw, null).status()).isEqualTo(OcspStatus.GOOD);
    }

    @Test
    void shouldCheckAnEmbeddedSigner() throws Exception {
        TestPki.Issued delegate = pki.issue("delegate", false, new TestPki.Extras(false, List.of(), true, false));
        try (TestOcspResponder delegated = TestOcspResponder.start(pki.caCertificate(), delegate.certificate(),
                delegate.key())) {
            delegated.status(leaf.certificate(), OcspStatus.GOOD);
            byte[] raw = ask(delegated, leaf, new X509Issuer(pki.caCertificate()));
            OcspResponse r = OcspMessages.parse(raw, pki.caCertificate());
            assertThat(r.signer()).isEqualTo(delegate.certificate());
            assertThatThrownBy(() -> OcspMessages.parse(raw, other.caCertificate()))
                    .hasMessage("bad OCSP signature: x509: ECDSA verification failure");
        }
        TestPki.Issued stranger = other.issue("stranger", false, TestPki.Extras.NONE);
        try (TestOcspResponder forged = TestOcspResponder.start(pki.caCertificate(), stranger.certificate(),
                pki.caKey())) {
            forged.status(leaf.certificate(), OcspStatus.GOOD);
            byte[] raw = ask(forged, leaf, new X509Issuer(pki.caCertificate()));
            assertThatThrownBy(() -> OcspMessages.parse(raw, pki.caCertificate()))
                    .hasMessage("bad signature on embedded certificate: x509: ECDSA verification failure");
        }
    }

    @Test
    void shouldReportErrorStatusesAndGarbage() throws Exception {
        try (TestOcspResponder busy = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            busy.responseStatus(3);
            byte[] raw = ask(busy, leaf, new X509Issuer(pki.caCertificate()));
            assertThatThrownBy(() -> OcspMessages.parse(raw, pki.caCertificate()))
                    .hasMessage("ocsp: error from server: try later");
            busy.responseStatus(6);
            byte[] unauthorized = ask(busy, leaf, new X509Issuer(pki.caCertificate()));
            assertThatThrownBy(() -> OcspMessages.parse(unauthorized, pki.caCertificate()))
                    .hasMessage("ocsp: error from server: unauthorized");
        }
        responder.status(leaf.certificate(), OcspStatus.GOOD);
        byte[] good = ask(responder, leaf, new X509Issuer(pki.caCertificate()));
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> OcspMessages.parse(trailing, pki.caCertificate()))
                .hasMessage("trailing data in OCSP response");
        assertThatThrownBy(() -> OcspMessages.parse(new byte[] {1, 2, 3}, pki.caCertificate()))
                .isInstanceOf(OcspException.class);
        assertThat(OcspMessages.responseStatusText(4)).isEqualTo("unknown OCSP status: 4");
    }

    @Test
    void shouldFindTheResponseOfACertificate() throws Exception {
        responder.status(leaf.certificate(), OcspStatus.REVOKED);
        byte[] raw = ask(responder, leaf, new X509Issuer(pki.caCertificate()));
        assertThat(OcspMessages.parse(raw, leaf.certificate(), pki.caCertificate()).status())
                .isEqualTo(OcspStatus.REVOKED);
        TestPki.Issued another = pki.issue("another", true, TestPki.Extras.NONE);
        assertThatThrownBy(() -> OcspMessages.parse(raw, another.certificate(), pki.caCertificate()))
                .hasMessage("no response matching the supplied certificate");
    }

    @Test
    void shouldSpeakGoHttpErrors() throws IOException {
        try (OcspHttp http = new OcspHttp(Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> http.fetchForStaple(List.of("http://127.0.0.1:1"), new byte[] {1}))
                    .hasMessage("exhausted ocsp servers: Post \"http://127.0.0.1:1\": dial tcp 127.0.0.1:1: connect:"
                            + " connection refused\nGet \"http://127.0.0.1:1/AQ==\": dial tcp 127.0.0.1:1: connect:"
                            + " connection refused");
        }
    }
}
