package io.jnatsd.systest;

import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.ocsp.OcspMessages;
import io.jnatsd.server.ocsp.OcspPeerVerifier;
import io.jnatsd.server.ocsp.OcspResponseCache;
import io.jnatsd.server.ocsp.OcspStapler;
import io.jnatsd.server.ocsp.OcspStatus;
import io.jnatsd.server.ocsp.TestOcspResponder;
import io.jnatsd.server.tls.TestPki;
import io.jnatsd.server.tls.TlsContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OCSP through the official Java client: the staple a client sees on the client port (OpenSSL provider; none with
 * the JDK's), a certificate revoked under {@code mode: always} (startup refused, or the server shut down by the
 * monitor), {@code ocsp_peer} for client certificates (good, revoked, unknown, responder down and every policy
 * option), the reject advisory, the response cache's on-disk store and varz, and the reload lines (nats-server
 * server/ocsp.go, ocsp_peer.go, ocsp_responsecache.go, test/ocsp_test.go, test/ocsp_peer_test.go).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class OcspIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestOcspResponder responder;
    private static TestOcspResponder down;
    private static TestPki.Issued mustStaple;
    private static TestPki.Issued plainServer;
    private static TestPki.Issued good;
    private static TestPki.Issued revoked;
    private static TestPki.Issued unknown;
    private static TestPki.Issued unreachable;

    @BeforeAll
    static void setUp() {
        pki = TestPki.create(dir, "ocspit");
        responder = TestOcspResponder.start(pki.caCertificate(), pki.caKey());
        down = TestOcspResponder.start(pki.caCertificate(), pki.caKey()).httpStatus(500);
        List<String> urls = List.of(responder.url());
        mustStaple = pki.issue("must", true, new TestPki.Extras(true, urls, false, false));
        plainServer = pki.issue("plain", true, new TestPki.Extras(false, urls, false, false));
        good = pki.issue("good", false, new TestPki.Extras(false, urls, false, false));
        revoked = pki.issue("revoked", false, new TestPki.Extras(false, urls, false, false));
        unknown = pki.issue("unknown", false, new TestPki.Extras(false, urls, false, false));
        unreachable = pki.issue("unreachable", false, new TestPki.Extras(false, List.of(down.url()), false, false));
        responder.status(mustStaple.certificate(), OcspStatus.GOOD).status(plainServer.certificate(), OcspStatus.GOOD)
                .status(good.certificate(), OcspStatus.GOOD).status(revoked.certificate(), OcspStatus.REVOKED);
    }

    @AfterAll
    static void tearDown() {
        responder.close();
        down.close();
    }

    private static String tlsBlock(TestPki.Issued cert, String extra) {
        return "tls {\n  cert_file: \"" + cert.certFile() + "\"\n  key_file: \"" + cert.keyFile()
                + "\"\n  ca_file: \"" + pki.caFile() + "\"\n  timeout: 5\n" + extra + "\n}\n";
    }

    /** TLS with {@code ocsp_peer} and no response cache (the default one would write {@code _rc_} here). */
    private static String peerConf(String ocspPeer) {
        return peerTls(ocspPeer) + "ocsp_cache: {type: none}\n";
    }

    private static String peerTls(String ocspPeer) {
        return tlsBlock(plainServer, "  verify: true\n  ocsp_peer: " + ocspPeer);
    }

    private static boolean openSsl() {
        return TlsContext.create(TlsOptions.builder().certificate(plainServer.certFile(), plainServer.keyFile())
                .build(), null).providerName().equals("OpenSSL");
    }

    private static io.nats.client.Connection connect(EmbeddedServer server, SSLContext context, String user)
            throws Exception {
        return connect(server, context, user, TIMEOUT);
    }

    private static io.nats.client.Connection connect(EmbeddedServer server, SSLContext context, String user,
                                                     Duration timeout) throws Exception {
        Options.Builder options = new Options.Builder().server("tls://127.0.0.1:" + server.port())
                .sslContext(context).connectionTimeout(timeout).noReconnect();
        if (user != null) {
            options.userInfo(user, user);
        }
        return Nats.connect(options.build());
    }

    private static void assertConnects(EmbeddedServer server, TestPki.Issued client) throws Exception {
        try (io.nats.client.Connection nc = connect(server, pki.clientContext(client), null)) {
            nc.flush(TIMEOUT);
            assertThat(nc.getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
        }
    }

    private static void assertRefused(EmbeddedServer server, TestPki.Issued client) {
        // the server ends the connection after the handshake (TLS 1.3: once the client has sent its certificate)
        try (RawClient tls = RawClient.connectAndReadInfo(server.port()).upgradeToTls(pki.clientContext(client))) {
            tls.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            assertThat(tls.isClosedWithin(TIMEOUT)).as("closed by the server").isTrue();
        } catch (java.io.UncheckedIOException e) {
            // the handshake itself failed (TLS 1.2): refused as well
        }
        Await.until(TIMEOUT, () -> "a TLS handshake failure in " + server.server().closedConnections(),
                () -> server.server().closedConnections().stream()
                        .anyMatch(c -> c.reason() == ClosedState.TLS_HANDSHAKE_ERROR));
    }

    /** The official client cannot connect with {@code client}'s certificate. */
    private static void assertJavaClientRefused(EmbeddedServer server, TestPki.Issued client) {
        assertThatThrownBy(() -> {
            // jnats notices the server closing the connection only at its connect timeout: a short one
            try (io.nats.client.Connection nc = connect(server, pki.clientContext(client), null,
                    Duration.ofSeconds(2))) {
                nc.flush(TIMEOUT);
            }
        }).isInstanceOf(Exception.class);
    }

    // ------------------------------------------------------------------------------------------------ stapling

    @Test
    void shouldStapleTheStatusForTheJavaClient() throws Exception {
        StapleCapture capture = new StapleCapture(pki.caCertificate());
        try (LogCapture log = LogCapture.of(OcspStapler.class, TlsContext.class);
             EmbeddedServer server = EmbeddedServer.startWithConfig(tlsBlock(mustStaple, ""));
             io.nats.client.Connection nc = connect(server, capture.context(), null)) {
            nc.flush(TIMEOUT);
            log.await("OCSP Stapling enabled for client connections");
            log.await("Found OCSP status for client certificate at '" + mustStaple.certFile() + "': good, next update");
            if (openSsl()) {
                assertThat(capture.staples).hasSize(1);
                assertThat(OcspMessages.parse(capture.staples.getFirst(), pki.caCertificate()).status())
                        .isEqualTo(OcspStatus.GOOD);
            } else {
                // JSSE cannot be handed a response to staple (TlsContext's javadoc)
                assertThat(capture.staples).isEmpty();
                log.await("OCSP staples are not sent with the JDK TLS provider");
            }
        }
        assertThat(capture.handshakes).isPositive();
    }

    /** With a {@code store_dir}, the staple is also kept as a status file under its {@code ocsp} directory. */
    @Test
    void shouldKeepTheStapleAsAStatusFileUnderTheStoreDir(@TempDir Path storeDir) throws Exception {
        String conf = "store_dir: \"" + storeDir + "\"\n" + tlsBlock(mustStaple, "");
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
            assertThat(server.server().serverId()).isNotEmpty();
        }
        Path ocspDir = storeDir.resolve(OcspStapler.STORE_SUBDIR);
        List<Path> files;
        try (var list = Files.list(ocspDir)) {
            files = list.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(OcspMessages.parse(Files.readAllBytes(files.getFirst()), pki.caCertificate()).status())
                .isEqualTo(OcspStatus.GOOD);
    }

    @Test
    void shouldNotStapleWithoutMustStapleInAutoModeButAlwaysStaplesInAlwaysMode() throws Exception {
        StapleCapture auto = new StapleCapture(pki.caCertificate());
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(tlsBlock(plainServer, ""));
             io.nats.client.Connection nc = connect(server, auto.context(), null)) {
            nc.flush(TIMEOUT);
        }
        assertThat(auto.handshakes).isPositive();
        assertThat(auto.staples).isEmpty();
        StapleCapture always = new StapleCapture(pki.caCertificate());
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("ocsp: {mode: always}\n"
                + tlsBlock(plainServer, ""));
             io.nats.client.Connection nc = connect(server, always.context(), null)) {
            nc.flush(TIMEOUT);
        }
        assertThat(always.staples).hasSize(openSsl() ? 1 : 0);
    }

    @Test
    void shouldRefuseToStartWithARevokedCertificateInAlwaysMode() {
        TestPki.Issued bad = pki.issue("revoked-server", true, new TestPki.Extras(true, List.of(responder.url()),
                false, false));
        responder.status(bad.certificate(), OcspStatus.REVOKED);
        assertThatThrownBy(() -> EmbeddedServer.startWithConfig("ocsp: {mode: always}\n" + tlsBlock(bad, "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("found existing OCSP status for certificate at '" + bad.certFile() + "': revoked");
        // in auto mode the revoked status is stapled and the server runs
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(tlsBlock(bad, ""))) {
            assertThat(server.server().isRunning()).isTrue();
        }
    }

    @Test
    void shouldShutDownWhenTheMonitorSeesARevocation() throws Exception {
        try (TestOcspResponder quick = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            // answers valid for 2 s: the monitor asks again after 1 s
            quick.validity(Duration.ofSeconds(2)).thisUpdateOffset(Duration.ZERO);
            TestPki.Issued cert = pki.issue("monitored", true, new TestPki.Extras(true, List.of(quick.url()),
                    false, false));
            quick.status(cert.certificate(), OcspStatus.GOOD);
            try (LogCapture log = LogCapture.of(OcspStapler.class);
                 EmbeddedServer server = EmbeddedServer.startWithConfig("ocsp: {mode: must}\n"
                         + tlsBlock(cert, ""))) {
                log.await("checking again in");
                quick.status(cert.certificate(), OcspStatus.REVOKED);
                log.await("Received OCSP status for client certificate '" + cert.certFile() + "': revoked");
                Await.until(TIMEOUT, "the server to shut down", () -> !server.server().isRunning());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ peer verification

    @Test
    void shouldVerifyClientCertificatesWithTheirResponder() throws Exception {
        try (LogCapture log = LogCapture.of(OcspPeerVerifier.class);
             EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf("true"))) {
            assertConnects(server, good);
            assertJavaClientRefused(server, revoked);
            assertRefused(server, revoked);
            log.await("OCSP verify fail for [" + subject(revoked) + "] with CA status [revoked]");
            assertRefused(server, unknown);
            log.await("OCSP verify fail for [" + subject(unknown) + "] with CA status [unknown]");
            assertRefused(server, unreachable);
            log.await("Attempt to obtain OCSP response from CA responder for [" + subject(unreachable) + "] failed");
            // the good client is not disturbed by the refusals
            assertConnects(server, good);
        }
    }

    @Test
    void shouldApplyThePeerPolicyOptions() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf(
                "{verify: true, unknown_is_good: true}"))) {
            assertConnects(server, unknown);
            assertRefused(server, revoked);
        }
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf(
                "{verify: true, allow_when_ca_unreachable: true}"))) {
            assertConnects(server, unreachable);
            assertRefused(server, revoked);
            assertRefused(server, unknown);
        }
        try (LogCapture log = LogCapture.of(OcspPeerVerifier.class);
             EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf("{verify: true, warn_only: true}"))) {
            assertConnects(server, revoked);
            log.await("OCSP verify fail for [" + subject(revoked) + "] but WarnOnly is true so allowing");
            assertConnects(server, unreachable);
        }
        // verify: false turns the check off
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf("{verify: false}"))) {
            assertConnects(server, revoked);
        }
    }

    @Test
    void shouldHonourAllowedClockSkewAndTheTtlWithoutNextUpdate() throws Exception {
        try (TestOcspResponder future = TestOcspResponder.start(pki.caCertificate(), pki.caKey())) {
            TestPki.Issued client = pki.issue("skewed", false, new TestPki.Extras(false, List.of(future.url()),
                    false, false));
            future.status(client.certificate(), OcspStatus.GOOD).thisUpdateOffset(Duration.ofSeconds(90));
            // this update 90 s in the future: not current with the default skew (30 s), current with 5 minutes
            try (LogCapture log = LogCapture.of(OcspPeerVerifier.class);
                 EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf("{verify: true}"))) {
                assertRefused(server, client);
                log.await("New OCSP CA response obtained for [" + subject(client) + "] but not current");
            }
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf(
                    "{verify: true, allowed_clockskew: \"5m\"}"))) {
                assertConnects(server, client);
            }
            // no next update: current for cache_ttl_when_next_update_unset after this update
            future.thisUpdateOffset(Duration.ofMinutes(-10)).validity(null);
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf(
                    "{verify: true, cache_ttl_when_next_update_unset: \"1m\"}"))) {
                assertRefused(server, client);
            }
            try (EmbeddedServer server = EmbeddedServer.startWithConfig(peerConf(
                    "{verify: true, cache_ttl_when_next_update_unset: \"1h\"}"))) {
                assertConnects(server, client);
            }
        }
    }

    @Test
    void shouldSendTheRejectAdvisory() throws Exception {
        String conf = peerConf("true") + "accounts { SYS: { users: [{user: sys, password: sys}] } }\n"
                + "system_account: SYS\n";
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf);
             io.nats.client.Connection sys = connect(server, pki.clientContext(good), "sys")) {
            Subscription rejects = sys.subscribe("$SYS.SERVER.*.OCSP.PEER.CONN.REJECT");
            Subscription links = sys.subscribe("$SYS.SERVER.*.OCSP.PEER.LINK.INVALID");
            sys.flush(TIMEOUT);
            assertRefused(server, revoked);
            Message message = rejects.nextMessage(TIMEOUT);
            assertThat(message).as("reject advisory").isNotNull();
            assertThat(message.getSubject()).isEqualTo("$SYS.SERVER." + server.server().serverId()
                    + ".OCSP.PEER.CONN.REJECT");
            JsonNode event = JSON.readTree(new String(message.getData(), StandardCharsets.UTF_8));
            assertThat(event.path("type").asText()).isEqualTo("io.nats.server.advisory.v1.ocsp_peer_reject");
            assertThat(event.path("kind").asText()).isEqualTo("client");
            assertThat(event.path("reason").asText()).isNotEmpty();
            assertThat(event.path("peer").path("subject").asText()).isEqualTo(subject(revoked));
            assertThat(event.path("server").path("id").asText()).isEqualTo(server.server().serverId());
            Message link = links.nextMessage(TIMEOUT);
            assertThat(link).as("link advisory").isNotNull();
            JsonNode linkEvent = JSON.readTree(new String(link.getData(), StandardCharsets.UTF_8));
            assertThat(linkEvent.path("type").asText()).isEqualTo("io.nats.server.advisory.v1.ocsp_peer_link_invalid");
            assertThat(linkEvent.path("link").path("subject").asText()).isEqualTo(subject(revoked));
        }
    }

    // ------------------------------------------------------------------------------------------- response cache

    @Test
    void shouldKeepTheResponseCacheOnDiskAndReportItInVarz() throws Exception {
        Path store = dir.resolve("rc");
        String conf = peerTls("true") + "ocsp_cache: {type: local, local_store: \"" + store + "\"}\n";
        try (LogCapture log = LogCapture.of(OcspResponseCache.class);
             EmbeddedServer server = EmbeddedServer.startWithConfigAndHttp(conf)) {
            log.await("OCSP peer cache online, type [local]");
            assertConnects(server, good);
            JsonNode varz = Http.get(server.monitorUrl() + "/varz").json();
            assertThat(varz.path("tls_ocsp_peer_verify").asBoolean()).isTrue();
            assertThat(varz.path("ocsp_peer_cache").path("cache_type").asText()).isEqualTo("local");
            assertThat(varz.path("ocsp_peer_cache").path("cached_responses").asLong()).isEqualTo(1);
            assertThat(varz.path("ocsp_peer_cache").path("cached_good_responses").asLong()).isEqualTo(1);
        }
        Path file = store.resolve(OcspResponseCache.FILE_NAME);
        assertThat(file).exists();
        JsonNode saved = JSON.readTree(Files.readString(file));
        assertThat(saved.size()).isEqualTo(1);
        // a restart loads the store: the good client is answered from the cache, the responder is not asked
        int asked = responder.requests();
        try (EmbeddedServer server = EmbeddedServer.startWithConfigAndHttp(conf)) {
            assertConnects(server, good);
            assertThat(responder.requests()).isEqualTo(asked);
            JsonNode cache = Http.get(server.monitorUrl() + "/varz").json().path("ocsp_peer_cache");
            assertThat(cache.path("cache_hits").asLong()).isEqualTo(1);
            assertThat(cache.path("cache_misses").asLong()).isZero();
        }
    }

    @Test
    void shouldLogTheOcspReloadLines() throws Exception {
        Path conf = dir.resolve("reload.conf");
        String local = "ocsp_cache: {local_store: \"" + dir.resolve("reload-rc") + "\"}\n";
        Files.writeString(conf, peerTls("true") + local);
        NatsServer server = new NatsServer(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                .build());
        server.start();
        try (LogCapture log = LogCapture.of(NatsServer.class)) {
            Files.writeString(conf, peerConf("true"));
            assertThat(server.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1).build(), ""))
                    .isEmpty();
            log.await("Reloaded OCSP peer cache");
            assertThat(log.lines()).noneMatch(line -> line.contains("Reloaded: OCSP"));
            Files.writeString(conf, "ocsp: false\n" + peerConf("true"));
            assertThat(server.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1).build(), ""))
                    .isEmpty();
            log.await("Reloaded: OCSP");
            assertThat(server.ocsp().cache().type()).isEqualTo("none");
        } finally {
            server.shutdown();
        }
    }

    private static String subject(TestPki.Issued cert) {
        return io.jnatsd.server.auth.CertificateIdentity.subjectString(cert.certificate());
    }

    /**
     * A client TLS context trusting the test CA that records the OCSP responses the server staples (JSSE asks for
     * them by default: {@code jdk.tls.client.enableStatusRequestExtension}).
     */
    private static final class StapleCapture extends X509ExtendedTrustManager {
        final List<byte[]> staples = new CopyOnWriteArrayList<>();
        volatile int handshakes;
        private final X509ExtendedTrustManager delegate;

        StapleCapture(X509Certificate ca) {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", ca);
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                delegate = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {this}, null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void record(SSLSession session) {
            handshakes++;
            if (session instanceof ExtendedSSLSession extended) {
                staples.addAll(extended.getStatusResponses());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            record(((SSLSocket) socket).getHandshakeSession());
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            record(engine.getHandshakeSession());
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
