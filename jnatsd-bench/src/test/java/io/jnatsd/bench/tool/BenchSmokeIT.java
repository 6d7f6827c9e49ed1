package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code jnatsd-bench --smoke} in-process against freshly launched servers: jnatsd from the reactor's
 * {@code jnatsd.jar}, and nats-server when it is installed. Checks that every scenario (the TLS ones included, on
 * instances with a throw-away certificate) produced results on every server and that no message was lost or
 * duplicated, and that the TLS scenarios also run with a jnatsd variant on each TLS provider side by side. Asserts
 * nothing about speed.
 */
class BenchSmokeIT {

    @TempDir
    Path dir;

    @Test
    void shouldRunEveryScenarioOnEveryServerWithoutLosingMessages() throws Exception {
        Path appJar = Path.of(System.getProperty("jnatsd.appJar", "../jnatsd-app/target/jnatsd.jar"));
        assertThat(appJar).as("jnatsd.jar (built by the jnatsd-app module)").isRegularFile();
        Path json = dir.resolve("smoke.json");
        Path csv = dir.resolve("smoke.csv");
        Path charts = dir.resolve("charts");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = BenchMain.run(new String[] {"--smoke", "--jnatsd", appJar.toString(), "--json", json.toString(),
            "--csv", csv.toString(), "--chart", charts.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String table = out.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertThat(status).as("exit status").isZero();
        assertThat(table).contains("smoke: ok", "all runs delivered every message exactly once");

        List<String> servers = new ArrayList<>(List.of("jnatsd"));
        if (BenchOptions.findNatsServer() != null) {
            servers.add("nats-server");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("allVerified").asBoolean()).isTrue();
        Set<String> scenarios = new HashSet<>();
        for (JsonNode c : root.get("cases")) {
            scenarios.add(c.get("scenario").asText());
            assertThat(c.has("skipped")).as(c.get("case").asText()).isFalse();
            List<String> ran = new ArrayList<>();
            for (JsonNode run : c.get("runs")) {
                ran.add(run.get("server").asText());
                assertThat(run.get("verification").get("ok").asBoolean()).as(c.toString()).isTrue();
                assertThat(run.get("metrics").size()).as(c.toString()).isPositive();
            }
            assertThat(ran).as(c.get("scenario").asText() + " " + c.get("case").asText())
                    .containsExactlyElementsOf(servers);
        }
        assertThat(scenarios).containsExactlyInAnyOrderElementsOf(BenchOptions.SCENARIOS);

        assertThat(Files.readAllLines(csv).get(0)).startsWith("scenario,case,metric");
        for (String png : List.of("throughput-vs-payload.png", "throughput-vs-subscribers.png",
                "throughput-vs-subscriptions.png")) {
            byte[] head = Files.readAllBytes(charts.resolve(png));
            assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).as(png).isEqualTo("PNG");
        }
    }

    @Test
    void shouldRunTheTlsScenariosOnBothProvidersSideBySide() throws Exception {
        Path appJar = Path.of(System.getProperty("jnatsd.appJar", "../jnatsd-app/target/jnatsd.jar"));
        Path json = dir.resolve("tls.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = BenchMain.run(new String[] {"--smoke", "--jnatsd", appJar.toString(), "--json", json.toString(),
            "--jnatsd-java-opts", "-Djnatsd.tls.provider=jdk", "--jnatsd-variant",
            "jnatsd-openssl=-Djnatsd.tls.provider=openssl", "tls-pub", "tls-1to1", "tls-handshake"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String table = out.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertThat(status).as("exit status").isZero();
        assertThat(table).contains("smoke: ok", "jnatsd-openssl/jnatsd");
        List<String> servers = new ArrayList<>(List.of("jnatsd", "jnatsd-openssl"));
        if (BenchOptions.findNatsServer() != null) {
            servers.add("nats-server");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("servers").get("jnatsd").get("tlsCommand").asText())
                .contains("-Djnatsd.tls.provider=jdk", "-c ");
        assertThat(root.get("servers").get("jnatsd-openssl").get("tlsCommand").asText())
                .contains("-Djnatsd.tls.provider=openssl");
        Set<String> scenarios = new HashSet<>();
        for (JsonNode c : root.get("cases")) {
            scenarios.add(c.get("scenario").asText());
            List<String> ran = new ArrayList<>();
            for (JsonNode run : c.get("runs")) {
                ran.add(run.get("server").asText());
                assertThat(run.get("verification").get("ok").asBoolean()).as(c.toString()).isTrue();
            }
            assertThat(ran).as(c.get("case").asText()).containsExactlyElementsOf(servers);
        }
        assertThat(scenarios).containsExactlyInAnyOrderElementsOf(BenchOptions.TLS_SCENARIOS);
        assertThat(root.get("generatorCeiling").findValues("connectionsPerSec")).isNotEmpty();
    }
}
