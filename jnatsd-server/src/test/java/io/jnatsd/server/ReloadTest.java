package io.jnatsd.server;

import io.jnatsd.config.AuthCalloutOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.OperatorOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.WebSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorization lines and refusals of a reload, as nats-server 2.9.10 logged them [obs]. */
class ReloadTest {

    private static final ServerOptions BASE = ServerOptions.builder().build();

    private static Reload.Diff diff(ServerOptions next) {
        return Reload.diff(BASE, next, BASE.port());
    }

    private static Reload.Diff diff(ServerOptions current, ServerOptions next) {
        return Reload.diff(current, next, current.port());
    }

    @Test
    void shouldAlwaysReportUsersAndAccountsAsNatsServerDoes() {
        Reload.Diff d = diff(BASE);
        assertThat(d.error()).isEmpty();
        assertThat(d.lines()).containsExactly("Reloaded: authorization users", "Reloaded: accounts");
    }

    @Test
    void shouldReportEachChangedAuthorizationSettingInNatsServerOrder() {
        AuthOptions auth = AuthOptions.NONE.withUsername("u").withPassword("p");
        ServerOptions next = BASE.toBuilder().authorization(auth).authTimeout(Duration.ofSeconds(3)).build();
        assertThat(diff(next).lines()).containsExactly("Reloaded: authorization users", "Reloaded: accounts",
                "Reloaded: authorization username", "Reloaded: authorization password",
                "Reloaded: authorization timeout = 3");
        ServerOptions token = BASE.toBuilder().authorization(AuthOptions.NONE.withToken("t"))
                .authTimeout(Duration.ofMillis(500)).build();
        assertThat(diff(token).lines()).contains("Reloaded: authorization token",
                "Reloaded: authorization timeout = 0.5");
        AuthOptions nkeys = AuthOptions.NONE.withUsers(List.of(), List.of(AuthOptions.NkeyUser.of("UX", null)));
        assertThat(diff(BASE.toBuilder().authorization(nkeys).build()).lines())
                .startsWith("Reloaded: authorization nkey users");
    }

    @Test
    void shouldRefuseAuthCalloutChangesAndLogDefaultSentinelChanges() {
        AuthCalloutOptions callout = new AuthCalloutOptions("AISSUER", null, List.of("auth"), "", List.of());
        ServerOptions with = BASE.toBuilder().authCallout(callout).build();
        assertThat(diff(with).error()).hasValue("config reload not supported for AuthCallout: old=<nil>, "
                + "new=&{AISSUER $G [auth]  []}");
        assertThat(diff(with, BASE).error()).hasValue("config reload not supported for AuthCallout: "
                + "old=&{AISSUER $G [auth]  []}, new=<nil>");
        assertThat(diff(with, BASE.toBuilder().authCallout(new AuthCalloutOptions("AISSUER", "$G", List.of("auth"),
                "", List.of())).build()).error()).as("an equal block is no change").isEmpty();
        assertThat(diff(BASE.toBuilder().defaultSentinel("eyJ.x.y").build()).lines())
                .contains("Reloaded: default_sentinel = eyJ.x.y");
    }

    @Test
    void shouldSeeNewDefaultPermissionsAsAnNkeyUsersChange() {
        AuthOptions nkeys = AuthOptions.NONE.withUsers(List.of(), List.of(AuthOptions.NkeyUser.of("UX", null)));
        ServerOptions current = BASE.toBuilder().authorization(nkeys).build();
        ServerOptions next = BASE.toBuilder().authorization(nkeys.withDefaultPermissions(
                AuthOptions.Permissions.publish(AuthOptions.SubjectPermission.allow("x")))).build();
        assertThat(diff(current, next).lines()).contains("Reloaded: authorization nkey users");
        assertThat(diff(current, current).lines()).doesNotContain("Reloaded: authorization nkey users");
    }

    @Test
    void shouldRefuseNoAuthUserChangesExceptRemovalWithTheUser() {
        AuthOptions users = AuthOptions.NONE.withUsers(List.of(AuthOptions.User.of("a", "a"),
                AuthOptions.User.of("b", "b")), List.of());
        ServerOptions withA = BASE.toBuilder().authorization(users.withNoAuthUser("a")).build();
        ServerOptions none = BASE.toBuilder().authorization(users).build();
        assertThat(diff(none, withA).error()).contains("config reload not supported for NoAuthUser: old=, new=a");
        assertThat(diff(withA, BASE.toBuilder().authorization(users.withNoAuthUser("b")).build()).error())
                .contains("config reload not supported for NoAuthUser: old=a, new=b");
        assertThat(diff(withA, none).error()).contains("config reload not supported for NoAuthUser: old=a, new=");
        ServerOptions withoutA = BASE.toBuilder().authorization(AuthOptions.NONE.withUsers(
                List.of(AuthOptions.User.of("b", "b")), List.of())).build();
        assertThat(diff(withA, withoutA).error()).isEmpty();
    }

