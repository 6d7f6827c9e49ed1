package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    private static Optional<String> validate(AuthOptions auth) {
        return OptionsValidator.validate(ServerOptions.builder().authorization(auth).build());
    }

    @Test
    void shouldValidateConnectionTypesOfProgrammaticUsers() {
        AuthOptions auth = AuthOptions.NONE.withUsers(List.of(new AuthOptions.User("u", "p", null,
                Set.of("standard", "bogus"), false)), List.of());
        assertThat(validate(auth)).contains("unknown connection type \"bogus\"");
    }

    @Test
    void shouldValidatePermissionSubjectsIncludingDefaults() {
        AuthOptions.Permissions bad = AuthOptions.Permissions.publish(AuthOptions.SubjectPermission.allow("a b"));
        AuthOptions auth = AuthOptions.NONE.withUsers(List.of(AuthOptions.User.of("u", "p", bad)),
                List.of());
        assertThat(validate(auth)).contains("invalid permissions for user \"u\": publish allow: subject \"a b\" is "
                + "not a valid subject");
        AuthOptions defaults = AuthOptions.NONE.withUsers(List.of(), List.of(
                AuthOptions.NkeyUser.of("UABC", null))).withDefaultPermissions(AuthOptions.Permissions.subscribe(
                new AuthOptions.SubjectPermission(null, List.of("a b.>.c"))));
        assertThat(validate(defaults)).contains("invalid permissions for nkey \"UABC\": subscribe deny: queue "
                + "\"b.>.c\" is not a valid queue");
    }

    @Test
    void shouldValidateTheNoAuthUser() {
        assertThat(validate(AuthOptions.NONE.withNoAuthUser("x"))).contains(
                "no_auth_user: \"x\" present, but users/nkeys are not defined");
        AuthOptions users = AuthOptions.NONE.withUsers(List.of(AuthOptions.User.of("y", "p")),
                List.of());
        assertThat(validate(users.withNoAuthUser("x"))).contains("no_auth_user: \"x\" not present as user or nkey in "
                + "authorization block or account configuration");
        assertThat(validate(users.withNoAuthUser("y"))).isEmpty();
    }
}
