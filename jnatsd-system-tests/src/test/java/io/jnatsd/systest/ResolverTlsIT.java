package io.jnatsd.systest;

import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.tls.TestPki;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code resolver_tls}: the URL account resolver fetching account JWTs from an HTTPS account server with the CAs,
 * the client certificate and {@code insecure} of the block, seen by the official Java client logging in with a user
 * of a fetched account (nats-server server/opts.go "resolver_tls", server.go configureResolver).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class ResolverTlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;
    private static TestPki.Issued clientCert;

    private final JwtFixture fx = new JwtFixture();
    private final NKey account = NKey.createAccount();
    private final NKey user = NKey.createUser();
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
    private HttpsServer http;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "resolver");
        serverCert = pki.server("accounts");
        clientCert = pki.client("resolver-client");
    }

    @AfterEach
    void stopAccountServer() {
        if (http != null) {
            http.stop(0);
        }
    }

    /** An HTTPS account server for {@link #account}; it requires a client certificate when {@code mtls}. */
    private String startAccountServer(boolean mtls) throws Exception {
        String accountJwt = fx.account(account, "A", c -> c);
        http = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext context = serverContext(mtls);
        http.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(mtls);
                params.setSSLParameters(parameters);
            }
        });
        http.createContext("/jwt/v1/accounts/", exchange -> {
            try {
                X509Certificate peer = (X509Certificate) ((HttpsExchange) exchange).getSSLSession()
                        .getPeerCertificates()[0];
                clientSubjects.add(peer.getSubjectX500Principal().getName());
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate
            }
            String key = exchange.getRequestURI().getPath().substring("/jwt/v1/accounts/".length());
            byte[] body = key.equals(account.publicKey()) ? accountJwt.getBytes(StandardCharsets.UTF_8)
                    : key.equals(fx.system.publicKey()) ? fx.systemJwt.getBytes(StandardCharsets.UTF_8) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
        return "https://localhost:" + http.getAddress().getPort() + "/jwt/v1/accounts/";
    }

    private static SSLContext serverContext(boolean mtls) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCert.key(), password, new X509Certificate[] {serverCert.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.caCertificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), mtls ? trustManagers.getTrustManagers() : null, null);
        return context;
    }

    private String conf(String url, String resolverTls) {
        return "operator: \"" + fx.operatorJwt + "\"\nsystem_account: " + fx.system.publicKey()
                + "\nresolver: URL(\"" + url + "\")\n" + JwtFixture.AUTH_TIMEOUT + resolverTls;
    }

    private io.nats.client.Connection connect(EmbeddedServer server) throws Exception {
        return connect(server, TIMEOUT);
    }

    private io.nats.client.Connection connect(EmbeddedServer server, Duration timeout) throws Exception {
        String jwt = JwtFixture.user(user, "u", account, c -> c, u -> u);
        return Nats.connect(new Options.Builder().server(server.url()).connectionTimeout(timeout).noReconnect()
                .authHandler(Nats.staticCredentials(JwtFixture.creds(jwt, user))).build());
    }

    private void assertLogsIn(EmbeddedServer server) throws Exception {
        try (io.nats.client.Connection nc = connect(server)) {
            nc.flush(TIMEOUT);
            server.awaitClientCount(1);
            assertThat(server.server().clients().iterator().next().account().name()).isEqualTo(account.publicKey());
        }
    }

    @Test
    void shouldTrustTheAccountServerThroughTheBlocksCa() throws Exception {
        String url = startAccountServer(false);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf(url,
                "resolver_tls { ca_file: \"" + pki.caFile() + "\" }\n"))) {
            assertLogsIn(server);
        }
        assertThat(clientSubjects).isEmpty();
    }

    @Test
    void shouldPresentTheBlocksCertificate() throws Exception {
        String url = startAccountServer(true);
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf(url, "resolver_tls {\n  cert_file: \""
                + clientCert.certFile() + "\"\n  key_file: \"" + clientCert.keyFile() + "\"\n  ca_file: \""
                + pki.caFile() + "\"\n}\n"))) {
            assertLogsIn(server);
        }
        assertThat(clientSubjects).isNotEmpty().allMatch(s -> s.contains("CN=resolver-client"));
    }

    @Test
    void shouldRefuseAnUntrustedAccountServerUnlessInsecure() throws Exception {
        String url = startAccountServer(false);
        // without the block the JDK's trust store does not know the test CA: the account cannot be fetched
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf(url, ""))) {
            // (jnats gives up on an authorization violation at its connect timeout: a short one)
            assertThatThrownBy(() -> connect(server, Duration.ofSeconds(2)).close()).isInstanceOf(IOException.class);
        }
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf(url, "resolver_tls { insecure: true }\n"))) {
            assertLogsIn(server);
        }
    }
}
