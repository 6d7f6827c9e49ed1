package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every run of every case on every server, and the summary the reports print: per case and metric, the median over
 * rounds for each server and ratios of medians. With two servers that is the first's over the second's (jnatsd /
 * nats-server); with more, every server's over the last one's (the reference, nats-server) and every server between
 * the first and the last over the first (a jnatsd variant / jnatsd). Filled and read on the runner thread.
 */
final class Results {

    /** One run: which server, which round, what it produced. */
    record Run(String server, int round, CaseResult result) {
    }

    /**
     * One summary row: a metric of a case, with its per-server values over rounds, their medians, the ratio of the
     * first server's median to the reference's (NaN with fewer than two servers), and every ratio of
     * {@link #ratioPairs} by its label.
     */
    record Row(BenchCase benchCase, Metric metric, Map<String, List<Double>> values, Map<String, Double> medians,
            double ratio, Map<String, Double> ratios) {

        /** The ratio of {@code server}'s median to the reference's; the first server's on the reference's row. */
        double ratioOf(String server, String reference) {
            return server.equals(reference) ? ratio : Stats.ratio(medians.get(server), medians.get(reference));
        }
    }

    /**
     * A ratio column: {@code numerator}'s median over {@code denominator}'s.
     *
     * @param label      {@code ratio} with two servers, else {@code numerator/denominator}
     * @param numerator  a server
     * @param denominator a server
     */
    record RatioPair(String label, String numerator, String denominator) {
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

    /** The server the others are divided by: the last (nats-server when comparing); null with one server. */
    String reference() {
        return servers.size() < 2 ? null : servers.getLast();
    }

    /** The ratio columns, in order (none with one server). */
    List<RatioPair> ratioPairs() {
        List<RatioPair> pairs = new ArrayList<>();
        if (servers.size() == 2) {
            pairs.add(new RatioPair("ratio", servers.get(0), servers.get(1)));
        } else if (servers.size() > 2) {
            String reference = reference();
            for (String s : servers.subList(0, servers.size() - 1)) {
                pairs.add(new RatioPair(s + "/" + reference, s, reference));
            }
            for (String s : servers.subList(1, servers.size() - 1)) {
                pairs.add(new RatioPair(s + "/" + servers.getFirst(), s, servers.getFirst()));
            }
        }
        return pairs;
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
                        ? Stats.ratio(medians.get(servers.getFirst()), medians.get(reference())) : Double.NaN;
                Map<String, Double> ratios = new LinkedHashMap<>();
                for (RatioPair pair : ratioPairs()) {
                    ratios.put(pair.label(), Stats.ratio(medians.get(pair.numerator()),
                            medians.get(pair.denominator())));
                }
                rows.add(new Row(c.benchCase, m, values, medians, ratio, ratios));
            }
        }
        return rows;
    }
}
