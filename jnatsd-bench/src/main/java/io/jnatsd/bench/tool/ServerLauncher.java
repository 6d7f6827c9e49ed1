package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How to start one kind of server (jnatsd or nats-server) on a fresh loopback port: a command to which
 * {@code -a 127.0.0.1 -p <port>} is appended (both servers take nats-server's flags). Immutable; each
 * {@link #start} creates a new process and log file.
 *
 * @param name    display name ({@code jnatsd}, {@code nats-server})
 * @param command the command without the listen flags
 * @param logDir  where server logs go
 */
record ServerLauncher(String name, List<String> command, Path logDir) {

    private static final AtomicInteger STARTS = new AtomicInteger();

    ServerLauncher {
        command = List.copyOf(command);
    }

    /**
     * The launcher for {@code path}: a {@code .jar} runs on this JVM's java with the flags {@code bin/jnatsd} uses;
     * anything else is executed as is.
     */
    static ServerLauncher forPath(String name, Path path, Path logDir) {
        String p = path.toString();
        if (p.endsWith(".jar")) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            return new ServerLauncher(name, List.of(java, "-XX:+UseParallelGC", "-Xss512k",
                    "--enable-native-access=ALL-UNNAMED", "-jar", p), logDir);
        }
        return new ServerLauncher(name, List.of(p), logDir);
    }

    /** The same launcher with {@code args} added to the command. */
    ServerLauncher withArgs(String... args) {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        return new ServerLauncher(name, cmd, logDir);
    }

    /** Starts a new server on a free port and waits until it accepts clients. */
    ServerProcess start(long timeoutNanos) throws IOException {
        int port = ServerProcess.freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + "-" + STARTS.incrementAndGet() + ".log");
        return ServerProcess.launch(name, cmd, port, log, timeoutNanos);
    }
}
