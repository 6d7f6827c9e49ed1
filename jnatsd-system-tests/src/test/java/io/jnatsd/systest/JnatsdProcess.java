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
 * {@code bin/jnatsd} run as a child process (the launcher {@code exec}s the JVM, so the process is the server), as
 * an operator runs it: signals, output, exit code. The counterpart of {@link GoServer}. {@link #close()} kills it;
 * a JVM shutdown hook kills it too if a test run is aborted. Thread-safe.
 */
public final class JnatsdProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^\\s]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final Thread killer;
    private final int port;

    private JnatsdProcess(Process process, Path log, Thread killer, int port) {
        this.process = process;
        this.log = log;
        this.killer = killer;
        this.port = port;
    }

    /** Starts {@code bin/jnatsd args} in {@code dir} and waits for its client port. */
    public static JnatsdProcess start(Path dir, String... args) {
        String launcher = System.getProperty("jnatsd.launcher");
        if (launcher == null) {
            throw new AssertionError("jnatsd.launcher system property not set");
        }
        Path log = dir.resolve("jnatsd-" + System.nanoTime() + ".out");
        List<String> command = new ArrayList<>(List.of("bash", launcher));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JNATSD_AOT", "off");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("start " + command, e);
        }
        Thread killer = new Thread(process::destroyForcibly, "kill-jnatsd-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
        int[] port = {0};
        try {
            Await.until(START_TIMEOUT, () -> "jnatsd to listen; output: " + read(log), () -> {
                Matcher m = LISTENING.matcher(read(log));
                if (m.find() && read(log).contains("Server is ready")) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("jnatsd exited with " + process.exitValue() + ": " + read(log));
                }
                return false;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new JnatsdProcess(process, log, killer, port[0]);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Sends {@code signal} (a {@code kill -s} name such as {@code HUP}) to the server. */
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

    /** What the process has printed so far. */
    public String output() {
        return read(log);
    }

    /** The client port it listens on. */
    public int port() {
        return port;
    }

    /** The process id (the JVM's: the launcher {@code exec}s it). */
    public long pid() {
        return process.pid();
    }

    /** Waits for the process to exit; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("jnatsd did not exit within " + timeout + "; output: " + output());
        }
        return process.exitValue();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL after 5 s if SIGTERM is not enough). */
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
    }
}
