package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

    @TempDir
    Path dir;

    private static final BenchCase FANOUT = new ThroughputCase("fanout", 1, 4, false, 1024);
    private static final BenchCase REQREP = new ReqRepCase(16);

    private static CaseResult rate(double msgsPerSec) {
        return new CaseResult(List.of(Metric.higher("msgs/s", "msgs/s", msgsPerSec),
                Metric.lower("gen cpu", "%", 10).hidden()), new Verification(10, 10, 0, 0, 0, ""), List.of());
    }

    private static CaseResult latency(double p50) {
        return new CaseResult(List.of(Metric.lower("p50", "us", p50)), new Verification(5, 5, 0, 0, 0, ""),
                List.of(), Map.of("histogram", "abc"));
    }

    private static Results sample() {
        Results r = new Results(List.of("jnatsd", "nats-server"));
        double[] j = {100, 300, 200};
        double[] n = {250, 150, 200};
        for (int round = 1; round <= 3; round++) {
            r.add(FANOUT, "jnatsd", round, rate(j[round - 1]));
            r.add(FANOUT, "nats-server", round, rate(n[round - 1]));
        }
        r.add(REQREP, "jnatsd", 1, latency(30));
        r.add(REQREP, "nats-server", 1, new CaseResult(List.of(Metric.lower("p50", "us", 20)),
                new Verification(5, 4, 1, 0, 0, "lost one"), List.of("a note")));
        return r;
    }

    @Test
    void shouldSummariseMediansAndRatiosPerMetric() {
        List<Results.Row> rows = sample().rows();

        assertThat(rows).hasSize(3);
        Results.Row rate = rows.get(0);
        assertThat(rate.metric().name()).isEqualTo("msgs/s");
        assertThat(rate.values().get("jnatsd")).containsExactly(100.0, 300.0, 200.0);
        assertThat(rate.medians()).containsEntry("jnatsd", 200.0).containsEntry("nats-server", 200.0);
        assertThat(rate.ratio()).isEqualTo(1.0);
        Results.Row p50 = rows.get(2);
        assertThat(p50.ratio()).isEqualTo(1.5);
    }

    @Test
    void shouldDivideEveryServerByTheReferenceAndVariantsByTheFirstWithThreeServers() throws Exception {
        Results r = new Results(List.of("jnatsd", "jnatsd-openssl", "nats-server"));
        BenchCase tls = new ThroughputCase("tls-1to1", 1, 1, false, 1024);
        r.add(tls, "jnatsd", 1, rate(300));
        r.add(tls, "jnatsd-openssl", 1, rate(600));
        r.add(tls, "nats-server", 1, rate(200));

        Results.Row row = r.rows().getFirst();

        assertThat(r.ratioPairs()).extracting(Results.RatioPair::label).containsExactly("jnatsd/nats-server",
                "jnatsd-openssl/nats-server", "jnatsd-openssl/jnatsd");
        assertThat(row.ratios()).containsExactly(Map.entry("jnatsd/nats-server", 1.5),
                Map.entry("jnatsd-openssl/nats-server", 3.0), Map.entry("jnatsd-openssl/jnatsd", 2.0));
        assertThat(row.ratio()).isEqualTo(1.5);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunInfo info = new RunInfo(List.of("--compare"), "2026-01-01T00:00:00Z", "compare", 1,
                Map.of("cores", "2", "cpu", "x", "os", "linux", "java", "25"), Map.of());
        Reports.table(r, info, null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("jnatsd/nats-server  jnatsd-openssl/nats-server  jnatsd-openssl/jnatsd")
                .contains("a/b = a's median / b's");

        Path csv = dir.resolve("three.csv");
        Reports.csv(r, csv);
        assertThat(Files.readAllLines(csv)).contains(
                "tls-1to1,size=1KB,msgs/s,msgs/s,true,jnatsd,300,300,1.5000,true,",
                "tls-1to1,size=1KB,msgs/s,msgs/s,true,jnatsd-openssl,600,600,3,true,",
                "tls-1to1,size=1KB,msgs/s,msgs/s,true,nats-server,200,200,1.5000,true,");
        Path json = dir.resolve("three.json");
        Reports.json(r, info, null, json);
        JsonNode summary = new ObjectMapper().readTree(json.toFile()).get("cases").get(0).get("summary").get(0);
        assertThat(summary.get("ratios").get("jnatsd-openssl/jnatsd").asDouble()).isEqualTo(2.0);
    }

    @Test
    void shouldReportLossesPerServer() {
        Results r = sample();

        assertThat(r.allVerified()).isFalse();
        Results.CaseRuns reqrep = r.cases().get(1);
        assertThat(reqrep.check("jnatsd")).isEqualTo("ok");
        assertThat(reqrep.check("nats-server")).isEqualTo("FAIL lost=1");
        assertThat(reqrep.notes()).containsExactly("nats-server: a note", "nats-server round 1: lost one");
    }

    @Test
    void shouldPrintTheTableWithRatiosAndChecks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunInfo info = new RunInfo(List.of("--compare"), "2026-01-01T00:00:00Z", "compare", 3,
                Map.of("cores", "2", "cpu", "x", "os", "linux", "java", "25"),
                Map.of("jnatsd", Map.of("command", "bin/jnatsd", "version", "v1")));

        Reports.table(sample(), info, null, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("scenario  case", "jnatsd  nats-server  ratio  check")
                .containsPattern("fanout\\s+subs=4 size=1KB\\s+msgs/s\\s+200\\.0\\s+200\\.0\\s+1\\.00\\s+ok")
                .containsPattern("reqrep\\s+size=16B\\s+p50 us\\s+30\\.00\\s+20\\.00\\s+1\\.50\\s+nats-server: FAIL")
                .doesNotContain("gen cpu")
                .contains("SOME RUNS LOST");
    }

    @Test
    void shouldWriteCsvWithOneRowPerCaseMetricAndServer() throws Exception {
        Path csv = dir.resolve("out.csv");

        Reports.csv(sample(), csv);

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(
                "scenario,case,metric,unit,higher_is_better,server,median,rounds,ratio,verified,notes");
        assertThat(lines).contains("fanout,subs=4 size=1KB,msgs/s,msgs/s,true,jnatsd,200,100;300;200,1,true,",
                "reqrep,size=16B,p50,us,false,nats-server,20,20,1.5000,false,nats-server: a note; nats-server"
                        + " round 1: lost one");
        assertThat(lines).hasSize(1 + 2 * 3);
    }

    @Test
    void shouldQuoteCsvCellsOnlyWhenNeeded() {
        assertThat(Reports.csvCell("a b;c")).isEqualTo("a b;c");
        assertThat(Reports.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Reports.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @Test
    void shouldWriteJsonWithEveryRound() throws Exception {
        Path json = dir.resolve("out.json");
        RunInfo info = new RunInfo(List.of("--compare"), "2026-01-01T00:00:00Z", "compare", 3,
                Map.of("cores", "2"), Map.of());
        GeneratorCeiling ceiling = new GeneratorCeiling(Map.of(16, new GeneratorCeiling.Limits(16, 1e7, 5e6)));

        Reports.json(sample(), info, ceiling, json);

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("allVerified").asBoolean()).isFalse();
        assertThat(root.get("generatorCeiling").get(0).get("readerMsgsPerSec").asDouble()).isEqualTo(5e6);
        JsonNode fanout = root.get("cases").get(0);
        assertThat(fanout.get("params").get("subscribers").asInt()).isEqualTo(4);
        assertThat(fanout.get("runs")).hasSize(6);
        assertThat(fanout.get("summary").get(0).get("median").get("jnatsd").asDouble()).isEqualTo(200.0);
        assertThat(fanout.get("summary").get(0).get("ratio").asDouble()).isEqualTo(1.0);
        JsonNode reqrep = root.get("cases").get(1);
        assertThat(reqrep.get("runs").get(0).get("extras").get("histogram").asText()).isEqualTo("abc");
        assertThat(reqrep.get("runs").get(1).get("verification").get("missing").asLong()).isEqualTo(1);
    }
}
