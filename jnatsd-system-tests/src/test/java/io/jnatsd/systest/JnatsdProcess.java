package io.jnatsd.systest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return start(dir, null, Map.of(), args);
    }

    /**
     * Starts {@code bin/jnatsd args} in {@code dir} with {@code env} added to its environment, and waits for its
     * client port in {@code logFile} (where {@code -l} sends the log) or, when null, in its output.
     */
    public static JnatsdProcess start(Path dir, Path logFile, Map<String, String> env, String... args) {
        Path log = dir.resolve("jnatsd-" + System.nanoTime() + ".out");
        List<String> command = new ArrayList<>(List.of("bash", launcher()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JNATSD_AOT", "off");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("start " + command, e);
        }
        Thread killer = new Thread(process::destroyForcibly, "kill-jnatsd-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
        Path ready = logFile == null ? log : logFile;
        int[] port = {0};
        try {
            Await.until(START_TIMEOUT, () -> "jnatsd to listen; output: " + read(log) + read(ready), () -> {
                String text = read(ready);
                Matcher m = LISTENING.matcher(text);
                if (m.find() && text.contains("Server is ready")) {
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

    /** Runs {@code bin/jnatsd args} to its end (such as {@code --signal ldm=<pid>}): its exit code and output. */
    public static String[] runToExit(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", launcher()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JNATSD_AOT", "off");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process process = pb.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jnatsd " + args[0] + " did not exit: " + out);
            }
            return new String[] {Integer.toString(process.exitValue()), out};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String launcher() {
        String launcher = System.getProperty("jnatsd.launcher");
        if (launcher == null) {
            throw new AssertionError("jnatsd.launcher system property not set");
        }
        return launcher;
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
