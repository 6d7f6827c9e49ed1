package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.config.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares jnatsd's monitoring JSON with fixtures captured from nats-server 2.9.10 in the same situation (one
 * client {@code c1} with a plain and a queue subscription that received its own message, one client {@code gone}
 * that closed; see {@code src/test/resources/monitoring/README.md}): every field the fixture has must be there, with
 * the same JSON type, recursively. Fields nats-server added after 2.9.10 are checked for presence separately. The
 * documented differences are 2.9.10's {@code /leafz} {@code null} list (2.15 writes {@code []}) and its
 * stats-only {@code /subsz} (2.15 writes the whole object).
 */
class MonitoringFixturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Paths (under the fixture's field names) where 2.9.10 and 2.15 differ on purpose. */
    private static final Set<String> DIFFERENT = Set.of("leafz.leafs");

    private static EmbeddedServer server;
    private static RawClient staying;

    @BeforeAll
    static void start() {
        server = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT));
        staying = RawClient.connectAndReadInfo(server.port());
        staying.send("CONNECT {\"verbose\":false,\"name\":\"c1\",\"lang\":\"go\",\"version\":\"1.2.3\",\"user\":\"x\"}\r\n"
                + "SUB foo 1\r\nSUB bar q 2\r\nUNSUB 2 5\r\nPUB foo 5\r\nhello\r\nPING\r\n");
        staying.readLinesThrough("PONG");
        try (RawClient gone = RawClient.connectAndReadInfo(server.port())) {
            gone.send("CONNECT {\"verbose\":false,\"name\":\"gone\"}\r\nSUB x 1\r\nPING\r\n");
            gone.readLinesThrough("PONG");
            long cid = gone.clientId();
            gone.close();
            server.awaitClosedReason(cid);
        }
    }

    @AfterAll
    static void stop() {
        if (staying != null) {
            staying.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = MonitoringFixturesIT.class.getResourceAsStream("/monitoring/" + name + ".json")) {
            assertThat(in).as("fixture " + name).isNotNull();
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "varz|/varz|in_client_msgs,in_client_bytes,out_client_msgs,out_client_bytes,stale_connections,"
                    + "stalled_clients,config_digest,slow_consumer_stats,disk_io_wait_stats",
            "connz|/connz|",
            "connz-subs|/connz?subs=1|",
            "connz-subs-detail|/connz?subs=detail&auth=1|",
            "connz-closed|/connz?state=closed&subs=detail&auth=1|",
            "routez|/routez|server_name",
            "gatewayz|/gatewayz|",
            "leafz|/leafz|",
            "subsz|/subsz|server_id,now,total,offset,limit",
            "subsz-subs|/subsz?subs=1&test=foo|",
            "accountz|/accountz|",
            "accountz-detail|/accountz?acc=$G|",
            "accstatz|/accstatz?unused=1|",
            "jsz|/jsz|total",
            "healthz|/healthz|",
            "ipqueuesz|/ipqueuesz|"})
    void shouldHaveNatsServersFieldsAndTypes(String name, String path, String newerFields) throws IOException {
        JsonNode expected = fixture(name);
        JsonNode actual = Http.get(server.monitorUrl() + path).json();
        List<String> problems = new ArrayList<>();
        compare(name, expected, actual, problems);
        assertThat(problems).as(name + ": " + actual.toPrettyString()).isEmpty();
        if (newerFields != null) {
            for (String field : newerFields.split(",")) {
                assertThat(actual.has(field)).as(name + " has the 2.15 field " + field).isTrue();
            }
        }
    }

    /** Adds a line to {@code problems} for every field of {@code expected} missing or of another type. */
    static void compare(String at, JsonNode expected, JsonNode actual, List<String> problems) {
        if (DIFFERENT.contains(at)) {
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            problems.add(at + ": missing");
            return;
        }
        if (expected.isNumber() ? !actual.isNumber() : expected.getNodeType() != actual.getNodeType()) {
            problems.add(at + ": " + expected.getNodeType() + " expected, " + actual.getNodeType() + " found");
            return;
        }
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                compare(at + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), problems);
            }
        } else if (expected.isArray() && !expected.isEmpty() && !actual.isEmpty()) {
            // Go lists maps (subscriptions) in random order: some element must have the first one's shape
            List<String> best = null;
            for (JsonNode element : actual) {
                List<String> found = new ArrayList<>();
                compare(at + "[0]", expected.get(0), element, found);
                if (best == null || found.size() < best.size()) {
                    best = found;
                }
            }
            problems.addAll(best);
        }
    }
}
