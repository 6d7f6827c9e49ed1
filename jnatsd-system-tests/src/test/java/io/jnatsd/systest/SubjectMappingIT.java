package io.jnatsd.systest;

import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.ServerOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subject mappings as the official Java client sees them: mapped publishes arrive on their destination, weighted
 * mappings split traffic, loss mappings drop, mapping functions give the same subjects as the Go nats-server, and a
 * reload replaces the mappings.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class SubjectMappingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String END = "end.of.test";

    private static io.nats.client.Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(TIMEOUT).build());
    }

    /**
     * Publishes each subject {@code times} times and then {@link #END}, and returns the subjects delivered to a
     * {@code >} subscription on the same connection before {@code END} (per-connection order makes END the last).
     */
    private static List<String> publishAndCollect(String url, List<String> subjects, int times) throws Exception {
        try (io.nats.client.Connection nc = connect(url)) {
            Subscription sub = nc.subscribe(">");
            nc.flush(TIMEOUT);
            for (int i = 0; i < times; i++) {
                for (String subject : subjects) {
                    nc.publish(subject, "x".getBytes(StandardCharsets.UTF_8));
                }
            }
            nc.publish(END, null);
            List<String> received = new ArrayList<>();
            while (true) {
                Message m = sub.nextMessage(TIMEOUT);
                assertThat(m).as("message after %s", received.size()).isNotNull();
                if (m.getSubject().equals(END)) {
                    return received;
                }
                received.add(m.getSubject());
            }
        }
    }

    private static Map<String, Integer> counts(List<String> subjects) {
        Map<String, Integer> counts = new HashMap<>();
        subjects.forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }

    @Test
    void shouldDeliverAMappedPublishOnItsDestination() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                mappings {
                    foo: bar
                    "orders.*.*": "shipped.$2.{{wildcard(1)}}"
                    "in.>": "out.>"
                }
                """)) {
            assertThat(publishAndCollect(server.url(), List.of("foo", "orders.eu.42", "in.a.b", "other"), 1))
                    .containsExactly("bar", "shipped.42.eu", "out.a.b", "other");
        }
    }

    @Test
    void accountSimpleWeightedRouteMapping() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                mappings {
                    foo: [ { destination: bar, weight: 50% } ]
                    baz: [ { destination: one, weight: 30 }, { destination: two, weight: 20 } ]
                }
                """)) {
            int total = 1000;
            Map<String, Integer> counts = counts(publishAndCollect(server.url(), List.of("foo", "baz"), total));
            // Binomial bounds far beyond any plausible draw (over 6 standard deviations).
            assertThat(counts.getOrDefault("bar", 0)).isBetween(400, 600);
            assertThat(counts.getOrDefault("foo", 0)).isBetween(400, 600);
            assertThat(counts.get("bar") + counts.get("foo")).isEqualTo(total);
            assertThat(counts.getOrDefault("one", 0)).isBetween(210, 390);
            assertThat(counts.getOrDefault("two", 0)).isBetween(120, 280);
            assertThat(counts.getOrDefault("baz", 0)).isBetween(410, 590);
            assertThat(counts.get("one") + counts.get("two") + counts.get("baz")).isEqualTo(total);
        }
    }

    @Test
    void accountRouteMappingsWithLossInjection() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                mappings {
                    foo: { dest: foo, weight: 80% }
                    bar: { dest: bar, weight: 0% }
                }
                """)) {
            Map<String, Integer> counts = counts(publishAndCollect(server.url(), List.of("foo", "bar"), 1000));
            assertThat(counts.getOrDefault("foo", 0)).isBetween(700, 900);
            assertThat(counts).doesNotContainKey("bar");
        }
    }

    @Test
    void shouldCheckPublishPermissionsOnTheMappedSubject() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                mappings { foo: bar, baz: qux }
                authorization {
                    users = [ { user: a, password: b, permissions: { publish: [ "bar", "baz", "end.>" ] } } ]
                }
                """)) {
            String url = server.url().replace("nats://", "nats://a:b@");
            // foo becomes bar (allowed); baz becomes qux (refused, so it never arrives).
            assertThat(publishAndCollect(url, List.of("foo", "baz"), 1)).containsExactly("bar");
        }
    }

    @Test
    void shouldReplaceMappingsOnReload() throws Exception {
        Path file = Files.createTempFile("jnatsd-mapping-", ".conf");
        try {
            Files.writeString(file, "host: 127.0.0.1\nport: -1\nmappings { foo: bar }\n");
            ServerOptions initial = ConfigLoader.options(file);
            try (EmbeddedServer server = EmbeddedServer.start(b -> initial.toBuilder())) {
                assertThat(publishAndCollect(server.url(), List.of("foo"), 1)).containsExactly("bar");
                Files.writeString(file, "host: 127.0.0.1\nport: -1\nmappings { foo: baz, \"x.*\": \"y.$1\" }\n");
                assertThat(server.server().reload(ConfigLoader.options(file), "")).isEmpty();
                assertThat(publishAndCollect(server.url(), List.of("foo", "x.1"), 1)).containsExactly("baz", "y.1");
                Files.writeString(file, "host: 127.0.0.1\nport: -1\n");
                assertThat(server.server().reload(ConfigLoader.options(file), "")).isEmpty();
                assertThat(publishAndCollect(server.url(), List.of("foo"), 1)).containsExactly("foo");
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void shouldMapLikeTheGoServer() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server installed");
        String conf = """
                mappings {
                    "a.*.*": "x.{{partition(5,1,2)}}.{{splitfromleft(1,2)}}.{{slicefromright(2,2)}}.{{split(1,-)}}.$2"
                    "b.*": "y.{{wildcard(1)}}.{{SplitFromRight(1,1)}}.{{SliceFromLeft(1,2)}}.{{partition(7,1)}}"
                    "c.*.>": "z.$1.>"
                }
                """;
        List<String> subjects = List.of("a.hello-big-world.12345", "a.x.y", "a.-q--r-.987654321", "b.abcdefg",
                "b.z", "c.1.2.3", "c.1.2", "nothing.mapped");
        List<String> fromJnatsd;
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(conf)) {
            fromJnatsd = publishAndCollect(server.url(), subjects, 1);
        }
        try (GoServer go = GoServer.startWithConfig(conf)) {
            assertThat(fromJnatsd).isEqualTo(publishAndCollect("nats://127.0.0.1:" + go.port(), subjects, 1));
        }
    }
}
