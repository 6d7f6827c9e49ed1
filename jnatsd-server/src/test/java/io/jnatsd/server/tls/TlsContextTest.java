package io.jnatsd.server.tls;

import io.jnatsd.config.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsContextTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued server;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "ctx");
        server = pki.server("server");
    }

    private static TlsOptions.Builder options() {
        return TlsOptions.builder().certificate(server.certFile(), server.keyFile());
    }

    private static SSLEngine engine(TlsContext context) {
        SslHandler handler = context.newSslHandler(ByteBufAllocator.DEFAULT, false);
        return handler.engine();
    }

    @Test
    void shouldEnableEveryTls13SuiteAndTheConfiguredTls12SuitesInOrder() {
        TlsContext context = TlsContext.create(options().cipherSuites(List.of(
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).build(), null);
        assertThat(context.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        SSLEngine engine = engine(context);
        assertThat(engine.getEnabledCipherSuites()).containsExactlyElementsOf(context.cipherSuites());
        assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        assertThat(engine.getUseClientMode()).isFalse();
    }

    @Test
    void shouldDropSuitesTheJdkNoLongerOffers() {
        TlsContext context = TlsContext.create(options().allowInsecureCipherSuites(true).cipherSuites(List.of(
                "TLS_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")).build(), null);
        assertThat(context.cipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
                .doesNotContain("TLS_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_SHA");
    }

    @Test
    void shouldMapCurvesAndVersions() throws Exception {
        SSLEngine engine = engine(TlsContext.create(options().curvePreferences(List.of("CurveP384", "X25519"))
                .minVersion("1.3").build(), null));
        assertThat(engine.getSSLParameters().getNamedGroups()).containsExactly("secp384r1", "x25519");
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        SSLEngine defaults = engine(TlsContext.create(options().build(), null));
        assertThat(defaults.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        List<String> expected = new java.util.ArrayList<>(List.of("x25519", "secp256r1", "secp384r1", "secp521r1"));
        if (List.of(SSLContext.getDefault().getSupportedSSLParameters().getNamedGroups())
                .contains("X25519MLKEM768")) {
            expected.addFirst("X25519MLKEM768");
        }
        assertThat(defaults.getSSLParameters().getNamedGroups()).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldRefuseCurvePreferencesTheJdkCannotHonour() throws Exception {
        boolean hybrid = List.of(SSLContext.getDefault().getSupportedSSLParameters().getNamedGroups())
                .contains("X25519MLKEM768");
        TlsOptions onlyHybrid = options().curvePreferences(List.of("X25519MLKEM768")).build();
        if (hybrid) {
            assertThat(TlsContext.create(onlyHybrid, null).options()).isSameAs(onlyHybrid);
        } else {
            assertThatThrownBy(() -> TlsContext.create(onlyHybrid, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("none of the curve preferences [X25519MLKEM768] is available from the JDK TLS"
                            + " provider");
        }
    }

    @Test
    void shouldAskForClientCertificatesOnlyWithVerify() {
        assertThat(engine(TlsContext.create(options().build(), null)).getNeedClientAuth()).isFalse();
        assertThat(engine(TlsContext.create(options().verify(true).caFile(pki.caFile()).build(), null))
                .getNeedClientAuth()).isTrue();
        assertThat(engine(TlsContext.create(options().verify(true).build(), null)).getNeedClientAuth()).isTrue();
    }

    @Test
    void shouldRefuseDisabledOptions() {
        assertThatThrownBy(() -> TlsContext.create(TlsOptions.disabled(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPickTheCertificateForTheSniNameElseTheFirst() {
        TestPki.Issued other = pki.issue("other", TestPki.Algorithm.EC, TestPki.KeyFormat.PKCS8, true, false,
                List.of("*.example.com"));
        List<TlsOptions.CertificateKeyPair> pairs = List.of(
                TlsOptions.CertificateKeyPair.load(server.certFile(), server.keyFile()),
                TlsOptions.CertificateKeyPair.load(other.certFile(), other.keyFile()));
        assertThat(SniKeyManager.validFor(other.certificate(), "nats.example.com")).isTrue();
        assertThat(SniKeyManager.validFor(other.certificate(), "a.b.example.com")).isFalse();
        assertThat(SniKeyManager.validFor(server.certificate(), "localhost")).isTrue();
        SniKeyManager keys = new SniKeyManager(pairs);
        assertThat(keys.chooseEngineServerAlias("EC", null, null)).isEqualTo("0");
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(keys.getCertificateChain("1")).containsExactly(other.certificate());
        assertThat(keys.getPrivateKey("1")).isEqualTo(pairs.get(1).key());
        assertThat(keys.getServerAliases("EC", null)).containsExactly("0", "1");
        assertThat(keys.getCertificateChain("2")).isNull();
    }

    @Test
    void shouldHashTheSubjectPublicKeyInfoForPinning() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(server.certificate().getPublicKey().getEncoded()));
        assertThat(PinnedCerts.keyId(server.certificate())).isEqualTo(expected).hasSize(64);
        assertThat(PinnedCerts.matches(null, Set.of())).isTrue();
        assertThat(PinnedCerts.matches(null, Set.of(expected))).isFalse();
    }

    @Test
    void shouldAllowLimitHandshakesPerSecondWindow() {
        AtomicLong now = new AtomicLong(1_000);
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(2, now::get);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(limiter.takeBlocked()).isEqualTo(2);
        assertThat(limiter.takeBlocked()).isZero();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1) + 1);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThatThrownBy(() -> new HandshakeRateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWordHandshakeFailuresAsNatsServer() {
        assertThat(HandshakeErrors.describe(new DecoderException(new NotSslRecordException("not an SSL/TLS record"))))
                .isEqualTo(new HandshakeErrors.Described("tls: first record does not look like a TLS handshake",
                        true));
        assertThat(HandshakeErrors.describe(new ClosedChannelException()).text()).isEqualTo("EOF");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException("Empty client certificate chain")).text())
                .isEqualTo("tls: client didn't provide a certificate");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException("PKIX path building failed",
                new CertificateException("unable to find valid certification path to requested target"))).text())
                .isEqualTo("tls: failed to verify certificate: x509: certificate signed by unknown authority");
        SSLHandshakeException expired = new SSLHandshakeException("validity");
        expired.initCause(new CertificateExpiredException("NotAfter"));
        assertThat(HandshakeErrors.describe(expired).text()).startsWith(
                "tls: failed to verify certificate: x509: certificate has expired");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException("no cipher suites in common")).text())
                .isEqualTo("tls: no cipher suite supported by both client and server");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException("something else")))
                .isEqualTo(new HandshakeErrors.Described("something else", false));
    }
}
