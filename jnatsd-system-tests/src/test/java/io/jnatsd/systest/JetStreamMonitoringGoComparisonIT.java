package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.ServerOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitoring with JetStream on, side by side with the Go nats-server binary ({@code -js}, 2.9.10 here): both get the
 * same stream {@code ORDERS} with two messages through jnats, then the same HTTP requests. Error answers (bad
 * parameters) must be byte for byte the same; JSON answers must have nats-server's field names (jnatsd may add the
 * fields nats-server added after 2.9.10). Skipped when {@code /usr/sbin/nats-server} is not installed.
 */
class JetStreamMonitoringGoComparisonIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * Fields main writes that 2.9.10 does not (2.9.10 also leaves {@code compress_ok} out of the configuration when
     * JetStream comes from the command line; main's baseline options give every server a sync interval).
     */
    private static final Set<String> NEWER = Set.of("limits", "total", "level", "consumer_limits", "compression",
            "allow_msg_ttl", "metadata", "sync_interval", "strict", "compress_ok");

    @TempDir
    static Path dir;

    private static GoServer go;
    private static EmbeddedServer jnatsd;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        go = GoServer.start("-m", "-1", "-js", "-sd", dir.resolve("go").toString());
        jnatsd = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT).jetStream(JetStreamOptions.DISABLED
                .toBuilder().enabled(true).storeDir(dir.resolve("jnatsd").toString()).build()));
        for (String url : new String[] {"nats://127.0.0.1:" + go.port(), jnatsd.url()}) {
            try (Connection nc = Nats.connect(new Options.Builder().server(url).connectionTimeout(TIMEOUT).build())) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                        .storageType(StorageType.File).build());
                nc.jetStream().publish("orders.a", "one".getBytes(StandardCharsets.UTF_8));
                nc.jetStream().publish("orders.b", "two".getBytes(StandardCharsets.UTF_8));
            }
        }
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

    private static Http.Reply fromGo(String path) {
        return Http.get("http://127.0.0.1:" + go.monitorPort() + path);
    }

    private static Http.Reply fromJnatsd(String path) {
        return Http.get(jnatsd.monitorUrl() + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jsz?accounts=x", "/jsz?streams=2", "/jsz?consumers=maybe", "/jsz?config=no",
            "/jsz?offset=x", "/jsz?limit=1.5", "/jsz?offset=99999999999999999999", "/jsz?leader-only=y",
            "/jsz?accounts=1&streams=x", "/healthz?js-enabled=x", "/healthz?js-enabled-only=x",
            "/healthz?js-server-only=nope", "/healthz", "/healthz?js-enabled-only=1", "/healthz?js-server-only=1"})
    void shouldAnswerAsNatsServer(String path) {
        Http.Reply expected = fromGo(path);
        Http.Reply actual = fromJnatsd(path);
        assertThat(actual.status()).as(path).isEqualTo(expected.status());
        assertThat(actual.body()).as(path).isEqualTo(expected.body());
        assertThat(actual.header("Content-Type")).as(path).isEqualTo(expected.header("Content-Type"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/jsz|",
            "/jsz?leader-only=1|",
            "/jsz?accounts=1|/account_details/0",
            "/jsz?streams=1|/account_details/0/stream_detail/0",
            "/jsz?streams=1&config=1|/account_details/0/stream_detail/0/config",
            "/jsz?streams=1|/account_details/0/stream_detail/0/state",
            "/varz|/jetstream",
            "/varz|/jetstream/config",
            "/varz|/jetstream/stats",
            "/varz|/jetstream/stats/api"})
    void shouldHaveNatsServersFields(String path, String pointer) {
        Http.Reply expected = fromGo(path);
        Http.Reply actual = fromJnatsd(path);
        assertThat(actual.status()).as(path).isEqualTo(expected.status());
        String at = pointer == null ? "" : pointer;
        JsonNode e = expected.json().at(at);
        JsonNode a = actual.json().at(at);
        assertThat(e.isObject()).as(path + at + " in nats-server's answer").isTrue();
        Set<String> missing = names(e);
        missing.removeAll(names(a));
        assertThat(missing).as(path + at + ": fields of nats-server missing from jnatsd").isEmpty();
        Set<String> extra = names(a);
        extra.removeAll(names(e));
        extra.removeAll(NEWER);
        assertThat(extra).as(path + at + ": fields jnatsd adds").isEmpty();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
