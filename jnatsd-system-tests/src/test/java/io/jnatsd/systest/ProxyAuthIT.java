package io.jnatsd.systest;

import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.auth.ClientAuthentication;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.tls.TestPki;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trusted proxies ({@code proxies.trusted}, CONNECT {@code proxy_sig}, {@code proxy_required}), client certificates
 * mapped to users ({@code verify_and_map}, compared with nats-server 2.9.10 when installed) and an embedder's custom
 * authenticator (nats-server server/auth.go proxyCheck, checkClientTLSCertSubject, CustomClientAuthentication).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class ProxyAuthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "map");
        serverCert = pki.server("server");
    }

    private static String sign(NKey key, String nonce) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(nonce.getBytes(
                StandardCharsets.US_ASCII)));
    }

    // ------------------------------------------------------------------------------------- trusted proxies

    @Test
    void shouldAdmitProxyRequiredUsersOnlyThroughATrustedProxy() {
        NKey proxy = NKey.createUser();
        String conf = """
                proxies { trusted: [ {key: %s} ] }
                authorization { users: [ {user: viaproxy, password: pw, proxy_required: true}, {user: direct,
                  password: pw} ] }
                """.formatted(proxy.publicKey());
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
            try (RawClient ok = RawClient.connectAndReadInfo(server.port())) {
                String nonce = ok.info().path("nonce").asText();
                assertThat(nonce).as("a nonce for the proxy to sign").isNotEmpty();
                ok.send("CONNECT {\"verbose\":false,\"user\":\"viaproxy\",\"pass\":\"pw\",\"proxy_sig\":\""
                        + sign(proxy, nonce) + "\"}\r\nPING\r\n").expectLine("PONG");
            }
            try (RawClient missing = RawClient.connectAndReadInfo(server.port())) {
                long cid = missing.clientId();
                missing.send("CONNECT {\"verbose\":false,\"user\":\"viaproxy\",\"pass\":\"pw\"}\r\n");
                assertThat(missing.readUntilClosed(TIMEOUT)).contains("-ERR 'Authorization Violation'");
                assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.PROXY_REQUIRED);
            }
            try (RawClient forged = RawClient.connectAndReadInfo(server.port())) {
                long cid = forged.clientId();
                String nonce = forged.info().path("nonce").asText();
                forged.send("CONNECT {\"verbose\":false,\"user\":\"direct\",\"pass\":\"pw\",\"proxy_sig\":\""
                        + sign(NKey.createUser(), nonce) + "\"}\r\n");
                assertThat(forged.readUntilClosed(TIMEOUT)).contains("-ERR 'Authorization Violation'");
                assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.PROXY_NOT_TRUSTED);
            }
        }
    }

    @Test
    void shouldCloseConnectionsOfAProxyRemovedOnReload() throws Exception {
        NKey proxy = NKey.createUser();
        AuthOptions auth = AuthOptions.NONE.withUsers(List.of(AuthOptions.User.of("u", "pw")), List.of())
                .withTrustedProxies(List.of(proxy.publicKey()));
        // reload needs a config file; the options are handed over directly
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.authorization(auth).configFile(dir.resolve("p.conf")));
             RawClient proxied = RawClient.connectAndReadInfo(server.port());
             RawClient direct = RawClient.connectAndReadInfo(server.port())) {
            String nonce = proxied.info().path("nonce").asText();
            proxied.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\",\"proxy_sig\":\""
                    + sign(proxy, nonce) + "\"}\r\nPING\r\n").expectLine("PONG");
            direct.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\"}\r\nPING\r\n").expectLine("PONG");
            ServerOptions current = server.server().options();
            assertThat(server.server().reload(current.toBuilder().authorization(auth.withTrustedProxies(List.of()))
                    .build(), "")).isEmpty();
            assertThat(proxied.readUntilClosed(TIMEOUT)).contains("-ERR 'Authorization Violation'");
            assertThat(server.awaitClosedReason(proxied.clientId())).isEqualTo(ClosedState.PROXY_NOT_TRUSTED);
            direct.send("PING\r\n").expectLine("PONG");
        }
    }

    // ------------------------------------------------------------------------------------- verify_and_map

    private static String mapConf(String... users) {
        List<String> entries = new ArrayList<>();
        for (String user : users) {
            entries.add("{user: \"" + user.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        }
        return """
                tls { cert_file: "%s", key_file: "%s", ca_file: "%s", verify_and_map: true }
                authorization { users: [ %s ] }
                """.formatted(serverCert.certFile(), serverCert.keyFile(), pki.caFile(), String.join(", ", entries));
    }

    /** Whether a client with {@code cert} gets in on port {@code port} (PONG) or is refused. */
    private static boolean admitted(int port, TestPki.Issued cert) {
        try (RawClient plain = RawClient.connectAndReadInfo(port);
             RawClient tls = plain.upgradeToTls(pki.clientContext(cert))) {
            tls.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            String reply = tls.readLine(TIMEOUT);
            return "PONG".equals(reply);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record MapCase(String name, TestPki.Issued cert, String user, boolean expected) {
    }

    private static List<MapCase> mapCases() {
        TestPki.Issued plain = pki.clientWithNames("plain", "CN=alice,OU=eng,O=Acme\\, Inc.,C=US", List.of(),
                List.of(), List.of());
        TestPki.Issued reversed = pki.clientWithNames("reversed", "C=US,O=Acme,OU=eng,CN=bob", List.of(), List.of(),
                List.of());
        TestPki.Issued withDc = pki.clientWithNames("dc", "DC=org,DC=example,O=Acme,CN=carol", List.of(), List.of(),
                List.of());
        TestPki.Issued sans = pki.clientWithNames("sans", "CN=dave", List.of("dave@acme.io"), List.of("dave.acme.io"),
                List.of("spiffe://acme/dave"));
        return List.of(
                new MapCase("go string", plain, "CN=alice,OU=eng,O=Acme\\, Inc.,C=US", true),
                new MapCase("go string of reversed DER", reversed, "CN=bob,OU=eng,O=Acme,C=US", true),
                new MapCase("ldap DN of reversed DER", reversed, "CN=bob,OU=eng,O=Acme,C=US", true),
                new MapCase("DN in DER order", reversed, "C=US,O=Acme,OU=eng,CN=bob", true),
                new MapCase("DN with DCs", withDc, "CN=carol,O=Acme,DC=example,DC=org", true),
                new MapCase("go string with DCs", withDc, "CN=carol,O=Acme,DC=org,DC=example", true),
                new MapCase("go string without DCs", withDc, "CN=carol,O=Acme", true),
                new MapCase("email SAN", sans, "dave@acme.io", true),
                new MapCase("DNS SAN", sans, "dave.acme.io", true),
                new MapCase("URI SAN", sans, "spiffe://acme/dave", true),
                new MapCase("CN alone", plain, "alice", false),
                new MapCase("other DN", plain, "CN=alice,O=Other", false));
    }

    @Test
    void shouldMapClientCertificatesToUsers() {
        for (MapCase c : mapCases()) {
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(mapConf(c.user()))) {
                assertThat(admitted(server.port(), c.cert())).as(c.name()).isEqualTo(c.expected());
            }
        }
    }

    @Test
    void shouldMapClientCertificatesAsNatsServerDoes() {
        Assumptions.assumeTrue(GoServer.available(), "nats-server binary not installed");
        for (MapCase c : mapCases()) {
            try (EmbeddedServer jnatsd = EmbeddedServer.startWithConfig(mapConf(c.user()));
                 GoServer go = GoServer.startWithConfig(mapConf(c.user()))) {
                assertThat(admitted(jnatsd.port(), c.cert())).as(c.name())
                        .isEqualTo(admitted(go.port(), c.cert()));
            }
        }
    }

    @Test
    void shouldLetTheJavaClientInAsTheMappedUserWithItsPermissions() throws Exception {
        TestPki.Issued cert = pki.clientWithNames("erin", "CN=erin,O=Acme", List.of(), List.of(), List.of());
        String conf = """
                tls { cert_file: "%s", key_file: "%s", ca_file: "%s", verify_and_map: true }
                authorization { users: [ {user: "CN=erin,O=Acme", permissions: {publish: "erin.>"}} ] }
                """.formatted(serverCert.certFile(), serverCert.keyFile(), pki.caFile());
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             io.nats.client.Connection nc = Nats.connect(new Options.Builder()
                     .server("tls://127.0.0.1:" + server.port()).sslContext(pki.clientContext(cert))
                     .connectionName("erin").connectionTimeout(TIMEOUT).noReconnect().build())) {
            nc.flush(TIMEOUT);
            assertThat(server.clientNamed("erin").orElseThrow().toString()).contains("user:CN=erin,O=Acme");
        }
    }

    // ------------------------------------------------------------------------------------- custom authenticator

    @Test
    void shouldLeaveAuthenticationToTheEmbeddersAuthenticator() throws Exception {
        List<ClientAuthentication.Request> seen = new CopyOnWriteArrayList<>();
        ClientAuthentication custom = request -> {
            seen.add(request);
            return "open-sesame".equals(request.credentials().token())
                    ? ClientAuthentication.Decision.accept(AuthOptions.Permissions.publish(
                            AuthOptions.SubjectPermission.allow("ok.>")), null)
                    : ClientAuthentication.Decision.reject();
        };
        NatsServer server = new NatsServer(ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .build(), custom);
        server.start();
        try {
            int port = server.clientUrl().lastIndexOf(':') > 0
                    ? Integer.parseInt(server.clientUrl().substring(server.clientUrl().lastIndexOf(':') + 1)) : 0;
            try (RawClient in = RawClient.connectAndReadInfo(port)) {
                assertThat(in.info().path("auth_required").asBoolean()).isTrue();
                in.send("CONNECT {\"verbose\":false,\"auth_token\":\"open-sesame\",\"name\":\"c1\"}\r\nPING\r\n")
                        .expectLine("PONG");
                in.send("PUB nope 0\r\n\r\nPING\r\n").expectLine("-ERR 'Permissions Violation for Publish to "
                        + "\"nope\"'");
            }
            assertThat(seen.getLast().clientName()).isEqualTo("c1");
            assertThat(seen.getLast().remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            try (RawClient out = RawClient.connectAndReadInfo(port)) {
                out.send("CONNECT {\"verbose\":false,\"auth_token\":\"wrong\"}\r\n");
                assertThat(out.readUntilClosed(TIMEOUT)).contains("-ERR 'Authorization Violation'");
            }
            assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(server.clientUrl())
                    .connectionTimeout(Duration.ofSeconds(2)).noReconnect().build())).isNotNull();
        } finally {
            server.shutdown();
        }
    }
}
