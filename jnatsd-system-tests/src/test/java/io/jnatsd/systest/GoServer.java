package io.jnatsd.systest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go nats-server binary run as a child process on {@code 127.0.0.1} and a random port, for comparing what a
 * client sees. {@link #close()} kills it; a JVM shutdown hook kills it too if a test run is aborted. Thread-safe.
 */
public final class GoServer implements AutoCloseable {

    /** Where Debian installs nats-server. */
    public static final Path BINARY = Path.of("/usr/sbin/nats-server");

    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^\\s]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path log;
    private final Thread killer;
    private final int port;

    private GoServer(Process process, Path log, Thread killer, int port) {
        this.process = process;
        this.log = log;
        this.killer = killer;
        this.port = port;
    }

    /** Whether the binary is installed and executable. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts the binary with {@code -p -1 -a 127.0.0.1} plus {@code extraArgs}, and waits for its client port. */
    public static GoServer start(String... extraArgs) {
        Path log;
        try {
            log = Files.createTempFile("nats-server-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-p", "-1", "-a", "127.0.0.1"));
        command.addAll(List.of(extraArgs));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("start " + command, e);
        }
        Thread killer = new Thread(process::destroyForcibly, "kill-nats-server-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
        int[] port = {0};
        try {
            Await.until(START_TIMEOUT, () -> "nats-server to listen; log: " + read(log), () -> {
                Matcher m = LISTENING.matcher(read(log));
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("nats-server exited with " + process.exitValue() + ": " + read(log));
                }
                return false;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new GoServer(process, log, killer, port[0]);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Starts the binary with the config file text {@code conf} (written to a temp file that lives until
     * {@link #close()}), on {@code 127.0.0.1} and a random port whatever the file says.
     */
    public static GoServer startWithConfig(String conf) {
        try {
            Path file = Files.createTempFile("nats-server-", ".conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return start("-c", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code signal} (a {@code kill -s} name such as {@code USR2}) to the process. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What the server has logged so far. */
    public String logText() {
        return read(log);
    }

    /** The monitoring port from its {@code Starting http monitor on ...} line (started with {@code -m}). */
    public int monitorPort() {
        Matcher m = Pattern.compile("Starting https? monitor on [^\\s]+:(\\d+)").matcher(read(log));
        if (!m.find()) {
            throw new AssertionError("nats-server started no monitor: " + read(log));
        }
        return Integer.parseInt(m.group(1));
    }

    /** The client port it listens on. */
    public int port() {
        return port;
    }

    /** What the process has printed so far. */
    public String output() {
        return read(log);
    }

    /** The WebSocket port it listens on (from its {@code Listening for websocket clients on ...} line). */
    public int webSocketPort() {
        Matcher m = Pattern.compile("Listening for websocket clients on wss?://[^\\s]+:(\\d+)").matcher(output());
        if (!m.find()) {
            throw new AssertionError("nats-server has no websocket listener: " + output());
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Runs the binary with {@code args} to its end (a config check, or a start that fails) and returns its exit
     * code and output.
     */
    public static String[] runToExit(String... args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("nats-server did not exit: " + out);
            }
            return new String[] {Integer.toString(process.exitValue()), out};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the process (SIGKILL after 5 s if SIGTERM is not enough) and deletes its log. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file; leaving it behind is harmless
        }
    }
}
