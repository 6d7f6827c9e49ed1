package io.jnatsd.server.ocsp;

import io.jnatsd.config.OcspCacheOptions;
import io.jnatsd.config.OcspPeerOptions;
import io.jnatsd.server.auth.CertificateIdentity;
import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nats-server's peer verification rules ({@code ocsp_peer.go peerOCSPValid}, {@code certOCSPGood}) on verified
 * chains root CA → intermediate (responder named in its certificate) → client, with every {@code ocsp_peer}
 * option and the response cache.
 */
class OcspPeerVerifierTest {

    @TempDir
    static Path dir;

    private static TestPki root;
    private static TestPki intermediate;
    private static TestOcspResponder rootResponder;
    private static TestOcspResponder intermediateResponder;
    private static TestPki.Issued client;

    private final List<String> events = new ArrayList<>();
    private OcspResponseCache cache;

    @BeforeAll
    static void setUp() {
        root = TestPki.create(dir, "peerroot");
        rootResponder = TestOcspResponder.start(root.caCertificate(), root.caKey());
        intermediate = root.intermediate("peerint", List.of(rootResponder.url()));
        intermediateResponder = TestOcspResponder.start(intermediate.caCertificate(), intermediate.caKey());
        client = intermediate.issue("client", false, new TestPki.Extras(false, List.of(intermediateResponder.url()),
                false, true));
    }

    @AfterAll
    static void tearDown() {
        rootResponder.close();
        intermediateResponder.close();
    }

    @BeforeEach
    void goodEverywhere() {
        rootResponder.status(intermediate.caCertificate(), OcspStatus.GOOD).httpStatus(200).validity(
                Duration.ofHours(1));
        intermediateResponder.status(client.certificate(), OcspStatus.GOOD).httpStatus(200).validity(
                Duration.ofHours(1)).thisUpdateOffset(Duration.ofMinutes(-1));
        cache = new OcspResponseCache(OcspCacheOptions.DEFAULTS.withLocalStore(dir.resolve("rc-"
                + System.nanoTime()).toString()), Clock.systemUTC());
        cache.start();
    }

    private OcspPeerVerifier verifier(OcspPeerOptions options) {
        return new OcspPeerVerifier("client", options, () -> cache, new OcspEvents() {
            @Override
            public void peerRejected(String kind, X509Certificate peer, String reason) {
                events.add("reject " + kind + " " + CertificateIdentity.subjectString(peer) + ": " + reason);
            }

            @Override
            public void linkInvalid(X509Certificate peer, X509Certificate link, String reason) {
                events.add("link " + CertificateIdentity.subjectString(link) + ": " + reason);
            }
        }, Clock.systemUTC());
    }

    private static List<X509Certificate> chain() {
        return List.of(client.certificate(), intermediate.caCertificate(), root.caCertificate());
    }

    private static final OcspPeerOptions VERIFY = OcspPeerOptions.of(true);

    @Test
    void shouldAcceptGoodChainsAndCacheTheAnswers() {
        OcspPeerVerifier verifier = verifier(VERIFY);
        assertThat(verifier.acceptClient(chain())).isTrue();
        assertThat(cache.stats()).isEqualTo(new OcspResponseCache.Stats(2, 0, 2, 0, 2, 0));
        int asked = intermediateResponder.requests() + rootResponder.requests();
        assertThat(verifier.acceptClient(chain())).isTrue();
        assertThat(intermediateResponder.requests() + rootResponder.requests()).isEqualTo(asked);
        assertThat(cache.stats()).isEqualTo(new OcspResponseCache.Stats(2, 2, 2, 0, 2, 0));
        assertThat(events).isEmpty();
    }

