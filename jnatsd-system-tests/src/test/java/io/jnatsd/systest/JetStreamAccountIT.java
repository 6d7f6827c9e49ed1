package io.jnatsd.systest;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AccountStatistics;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Enabling JetStream and {@code $JS.API.INFO} through jnats: the global account alone, configured accounts with and
 * without limits (10039 for the others), the system account, the API level header (10185) and the INFO flags.
 */
@SuppressWarnings("try")
class JetStreamAccountIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path storeDir;

    private EmbeddedServer start() {
        return EmbeddedServer.startJetStream(storeDir);
    }

    @Test
    void globalAccountGetsUnlimitedJetStream() throws Exception {
        try (EmbeddedServer server = start();
             io.nats.client.Connection nc = Nats.connect(server.url())) {
            assertThat(nc.getServerInfo().isJetStreamAvailable()).isTrue();
            JetStreamManagement jsm = nc.jetStreamManagement();
            AccountStatistics stats = jsm.getAccountStatistics();
            assertThat(stats.getStreams()).isZero();
            assertThat(stats.getLimits().getMaxMemory()).isEqualTo(-1);
            assertThat(stats.getLimits().getMaxStreams()).isEqualTo(-1);
            assertThat(stats.getApi().getTotal()).isZero();       // counted after the answer, as in nats-server
            String raw = new String(nc.request("$JS.API.INFO", new byte[0], TIMEOUT).getData(),
                    StandardCharsets.UTF_8);
            assertThat(raw).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.account_info_response\","
                    + "\"memory\":0,\"storage\":0,\"reserved_memory\":0,\"reserved_storage\":0,\"streams\":0,"
                    + "\"consumers\":0,\"limits\":{\"max_memory\":-1,\"max_storage\":-1,\"max_streams\":-1,"
                    + "\"max_consumers\":-1,\"max_ack_pending\":-1,\"memory_max_stream_bytes\":-1,"
                    + "\"storage_max_stream_bytes\":-1,\"max_bytes_required\":false},\"api\":{\"level\":5,"
                    + "\"total\":1,\"errors\":0}}");
        }
    }

    @Test
    void shouldDeliverThroughAStreamImportUnderTheStoredSubject() throws Exception {
        // a push consumer in A delivers to a subject I imports (as nats.java's KV through accounts does with a deliver
        // prefix): the import routes on the deliver subject, the MSG line keeps the message's subject
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("jetstream { store_dir: \"" + storeDir + "\" }\n"
                + "accounts { A { jetstream: true, users: [{user: a, password: a}], exports: [{stream: \"ForI.>\"}] }\n"
                + "I { users: [{user: i, password: i}], imports: [{stream: {account: A, subject: \"ForI.>\"}}] } }");
             io.nats.client.Connection a = Nats.connect(new Options.Builder().server(server.url())
                     .userInfo("a", "a").build());
             RawClient i = RawClient.connectAndReadInfo(server.port())) {
            i.send("CONNECT {\"verbose\":false,\"user\":\"i\",\"pass\":\"i\"}\r\nSUB ForI.deliver 1\r\nPING\r\n")
                    .expectLine("PONG");
            JetStreamManagement jsm = a.jetStreamManagement();
            jsm.addStream(io.nats.client.api.StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(io.nats.client.api.StorageType.Memory).build());
            a.jetStream().publish("orders.1", "one".getBytes(StandardCharsets.UTF_8));
            jsm.addOrUpdateConsumer("ORDERS", io.nats.client.api.ConsumerConfiguration.builder().durable("push")
                    .deliverSubject("ForI.deliver").ackPolicy(io.nats.client.api.AckPolicy.None).build());
            String line = i.readLine();
            assertThat(line).startsWith("MSG orders.1 1 $JS.ACK.ORDERS.push.1.1.1.").endsWith(" 3");
            assertThat(i.readLine()).isEqualTo("one");
        }
    }

    @Test
    void accountsWithoutJetStreamGetNotEnabled() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.startWithConfig("jetstream { store_dir: \"" + storeDir + "\" }\n"
                + "accounts { A { jetstream: {max_mem: 1024, max_streams: 2}, users: [{user: a, password: a}] }\n"
                + "B { users: [{user: b, password: b}] } }");
             io.nats.client.Connection a = Nats.connect(new Options.Builder().server(server.url())
                     .userInfo("a", "a").build());
             io.nats.client.Connection b = Nats.connect(new Options.Builder().server(server.url())
                     .userInfo("b", "b").build())) {
            AccountStatistics stats = a.jetStreamManagement().getAccountStatistics();
            assertThat(stats.getLimits().getMaxMemory()).isEqualTo(1024);
            assertThat(stats.getLimits().getMaxStreams()).isEqualTo(2);
            assertThat(stats.getLimits().getMaxStorage()).isEqualTo(-1);
            assertThatThrownBy(() -> b.jetStreamManagement().getAccountStatistics())
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                        assertThat(e.getApiErrorCode()).isEqualTo(10039);
                        assertThat(e.getErrorCode()).isEqualTo(503);
                        assertThat(e.getErrorDescription()).isEqualTo("JetStream not enabled for account");
                    });
        }
    }

    @Test
    void refusesTooHighRequiredApiLevel() throws Exception {
        try (EmbeddedServer server = start();
             io.nats.client.Connection nc = Nats.connect(server.url())) {
            Headers h = new Headers().put("Nats-Required-Api-Level", "6");
            Message reply = nc.request(NatsMessage.builder().subject("$JS.API.INFO").headers(h).data(new byte[0])
                    .build(), TIMEOUT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"type\":\"io.nats.jetstream.api.v1.account_info_response\",\"error\":{\"code\":412,"
                            + "\"err_code\":10185,\"description\":\"JetStream minimum api level required\"}}");
            h = new Headers().put("Nats-Required-Api-Level", "5");
            reply = nc.request(NatsMessage.builder().subject("$JS.API.INFO").headers(h).data(new byte[0]).build(),
                    TIMEOUT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).doesNotContain("\"error\":").contains(
                    "\"errors\":1");
        }
    }
}
