package io.jnatsd.systest;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message gets through {@code STREAM.MSG.GET} and every {@code DIRECT.GET} form: by sequence, last and next by
 * subject, by start time, batches with {@code Nats-Num-Pending}/{@code Nats-Last-Sequence} and {@code 204 EOB}, multi
 * last with up-to bounds, the subject form, {@code no_hdr}, and the status replies for bad requests.
 */
@SuppressWarnings("try")
class JetStreamDirectGetIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path storeDir;

    private static EmbeddedServer server;
    private static io.nats.client.Connection nc;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.startJetStream(storeDir);
        nc = Nats.connect(server.url());
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("D").subjects("d.>").allowDirect(true)
                .storageType(StorageType.Memory).build());
        JetStream js = nc.jetStream();
        js.publish(NatsMessage.builder().subject("d.a").headers(new Headers().put("X", "1")).data("a1").build());
        js.publish("d.b", "b1".getBytes(StandardCharsets.UTF_8));
        js.publish("d.a", "a2".getBytes(StandardCharsets.UTF_8));
        js.publish("d.c", "c1".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        nc.close();
        server.close();
    }

    private static List<Message> collect(String subject, String body) throws Exception {
        String inbox = nc.createInbox();
        List<Message> out = new ArrayList<>();
        Subscription sub = nc.subscribe(inbox);
        try {
            nc.publish(subject, inbox, body.getBytes(StandardCharsets.UTF_8));
            while (true) {
                Message m = sub.nextMessage(TIMEOUT);
                assertThat(m).as("reply to " + body).isNotNull();
                out.add(m);
                if (m.isStatusMessage()) {
                    return out;
                }
            }
        } finally {
            sub.unsubscribe();
        }
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void jnatsUsesDirectGets() throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        MessageInfo mi = jsm.getMessage("D", 1);
        assertThat(mi.getSubject()).isEqualTo("d.a");
        assertThat(mi.getHeaders().getFirst("X")).isEqualTo("1");
        assertThat(mi.getStream()).isEqualTo("D");
        assertThat(jsm.getLastMessage("D", "d.a").getSeq()).isEqualTo(3);
        assertThat(jsm.getNextMessage("D", 2, "d.a").getSeq()).isEqualTo(3);
        assertThat(jsm.getMessage("D", MessageGetRequest.nextForSubject(1, "d.c")).getSeq()).isEqualTo(4);
    }

    @Test
    void singleGetAddsStreamHeaders() throws Exception {
        Message m = nc.request("$JS.API.DIRECT.GET.D", "{\"seq\":2}".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        Headers h = m.getHeaders();
        assertThat(h.getFirst("Nats-Stream")).isEqualTo("D");
        assertThat(h.getFirst("Nats-Subject")).isEqualTo("d.b");
        assertThat(h.getFirst("Nats-Sequence")).isEqualTo("2");
        assertThat(h.getFirst("Nats-Time-Stamp")).endsWith("Z");
        assertThat(text(m)).isEqualTo("b1");
        Message last = nc.request("$JS.API.DIRECT.GET.D.d.a", new byte[0], TIMEOUT);
        assertThat(text(last)).isEqualTo("a2");
        Message noHdr = nc.request("$JS.API.DIRECT.GET.D", "{\"seq\":1,\"no_hdr\":true}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(noHdr.getHeaders()).isNull();
        assertThat(text(noHdr)).isEqualTo("a1");
    }

    @Test
    void batchEndsWithEob() throws Exception {
        List<Message> batch = collect("$JS.API.DIRECT.GET.D", "{\"seq\":1,\"batch\":3}");
        assertThat(batch).hasSize(4);
        assertThat(batch.get(0).getHeaders().getFirst("Nats-Num-Pending")).isEqualTo("3");
        assertThat(batch.get(0).getHeaders().getFirst("Nats-Last-Sequence")).isEqualTo("0");
        assertThat(batch.get(1).getHeaders().getFirst("Nats-Last-Sequence")).isEqualTo("1");
        Message eob = batch.get(3);
        assertThat(eob.getStatus().getCode()).isEqualTo(204);
        assertThat(eob.getHeaders().getFirst("Nats-Num-Pending")).isEqualTo("1");
        assertThat(eob.getHeaders().getFirst("Nats-Last-Sequence")).isEqualTo("3");
    }

    @Test
    void multiLastReturnsTheLastOfEachSubject() throws Exception {
        List<Message> multi = collect("$JS.API.DIRECT.GET.D", "{\"multi_last\":[\"d.>\"]}");
        assertThat(multi).extracting(m -> m.isStatusMessage() ? "EOB" : text(m))
                .containsExactly("b1", "a2", "c1", "EOB");
        assertThat(multi.get(3).getHeaders().getFirst("Nats-UpTo-Sequence")).isEqualTo("4");
        List<Message> upTo = collect("$JS.API.DIRECT.GET.D", "{\"multi_last\":[\"d.a\",\"d.c\"],\"up_to_seq\":3}");
        assertThat(upTo).extracting(m -> m.isStatusMessage() ? "EOB" : text(m)).containsExactly("a2", "EOB");
        List<Message> none = collect("$JS.API.DIRECT.GET.D", "{\"multi_last\":[\"x.>\"]}");
        assertThat(none.getFirst().getStatus().getCode()).isEqualTo(404);
        assertThat(none.getFirst().getStatus().getMessage()).isEqualTo("No Results");
    }

    @Test
    void badRequestsGetStatusReplies() throws Exception {
        assertStatus("$JS.API.DIRECT.GET.D", "", 408, "Empty Request");
        assertStatus("$JS.API.DIRECT.GET.D", "{x", 408, "Malformed Request");
        assertStatus("$JS.API.DIRECT.GET.D", "{}", 408, "Empty Request");
        assertStatus("$JS.API.DIRECT.GET.D", "{\"seq\":1,\"last_by_subj\":\"d.a\"}", 408, "Bad Request");
        assertStatus("$JS.API.DIRECT.GET.D", "{\"seq\":99}", 404, "Message Not Found");
        assertStatus("$JS.API.DIRECT.GET.D.d.a", "{\"seq\":1}", 408, "Bad Request");
        Message m = nc.request(NatsMessage.builder().subject("$JS.API.DIRECT.GET.D").headers(new Headers()
                .put("Nats-Required-Api-Level", "99")).data("{\"seq\":1}").build(), TIMEOUT);
        assertThat(m.getStatus().getCode()).isEqualTo(412);
    }

    private static void assertStatus(String subject, String body, int code, String text) throws Exception {
        Message m = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(m.isStatusMessage()).as(body).isTrue();
        assertThat(m.getStatus().getCode()).as(body).isEqualTo(code);
        assertThat(m.getStatus().getMessage()).as(body).isEqualTo(text);
    }

    @Test
    void apiMsgGetVariants() throws Exception {
        String r = text(nc.request("$JS.API.STREAM.MSG.GET.D", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8),
                TIMEOUT));
        assertThat(r).startsWith("{\"type\":\"io.nats.jetstream.api.v1.stream_msg_get_response\",\"message\":"
                + "{\"subject\":\"d.a\",\"seq\":1,\"hdrs\":\"TkFUUy8xLjANClg6MQ0KDQo=\",\"data\":\"YTE=\",\"time\":\"");
        String noHdr = text(nc.request("$JS.API.STREAM.MSG.GET.D", "{\"seq\":1,\"no_hdr\":true}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT));
        assertThat(noHdr).doesNotContain("hdrs");
        for (String bad : List.of("", "{}", "{\"seq\":1,\"batch\":2}", "{\"seq\":1,\"last_by_subj\":\"d.a\"}")) {
            assertThat(text(nc.request("$JS.API.STREAM.MSG.GET.D", bad.getBytes(StandardCharsets.UTF_8), TIMEOUT)))
                    .as(bad).contains("\"err_code\":10003");
        }
        assertThat(text(nc.request("$JS.API.STREAM.MSG.GET.D", "{\"seq\":1,\"x\":1}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT))).contains("\"err_code\":10025",
                "invalid JSON: json: unknown field \\\"x\\\"");
        assertThat(text(nc.request("$JS.API.STREAM.MSG.GET.D", "{\"last_by_subj\":\"zz\"}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT))).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1"
                + ".stream_msg_get_response\",\"error\":{\"code\":404,\"err_code\":10037,\"description\":\"no message "
                + "found\"}}");
        String byTime = text(nc.request("$JS.API.STREAM.MSG.GET.D", "{\"start_time\":\"2000-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT));
        assertThat(byTime).contains("\"seq\":1");
    }
}
