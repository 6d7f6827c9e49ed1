package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How to start one kind of server (jnatsd, a jnatsd variant, or nats-server) on a fresh loopback port: a command to
 * which {@code -a 127.0.0.1 -p <port>} is appended (both servers take nats-server's flags), and extra environment
 * variables ({@code JNATSD_JAVA_OPTS} for jnatsd's JVM options). Immutable; each {@link #start} creates a new process
 * and log file.
 *
 * @param name    display name ({@code jnatsd}, {@code nats-server}, a variant's name)
 * @param command the command without the listen flags
 * @param env     environment variables added to the launcher's
 * @param logDir  where server logs go
 */
record ServerLauncher(String name, List<String> command, Map<String, String> env, Path logDir) {

    /** The environment variable {@code bin/jnatsd} adds to the JVM's command line. */
    static final String JAVA_OPTS_VARIABLE = "JNATSD_JAVA_OPTS";

    private static final AtomicInteger STARTS = new AtomicInteger();

    ServerLauncher {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /**
     * The launcher for {@code path}: a {@code .jar} runs on this JVM's java with the flags {@code bin/jnatsd} uses
     * plus {@code javaOpts}; anything else is executed as is, with {@code javaOpts} (if any) in
     * {@value #JAVA_OPTS_VARIABLE}.
     */
    static ServerLauncher forPath(String name, Path path, String javaOpts, Path logDir) {
        String p = path.toString();
        List<String> opts = javaOpts == null || javaOpts.isBlank() ? List.of()
                : List.of(javaOpts.strip().split("\\s+"));
        if (p.endsWith(".jar")) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(opts);
            cmd.addAll(List.of("-XX:+UseParallelGC", "-Xss512k", "--enable-native-access=ALL-UNNAMED", "-jar", p));
            return new ServerLauncher(name, cmd, Map.of(), logDir);
        }
        return new ServerLauncher(name, List.of(p), opts.isEmpty() ? Map.of()
                : Map.of(JAVA_OPTS_VARIABLE, String.join(" ", opts)), logDir);
    }

    /** The same server with {@code args} added before the listen flags (e.g. {@code -c tls.conf}). */
    ServerLauncher withArgs(String... args) {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        return new ServerLauncher(name, cmd, env, logDir);
    }

    /** The command line for reports, with the environment in front. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append("='").append(v).append("' "));
        return sb.append(String.join(" ", command)).toString();
    }

    /** Starts a new server on a free port and waits until it accepts clients. */
    ServerProcess start(long timeoutNanos) throws IOException {
        int port = ServerProcess.freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + "-" + STARTS.incrementAndGet() + ".log");
        return ServerProcess.launch(name, cmd, env, port, log, timeoutNanos);
    }
}
