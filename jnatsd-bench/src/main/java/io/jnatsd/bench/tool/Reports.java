package io.jnatsd.bench.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@link Results} as a table on stdout, as CSV (one row per case, metric and server) and as JSON (every round,
 * every metric, notes, latency histograms). Stateless.
 */
final class Reports {

    private Reports() {
    }

    /** The readable table, followed by notes, skipped cases and the generator's ceiling. */
    static void table(Results results, RunInfo info, GeneratorCeiling ceiling, PrintStream out) {
        List<String> servers = results.servers();
        List<Results.RatioPair> pairs = results.ratioPairs();
        List<String> header = new ArrayList<>(List.of("scenario", "case", "metric"));
        header.addAll(servers);
        pairs.forEach(p -> header.add(p.label()));
        header.add("check");
        List<List<String>> lines = new ArrayList<>();
        String lastCase = null;
        for (Results.Row row : results.rows()) {
            if (!row.metric().shown()) {
                continue;
            }
            BenchCase c = row.benchCase();
            String key = c.scenario() + " " + c.label();
            boolean first = !key.equals(lastCase);
            lastCase = key;
            List<String> line = new ArrayList<>();
            line.add(first ? c.scenario() : "");
            line.add(first ? c.label() : "");
            line.add(metricLabel(row.metric()));
            for (String s : servers) {
                line.add(Format.value(row.medians().get(s)));
            }
            for (Results.RatioPair p : pairs) {
                line.add(Format.ratio(row.ratios().get(p.label())));
            }
            line.add(first ? check(results, key, servers) : "");
            lines.add(line);
        }
        out.println();
        out.println("jnatsd-bench " + info.mode() + ": " + info.startedAt() + ", " + info.machineLine());
        for (Map.Entry<String, Map<String, String>> s : info.servers().entrySet()) {
            Map<String, String> server = s.getValue();
            out.println("  " + s.getKey() + ": " + server.getOrDefault("version", "?") + "  ("
                    + server.getOrDefault("command", server.getOrDefault("tlsCommand", "")) + ")");
        }
        out.println("  command: jnatsd-bench " + String.join(" ", info.args()));
        for (Map.Entry<String, Map<String, String>> s : info.servers().entrySet()) {
            String tls = s.getValue().get("tlsCommand");
            if (tls != null) {
                out.println("  " + s.getKey() + " over TLS: " + tls + "  (generator: " + s.getValue().get("tlsClient")
                        + ")");
            }
        }
        out.println();
        printAligned(header, lines, out);
        out.println();
        if (pairs.size() == 1) {
            out.printf(Locale.ROOT, "ratio = %s / %s of the medians over %d round(s); msgs/s, MB/s, subs/s, conns/s:"
                    + " higher is better; latency (us), memory, startup: lower is better.%n", servers.get(0),
                    servers.get(1), info.rounds());
        } else if (!pairs.isEmpty()) {
            out.printf(Locale.ROOT, "a/b = a's median / b's over %d round(s); msgs/s, MB/s, subs/s, conns/s: higher is"
                    + " better; latency (us), memory, startup: lower is better.%n", info.rounds());
        } else {
            out.printf(Locale.ROOT, "medians over %d round(s).%n", info.rounds());
        }
        List<String> notes = new ArrayList<>();
        for (Results.CaseRuns c : results.cases()) {
            String key = c.benchCase().scenario() + " " + c.benchCase().label();
            if (c.skipped() != null) {
                notes.add(key + ": skipped, " + c.skipped());
            }
            for (String n : c.notes()) {
                notes.add(key + ": " + n);
            }
        }
        if (!notes.isEmpty()) {
            out.println("notes:");
            notes.forEach(n -> out.println("  " + n));
        }
        if (ceiling != null) {
            out.println("generator ceiling (one thread each, in-process sink on loopback):");
            for (GeneratorCeiling.Limits l : ceiling.all()) {
                out.printf(Locale.ROOT, "  %6s  publisher %14s msgs/s   reader %14s msgs/s%n", Format.bytes(l.size()),
                        Format.count((long) l.pubMsgsPerSec()), Format.count((long) l.readMsgsPerSec()));
            }
            for (GeneratorCeiling.Limits l : ceiling.allTls()) {
                out.printf(Locale.ROOT, "  %6s  publisher %14s msgs/s   reader %14s msgs/s   (TLS)%n",
                        Format.bytes(l.size()), Format.count((long) l.pubMsgsPerSec()),
                        Format.count((long) l.readMsgsPerSec()));
            }
            ceiling.handshakes().forEach((version, rate) -> out.printf(Locale.ROOT,
                    "  TLS %s new connections %14s conns/s%n", version, Format.count(rate.longValue())));
        }
        out.println(results.allVerified() ? "all runs delivered every message exactly once"
                : "SOME RUNS LOST OR DUPLICATED MESSAGES (see check column)");
        out.flush();
    }

    private static String metricLabel(Metric m) {
        return m.name().equals(m.unit()) ? m.name() : m.name() + " " + m.unit();
    }

    private static String check(Results results, String key, List<String> servers) {
        for (Results.CaseRuns c : results.cases()) {
            if ((c.benchCase().scenario() + " " + c.benchCase().label()).equals(key)) {
                List<String> bad = new ArrayList<>();
                for (String s : servers) {
                    String ch = c.check(s);
                    if (!ch.equals("ok") && !ch.equals("-")) {
                        bad.add(s + ": " + ch);
                    }
                }
                return bad.isEmpty() ? "ok" : String.join(", ", bad);
            }
        }
        return "-";
    }

