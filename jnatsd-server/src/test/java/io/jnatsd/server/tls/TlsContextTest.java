package io.jnatsd.server.tls;

import io.jnatsd.config.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionStats;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
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

/**
 * {@link TlsContext} with whichever provider {@code -Djnatsd.tls.provider} selects: the surefire executions run this
 * class with the JDK's and with OpenSSL (see the pom). Handshakes run engine to engine in memory, the client being
 * the JDK's.
 */
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

    /** Whether the tests run with the OpenSSL provider ({@code -Djnatsd.tls.provider}, see the pom). */
    private static boolean openssl() {
        return TlsContext.provider() == SslProvider.OPENSSL;
    }

    private static final Set<String> TLS13_SUITES = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    @Test
    void shouldUseTheProviderTheSystemPropertyAsksFor() {
        TlsContext context = TlsContext.create(options().build(), null);
        String wanted = System.getProperty(TlsContext.PROVIDER_PROPERTY, TlsContext.DEFAULT_PROVIDER);
        assertThat(context.providerName()).isEqualTo(wanted.equals(TlsContext.OPENSSL) ? "OpenSSL" : "JDK");
    }

    @Test
    void shouldFallBackToTheJdkWithALogLineWhereOpenSslIsMissing() {
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("no netty_tcnative_linux_aarch_64");
        TlsContext.ProviderChoice explicit = TlsContext.chooseProvider("openssl", false, missing);
        assertThat(explicit.provider()).isEqualTo(SslProvider.JDK);
        assertThat(explicit.warn()).isTrue();
        assertThat(explicit.notice()).isEqualTo("TLS provider OpenSSL is not available on this platform"
                + " (netty-tcnative-boringssl-static: UnsatisfiedLinkError: no netty_tcnative_linux_aarch_64),"
                + " using the JDK's");
        TlsContext.ProviderChoice byDefault = TlsContext.chooseProvider(null, false, missing);
        assertThat(byDefault.provider()).isEqualTo(SslProvider.JDK);
        if (TlsContext.DEFAULT_PROVIDER.equals(TlsContext.OPENSSL)) {
            assertThat(byDefault.warn()).isFalse();
            assertThat(byDefault.notice()).startsWith("TLS provider OpenSSL is not available on this platform");
        } else {
            assertThat(byDefault.notice()).isNull();
        }
    }

    @Test
    void shouldHonourAnExplicitProviderAndWarnAboutUnknownOnes() {
        assertThat(TlsContext.chooseProvider("OpenSSL", true, null))
                .isEqualTo(new TlsContext.ProviderChoice(SslProvider.OPENSSL, null, false));
        assertThat(TlsContext.chooseProvider(" jdk ", true, null))
                .isEqualTo(new TlsContext.ProviderChoice(SslProvider.JDK, null, false));
        TlsContext.ProviderChoice bogus = TlsContext.chooseProvider("bouncy", true, null);
        assertThat(bogus.provider()).isEqualTo(TlsContext.DEFAULT_PROVIDER.equals(TlsContext.OPENSSL)
                ? SslProvider.OPENSSL : SslProvider.JDK);
        assertThat(bogus.warn()).isTrue();
        assertThat(bogus.notice()).isEqualTo("jnatsd.tls.provider: bouncy (expected: jdk or openssl), using the"
                + " default, " + TlsContext.DEFAULT_PROVIDER);
    }

    @Test
    void shouldEnableEveryTls13SuiteAndTheConfiguredTls12SuitesInOrder() {
        TlsContext context = TlsContext.create(options().cipherSuites(List.of(
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).build(), null);
        // TLS 1.3 first for the JDK; OpenSSL lists them after the configurable (TLS 1.2) suites
        assertThat(context.cipherSuites()).filteredOn(TLS13_SUITES::contains)
                .containsExactlyInAnyOrderElementsOf(TLS13_SUITES);
        assertThat(context.cipherSuites()).filteredOn(s -> !TLS13_SUITES.contains(s)).containsExactly(
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        SSLEngine engine = engine(context);
        assertThat(engine.getEnabledCipherSuites()).containsExactlyInAnyOrderElementsOf(context.cipherSuites());
        assertThat(engine.getUseClientMode()).isFalse();
        if (!openssl()) {
            assertThat(engine.getEnabledCipherSuites()).containsExactlyElementsOf(context.cipherSuites());
            assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        }
    }

    @Test
    void shouldNegotiateTheServersFirstTls12SuiteTheClientOffers() throws Exception {
        TlsContext context = TlsContext.create(options().cipherSuites(List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).build(), null);
        SSLEngine client = client("TLSv1.2");
        client.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"});

        SSLSession session = EngineHandshake.run(client, engine(context));

        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        SSLEngine unlisted = client("TLSv1.2");
        unlisted.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"});
        assertThatThrownBy(() -> EngineHandshake.run(unlisted, engine(context))).isInstanceOf(SSLException.class);
    }

    @Test
    void shouldNeverRestrictTls13Suites() throws Exception {
        TlsContext context = TlsContext.create(options().cipherSuites(List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).build(), null);
        SSLEngine client = client("TLSv1.3");
        client.setEnabledCipherSuites(new String[] {"TLS_CHACHA20_POLY1305_SHA256"});

        assertThat(EngineHandshake.run(client, engine(context)).getCipherSuite())
                .isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void shouldDropSuitesTheProviderNoLongerOffers() {
        TlsContext context = TlsContext.create(options().allowInsecureCipherSuites(true).cipherSuites(List.of(
                "TLS_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")).build(), null);
        assertThat(context.cipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
                .doesNotContain("TLS_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_SHA");
    }

    @Test
    void shouldMapCurvesAndVersions() throws Exception {
        SSLEngine engine = engine(TlsContext.create(options().curvePreferences(List.of("CurveP384", "X25519"))
                .minVersion("1.3").build(), null));
        assertThat(engine.getSSLParameters().getNamedGroups()).containsExactlyElementsOf(openssl()
                ? List.of("P-384", "X25519") : List.of("secp384r1", "x25519"));
        // the OpenSSL engine also lists Netty's "SSLv2Hello" pseudo-protocol (BoringSSL never accepts one)
        assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello")).containsExactly("TLSv1.3");
        SSLEngine defaults = engine(TlsContext.create(options().build(), null));
        assertThat(defaults.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        if (!openssl()) {
            List<String> expected = new java.util.ArrayList<>(List.of("x25519", "secp256r1", "secp384r1",
                    "secp521r1"));
            if (List.of(SSLContext.getDefault().getSupportedSSLParameters().getNamedGroups())
                    .contains("X25519MLKEM768")) {
                expected.addFirst("X25519MLKEM768");
            }
            assertThat(defaults.getSSLParameters().getNamedGroups()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldAgreeOnlyOnConfiguredCurves() throws Exception {
        // P-256, the curve of the test certificates: the JDK also refuses ECDSA certificates on other curves
        TlsContext context = TlsContext.create(options().curvePreferences(List.of("CurveP256")).build(), null);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLEngine p256 = client(protocol);
            SSLParameters parameters = p256.getSSLParameters();
            parameters.setNamedGroups(new String[] {"x25519", "secp256r1"});
            p256.setSSLParameters(parameters);
            assertThat(EngineHandshake.run(p256, engine(context)).getProtocol()).isEqualTo(protocol);

            SSLEngine x25519 = client(protocol);
            parameters = x25519.getSSLParameters();
            parameters.setNamedGroups(new String[] {"x25519"});
            x25519.setSSLParameters(parameters);
            assertThatThrownBy(() -> EngineHandshake.run(x25519, engine(context))).as(protocol)
                    .isInstanceOf(SSLException.class);
        }
    }

    /**
     * Go (and OpenSSL) use a P-256 ECDSA certificate whatever {@code curve_preferences} says; the JDK's TLS 1.2 also
     * requires the certificate's curve among the server's named groups (a documented difference of that provider).
     */
    @Test
    void shouldUseAnEcdsaCertificateOutsideTheCurvePreferencesExceptWithTheJdkOnTls12() throws Exception {
        TlsContext context = TlsContext.create(options().curvePreferences(List.of("CurveP384")).build(), null);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLEngine client = client(protocol);
            SSLParameters parameters = client.getSSLParameters();
            parameters.setNamedGroups(new String[] {"x25519", "secp256r1", "secp384r1"});
            client.setSSLParameters(parameters);
            if (protocol.equals("TLSv1.2") && !openssl()) {
                assertThatThrownBy(() -> EngineHandshake.run(client, engine(context)))
                        .hasMessageContaining("no cipher suites in common");
            } else {
                assertThat(EngineHandshake.run(client, engine(context)).getProtocol()).isEqualTo(protocol);
            }
        }
    }

    @Test
    void shouldRefuseTls12BelowMinVersion13() throws Exception {
        TlsContext context = TlsContext.create(options().minVersion("1.3").build(), null);
        assertThatThrownBy(() -> EngineHandshake.run(client("TLSv1.2"), engine(context)))
                .isInstanceOf(SSLException.class);
        assertThat(EngineHandshake.run(client("TLSv1.3"), engine(context)).getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void shouldRefuseCurvePreferencesTheProviderCannotHonour() throws Exception {
        boolean hybrid = openssl() ? OpenSslGroups.SUPPORTED.contains("X25519MLKEM768")
                : List.of(SSLContext.getDefault().getSupportedSSLParameters().getNamedGroups())
                        .contains("X25519MLKEM768");
        TlsOptions onlyHybrid = options().curvePreferences(List.of("X25519MLKEM768")).build();
        if (hybrid) {
            assertThat(TlsContext.create(onlyHybrid, null).options()).isSameAs(onlyHybrid);
        } else {
            assertThatThrownBy(() -> TlsContext.create(onlyHybrid, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("none of the curve preferences [X25519MLKEM768] is available from the "
                            + (openssl() ? "OpenSSL" : "JDK") + " TLS provider");
        }
    }

    @Test
    void shouldPresentTheCertificateForTheSniName() throws Exception {
        TestPki.Issued other = pki.issue("sni", TestPki.Algorithm.EC, TestPki.KeyFormat.PKCS8, true, false,
                List.of("*.example.com"));
        TlsContext context = TlsContext.create(TlsOptions.builder().certificates(List.of(
                TlsOptions.CertificateKeyPair.load(server.certFile(), server.keyFile()),
                TlsOptions.CertificateKeyPair.load(other.certFile(), other.keyFile()))).build(), null);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLEngine named = client(protocol);
            SSLParameters parameters = named.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("nats.example.com")));
            named.setSSLParameters(parameters);
            assertThat(EngineHandshake.run(named, engine(context)).getPeerCertificates()[0]).as(protocol)
                    .isEqualTo(other.certificate());
            assertThat(EngineHandshake.run(client(protocol), engine(context)).getPeerCertificates()[0]).as(protocol)
                    .isEqualTo(server.certificate());
        }
    }

    @Test
    void shouldVerifyClientCertificatesAndExposeThemForPinning() throws Exception {
        TestPki.Issued clientCert = pki.client("ctx-client");
        TlsContext context = TlsContext.create(options().verify(true).caFile(pki.caFile()).build(), null);
        SSLEngine serverEngine = engine(context);

        EngineHandshake.run(pki.clientContext(clientCert).createSSLEngine(), serverEngine);

        SSLSession session = serverEngine.getSession();
        assertThat(session.getPeerCertificates()[0]).isEqualTo(clientCert.certificate());
        assertThat(PinnedCerts.matches(session, Set.of(PinnedCerts.keyId(clientCert.certificate())))).isTrue();
        assertThat(PinnedCerts.matches(session, Set.of(PinnedCerts.keyId(server.certificate())))).isFalse();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            assertThatThrownBy(() -> EngineHandshake.run(client(protocol), engine(context))).as(protocol)
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void shouldIssueSessionTicketsSoThatClientsCanResume() throws Exception {
        TlsContext context = TlsContext.create(options().build(), null);
        SSLContext client = pki.clientContext(null);
        for (int i = 0; i < 3; i++) {
            SSLEngine engine = client.createSSLEngine("localhost", 4222);   // host and port: the session cache key
            engine.setEnabledProtocols(new String[] {"TLSv1.3"});
            EngineHandshake.run(engine, engine(context));
        }
        if (openssl()) {
            OpenSslSessionStats stats = ((OpenSslSessionContext) context.sslContext().sessionContext()).stats();
            assertThat(stats.ticketKeyNew()).as("tickets issued").isPositive();
            assertThat(stats.ticketKeyResume()).as("sessions resumed from a ticket").isPositive();
        }
    }

    /** A client engine trusting the test CA, limited to {@code protocol}. */
    private static SSLEngine client(String protocol) {
        SSLEngine engine = pki.clientContext(null).createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        return engine;
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
        // the OpenSSL provider's reasons
        assertThat(HandshakeErrors.describe(new SSLHandshakeException(
                "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE")).text())
                .isEqualTo("tls: client didn't provide a certificate");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException(
                "error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER")).text())
                .isEqualTo("tls: no cipher suite supported by both client and server");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException(
                "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED")).text())
                .isEqualTo("tls: failed to verify certificate: x509: certificate signed by unknown authority");
        assertThat(HandshakeErrors.describe(new SSLHandshakeException("something else")))
                .isEqualTo(new HandshakeErrors.Described("something else", false));
    }
}
