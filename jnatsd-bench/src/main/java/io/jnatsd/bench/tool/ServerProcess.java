package io.jnatsd.bench.tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A server process started by the benchmark on a loopback port, with its output in a log file. {@link #launch}
 * returns once the server has sent {@code INFO} to a client, and records how long that took. Every live instance
 * is also registered with a JVM shutdown hook, so that Ctrl-C never leaves a server behind.
 * <p>
 * Used from the runner thread; {@link #close} is idempotent and may also run on the shutdown-hook thread.
 */
final class ServerProcess implements AutoCloseable {

    private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final long STOP_GRACE_MS = 5_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::closeAll, "jnatsd-bench-kill-servers"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final long launchNanos;
    private long readyNanos;

    private ServerProcess(String name, Process process, int port, Path log, long launchNanos) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.launchNanos = launchNanos;
    }

    /**
     * Starts {@code command} with {@code env} added to this process's environment (the command must make the server
     * listen on 127.0.0.1:{@code port}) and waits until a client
     * connecting there receives {@code INFO}.
     *
     * @throws IOException if the process exits or is not ready within {@code timeoutNanos} (the message includes the
     *                     end of its log)
     */
    static ServerProcess launch(String name, List<String> command, Map<String, String> env, int port, Path log,
            long timeoutNanos) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        long launchNanos = System.nanoTime();
        Process process = builder.start();
        ServerProcess server = new ServerProcess(name, process, port, log, launchNanos);
        LIVE.add(server);
        try {
            server.awaitReady(timeoutNanos);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void awaitReady(long timeoutNanos) throws IOException {
        long deadline = launchNanos + timeoutNanos;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " before accepting"
                        + " connections; its log " + log + " ends with:\n" + logTail());
            }
            if (receivesInfo()) {
                readyNanos = System.nanoTime();
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(name + " did not accept connections on 127.0.0.1:" + port + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; its log " + log + " ends with:\n"
                        + logTail());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private boolean receivesInfo() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            s.setSoTimeout(2_000);
            InputStream in = s.getInputStream();
            byte[] head = new byte[4];
            int got = 0;
            while (got < head.length) {
                int n = in.read(head, got, head.length - got);
                if (n < 0) {
                    return false;
                }
                got += n;
            }
            return new String(head, StandardCharsets.US_ASCII).equals("INFO");
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Launch-to-INFO time in nanoseconds. */
    long startupNanos() {
        return readyNanos - launchNanos;
    }

    /** Client URL. */
    ServerUrl url() {
        return ServerUrl.of("127.0.0.1", port);
    }

    /** The launched process's id. */
    long pid() {
        return process.pid();
    }

    /** Resident memory of the process and its descendants (a launcher script may not exec), in KiB; -1 unknown. */
    long rssKb() {
        long sum = 0;
        for (long pid : tree()) {
            long kb = ProcStats.rssKb(pid);
            if (kb < 0) {
                return -1;
            }
            sum += kb;
        }
        return sum;
    }

    /** CPU time of the process and its descendants in nanoseconds; -1 unknown. */
    long cpuNanos() {
        long sum = 0;
        for (long pid : tree()) {
            long ns = ProcStats.cpuNanos(pid);
            if (ns < 0) {
                return -1;
            }
            sum += ns;
        }
        return sum;
    }

    private List<Long> tree() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** The log file. */
    Path log() {
        return log;
    }

    /** Stops the server: SIGTERM to it and its descendants, then SIGKILL after a grace period. Idempotent. */
    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        try {
            process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every server this JVM started and has not stopped yet (shutdown hook). */
    static void closeAll() {
        for (ServerProcess p : List.copyOf(LIVE)) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + url() + ")";
    }
}
