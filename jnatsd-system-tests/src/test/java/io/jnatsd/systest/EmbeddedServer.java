package io.jnatsd.systest;

import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.ClosedConnection;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@link NatsServer} started in this JVM on {@code 127.0.0.1} (a random port unless one is given) and shut down by
 * {@link #close()}. Thread-safe: every method reads the server's thread-safe accessors.
 */
public final class EmbeddedServer implements AutoCloseable {

    /** How long a test waits for the server to react to something (close a connection, ...). */
    public static final Duration REACTION_TIMEOUT = Duration.ofSeconds(10);

    private final NatsServer server;

    private EmbeddedServer(NatsServer server) {
        this.server = server;
    }

    /** A server with default options on a random port. */
    public static EmbeddedServer start() {
        return start(b -> b);
    }

    /** A server on a random port whose options are the defaults changed by {@code options}. */
    public static EmbeddedServer start(UnaryOperator<ServerOptions.Builder> options) {
        return startOnPort(ServerOptions.RANDOM_PORT, options);
    }

    /** A server with JetStream enabled, storing under {@code storeDir}, on a random port. */
    public static EmbeddedServer startJetStream(Path storeDir) {
        return start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir(storeDir.toString()).build()));
    }

    /** A server on {@code port} whose options are the defaults changed by {@code options}. */
    public static EmbeddedServer startOnPort(int port, UnaryOperator<ServerOptions.Builder> options) {
        ServerOptions opts = options.apply(ServerOptions.builder().host("127.0.0.1").port(port)).build();
        NatsServer server = new NatsServer(opts);
        try {
            server.start();
        } catch (IOException e) {
            server.shutdown();
            throw new UncheckedIOException(e);
        }
        return new EmbeddedServer(server);
    }

    /**
     * A server configured by the config file text {@code conf} (loaded as an embedder does, through
     * {@link ConfigLoader#options(Path)}), listening on {@code 127.0.0.1} and a random port whatever the file says.
     */
    public static EmbeddedServer startWithConfig(String conf) {
        ServerOptions opts;
        try {
            Path file = Files.createTempFile("jnatsd-systest-", ".conf");
            try {
                Files.writeString(file, conf, StandardCharsets.UTF_8);
                opts = ConfigLoader.options(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return startOnPort(ServerOptions.RANDOM_PORT, b -> opts.toBuilder().host("127.0.0.1")
                .port(ServerOptions.RANDOM_PORT));
    }

    /**
     * A server on a random port whose clients are authenticated by {@code authentication} alone (it may bind them
     * to {@code $SYS}), with the default options changed by {@code options}.
     */
    public static EmbeddedServer startWithAuthentication(io.jnatsd.server.auth.ClientAuthentication authentication,
                                                         UnaryOperator<ServerOptions.Builder> options) {
        ServerOptions opts = options.apply(ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT))
                .build();
        NatsServer server = new NatsServer(opts, authentication);
        try {
            server.start();
        } catch (IOException e) {
            server.shutdown();
            throw new UncheckedIOException(e);
        }
        return new EmbeddedServer(server);
    }

    /** {@link #startWithConfig} with a random monitoring port as well. */
    public static EmbeddedServer startWithConfigAndHttp(String conf) {
        ServerOptions opts;
        try {
            Path file = Files.createTempFile("jnatsd-systest-", ".conf");
            try {
                Files.writeString(file, conf, StandardCharsets.UTF_8);
                opts = ConfigLoader.options(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return startOnPort(ServerOptions.RANDOM_PORT, b -> opts.toBuilder().host("127.0.0.1")
                .port(ServerOptions.RANDOM_PORT).httpPort(ServerOptions.RANDOM_PORT));
    }

    /** The running server. */
    public NatsServer server() {
        return server;
    }

    /** The bound client port. */
    public int port() {
        return server.clientPort();
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return server.clientUrl();
    }

    /** The bound WebSocket port. */
    public int wsPort() {
        return server.webSocketPort();
    }

    /** {@code ws://127.0.0.1:<port>} (or {@code wss://}). */
    public String wsUrl() {
        return server.webSocketUrl();
    }

    /** {@code http://127.0.0.1:<monitor port>}; the server must have been started with a monitoring port. */
    public String monitorUrl() {
        java.net.InetSocketAddress address = server.monitorAddress();
        if (address == null) {
            throw new IllegalStateException("no monitoring port");
        }
        return "http://127.0.0.1:" + address.getPort();
    }

    /** The open client connection with id {@code cid}, if any. */
    public Optional<Connection> client(long cid) {
        return server.clients().stream().filter(c -> c.cid() == cid).findFirst();
    }

    /** The open client connection whose CONNECT carried {@code name}, if any. */
    public Optional<Connection> clientNamed(String name) {
        return server.clients().stream().filter(c -> name.equals(c.clientOptions().name)).findFirst();
    }

    /** The closed-connection record of {@code cid}, if the server has closed it. */
    public Optional<ClosedConnection> closed(long cid) {
        return server.closedConnections().stream().filter(c -> c.cid() == cid).findFirst();
    }

    /** Waits until the server has recorded connection {@code cid} as closed, and returns why. */
    public ClosedState awaitClosedReason(long cid) {
        Await.until(REACTION_TIMEOUT, () -> "closed connection record of cid " + cid + " in "
                + server.closedConnections(), () -> closed(cid).isPresent());
        return closed(cid).orElseThrow().reason();
    }

    /** Waits until exactly {@code count} client connections are open. */
    public void awaitClientCount(int count) {
        Await.until(REACTION_TIMEOUT, () -> count + " open clients, have " + server.clientCount(),
                () -> server.clientCount() == count);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
