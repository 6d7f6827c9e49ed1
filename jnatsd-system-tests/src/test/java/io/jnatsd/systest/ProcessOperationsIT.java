package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Operations on a running {@code bin/jnatsd} as an operator drives them: SIGHUP reloads of the logging options
 * (which only the launcher's logger applies: level, timestamps, destination, syslog, traced payload length), lame
 * duck mode end to end (SIGUSR2 and {@code --signal ldm}), log reopen by {@code --signal reopen}, and log rotation
 * with nats-server's backup names and purging.
 */
class ProcessOperationsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private JnatsdProcess start(String conf, String... flags) throws IOException {
        Path file = dir.resolve("server.conf");
        Files.writeString(file, conf);
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", "-1", "-c", file.toString()));
        args.addAll(List.of(flags));
        JnatsdProcess p = JnatsdProcess.start(dir, args.toArray(String[]::new));
        open.add(p);
        return p;
    }

    /** Rewrites the config file, sends SIGHUP and waits for the reload's last line in {@code log}. */
    private void reload(JnatsdProcess p, String conf, java.util.function.Supplier<String> log) throws IOException {
        int before = count(log.get(), "Reloaded server configuration");
        Files.writeString(dir.resolve("server.conf"), conf);
        p.signal("HUP");
        Await.until(WAIT, () -> "a reload in " + log.get(),
                () -> count(log.get(), "Reloaded server configuration") > before);
    }

    private static int count(String text, String what) {
        return (int) text.lines().filter(l -> l.contains(what)).count();
    }

    private RawClient client(JnatsdProcess p) {
        RawClient c = RawClient.connectAndReadInfo(p.port());
        open.add(c);
        c.send("CONNECT {\"verbose\":false,\"protocol\":1,\"headers\":true}\r\nPING\r\n").expectLine("PONG");
        assertThat(c.readLine(WAIT)).startsWith("INFO ").contains("\"connect_info\":true");   // after the first PONG
        return c;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String after(String text, String marker) {
        int at = text.lastIndexOf(marker);
        return at < 0 ? "" : text.substring(at);
    }

    // ------------------------------------------------------------------------------------------- logging reload

    @Test
    void shouldReloadDebugAndTraceWithTheirLinesAndLevels() throws Exception {
        JnatsdProcess p = start("max_traced_msg_len: 0\n");
        reload(p, "debug: true\ntrace: true\nmax_traced_msg_len: 3\n", p::output);
        String reloaded = after(p.output(), "Trapped \"hangup\" signal");
        assertThat(reloaded).contains("[INF] Reloaded: trace = true", "[INF] Reloaded: debug = true",
                "[INF] Reloaded: max_traced_msg_len = 3");
        RawClient c = client(p);
        c.send("PUB p 5\r\nhello\r\nPING\r\n").expectLine("PONG");
        Await.until(WAIT, () -> p.output().contains("MSG_PAYLOAD: [\"hel...\"]"));
        assertThat(after(p.output(), "Reloaded server configuration")).contains("[DBG] 127.0.0.1:",
                " - cid:", "Client connection created", "[TRC] 127.0.0.1:", "<<- [PUB p 5]");

        reload(p, "trace_verbose: true\ntrace_headers: true\nmax_traced_msg_len: 3\n", p::output);
        assertThat(after(p.output(), "Trapped \"hangup\" signal")).contains("[INF] Reloaded: debug = false",
                "[INF] Reloaded: trace_verbose = true", "[INF] Reloaded: trace_headers = true");
        // trace_headers traces only the header block of a message
        c.send("HPUB h 18 23\r\nNATS/1.0\r\nA: b\r\n\r\nhello\r\nPING\r\n").expectLine("PONG");
        Await.until(WAIT, () -> p.output().contains("<<- MSG_PAYLOAD: [\"NAT...\"]"));
        assertThat(after(p.output(), "<<- [HPUB h 18 23]")).doesNotContain("hello");
    }

    /** Command-line flags are applied again over the reloaded file, as nats-server's MergeOptions. */
    @Test
    void shouldKeepCommandLineFlagsOverAReloadedFile() throws Exception {
        JnatsdProcess p = start("debug: false\nmax_payload: 1000\n", "-D", "--user", "u", "--pass", "p");
        reload(p, "debug: false\nmax_payload: 2000\nauthorization { user: x, password: y }\n", p::output);
        String reloaded = after(p.output(), "Trapped \"hangup\" signal");
        assertThat(reloaded).contains("[INF] Reloaded: max_payload = 2000").doesNotContain("Reloaded: debug",
                "Reloaded: authorization username", "Reloaded: authorization password");
        RawClient c = RawClient.connectAndReadInfo(p.port());
        open.add(c);
        c.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"p\"}\r\nPING\r\n").expectLine("PONG");
        Await.until(WAIT, () -> after(p.output(), "Reloaded server configuration").contains("[DBG]"));
    }

    @Test
    void shouldReloadLogtimeAndUtc() throws Exception {
        JnatsdProcess p = JnatsdProcess.start(dir, null, Map.of("TZ", "Asia/Tokyo"), "-a", "127.0.0.1", "-p", "-1",
                "-c", write("logtime: true\n").toString());
        open.add(p);
        reload(p, "logtime: false\n", p::output);
        String last = p.output().lines().filter(l -> l.contains("Reloaded server configuration")).findFirst()
                .orElseThrow();
        assertThat(last).matches("\\[" + p.pid() + "\\] \\[INF\\] Reloaded server configuration \\(sha256:.*");
        assertThat(p.output()).contains("[INF] Reloaded: logtime = false");

        reload(p, "logtime: true\nlogtime_utc: true\n", p::output);
        assertThat(p.output()).contains("[INF] Reloaded: logtime = true", "[INF] Reloaded: logtime_utc = true");
        String utc = p.output().lines().filter(l -> l.contains("Reloaded server configuration")).reduce((a, b) -> b)
                .orElseThrow();
        String hour = utc.substring(utc.indexOf("] ") + 2 + 11, utc.indexOf("] ") + 2 + 13);
        int utcHour = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour();
        // Tokyo is 9 hours ahead: a UTC stamp is at most an hour off the UTC clock read just after
        assertThat(Integer.parseInt(hour)).isIn(utcHour, (utcHour + 23) % 24);
    }

    private Path write(String conf) throws IOException {
        Path file = dir.resolve("server.conf");
        Files.writeString(file, conf);
        return file;
    }

    @Test
    void shouldMoveTheLogToAReloadedLogFileAndRefuseAnUnwritableOne() throws Exception {
        JnatsdProcess p = start("");
        Path log = dir.resolve("moved.log");
        reload(p, "log_file: \"" + log + "\"\n", () -> p.output() + read(log));
        // the line that announces the new file is the old destination's last; the file gets what follows
        assertThat(p.output()).contains("[INF] Reloaded: log_file = " + log);
        assertThat(read(log)).contains("[INF] Reloaded server configuration").doesNotContain("Reloaded: log_file");

        Files.writeString(dir.resolve("server.conf"), "log_file: \"" + dir.resolve("missing/x.log") + "\"\n");
        p.signal("HUP");
        Await.until(WAIT, () -> read(log).contains("Failed to reload server configuration"));
        assertThat(read(log)).contains("Failed to reload server configuration: error opening file: open "
                + dir.resolve("missing/x.log") + ": no such file or directory");
        RawClient c = client(p);         // still running, still logging to the same file
        c.close();
    }

    @Test
    void shouldSendToAReloadedRemoteSyslog() throws Exception {
        try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            syslog.setSoTimeout((int) WAIT.toMillis());
            JnatsdProcess p = start("");
            Files.writeString(dir.resolve("server.conf"), "remote_syslog: \"udp://127.0.0.1:" + syslog.getLocalPort()
                    + "\"\n");
            p.signal("HUP");
            Await.until(WAIT, () -> p.output().contains("Reloaded: remote_syslog = udp://127.0.0.1:"));
            byte[] buffer = new byte[4096];
            List<String> received = new ArrayList<>();
            while (received.stream().noneMatch(m -> m.contains("Reloaded server configuration"))) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                syslog.receive(packet);
                received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
            assertThat(p.output()).doesNotContain("[INF] Reloaded server configuration");
        }
    }

    // ------------------------------------------------------------------------------------------- lame duck mode

    private static final String LAME_DUCK_CONF = """
            lame_duck_duration: "30s"
            lame_duck_grace_period: "2s"
            system_account: SYS
            accounts {
              SYS { users: [ {user: sys, password: sys} ] }
              APP { users: [ {user: app, password: app} ] }
            }
            """;

    /**
     * SIGUSR2: the LAMEDUCK event, no new clients, INFO {@code ldm} to existing ones, SIGTERM ignored, the grace
     * period, every client closed, then shutdown and exit 0, with nats-server's lines in its order.
     */
    @Test
    void shouldRunLameDuckModeToTheEndOnSigusr2() throws Exception {
        JnatsdProcess p = start(LAME_DUCK_CONF);
        runLameDuck(p, () -> p.signal("USR2"));
    }

    @Test
    void shouldEnterLameDuckModeOnSignalLdm() throws Exception {
        JnatsdProcess p = start(LAME_DUCK_CONF);
        runLameDuck(p, () -> {
            String[] result = JnatsdProcess.runToExit(dir, "--signal", "ldm=" + p.pid());
            assertThat(result[0]).as(result[1]).isEqualTo("0");
        });
    }

    private void runLameDuck(JnatsdProcess p, Runnable enter) throws Exception {
        int port = p.port();
        Connection sys = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .userInfo("sys", "sys").noReconnect().build());
        open.add(sys::close);
        Subscription events = sys.subscribe("$SYS.SERVER.*.LAMEDUCK");
        sys.flush(WAIT);
        RawClient app = RawClient.connectAndReadInfo(port);
        open.add(app);
        String serverId = app.info().get("server_id").asText();
        app.send("CONNECT {\"verbose\":false,\"protocol\":1,\"user\":\"app\",\"pass\":\"app\"}\r\nPING\r\n")
                .expectLine("PONG");
        assertThat(app.readLine(WAIT)).startsWith("INFO ").contains("\"connect_info\":true");

        enter.run();

        Message event = events.nextMessage(WAIT);
        assertThat(event).as("LAMEDUCK event").isNotNull();
        assertThat(event.getSubject()).isEqualTo("$SYS.SERVER." + serverId + ".LAMEDUCK");
        JsonNode info = JSON.readTree(event.getData());
        assertThat(info.get("id").asText()).isEqualTo(serverId);
        JsonNode ldm = JSON.readTree(app.readLine(WAIT).substring("INFO ".length()));
        assertThat(ldm.get("ldm").asBoolean()).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        p.signal("TERM");                          // ignored in lame duck mode
        Await.until(WAIT, () -> p.output().contains("Trapped \"terminated\" signal"));

        // closed without an error (the server's first PING may come first)
        assertThat(app.readUntilClosed(WAIT).replace("PING\r\n", "")).isEmpty();
        assertThat(p.awaitExit(WAIT)).isZero();
        List<String> lines = p.output().lines().map(l -> l.replaceFirst("^\\[\\d+\\] [0-9/: .]+ ", ""))
                .filter(l -> l.contains("lame duck") || l.contains("Closing existing") || l.contains("Initiating")
                        || l.contains("Exiting") || l.contains("terminated")).toList();
        assertThat(lines).containsExactly("[INF] Entering lame duck mode, stop accepting new clients",
                "[INF] Trapped \"terminated\" signal", "[INF] Closing existing clients",
                "[INF] Initiating Shutdown...", "[INF] Server Exiting..");
    }

    @Test
    void shouldShutDownAtOnceInLameDuckModeWithoutClients() throws Exception {
        JnatsdProcess p = start("lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"10s\"\n");
        p.signal("USR2");
        assertThat(p.awaitExit(WAIT)).isZero();
        assertThat(p.output()).contains("Entering lame duck mode, stop accepting new clients", "Server Exiting..")
                .doesNotContain("Closing existing clients");
    }

    @Test
    void shouldRunWithTheJvmExitingOnOutOfMemoryAsAGoRuntimeDoes() throws Exception {
        JnatsdProcess p = start("");
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        assertThat(Files.readString(cmdline).split("\0")).as("the JVM bin/jnatsd execs")
                .contains("-XX:+ExitOnOutOfMemoryError");
    }

    // ------------------------------------------------------------------------------------- log reopen, rotation

    @Test
    void shouldReopenARotatedAwayLogFileOnSignalReopen() throws Exception {
        Path log = dir.resolve("nats.log");
        JnatsdProcess p = JnatsdProcess.start(dir, log, Map.of(), "-a", "127.0.0.1", "-p", "-1", "-l",
                log.toString());
        open.add(p);
        Path moved = dir.resolve("nats.log.old");
        Files.move(log, moved);
        String[] result = JnatsdProcess.runToExit(dir, "--signal", "reopen=" + p.pid());
        assertThat(result[0]).as(result[1]).isEqualTo("0");
        Await.until(WAIT, () -> read(log).contains("File log re-opened"));
        assertThat(read(moved)).contains("Server is ready", "Trapped \"user defined signal 1\" signal")
                .doesNotContain("File log re-opened");
        client(p).close();
        assertThat(p.isAlive()).isTrue();
    }

    /**
     * {@code log_size_limit} and {@code logfile_max_num}: the file is renamed to {@code <file>.<YYYY.MM.DD.hh.mm.ss>.
     * <nanos>} when full, the new file starts with {@code Rotated log, backup saved as "<backup>"}, and backups beyond
     * {@code logfile_max_num - 1} are purged, oldest first, each with {@code Purged log file "<name>"}.
     */
    @Test
    void shouldRotateAndPurgeLogFilesAsNatsServer() throws Exception {
        Path log = dir.resolve("nats.log");
        Path conf = write("debug: true\nlogfile_max_num: 3\n");
        JnatsdProcess p = JnatsdProcess.start(dir, log, Map.of(), "-a", "127.0.0.1", "-p", "-1", "-l",
                log.toString(), "--log_size_limit", "2000", "-c", conf.toString());
        open.add(p);
        for (int i = 0; i < 30; i++) {
            client(p).close();                  // a few debug lines each
        }
        Await.until(WAIT, () -> read(log).contains("Purged log file"));
        try (Stream<Path> files = Files.list(dir)) {
            List<String> backups = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("nats.log."))
                    .toList();
            assertThat(backups).hasSizeBetween(1, 2)
                    .allMatch(n -> n.matches("nats\\.log\\.\\d{4}(\\.\\d\\d){5}\\.\\d{9}"));
        }
        assertThat(read(log)).containsPattern("\\[INF\\] Rotated log, backup saved as \"" + log
                + "\\.\\d{4}(\\.\\d\\d){5}\\.\\d{9}\"");
        // the backup's full name when rotated, its base name when purged (nats-server's directory entry)
        assertThat(read(log))
                .containsPattern("\\[INF\\] Purged log file \"nats\\.log\\.\\d{4}(\\.\\d\\d){5}\\.\\d{9}\"");
    }
}