    private static void printAligned(List<String> header, List<List<String>> lines, PrintStream out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(lines);
        for (List<String> l : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                boolean numeric = i >= 3 && i < l.size() - 1;
                String cell = l.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(numeric ? pad + cell : cell + (i == l.size() - 1 ? "" : pad));
                if (i < l.size() - 1) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /**
     * CSV: {@code scenario,case,metric,unit,higher_is_better,server,median,rounds,ratio,verified,notes}; {@code ratio}
     * is the row's server over the reference (the last server), and on the reference's own row the first server's.
     */
    static void csv(Results results, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(
                "scenario,case,metric,unit,higher_is_better,server,median,rounds,ratio,verified,notes\n");
        for (Results.Row row : results.rows()) {
            BenchCase c = row.benchCase();
            Results.CaseRuns runs = results.cases().stream()
                    .filter(r -> r.benchCase() == c).findFirst().orElseThrow();
            String notes = String.join("; ", runs.notes());
            for (String s : results.servers()) {
                List<Double> values = row.values().get(s);
                if (values.isEmpty()) {
                    continue;
                }
                sb.append(csvCell(c.scenario())).append(',').append(csvCell(c.label())).append(',')
                        .append(csvCell(row.metric().name())).append(',').append(csvCell(row.metric().unit()))
                        .append(',').append(row.metric().higherIsBetter()).append(',').append(csvCell(s))
                        .append(',').append(number(row.medians().get(s))).append(',')
                        .append(csvCell(values.stream().map(Reports::number).collect(Collectors.joining(";"))))
                        .append(',').append(ratioCell(row, s, results.reference())).append(',')
                        .append(runs.check(s).equals("ok")).append(',').append(csvCell(notes)).append('\n');
            }
        }
        write(file, sb.toString());
    }

    private static String ratioCell(Results.Row row, String server, String reference) {
        if (reference == null) {
            return "";
        }
        double r = row.ratioOf(server, reference);
        return Double.isNaN(r) ? "" : number(r);
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** JSON with every run. */
    static void json(Results results, RunInfo info, GeneratorCeiling ceiling, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("tool", "jnatsd-bench");
        root.put("version", BenchMain.VERSION);
        root.put("startedAt", info.startedAt());
        root.put("mode", info.mode());
        root.set("command", mapper.valueToTree(info.args()));
        root.put("rounds", info.rounds());
        root.set("machine", mapper.valueToTree(info.machine()));
        root.set("servers", mapper.valueToTree(info.servers()));
        if (ceiling != null) {
            ArrayNode c = root.putArray("generatorCeiling");
            for (GeneratorCeiling.Limits l : ceiling.all()) {
                c.addObject().put("size", l.size()).put("publisherMsgsPerSec", l.pubMsgsPerSec())
                        .put("readerMsgsPerSec", l.readMsgsPerSec());
            }
            for (GeneratorCeiling.Limits l : ceiling.allTls()) {
                c.addObject().put("size", l.size()).put("tls", true).put("publisherMsgsPerSec", l.pubMsgsPerSec())
                        .put("readerMsgsPerSec", l.readMsgsPerSec());
            }
            ceiling.handshakes().forEach((version, rate) -> c.addObject().put("tlsVersion", version)
                    .put("connectionsPerSec", rate));
        }
        root.put("allVerified", results.allVerified());
        ArrayNode cases = root.putArray("cases");
        List<Results.Row> rows = results.rows();
        for (Results.CaseRuns cr : results.cases()) {
            BenchCase c = cr.benchCase();
            ObjectNode n = cases.addObject();
            n.put("scenario", c.scenario());
            n.put("case", c.label());
            n.set("params", mapper.valueToTree(c.params()));
            if (cr.skipped() != null) {
                n.put("skipped", cr.skipped());
            }
            ArrayNode summary = n.putArray("summary");
            for (Results.Row row : rows) {
                if (row.benchCase() != c) {
                    continue;
                }
                ObjectNode m = summary.addObject();
                m.put("metric", row.metric().name());
                m.put("unit", row.metric().unit());
                m.put("higherIsBetter", row.metric().higherIsBetter());
                ObjectNode medians = m.putObject("median");
                row.medians().forEach((s, v) -> {
                    if (!Double.isNaN(v)) {
                        medians.put(s, v);
                    }
                });
                if (!Double.isNaN(row.ratio())) {
                    m.put("ratio", row.ratio());
                }
                if (row.ratios().size() > 1) {
                    ObjectNode ratios = m.putObject("ratios");
                    row.ratios().forEach((label, v) -> {
                        if (!Double.isNaN(v)) {
                            ratios.put(label, v);
                        }
                    });
                }
            }
            ArrayNode runs = n.putArray("runs");
            for (Results.Run r : cr.runs()) {
                ObjectNode rn = runs.addObject();
                rn.put("server", r.server());
                rn.put("round", r.round());
                ObjectNode metrics = rn.putObject("metrics");
                for (Metric m : r.result().metrics()) {
                    metrics.put(m.name(), m.value());
                }
                Verification v = r.result().verification();
                ObjectNode vn = rn.putObject("verification");
                vn.put("ok", v.ok()).put("expected", v.expected()).put("received", v.received())
                        .put("missing", v.missing()).put("duplicates", v.duplicates()).put("errors", v.errors());
                if (!v.detail().isEmpty()) {
                    vn.put("detail", v.detail());
                }
                if (!r.result().notes().isEmpty()) {
                    rn.set("notes", mapper.valueToTree(r.result().notes()));
                }
                if (!r.result().extras().isEmpty()) {
                    rn.set("extras", mapper.valueToTree(r.result().extras()));
                }
            }
        }
        write(file, mapper.writeValueAsString(root) + "\n");
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
