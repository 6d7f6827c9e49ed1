package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery and acknowledgement through jnats and core subscriptions: push heartbeats and flow control (the status
 * messages and their headers), headers only, deliver policies, filters, max_ack_pending, redelivery after ack_wait and
 * along a back-off, max_deliver with its advisory, NAK with a delay, TERM with its advisory, WPI, NXT, ack all, ack
 * none, the ack metric, replay original and rate limits.
 */
class JetStreamDeliveryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

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
        jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").storageType(StorageType.File)
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private void publish(String subject, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            js.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private ConsumerInfo info(String consumer) {
        try {
            return jsm.getConsumerInfo("S", consumer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(Message m) {
        return m.isStatusMessage() ? m.getStatus().getCode() + " " + m.getStatus().getMessage() : null;
    }

    @Test
    void pushIdleHeartbeatsCarryTheLastSequences() throws Exception {
        publish("s.a", 2);
        Subscription sub = nc.subscribe("hb.deliver");
        nc.flush(TIMEOUT);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("hb").deliverSubject("hb.deliver")
                .idleHeartbeat(Duration.ofMillis(200)).build());
        assertThat(sub.nextMessage(TIMEOUT).getReplyTo()).startsWith("$JS.ACK.S.hb.1.1.1.");
        assertThat(sub.nextMessage(TIMEOUT).getSubject()).isEqualTo("s.a");
        Message hb = sub.nextMessage(TIMEOUT);
        assertThat(status(hb)).isEqualTo("100 Idle Heartbeat");
        assertThat(hb.getData()).isEmpty();
        assertThat(hb.getHeaders().getFirst("Nats-Last-Consumer")).isEqualTo("2");
        assertThat(hb.getHeaders().getFirst("Nats-Last-Stream")).isEqualTo("2");
    }

    @Test
    void pushFlowControlAsksForAReplyAndStallsUntilItComes() throws Exception {
        Subscription sub = nc.subscribe("fc.deliver");
        nc.flush(TIMEOUT);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("fc").deliverSubject("fc.deliver")
                .flowControl(Duration.ofMillis(300)).build());
        byte[] big = new byte[64 * 1024];
        for (int i = 0; i < 24; i++) {
            js.publish("s.big", big);
        }
        Message fc = null;
        int data = 0;
        while (fc == null) {
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            if ("100 FlowControl Request".equals(status(m))) {
                fc = m;
            } else if (status(m) == null) {
                data++;
            }
        }
        assertThat(fc.getReplyTo()).matches("\\$JS\\.FC\\.S\\.fc\\.[0-9A-Za-z]{4}");
        assertThat(data).isGreaterThan(0).isLessThan(24);
        // unanswered: the heartbeat says so
        Message hb;
        do {
            hb = sub.nextMessage(TIMEOUT);
        } while (!"100 Idle Heartbeat".equals(status(hb)));
        assertThat(hb.getHeaders().getFirst("Nats-Consumer-Stalled")).isEqualTo(fc.getReplyTo());
        nc.publish(fc.getReplyTo(), new byte[0]);
        while (data < 24) {
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            if (status(m) == null) {
                data++;
            } else if ("100 FlowControl Request".equals(status(m))) {
                nc.publish(m.getReplyTo(), new byte[0]);
            }
        }
        Await.until(TIMEOUT, () -> info("fc").getDelivered().getStreamSequence() == 24);
    }

    @Test
    void headersOnlyDeliversTheSizeInsteadOfThePayload() throws Exception {
        Headers h = new Headers().put("X-Test", "1");
        js.publish(NatsMessage.builder().subject("s.h").headers(h).data("hello").build());
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("ho").headersOnly(true).build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "ho"));
        Message m = sub.fetch(1, TIMEOUT).get(0);
        assertThat(m.getData()).isEmpty();
        assertThat(m.getHeaders().getFirst("Nats-Msg-Size")).isEqualTo("5");
        assertThat(m.getHeaders().getFirst("X-Test")).isEqualTo("1");
    }

    @Test
    void deliverPoliciesAndFilters() throws Exception {
        publish("s.a", 2);
        publish("s.b", 2);
        publish("s.c", 1);
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("all"))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("last").deliverPolicy(DeliverPolicy.Last)))
                .containsExactly(5L);
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("new").deliverPolicy(DeliverPolicy.New)))
                .isEmpty();
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("seq")
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(4))).containsExactly(4L, 5L);
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("time")
                .deliverPolicy(DeliverPolicy.ByStartTime).startTime(ZonedDateTime.now().plusHours(1))))
                .isEmpty();
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("lps")
                .deliverPolicy(DeliverPolicy.LastPerSubject).filterSubject("s.*"))).containsExactly(2L, 4L, 5L);
        assertThat(firstSeqs(ConsumerConfiguration.builder().durable("multi").filterSubjects("s.a", "s.c")))
                .containsExactly(1L, 2L, 5L);
        assertThat(info("lps").getNumPending()).isZero();
        assertThat(info("multi").getConsumerConfiguration().getFilterSubjects()).containsExactly("s.a", "s.c");
    }

    private List<Long> firstSeqs(ConsumerConfiguration.Builder b) throws Exception {
        ConsumerInfo ci = jsm.addOrUpdateConsumer("S", b.ackPolicy(AckPolicy.None).build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", ci.getName()));
        List<Long> out = new ArrayList<>();
        for (Message m : sub.fetch(10, Duration.ofMillis(500))) {
            out.add(m.metaData().streamSequence());
        }
        sub.unsubscribe();
        return out;
    }

    @Test
    void maxAckPendingHoldsBackUntilAcked() throws Exception {
        publish("s.a", 5);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("map").ackPolicy(AckPolicy.Explicit)
                .maxAckPending(2).build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "map"));
        List<Message> first = sub.fetch(5, Duration.ofMillis(500));
        assertThat(first).hasSize(2);
        first.get(0).ackSync(TIMEOUT);
        List<Message> next = sub.fetch(5, Duration.ofMillis(500));
        assertThat(next).extracting(m -> m.metaData().streamSequence()).containsExactly(3L);
        assertThat(info("map").getNumAckPending()).isEqualTo(2);
    }

    @Test
    void redeliveryAfterAckWaitAlongTheBackoffUntilMaxDeliver() throws Exception {
        Subscription advisories = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.bo");
        nc.flush(TIMEOUT);
        publish("s.a", 1);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("bo").ackPolicy(AckPolicy.Explicit)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(200)).maxDeliver(3).build());
        assertThat(info("bo").getConsumerConfiguration().getAckWait()).isEqualTo(Duration.ofMillis(100));
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "bo"));
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Message> got = sub.fetch(1, TIMEOUT);
            assertThat(got).hasSize(1);
            counts.add(got.get(0).metaData().deliveredCount());
        }
        assertThat(counts).containsExactly(1L, 2L, 3L);
        // the exceeded delivery is noticed when the next request looks for it (as nats-server)
        assertThat(sub.fetch(1, Duration.ofMillis(500))).isEmpty();
        Message adv = advisories.nextMessage(TIMEOUT);
        JsonNode a = JSON.readTree(adv.getData());
        assertThat(a.get("type").asText()).isEqualTo("io.nats.jetstream.advisory.v1.max_deliver");
        assertThat(a.get("stream_seq").asLong()).isEqualTo(1);
        assertThat(a.get("deliveries").asLong()).isEqualTo(3);
        ConsumerInfo ci = info("bo");
        assertThat(ci.getNumAckPending()).isZero();
        assertThat(ci.getRedelivered()).isEqualTo(1);
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(1);
    }

    @Test
    void nakWithDelayTermWithReasonProgressAndNext() throws Exception {
        Subscription naks = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.S.k");
        Subscription terms = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.S.k");
        nc.flush(TIMEOUT);
        publish("s.a", 3);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("k").ackPolicy(AckPolicy.Explicit)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "k"));
        List<Message> got = sub.fetch(2, TIMEOUT);
        got.get(0).nakWithDelay(Duration.ofMillis(300));
        JsonNode nak = JSON.readTree(naks.nextMessage(TIMEOUT).getData());
        assertThat(nak.get("type").asText()).isEqualTo("io.nats.jetstream.advisory.v1.nak");
        assertThat(nak.get("stream_seq").asLong()).isEqualTo(1);
        nc.publish(got.get(1).getReplyTo(), "+TERM bad input".getBytes(StandardCharsets.US_ASCII));
        JsonNode term = JSON.readTree(terms.nextMessage(TIMEOUT).getData());
        assertThat(term.get("type").asText()).isEqualTo("io.nats.jetstream.advisory.v1.terminated");
        assertThat(term.get("reason").asText()).isEqualTo("bad input");
        assertThat(term.get("stream_seq").asLong()).isEqualTo(2);
        // +NXT acks and asks for the next on the same reply
        Message third = sub.fetch(1, TIMEOUT).get(0);
        assertThat(third.metaData().streamSequence()).isEqualTo(3);
        third.inProgress();
        // the next message comes to the reply under its own subject: a plain inbox, not a muxed request
        Subscription next = nc.subscribe("nxt.inbox");
        nc.flush(TIMEOUT);
        nc.publish(third.getReplyTo(), "nxt.inbox", "+NXT".getBytes(StandardCharsets.US_ASCII));
        Message redelivered = next.nextMessage(TIMEOUT);
        assertThat(redelivered.metaData().streamSequence()).isEqualTo(1);
        assertThat(redelivered.metaData().deliveredCount()).isEqualTo(2);
        redelivered.ackSync(TIMEOUT);
        ConsumerInfo ci = info("k");
        assertThat(ci.getNumAckPending()).isZero();
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(3);
    }

    @Test
    void ackAllAcknowledgesEverythingBelow() throws Exception {
        publish("s.a", 4);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("all").ackPolicy(AckPolicy.All)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "all"));
        List<Message> got = sub.fetch(4, TIMEOUT);
        got.get(2).ackSync(TIMEOUT);
        ConsumerInfo ci = info("all");
        assertThat(ci.getNumAckPending()).isEqualTo(1);
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(3);
        got.get(1).ackSync(TIMEOUT);
        assertThat(info("all").getAckFloor().getStreamSequence()).isEqualTo(3);
    }

    @Test
    void ackNoneMovesTheFloorOnDelivery() throws Exception {
        publish("s.a", 3);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("none").ackPolicy(AckPolicy.None)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "none"));
        assertThat(sub.fetch(3, TIMEOUT)).hasSize(3);
        ConsumerInfo ci = info("none");
        assertThat(ci.getNumAckPending()).isZero();
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(3);
        assertThat(ci.getDelivered().getConsumerSequence()).isEqualTo(3);
    }

    @Test
    void sampledAcksPublishTheAckMetric() throws Exception {
        Subscription metrics = nc.subscribe("$JS.EVENT.METRIC.CONSUMER.ACK.S.smp");
        nc.flush(TIMEOUT);
        publish("s.a", 1);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("smp").ackPolicy(AckPolicy.Explicit)
                .sampleFrequency("100%").build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("S", "smp"));
        sub.fetch(1, TIMEOUT).get(0).ack();
        JsonNode metric = JSON.readTree(metrics.nextMessage(TIMEOUT).getData());
        assertThat(metric.get("type").asText()).isEqualTo("io.nats.jetstream.metric.v1.consumer_ack");
        assertThat(metric.get("consumer_seq").asLong()).isEqualTo(1);
        assertThat(metric.get("deliveries").asLong()).isEqualTo(1);
        assertThat(metric.get("ack_time").asLong()).isPositive();
    }

    @Test
    void replayOriginalAndRateLimitStillDeliverEverythingInOrder() throws Exception {
        publish("s.a", 3);
        for (ConsumerConfiguration cc : List.of(
                ConsumerConfiguration.builder().durable("orig").replayPolicy(ReplayPolicy.Original)
                        .deliverSubject("orig.deliver").build(),
                ConsumerConfiguration.builder().durable("rate").rateLimit(1024 * 1024)
                        .deliverSubject("rate.deliver").build())) {
            Subscription sub = nc.subscribe(cc.getDeliverSubject());
            nc.flush(TIMEOUT);
            jsm.addOrUpdateConsumer("S", cc);
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqs.add(sub.nextMessage(TIMEOUT).metaData().streamSequence());
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L);
        }
        assertThat(info("rate").getConsumerConfiguration().getRateLimit()).isEqualTo(1024 * 1024);
    }

    @Test
    void pushQueueGroupDeliversEachMessageOnce() throws Exception {
        List<Message> a = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Message> b = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription qa = nc.subscribe("q.deliver", "workers");
        Subscription qb = nc.subscribe("q.deliver", "workers");
        nc.flush(TIMEOUT);
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("q").deliverSubject("q.deliver")
                .deliverGroup("workers").ackPolicy(AckPolicy.None).build());
        publish("s.a", 20);
        Await.until(TIMEOUT, () -> {
            drain(qa, a);
            drain(qb, b);
            return a.size() + b.size() == 20;
        });
        assertThat(a.size() + b.size()).isEqualTo(20);
        assertThat(info("q").isPushBound()).isTrue();
    }

    private static void drain(Subscription s, List<Message> into) {
        try {
            Message m;
            while ((m = s.nextMessage(Duration.ofMillis(1))) != null) {
                into.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
