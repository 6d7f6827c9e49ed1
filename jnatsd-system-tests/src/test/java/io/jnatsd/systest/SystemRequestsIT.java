package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system account's requests through jnats with a system-account user, as the {@code nats} CLI's server
 * commands send them (nats-server events.go): {@code $SYS.REQ.SERVER.PING[.X]}, {@code $SYS.REQ.SERVER.<id>.X}
 * with options and filters, the account endpoints, the imports every account has ({@code PING.CONNZ},
 * {@code USER.INFO}), {@code KICK}, {@code LDM}, {@code RELOAD}, compression, and nats-server's error replies. Reply
 * shapes are compared with replies captured from nats-server 2.9.10 ({@code monitoring/sys-*.json}).
 */
class SystemRequestsIT {

    private static final Duration TIMEOUT = SystemAccountFixture.TIMEOUT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedServer server;
    private static Connection sys;
    private static Connection app;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        server = SystemAccountFixture.start(b -> b);
        sys = SystemAccountFixture.connect(server, "sys", "sys-user");
        app = SystemAccountFixture.connect(server, "app", "app-user");
        app.subscribe("app.sub");
        app.flush(TIMEOUT);
        id = server.server().serverId();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
        if (sys != null) {
            sys.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode request(Connection nc, String subject, String body) throws InterruptedException {
        Message reply = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(reply).as("a reply to " + subject).isNotNull();
        return SystemAccountFixture.json(reply.getData());
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = SystemRequestsIT.class.getResourceAsStream("/monitoring/" + name + ".json")) {
            assertThat(in).as("fixture " + name).isNotNull();
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sys-varz|$SYS.REQ.SERVER.PING.VARZ|",
            "sys-statsz|$SYS.REQ.SERVER.PING|",
            "sys-healthz|$SYS.REQ.SERVER.PING.HEALTHZ|",
            "sys-connz|$SYS.REQ.SERVER.PING.CONNZ|{\"subscriptions\":true}",
            "sys-account-connz|$SYS.REQ.ACCOUNT.$G.CONNZ|",
            "sys-accountz|$SYS.REQ.SERVER.PING.ACCOUNTZ|",
            "sys-subsz|$SYS.REQ.SERVER.PING.SUBSZ|{\"subscriptions\":true,\"limit\":2}",
            "sys-account-statz|$SYS.REQ.ACCOUNT.PING.STATZ|{\"include_unused\":true}",
            "sys-jsz|$SYS.REQ.SERVER.PING.JSZ|",
            "sys-account-info|$SYS.REQ.ACCOUNT.$G.INFO|",
            "sys-connz-bad-limit|$SYS.REQ.SERVER.PING.CONNZ|{\"limit\":\"x\"}",
            "sys-connz-bad-sort|$SYS.REQ.SERVER.PING.CONNZ|{\"sort\":\"bogus\"}"})
    void shouldReplyInNatsServersShape(String fixture, String subject, String body) throws Exception {
        JsonNode expected = fixture(fixture);
        JsonNode actual = request(sys, subject, body == null ? "" : body);
        List<String> problems = new ArrayList<>();
        compare(fixture, expected, actual, problems);
        assertThat(problems).as(actual.toPrettyString()).isEmpty();
        if (expected.has("error")) {
            assertThat(actual.get("error")).isEqualTo(expected.get("error"));
        }
    }

