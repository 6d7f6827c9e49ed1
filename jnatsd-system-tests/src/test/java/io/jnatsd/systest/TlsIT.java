package io.jnatsd.systest;

import io.jnatsd.server.tls.TestPki;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.PinnedCerts;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on the client port, seen from the official Java client and from raw (TLS) sockets: INFO fields, the normal,
 * handshake_first and allow_non_tls flows, client verification and pinning, failures that close only the failing
 * connection, the handshake timeout, the rate limit and certificate reload (nats-server server/server.go
 * createClientEx, client.go doTLSHandshake).
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class TlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;
    private static TestPki.Issued clientCert;
    private static TestPki.Issued otherClientCert;
    private static TestPki.Issued untrustedClientCert;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger connectionLogger;
    private Level savedLevel;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "it");
        serverCert = pki.server("server");
        clientCert = pki.client("client");
        otherClientCert = pki.client("other-client");
        untrustedClientCert = TestPki.create(dir, "rogue").client("rogue-client");
    }

    @BeforeEach
    void captureConnectionLog() {
        connectionLogger = (Logger) LoggerFactory.getLogger(Connection.class);
        savedLevel = connectionLogger.getLevel();
        connectionLogger.setLevel(Level.DEBUG);
        connectionLogger.setAdditive(false);
        log.start();
        connectionLogger.addAppender(log);
    }

    @AfterEach
    void restoreLog() {
        connectionLogger.detachAppender(log);
        connectionLogger.setAdditive(true);
        connectionLogger.setLevel(savedLevel);
    }

    private static EmbeddedServer tlsServer(UnaryOperator<TlsOptions.Builder> tls) {
        TlsOptions options = tls.apply(TlsOptions.builder().certificate(serverCert.certFile(), serverCert.keyFile()))
                .build();
        return EmbeddedServer.start(b -> b.tls(options).logging(ServerOptions.LoggingOptions.defaults()
                .withDebug(true)));
    }

    private static io.nats.client.Connection connect(String url, SSLContext context, boolean tlsFirst)
            throws Exception {
        return connect(url, context, tlsFirst, TIMEOUT);
    }

    private static io.nats.client.Connection connect(String url, SSLContext context, boolean tlsFirst,
                                                     Duration timeout) throws Exception {
        Options.Builder options = new Options.Builder().server(url).connectionTimeout(timeout).noReconnect();
        if (context != null) {
            options.sslContext(context);
        }
        if (tlsFirst) {
            options.tlsFirst();
        }
        return Nats.connect(options.build());
    }

    private static String tlsUrl(EmbeddedServer server) {
        return "tls://127.0.0.1:" + server.port();
    }

    private static void assertRoundTrip(io.nats.client.Connection subscriber, io.nats.client.Connection publisher,
                                        String subject) throws Exception {
        Subscription sub = subscriber.subscribe(subject);
        subscriber.flush(TIMEOUT);
        publisher.publish(subject, "hello".getBytes(StandardCharsets.UTF_8));
        publisher.flush(TIMEOUT);
        Message message = sub.nextMessage(TIMEOUT);
        assertThat(message).as("message on " + subject).isNotNull();
        assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    private List<String> logLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void awaitLog(String fragment) {
        Await.until(TIMEOUT, () -> "a log line with \"" + fragment + "\" in " + logLines(),
                () -> logLines().stream().anyMatch(line -> line.contains(fragment)));
    }

    private static void awaitClosedWith(EmbeddedServer server, ClosedState reason) {
        Await.until(TIMEOUT, () -> "a connection closed with " + reason + " in "
                + server.server().closedConnections(), () -> server.server().closedConnections().stream()
                .anyMatch(c -> c.reason() == reason));
    }

    // ------------------------------------------------------------------------------------------- basics

    @Test
    void shouldServeTheJavaClientOverTls() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t);
             io.nats.client.Connection nc = connect(tlsUrl(server), pki.clientContext(null), false)) {
            assertThat(nc.getServerInfo().isTLSRequired()).isTrue();
            assertRoundTrip(nc, nc, "tls.basic");
            Connection client = server.server().clients().iterator().next();
            assertThat(client.tlsSession()).isNotNull();
            assertThat(client.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        awaitLog("TLS handshake complete");
        awaitLog("TLS version 1.3, cipher suite TLS_");
    }

    @Test
    void shouldAdvertiseTlsInTheInfo() {
        try (EmbeddedServer server = tlsServer(t -> t);
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            JsonNode info = raw.info();
            assertThat(info.path("tls_required").asBoolean()).isTrue();
            assertThat(info.has("tls_verify")).isFalse();
            assertThat(info.has("tls_available")).isFalse();
        }
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            assertThat(raw.info().path("tls_required").asBoolean()).isTrue();
            assertThat(raw.info().path("tls_verify").asBoolean()).isTrue();
        }
        try (EmbeddedServer server = tlsServer(t -> t.allowNonTls(true));
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            assertThat(raw.info().has("tls_required")).isFalse();
            assertThat(raw.info().path("tls_available").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldSpeakTheProtocolOverTlsAfterAPlaintextInfo() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t)) {
            RawClient plain = RawClient.connectAndReadInfo(server.port());
            try (RawClient tls = plain.upgradeToTls(pki.clientContext(null))) {
                tls.send("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n");
                tls.expectLine("MSG a 1 2").expectLine("hi").expectLine("PONG");
                assertThat(tls.tlsSession().getPeerCertificates()[0]).isEqualTo(serverCert.certificate());
            }
        }
    }

    // ----------------------------------------------------------------------------------- client certificates

    @Test
    void shouldAcceptVerifiedClientCertificates() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()));
             io.nats.client.Connection nc = connect(tlsUrl(server), pki.clientContext(clientCert), false)) {
            assertThat(nc.getServerInfo().isTLSRequired()).isTrue();
            assertRoundTrip(nc, nc, "tls.verified");
        }
    }

    @Test
    void shouldRefuseAMissingClientCertificate() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()));
             io.nats.client.Connection bystander = connect(tlsUrl(server), pki.clientContext(clientCert), false)) {
            // TLS 1.3: the client finishes first and learns of the refusal while waiting for its PONG
            assertThatThrownBy(() -> connect(tlsUrl(server), pki.clientContext(null), false, Duration.ofSeconds(2))
                    .close())
                    .isInstanceOf(IOException.class);
            awaitClosedWith(server, ClosedState.TLS_HANDSHAKE_ERROR);
            awaitLog("TLS handshake error: tls: client didn't provide a certificate");
            assertRoundTrip(bystander, bystander, "tls.bystander");
        }
    }

    @Test
    void shouldRefuseAnUntrustedClientCertificate() {
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()))) {
            RawClient plain = RawClient.connectAndReadInfo(server.port());
            long cid = plain.clientId();
            try {
                RawClient tls = plain.upgradeToTls(pki.clientContext(untrustedClientCert));
                // TLS 1.3: the client may finish before the server has checked its certificate
                assertThat(tls.readUntilClosed(TIMEOUT)).isEmpty();
                tls.close();
            } catch (UncheckedIOException expected) {
                plain.close();
            }
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.TLS_HANDSHAKE_ERROR);
            awaitLog("TLS handshake error: tls: failed to verify certificate: x509: certificate signed by unknown"
                    + " authority");
        }
    }

    @Test
    void shouldSendATlsAlertWhenItRefusesAClientCertificateAsNatsServerDoes() {
        Instant now = Instant.now();
        TestPki.Issued expired = pki.issue("expired-client", TestPki.Algorithm.EC, TestPki.KeyFormat.PKCS8, false,
                true, List.of(), now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()))) {
            // a client that learns of the refusal from an alert reports an SSLException (the Java client's
            // reconnect logic counts it), not the end of stream it would see if the socket simply closed
            assertThat(refusal(server.port(), expired)).isInstanceOf(SSLException.class)
                    .hasMessageContaining("Received fatal alert");
            awaitLog("TLS handshake error: tls: failed to verify certificate: x509: certificate has expired or is not"
                    + " yet valid");
        }
        if (GoServer.available()) {
            String conf = "tls { cert_file: \"" + serverCert.certFile() + "\", key_file: \"" + serverCert.keyFile()
                    + "\", ca_file: \"" + pki.caFile() + "\", verify: true }\n";
            try (GoServer go = GoServer.startWithConfig(conf)) {
                // Go's bad_certificate alert, or a reset when its close overtakes the client's read of the alert
                assertThat(refusal(go.port(), expired)).isInstanceOfAny(SSLException.class, SocketException.class);
            }
        }
    }

    /** What ended the TLS session of a client presenting {@code certificate} that the server refuses. */
    private static Throwable refusal(int port, TestPki.Issued certificate) {
        RawClient plain = RawClient.connectAndReadInfo(port);
        RawClient tls;
        try {
            tls = plain.upgradeToTls(pki.clientContext(certificate));
        } catch (UncheckedIOException e) {
            plain.close();
            return e.getCause();                     // TLS 1.2: the alert ends the client's handshake
        }
        try (tls) {
            // TLS 1.3: the client finishes first and reads the alert that follows
            assertThat(tls.readUntilClosed(TIMEOUT)).isEmpty();
            return tls.closeCause();
        }
    }

    @Test
    void shouldAdmitOnlyPinnedClientCertificates() throws Exception {
        String pin = PinnedCerts.keyId(clientCert.certificate());
        try (EmbeddedServer server = tlsServer(t -> t.verify(true).caFile(pki.caFile()).pinnedCerts(Set.of(pin)));
             io.nats.client.Connection pinned = connect(tlsUrl(server), pki.clientContext(clientCert), false)) {
            assertRoundTrip(pinned, pinned, "tls.pinned");
            RawClient plain = RawClient.connectAndReadInfo(server.port());
            long cid = plain.clientId();
            try (RawClient tls = plain.upgradeToTls(pki.clientContext(otherClientCert))) {
                assertThat(tls.isClosedWithin(TIMEOUT)).isTrue();
            }
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.TLS_HANDSHAKE_ERROR);
            awaitLog("TLS handshake error: certificate not pinned");
        }
    }

    @Test
    void shouldRefuseClientsAboveMaxConnectionsInPlaintextBeforeTheHandshake() throws Exception {
        TlsOptions tls = TlsOptions.builder().certificate(serverCert.certFile(), serverCert.keyFile()).build();
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.tls(tls).maxConnections(1));
             io.nats.client.Connection first = connect(tlsUrl(server), pki.clientContext(null), false);
             RawClient refused = RawClient.connectAndReadInfo(server.port())) {
            assertThat(refused.readUntilClosed(TIMEOUT)).isEqualTo("-ERR 'maximum connections exceeded'\r\n");
            assertRoundTrip(first, first, "tls.first.client");
        }
    }

    @Test
    void shouldAnnounceTheTlsModeAtStartup() {
        Logger serverLogger = (Logger) LoggerFactory.getLogger(NatsServer.class);
        ListAppender<ILoggingEvent> startup = new ListAppender<>();
        Level saved = serverLogger.getLevel();
        serverLogger.setLevel(Level.INFO);
        serverLogger.setAdditive(false);
        startup.start();
        serverLogger.addAppender(startup);
        try {
            try (EmbeddedServer required = tlsServer(t -> t);
                 EmbeddedServer available = tlsServer(t -> t.allowNonTls(true));
                 EmbeddedServer firstOnly = tlsServer(t -> t.handshakeFirst(true))) {
                assertThat(required.port()).isNotEqualTo(available.port()).isNotEqualTo(firstOnly.port());
            }
            List<String> lines = startup.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).containsSubsequence("TLS required for client connections",
                    "TLS available for client connections", "TLS required for client connections",
                    "Clients that are not using \"TLS Handshake First\" option will fail to connect");
        } finally {
            serverLogger.detachAppender(startup);
            serverLogger.setAdditive(true);
            serverLogger.setLevel(saved);
        }
    }

    // ------------------------------------------------------------------------------------ other flows

    @Test
    void shouldDoTheHandshakeBeforeTheInfoWithHandshakeFirst() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.handshakeFirst(true).timeout(Duration.ofMillis(500)));
             io.nats.client.Connection nc = connect(tlsUrl(server), pki.clientContext(null), true)) {
            assertRoundTrip(nc, nc, "tls.first");
            try (RawClient tls = RawClient.connectTlsFirst(server.port(), pki.clientContext(null))) {
                assertThat(tls.readInfo().path("tls_required").asBoolean()).isTrue();
                tls.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            }
            try (RawClient plain = RawClient.connect(server.port())) {
                assertThat(plain.readUntilClosed(TIMEOUT)).as("no INFO before the handshake").isEmpty();
            }
        }
    }

    @Test
    void shouldSendTheInfoFirstWhenAHandshakeFirstClientWaits() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.handshakeFirst(true)
                .handshakeFirstFallback(Duration.ofMillis(50)));
             io.nats.client.Connection first = connect(tlsUrl(server), pki.clientContext(null), true);
             io.nats.client.Connection classic = connect(tlsUrl(server), pki.clientContext(null), false)) {
            assertRoundTrip(first, classic, "tls.fallback");
            RawClient plain = RawClient.connectAndReadInfo(server.port());
            assertThat(plain.info().path("tls_required").asBoolean()).isTrue();
            assertThat(first.getServerInfo().isTLSRequired()).isTrue();
            try (RawClient tls = plain.upgradeToTls(pki.clientContext(null))) {
                tls.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            }
        }
    }

    @Test
    void shouldServePlainAndTlsClientsOnAnAllowNonTlsPort() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.allowNonTls(true));
             io.nats.client.Connection plain = connect(server.url(), null, false);
             io.nats.client.Connection secure = connect(tlsUrl(server), pki.clientContext(null), false)) {
            assertRoundTrip(plain, secure, "mixed.a");
            assertRoundTrip(secure, plain, "mixed.b");
            Await.until(TIMEOUT, "two clients", () -> server.server().clientCount() == 2);
            assertThat(server.server().clients()).filteredOn(c -> c.tlsSession() != null).hasSize(1);
            try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
                raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            }
        }
    }

    // ------------------------------------------------------------------------------ failures stay local

    @Test
    void shouldCloseOnlyAClientThatSpeaksPlaintextToATlsPort() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t);
             io.nats.client.Connection bystander = connect(tlsUrl(server), pki.clientContext(null), false)) {
            try (RawClient plain = RawClient.connectAndReadInfo(server.port())) {
                long cid = plain.clientId();
                plain.send("CONNECT {}\r\nPING\r\n");
                assertThat(plain.readUntilClosed(TIMEOUT)).as("no -ERR, as nats-server").isEmpty();
                assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.TLS_HANDSHAKE_ERROR);
            }
            awaitLog("TLS handshake error: tls: first record does not look like a TLS handshake");
            assertRoundTrip(bystander, bystander, "tls.after.garbage");
        }
    }

    @Test
    void shouldTimeOutAStalledHandshake() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t.timeout(Duration.ofMillis(300)));
             io.nats.client.Connection bystander = connect(tlsUrl(server), pki.clientContext(null), false);
             RawClient plain = RawClient.connectAndReadInfo(server.port())) {
            long cid = plain.clientId();
            assertThat(plain.readUntilClosed(TIMEOUT)).as("the -ERR stays behind the unfinished TLS session")
                    .isEmpty();
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.TLS_HANDSHAKE_ERROR);
            awaitLog("TLS handshake timeout");
            assertRoundTrip(bystander, bystander, "tls.after.timeout");
        }
    }

    @Test
    void shouldSurviveAClientVanishingMidHandshake() throws Exception {
        try (EmbeddedServer server = tlsServer(t -> t);
             io.nats.client.Connection bystander = connect(tlsUrl(server), pki.clientContext(null), false)) {
            RawClient plain = RawClient.connectAndReadInfo(server.port());
            long cid = plain.clientId();
            plain.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            plain.abort();
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.TLS_HANDSHAKE_ERROR);
            awaitLog("TLS handshake error: read: connection reset by peer");
            assertRoundTrip(bystander, bystander, "tls.after.vanish");
        }
    }

    @Test
    void shouldThrottleHandshakesAboveTheRateLimit() {
        String refusal = "-ERR 'Connection throttling is active. Please try again later.'\r\n";
        try (EmbeddedServer server = tlsServer(t -> t.connectionRateLimit(1).timeout(Duration.ofMillis(300)))) {
            boolean throttled = false;
            // two handshakes in the same one-second window: the second is refused (a window may end between the
            // two connects on a very slow machine, hence the retries)
            for (int attempt = 0; attempt < 5 && !throttled; attempt++) {
                try (RawClient first = RawClient.connectAndReadInfo(server.port());
                     RawClient second = RawClient.connectAndReadInfo(server.port())) {
                    String firstRest = first.readUntilClosed(TIMEOUT);
                    String secondRest = second.readUntilClosed(TIMEOUT);
                    throttled = firstRest.equals(refusal) || secondRest.equals(refusal);
                }
            }
            assertThat(throttled).as("a second handshake within a second was refused").isTrue();
            awaitClosedWith(server, ClosedState.MAX_CONNECTIONS_EXCEEDED);
        }
    }

    // ---------------------------------------------------------------------------------------- reload

    @Test
    void shouldUseReloadedCertificatesForNewConnectionsOnly() throws Exception {
        Path cert = dir.resolve("reload-cert.pem");
        Path key = dir.resolve("reload-key.pem");
        Files.copy(serverCert.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(serverCert.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
        Path conf = dir.resolve("reload.conf");
        Files.writeString(conf, "host: 127.0.0.1\nport: -1\ndebug: true\ntls { cert_file: \"" + cert
                + "\", key_file: \"" + key + "\" }\n");
        NatsServer server = new NatsServer(ConfigLoader.options(conf));
        server.start();
        try {
            RawClient before = RawClient.connectAndReadInfo(server.clientPort()).upgradeToTls(
                    pki.clientContext(null));
            before.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            assertThat(peer(before)).isEqualTo(serverCert.certificate());

            TestPki.Issued renewed = pki.server("renewed");
            Files.copy(renewed.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.reload(ConfigLoader.options(conf), "")).isEmpty();

            try (RawClient after = RawClient.connectAndReadInfo(server.clientPort()).upgradeToTls(
                    pki.clientContext(null))) {
                after.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
                assertThat(peer(after)).isEqualTo(renewed.certificate());
            }
            before.send("PING\r\n").expectLine("PONG");
            before.close();
        } finally {
            server.shutdown();
        }
    }

    @Test
    void shouldCloseClientsThatAReloadNoLongerPins() throws Exception {
        Path conf = dir.resolve("pins.conf");
        String tls = "host: 127.0.0.1\nport: -1\ndebug: true\ntls { cert_file: \"" + serverCert.certFile()
                + "\", key_file: \"" + serverCert.keyFile() + "\", ca_file: \"" + pki.caFile() + "\", verify: true";
        Files.writeString(conf, tls + " }\n");
        NatsServer server = new NatsServer(ConfigLoader.options(conf));
        server.start();
        try (io.nats.client.Connection kept = connect("tls://127.0.0.1:" + server.clientPort(),
                pki.clientContext(clientCert), false);
             io.nats.client.Connection dropped = connect("tls://127.0.0.1:" + server.clientPort(),
                     pki.clientContext(otherClientCert), false)) {
            Files.writeString(conf, tls + ", pinned_certs: [\"" + PinnedCerts.keyId(clientCert.certificate())
                    + "\"] }\n");
            assertThat(server.reload(ConfigLoader.options(conf), "")).isEmpty();
            Await.until(TIMEOUT, "the unpinned client closed", () -> server.closedConnections().stream()
                    .anyMatch(c -> c.reason() == ClosedState.TLS_HANDSHAKE_ERROR));
            assertThat(server.clientCount()).isEqualTo(1);
            assertRoundTrip(kept, kept, "tls.kept");
            Await.until(TIMEOUT, "the unpinned client sees its connection closed",
                    () -> dropped.getStatus() == io.nats.client.Connection.Status.CLOSED);
        } finally {
            server.shutdown();
        }
    }

    private static X509Certificate peer(RawClient client) throws IOException {
        return (X509Certificate) client.tlsSession().getPeerCertificates()[0];
    }
}