    @Test
    void shouldRefuseProxyRequiredChanges() {
        ServerOptions next = BASE.toBuilder().authorization(AuthOptions.NONE.withToken("t").withProxyRequired(true))
                .build();
        assertThat(diff(next).error()).contains("config reload not supported for ProxyRequired: old=false, "
                + "new=true");
    }

    @Test
    void shouldLogTrustedProxyKeysRemovedAndAdded() {
        ServerOptions current = BASE.toBuilder().authorization(AuthOptions.NONE.withTrustedProxies(List.of("UA",
                "UB"))).build();
        ServerOptions next = BASE.toBuilder().authorization(AuthOptions.NONE.withTrustedProxies(List.of("UB",
                "UC", "UD"))).build();
        assertThat(diff(current, next).lines()).endsWith("Reloaded: proxies trusted keys [\"UA\"] were removed",
                "Reloaded: proxies trusted keys [\"UC\" \"UD\"] were added");
        assertThat(diff(current, current).lines()).noneMatch(line -> line.contains("proxies"));
    }

    @Test
    void shouldRefuseProxyProtocolAndVerifyAndMapChanges() {
        assertThat(diff(BASE.toBuilder().proxyProtocol(true).build()).error())
                .contains("config reload not supported for ProxyProtocol: old=false, new=true");
        ServerOptions mapping = BASE.toBuilder().tls(io.jnatsd.config.TlsOptions.builder().enabled(true)
                .verifyAndMap(true).build()).build();
        assertThat(diff(mapping).error()).contains("config reload not supported for TLSMap: old=false, new=true");
    }

    @Test
    void shouldRefuseOperatorModeChanges() {
        OperatorOptions mem = OperatorOptions.NONE
                .withTrustedKeys(List.of("OKEY")).withResolver(
                        OperatorOptions.Resolver.MEMORY);
        ServerOptions current = BASE.toBuilder().operator(mem).build();
        assertThat(diff(current, BASE.toBuilder().operator(mem.withResolver(
                OperatorOptions.Resolver.NONE)).build()).error())
                .contains("config reload does not support moving to or from an account resolver");
        assertThat(diff(current, BASE.toBuilder().operator(mem.withTrustedKeys(List.of("OTHER")))
                .build()).error().orElseThrow()).startsWith("config reload not supported for TrustedKeys");
        assertThat(diff(current, current).error()).isEmpty();
    }

    @Test
    void shouldRefuseWebSocketChangesWithGosStructText() {
        WebSocketOptions ws = WebSocketOptions.builder().host("127.0.0.1").port(18081).noTls(true)
                .allowedOrigins(List.of("http://b.com", "http://a.com")).build();
        ServerOptions current = BASE.toBuilder().websocket(ws).build();
        ServerOptions next = BASE.toBuilder().websocket(ws.toBuilder().compression(true).build()).build();
        // as nats-server 2.9.10 printed it [obs], with the fields nats-server 2.15 added (cookies, ping, headers)
        assertThat(diff(current, next).error()).contains("config reload not supported for Websocket: "
                + "old={127.0.0.1 18081          0 true <nil> false map[] false [http://a.com http://b.com] false 0s "
                + "0s map[] <nil>}, new={127.0.0.1 18081          0 true <nil> false map[] false "
                + "[http://a.com http://b.com] true 0s 0s map[] <nil>}");
        ServerOptions reordered = BASE.toBuilder().websocket(ws.toBuilder()
                .allowedOrigins(List.of("http://a.com", "http://b.com")).build()).build();
        assertThat(diff(current, reordered).error()).isEmpty();
    }

    @Test
    void shouldReloadTheWebSocketTlsConfigurationButNotItsMapping() {
        TlsOptions tls = TlsOptions.builder().enabled(true).build();
        WebSocketOptions ws = WebSocketOptions.builder().port(1).tls(tls).build();
        ServerOptions current = BASE.toBuilder().websocket(ws).build();
        ServerOptions verify = BASE.toBuilder().websocket(ws.toBuilder().tls(tls.toBuilder().verify(true).build())
                .build()).build();
        assertThat(diff(current, verify).error()).isEmpty();
        ServerOptions mapping = BASE.toBuilder().websocket(ws.toBuilder().tls(tls.toBuilder().verifyAndMap(true)
                .build()).build()).build();
        assertThat(diff(current, mapping).error().orElseThrow())
                .startsWith("config reload not supported for Websocket: old={ 1 ");
    }

