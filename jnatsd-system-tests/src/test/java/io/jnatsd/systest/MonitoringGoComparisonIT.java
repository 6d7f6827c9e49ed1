package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the same monitoring requests to jnatsd and to the Go nats-server binary (2.9.10 here) and compares what an
 * HTTP client sees: status, content type and body of every error answer (bad parameters, unknown paths), and for
 * JSON answers the top-level field names (jnatsd may have the fields nats-server added after 2.9.10). Skipped when
 * {@code /usr/sbin/nats-server} is not installed.
 */
class MonitoringGoComparisonIT {

    /** Fields 2.9.10 leaves out that 2.15 writes (checked by {@link MonitoringFixturesIT}). */
    private static final Set<String> NEWER = Set.of("in_client_msgs", "in_client_bytes", "out_client_msgs",
            "out_client_bytes", "stale_connections", "stalled_clients", "config_digest", "slow_consumer_stats",
            "disk_io_wait_stats", "stale_connection_stats", "server_name", "total", "server_id", "now", "offset", "limit");

    private static GoServer go;
    private static EmbeddedServer jnatsd;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        go = GoServer.start("-m", "-1");
        jnatsd = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT));
    }

    @AfterAll
    static void stop() {
        if (go != null) {
            go.close();
        }
        if (jnatsd != null) {
            jnatsd.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/connz?auth=maybe", "/connz?limit=x", "/connz?offset=1.5", "/connz?cid=-1",
            "/connz?cid=x", "/connz?state=weird", "/connz?sort=bogus", "/connz?sort=stop", "/connz?sort=reason",
            "/connz?subs=x", "/subsz?test=foo.*", "/subsz?subs=nope", "/subsz?limit=a", "/accountz?acc=nope",
            "/leafz?subs=x", "/routez?subs=2", "/gatewayz?accs=x", "/jsz?accounts=x", "/jsz?leader-only=true",
            "/accstatz?unused=x", "/healthz?js-enabled-only=x", "/ipqueuesz?all=x", "/varz/", "/nope",
            "/connz/x", "/debug/pprof"})
    void shouldAnswerErrorsAsNatsServer(String path) {
        Http.Reply expected = Http.get("http://127.0.0.1:" + go.monitorPort() + path);
        Http.Reply actual = Http.get(jnatsd.monitorUrl() + path);
        assertThat(actual.status()).as(path).isEqualTo(expected.status());
        assertThat(actual.body()).as(path).isEqualTo(expected.body());
        assertThat(actual.header("Content-Type")).as(path).isEqualTo(expected.header("Content-Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/varz", "/connz", "/connz?state=closed", "/routez", "/gatewayz", "/leafz",
            "/subsz?subs=1", "/accountz", "/accountz?acc=$G", "/accstatz?unused=1", "/jsz", "/ipqueuesz",
            "/connz?cid=1&state=any", "/connz?offset=-3&limit=-1", "/healthz"})
    void shouldHaveNatsServersTopLevelFields(String path) {
        Http.Reply expected = Http.get("http://127.0.0.1:" + go.monitorPort() + path);
        Http.Reply actual = Http.get(jnatsd.monitorUrl() + path);
        assertThat(actual.status()).as(path).isEqualTo(expected.status());
        assertThat(actual.header("Content-Type")).as(path).isEqualTo(expected.header("Content-Type"));
        Set<String> missing = names(expected.json());
        missing.removeAll(names(actual.json()));
        assertThat(missing).as(path + ": fields of nats-server missing from jnatsd").isEmpty();
        Set<String> extra = names(actual.json());
        extra.removeAll(names(expected.json()));
        extra.removeAll(NEWER);
        assertThat(extra).as(path + ": fields jnatsd adds").isEmpty();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
