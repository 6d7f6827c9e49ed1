package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every run of every case on every server, and the summary the reports print: per case and metric, the median over
 * rounds for each server and the ratio of the first server to the second (jnatsd / nats-server). Filled and read on
 * the runner thread.
 */
final class Results {

    /** One run: which server, which round, what it produced. */
    record Run(String server, int round, CaseResult result) {
    }

    /**
     * One summary row: a metric of a case, with its per-server values over rounds, their medians, and the ratio of
     * the first server's median to the second's (NaN with fewer than two servers).
     */
    record Row(BenchCase benchCase, Metric metric, Map<String, List<Double>> values, Map<String, Double> medians,
            double ratio) {
    }

    /** All runs of one case, or why it was skipped. */
    static final class CaseRuns {
        private final BenchCase benchCase;
        private final List<Run> runs = new ArrayList<>();
        private String skipped;

        CaseRuns(BenchCase benchCase) {
            this.benchCase = benchCase;
        }

        BenchCase benchCase() {
            return benchCase;
        }

        List<Run> runs() {
            return List.copyOf(runs);
        }

        /** Why the case did not run, or {@code null}. */
        String skipped() {
            return skipped;
        }

        /** The runs on {@code server}. */
        List<Run> on(String server) {
            return runs.stream().filter(r -> r.server().equals(server)).toList();
        }

        /** {@code ok}, or the first failure on {@code server}; {@code -} if it has no runs there. */
        String check(String server) {
            List<Run> mine = on(server);
            if (mine.isEmpty()) {
                return "-";
            }
            for (Run r : mine) {
                if (!r.result().verification().ok()) {
                    return r.result().verification().summary();
                }
            }
            return "ok";
        }

        /** Distinct notes of all runs, each prefixed with its server. */
        List<String> notes() {
            Set<String> out = new LinkedHashSet<>();
            for (Run r : runs) {
                for (String n : r.result().notes()) {
                    out.add(r.server() + ": " + n);
                }
                String d = r.result().verification().detail();
                if (!r.result().verification().ok() && !d.isEmpty()) {
                    out.add(r.server() + " round " + r.round() + ": " + d);
                }
            }
            return List.copyOf(out);
        }
    }

    private final List<String> servers;
    private final Map<String, CaseRuns> cases = new LinkedHashMap<>();

    Results(List<String> servers) {
        this.servers = List.copyOf(servers);
    }

    /** Server names in report order (jnatsd first when comparing). */
    List<String> servers() {
        return servers;
    }

    private CaseRuns entry(BenchCase c) {
        return cases.computeIfAbsent(c.scenario() + " " + c.label(), k -> new CaseRuns(c));
    }

    /** Records one run. */
    void add(BenchCase c, String server, int round, CaseResult result) {
        entry(c).runs.add(new Run(server, round, result));
    }

    /** Records that {@code c} was not run, and why. */
    void skip(BenchCase c, String reason) {
        entry(c).skipped = reason;
    }

    /** Every case, in run order. */
    List<CaseRuns> cases() {
        return List.copyOf(cases.values());
    }

    /** True if every run delivered exactly what was published. */
    boolean allVerified() {
        return cases.values().stream().flatMap(c -> c.runs.stream())
                .allMatch(r -> r.result().verification().ok());
    }

    /** Summary rows for every metric of every case that ran, in order. */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (CaseRuns c : cases.values()) {
            Map<String, Metric> metrics = new LinkedHashMap<>();
            for (Run r : c.runs) {
                for (Metric m : r.result().metrics()) {
                    metrics.putIfAbsent(m.name(), m);
                }
            }
            for (Metric m : metrics.values()) {
                Map<String, List<Double>> values = new LinkedHashMap<>();
                Map<String, Double> medians = new LinkedHashMap<>();
                for (String s : servers) {
                    List<Double> v = c.on(s).stream().map(r -> r.result().metric(m.name()))
                            .filter(java.util.Optional::isPresent).map(o -> o.get().value()).toList();
                    values.put(s, v);
                    medians.put(s, Stats.median(v));
                }
                double ratio = servers.size() >= 2
                        ? Stats.ratio(medians.get(servers.get(0)), medians.get(servers.get(1))) : Double.NaN;
                rows.add(new Row(c.benchCase, m, values, medians, ratio));
            }
        }
        return rows;
    }
}
