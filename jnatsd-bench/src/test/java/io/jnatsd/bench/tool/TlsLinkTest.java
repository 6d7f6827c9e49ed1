package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's TLS against its in-process sink: the throw-away certificates, both client providers and both
 * versions, and data both ways through {@link TlsLink}.
 */
class TlsLinkTest {

    @TempDir
    Path dir;

    @Test
    void shouldIssueAServerCertificateForLoopbackSignedByTheCa() throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(dir);

        X509Certificate ca = pki.caCertificate();
        X509Certificate server = pki.serverCertificate();
        server.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames().stream().map(e -> String.valueOf(e.get(1))))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        server.checkValidity();
        assertThat(pki.tlsBlock()).contains("cert_file: \"" + pki.certFile().toAbsolutePath() + "\"", "timeout: 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {TlsClient.JDK, TlsClient.OPENSSL})
    void shouldHandshakeEitherVersionAndCarryMessagesBothWays(String provider) throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(dir);
        SslContext sink = TlsClient.serverContext(pki.certFile(), pki.keyFile(), TlsClient.defaultProvider());
        TlsClient client = new TlsClient(pki.caFile(), TlsClient.DEFAULT_PROTOCOLS, provider);
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            try (TlsSink pong = new TlsSink(sink, TlsSink.Mode.PONG, null);
                 NatsConn conn = NatsConn.open(pong.url(client.withProtocols(List.of(version))), "t", 4096,
                         (l, n, s, p) -> { })) {
                conn.flush(BenchOptions.seconds(10));
                assertThat(conn.tlsProtocol()).isEqualTo(version);
            }
        }
        GeneratorCeiling.TlsPlan plan = new GeneratorCeiling.TlsPlan(List.of(1024), List.of("1.3"), 1, client, sink);
        assertThat(GeneratorCeiling.measureTlsPublisher(1024, BenchOptions.millis(100), 64 * 1024, plan))
                .isPositive();
        assertThat(GeneratorCeiling.measureTlsReader(65536, BenchOptions.millis(100), 128 * 1024, 256 * 1024, plan))
                .isPositive();
    }

    @Test
    void shouldRefuseAServerItDoesNotTrust() throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(dir.resolve("a"));
        ThrowawayPki other = ThrowawayPki.create(dir.resolve("b"));
        SslContext sink = TlsClient.serverContext(pki.certFile(), pki.keyFile(), TlsClient.defaultProvider());
        try (TlsSink pong = new TlsSink(sink, TlsSink.Mode.PONG, null)) {
            ServerUrl url = pong.url(TlsClient.defaults().withCaFile(other.caFile()));
            assertThatThrownBy(() -> NatsConn.open(url, "t", 4096, (l, n, s, p) -> { }).close())
                    .isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }
}