    static Stream<Arguments> notReloadable() {
        ServerOptions.LoggingOptions log = ServerOptions.LoggingOptions.defaults();
        return Stream.of(
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.host("127.0.0.2"),
                        "config reload not supported for Host: old=0.0.0.0, new=127.0.0.2"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.port(4333),
                        "config reload not supported for Port: old=4222, new=4333"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.httpsPort(8443),
                        "config reload not supported for HTTPSPort: old=0, new=8443"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.maxClosedClients(5),
                        "config reload not supported for MaxClosedClients: old=10000, new=5"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.lameDuckDuration(Duration.ofSeconds(45)),
                        "config reload not supported for LameDuckDuration: old=2m0s, new=45s"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.logging(new ServerOptions.LoggingOptions(
                        false, false, false, false, true, false, null, 0, 3, false, null, 0)),
                        "config reload not supported for LogMaxFiles: old=0, new=3"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.logging(new ServerOptions.LoggingOptions(
                        false, false, false, false, true, false, null, 100000, 0, false, null, 0)),
                        "config reload not supported for LogSizeLimit: old=0, new=100000"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.tls(TlsOptions.disabled().toBuilder()
                        .connectionRateLimit(10).build()),
                        "config reload not supported for TLSRateLimit: old=0, new=10"),
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.writeTimeoutPolicy(
                        ServerOptions.WriteTimeoutPolicy.RETRY),
                        "config reload not supported for WriteTimeout: old=, new=retry"),
                // the first refused field in Go's Options order is reported, whatever else changed
                Arguments.of((UnaryOperator<ServerOptions.Builder>) b -> b.maxPayload(100).serverName("x")
                        .logging(log.withDebug(true)),
                        "config reload not supported for ServerName: old=, new=x"));
    }

    @ParameterizedTest
    @MethodSource("notReloadable")
    void shouldRefuseWithGoFieldNameAndValues(UnaryOperator<ServerOptions.Builder> change, String error) {
        Reload.Diff d = diff(change.apply(BASE.toBuilder()).build());
        assertThat(d.error()).hasValue(error);
        assertThat(d.changes()).isEmpty();
    }

    @Test
    void shouldLogSyslogChangesAndSetUpTheLoggerAgain() {
        ServerOptions.LoggingOptions syslog = new ServerOptions.LoggingOptions(false, false, false, false, true,
                false, null, 0, 0, true, "udp://127.0.0.1:514", 0);
        Reload.Diff d = diff(BASE.toBuilder().logging(syslog).build());
        assertThat(d.lines()).containsSubsequence("Reloaded: syslog = true",
                "Reloaded: remote_syslog = udp://127.0.0.1:514");
        assertThat(d.loggingChanged()).isTrue();
        assertThat(diff(BASE.toBuilder().maxPayload(5).build()).loggingChanged()).isFalse();
    }

    @Test
    void shouldIgnoreTheOrderOfNkeyUsers() {
        AuthOptions ab = AuthOptions.NONE.withUsers(List.of(), List.of(AuthOptions.NkeyUser.of("UA", null),
                AuthOptions.NkeyUser.of("UB", null)));
        AuthOptions ba = AuthOptions.NONE.withUsers(List.of(), List.of(AuthOptions.NkeyUser.of("UB", null),
                AuthOptions.NkeyUser.of("UA", null)));
        assertThat(diff(BASE.toBuilder().authorization(ab).build(), BASE.toBuilder().authorization(ba).build())
                .lines()).doesNotContain("Reloaded: authorization nkey users");
    }

    @Test
    void shouldApplyJetStreamLimitIncreasesAndRefuseTheOtherJetStreamChanges() {
        io.jnatsd.config.JetStreamOptions js = io.jnatsd.config.JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir("/data").maxMemoryBytes(1L << 30).build();
        ServerOptions on = BASE.toBuilder().jetStream(js).build();
        Reload.Diff raised = diff(on, on.toBuilder().jetStream(js.toBuilder().maxMemoryBytes(2L << 30).build())
                .build());
        assertThat(raised.error()).isEmpty();
        assertThat(raised.lines()).contains("Reloaded: JetStream max_mem_store = 2.00 GB");
        assertThat(raised.has(Reload.Option.JETSTREAM_LIMITS)).isTrue();
        assertThat(diff(on, on.toBuilder().jetStream(js.toBuilder().maxMemoryBytes(1L << 20).build()).build())
                .error()).hasValue("config reload not supported for decreasing jetstream max memory and store");
        assertThat(diff(on, on.toBuilder().jetStream(js.toBuilder().maxStoreBytes(1L << 30).build()).build())
                .error()).hasValue("config reload not supported for jetstream dynamic max memory and store");
        assertThat(diff(on, on.toBuilder().jetStream(js.toBuilder().storeDir("/other").build()).build()).error())
                .hasValue("config reload not supported for jetstream storage directory");
        assertThat(diff(on, on.toBuilder().jetStream(js.toBuilder().domain("hub").build()).build()).error())
                .hasValue("config reload not supported for JetStreamDomain: old=, new=hub");
        assertThat(diff(on, on.toBuilder().jetStream(js.toBuilder().syncInterval(Duration.ofSeconds(5)).build())
                .build()).error()).hasValue("config reload not supported for SyncInterval: old=2m0s, new=5s");
        // jnatsd's engine lives as long as the server: turning it on or off is refused (nats-server does it)
        assertThat(diff(BASE, on).error()).hasValue("config reload not supported for JetStream: old=false, new=true");
        assertThat(diff(on, BASE).error()).hasValue("config reload not supported for JetStream: old=true, new=false");
    }
}
