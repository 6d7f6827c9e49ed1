package io.jnatsd.server;

import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.tls.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The TLS part of a config reload (nats-server reload.go tlsOption and friends). */
class ReloadTlsTest {

    @TempDir
    static Path dir;

    private static TestPki.Issued server;
    private static TestPki.Issued renewed;

    @BeforeAll
    static void createPki() {
        TestPki pki = TestPki.create(dir, "reload");
        server = pki.server("server");
        renewed = pki.server("renewed");
    }

    private static ServerOptions with(UnaryOperator<TlsOptions.Builder> tls) {
        return ServerOptions.builder().tls(tls.apply(TlsOptions.builder().certificate(server.certFile(),
                server.keyFile())).build()).build();
    }

    /** The TLS lines of a reload (nats-server also prints its users and accounts lines on every reload). */
    private static Reload.Diff diff(ServerOptions current, ServerOptions next) {
        Reload.Diff diff = Reload.diff(current, next, 4222);
        return new Reload.Diff(diff.error(), diff.changes().stream()
                .filter(c -> c.option() != Reload.Option.USERS && c.option() != Reload.Option.ACCOUNTS)
                .toList(), diff.loggingChanged());
    }

    @Test
    void shouldReportNothingWhenTlsIsUnchanged() {
        assertThat(diff(with(t -> t), with(t -> t)).lines()).isEmpty();
    }

    @Test
    void shouldReportEachChangedTlsOptionAsNatsServerDoes() {
        Reload.Diff diff = diff(with(t -> t), with(t -> t.timeout(Duration.ofMillis(1500)).verify(true)
                .pinnedCerts(Set.of("ab".repeat(32))).handshakeFirst(true)
                .handshakeFirstFallback(Duration.ofMillis(50))));
        assertThat(diff.error()).isEmpty();
        assertThat(diff.lines()).containsExactly(
                "Reloaded: tls timeout = 1.5",
                "Reloaded: tls = enabled",
                "Reloaded: 1 pinned_certs",
                "Reloaded: Client TLS handshake first: true",
                "Reloaded: Client TLS handshake first fallback delay: 50ms");
    }

    @Test
    void shouldReportNewCertificatesAndDisabling() {
        ServerOptions renewedOptions = ServerOptions.builder().tls(TlsOptions.builder()
                .certificate(renewed.certFile(), renewed.keyFile()).build()).build();
        assertThat(diff(with(t -> t), renewedOptions).lines()).containsExactly("Reloaded: tls = enabled");
        assertThat(diff(with(t -> t.timeout(Duration.ofSeconds(5))), ServerOptions.defaults()).lines())
                .containsExactly("Reloaded: tls timeout = 2", "Reloaded: tls = disabled");
    }

    @Test
    void shouldRefuseToReloadAllowNonTlsAndTheRateLimit() {
        assertThat(diff(with(t -> t), with(t -> t.allowNonTls(true))).error())
                .contains("config reload not supported for AllowNonTLS: old=false, new=true");
        assertThat(diff(with(t -> t), with(t -> t.connectionRateLimit(5))).error())
                .contains("config reload not supported for TLSRateLimit: old=0, new=5");
    }

    @Test
    void shouldPrintSecondsAsGoPrintsAFloat() {
        assertThat(Reload.goSeconds(Duration.ofSeconds(2))).isEqualTo("2");
        assertThat(Reload.goSeconds(Duration.ofMillis(500))).isEqualTo("0.5");
        assertThat(Reload.goSeconds(Duration.ofMillis(2250))).isEqualTo("2.25");
    }
}
