package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsBaselineTest {

    @Test
    void shouldReplaceZeroValuesWithDefaults() {
        ServerOptions zero = ServerOptions.builder().host("").httpHost("").port(0).maxConnections(0)
                .pingInterval(Duration.ZERO).pingMax(0).authTimeout(Duration.ZERO).maxControlLine(0).maxPayload(0)
                .maxPendingBytes(0).writeDeadline(Duration.ZERO).maxClosedClients(0).lameDuckDuration(Duration.ZERO)
                .lameDuckGracePeriod(Duration.ZERO).connectErrorReports(0).reconnectErrorReports(0).httpBasePath("")
                .build();
        assertThat(OptionsBaseline.apply(zero))
                .isEqualTo(ServerOptions.defaults().toBuilder().httpHost(ServerOptions.DEFAULT_HOST)
                        .authTimeout(ServerOptions.DEFAULT_AUTH_TIMEOUT).build());
    }

    @Test
    void shouldDefaultTheAuthTimeoutToTheTlsTimeoutPlusOneSecondWithTls() {
        TlsOptions tls = TlsOptions.builder().enabled(true).timeout(Duration.ofMillis(2500)).build();
        assertThat(OptionsBaseline.apply(ServerOptions.builder().tls(tls).build()).authTimeout())
                .isEqualTo(Duration.ofMillis(3500));
        assertThat(OptionsBaseline.apply(ServerOptions.builder().tls(TlsOptions.builder().enabled(true).build())
                .build()).authTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(OptionsBaseline.apply(ServerOptions.builder().tls(tls).authTimeout(Duration.ofSeconds(2)).build())
                .authTimeout()).as("an explicit 2 s stays").isEqualTo(Duration.ofSeconds(2));
        assertThat(OptionsBaseline.apply(ServerOptions.builder().build()).authTimeout())
                .isEqualTo(ServerOptions.DEFAULT_AUTH_TIMEOUT);
    }

    @Test
    void shouldKeepExplicitValues() {
        ServerOptions o = ServerOptions.builder().host("127.0.0.1").httpHost("10.0.0.1").port(-1)
                .maxConnections(-1).build();
        ServerOptions applied = OptionsBaseline.apply(o);
        assertThat(applied.host()).isEqualTo("127.0.0.1");
        assertThat(applied.httpHost()).isEqualTo("10.0.0.1");
        assertThat(applied.port()).isEqualTo(-1);
        assertThat(applied.maxConnections()).isEqualTo(-1);
    }

    @Test
    void shouldLetAnEmptyMonitoringHostFollowTheClientHost() {
        assertThat(OptionsBaseline.apply(ServerOptions.builder().host("127.0.0.1").httpHost("").build()).httpHost())
                .isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @CsvSource({"'', /", "/, /", "nats, /nats", "/nats/, /nats", "a//b, /a/b", "/a/./b/../c, /a/c", "../.., /",
        "/a/b/.., /a"})
    void shouldNormalizeTheBasePathLikeGo(String in, String expected) {
        assertThat(OptionsBaseline.normalizeBasePath(in)).isEqualTo(expected);
    }
}
