package io.jnatsd.systest;

import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.TestPki;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol on the client port ({@code proxy_protocol: true}), seen from raw sockets that send v1 and v2
 * headers and from the official Java client behind a tiny relay that prepends a v1 header (nats-server
 * server/client_proxyproto.go, server.go createClientEx). nats-server 2.9.10 predates the PROXY protocol, so the
 * expectations follow the Go source rather than a comparison run.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class ProxyProtocolIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
        0x0A};

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued serverCert;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create(dir, "proxy");
        serverCert = pki.server("server");
    }

    private static EmbeddedServer proxyServer() {
        return EmbeddedServer.start(b -> b.proxyProtocol(true));
    }

    private static Connection connection(EmbeddedServer server, RawClient raw) {
        return server.client(raw.clientId()).orElseThrow();
    }

    /** A v2 PROXY/STREAM/INET header for {@code a.b.c.d:port}. */
    private static byte[] v2Inet(int command, byte[] source, int port) {
        byte[] header = new byte[16 + 12];
        System.arraycopy(V2_SIGNATURE, 0, header, 0, 12);
        header[12] = (byte) (0x20 | command);
        header[13] = 0x11;
        header[15] = 12;
        System.arraycopy(source, 0, header, 16, 4);
        header[20] = 10;
        header[23] = 1;
        header[24] = (byte) (port >> 8);
        header[25] = (byte) port;
        header[26] = 0x10;
        header[27] = (byte) 0x8e;
        return header;
    }

    @Test
    void shouldTakeTheClientAddressFromAV1Header() {
        try (EmbeddedServer server = proxyServer();
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            assertThat(raw.info().has("client_ip")).as("the first INFO would name the proxy").isFalse();
            raw.send("PROXY TCP4 192.0.2.7 10.0.0.1 51234 4222\r\nCONNECT {\"verbose\":false}\r\nPING\r\n")
                    .expectLine("PONG");
            Connection c = connection(server, raw);
            assertThat(c.ip()).isEqualTo("192.0.2.7");
            assertThat(c.port()).isEqualTo(51234);
            assertThat(c.toString()).startsWith("192.0.2.7:51234 - cid:");
        }
    }

    @Test
    void shouldTakeTheClientAddressFromAV2HeaderAndKeepThePeerForLocal() {
        try (EmbeddedServer server = proxyServer();
             RawClient proxied = RawClient.connectAndReadInfo(server.port());
             RawClient local = RawClient.connectAndReadInfo(server.port())) {
            proxied.send(v2Inet(1, new byte[] {(byte) 198, 51, 100, 9}, 40000));
            proxied.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            assertThat(connection(server, proxied).ip()).isEqualTo("198.51.100.9");
            assertThat(connection(server, proxied).port()).isEqualTo(40000);

            local.send(v2Inet(0, new byte[] {1, 2, 3, 4}, 1));
            local.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            assertThat(connection(server, local).ip()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void shouldAcceptClientsWithoutAHeader() {
        try (EmbeddedServer server = proxyServer();
             RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            assertThat(connection(server, raw).ip()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionWithAMalformedHeaderWithoutAnError() {
        try (EmbeddedServer server = proxyServer();
             RawClient bystander = RawClient.connectAndReadInfo(server.port());
             RawClient bad = RawClient.connectAndReadInfo(server.port())) {
            bystander.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            long cid = bad.clientId();
            bad.send("PROXY TCP4 1.2.3.4 5.6.7.8 99999 1\r\nPING\r\n");
            assertThat(bad.readUntilClosed(TIMEOUT)).doesNotContain("-ERR").doesNotContain("PONG");
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.PROTOCOL_VIOLATION);
            bystander.send("PING\r\n").expectLine("PONG");
        }
    }

    @Test
    void shouldCloseAV2HeaderOfAnUnsupportedFamily() {
        try (EmbeddedServer server = proxyServer();
             RawClient bad = RawClient.connectAndReadInfo(server.port())) {
            long cid = bad.clientId();
            byte[] unix = v2Inet(1, new byte[4], 1);
            unix[13] = 0x31;
            bad.send(unix);
            assertThat(bad.isClosedWithin(TIMEOUT)).isTrue();
            assertThat(server.awaitClosedReason(cid)).isEqualTo(ClosedState.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void shouldReadTheHeaderBeforeTls() {
        TlsOptions tls = TlsOptions.builder().certificate(serverCert.certFile(), serverCert.keyFile()).build();
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.proxyProtocol(true).tls(tls));
             RawClient plain = RawClient.connectAndReadInfo(server.port())) {
            long cid = plain.clientId();
            plain.send("PROXY TCP6 2001:db8::7 2001:db8::1 6000 4222\r\n");
            try (RawClient secure = plain.upgradeToTls(pki.clientContext(null))) {
                secure.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
                Connection c = server.client(cid).orElseThrow();
                assertThat(c.ip()).isEqualTo("2001:db8::7");
                assertThat(c.port()).isEqualTo(6000);
            }
        }
    }

    @Test
    void shouldServeTheJavaClientBehindARelayThatSendsAV1Header() throws Exception {
        try (EmbeddedServer server = proxyServer();
             HeaderRelay relay = new HeaderRelay(server.port(), "PROXY TCP4 203.0.113.5 10.0.0.1 45678 4222\r\n");
             io.nats.client.Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:"
                     + relay.port()).connectionName("behind-proxy").connectionTimeout(TIMEOUT).noReconnect()
                     .build())) {
            Subscription sub = nc.subscribe("relay.test");
            nc.flush(TIMEOUT);
            nc.publish("relay.test", "hi".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hi");
            Connection c = server.clientNamed("behind-proxy").orElseThrow();
            assertThat(c.ip()).isEqualTo("203.0.113.5");
            assertThat(c.port()).isEqualTo(45678);
        }
    }

    /** Accepts one client, connects it to the server and relays both ways, starting with {@code header}. */
    private static final class HeaderRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread acceptor;
        private volatile Socket client;
        private volatile Socket upstream;

        HeaderRelay(int serverPort, String header) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    client = listener.accept();
                    upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                    upstream.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
                    Thread.ofVirtual().start(() -> pump(upstream, client));
                    pump(client, upstream);
                } catch (IOException e) {
                    // closed by the test
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : new Socket[] {client, upstream}) {
                if (s != null) {
                    s.close();
                }
            }
            acceptor.interrupt();
        }
    }
}