    private static void compare(String at, JsonNode expected, JsonNode actual, List<String> problems) {
        if (actual == null || actual.isMissingNode()) {
            problems.add(at + ": missing");
            return;
        }
        if (expected.isNumber() ? !actual.isNumber() : expected.getNodeType() != actual.getNodeType()) {
            problems.add(at + ": " + expected.getNodeType() + " expected, " + actual.getNodeType() + " found");
            return;
        }
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!(at.endsWith(".data") && field.getKey().equals("system_account"))) {
                    compare(at + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), problems);
                }
            }
        }
    }

    @Test
    void shouldAnswerServerEndpoints() throws Exception {
        JsonNode varz = request(sys, "$SYS.REQ.SERVER." + id + ".VARZ", "");
        assertThat(varz.get("server").get("id").asText()).isEqualTo(id);
        assertThat(varz.get("data").get("server_id").asText()).isEqualTo(id);
        JsonNode idz = request(sys, "$SYS.REQ.SERVER.PING.IDZ", "");
        assertThat(idz.get("id").asText()).isEqualTo(id);
        assertThat(idz.has("server")).as("IDZ is not wrapped").isFalse();
        // sys and app; a connection another test of this class closed may still be on its way out
        JsonNode[] statsz = new JsonNode[1];
        Await.until(Duration.ofSeconds(10), () -> "connections in " + statsz[0], () -> {
            try {
                statsz[0] = request(sys, "$SYS.REQ.SERVER." + id + ".STATSZ", "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return statsz[0].get("statsz").get("connections").asInt() == 2;
        });
        JsonNode health = request(sys, "$SYS.REQ.SERVER.PING.HEALTHZ", "");
        assertThat(health.get("data").get("status").asText()).isEqualTo("ok");
        assertThat(health.get("data").get("status_code").asInt()).isEqualTo(200);
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.EXPVARZ", "").get("data").get("cmdline").isArray()).isTrue();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.RAFTZ", "").get("data").isEmpty()).isTrue();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.ROUTEZ", "").get("data").get("num_routes").asInt()).isZero();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.LEAFZ", "").get("data").get("leafnodes").asInt()).isZero();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.GATEWAYZ", "").get("data").has("outbound_gateways"))
                .isTrue();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.IPQUEUESZ", "").get("data").isObject()).isTrue();
        JsonNode connz = request(sys, "$SYS.REQ.SERVER.PING.CONNZ", "{\"subscriptions\":true,\"sort\":\"subs\"}");
        assertThat(connz.get("data").get("connections").toString()).contains("\"subscriptions_list\":[\"app.sub\"]");
        JsonNode filtered = request(sys, "$SYS.REQ.SERVER.PING.CONNZ",
                "{\"acc\":\"$G\",\"filter_subject\":\"app.*\"}");
        assertThat(filtered.get("data").get("connections")).hasSize(1);
        JsonNode needsAccount = request(sys, "$SYS.REQ.SERVER.PING.CONNZ", "{\"filter_subject\":\"app.*\"}");
        assertThat(needsAccount.get("error").get("description").asText())
                .isEqualTo("filter by subject only valid with account filtering");
    }

    @Test
    void shouldStaySilentForOtherServersAndAnswerMatchingFilters() throws Exception {
        assertThat(sys.request("$SYS.REQ.SERVER.PING.VARZ", "{\"server_name\":\"nope\"}".getBytes(
                StandardCharsets.UTF_8), Duration.ofMillis(500))).isNull();
        String name = server.server().serverName();
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.VARZ", "{\"server_name\":\"" + name.substring(0, 5) + "\"}")
                .get("data").get("server_id").asText()).isEqualTo(id);
        assertThat(sys.request("$SYS.REQ.SERVER.PING.VARZ", ("{\"server_name\":\"" + name.substring(0, 5)
                + "\",\"exact_match\":true}").getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500))).isNull();
        assertThat(sys.request("$SYS.REQ.SERVER.PING.JSZ", "{\"leader_only\":true}".getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(500))).as("not the meta leader").isNull();
    }

    @Test
    void shouldAnswerBadBodiesWithNatsServersErrors() throws Exception {
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.CONNZ", "xx").get("error").get("description").asText())
                .isEqualTo("invalid character 'x' looking for beginning of value");
        assertThat(request(sys, "$SYS.REQ.SERVER.PING.SUBSZ", "{\"subscriptions\":1}").get("error")
                .get("description").asText())
                .isEqualTo("json: cannot unmarshal number into Go struct field SubszEventOptions.subscriptions of "
                        + "type bool");
        JsonNode statsz = request(sys, "$SYS.REQ.SERVER.PING", "{\"tags\":1}");
        assertThat(statsz.get("error").get("code").asInt()).isEqualTo(400);
        JsonNode unknown = request(sys, "$SYS.REQ.ACCOUNT.nope.INFO", "");
        assertThat(unknown.get("error").get("description").asText()).isEqualTo("Account nope does not exist");
        assertThat(unknown.has("data")).as("a typed nil, as nats-server").isTrue();
        assertThat(request(sys, "$SYS.REQ.ACCOUNT.$G.JSZ", "").get("error").get("description").asText())
                .isEqualTo("jetstream not enabled");
        JsonNode reload = request(sys, "$SYS.REQ.SERVER." + id + ".RELOAD", "");
        assertThat(reload.get("error").get("description").asText())
                .isEqualTo("can only reload config when a file is provided using -c or --config");
        assertThat(reload.has("data")).isFalse();
        assertThat(server.server().isRunning()).isTrue();
    }

    @Test
    void shouldAnswerAccountEndpointsAndImports() throws Exception {
        JsonNode connz = request(sys, "$SYS.REQ.ACCOUNT.$G.CONNZ", "");
        assertThat(connz.get("data").get("connections")).hasSize(1);
        assertThat(connz.get("data").get("connections").get(0).get("name").asText()).isEqualTo("app-user");
        JsonNode subsz = request(sys, "$SYS.REQ.ACCOUNT.$G.SUBSZ", "");
        assertThat(subsz.get("data").get("subscriptions_list").toString()).contains("app.sub");
        JsonNode info = request(sys, "$SYS.REQ.ACCOUNT.$G.INFO", "");
        assertThat(info.get("data").get("account_name").asText()).isEqualTo("$G");
        JsonNode statz = request(sys, "$SYS.REQ.ACCOUNT.$G.STATZ", "");
        assertThat(statz.get("data").get("account_statz").get(0).get("acc").asText()).isEqualTo("$G");
        JsonNode conns = request(sys, "$SYS.REQ.ACCOUNT.$SYS.CONNS", "");
        assertThat(conns.get("type").asText()).isEqualTo("io.nats.server.advisory.v1.account_connections");
        assertThat(conns.get("conns").asInt()).isEqualTo(1);
        JsonNode ping = request(sys, "$SYS.REQ.ACCOUNT.PING.STATZ", "");
        assertThat(ping.get("data").get("account_statz")).hasSize(2);
        // from the global account, through its system imports: only its own connections
        JsonNode own = request(app, "$SYS.REQ.SERVER.PING.CONNZ", "");
        assertThat(own.get("data").get("connections")).hasSize(1);
        assertThat(own.get("data").get("connections").get(0).get("name").asText()).isEqualTo("app-user");
        assertThat(request(app, "$SYS.REQ.ACCOUNT.PING.CONNZ", "").get("data").get("total").asInt()).isEqualTo(1);
        assertThat(request(app, "$SYS.REQ.ACCOUNT.PING.STATZ", "").get("data").get("account_statz").get(0)
                .get("acc").asText()).isEqualTo("$G");
        JsonNode user = request(app, "$SYS.REQ.USER.INFO", "");
        assertThat(user.get("data").get("user").asText()).isEqualTo("app");
        assertThat(user.get("data").get("account").asText()).isEqualTo("$G");
        assertThat(request(sys, "$SYS.REQ.USER.INFO", "").get("data").get("account").asText()).isEqualTo("$SYS");
    }

    @Test
    void shouldKickAndSendLameDuckInfoToOneClient() throws Exception {
        try (Connection victim = SystemAccountFixture.connect(server, "app", "victim")) {
            victim.flush(TIMEOUT);
            long cid = server.clientNamed("victim").orElseThrow().cid();
            JsonNode ldm = request(sys, "$SYS.REQ.SERVER." + id + ".LDM", "{\"cid\":" + cid + "}");
            assertThat(ldm.has("error")).isFalse();
            assertThat(ldm.has("data")).isFalse();
            assertThat(request(sys, "$SYS.REQ.SERVER." + id + ".LDM", "{\"cid\":987654}").get("error")
                    .get("description").asText()).isEqualTo("no such client id");
            JsonNode kick = request(sys, "$SYS.REQ.SERVER." + id + ".KICK", "{\"cid\":" + cid + "}");
            assertThat(kick.has("error")).isFalse();
            assertThat(server.awaitClosedReason(cid).text()).isEqualTo("Kicked");
            assertThat(request(sys, "$SYS.REQ.SERVER." + id + ".KICK", "{\"cid\":987654}").get("error")
                    .get("description").asText()).isEqualTo("no such client or leafnode id");
        }
    }

    @Test
    void shouldCompressRepliesAsAsked() throws Exception {
        Headers gzip = new Headers().add("Accept-Encoding", "gzip");
        Message zipped = sys.request(NatsMessage.builder().subject("$SYS.REQ.SERVER.PING.VARZ").headers(gzip)
                .data(new byte[0]).build(), TIMEOUT);
        assertThat(zipped.getHeaders().getFirst("Content-Encoding")).isEqualTo("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.getData()))) {
            assertThat(SystemAccountFixture.json(in.readAllBytes()).get("data").get("server_id").asText())
                    .isEqualTo(id);
        }
        Headers snappy = new Headers().add("Accept-Encoding", "snappy");
        Message framed = sys.request(NatsMessage.builder().subject("$SYS.REQ.SERVER.PING.VARZ").headers(snappy)
                .data(new byte[0]).build(), TIMEOUT);
        assertThat(framed.getHeaders().getFirst("Content-Encoding")).isEqualTo("snappy");
        assertThat(SystemAccountFixture.json(unframeSnappy(framed.getData())).get("data").get("server_id").asText())
                .isEqualTo(id);
        Headers other = new Headers().add("Accept-Encoding", "br");
        Message plain = sys.request(NatsMessage.builder().subject("$SYS.REQ.SERVER.PING.VARZ").headers(other)
                .data(new byte[0]).build(), TIMEOUT);
        assertThat(plain.getHeaders().getFirst("Content-Encoding")).isEqualTo("identity");
        assertThat(SystemAccountFixture.json(plain.getData()).get("data").has("server_id")).isTrue();
    }

    /** Reads a Snappy framed stream made of uncompressed chunks (type 1) after the stream identifier. */
    private static byte[] unframeSnappy(byte[] framed) {
        assertThat(new String(framed, 4, 6, StandardCharsets.US_ASCII)).isEqualTo("sNaPpY");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 10;
        while (i < framed.length) {
            int type = framed[i] & 0xff;
            int length = (framed[i + 1] & 0xff) | (framed[i + 2] & 0xff) << 8 | (framed[i + 3] & 0xff) << 16;
            assertThat(type).isEqualTo(1);
            out.write(framed, i + 8, length - 4);
            i += 4 + length;
        }
        return out.toByteArray();
    }

    @Test
    void shouldCountSubscribersForDebugSubscribers() throws Exception {
        sys.subscribe("dbg.one");
        sys.subscribe("dbg.*", "q");
        sys.flush(TIMEOUT);
        assertThat(new String(sys.request("$SYS.DEBUG.SUBSCRIBERS", "dbg.one".getBytes(StandardCharsets.UTF_8),
                TIMEOUT).getData(), StandardCharsets.US_ASCII)).isEqualTo("2");
        assertThat(new String(sys.request("$SYS.DEBUG.SUBSCRIBERS", "dbg.one q".getBytes(StandardCharsets.UTF_8),
                TIMEOUT).getData(), StandardCharsets.US_ASCII)).isEqualTo("1");
        assertThat(new String(sys.request("$SYS.DEBUG.SUBSCRIBERS", "dbg.>".getBytes(StandardCharsets.UTF_8),
                TIMEOUT).getData(), StandardCharsets.US_ASCII)).isEqualTo("2");
    }
}
