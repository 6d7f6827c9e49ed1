package io.jnatsd.systest;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consumers through jnats: the consumer API (create forms, info, names, list, delete, update rules and errors), pull
 * consumers (fetch, batches, acks, naks, terms), push consumers (subscribe, queue groups), ack policies and the
 * counters in the consumer info, deliver policies, interest and work-queue retention.
 */
class JetStreamConsumerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private Connection nc;
    private JetStreamManagement jsm;
    private JetStream js;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.startJetStream(storeDir);
        nc = Nats.connect(server.url());
        jsm = nc.jetStreamManagement();
        js = nc.jetStream();
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private static int apiCode(Throwable t) {
        return ((JetStreamApiException) t).getApiErrorCode();
    }

    private void stream(String name, RetentionPolicy retention, String... subjects) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).retentionPolicy(retention)
                .storageType(StorageType.File).build());
    }

    private void publish(String subject, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            js.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void pullFetchAckAndInfoCounters() throws Exception {
        stream("ORDERS", RetentionPolicy.Limits, "orders.>");
        publish("orders.a", 5);
        jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("worker")
                .ackPolicy(AckPolicy.Explicit).build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("ORDERS", "worker"));
        List<Message> got = sub.fetch(3, Duration.ofSeconds(2));
        assertThat(got).hasSize(3);
        assertThat(got.get(0).metaData().streamSequence()).isEqualTo(1);
        assertThat(got.get(2).metaData().consumerSequence()).isEqualTo(3);
        assertThat(got.get(0).metaData().pendingCount()).isEqualTo(4);
        got.get(0).ack();
        got.get(2).ackSync(TIMEOUT);
        ConsumerInfo ci = jsm.getConsumerInfo("ORDERS", "worker");
        assertThat(ci.getDelivered().getStreamSequence()).isEqualTo(3);
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(1);
        assertThat(ci.getNumAckPending()).isEqualTo(1);
        assertThat(ci.getNumPending()).isEqualTo(2);
        got.get(1).nak();
        List<Message> again = sub.fetch(10, Duration.ofSeconds(1));
        assertThat(again).extracting(m -> m.metaData().streamSequence()).containsExactly(2L, 4L, 5L);
        assertThat(again.get(0).metaData().deliveredCount()).isEqualTo(2);
        again.forEach(Message::ack);
        Await.until(TIMEOUT, () -> info("ORDERS", "worker").getNumAckPending() == 0);
        ci = jsm.getConsumerInfo("ORDERS", "worker");
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(5);
        assertThat(ci.getAckFloor().getConsumerSequence()).isEqualTo(6);
        assertThat(ci.getRedelivered()).isZero();
        assertThat(ci.getNumPending()).isZero();
    }

    private ConsumerInfo info(String stream, String consumer) {
        try {
            return jsm.getConsumerInfo(stream, consumer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pushSubscribeDeliversAndAcks() throws Exception {
        stream("EVENTS", RetentionPolicy.Limits, "events.>");
        publish("events.x", 3);
        List<String> seen = new CopyOnWriteArrayList<>();
        Dispatcher d = nc.createDispatcher();
        js.subscribe("events.>", d, m -> {
            seen.add(new String(m.getData(), StandardCharsets.UTF_8));
            m.ack();
        }, false, PushSubscribeOptions.builder().durable("pusher").build());
        Await.until(TIMEOUT, () -> seen.size() == 3);
        publish("events.y", 2);
        Await.until(TIMEOUT, () -> seen.size() == 5);
        assertThat(seen).containsExactly("m0", "m1", "m2", "m0", "m1");
        Await.until(TIMEOUT, () -> info("EVENTS", "pusher").getAckFloor().getStreamSequence() == 5);
        assertThat(info("EVENTS", "pusher").isPushBound()).isTrue();
    }

    @Test
    void consumerApiNamesListDeleteAndErrors() throws Exception {
        stream("S", RetentionPolicy.Limits, "s.>");
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("b").build());
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("a").filterSubject("s.a").build());
        assertThat(jsm.getConsumerNames("S")).containsExactly("a", "b");
        assertThat(jsm.getConsumers("S")).extracting(ConsumerInfo::getName).containsExactly("a", "b");
        assertThatThrownBy(() -> jsm.getConsumerInfo("S", "zz")).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10014));
        assertThatThrownBy(() -> jsm.getConsumerInfo("NOPE", "zz")).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10059));
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("a")
                .deliverPolicy(DeliverPolicy.New).filterSubject("s.a").build()))
                .satisfies(e -> assertThat(e.getMessage()).contains("deliver policy can not be updated"));
        assertThat(jsm.deleteConsumer("S", "a")).isTrue();
        assertThat(jsm.getConsumerNames("S")).containsExactly("b");
        String raw = new String(nc.request("$JS.API.CONSUMER.NAMES.S", new byte[0], TIMEOUT).getData(),
                StandardCharsets.UTF_8);
        assertThat(raw).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"total\":1,"
                + "\"offset\":0,\"limit\":1024,\"consumers\":[\"b\"]}");
    }

    @Test
    void workQueueRemovesAckedMessagesAndRefusesOverlaps() throws Exception {
        stream("WQ", RetentionPolicy.WorkQueue, "wq.>");
        jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("w1").filterSubject("wq.a")
                .ackPolicy(AckPolicy.Explicit).build());
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("w2")
                .filterSubject("wq.>").ackPolicy(AckPolicy.Explicit).build()))
                .satisfies(e -> assertThat(apiCode(e)).isEqualTo(10100));
        publish("wq.a", 4);
        JetStreamSubscription sub = js.subscribe("wq.a", PullSubscribeOptions.bind("WQ", "w1"));
        List<Message> got = sub.fetch(4, Duration.ofSeconds(2));
        assertThat(got).hasSize(4);
        for (Message m : got) {
            m.ackSync(TIMEOUT);
        }
        Await.until(TIMEOUT, () -> streamMessages("WQ") == 0);
    }

    @Test
    void interestRetentionKeepsUntilEveryConsumerAcked() throws Exception {
        stream("INT", RetentionPolicy.Interest, "int.>");
        jsm.addOrUpdateConsumer("INT", ConsumerConfiguration.builder().durable("c1")
                .ackPolicy(AckPolicy.Explicit).build());
        jsm.addOrUpdateConsumer("INT", ConsumerConfiguration.builder().durable("c2")
                .ackPolicy(AckPolicy.Explicit).build());
        publish("int.x", 2);
        assertThat(streamMessages("INT")).isEqualTo(2);
        for (String c : List.of("c1", "c2")) {
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("INT", c));
            for (Message m : sub.fetch(2, Duration.ofSeconds(2))) {
                m.ackSync(TIMEOUT);
            }
            if (c.equals("c1")) {
                assertThat(streamMessages("INT")).isEqualTo(2);
            }
        }
        Await.until(TIMEOUT, () -> streamMessages("INT") == 0);
    }

    private long streamMessages(String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ephemeralOrderedConsumerReadsEverything() throws Exception {
        stream("ORD", RetentionPolicy.Limits, "ord.>");
        publish("ord.a", 10);
        List<Long> seqs = new ArrayList<>();
        JetStreamSubscription sub = js.subscribe("ord.>", PushSubscribeOptions.builder().ordered(true).build());
        for (int i = 0; i < 10; i++) {
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            seqs.add(m.metaData().streamSequence());
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void purgeAndDeletesMoveTheConsumer() throws Exception {
        stream("PG", RetentionPolicy.Limits, "pg.>");
        publish("pg.a", 5);
        Subscription terms = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.PG.c");
        nc.flush(TIMEOUT);
        jsm.addOrUpdateConsumer("PG", ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("PG", "c"));
        List<Message> got = sub.fetch(2, TIMEOUT);
        assertThat(got).hasSize(2);
        jsm.deleteMessage("PG", 2);
        com.fasterxml.jackson.databind.JsonNode term = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(terms.nextMessage(TIMEOUT).getData());
        assertThat(term.get("reason").asText()).isEqualTo("Unacknowledged message was deleted");
        assertThat(term.get("stream_seq").asLong()).isEqualTo(2);
        jsm.purgeStream("PG");
        Await.until(TIMEOUT, () -> info("PG", "c").getNumAckPending() == 0);
        ConsumerInfo ci = info("PG", "c");
        assertThat(ci.getNumPending()).isZero();
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(5);
        publish("pg.a", 1);
        assertThat(sub.fetch(1, TIMEOUT).get(0).metaData().streamSequence()).isEqualTo(6);
    }

    @Test
    void updatesAndRebindingADurablePushConsumer() throws Exception {
        stream("U", RetentionPolicy.Limits, "u.>");
        jsm.addOrUpdateConsumer("U", ConsumerConfiguration.builder().durable("p").deliverSubject("first")
                .ackPolicy(AckPolicy.Explicit).build());
        ConsumerInfo ci = jsm.addOrUpdateConsumer("U", ConsumerConfiguration.builder().durable("p")
                .deliverSubject("second").ackPolicy(AckPolicy.Explicit).description("moved").maxAckPending(10)
                .build());
        assertThat(ci.getConsumerConfiguration().getDeliverSubject()).isEqualTo("second");
        assertThat(ci.getConsumerConfiguration().getDescription()).isEqualTo("moved");
        assertThat(ci.getConsumerConfiguration().getMaxAckPending()).isEqualTo(10);
        Subscription bound = nc.subscribe("second");
        nc.flush(TIMEOUT);
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("U", ConsumerConfiguration.builder().durable("p")
                .deliverSubject("third").ackPolicy(AckPolicy.Explicit).build()))
                .satisfies(e -> assertThat(apiCode(e)).isEqualTo(10013));
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("U", ConsumerConfiguration.builder().durable("p")
                .ackPolicy(AckPolicy.Explicit).build())).satisfies(e -> assertThat(e.getMessage())
                .contains("can not update push consumer to pull based"));
        publish("u.x", 1);
        assertThat(bound.nextMessage(TIMEOUT).getSubject()).isEqualTo("u.x");
    }

    @Test
    void interestStreamWithAckNoneAndConsumerDeletion() throws Exception {
        stream("IN", RetentionPolicy.Interest, "in.>");
        jsm.addOrUpdateConsumer("IN", ConsumerConfiguration.builder().durable("none").ackPolicy(AckPolicy.None)
                .build());
        jsm.addOrUpdateConsumer("IN", ConsumerConfiguration.builder().durable("slow")
                .ackPolicy(AckPolicy.Explicit).filterSubject("in.b").build());
        publish("in.a", 2);
        publish("in.b", 1);
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("IN", "none"));
        assertThat(sub.fetch(3, TIMEOUT)).hasSize(3);
        Await.until(TIMEOUT, () -> streamMessages("IN") == 1);
        jsm.deleteConsumer("IN", "slow");
        Await.until(TIMEOUT, () -> streamMessages("IN") == 0);
    }

    @Test
    void interestWithAckAllAndWorkQueueRefusals() throws Exception {
        stream("IA", RetentionPolicy.Interest, "ia.>");
        jsm.addOrUpdateConsumer("IA", ConsumerConfiguration.builder().durable("all").ackPolicy(AckPolicy.All)
                .build());
        publish("ia.x", 3);
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("IA", "all"));
        List<Message> got = sub.fetch(3, TIMEOUT);
        got.get(1).ackSync(TIMEOUT);
        Await.until(TIMEOUT, () -> streamMessages("IA") == 1);
        got.get(2).ackSync(TIMEOUT);
        Await.until(TIMEOUT, () -> streamMessages("IA") == 0);
        stream("WQ2", RetentionPolicy.WorkQueue, "wq2.>");
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("a")
                .ackPolicy(AckPolicy.All).build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10098));
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("n")
                .ackPolicy(AckPolicy.None).build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10084));
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("l")
                .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.Last).build()))
                .satisfies(e -> assertThat(apiCode(e)).isEqualTo(10101));
        jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("e").ackPolicy(AckPolicy.Explicit)
                .build());
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("f")
                .ackPolicy(AckPolicy.Explicit).filterSubject("wq2.a").build()))
                .satisfies(e -> assertThat(apiCode(e)).isEqualTo(10100));
    }

    @Test
    void updatingTheFilterKeepsThePositionAndRecountsPending() throws Exception {
        stream("F", RetentionPolicy.Limits, "f.>");
        publish("f.a", 2);
        publish("f.b", 2);
        jsm.addOrUpdateConsumer("F", ConsumerConfiguration.builder().durable("c").filterSubject("f.a").build());
        assertThat(info("F", "c").getNumPending()).isEqualTo(2);
        ConsumerInfo ci = jsm.addOrUpdateConsumer("F", ConsumerConfiguration.builder().durable("c")
                .filterSubject("f.>").build());
        assertThat(ci.getNumPending()).isEqualTo(4);
    }
}
