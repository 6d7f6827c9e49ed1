package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.server.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The system account's events through jnats with a system-account user (nats-server events.go): connect and
 * disconnect advisories, auth errors (system-wide and in the client's account), account connection counts, the
 * STATSZ heartbeat, lame duck and shutdown, with nats-server's subjects, {@code type} names and fields.
 */
class SystemEventsIT {

    private static final Duration TIMEOUT = SystemAccountFixture.TIMEOUT;

    private static JsonNode next(Subscription sub) throws InterruptedException {
        Message m = sub.nextMessage(TIMEOUT);
        assertThat(m).as("an event on " + sub.getSubject()).isNotNull();
        return SystemAccountFixture.json(m.getData());
    }

    @Test
    void shouldPublishConnectAndDisconnectEvents() throws Exception {
        try (EmbeddedServer server = SystemAccountFixture.start(b -> b);
             Connection sys = SystemAccountFixture.connect(server, "sys", "watcher")) {
            // not $SYS.ACCOUNT.*.CONNECT: the watcher's own event is sent asynchronously and may arrive after the SUB
            Subscription connects = sys.subscribe("$SYS.ACCOUNT.$G.CONNECT");
            Subscription disconnects = sys.subscribe("$SYS.ACCOUNT.$G.DISCONNECT");
            sys.flush(TIMEOUT);
            try (Connection app = SystemAccountFixture.connect(server, "app", "app-1")) {
                app.publish("x", new byte[4]);
                app.flush(TIMEOUT);
                JsonNode connect = next(connects);
                assertThat(connect.get("type").asText()).isEqualTo("io.nats.server.advisory.v1.client_connect");
                assertThat(connect.get("id").asText()).hasSize(22);
                assertThat(connect.get("timestamp").asText()).endsWith("Z");
                JsonNode server1 = connect.get("server");
                assertThat(server1.get("id").asText()).isEqualTo(server.server().serverId());
                assertThat(server1.get("ver").asText()).isEqualTo("2.15.0-dev");
                assertThat(server1.get("seq").asLong()).isPositive();
                assertThat(server1.has("jetstream")).isTrue();
                JsonNode client = connect.get("client");
                assertThat(client.get("acc").asText()).isEqualTo("$G");
                assertThat(client.get("name").asText()).isEqualTo("app-1");
                assertThat(client.get("user").asText()).isEqualTo("app");
                assertThat(client.get("lang").asText()).isEqualTo("java");
                assertThat(client.get("kind").asText()).isEqualTo("Client");
                assertThat(client.get("client_type").asText()).isEqualTo("nats");
                assertThat(client.get("host").asText()).isEqualTo("127.0.0.1");
                assertThat(client.get("id").asLong()).isPositive();
                assertThat(client.has("start")).isTrue();
                assertThat(client.has("stop")).isFalse();
            }
            JsonNode disconnect = next(disconnects);
            assertThat(disconnect.get("type").asText()).isEqualTo("io.nats.server.advisory.v1.client_disconnect");
            assertThat(disconnect.get("reason").asText()).isEqualTo("Client Closed");
            assertThat(disconnect.get("client").get("name").asText()).isEqualTo("app-1");
            assertThat(disconnect.get("client").has("stop")).isTrue();
            assertThat(disconnect.get("sent").get("msgs").asLong()).isEqualTo(1);
            assertThat(disconnect.get("sent").get("bytes").asLong()).isEqualTo(4);
            assertThat(disconnect.get("received").get("msgs").asLong()).isZero();
        }
    }

    @Test
    void shouldPublishAuthErrorsSystemWideAndInTheClientsAccount() throws Exception {
        try (EmbeddedServer server = SystemAccountFixture.start(b -> b);
             Connection sys = SystemAccountFixture.connect(server, "sys", "watcher");
             Connection app = SystemAccountFixture.connect(server, "app", "app")) {
            Subscription system = sys.subscribe("$SYS.SERVER." + server.server().serverId() + ".CLIENT.AUTH.ERR");
            Subscription inAccount = app.subscribe("$SYS.ACCOUNT.CLIENT.AUTH.ERR");
            sys.flush(TIMEOUT);
            app.flush(TIMEOUT);
            assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(server.url()).userInfo("bad", "x")
                    .connectionName("intruder").maxReconnects(0).connectionTimeout(TIMEOUT).build()))
                    .isInstanceOf(Exception.class);
            JsonNode event = next(system);
            assertThat(event.get("type").asText()).isEqualTo("io.nats.server.advisory.v1.client_disconnect");
            assertThat(event.get("reason").asText()).isEqualTo("Authentication Failure");
            assertThat(event.get("client").get("acc").asText()).isEqualTo("$G");
            assertThat(event.get("client").get("user").asText()).isEqualTo("bad");
            assertThat(event.get("client").get("name").asText()).isEqualTo("intruder");
            JsonNode account = next(inAccount);
            assertThat(account.get("reason").asText()).isEqualTo("Authentication Failure");
            assertThat(account.get("client").get("acc").asText()).isEqualTo("$G");
        }
    }

    @Test
    void shouldPublishAccountConnectionCountsButNotForTheGlobalAccount() throws Exception {
        try (EmbeddedServer server = SystemAccountFixture.start(b -> b);
             Connection sys = SystemAccountFixture.connect(server, "sys", "watcher")) {
            Subscription conns = sys.subscribe("$SYS.ACCOUNT.*.SERVER.CONNS");
            Subscription legacy = sys.subscribe("$SYS.SERVER.ACCOUNT.*.CONNS");
            sys.flush(TIMEOUT);
            try (Connection app = SystemAccountFixture.connect(server, "app", "app");
                 Connection second = SystemAccountFixture.connect(server, "sys", "second")) {
                JsonNode event = next(conns);
                assertThat(event.get("type").asText()).isEqualTo("io.nats.server.advisory.v1.account_connections");
                assertThat(event.get("acc").asText()).isEqualTo("$SYS");
                assertThat(event.get("conns").asInt()).isEqualTo(2);
                assertThat(event.get("total_conns").asInt()).isEqualTo(2);
                assertThat(event.get("leafnodes").asInt()).isZero();
                assertThat(event.get("sent").has("routes")).isTrue();
                assertThat(next(legacy).get("acc").asText()).isEqualTo("$SYS");
                assertThat(app.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                assertThat(second.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            JsonNode afterClose = next(conns);
            assertThat(afterClose.get("acc").asText()).as("never $G").isEqualTo("$SYS");
            assertThat(afterClose.get("conns").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldSendStatszHeartbeats() throws Exception {
        try (EmbeddedServer server = SystemAccountFixture.start(b -> b);
             Connection sys = SystemAccountFixture.connect(server, "sys", "watcher")) {
            Subscription statsz = sys.subscribe("$SYS.SERVER." + server.server().serverId() + ".STATSZ");
            sys.flush(TIMEOUT);
            JsonNode first = next(statsz);
            assertThat(first.get("server").get("id").asText()).isEqualTo(server.server().serverId());
            JsonNode stats = first.get("statsz");
            assertThat(stats.get("connections").asInt()).isEqualTo(1);
            assertThat(stats.get("cores").asInt()).isPositive();
            assertThat(stats.get("mem").asLong()).isPositive();
            assertThat(stats.get("subscriptions").asLong()).isPositive();
            assertThat(stats.get("sent").has("msgs")).isTrue();
            assertThat(stats.get("received_from_clients").has("bytes")).isTrue();
            assertThat(stats.get("active_servers").asInt()).isEqualTo(1);
            JsonNode second = next(statsz);
            assertThat(second.get("server").get("seq").asLong()).isGreaterThan(first.get("server").get("seq")
                    .asLong());
        }
    }

    @Test
    void shouldAnnounceLameDuckModeAndShutdown() throws Exception {
        EmbeddedServer server = SystemAccountFixture.start(b -> b);
        try (Connection sys = SystemAccountFixture.connect(server, "sys", "watcher")) {
            Subscription lameDuck = sys.subscribe("$SYS.SERVER.*.LAMEDUCK");
            Subscription shutdown = sys.subscribe("$SYS.SERVER.*.SHUTDOWN");
            sys.flush(TIMEOUT);
            NatsServer s = server.server();
            s.enterLameDuckMode();
            JsonNode ldm = next(lameDuck);
            assertThat(ldm.get("id").asText()).isEqualTo(s.serverId());
            assertThat(ldm.get("name").asText()).isEqualTo(s.serverName());
            Thread.ofVirtual().start(s::shutdown);
            JsonNode down = next(shutdown);
            assertThat(down.get("id").asText()).isEqualTo(s.serverId());
            assertThat(down.get("seq").asLong()).isGreaterThan(ldm.get("seq").asLong());
        } finally {
            server.close();
        }
    }

    @Test
    void shouldSendEventsInNatsServersShape() throws Exception {
        try (EmbeddedServer server = SystemAccountFixture.start(b -> b);
             Connection sys = SystemAccountFixture.connect(server, "sys", "watcher")) {
            Subscription connects = sys.subscribe("$SYS.ACCOUNT.$G.CONNECT");
            Subscription disconnects = sys.subscribe("$SYS.ACCOUNT.$G.DISCONNECT");
            Subscription authErrors = sys.subscribe("$SYS.SERVER.*.CLIENT.AUTH.ERR");
            Subscription conns = sys.subscribe("$SYS.ACCOUNT.$SYS.SERVER.CONNS");
            sys.flush(TIMEOUT);
            try (Connection app = SystemAccountFixture.connect(server, "app", "app-1");
                 Connection second = SystemAccountFixture.connect(server, "sys", "second")) {
                app.publish("x", new byte[4]);
                app.flush(TIMEOUT);
                second.flush(TIMEOUT);
            }
            assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(server.url()).userInfo("bad", "x")
                    .connectionName("intruder").maxReconnects(0).connectionTimeout(TIMEOUT).build()))
                    .isInstanceOf(Exception.class);
            assertShape("sys-event-connect", next(connects));
            assertShape("sys-event-disconnect", next(disconnects));
            assertShape("sys-event-auth-error", next(authErrors));
            assertShape("sys-event-account-conns", next(conns));
        }
    }

    /** Every field of the event nats-server 2.9.10 sent in the same situation is there with the same JSON type. */
    private static void assertShape(String fixture, JsonNode actual) throws java.io.IOException {
        JsonNode expected;
        try (java.io.InputStream in = SystemEventsIT.class.getResourceAsStream("/monitoring/" + fixture + ".json")) {
            expected = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        compare(fixture, expected, actual, problems);
        assertThat(problems).as(actual.toPrettyString()).isEmpty();
    }

    private static void compare(String at, JsonNode expected, JsonNode actual, java.util.List<String> problems) {
        if (actual == null || actual.isMissingNode()) {
            problems.add(at + ": missing");
            return;
        }
        if (expected.isNumber() ? !actual.isNumber() : expected.getNodeType() != actual.getNodeType()) {
            problems.add(at + ": " + expected.getNodeType() + " expected, " + actual.getNodeType() + " found");
            return;
        }
        expected.fields().forEachRemaining(f -> compare(at + "." + f.getKey(), f.getValue(), actual.get(f.getKey()),
                problems));
    }
}
