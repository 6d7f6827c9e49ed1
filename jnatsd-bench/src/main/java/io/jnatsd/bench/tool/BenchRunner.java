package io.jnatsd.bench.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a benchmark from parsed options: starts the servers for {@code --compare}/{@code --smoke} (or uses
 * {@code --url}), warms every server up, measures the generator's ceiling, runs each case in rounds that alternate
 * between the servers (case by case: jnatsd, nats-server, jnatsd, ...), then writes the reports. Started servers
 * are always stopped, also on failure (and by {@link ServerProcess}'s shutdown hook on Ctrl-C).
 * <p>
 * Everything runs on the calling thread, apart from the worker threads each case starts and joins.
 */
final class BenchRunner {

    /** Exit status: every run delivered every message. */
    static final int OK = 0;
    /** Exit status: a run lost, duplicated or failed. */
    static final int FAILED = 2;

    private final BenchOptions options;
    private final PrintStream out;
    private final Progress progress;

    BenchRunner(BenchOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.progress = new Progress(err, options.quiet);
    }

    /** Builds the cases the options select, in run order. */
    static List<BenchCase> cases(BenchOptions o) {
        List<BenchCase> cases = new ArrayList<>();
        for (String s : o.scenarios) {
            switch (s) {
                case "pub" -> o.sizes.forEach(size -> cases.add(new ThroughputCase("pub", o.pubs, 0, false, size)));
                case "fanout" -> o.sizes.forEach(size -> o.fanoutSubs.forEach(
                        n -> cases.add(new ThroughputCase("fanout", 1, n, false, size))));
                case "queue" -> o.sizes.forEach(size -> o.queueMembers.forEach(
                        n -> cases.add(new ThroughputCase("queue", 1, n, true, size))));
                case "reqrep" -> cases.add(new ReqRepCase(o.reqrepSize));
                case "idle" -> cases.add(new IdleCase(o.idleConns));
                case "subs" -> o.subCounts.forEach(count -> o.wildcardPcts.forEach(
                        pct -> cases.add(new SubsCase(count, pct, o.subsSize))));
                case "payload" -> o.payloadSizes.forEach(
                        size -> cases.add(new ThroughputCase("payload", 1, 1, false, size)));
                case "startup" -> cases.add(new StartupCase(o.startupRuns));
                case "tls-pub" -> o.tlsSizes.forEach(size -> cases.add(new ThroughputCase("tls-pub", 1, 0, false,
                        size)));
                case "tls-1to1" -> o.tlsSizes.forEach(size -> cases.add(new ThroughputCase("tls-1to1", 1, 1, false,
                        size)));
                case "tls-handshake" -> o.tlsVersions.forEach(v -> cases.add(new HandshakeCase(v,
                        o.handshakeConns)));
                case "js-sync" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new JetStreamCase("js-sync", storage, size, 1))));
                case "js-async" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new JetStreamCase("js-async", storage, size, o.jsInflight))));
                case "js-push" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(size -> {
                    cases.add(new ConsumeCase("js-push", storage, size, false, 0));
                    cases.add(new ConsumeCase("js-push", storage, size, true, 0));
                }));
                case "js-pull" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new ConsumeCase("js-pull", storage, size, true, o.jsBatch))));
                case "js-ordered" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new ConsumeCase("js-ordered", storage, size, false, 0))));
                default -> throw new IllegalArgumentException("unknown scenario " + s);
            }
        }
        return cases;
    }

    /** Runs everything; returns the exit status. */
    int run() throws Exception {
        String startedAt = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Path logDir = Files.createTempDirectory("jnatsd-bench-");
        List<Target> targets = new ArrayList<>();
        List<ServerProcess> started = new ArrayList<>();
        boolean keepLogs = true;
        try {
            Map<String, Map<String, String>> serverInfo = new LinkedHashMap<>();
            ThrowawayPki pki = options.anyTlsScenario() && (options.compare || options.ceiling)
                    ? ThrowawayPki.create(logDir.resolve("pki")) : null;
            if (options.compare) {
                startServers(pki, logDir, targets, started, serverInfo);
            } else {
                Target t = Target.ofUrl("server", options.url, options.pid);
                try (NatsConn probe = NatsConn.open(t.url(), "bench-probe", 4096, (l, n, s, p) -> { })) {
                    probe.flush(options.drainTimeoutNanos);
                } catch (IOException e) {
                    throw new IOException("cannot reach " + options.url + ": " + e.getMessage(), e);
                }
                targets.add(t);
                Map<String, String> info = new LinkedHashMap<>(Map.of("command", options.url.toString(),
                        "version", "?"));
                if (options.url.tls() != null) {
                    info.put("tlsClient", options.url.tls().describe());
                }
                serverInfo.put("server", info);
            }
            List<BenchCase> cases = cases(options);
            // the servers first: warming them up also warms up the generator's own code (its TLS above all), which
            // the ceiling is then measured with
            warmUp(targets, new RunEnv(options, progress, null));
            GeneratorCeiling ceiling = null;
            if (options.ceiling) {
                Set<Integer> sizes = new LinkedHashSet<>();
                Set<Integer> tlsSizes = new LinkedHashSet<>();
                Set<String> versions = new LinkedHashSet<>();
                for (BenchCase c : cases) {
                    if (c instanceof ThroughputCase tc) {
                        (tc.needsTls() ? tlsSizes : sizes).add(tc.payloadBytes());
                    } else if (c instanceof SubsCase) {
                        sizes.add(options.subsSize);
                    } else if (c instanceof HandshakeCase hc) {
                        versions.add(hc.protocol().substring("TLSv".length()));
                    }
                }
                GeneratorCeiling.TlsPlan tlsPlan = null;
                if (pki != null && (!tlsSizes.isEmpty() || !versions.isEmpty())) {
                    TlsClient client = options.tlsClient(pki.caFile());
                    tlsPlan = new GeneratorCeiling.TlsPlan(tlsSizes, versions, options.handshakeConns, client,
                            TlsClient.serverContext(pki.certFile(), pki.keyFile(), TlsClient.defaultProvider()));
                }
                if (!sizes.isEmpty() || tlsPlan != null) {
                    progress.line("measuring the generator's own ceiling");
                    ceiling = GeneratorCeiling.measure(sizes, tlsPlan, options, progress);
                }
            }
            RunEnv env = new RunEnv(options, progress, ceiling);
            Results results = runCases(cases, targets, env);

            String mode = options.smoke ? "smoke" : options.compare ? "compare" : "url";
            RunInfo info = new RunInfo(options.args, startedAt, mode, options.rounds, RunInfo.describeMachine(),
                    serverInfo);
            Reports.table(results, info, ceiling, out);
            if (options.json != null) {
                Reports.json(results, info, ceiling, options.json);
                progress.line("wrote " + options.json);
            }
            if (options.csv != null) {
                Reports.csv(results, options.csv);
                progress.line("wrote " + options.csv);
            }
            if (options.chart != null) {
                for (Path p : Charts.write(results, options.chart)) {
                    progress.line("wrote " + p);
                }
            }
            boolean ok = results.allVerified();
            if (options.smoke) {
                List<String> problems = smokeProblems(results);
                problems.forEach(p -> progress.warn("smoke: " + p));
                ok &= problems.isEmpty();
                out.println(ok ? "smoke: ok" : "smoke: FAILED");
            }
            keepLogs = !ok;
            return ok ? OK : FAILED;
        } finally {
            for (ServerProcess p : started) {
                p.close();
            }
            if (keepLogs && !started.isEmpty()) {
                progress.line("server logs kept in " + logDir);
            } else {
                deleteTree(logDir);
            }
        }
    }

    /**
     * Starts jnatsd, its variants and nats-server (in that order, which is the report's): each on a plaintext port
     * when a plaintext scenario is selected, and each again with {@code pki}'s {@code tls {}} block when a TLS
     * scenario is.
     */
    private void startServers(ThrowawayPki pki, Path logDir, List<Target> targets, List<ServerProcess> started,
            Map<String, Map<String, String>> serverInfo) throws IOException {
        List<ServerLauncher> launchers = new ArrayList<>();
        launchers.add(ServerLauncher.forPath("jnatsd", options.jnatsd, options.jnatsdJavaOpts, logDir));
        options.jnatsdVariants.forEach((name, opts) ->
                launchers.add(ServerLauncher.forPath(name, options.jnatsd, opts, logDir)));
        if (options.natsServer != null) {
            launchers.add(ServerLauncher.forPath("nats-server", options.natsServer, null, logDir));
        } else {
            progress.warn("no nats-server found: running jnatsd alone");
        }
        Path tlsConf = null;
        TlsClient tlsClient = null;
        if (pki != null && options.anyTlsScenario()) {
            tlsConf = logDir.resolve("tls.conf");
            Files.writeString(tlsConf, pki.tlsBlock());
            tlsClient = options.tlsClient(pki.caFile());
        }
        for (ServerLauncher l : launchers) {
            Target plain = null;
            Target tls = null;
            Map<String, String> info = new LinkedHashMap<>();
            if (options.anyPlainScenario()) {
                // the idle and startup cases keep launching servers through l, without JetStream
                ServerLauncher first = options.needsJetStream()
                        ? l.withArgs("-js", "-sd", logDir.resolve(l.name() + "-store").toString()) : l;
                plain = Target.launched(l, launch(first, started), null);
                info.put("command", first.describe());
            }
            if (tlsConf != null) {
                ServerLauncher withTls = l.withArgs("-c", tlsConf.toString());
                tls = Target.launched(withTls, launch(withTls, started), tlsClient);
                info.put("tlsCommand", withTls.describe());
                info.put("tlsClient", tlsClient.describe());
            }
            Target target = plain != null ? plain : tls;
            target.useForTls(tls);
            targets.add(target);
            info.put("version", version(l));
            serverInfo.put(l.name(), info);
        }
    }

    private ServerProcess launch(ServerLauncher l, List<ServerProcess> started) throws IOException {
        progress.line("starting " + l.name() + ": " + l.describe());
        ServerProcess p = l.start(options.startTimeoutNanos);
        started.add(p);
        progress.line(String.format(Locale.ROOT, "  %s ready after %.0f ms", p, p.startupNanos() / 1e6));
        return p;
    }

    /**
     * Warms every server up for {@code --warmup}: its plaintext instance with a mix of the plaintext scenarios, and
     * its TLS instance, for as long again, with the TLS ones (their code paths, Netty's SslHandler and the engines,
     * need compiling as much as the plaintext ones).
     */
    private void warmUp(List<Target> targets, RunEnv env) {
        if (options.warmupNanos <= 0) {
            return;
        }
        for (Target t : targets) {
            if (options.anyPlainScenario()) {
                progress.line(String.format(Locale.ROOT, "warming up %s for %.1f s", t.name(),
                        options.warmupNanos / 1e9));
                List<BenchCase> warm = new ArrayList<>(List.of(new ThroughputCase("warmup", 1, 1, false, 1024),
                        new ThroughputCase("warmup", 1, 2, true, 16), new ThroughputCase("warmup", 1, 0, false, 16),
                        new ReqRepCase(16)));
                if (options.needsJetStream()) {
                    warm.add(new JetStreamCase("warmup", options.jsStorage.get(0), 1024, options.jsInflight));
                }
                warmUp(t, env, warm);
            }
            if (options.anyTlsScenario() && t.tls() != null) {
                progress.line(String.format(Locale.ROOT, "warming up %s over TLS for %.1f s", t.name(),
                        options.warmupNanos / 1e9));
                warmUp(t, env, List.of(new ThroughputCase("tls-1to1", 1, 1, false, 1024),
                        new ThroughputCase("tls-pub", 1, 0, false, 16), new HandshakeCase("1.3", 1)));
            }
        }
    }

    private void warmUp(Target t, RunEnv env, List<BenchCase> warm) {
        long each = options.warmupNanos / warm.size();
        for (BenchCase c : warm) {
            try {
                CaseResult r = c.run(t, env.withDuration(each));
                if (!r.verification().ok()) {
                    progress.warn("warm-up " + c.label() + " on " + t.name() + ": "
                            + r.verification().summary() + " " + r.verification().detail());
                }
            } catch (Exception e) {
                progress.warn("warm-up " + c.label() + " on " + t.name() + " failed: " + e);
            }
        }
    }

    private Results runCases(List<BenchCase> cases, List<Target> targets, RunEnv env) {
        Results results = new Results(targets.stream().map(Target::name).toList());
        int total = cases.size() * options.rounds * targets.size();
        int done = 0;
        progress.line(String.format(Locale.ROOT, "%d cases x %d round(s) x %d server(s) = %d runs", cases.size(),
                options.rounds, targets.size(), total));
        for (BenchCase c : cases) {
            if (c.needsLauncher() && targets.stream().anyMatch(t -> t.launcher() == null)) {
                results.skip(c, "needs servers the benchmark starts itself (--compare)");
                done += options.rounds * targets.size();
                continue;
            }
            if (c.needsTls() && targets.stream().anyMatch(t -> t.tls() == null)) {
                results.skip(c, "needs a server speaking TLS (a tls:// URL, --tls, or --compare)");
                done += options.rounds * targets.size();
                continue;
            }
            for (int round = 1; round <= options.rounds; round++) {
                for (Target t : targets) {
                    done++;
                    String what = String.format(Locale.ROOT, "[%3d/%d] %-8s %-24s %-11s r%d/%d", done, total,
                            c.scenario(), c.label(), t.name(), round, options.rounds);
                    CaseResult r;
                    try {
                        r = c.run(t, env);
                    } catch (Exception e) {
                        r = new CaseResult(List.of(), new Verification(0, 0, 0, 0, 1, "run failed: " + e), List.of());
                    }
                    results.add(c, t.name(), round, r);
                    progress.line(what + ": " + brief(r));
                }
            }
        }
        return results;
    }

    private static String brief(CaseResult r) {
        StringBuilder sb = new StringBuilder();
        for (Metric m : r.metrics()) {
            if (m.shown()) {
                sb.append(m.name().equals(m.unit()) ? m.name() : m.name() + " " + m.unit()).append(' ')
                        .append(Format.value(m.value())).append("  ");
            }
        }
        sb.append(r.verification().summary());
        if (!r.verification().ok() && !r.verification().detail().isEmpty()) {
            sb.append(" (").append(r.verification().detail()).append(')');
        }
        return sb.toString();
    }

    /** What smoke mode additionally requires: every case ran on every server and produced its metrics. */
    static List<String> smokeProblems(Results results) {
        List<String> problems = new ArrayList<>();
        for (Results.CaseRuns c : results.cases()) {
            String key = c.benchCase().scenario() + " " + c.benchCase().label();
            if (c.skipped() != null) {
                problems.add(key + " was skipped: " + c.skipped());
                continue;
            }
            for (String s : results.servers()) {
                List<Results.Run> runs = c.on(s);
                if (runs.isEmpty()) {
                    problems.add(key + " did not run on " + s);
                }
                for (Results.Run r : runs) {
                    if (r.result().metrics().stream().noneMatch(Metric::shown)) {
                        problems.add(key + " on " + s + " produced no result: "
                                + r.result().verification().detail());
                    }
                }
            }
        }
        return problems;
    }

    /** The first line {@code <command> --version} prints, or {@code ?}. */
    private static String version(ServerLauncher l) {
        List<String> cmd = new ArrayList<>(l.command());
        cmd.add("--version");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    return "?";
                }
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return text.isEmpty() ? "?" : text.lines().findFirst().orElse("?");
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
