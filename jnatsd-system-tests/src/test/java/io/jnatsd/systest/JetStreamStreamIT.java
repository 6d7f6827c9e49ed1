package io.jnatsd.systest;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streams through jnats' {@code JetStreamManagement} and {@code JetStream}: create (idempotent, conflicts, limits),
 * info (subjects, deleted details), update rules, names and list with filters, delete, publish with PubAck,
 * dedupe, the {@code Nats-Expected-*} headers, purge variants, message get and delete, and restart recovery.
 */
@SuppressWarnings("try")
class JetStreamStreamIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private io.nats.client.Connection nc;
    private JetStreamManagement jsm;
    private JetStream js;

    @BeforeEach
    void start() throws Exception {
        server = startServer();
        nc = Nats.connect(server.url());
        jsm = nc.jetStreamManagement();
        js = nc.jetStream();
    }

    private EmbeddedServer startServer() {
        return EmbeddedServer.startJetStream(storeDir);
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private static int apiCode(Throwable t) {
        return ((JetStreamApiException) t).getApiErrorCode();
    }

    /**
     * Publishers on their own connections (so on several event loops) racing for one file stream: an idle stream
     * stores on the publisher's thread, a busy one queues to its writer; every message is stored once, and each
     * publisher's messages keep their order.
     */
    @Test
    void concurrentPublishersKeepTheirOrder() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("RACE").subjects("race.*").storageType(StorageType.File)
                .build());
        int publishers = 4;
        int each = 1500;
        List<List<Long>> seqs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int p = 0; p < publishers; p++) {
            List<Long> mine = new ArrayList<>();
            seqs.add(mine);
            String subject = "race." + p;
            threads.add(Thread.ofPlatform().start(() -> {
                try (io.nats.client.Connection c = Nats.connect(server.url())) {
                    JetStream pjs = c.jetStream();
                    List<CompletableFuture<PublishAck>> futures = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        byte[] data = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                        if (i % 3 == 0) {
                            futures.add(CompletableFuture.completedFuture(pjs.publish(subject, data)));
                        } else {
                            futures.add(pjs.publishAsync(subject, data));
                        }
                    }
                    for (var f : futures) {
                        mine.add(f.get(10, TimeUnit.SECONDS).getSeqno());
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        Set<Long> all = new HashSet<>();
        for (int p = 0; p < publishers; p++) {
            List<Long> mine = seqs.get(p);
            assertThat(mine).hasSize(each).isSorted();
            all.addAll(mine);
            // the stored payloads of this publisher's subject are 0, 1, 2, ... in stream order
            for (int i = 0; i < each; i += 499) {
                assertThat(new String(jsm.getMessage("RACE", mine.get(i)).getData(), StandardCharsets.US_ASCII))
                        .isEqualTo(Integer.toString(i));
            }
        }
        assertThat(all).hasSize(publishers * each);
        assertThat(jsm.getStreamInfo("RACE").getStreamState().getMsgCount()).isEqualTo((long) publishers * each);
    }

    @Test
    void createsInfoUpdatesAndDeletes() throws Exception {
        StreamInfo created = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                .storageType(StorageType.Memory).maxMessages(100).build());
        assertThat(created.getConfiguration().getName()).isEqualTo("ORDERS");
        assertThat(created.getConfiguration().getMaxMsgs()).isEqualTo(100);
        assertThat(created.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(created.getConfiguration().getMetadata()).containsEntry("_nats.req.level", "0")
                .containsKeys("_nats.ver", "_nats.level");
        // idempotent create, conflicting create
        assertThat(jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                .storageType(StorageType.Memory).maxMessages(100).build()).getConfiguration().getName())
                .isEqualTo("ORDERS");
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                .storageType(StorageType.Memory).maxMessages(5).build())).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10058));
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("OTHER").subjects("orders.eu")
                .build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10065));
        StreamInfo updated = jsm.updateStream(StreamConfiguration.builder().name("ORDERS")
                .subjects("orders.>", "returns.>").storageType(StorageType.Memory).maxMessages(200).build());
        assertThat(updated.getConfiguration().getSubjects()).containsExactly("orders.>", "returns.>");
        assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("ORDERS")
                .storageType(StorageType.File).build())).satisfies(e -> assertThat(e.getMessage())
                .contains("stream configuration update can not change storage type"));
        assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("NOPE").build()))
                .satisfies(e -> assertThat(apiCode(e)).isEqualTo(10059));
        assertThat(jsm.getStreamNames()).containsExactly("ORDERS");
        assertThat(jsm.deleteStream("ORDERS")).isTrue();
        assertThat(jsm.getStreamNames()).isEmpty();
        assertThatThrownBy(() -> jsm.getStreamInfo("ORDERS")).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10059));
    }

    @Test
    void namesAndListFilterBySubject() throws Exception {
        for (String n : List.of("C", "A", "B")) {
            jsm.addStream(StreamConfiguration.builder().name(n).subjects(n.toLowerCase() + ".>")
                    .storageType(StorageType.Memory).build());
        }
        assertThat(jsm.getStreamNames()).containsExactly("A", "B", "C");
        assertThat(jsm.getStreamNames("b.x")).containsExactly("B");
        assertThat(jsm.getStreams()).extracting(si -> si.getConfiguration().getName()).containsExactly("A", "B",
                "C");
        String raw = new String(nc.request("$JS.API.STREAM.NAMES", "{\"subject\":\"zzz\"}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT).getData(), StandardCharsets.UTF_8);
        assertThat(raw).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.stream_names_response\",\"total\":0,"
                + "\"offset\":0,\"limit\":1024,\"streams\":null}");
    }

    @Test
    void publishesWithAcksDedupeAndExpectations() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
        PublishAck a1 = js.publish("s.a", "one".getBytes(StandardCharsets.UTF_8));
        assertThat(a1.getStream()).isEqualTo("S");
        assertThat(a1.getSeqno()).isEqualTo(1);
        assertThat(a1.isDuplicate()).isFalse();
        PublishAck d1 = js.publish("s.a", "x".getBytes(StandardCharsets.UTF_8),
                PublishOptions.builder().messageId("id-1").build());
        PublishAck d2 = js.publish("s.a", "x".getBytes(StandardCharsets.UTF_8),
                PublishOptions.builder().messageId("id-1").build());
        assertThat(d2.isDuplicate()).isTrue();
        assertThat(d2.getSeqno()).isEqualTo(d1.getSeqno());
        Message raw = nc.request("s.b", "y".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(new String(raw.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"stream\":\"S\",\"seq\":3}");
        assertThatThrownBy(() -> js.publish("s.c", new byte[0], PublishOptions.builder().expectedStream("T")
                .build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10060));
        assertThatThrownBy(() -> js.publish("s.c", new byte[0], PublishOptions.builder().expectedLastSequence(2)
                .build())).satisfies(e -> assertThat(e.getMessage()).contains("wrong last sequence: 3"));
        assertThat(js.publish("s.c", new byte[0], PublishOptions.builder().expectedLastSequence(3).build())
                .getSeqno()).isEqualTo(4);
        assertThatThrownBy(() -> js.publish("s.a", new byte[0], PublishOptions.builder()
                .expectedLastSubjectSequence(1).build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10071));
        assertThat(js.publish("s.new", new byte[0], PublishOptions.builder().expectedLastSubjectSequence(0)
                .build()).getSeqno()).isEqualTo(5);
        assertThatThrownBy(() -> js.publish("s.a", new byte[0], PublishOptions.builder()
                .expectedLastMsgId("nope").build())).satisfies(e -> assertThat(e.getMessage())
                .contains("wrong last msg ID: "));
        Message err = nc.request(NatsMessage.builder().subject("s.z").headers(new Headers()
                .put("Nats-Expected-Stream", "X")).data(new byte[0]).build(), TIMEOUT);
        assertThat(new String(err.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"code\":400,"
                + "\"err_code\":10060,\"description\":\"expected stream does not match\"},\"stream\":\"S\","
                + "\"seq\":0}");
        StreamInfo info = jsm.getStreamInfo("S", StreamInfoOptions.filterSubjects("s.>"));
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(5);
        assertThat(info.getStreamState().getSubjectMap()).containsEntry("s.a", 2L);
    }

    @Test
    void discardNewAndLimits() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("L").subjects("l").maxMessages(2)
                .discardPolicy(DiscardPolicy.New).storageType(StorageType.Memory).build());
        js.publish("l", new byte[1]);
        js.publish("l", new byte[1]);
        assertThatThrownBy(() -> js.publish("l", new byte[1])).satisfies(e -> {
            assertThat(apiCode(e)).isEqualTo(10077);
            assertThat(e.getMessage()).contains("maximum messages exceeded");
        });
        jsm.addStream(StreamConfiguration.builder().name("M").subjects("m").maxMsgSize(4)
                .storageType(StorageType.Memory).build());
        assertThatThrownBy(() -> js.publish("m", new byte[5])).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10054));
    }

    @Test
    void purgesGetsAndDeletesMessages() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("P").subjects("p.*").build());
        for (int i = 0; i < 5; i++) {
            js.publish("p." + (i % 2), ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new String(jsm.getMessage("P", 2).getData(), StandardCharsets.UTF_8)).isEqualTo("m1");
        assertThat(jsm.getLastMessage("P", "p.0").getSeq()).isEqualTo(5);
        assertThat(jsm.getNextMessage("P", 2, "p.0").getSeq()).isEqualTo(3);
        assertThat(jsm.deleteMessage("P", 2)).isTrue();
        assertThatThrownBy(() -> jsm.getMessage("P", 2)).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10037));
        assertThatThrownBy(() -> jsm.deleteMessage("P", 2)).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10043));
        assertThat(jsm.purgeStream("P", io.nats.client.PurgeOptions.subject("p.0")).getPurged())
                .isEqualTo(3);
        StreamInfo info = jsm.getStreamInfo("P", StreamInfoOptions.allSubjects());
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
        assertThat(jsm.purgeStream("P").getPurged()).isEqualTo(1);
        assertThat(jsm.getStreamInfo("P").getStreamState().getFirstSequence()).isEqualTo(6);
    }

    @Test
    void recoversFileStreamsAfterRestart() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("R").subjects("r").retentionPolicy(RetentionPolicy.Limits)
                .build());
        js.publish("r", "keep".getBytes(StandardCharsets.UTF_8), PublishOptions.builder().messageId("k1").build());
        nc.close();
        server.close();
        server = startServer();
        nc = Nats.connect(server.url());
        jsm = nc.jetStreamManagement();
        js = nc.jetStream();
        StreamInfo info = jsm.getStreamInfo("R");
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
        assertThat(js.publish("r", new byte[0], PublishOptions.builder().messageId("k1").build()).isDuplicate())
                .isTrue();
    }
}
