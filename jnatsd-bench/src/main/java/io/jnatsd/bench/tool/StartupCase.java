package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time from launching the server process to its first {@code INFO} on a client connection, over several launches
 * (the client polls the port every millisecond). The whole command is timed, so for jnatsd that includes
 * {@code bin/jnatsd} finding its JDK. Runs on the runner thread; needs a {@link ServerLauncher}.
 */
final class StartupCase implements BenchCase {

    private final int runs;

    StartupCase(int runs) {
        this.runs = runs;
    }

    @Override
    public String scenario() {
        return "startup";
    }

    @Override
    public String label() {
        return "runs=" + runs;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("runs", runs);
    }

    @Override
    public boolean needsLauncher() {
        return true;
    }

    @Override
    public CaseResult run(Target target, RunEnv env) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (ServerProcess p = target.launcher().start(env.options().startTimeoutNanos)) {
                millis.add(p.startupNanos() / 1e6);
            }
        }
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.lower("startup", "ms", Stats.median(millis)));
        metrics.add(Metric.lower("startup min", "ms", millis.stream().mapToDouble(d -> d).min().orElse(Double.NaN))
                .hidden());
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("startupMillis", millis);
        return new CaseResult(metrics, new Verification(runs, runs, 0, 0, 0, ""), List.of(), extras);
    }
}
