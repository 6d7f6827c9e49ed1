package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsValidatorTest {

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(OptionsValidator.validate(ServerOptions.defaults())).isEmpty();
        assertThat(OptionsValidator.validateMonitoring(ServerOptions.defaults())).isEmpty();
        assertThat(OptionsValidator.startupWarnings(ServerOptions.defaults())).isEmpty();
    }

    @Test
    void shouldRejectAPayloadAboveMaxPending() {
        ServerOptions o = ServerOptions.builder().maxPayload(2048).maxPendingBytes(1024).build();
        assertThat(OptionsValidator.validate(o))
                .contains("max_payload (2048) cannot be higher than max_pending (1024)");
        assertThat(OptionsValidator.validate(o.toBuilder().maxPendingBytes(2048).build())).isEmpty();
    }

    @Test
    void shouldRejectAGracePeriodNotBelowTheLameDuckDuration() {
        ServerOptions o = ServerOptions.builder().lameDuckDuration(Duration.ofSeconds(30))
                .lameDuckGracePeriod(Duration.ofSeconds(30)).build();
        assertThat(OptionsValidator.validate(o)).contains(
                "lame duck grace period (30s) should be strictly lower than lame duck duration (30s)");
        ServerOptions longer = o.toBuilder().lameDuckDuration(Duration.ofMinutes(1))
                .lameDuckGracePeriod(Duration.ofMinutes(1).plusMillis(500)).build();
        assertThat(OptionsValidator.validate(longer)).contains(
                "lame duck grace period (1m0.5s) should be strictly lower than lame duck duration (1m0s)");
        assertThat(OptionsValidator.validate(o.toBuilder().lameDuckGracePeriod(Duration.ofSeconds(29)).build()))
                .isEmpty();
    }

    @Test
    void shouldCheckTheGracePeriodBeforeThePayload() {
        ServerOptions o = ServerOptions.builder().lameDuckDuration(Duration.ofSeconds(30))
                .lameDuckGracePeriod(Duration.ofSeconds(31)).maxPayload(10).maxPendingBytes(1).build();
        assertThat(OptionsValidator.validate(o).orElseThrow()).startsWith("lame duck grace period");
    }

    @Test
    void shouldRejectAServerNameWithSpaces() {
        assertThat(OptionsValidator.validate(ServerOptions.builder().serverName("a b").build()))
                .contains("server name cannot contain spaces");
    }

    @Test
    void shouldRejectBothMonitoringPorts() {
        ServerOptions o = ServerOptions.builder().httpPort(8222).httpsPort(8223).build();
        assertThat(OptionsValidator.validateMonitoring(o))
                .contains("can't specify both HTTP (8222) and HTTPs (8223) ports");
    }

    @Test
    void shouldRequireTlsForHttps() {
        ServerOptions o = ServerOptions.builder().httpsPort(8223).build();
        assertThat(OptionsValidator.validateMonitoring(o)).contains("TLS cert and key required for HTTPS");
        assertThat(OptionsValidator.validateMonitoring(ServerOptions.builder().httpPort(-1).build())).isEmpty();
        ServerOptions withTls = ServerOptions.builder().httpsPort(8223)
                .tls(TlsOptions.builder().enabled(true).build()).build();
        assertThat(OptionsValidator.validateMonitoring(withTls)).isEmpty();
    }

    @Test
    void shouldWarnAboutPayloadsAbove8MB() {
        assertThat(OptionsValidator.startupWarnings(ServerOptions.builder().maxPayload(8 * 1024 * 1024)
                .maxPendingBytes(64L << 20).build())).isEmpty();
        assertThat(OptionsValidator.startupWarnings(ServerOptions.builder().maxPayload(8 * 1024 * 1024 + 1)
                .build())).containsExactly(
                "Maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance");
    }
}
