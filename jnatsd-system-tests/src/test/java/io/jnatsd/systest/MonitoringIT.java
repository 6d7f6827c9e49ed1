package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.tls.TestPki;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP monitoring endpoints through a real HTTP client: every endpoint answers, {@code /connz} sorts, pages and
 * filters as nats-server (monitor.go Connz), closed connections are kept, bad parameters get nats-server's 400
 * texts, {@code /healthz} its status codes, unknown paths 404, JSONP and CORS headers, the base path, HTTPS and
 * start-up errors.
 */
class MonitoringIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedServer monitored() {
        return EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT));
    }

    private static io.nats.client.Connection connect(EmbeddedServer server, String name) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).connectionName(name)
                .connectionTimeout(TIMEOUT).build());
    }

    @Test
    void shouldAnswerEveryEndpointWithJson() {
        try (EmbeddedServer server = monitored()) {
            for (String path : List.of("/varz", "/connz", "/routez", "/gatewayz", "/leafz", "/subsz",
                    "/subscriptionsz", "/accountz", "/accstatz", "/jsz", "/healthz", "/ipqueuesz")) {
                Http.Reply reply = Http.get(server.monitorUrl() + path);
                assertThat(reply.status()).as(path).isEqualTo(200);
                assertThat(reply.header("Content-Type")).as(path).isEqualTo("application/json");
                assertThat(reply.header("Access-Control-Allow-Origin")).as(path).isEqualTo("*");
                assertThat(reply.header("Date")).as(path).isNotNull();
                assertThat(reply.json().isObject()).as(path).isTrue();
            }
            assertThat(Http.get(server.monitorUrl() + "/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(Http.get(server.monitorUrl() + "/ipqueuesz").body()).isEqualTo("{}");
            Http.Reply root = Http.get(server.monitorUrl() + "/");
            assertThat(root.status()).isEqualTo(200);
            assertThat(root.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(root.body()).contains("<a href=./varz>General").contains("./debug/vars");
            Http.Reply stacks = Http.get(server.monitorUrl() + "/stacksz");
            assertThat(stacks.header("Content-Type")).isEqualTo("application/json");
            assertThat(stacks.body()).contains("\"main\"").contains("\tat ");
            Http.Reply raftz = Http.get(server.monitorUrl() + "/raftz");
            assertThat(raftz.status()).isEqualTo(404);
            assertThat(raftz.body()).isEqualTo("No Raft nodes registered");
            Http.Reply vars = Http.get(server.monitorUrl() + "/debug/vars");
            assertThat(vars.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(vars.json().get("cmdline").isArray()).isTrue();
            assertThat(vars.json().get("memstats").get("HeapAlloc").isNumber()).isTrue();
            assertThat(Http.request("POST", server.monitorUrl() + "/varz").status()).as("any method").isEqualTo(200);
        }
    }

    @Test
    void shouldReportServerFiguresInVarz() throws Exception {
        try (EmbeddedServer server = monitored();
             io.nats.client.Connection nc = connect(server, "varz")) {
            nc.subscribe("v.>");
            nc.publish("v.x", "hello".getBytes(StandardCharsets.UTF_8));
            nc.flush(TIMEOUT);
            Await.until(TIMEOUT, "one message delivered", () -> Http.get(server.monitorUrl() + "/varz").json()
                    .get("out_msgs").asLong() >= 1);
            JsonNode varz = Http.get(server.monitorUrl() + "/varz").json();
            NatsServer s = server.server();
            assertThat(varz.get("server_id").asText()).isEqualTo(s.serverId());
            assertThat(varz.get("port").asInt()).isEqualTo(server.port());
            assertThat(varz.get("http_port").asInt()).isEqualTo(-1);
            assertThat(varz.get("http_base_path").asText()).isEmpty();
            assertThat(varz.get("connections").asInt()).isEqualTo(1);
            assertThat(varz.get("total_connections").asInt()).isEqualTo(1);
            assertThat(varz.get("in_msgs").asLong()).isEqualTo(1);
            assertThat(varz.get("in_bytes").asLong()).isEqualTo(5);
            assertThat(varz.get("in_client_msgs").asLong()).isEqualTo(1);
            assertThat(varz.get("out_client_msgs").asLong()).isEqualTo(1);
            assertThat(varz.get("ping_interval").asLong()).isEqualTo(120_000_000_000L);
            assertThat(varz.get("max_payload").asInt()).isEqualTo(1_048_576);
            assertThat(varz.get("auth_timeout").asDouble()).isEqualTo(2);
            assertThat(varz.get("system_account").asText()).isEqualTo("$SYS");
            assertThat(varz.get("subscriptions").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(varz.get("http_req_stats").get("/varz").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(varz.get("cluster").isEmpty()).isTrue();
            assertThat(varz.get("jetstream").isEmpty()).isTrue();
            assertThat(varz.get("slow_consumer_stats").get("clients").asLong()).isZero();
            assertThat(varz.get("uptime").asText()).matches("\\d+s|\\d+m\\d+s");
        }
    }

    @Test
    void shouldSortPageAndFilterConnections() throws Exception {
        try (EmbeddedServer server = monitored();
             io.nats.client.Connection a = connect(server, "a");
             io.nats.client.Connection b = connect(server, "b");
             io.nats.client.Connection c = connect(server, "c")) {
            b.subscribe("b.1");
            b.subscribe("b.2");
            c.subscribe("c.1");
            b.flush(TIMEOUT);                   // the subscriptions are in place before a and c publish
            c.flush(TIMEOUT);
            for (int i = 0; i < 3; i++) {
                a.publish("b.1", new byte[10]);
            }
            c.publish("b.2", new byte[100]);
            a.flush(TIMEOUT);
            c.flush(TIMEOUT);
            b.flush(TIMEOUT);
            String url = server.monitorUrl() + "/connz";
            Await.until(TIMEOUT, "deliveries counted", () -> Http.get(url + "?sort=msgs_to").json()
                    .get("connections").get(0).get("out_msgs").asLong() == 4);
            assertThat(names(Http.get(url).json())).containsExactly("a", "b", "c");
            assertThat(names(Http.get(url + "?sort=subs").json())).containsExactly("b", "c", "a");
            assertThat(names(Http.get(url + "?sort=msgs_from").json())).containsExactly("a", "c", "b");
            assertThat(names(Http.get(url + "?sort=bytes_from").json())).containsExactly("c", "a", "b");
            assertThat(names(Http.get(url + "?sort=msgs_to").json()).getFirst()).isEqualTo("b");
            assertThat(names(Http.get(url + "?sort=uptime").json())).hasSize(3);
            for (String sort : List.of("start", "pending", "bytes_to", "last", "idle", "rtt")) {
                assertThat(Http.get(url + "?sort=" + sort).status()).as(sort).isEqualTo(200);
            }
            JsonNode page = Http.get(url + "?offset=1&limit=1").json();
            assertThat(page.get("total").asInt()).isEqualTo(3);
            assertThat(page.get("num_connections").asInt()).isEqualTo(1);
            assertThat(page.get("offset").asInt()).isEqualTo(1);
            assertThat(page.get("limit").asInt()).isEqualTo(1);
            assertThat(names(page)).containsExactly("b");
            assertThat(Http.get(url + "?offset=5").json().get("connections")).isEmpty();
            long cidOfC = Http.get(url).json().get("connections").get(2).get("cid").asLong();
            JsonNode one = Http.get(url + "?cid=" + cidOfC).json();
            assertThat(names(one)).containsExactly("c");
            assertThat(one.get("limit").asInt()).isEqualTo(1);
            JsonNode detail = Http.get(url + "?subs=detail&sort=subs").json().get("connections").get(0);
            assertThat(detail.get("subscriptions_list_detail")).hasSize(2);
            assertThat(detail.get("subscriptions_list_detail").get(0).has("account")).isFalse();
            assertThat(Http.get(url + "?subs=1&sort=subs").json().get("connections").get(0)
                    .get("subscriptions_list").toString()).contains("b.1", "b.2");
            assertThat(Http.get(url + "?acc=$G").json().get("total").asInt()).isEqualTo(3);
            JsonNode unknown = Http.get(url + "?acc=nope").json();
            assertThat(unknown.get("connections").isNull()).isTrue();
            assertThat(Http.get(url + "?mqtt_client=x").json().get("connections")).isEmpty();
        }
    }

    private static List<String> names(JsonNode connz) {
        List<String> names = new ArrayList<>();
        connz.get("connections").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    @Test
    void shouldKeepClosedConnectionsWithTheirSubscriptions() throws Exception {
        try (EmbeddedServer server = monitored()) {
            long cid;
            try (io.nats.client.Connection gone = connect(server, "gone")) {
                gone.subscribe("gone.1");
                gone.flush(TIMEOUT);
                cid = server.clientNamed("gone").orElseThrow().cid();
            }
            server.awaitClosedReason(cid);
            String url = server.monitorUrl() + "/connz";
            assertThat(Http.get(url).json().get("connections")).isEmpty();
            JsonNode closed = Http.get(url + "?state=closed&subs=detail").json();
            assertThat(closed.get("total").asInt()).isEqualTo(1);
            JsonNode info = closed.get("connections").get(0);
            assertThat(info.get("cid").asLong()).isEqualTo(cid);
            assertThat(info.get("name").asText()).isEqualTo("gone");
            assertThat(info.get("reason").asText()).isEqualTo("Client Closed");
            assertThat(info.has("stop")).isTrue();
            assertThat(info.get("subscriptions").asInt()).isEqualTo(1);
            assertThat(info.get("subscriptions_list_detail").get(0).get("account").asText()).isEqualTo("$G");
            assertThat(Http.get(url + "?state=closed&sort=reason").status()).isEqualTo(200);
            assertThat(Http.get(url + "?state=closed&sort=stop").status()).isEqualTo(200);
            assertThat(Http.get(url + "?state=any&cid=" + cid).json().get("connections").get(0).get("cid").asLong())
                    .isEqualTo(cid);
            assertThat(Http.get(url + "?state=all").json().get("total").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldFilterConnectionsByUserAndShowAuthFields() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfigAndHttp("""
                authorization { users: [ {user: alice, password: a}, {user: bob, password: b} ] }
                """);
             io.nats.client.Connection alice = Nats.connect(new Options.Builder().server(server.url())
                     .userInfo("alice", "a").connectionTimeout(TIMEOUT).build());
             io.nats.client.Connection bob = Nats.connect(new Options.Builder().server(server.url())
                     .userInfo("bob", "b").connectionTimeout(TIMEOUT).build())) {
            String url = server.monitorUrl() + "/connz";
            JsonNode onlyBob = Http.get(url + "?auth=true&user=bob").json();
            assertThat(onlyBob.get("connections")).hasSize(1);
            assertThat(onlyBob.get("connections").get(0).get("authorized_user").asText()).isEqualTo("bob");
            assertThat(onlyBob.get("connections").get(0).has("account")).as("$G is not shown").isFalse();
            assertThat(Http.get(url).json().get("connections").get(0).has("authorized_user")).isFalse();
            assertThat(alice.getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
            assertThat(bob.getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/connz?auth=maybe|Error decoding boolean for 'auth': strconv.ParseBool: parsing \"maybe\": invalid syntax",
            "/connz?limit=x|Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax",
            "/connz?cid=-1|Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax",
            "/connz?state=weird|Error decoding state for weird",
            "/connz?sort=bogus|invalid sorting option: bogus",
            "/connz?sort=stop|sort by stop only valid on closed connections",
            "/connz?state=all&sort=reason|sort by reason only valid on closed connections",
            "/subsz?test=foo.*|invalid test subject, must be valid publish subject: foo.*",
            "/subsz?offset=z|Error decoding int for 'offset': strconv.Atoi: parsing \"z\": invalid syntax",
            "/accountz?acc=nope|Account nope does not exist",
            "/leafz?subs=x|Error decoding boolean for 'subs': strconv.ParseBool: parsing \"x\": invalid syntax",
            "/jsz?leader-only=true|filtered response: not leader",
            "/accstatz?unused=2|Error decoding boolean for 'unused': strconv.ParseBool: parsing \"2\": invalid syntax",
            "/healthz?details=yes|Error decoding boolean for 'details': strconv.ParseBool: parsing \"yes\": "
                    + "invalid syntax"})
    void shouldRefuseBadParametersWithNatsServerTexts(String path, String text) {
        try (EmbeddedServer server = monitored()) {
            Http.Reply reply = Http.get(server.monitorUrl() + path);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(reply.body()).isEqualTo(text);
            assertThat(Http.get(server.monitorUrl() + "/varz").status()).as("the server goes on").isEqualTo(200);
        }
    }

    @Test
    void shouldAnswerHealthzOptionsAsNatsServer() {
        try (EmbeddedServer server = monitored()) {
            String url = server.monitorUrl() + "/healthz";
            Http.Reply noAccount = Http.get(url + "?stream=s");
            assertThat(noAccount.status()).isEqualTo(400);
            assertThat(noAccount.body())
                    .isEqualTo("{\"status\":\"error\",\"error\":\"\\\"account\\\" must not be empty when checking "
                            + "stream health\"}");
            Http.Reply noStream = Http.get(url + "?account=a&consumer=c");
            assertThat(noStream.status()).isEqualTo(400);
            assertThat(noStream.json().get("error").asText())
                    .isEqualTo("\"stream\" must not be empty when checking consumer health");
            Http.Reply details = Http.get(url + "?details=true&stream=s");
            assertThat(details.status()).isEqualTo(400);
            assertThat(details.json().get("status").asText()).isEqualTo("error");
            assertThat(details.json().get("errors").get(0).get("type").asText()).isEqualTo("BAD_REQUEST");
            for (String ok : List.of("?js-enabled-only=true", "?js-server-only=1", "?js-enabled=true",
                    "?js-meta-only=true", "?account=a")) {
                Http.Reply reply = Http.get(url + ok);
                assertThat(reply.status()).as(ok).isEqualTo(200);
                assertThat(reply.body()).as(ok).isEqualTo("{\"status\":\"ok\"}");
            }
        }
    }

    @Test
    void shouldAnswer404AndRedirectLikeGo() {
        try (EmbeddedServer server = monitored()) {
            for (String path : List.of("/varz/", "/nope", "/connz/x")) {
                Http.Reply reply = Http.get(server.monitorUrl() + path);
                assertThat(reply.status()).as(path).isEqualTo(404);
                assertThat(reply.body()).isEqualTo("404 page not found\n");
                assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            }
            Http.Reply redirect = Http.get(server.monitorUrl() + "/a/../varz?x=1");
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("Location")).isEqualTo("/varz?x=1");
        }
    }

    @Test
    void shouldWrapJsonInTheCallbackForJsonp() {
        try (EmbeddedServer server = monitored()) {
            Http.Reply reply = Http.get(server.monitorUrl() + "/connz?callback=cb");
            assertThat(reply.header("Content-Type")).isEqualTo("application/javascript");
            assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
            assertThat(reply.body()).startsWith("cb({").endsWith("})");
        }
    }

    @Test
    void shouldServeUnderTheBasePath() {
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT)
                .httpBasePath("nats/"))) {
            assertThat(Http.get(server.monitorUrl() + "/nats/varz").json().get("http_base_path").asText())
                    .isEqualTo("nats/");
            assertThat(Http.get(server.monitorUrl() + "/nats").body()).contains("./nats/connz");
            assertThat(Http.get(server.monitorUrl() + "/varz").status()).isEqualTo(404);
            assertThat(Http.get(server.monitorUrl() + "/").status()).isEqualTo(404);
        }
    }

    @Test
    void shouldPageAndTestSubscriptions() throws Exception {
        try (EmbeddedServer server = monitored();
             io.nats.client.Connection nc = connect(server, "subs")) {
            nc.subscribe("s.a");
            nc.subscribe("s.*");
            nc.subscribe("t.b");
            nc.flush(TIMEOUT);
            String url = server.monitorUrl() + "/subsz";
            JsonNode matching = Http.get(url + "?subs=1&test=s.a&acc=$G").json();
            assertThat(matching.get("total").asInt()).isEqualTo(2);
            assertThat(matching.get("subscriptions_list").get(0).get("account").asText()).isEqualTo("$G");
            // $G also holds its four system imports (PING.CONNZ twice, PING.STATZ, USER.INFO), as in nats-server
            JsonNode all = Http.get(url + "?subs=1&acc=$G").json();
            assertThat(all.get("total").asInt()).isEqualTo(7);
            long clientSubs = 0;
            for (JsonNode sub : all.get("subscriptions_list")) {
                clientSubs += sub.get("subject").asText().startsWith("$SYS.REQ.") ? 0 : 1;
            }
            assertThat(clientSubs).isEqualTo(3);
            JsonNode page = Http.get(url + "?subs=1&acc=$G&limit=1&offset=1").json();
            assertThat(page.get("total").asInt()).isEqualTo(7);
            assertThat(page.get("offset").asInt()).isEqualTo(1);
            assertThat(page.get("subscriptions_list")).hasSize(1);
            assertThat(page.get("subscriptions_list").get(0)).isEqualTo(all.get("subscriptions_list").get(1));
            assertThat(Http.get(url + "?acc=$G").json().get("num_subscriptions").asInt()).isEqualTo(7);
            assertThat(Http.get(url).json().has("subscriptions_list")).isFalse();
        }
    }

    @Test
    void shouldListAccountsAndTheirFigures() throws Exception {
        try (EmbeddedServer server = monitored();
             io.nats.client.Connection nc = connect(server, "acc")) {
            nc.publish("x", new byte[3]);
            nc.flush(TIMEOUT);
            JsonNode accounts = Http.get(server.monitorUrl() + "/accountz").json();
            assertThat(accounts.get("accounts").toString()).contains("$G", "$SYS");
            JsonNode g = Http.get(server.monitorUrl() + "/accountz?acc=$G").json().get("account_detail");
            assertThat(g.get("client_connections").asInt()).isEqualTo(1);
            assertThat(g.get("imports").toString()).contains("$SYS.REQ.SERVER.PING.CONNZ");
            JsonNode sys = Http.get(server.monitorUrl() + "/accountz?acc=$SYS").json().get("account_detail");
            assertThat(sys.get("is_system").asBoolean()).isTrue();
            Await.until(TIMEOUT, "the publish counted", () -> Http.get(server.monitorUrl() + "/accstatz").json()
                    .get("account_statz").get(0).get("received").get("msgs").asLong() == 1);
            JsonNode statz = Http.get(server.monitorUrl() + "/accstatz").json().get("account_statz");
            assertThat(statz).hasSize(1);
            assertThat(statz.get(0).get("acc").asText()).isEqualTo("$G");
            assertThat(statz.get(0).get("received").get("bytes").asLong()).isEqualTo(3);
            assertThat(Http.get(server.monitorUrl() + "/accstatz?unused=true").json().get("account_statz"))
                    .hasSize(2);
        }
    }

    @Test
    void shouldServeHttpsWithTheClientCertificate(@TempDir Path dir) {
        TestPki pki = TestPki.create(dir, "monitor");
        TestPki.Issued cert = pki.server("server");
        TlsOptions tls = TlsOptions.builder().certificate(cert.certFile(), cert.keyFile()).caFile(pki.caFile())
                .verify(true).build();
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.tls(tls).httpsPort(ServerOptions.RANDOM_PORT))) {
            String url = "https://localhost:" + server.server().monitorAddress().getPort() + "/varz";
            Http.Reply reply = Http.get(url, pki.clientContext(null));
            assertThat(reply.status()).as("no client certificate is asked for").isEqualTo(200);
            assertThat(reply.json().get("tls_verify").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldRefuseToStartWithBadMonitoringOptions() throws IOException {
        ServerOptions both = ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).httpPort(18999)
                .httpsPort(18998).build();
        NatsServer first = new NatsServer(both);
        assertThatThrownBy(first::start).isInstanceOf(IOException.class)
                .hasMessage("Can't start monitoring: can't specify both HTTP (18999) and HTTPs (18998) ports");
        first.shutdown();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ServerOptions busy = ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                    .httpPort(taken.getLocalPort()).build();
            NatsServer second = new NatsServer(busy);
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessage("Can't start monitoring: can't listen to the monitor port: listen tcp 127.0.0.1:"
                            + taken.getLocalPort() + ": bind: address already in use");
            second.shutdown();
        }
        ServerOptions httpsWithoutTls = ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .httpsPort(ServerOptions.RANDOM_PORT).build();
        NatsServer third = new NatsServer(httpsWithoutTls);
        assertThatThrownBy(third::start).hasMessage("Can't start monitoring: TLS cert and key required for HTTPS");
        third.shutdown();
    }
}