    @Test
    void shouldAcceptSelfSignedAndChainsWithoutResponders() {
        OcspPeerVerifier verifier = verifier(VERIFY);
        assertThat(verifier.acceptClient(List.of(root.caCertificate()))).isTrue();
        TestPki.Issued quiet = root.issue("quiet", false, TestPki.Extras.NONE);
        assertThat(verifier.acceptClient(List.of(quiet.certificate(), root.caCertificate()))).isTrue();
        assertThat(verifier.acceptClient(List.of())).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRejectRevokedAndUnknownLinks() {
        intermediateResponder.status(client.certificate(), OcspStatus.REVOKED);
        assertThat(verifier(VERIFY).acceptClient(chain())).isFalse();
        assertThat(events).containsExactly(
                "link CN=client,O=jnatsd tests: Invalid OCSP response status: revoked",
                "reject client CN=client,O=jnatsd tests: client not OCSP valid");
        events.clear();
        cache.delete(OcspCertificates.fingerprint(client.certificate()), false);
        intermediateResponder.status(client.certificate(), OcspStatus.UNKNOWN);
        assertThat(verifier(VERIFY).acceptClient(chain())).isFalse();
        assertThat(events.getFirst()).endsWith("Invalid OCSP response status: unknown");
        assertThat(verifier(VERIFY.withUnknownIsGood(true)).acceptClient(chain())).isTrue();
        // an intermediate revoked by the root
        rootResponder.status(intermediate.caCertificate(), OcspStatus.REVOKED);
        cache.delete(OcspCertificates.fingerprint(intermediate.caCertificate()), false);
        events.clear();
        assertThat(verifier(VERIFY.withUnknownIsGood(true)).acceptClient(chain())).isFalse();
        assertThat(events.getFirst()).isEqualTo("link CN=peerint CA,O=jnatsd tests: Invalid OCSP response status:"
                + " revoked");
    }

    @Test
    void shouldAllowWhatWouldBeRefusedWithWarnOnly() {
        intermediateResponder.status(client.certificate(), OcspStatus.REVOKED);
        assertThat(verifier(VERIFY.withWarnOnly(true)).acceptClient(chain())).isTrue();
        intermediateResponder.httpStatus(500);
        cache.stop();
        assertThat(verifier(VERIFY.withWarnOnly(true)).acceptClient(chain())).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRefuseWhenTheResponderIsDownUnlessAllowed() {
        intermediateResponder.httpStatus(500);
        assertThat(verifier(VERIFY).acceptClient(chain())).isFalse();
        assertThat(events.getFirst()).isEqualTo("link CN=client,O=jnatsd tests: Failed OCSP response fetch");
        assertThat(verifier(VERIFY.withAllowWhenCaUnreachable(true)).acceptClient(chain())).isTrue();
    }

    @Test
    void shouldRefuseWhenUnreachableAndARevocationIsCached() {
        intermediateResponder.status(client.certificate(), OcspStatus.REVOKED).validity(Duration.ofSeconds(1))
                .thisUpdateOffset(Duration.ofMinutes(-2));
        OcspPeerOptions options = VERIFY.withAllowWhenCaUnreachable(true).withClockSkew(Duration.ZERO);
        // the answer is already expired: not current, so refused, and not cached
        assertThat(verifier(options).acceptClient(chain())).isFalse();
        assertThat(events.getFirst()).endsWith("OCSP response not in effectivity window");
        // a current revocation is cached, then expires while the responder is down
        intermediateResponder.validity(Duration.ofHours(1)).thisUpdateOffset(Duration.ofMinutes(-1));
        OcspCacheOptions preserve = OcspCacheOptions.DEFAULTS.withPreserveRevoked(true)
                .withLocalStore(dir.resolve("rc-preserve").toString());
        cache.stop();
        cache = new OcspResponseCache(preserve, Clock.systemUTC());
        cache.start();
        assertThat(verifier(options).acceptClient(chain())).isFalse();
        intermediateResponder.httpStatus(500);
        OcspPeerVerifier later = new OcspPeerVerifier("client", options, () -> cache, OcspEvents.NONE,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertThat(later.acceptClient(chain())).isFalse();
        // preserve_revoked kept the expired revocation
        assertThat(cache.stats().revokes()).isEqualTo(1);
    }

    @Test
    void shouldJudgeEffectivityWithClockSkewAndTtl() {
        intermediateResponder.validity(null);
        // no next update: current for cache_ttl_when_next_update_unset after this update
        assertThat(verifier(VERIFY).acceptClient(chain())).isTrue();
        OcspPeerVerifier shortTtl = verifier(VERIFY.withTtlUnsetNextUpdate(Duration.ofSeconds(1))
                .withClockSkew(Duration.ZERO));
        cache.stop();
        assertThat(shortTtl.acceptClient(chain())).isFalse();
        assertThat(events.getFirst()).endsWith("OCSP response not in effectivity window");
        // a future this update within the skew is fine
        intermediateResponder.validity(Duration.ofHours(1)).thisUpdateOffset(Duration.ofSeconds(10));
        assertThat(verifier(VERIFY).acceptClient(chain())).isTrue();
        assertThat(verifier(VERIFY.withClockSkew(Duration.ZERO)).acceptClient(chain())).isFalse();
    }

    @Test
    void shouldCheckResponseDelegation() throws Exception {
        TestPki.Issued delegate = intermediate.issue("delegate", false, new TestPki.Extras(false, List.of(), true,
                false));
        TestPki.Issued notDelegate = intermediate.issue("notdelegate", false, TestPki.Extras.NONE);
        try (TestOcspResponder good = TestOcspResponder.start(intermediate.caCertificate(), delegate.certificate(),
                delegate.key());
             TestOcspResponder bad = TestOcspResponder.start(intermediate.caCertificate(), notDelegate.certificate(),
                     notDelegate.key())) {
            TestPki.Issued viaGood = intermediate.issue("viagood", false, new TestPki.Extras(false,
                    List.of(good.url()), false, false));
            TestPki.Issued viaBad = intermediate.issue("viabad", false, new TestPki.Extras(false,
                    List.of(bad.url()), false, false));
            good.status(viaGood.certificate(), OcspStatus.GOOD);
            bad.status(viaBad.certificate(), OcspStatus.GOOD);
            assertThat(verifier(VERIFY).acceptClient(List.of(viaGood.certificate(), intermediate.caCertificate(),
                    root.caCertificate()))).isTrue();
            assertThat(verifier(VERIFY).acceptClient(List.of(viaBad.certificate(), intermediate.caCertificate(),
                    root.caCertificate()))).isFalse();
            assertThat(events.getFirst()).isEqualTo("link CN=viabad,O=jnatsd tests: Invalid OCSP response"
                    + " delegation: CN=viabad,O=jnatsd tests");
        }
    }
}
