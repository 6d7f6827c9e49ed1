package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accounts in config mode through the official Java client: isolation, stream imports with a prefix, service
 * requests across accounts (singleton and streamed), private exports, latency results published in the exporting
 * account, account limits and a reload that moves a user.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class AccountsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONF = """
            accounts {
              A {
                users: [{user: a, password: a}, {user: lat, password: lat}]
                exports: [
                  {stream: "feed.>"}
                  {service: "svc.*"}
                  {service: "tracked", latency: {subject: "latency.results", sampling: 100}}
                  {service: "chunks", response: stream}
                  {stream: "private.>", accounts: [C]}
                ]
              }
              B {
                users: [{user: b, password: b}]
                imports: [
                  {stream: {account: A, subject: "feed.>"}, prefix: "from.a"}
                  {service: {account: A, subject: "svc.echo"}, to: "echo"}
                  {service: {account: A, subject: "tracked"}, share: true}
                  {service: {account: A, subject: "chunks"}}
                ]
              }
              C {
                users: [{user: c, password: c}]
                imports: [{stream: {account: A, subject: "private.>"}}]
                limits: {max_connections: 1}
              }
            }
            """;

    private static Connection connect(EmbeddedServer server, String user) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).userInfo(user, user).connectionTimeout(TIMEOUT)
                .maxReconnects(0).build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepAccountsApart() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Subscription inB = b.subscribe("shared");
            Subscription inA = a.subscribe("shared");
            b.flush(TIMEOUT);
            a.publish("shared", bytes("from a"));
            assertThat(new String(inA.nextMessage(TIMEOUT).getData(), StandardCharsets.UTF_8)).isEqualTo("from a");
            assertThat(inB.nextMessage(NOTHING)).isNull();
            assertThat(server.server().lookupAccount("A").clientCount()).isEqualTo(1);
            assertThat(server.server().lookupAccount("B").clientCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeliverAStreamImportUnderItsPrefix() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            int exporterSubscriptions = server.server().lookupAccount("A").sublist().count();
            Subscription prefixed = b.subscribe("from.a.feed.*");
            Subscription raw = b.subscribe("feed.>");
            b.flush(TIMEOUT);
            a.publish("feed.news", bytes("hello"));
            a.publish("other", bytes("not exported"));
            a.flush(TIMEOUT);
            Message m = prefixed.nextMessage(TIMEOUT);
            assertThat(m.getSubject()).isEqualTo("from.a.feed.news");
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(prefixed.nextMessage(NOTHING)).isNull();
            assertThat(raw.nextMessage(NOTHING)).as("only the prefixed subject is imported").isNull();
            assertThat(server.server().lookupAccount("A").sublist().count()).as("one shadow subscription")
                    .isEqualTo(exporterSubscriptions + 1);
            prefixed.unsubscribe();
            b.flush(TIMEOUT);
            assertThat(server.server().lookupAccount("A").sublist().count()).as("shadow subscription removed")
                    .isEqualTo(exporterSubscriptions);
        }
    }

    @Test
    void shouldServeARequestAcrossAccounts() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Dispatcher responder = a.createDispatcher(msg -> a.publish(msg.getReplyTo(),
                    bytes("echo:" + new String(msg.getData(), StandardCharsets.UTF_8) + ":" + msg.getSubject()
                            + ":" + msg.getHeaders().getFirst("Nats-Request-Info"))));
            responder.subscribe("svc.*");
            a.flush(TIMEOUT);
            Message reply = b.request("echo", bytes("ping"), TIMEOUT);
            assertThat(reply).isNotNull();
            String text = new String(reply.getData(), StandardCharsets.UTF_8);
            assertThat(text).startsWith("echo:ping:svc.echo:");
            JsonNode info = JSON.readTree(text.substring("echo:ping:svc.echo:".length()));
            assertThat(info.path("acc").asText()).isEqualTo("B");
            assertThat(info.has("user")).as("requestor details only when shared").isFalse();
            Await.until(TIMEOUT, () -> "response mapping removed",
                    () -> server.server().lookupAccount("A").responseCount() == 0);
        }
    }

    @Test
    void shouldReportNoRespondersAcrossAnImport() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection b = connect(server, "b")) {
            // jnats cancels a request answered by the 503 no-responders status
            assertThatThrownBy(() -> b.requestWithTimeout("echo", bytes("nobody"), TIMEOUT).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(CancellationException.class);
            assertThat(server.server().lookupAccount("A").responseCount()).isZero();
        }
    }

    @Test
    void shouldDeliverEveryChunkOfAStreamedService() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Dispatcher responder = a.createDispatcher(msg -> {
                a.publish(msg.getReplyTo(), bytes("one"));
                a.publish(msg.getReplyTo(), bytes("two"));
                a.publish(msg.getReplyTo(), new byte[0]);
            });
            responder.subscribe("chunks");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.chunks");
            b.publish("chunks", "replies.chunks", bytes("go"));
            assertThat(new String(inbox.nextMessage(TIMEOUT).getData(), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(new String(inbox.nextMessage(TIMEOUT).getData(), StandardCharsets.UTF_8)).isEqualTo("two");
            assertThat(inbox.nextMessage(TIMEOUT).getData()).isEmpty();
            Await.until(TIMEOUT, () -> "streamed mapping removed by the empty response",
                    () -> server.server().lookupAccount("A").responseCount() == 0);
        }
    }

    @Test
    void shouldDeliverOnlyTheFirstResponseOfASingleton() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Dispatcher responder = a.createDispatcher(msg -> {
                a.publish(msg.getReplyTo(), bytes("first"));
                a.publish(msg.getReplyTo(), bytes("second"));
            });
            responder.subscribe("svc.*");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.single");
            b.publish("echo", "replies.single", bytes("go"));
            assertThat(new String(inbox.nextMessage(TIMEOUT).getData(), StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(inbox.nextMessage(NOTHING)).isNull();
        }
    }

    @Test
    void shouldPublishLatencyResultsInTheExportingAccount() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection monitor = connect(server, "lat");
             Connection b = Nats.connect(new Options.Builder().server(server.url()).userInfo("b", "b")
                     .connectionName("requestor").connectionTimeout(TIMEOUT).maxReconnects(0).build())) {
            Subscription results = monitor.subscribe("latency.results");
            monitor.flush(TIMEOUT);
            Dispatcher responder = a.createDispatcher(msg -> a.publish(msg.getReplyTo(), bytes("done")));
            responder.subscribe("tracked");
            a.flush(TIMEOUT);
            assertThat(b.request("tracked", bytes("x"), TIMEOUT)).isNotNull();
            JsonNode ok = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(ok.path("type").asText()).isEqualTo("io.nats.server.metric.v1.service_latency");
            assertThat(ok.path("status").asInt()).isEqualTo(200);
            assertThat(ok.path("id").asText()).hasSize(22);
            assertThat(ok.path("requestor").path("acc").asText()).isEqualTo("B");
            assertThat(ok.path("requestor").path("name").asText()).as("shared").isEqualTo("requestor");
            assertThat(ok.path("responder").path("acc").asText()).isEqualTo("A");
            assertThat(ok.path("responder").path("kind").asText()).isEqualTo("Client");
            assertThat(ok.path("total").asLong()).isPositive();
            assertThat(ok.has("service") && ok.has("system") && ok.has("start") && ok.has("timestamp")).isTrue();

            b.publish("tracked", bytes("no reply"));
            JsonNode bad = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(bad.path("status").asInt()).isEqualTo(400);
            assertThat(bad.path("description").asText()).isEqualTo("Bad Request");

            responder.unsubscribe("tracked");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.latency");
            b.publish("tracked", "replies.latency", bytes("nobody home"));
            JsonNode unavailable = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(unavailable.path("status").asInt()).isEqualTo(503);
            assertThat(unavailable.path("description").asText()).isEqualTo("Service Unavailable");
            Message status = inbox.nextMessage(TIMEOUT);
            assertThat(status.isStatusMessage()).isTrue();
            assertThat(status.getStatus().getCode()).as("no responders").isEqualTo(503);
        }
    }

    @Test
    void shouldSampleRequestsCarryingTracingHeaders() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                accounts {
                  A {
                    users: [{user: a, password: a}]
                    exports: [{service: "traced", latency: {subject: "lat", sampling: headers}}]
                  }
                  B { users: [{user: b, password: b}], imports: [{service: {account: A, subject: "traced"}}] }
                }
                """);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Subscription results = a.subscribe("lat");
            Dispatcher responder = a.createDispatcher(msg -> a.publish(msg.getReplyTo(), bytes("ok")));
            responder.subscribe("traced");
            a.flush(TIMEOUT);
            assertThat(b.request("traced", bytes("untraced"), TIMEOUT)).isNotNull();
            assertThat(results.nextMessage(NOTHING)).as("no tracing header: not sampled").isNull();
            Headers headers = new Headers().add("X-B3-Sampled", "1").add("X-B3-TraceId", "80f198ee56343ba8");
            Message reply = b.request(NatsMessage.builder().subject("traced").headers(headers)
                    .data(bytes("traced")).build(), TIMEOUT);
            assertThat(reply).isNotNull();
            JsonNode result = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(result.path("status").asInt()).isEqualTo(200);
            assertThat(result.path("header").path("X-B3-Sampled").get(0).asText()).isEqualTo("1");
            assertThat(result.path("header").path("X-B3-Traceid").get(0).asText()).isEqualTo("80f198ee56343ba8");
        }
    }

    @Test
    void shouldRefuseAnImportOfAPrivateExport() {
        assertThatThrownBy(() -> EmbeddedServer.startWithConfig("""
                accounts {
                  A { exports: [{stream: "private.>", accounts: [C]}] }
                  B { imports: [{stream: {account: A, subject: "private.>"}}] }
                  C { }
                }
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": Error adding stream import \"private.>\": stream import not authorized");
    }

    @Test
    void shouldDeliverAPrivateExportToTheApprovedAccountOnly() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b");
             Connection c = connect(server, "c")) {
            Subscription inC = c.subscribe("private.>");
            Subscription inB = b.subscribe("private.>");
            c.flush(TIMEOUT);
            b.flush(TIMEOUT);
            a.publish("private.data", bytes("secret"));
            assertThat(inC.nextMessage(TIMEOUT).getSubject()).isEqualTo("private.data");
            assertThat(inB.nextMessage(NOTHING)).isNull();
        }
    }

    @Test
    void shouldEnforceTheAccountConnectionLimit() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection c = connect(server, "c");
             RawClient second = RawClient.connectAndReadInfo(server.port())) {
            assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            second.send("CONNECT {\"verbose\":false,\"user\":\"c\",\"pass\":\"c\"}\r\nPING\r\n");
            assertThat(second.readUntilClosed()).isEqualTo("-ERR 'maximum account active connections exceeded'\r\n");
            assertThat(server.awaitClosedReason(second.clientId()))
                    .isEqualTo(ClosedState.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
        }
    }

    @Test
    void shouldLetClientsWithoutCredentialsInWhenOnlyTheSystemAccountHasUsers() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                accounts { SYS { users: [{user: admin, password: s}] } }
                system_account: SYS
                """);
             RawClient anonymous = RawClient.connectAndReadInfo(server.port())) {
            assertThat(anonymous.info().path("auth_required").asBoolean()).isTrue();
            anonymous.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
            assertThat(server.server().systemAccount().name()).isEqualTo("SYS");
            assertThat(server.server().globalAccount().clientCount()).isEqualTo(1);
            try (Connection admin = Nats.connect(new Options.Builder().server(server.url()).userInfo("admin", "s")
                    .connectionTimeout(TIMEOUT).build())) {
                assertThat(server.server().lookupAccount("SYS").clientCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldCloseClientsWhoseAccountChangesOnReload() throws Exception {
        Path conf = Files.createTempFile("jnatsd-accounts-", ".conf");
        try {
            Files.writeString(conf, """
                    accounts {
                      A { users: [{user: a, password: a}, {user: moves, password: m}], exports: [{stream: "y"}] }
                      B { users: [{user: b, password: b}], imports: [{stream: {account: A, subject: "y"}}] }
                    }
                    """);
            NatsServer natsServer = new NatsServer(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                    .build());
            natsServer.start();
            try (RawClient stays = RawClient.connectAndReadInfo(natsServer.clientPort());
                 RawClient moves = RawClient.connectAndReadInfo(natsServer.clientPort());
                 RawClient b = RawClient.connectAndReadInfo(natsServer.clientPort())) {
                stays.send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPING\r\n").expectLine("PONG");
                moves.send("CONNECT {\"verbose\":false,\"user\":\"moves\",\"pass\":\"m\"}\r\nPING\r\n")
                        .expectLine("PONG");
                b.send("CONNECT {\"verbose\":false,\"user\":\"b\",\"pass\":\"b\"}\r\nSUB x 1\r\nPING\r\n")
                        .expectLine("PONG");
                stays.send("PUB x 2\r\nno\r\nPING\r\n").expectLine("PONG");
                Files.writeString(conf, """
                        accounts {
                          A { users: [{user: a, password: a}], exports: [{stream: "x"}] }
                          B {
                            users: [{user: b, password: b}, {user: moves, password: m}]
                            imports: [{stream: {account: A, subject: "x"}}]
                          }
                        }
                        """);
                assertThat(natsServer.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                        .build(), "")).isEmpty();
                assertThat(moves.readUntilClosed()).as("closed without an error, as nats-server").isEmpty();
                stays.send("PUB x 3\r\nyes\r\nPING\r\n").expectLine("PONG");
                assertThat(b.readLinesThrough("yes")).containsExactly("MSG x 1 3", "yes");
            } finally {
                natsServer.shutdown();
            }
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    void shouldDropAResponseMappingAfterItsThreshold() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                accounts {
                  A { users: [{user: a, password: a}], exports: [{service: "slow", threshold: "300ms"}] }
                  B { users: [{user: b, password: b}], imports: [{service: {account: A, subject: "slow"}}] }
                }
                """);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Subscription requests = a.subscribe("slow");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.slow");
            b.publish("slow", "replies.slow", bytes("take your time"));
            Message request = requests.nextMessage(TIMEOUT);
            assertThat(server.server().lookupAccount("A").responseCount()).isEqualTo(1);
            Await.until(TIMEOUT, () -> "mapping swept after the threshold",
                    () -> server.server().lookupAccount("A").responseCount() == 0);
            a.publish(request.getReplyTo(), bytes("too late"));
            a.flush(TIMEOUT);
            assertThat(inbox.nextMessage(NOTHING)).isNull();
        }
    }

    @Test
    void shouldDropAResponseMappingWhenTheRequestorLosesInterest() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(CONF);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Subscription requests = a.subscribe("svc.*");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.gone");
            b.publish("echo", "replies.gone", bytes("x"));
            assertThat(requests.nextMessage(TIMEOUT)).isNotNull();
            assertThat(server.server().lookupAccount("A").responseCount()).isEqualTo(1);
            inbox.unsubscribe();
            b.flush(TIMEOUT);
            Await.until(TIMEOUT, () -> "mapping removed with the requestor's interest",
                    () -> server.server().lookupAccount("A").responseCount() == 0);
        }
    }

    @Test
    void shouldLetAResponderWithAllowResponsesAnswer() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                accounts {
                  A {
                    users: [{user: a, password: a, permissions: {publish: "nothing", allow_responses: true}}]
                    exports: [{service: "svc"}]
                  }
                  B {
                    users: [{user: b, password: b, permissions: {publish: "svc", subscribe: "_INBOX.>"}}]
                    imports: [{service: {account: A, subject: "svc"}}]
                  }
                }
                """);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Dispatcher responder = a.createDispatcher(msg -> a.publish(msg.getReplyTo(), bytes("allowed")));
            responder.subscribe("svc");
            a.flush(TIMEOUT);
            Message reply = b.request("svc", bytes("q"), TIMEOUT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("allowed");
        }
    }

    @Test
    void shouldAddAStreamImportToExistingSubscriptionsOnReload() throws Exception {
        Path conf = Files.createTempFile("jnatsd-accounts-", ".conf");
        try {
            Files.writeString(conf, """
                    accounts {
                      A { users: [{user: a, password: a}], exports: [{stream: "news.>"}] }
                      B { users: [{user: b, password: b}] }
                    }
                    """);
            NatsServer natsServer = new NatsServer(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                    .build());
            natsServer.start();
            try (RawClient a = RawClient.connectAndReadInfo(natsServer.clientPort());
                 RawClient b = RawClient.connectAndReadInfo(natsServer.clientPort())) {
                a.send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPING\r\n").expectLine("PONG");
                b.send("CONNECT {\"verbose\":false,\"user\":\"b\",\"pass\":\"b\"}\r\nSUB imported.> 1\r\nPING\r\n")
                        .expectLine("PONG");
                Files.writeString(conf, """
                        accounts {
                          A { users: [{user: a, password: a}], exports: [{stream: "news.>"}] }
                          B {
                            users: [{user: b, password: b}]
                            imports: [{stream: {account: A, subject: "news.>"}, prefix: imported}]
                          }
                        }
                        """);
                assertThat(natsServer.reload(ConfigLoader.options(conf).toBuilder().host("127.0.0.1").port(-1)
                        .build(), "")).isEmpty();
                Await.until(TIMEOUT, () -> "shadow subscription added", () -> natsServer.lookupAccount("A")
                        .sublist().match("news.today").plainCount() == 1);
                a.send("PUB news.today 5\r\nsunny\r\nPING\r\n").expectLine("PONG");
                assertThat(b.readLinesThrough("sunny")).containsExactly("MSG imported.news.today 1 5", "sunny");
            } finally {
                natsServer.shutdown();
            }
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    void shouldReportTimeoutsAndLostInterestAsLatencyResults() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("""
                accounts {
                  A {
                    users: [{user: a, password: a}]
                    exports: [{service: "quiet", threshold: "300ms", latency: "lat"}]
                  }
                  B { users: [{user: b, password: b}], imports: [{service: {account: A, subject: "quiet"}}] }
                }
                """);
             Connection a = connect(server, "a");
             Connection b = connect(server, "b")) {
            Subscription results = a.subscribe("lat");
            Subscription requests = a.subscribe("quiet");
            a.flush(TIMEOUT);
            Subscription inbox = b.subscribe("replies.quiet");
            b.publish("quiet", "replies.quiet", bytes("nobody answers"));
            assertThat(requests.nextMessage(TIMEOUT)).isNotNull();
            JsonNode timeout = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(timeout.path("status").asInt()).isEqualTo(504);
            assertThat(timeout.path("description").asText()).isEqualTo("Service Timeout");

            b.publish("quiet", "replies.quiet", bytes("then leaves"));
            assertThat(requests.nextMessage(TIMEOUT)).isNotNull();
            inbox.unsubscribe();
            b.flush(TIMEOUT);
            JsonNode lost = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(lost.path("status").asInt()).isEqualTo(408);
            assertThat(lost.path("description").asText()).isEqualTo("Request Timeout");
        }
    }
}
