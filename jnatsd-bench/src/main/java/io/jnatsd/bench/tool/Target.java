package io.jnatsd.bench.tool;

import java.util.OptionalLong;

/**
 * A server under test: its URL, and, when the benchmark started it, its process and the launcher that can start
 * more instances of it (for the {@code idle} and {@code startup} scenarios). The TLS scenarios run on
 * {@link #tls()}: a second instance of the same server with a {@code tls {}} block in {@code --compare}, the server
 * itself for a {@code tls://} URL. Used on the runner thread.
 */
final class Target {

    private final String name;
    private final ServerUrl url;
    private final ServerLauncher launcher;     // null when only a URL was given
    private final ServerProcess process;       // null when only a URL was given
    private final long givenPid;               // --pid, or -1
    private OptionalLong foundPid;             // looked up by port once
    private Target tls;                        // where TLS cases run, or null

    Target(String name, ServerUrl url, ServerLauncher launcher, ServerProcess process, long givenPid) {
        this.name = name;
        this.url = url;
        this.launcher = launcher;
        this.process = process;
        this.givenPid = givenPid;
    }

    /** A server the benchmark started; {@code tls} is how to reach it if it speaks TLS, else null. */
    static Target launched(ServerLauncher launcher, ServerProcess process, TlsClient tls) {
        Target t = new Target(launcher.name(), process.url().withTls(tls), launcher, process, -1);
        if (tls != null) {
            t.tls = t;
        }
        return t;
    }

    /** A server given by URL: it runs the TLS cases itself when its URL speaks TLS. */
    static Target ofUrl(String name, ServerUrl url, long givenPid) {
        Target t = new Target(name, url, null, null, givenPid);
        if (url.tls() != null) {
            t.tls = t;
        }
        return t;
    }

    /** Runs this target's TLS cases on {@code twin} (the same server started with TLS). */
    void useForTls(Target twin) {
        this.tls = twin;
    }

    /** Where the TLS cases run, or null when this server does not speak TLS. */
    Target tls() {
        return tls;
    }

    /** The process, when the benchmark started it, else null. */
    ServerProcess process() {
        return process;
    }

    String name() {
        return name;
    }

    ServerUrl url() {
        return url;
    }

    /** How to start more instances, or {@code null}. */
    ServerLauncher launcher() {
        return launcher;
    }

    /** Resident memory of the server process in KiB, or -1 if its process is unknown. */
    long rssKb() {
        if (process != null) {
            return process.rssKb();
        }
        OptionalLong pid = pid();
        return pid.isPresent() ? ProcStats.rssKb(pid.getAsLong()) : -1;
    }

    /** CPU time of the server process in nanoseconds, or -1 if its process is unknown. */
    long cpuNanos() {
        if (process != null) {
            return process.cpuNanos();
        }
        OptionalLong pid = pid();
        return pid.isPresent() ? ProcStats.cpuNanos(pid.getAsLong()) : -1;
    }

    /** The server's process id: launched, given with {@code --pid}, or found by its port if it is local. */
    OptionalLong pid() {
        if (process != null) {
            return OptionalLong.of(process.pid());
        }
        if (givenPid > 0) {
            return OptionalLong.of(givenPid);
        }
        if (foundPid == null) {
            boolean local = url.host().equals("127.0.0.1") || url.host().equals("localhost")
                    || url.host().equals("::1");
            foundPid = local ? ProcStats.findListeningPid(url.port()) : OptionalLong.empty();
        }
        return foundPid;
    }
}
