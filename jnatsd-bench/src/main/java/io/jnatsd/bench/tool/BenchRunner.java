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
 * {@code --url}), measures the generator's ceiling, warms every server up, runs each case in rounds that alternate
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
                case "js-sync" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new JetStreamCase("js-sync", storage, size, 1))));
                case "js-async" -> o.jsStorage.forEach(storage -> o.jsSizes.forEach(
                        size -> cases.add(new JetStreamCase("js-async", storage, size, o.jsInflight))));
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
            if (options.compare) {
                List<ServerLauncher> launchers = new ArrayList<>();
                launchers.add(ServerLauncher.forPath("jnatsd", options.jnatsd, logDir));
                if (options.natsServer != null) {
                    launchers.add(ServerLauncher.forPath("nats-server", options.natsServer, logDir));
                } else {
                    progress.warn("no nats-server found: running jnatsd alone");
                }
                for (ServerLauncher l : launchers) {
                    // the idle and startup cases keep launching plain servers through l
                    ServerLauncher first = options.needsJetStream()
                            ? l.withArgs("-js", "-sd", logDir.resolve(l.name() + "-store").toString()) : l;
                    progress.line("starting " + l.name() + ": " + String.join(" ", first.command()));
                    ServerProcess p = first.start(options.startTimeoutNanos);
                    started.add(p);
                    targets.add(Target.launched(l, p));
                    progress.line(String.format(Locale.ROOT, "  %s ready after %.0f ms", p, p.startupNanos() / 1e6));
                    Map<String, String> info = new LinkedHashMap<>();
                    info.put("command", String.join(" ", first.command()));
                    info.put("version", version(l));
                    serverInfo.put(l.name(), info);
                }
            } else {
                Target t = new Target("server", options.url, null, null, options.pid);
                try (NatsConn probe = NatsConn.open(t.url(), "bench-probe", 4096, (l, n, s, p) -> { })) {
                    probe.flush(options.drainTimeoutNanos);
                } catch (IOException e) {
                    throw new IOException("cannot reach " + options.url + ": " + e.getMessage(), e);
                }
                targets.add(t);
                serverInfo.put("server", Map.of("command", options.url.toString(), "version", "?"));
            }
            List<BenchCase> cases = cases(options);
            GeneratorCeiling ceiling = null;
            if (options.ceiling) {
                Set<Integer> sizes = new LinkedHashSet<>();
                for (BenchCase c : cases) {
                    if (c instanceof ThroughputCase tc) {
                        sizes.add(tc.payloadBytes());
                    } else if (c instanceof SubsCase) {
                        sizes.add(options.subsSize);
                    }
                }
                if (!sizes.isEmpty()) {
                    progress.line("measuring the generator's own ceiling");
                    ceiling = GeneratorCeiling.measure(sizes, options, progress);
                }
            }
            RunEnv env = new RunEnv(options, progress, ceiling);
            warmUp(targets, env);
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

    private void warmUp(List<Target> targets, RunEnv env) {
        if (options.warmupNanos <= 0) {
            return;
        }
        for (Target t : targets) {
            progress.line(String.format(Locale.ROOT, "warming up %s for %.1f s", t.name(), options.warmupNanos / 1e9));
            List<BenchCase> warm = List.of(new ThroughputCase("warmup", 1, 1, false, 1024),
                    new ThroughputCase("warmup", 1, 2, true, 16), new ThroughputCase("warmup", 1, 0, false, 16),
                    new ReqRepCase(16));
            if (options.needsJetStream()) {
                warm = new ArrayList<>(warm);
                warm.add(new JetStreamCase("warmup", options.jsStorage.get(0), 1024, options.jsInflight));
            }
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
