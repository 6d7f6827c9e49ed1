package io.jnatsd.systest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/jnatsd}'s listening-socket hand-over: the launcher binds the client port before the JVM starts when the
 * port is evident, and the server adopts that socket only if it is the address the final options name.
 */
class LauncherIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put("JNATSD_AOT", "off");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static List<String> launcher(String... args) {
        String launcher = System.getProperty("jnatsd.launcher");
        assertThat(launcher).as("jnatsd.launcher system property").isNotNull();
        List<String> command = new ArrayList<>(List.of("bash", launcher));
        command.addAll(List.of(args));
        return command;
    }

    /** Connects once the port accepts and checks that a NATS server answers there. */
    private String infoFrom(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            assertThat(p.isAlive()).as("server running; output: %s", output()).isTrue();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout((int) WAIT.toMillis());
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                return in.readLine();
            } catch (IOException refused) {
                assertThat(System.nanoTime()).as("port %d accepted in time", port).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private String output() throws IOException {
        Path log = dir.resolve("out.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void shouldListenOnThePortFlagRatherThanTheFilesPort() throws Exception {
        int filePort = freePort();
        int flagPort = freePort();
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "port: " + filePort + "\n");
        Process p = start(launcher("-c", conf.toString(), "-a", "127.0.0.1", "-p", Integer.toString(flagPort)));
        assertThat(infoFrom(p, flagPort)).startsWith("INFO {");
        assertThat(output()).contains("Listening for client connections on 127.0.0.1:" + flagPort);
    }

    @Test
    void shouldListenOnAHostNameFromTheFile() throws Exception {
        int port = freePort();
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "port: " + port + "\nnet: localhost\n");
        Process p = start(launcher("-c", conf.toString()));
        assertThat(infoFrom(p, port)).startsWith("INFO {");
        assertThat(output()).contains("Listening for client connections on localhost:" + port);
    }

    /**
     * Only the file's top-level {@code port} is the client port: a {@code port} inside a block (here the WebSocket
     * listener's, written last) must not be taken for it. The WebSocket block's port is bound early too and handed
     * to the WebSocket listener.
     */
    @Test
    void shouldPreBindTheTopLevelPortAndTheWebSocketPortOfTheFile() throws Exception {
        int port = freePort();
        int wsPort = freePort();
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "# a { in a comment\nport: " + port + "\nnet: localhost\n"
                + "authorization { users: [ {user: \"a{\", password: \"b}\"} ] }\n"
                + "websocket {\n  port: " + wsPort + "\n  no_tls: true\n}\n");
        Process p = start(launcher("-c", conf.toString()));
        assertThat(infoFrom(p, port)).startsWith("INFO {");
        assertThat(output()).contains("Listening for websocket clients on ws://0.0.0.0:" + wsPort)
                .contains("Listening for client connections on localhost:" + port);
        // both ports were bound by the launcher and handed to the JVM (perl exec'd java in the same process)
        assertThat(String.join(" ", p.info().arguments().orElseThrow()))
                .contains("-Djnatsd.inheritedListenerFd=").contains("-Djnatsd.inheritedWebSocketFd=");
        try (Socket ws = new Socket("127.0.0.1", wsPort)) {
            ws.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ws.setSoTimeout((int) WAIT.toMillis());
            assertThat(new BufferedReader(new InputStreamReader(ws.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
        }
    }

    /** A descriptor bound to another address than the options name is closed, and the server binds its own. */
    @Test
    void shouldBindItsOwnSocketWhenTheInheritedOneListensElsewhere() throws Exception {
        int port = freePort();
        String perl = """
                my ($port, @cmd) = @ARGV;
                $^F = 1023;
                socket(my $s, PF_INET, SOCK_STREAM, 0) or die;
                setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1) or die;
                bind($s, pack_sockaddr_in($port, INADDR_ANY)) or die;
                listen($s, 16) or die;
                splice(@cmd, 1, 0, "-Djnatsd.inheritedListenerFd=" . fileno($s));
                exec { $cmd[0] } @cmd or die;
                """;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = start(List.of("perl", "-MSocket", "-e", perl, Integer.toString(port), java,
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("jnatsd.appJar"),
                "-a", "127.0.0.1", "-p", Integer.toString(port)));
        assertThat(infoFrom(p, port)).startsWith("INFO {");
        assertThat(output()).contains("Listening for client connections on 127.0.0.1:" + port)
                .doesNotContain("[FTL]");
    }
}
