package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamConsumer;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Monitoring with JetStream on, through jnats and HTTP: account {@code A} (JetStream, unlimited) gets a file stream
 * {@code ORDERS} (max_bytes 1 MiB, three messages) and a memory stream {@code MEM} (one message) through
 * JetStreamManagement, and one failed API request; account {@code B} has no JetStream; {@code SYS} is the system
 * account. The same situation was captured from nats-server 2.9.10 (the {@code js-*} fixtures, see
 * {@code src/test/resources/monitoring/README.md}); the figures below are the ones nats-server reported.
 */
class JetStreamMonitoringIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** An unlimited account limit (-1) as nats-server writes it in {@code reserved_*} (uint64). */
    private static final String UNLIMITED_UINT64 = "18446744073709551615";

    @TempDir
    static Path storeDir;

    private static EmbeddedServer server;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.startWithConfigAndHttp("server_name: jmon\n"
                + "jetstream { store_dir: \"" + storeDir + "\", max_memory_store: 1GB, max_file_store: 10GB }\n"
                + "accounts {\n"
                + "  A { jetstream: enabled, users: [{user: a, password: a}] }\n"
                + "  B { users: [{user: b, password: b}] }\n"
                + "  SYS { users: [{user: sys, password: sys}] }\n"
                + "}\n"
                + "system_account: SYS\n");
        url = server.monitorUrl();
        try (Connection a = connect("a")) {
            JetStreamManagement jsm = a.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.File).maxBytes(1024 * 1024).build());
            jsm.addStream(StreamConfiguration.builder().name("MEM").subjects("mem.>")
                    .storageType(StorageType.Memory).build());
            JetStream js = a.jetStream();
            for (int i = 0; i < 3; i++) {
                js.publish("orders.new", "hello".getBytes(StandardCharsets.UTF_8));
            }
            js.publish("mem.x", "hi".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> jsm.getStreamInfo("NOPE")).isInstanceOf(JetStreamApiException.class);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String user) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).userInfo(user, user)
                .connectionTimeout(TIMEOUT).build());
    }

    private static JsonNode get(String path) {
        Http.Reply reply = Http.get(url + path);
        assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.path(field).asText()));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------ jsz

    @Test
    void shouldReportServerFiguresLikeNatsServer() {
        JsonNode jsz = get("/jsz");
        assertThat(jsz.has("disabled")).isFalse();
        assertThat(jsz.path("memory").asLong()).isEqualTo(23);           // nats-server 2.9.10: 23
        assertThat(jsz.path("storage").asLong()).isEqualTo(135);         // 135
        assertThat(jsz.path("reserved_memory").asLong()).isZero();
        assertThat(jsz.path("reserved_storage").asLong()).isEqualTo(1048576);
        assertThat(jsz.path("accounts").asInt()).isEqualTo(1);
        assertThat(jsz.path("ha_assets").asInt()).isZero();
        assertThat(jsz.path("api").path("level").asInt()).isPositive();
        assertThat(jsz.path("api").path("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(jsz.path("api").path("errors").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(jsz.path("server_id").asText()).isEqualTo(server.server().serverId());
        assertThat(jsz.path("config").path("max_memory").asLong()).isEqualTo(1L << 30);
        assertThat(jsz.path("config").path("max_storage").asLong()).isEqualTo(10L << 30);
        assertThat(jsz.path("config").path("store_dir").asText()).isEqualTo(storeDir.resolve("jetstream").toString());
        assertThat(jsz.path("config").path("compress_ok").asBoolean()).isTrue();
        assertThat(jsz.path("limits").isObject()).isTrue();
        assertThat(jsz.path("limits").isEmpty()).isTrue();
        assertThat(jsz.path("streams").asInt()).isEqualTo(2);
        assertThat(jsz.path("consumers").asInt()).isZero();
        assertThat(jsz.path("messages").asLong()).isEqualTo(4);
        assertThat(jsz.path("bytes").asLong()).isEqualTo(158);
        assertThat(jsz.path("total").asInt()).isEqualTo(1);
        assertThat(jsz.has("account_details")).isFalse();
        assertThat(jsz.has("meta_cluster")).isFalse();
        assertThat(jsz.has("streams_leader")).isFalse();
    }

    @Test
    void shouldListAccountDetailsWithUnsignedReservations() {
        Http.Reply reply = Http.get(url + "/jsz?accounts=1");
        JsonNode detail = reply.json().path("account_details");
        assertThat(names(detail, "name")).containsExactly("A");
        JsonNode a = detail.get(0);
        assertThat(a.path("id").asText()).isEqualTo("A");
        assertThat(a.path("memory").asLong()).isEqualTo(23);
        assertThat(a.path("storage").asLong()).isEqualTo(135);
        assertThat(a.path("api").path("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(a.path("api").path("level").asInt()).isZero();
        assertThat(a.has("stream_detail")).isFalse();
        assertThat(reply.body()).contains("\"reserved_memory\": " + UNLIMITED_UINT64 + ",")
                .contains("\"reserved_storage\": " + UNLIMITED_UINT64 + ",");
    }

    @Test
    void shouldDetailStreamsWithConfigOnlyWhenAsked() {
        JsonNode streams = get("/jsz?streams=1&config=1").path("account_details").get(0).path("stream_detail");
        assertThat(names(streams, "name")).containsExactly("MEM", "ORDERS");
        JsonNode orders = streams.get(1);
        assertThat(orders.path("cluster").path("leader").asText()).isEqualTo("jmon");
        assertThat(orders.path("config").path("storage").asText()).isEqualTo("file");
        assertThat(orders.path("config").path("subjects").get(0).asText()).isEqualTo("orders.>");
        assertThat(orders.path("config").path("max_bytes").asLong()).isEqualTo(1048576);
        assertThat(orders.path("state").path("messages").asLong()).isEqualTo(3);
        assertThat(orders.path("state").path("bytes").asLong()).isEqualTo(135);
        assertThat(orders.path("state").path("last_seq").asLong()).isEqualTo(3);
        assertThat(orders.path("state").path("consumer_count").asInt()).isZero();
        assertThat(orders.has("consumer_detail")).isFalse();
        assertThat(streams.get(0).path("config").path("storage").asText()).isEqualTo("memory");

        JsonNode withoutConfig = get("/jsz?consumers=true").path("account_details").get(0).path("stream_detail");
        assertThat(names(withoutConfig, "name")).containsExactly("MEM", "ORDERS");
        assertThat(withoutConfig.get(0).has("config")).isFalse();
    }

    @Test
    void shouldTargetOneAccountBeforePaging() {
        JsonNode a = get("/jsz?acc=A&streams=1&offset=5");
        assertThat(names(a.path("account_details"), "name")).containsExactly("A");
        assertThat(names(a.path("account_details").get(0).path("stream_detail"), "name"))
                .containsExactly("MEM", "ORDERS");
        // an account without JetStream, or unknown, is ignored: no details, the server's figures
        assertThat(get("/jsz?acc=B").has("account_details")).isFalse();
        assertThat(get("/jsz?acc=NOPE").path("streams").asInt()).isEqualTo(2);
        assertThat(get("/jsz?accounts=1&offset=1").has("account_details")).isFalse();
        assertThat(get("/jsz?accounts=1&limit=1").path("account_details").size()).isEqualTo(1);
        // a negative limit does not page (2.9.10 panicked here; main lists every account)
        assertThat(get("/jsz?accounts=1&limit=-1").path("account_details").size()).isEqualTo(1);
    }

    @Test
    void shouldCountLeadersWithRaftAndAnswerLeaderOnly() {
        JsonNode raft = get("/jsz?raft=1");
        assertThat(raft.path("streams_leader").asInt()).isEqualTo(2);
        assertThat(raft.has("consumers_leader")).isFalse();
        assertThat(get("/jsz?leader-only=true&stream-leader-only=1").path("streams").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/jsz?offset=x|Error decoding int for 'offset': strconv.Atoi: parsing \"x\": invalid syntax",
            "/jsz?limit=1.5|Error decoding int for 'limit': strconv.Atoi: parsing \"1.5\": invalid syntax",
            "/jsz?consumers=maybe|Error decoding boolean for 'consumers': strconv.ParseBool: parsing \"maybe\": "
                    + "invalid syntax",
            "/jsz?raft=2|Error decoding boolean for 'raft': strconv.ParseBool: parsing \"2\": invalid syntax",
            "/healthz?details=x|Error decoding boolean for 'details': strconv.ParseBool: parsing \"x\": invalid syntax",
            "/healthz?js-meta-only=no|Error decoding boolean for 'js-meta-only': strconv.ParseBool: parsing \"no\": "
                    + "invalid syntax"})
    void shouldRefuseBadParametersAsNatsServer(String path, String error) {
        Http.Reply reply = Http.get(url + path);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo(error);
        assertThat(get("/jsz").path("streams").asInt()).isEqualTo(2);      // the server carries on
    }

    // ------------------------------------------------------------------------------------ varz, accountz, healthz

    @Test
    void shouldReportJetStreamInVarz() {
        JsonNode js = get("/varz").path("jetstream");
        assertThat(js.path("config").path("max_memory").asLong()).isEqualTo(1L << 30);
        assertThat(js.path("config").path("store_dir").asText()).isEqualTo(storeDir.resolve("jetstream").toString());
        assertThat(js.path("stats").path("memory").asLong()).isEqualTo(23);
        assertThat(js.path("stats").path("storage").asLong()).isEqualTo(135);
        assertThat(js.path("stats").path("reserved_storage").asLong()).isEqualTo(1048576);
        assertThat(js.path("stats").path("accounts").asInt()).isEqualTo(1);
        assertThat(js.path("stats").path("api").path("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(js.path("limits").isObject()).isTrue();
        assertThat(js.has("meta")).isFalse();
    }

    @Test
    void shouldShowJetStreamInAccountz() {
        JsonNode a = get("/accountz?acc=A").path("account_detail");
        assertThat(a.path("jetstream_enabled").asBoolean()).isTrue();
        JsonNode jsImport = null;
        for (JsonNode imp : a.path("imports")) {
            if ("$JS.API.>".equals(imp.path("subject").asText())) {
                jsImport = imp;
            }
        }
        assertThat(jsImport).isNotNull();
        assertThat(jsImport.path("account").asText()).isEqualTo("SYS");
        assertThat(jsImport.path("share").asBoolean()).isTrue();
        JsonNode b = get("/accountz?acc=B").path("account_detail");
        assertThat(b.path("jetstream_enabled").asBoolean()).isFalse();
        assertThat(names(b.path("imports"), "subject")).contains("$JS.API.>");
        JsonNode sys = get("/accountz?acc=SYS").path("account_detail");
        assertThat(names(sys.path("exports"), "subject")).contains("$JS.API.>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/healthz|200|{\"status\":\"ok\"}",
            "/healthz?js-enabled-only=1|200|{\"status\":\"ok\"}",
            "/healthz?js-server-only=1&account=NOPE|200|{\"status\":\"ok\"}",
            "/healthz?account=A|200|{\"status\":\"ok\"}",
            "/healthz?account=A&stream=ORDERS|200|{\"status\":\"ok\"}",
            "/healthz?account=A&stream=ORDERS&js-meta-only=1|200|{\"status\":\"ok\"}",
            // nats-server walks the store directory: a memory stream has none, nor an account without file streams
            "/healthz?account=A&stream=MEM|404|{\"status\":\"unavailable\",\"error\":\"JetStream stream \\\"MEM\\\" "
                    + "not found on account \\\"A\\\"\"}",
            "/healthz?account=B|404|{\"status\":\"unavailable\",\"error\":\"JetStream account \\\"B\\\" not found\"}",
            "/healthz?account=A&stream=NOPE|404|{\"status\":\"unavailable\",\"error\":\"JetStream stream "
                    + "\\\"NOPE\\\" not found on account \\\"A\\\"\"}",
            "/healthz?account=A&stream=ORDERS&consumer=C|404|{\"status\":\"unavailable\",\"error\":\"JetStream "
                    + "consumer \\\"C\\\" not found for stream \\\"ORDERS\\\" on account \\\"A\\\"\"}",
            "/healthz?account=Z&details=1|404|{\"status\":\"error\",\"errors\":[{\"type\":\"ACCOUNT\","
                    + "\"account\":\"Z\",\"error\":\"JetStream account \\\"Z\\\" not found\"}]}",
            "/healthz?account=A&stream=NOPE&details=true|404|{\"status\":\"error\",\"errors\":[{\"type\":\"STREAM\","
                    + "\"account\":\"A\",\"stream\":\"NOPE\",\"error\":\"JetStream stream \\\"NOPE\\\" not found on "
                    + "account \\\"A\\\"\"}]}",
            "/healthz?stream=ORDERS|400|{\"status\":\"error\",\"error\":\"\\\"account\\\" must not be empty when "
                    + "checking stream health\"}"})
    void shouldCheckJetStreamHealth(String path, int status, String body) {
        try (LogCapture log = LogCapture.ofNames("io.jnatsd.server.monitor.MonitorRoutes")) {
            Http.Reply reply = Http.get(url + path);
            assertThat(reply.status()).as(path).isEqualTo(status);
            assertThat(reply.body()).as(path).isEqualTo(body);
            if (status != 200) {
                assertThat(log.await("Healthcheck failed: ")).startsWith("[WARN]");
            }
        }
    }

    // ----------------------------------------------------------------------------------- consumers, not enabled

    /** A consumer as the consumer layer will attach one: it reports its info for {@code consumer_detail}. */
    private record FakeConsumer(String name, Map<String, Object> info) implements StreamConsumer {
        @Override
        public boolean wants(String subject) {
            return false;
        }

        @Override
        public void onStored(long seq, String subject) {
            // this consumer delivers nothing
        }

        @Override
        public void onRemoved(long seq, String subject) {
            // this consumer delivers nothing
        }

        @Override
        public void onPurged(long firstSeq, long lastSeq, String subject) {
            // this consumer delivers nothing
        }

        @Override
        public void onStreamStopped(boolean deleted) {
            // nothing to release
        }

        @Override
        public boolean needAck(long seq, String subject) {
            return false;
        }
    }

    @Test
    void shouldDetailConsumersThroughTheStreamSeam() throws Exception {
        try (EmbeddedServer s = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT)
                .jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                        .storeDir(storeDir.resolve("seam").toString()).build()));
             Connection nc = Nats.connect(new Options.Builder().server(s.url()).connectionTimeout(TIMEOUT).build())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s.>")
                    .storageType(StorageType.Memory).build());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("stream_name", "S");
            info.put("name", "C1");
            info.put("config", Map.of("durable_name", "C1"));
            info.put("num_pending", 0);
            Stream stream = s.server().jetStream().account(Account.GLOBAL).lookup("S");
            stream.attach(new FakeConsumer("C1", info));
            String base = s.monitorUrl();
            JsonNode jsz = Http.get(base + "/jsz?consumers=1").json();
            assertThat(jsz.path("consumers").asInt()).isEqualTo(1);
            JsonNode detail = jsz.path("account_details").get(0).path("stream_detail").get(0);
            assertThat(detail.path("state").path("consumer_count").asInt()).isEqualTo(1);
            assertThat(names(detail.path("consumer_detail"), "name")).containsExactly("C1");
            assertThat(detail.path("consumer_detail").get(0).has("config")).isFalse();
            JsonNode withConfig = Http.get(base + "/jsz?consumers=1&config=1").json().path("account_details").get(0)
                    .path("stream_detail").get(0).path("consumer_detail").get(0);
            assertThat(withConfig.path("config").path("durable_name").asText()).isEqualTo("C1");
            assertThat(Http.get(base + "/jsz?raft=1").json().path("consumers_leader").asInt()).isEqualTo(1);
            assertThat(Http.get(base + "/metrics").body())
                    .contains("nats_jetstream_account_consumers{account=\"$G\"} 1.0");
            // memory streams have no directory for /healthz to find, as in nats-server
            assertThat(Http.get(base + "/healthz?account=$G&stream=S&consumer=C1").status()).isEqualTo(404);
        }
    }

    @Test
    void shouldAnswerUnavailableOnceJetStreamStopped() {
        try (EmbeddedServer s = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT)
                .jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                        .storeDir(storeDir.resolve("stopped").toString()).build()))) {
            String base = s.monitorUrl();
            assertThat(Http.get(base + "/healthz").status()).isEqualTo(200);
            assertThat(Http.get(base + "/jsz").json().has("disabled")).isFalse();
            s.server().jetStream().shutdown();
            Http.Reply health = Http.get(base + "/healthz");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("{\"status\":\"unavailable\",\"error\":\"JetStream not enabled "
                    + "(10076)\"}");
            assertThat(Http.get(base + "/healthz?details=1").body()).isEqualTo("{\"status\":\"error\",\"errors\":"
                    + "[{\"type\":\"JETSTREAM\",\"error\":\"JetStream not enabled (10076)\"}]}");
            assertThat(Http.get(base + "/healthz?js-server-only=1").status()).isEqualTo(200);
            assertThat(Http.get(base + "/jsz").json().path("disabled").asBoolean()).isTrue();
            Http.Reply leader = Http.get(base + "/jsz?leader-only=1");
            assertThat(leader.status()).isEqualTo(400);
            assertThat(leader.body()).isEqualTo("filtered response: not leader");
        }
    }

    // ------------------------------------------------------------------------------------------------------- $SYS

    @Test
    void shouldAnswerJszRequestsOfTheSystemAccount() throws Exception {
        try (Connection sys = connect("sys")) {
            JsonNode all = request(sys, "$SYS.REQ.SERVER.PING.JSZ", "{\"accounts\":true,\"streams\":true,"
                    + "\"config\":true}");
            assertThat(all.path("server").path("jetstream").asBoolean()).isTrue();
            assertThat(all.path("server").path("flags").asLong()).isEqualTo(1);
            JsonNode data = all.path("data");
            assertThat(data.path("streams").asInt()).isEqualTo(2);
            JsonNode streams = data.path("account_details").get(0).path("stream_detail");
            assertThat(names(streams, "name")).containsExactly("MEM", "ORDERS");
            assertThat(streams.get(1).path("config").path("name").asText()).isEqualTo("ORDERS");

            JsonNode one = request(sys, "$SYS.REQ.SERVER." + server.server().serverId() + ".JSZ",
                    "{\"account\":\"A\",\"consumer\":true}").path("data");
            assertThat(names(one.path("account_details"), "name")).containsExactly("A");
            assertThat(one.path("account_details").get(0).path("stream_detail").get(0).has("config")).isFalse();

            JsonNode account = request(sys, "$SYS.REQ.ACCOUNT.A.JSZ", "{\"streams\":true}").path("data");
            assertThat(account.path("name").asText()).isEqualTo("A");
            assertThat(account.path("storage").asLong()).isEqualTo(135);
            assertThat(names(account.path("stream_detail"), "name")).containsExactly("MEM", "ORDERS");
            assertThat(request(sys, "$SYS.REQ.ACCOUNT.A.JSZ", "").has("stream_detail")).isFalse();

            JsonNode b = request(sys, "$SYS.REQ.ACCOUNT.B.JSZ", "");
            assertThat(b.path("data").isNull()).isTrue();
            assertThat(b.path("error").path("code").asInt()).isEqualTo(500);
            assertThat(b.path("error").path("description").asText()).isEqualTo("account \"B\" not jetstream enabled");
            assertThat(request(sys, "$SYS.REQ.ACCOUNT.NOPE.JSZ", "").path("error").path("description").asText())
                    .isEqualTo("account \"NOPE\" not found");
            JsonNode bad = request(sys, "$SYS.REQ.SERVER.PING.JSZ", "{\"limit\":\"x\"}");
            assertThat(bad.path("error").path("code").asInt()).isEqualTo(400);
            assertThat(bad.path("error").path("description").asText()).isEqualTo(
                    "json: cannot unmarshal string into Go struct field JszEventOptions.limit of type int");
            // the JetStream domain filter: this server has none
            assertThat(sys.request("$SYS.REQ.SERVER.PING.JSZ", "{\"domain\":\"hub\"}".getBytes(
                    StandardCharsets.UTF_8), Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void shouldSendJetStreamInStatsz() throws Exception {
        try (Connection sys = connect("sys")) {
            JsonNode statsz = request(sys, "$SYS.REQ.SERVER.PING.STATSZ", "");
            assertThat(statsz.path("server").path("jetstream").asBoolean()).isTrue();
            JsonNode js = statsz.path("statsz").path("jetstream");
            assertThat(js.path("config").path("max_storage").asLong()).isEqualTo(10L << 30);
            assertThat(js.path("config").has("store_dir")).isFalse();
            assertThat(js.path("stats").path("storage").asLong()).isEqualTo(135);
            assertThat(js.path("stats").path("accounts").asInt()).isEqualTo(1);
            assertThat(js.path("limits").isObject()).isTrue();

            JsonNode health = request(sys, "$SYS.REQ.SERVER.PING.HEALTHZ", "{\"account\":\"A\",\"stream\":\"NOPE\"}");
            assertThat(health.path("data").path("status").asText()).isEqualTo("unavailable");
            assertThat(health.path("data").path("status_code").asInt()).isEqualTo(404);
            assertThat(request(sys, "$SYS.REQ.ACCOUNT.A.INFO", "").path("data").path("jetstream_enabled")
                    .asBoolean()).isTrue();
        }
    }

    private static JsonNode request(Connection nc, String subject, String body) throws Exception {
        Message m = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(m).as(subject).isNotNull();
        return SystemAccountFixture.json(m.getData());
    }

    // --------------------------------------------------------------------------------------------------- fixtures

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "js-jsz|/jsz",
            "js-jsz-accounts|/jsz?accounts=1",
            "js-jsz-streams-config|/jsz?streams=1&config=1",
            "js-jsz-acc-consumers|/jsz?acc=A&consumers=1",
            "js-varz|/varz",
            "js-accountz-detail|/accountz?acc=A",
            "js-healthz|/healthz?account=A&stream=ORDERS"})
    void shouldHaveNatsServersFieldsAndTypes(String fixture, String path) throws Exception {
        JsonNode actual = get(path);
        List<String> problems = new ArrayList<>();
        MonitoringFixturesIT.compare(fixture, MonitoringFixturesIT.fixture(fixture), actual, problems);
        assertThat(problems).as(fixture + ": " + actual.toPrettyString()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "js-sys-statsz|$SYS.REQ.SERVER.PING.STATSZ|",
            "js-sys-jsz|$SYS.REQ.SERVER.PING.JSZ|{\"accounts\":true,\"streams\":true,\"config\":true}",
            "js-sys-account-jsz|$SYS.REQ.ACCOUNT.A.JSZ|{\"streams\":true}",
            "js-sys-account-jsz-disabled|$SYS.REQ.ACCOUNT.B.JSZ|",
            "js-sys-account-jsz-unknown|$SYS.REQ.ACCOUNT.NOPE.JSZ|",
            "js-sys-account-info|$SYS.REQ.ACCOUNT.A.INFO|"})
    void shouldAnswerSystemRequestsWithNatsServersFieldsAndTypes(String fixture, String subject, String body)
            throws Exception {
        try (Connection sys = connect("sys")) {
            JsonNode actual = request(sys, subject, body == null ? "" : body);
            List<String> problems = new ArrayList<>();
            MonitoringFixturesIT.compare(fixture, MonitoringFixturesIT.fixture(fixture), actual, problems);
            assertThat(problems).as(fixture + ": " + actual.toPrettyString()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------- metrics

    @Test
    void shouldExportJetStreamMetrics() {
        String body = Http.get(url + "/metrics").body();
        assertThat(body)
                .contains("nats_jetstream_enabled 1.0")
                .contains("nats_jetstream_memory_bytes 23.0")
                .contains("nats_jetstream_storage_bytes 135.0")
                .contains("nats_jetstream_reserved_storage_bytes 1048576.0")
                .contains("nats_jetstream_max_memory_bytes 1.073741824E9")
                .contains("nats_jetstream_accounts 1.0")
                .contains("# TYPE nats_jetstream_api_requests_total counter")
                .contains("# TYPE nats_jetstream_api_errors_total counter")
                .contains("nats_jetstream_account_storage_bytes{account=\"A\"} 135.0")
                .contains("nats_jetstream_account_streams{account=\"A\"} 2.0")
                .contains("nats_jetstream_account_consumers{account=\"A\"} 0.0")
                .contains("nats_jetstream_stream_messages{account=\"A\",storage=\"file\",stream=\"ORDERS\"} 3.0")
                .contains("nats_jetstream_stream_bytes{account=\"A\",storage=\"memory\",stream=\"MEM\"} 23.0")
                .contains("nats_jetstream_stream_last_seq{account=\"A\",storage=\"file\",stream=\"ORDERS\"} 3.0");
    }
}
