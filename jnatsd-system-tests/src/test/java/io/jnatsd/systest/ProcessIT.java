package io.jnatsd.systest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jnatsd process as an operator sees it: the shaded {@code jnatsd.jar} (what {@code bin/jnatsd} runs) started
 * as a child process, driven with signals, its output and files checked.
 */
class ProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String jar() {
        String jar = System.getProperty("jnatsd.appJar");
        assertThat(jar).as("jnatsd.appJar system property").isNotNull();
        assertThat(Path.of(jar)).exists();
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private List<String> jnatsd(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar()));
        command.addAll(List.of(args));
        return command;
    }

    private String output() throws IOException {
        Path log = dir.resolve("out.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitOutput(String text) throws IOException {
        Await.until(WAIT, () -> {
            try {
                return output().contains(text);
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(output()).contains(text);
    }

    private static void kill(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void shouldStartWithTheBannerWriteItsFilesAndStopOnSigterm() throws Exception {
        int port = freePort();
        Path pid = dir.resolve("jnatsd.pid");
        Process p = start(jnatsd("-a", "127.0.0.1", "-p", Integer.toString(port), "-P", pid.toString(),
                "--ports_file_dir", dir.toString()));
        awaitOutput("Server is ready");
        String out = output();
        assertThat(out).contains("[INF] Starting nats-server", "[INF]   Version:  2.15.0-dev",
                "[INF] Listening for client connections on 127.0.0.1:" + port);
        assertThat(out.lines().findFirst().orElseThrow())
                .matches("\\[" + p.pid() + "\\] \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\[INF\\] .*");
        assertThat(Files.readString(pid)).isEqualTo(Long.toString(p.pid()));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pid)))
                .isEqualTo("rw-------");
        Path ports = dir.resolve("jnatsd_" + p.pid() + ".ports");
        assertThat(Files.readString(ports)).isEqualTo("{\"nats\":[\"nats://127.0.0.1:" + port + "\"]}");
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("INFO ");
        }

        kill(p.pid(), "TERM");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output()).contains("Trapped \"terminated\" signal", "Server Exiting..");
        assertThat(ports).doesNotExist();
        assertThat(pid).exists();
    }

    @Test
    void shouldStopOnSigintEvenWhenTheParentIgnoredIt() throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "jnatsd"));
        command.addAll(jnatsd("-a", "127.0.0.1", "-p", Integer.toString(port)));
        Process p = start(command);
        awaitOutput("Server is ready");

        kill(p.pid(), "INT");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output()).contains("Trapped \"interrupt\" signal");
    }

    @Test
    void shouldReloadOnSighupAndRefuseANonReloadableChange() throws Exception {
        int port = freePort();
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "listen: 127.0.0.1:" + port + "\nmax_payload: 1000\n");
        Process p = start(jnatsd("-c", conf.toString()));
        awaitOutput("Server is ready");
        assertThat(output()).containsPattern("\\[INF\\] Using configuration file: .*server.conf \\(sha256:[0-9a-f]{64}\\)");

        Files.writeString(conf, "listen: 127.0.0.1:" + port + "\nmax_payload: 2000\nping_interval: \"30s\"\n");
        kill(p.pid(), "HUP");
        awaitOutput("Reloaded server configuration (sha256:");
        assertThat(output()).contains("Trapped \"hangup\" signal", "[INF] Reloaded: max_payload = 2000",
                "[INF] Reloaded: ping_interval = 30s");
        try (RawClient client = RawClient.connect(port)) {
            assertThat(client.readInfo().get("max_payload").asInt()).isEqualTo(2000);
        }

        Files.writeString(conf, "listen: 127.0.0.1:" + port + "\nmax_payload: 2000\nping_interval: \"30s\"\n"
                + "server_name: other\n");
        kill(p.pid(), "HUP");
        awaitOutput("Failed to reload server configuration: config reload not supported for ServerName");

        kill(p.pid(), "USR1");
        awaitOutput("File log re-open ignored, not a file logger");
        kill(p.pid(), "TERM");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldReopenTheLogFileOnSigusr1() throws Exception {
        int port = freePort();
        Path log = dir.resolve("nats.log");
        Process p = start(jnatsd("-a", "127.0.0.1", "-p", Integer.toString(port), "-l", log.toString()));
        Await.until(WAIT, () -> Files.exists(log) && read(log).contains("Server is ready"));
        Path moved = dir.resolve("nats.log.1");
        Files.move(log, moved);
        kill(p.pid(), "USR1");
        Await.until(WAIT, () -> Files.exists(log) && read(log).contains("File log re-opened"));
        assertThat(read(moved)).contains("Trapped \"user defined signal 1\" signal");
        kill(p.pid(), "TERM");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void shouldCheckAConfigFileAndExitLikeNatsServer() throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(good, "port: 4222\n");
        Process ok = start(jnatsd("-t", "-c", good.toString()));
        assertThat(ok.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).isZero();
        assertThat(output()).matches("nats-server: configuration file .*good.conf is valid \\(sha256:[0-9a-f]{64}\\)\n");

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "port: 4222\nbogus: 1\n");
        Process failed = start(jnatsd("-c", bad.toString()));
        assertThat(failed.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(failed.exitValue()).isEqualTo(1);
        assertThat(output()).isEqualTo("nats-server: " + bad + ":2:1: unknown field \"bogus\"\n\n");
    }

    @Test
    void shouldPrintUsageAndExitZeroOnAnUnknownFlag() throws Exception {
        Process p = start(jnatsd("--bogus"));
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output()).startsWith("flag provided but not defined: -bogus\n")
                .contains("Usage: nats-server [options]");
    }

    @Test
    void shouldFailWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = start(jnatsd("-a", "127.0.0.1", "-p", Integer.toString(taken.getLocalPort())));
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(output()).contains("[FTL] Error listening on port: 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /**
     * Tools that launch nats-server (the Java client's test harness) connect right after the launch; jnatsd listens
     * before loading the rest of the server, so such a connection waits in the backlog and is then served.
     */
    @Test
    void shouldServeAConnectionMadeAsSoonAsThePortAccepts() throws Exception {
        int port = freePort();
        Process p = start(jnatsd("-a", "127.0.0.1", "-p", Integer.toString(port)));
        Socket socket = null;
        while (socket == null) {
            assertThat(p.isAlive()).as("server running").isTrue();
            try {
                socket = new Socket("127.0.0.1", port);
            } catch (IOException refused) {
                Thread.onSpinWait();
            }
        }
        boolean servedBeforeReady = !output().contains("Server is ready");
        try (Socket s = socket) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String received = new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            assertThat(received).isEqualTo("INFO ");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII));
            in.readLine();
            assertThat(in.readLine()).isEqualTo("MSG a 1 2");
            assertThat(in.readLine()).isEqualTo("hi");
            assertThat(in.readLine()).isEqualTo("PONG");
        }
        assertThat(servedBeforeReady).as("the port accepted before the server was ready").isTrue();
        kill(p.pid(), "TERM");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
}
