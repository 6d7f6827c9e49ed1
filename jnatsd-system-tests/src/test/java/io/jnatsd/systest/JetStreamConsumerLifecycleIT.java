package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consumer life cycle through jnats: state kept across a restart (delivered, ack floor, pending, redeliveries),
 * ephemerals removed after their inactive threshold, pause and resume with their advisories, reset, priority groups
 * (pinned client with pin ids, unpin, overflow), create/delete advisories, max_consumers, and the ordered consumers
 * of KV watch and Object Store get.
 */
class JetStreamConsumerLifecycleIT {

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
        open();
    }

    private void open() throws Exception {
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

    private void stream(String name, String subject) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject).storageType(StorageType.File)
                .build());
    }

    private void publish(String subject, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            js.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int apiCode(Throwable t) {
        return ((JetStreamApiException) t).getApiErrorCode();
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        stream("D", "d.>");
        publish("d.a", 6);
        jsm.addOrUpdateConsumer("D", ConsumerConfiguration.builder().durable("dur").ackPolicy(AckPolicy.Explicit)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("D", "dur"));
        List<Message> got = sub.fetch(4, TIMEOUT);
        got.get(0).ackSync(TIMEOUT);
        got.get(1).ackSync(TIMEOUT);
        got.get(2).nak();
        List<Message> again = sub.fetch(1, TIMEOUT);
        assertThat(again.get(0).metaData().deliveredCount()).isEqualTo(2);
        ConsumerInfo before = jsm.getConsumerInfo("D", "dur");
        stop();
        open();
        ConsumerInfo after = jsm.getConsumerInfo("D", "dur");
        assertThat(after.getDelivered().getStreamSequence()).isEqualTo(before.getDelivered().getStreamSequence())
                .isEqualTo(4);
        assertThat(after.getDelivered().getConsumerSequence()).isEqualTo(5);
        assertThat(after.getAckFloor().getStreamSequence()).isEqualTo(2);
        assertThat(after.getNumAckPending()).isEqualTo(2);
        assertThat(after.getRedelivered()).isEqualTo(1);
        assertThat(after.getNumPending()).isEqualTo(2);
        JetStreamSubscription sub2 = js.subscribe(null, PullSubscribeOptions.bind("D", "dur"));
        List<Message> rest = sub2.fetch(2, TIMEOUT);
        assertThat(rest).extracting(m -> m.metaData().streamSequence()).containsExactly(5L, 6L);
        assertThat(rest.get(0).metaData().consumerSequence()).isEqualTo(6);
    }

    @Test
    void ephemeralsGoAwayAfterTheirInactiveThreshold() throws Exception {
        stream("E", "e.>");
        Subscription deleted = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.DELETED.E.*");
        nc.flush(TIMEOUT);
        ConsumerInfo ci = jsm.addOrUpdateConsumer("E", ConsumerConfiguration.builder()
                .inactiveThreshold(Duration.ofMillis(300)).build());
        assertThat(ci.getConsumerConfiguration().getInactiveThreshold()).isEqualTo(Duration.ofMillis(300));
        Message adv = deleted.nextMessage(TIMEOUT);
        assertThat(adv).isNotNull();
        JsonNode a = JSON.readTree(adv.getData());
        assertThat(a.get("type").asText()).isEqualTo("io.nats.jetstream.advisory.v1.consumer_action");
        assertThat(a.get("action").asText()).isEqualTo("delete");
        assertThat(a.get("consumer").asText()).isEqualTo(ci.getName());
        assertThat(jsm.getConsumerNames("E")).isEmpty();
    }

    @Test
    void pauseAndResumeWithAdvisories() throws Exception {
        stream("P", "p.>");
        publish("p.a", 2);
        Subscription pauses = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.PAUSE.P.pz");
        nc.flush(TIMEOUT);
        jsm.addOrUpdateConsumer("P", ConsumerConfiguration.builder().durable("pz").ackPolicy(AckPolicy.Explicit)
                .build());
        ZonedDateTime until = ZonedDateTime.now().plusHours(1);
        assertThat(jsm.pauseConsumer("P", "pz", until).isPaused()).isTrue();
        JsonNode a = JSON.readTree(pauses.nextMessage(TIMEOUT).getData());
        assertThat(a.get("paused").asBoolean()).isTrue();
        ConsumerInfo ci = jsm.getConsumerInfo("P", "pz");
        assertThat(ci.getPaused()).isTrue();
        assertThat(ci.getPauseRemaining()).isPositive();
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("P", "pz"));
        assertThat(sub.fetch(1, Duration.ofMillis(500))).isEmpty();
        assertThat(jsm.resumeConsumer("P", "pz")).isTrue();
        JsonNode r = JSON.readTree(pauses.nextMessage(TIMEOUT).getData());
        assertThat(r.get("paused").asBoolean()).isFalse();
        assertThat(r.get("pause_until").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(sub.fetch(2, TIMEOUT)).hasSize(2);
    }

    @Test
    void resetGoesBackToTheAckFloorOrASequence() throws Exception {
        stream("R", "r.>");
        publish("r.a", 5);
        jsm.addOrUpdateConsumer("R", ConsumerConfiguration.builder().durable("rs").ackPolicy(AckPolicy.Explicit)
                .build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("R", "rs"));
        List<Message> got = sub.fetch(4, TIMEOUT);
        got.get(0).ackSync(TIMEOUT);
        JsonNode reset = JSON.readTree(nc.request("$JS.API.CONSUMER.RESET.R.rs", new byte[0], TIMEOUT).getData());
        assertThat(reset.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.consumer_reset_response");
        assertThat(reset.get("reset_seq").asLong()).isEqualTo(2);
        assertThat(reset.get("num_ack_pending").asInt()).isZero();
        assertThat(sub.fetch(1, TIMEOUT).get(0).metaData().streamSequence()).isEqualTo(2);
        JsonNode to4 = JSON.readTree(nc.request("$JS.API.CONSUMER.RESET.R.rs", "{\"seq\":4}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT).getData());
        assertThat(to4.get("reset_seq").asLong()).isEqualTo(4);
        assertThat(sub.fetch(1, TIMEOUT).get(0).metaData().streamSequence()).isEqualTo(4);
        jsm.addOrUpdateConsumer("R", ConsumerConfiguration.builder().durable("nw").deliverPolicy(
                io.nats.client.api.DeliverPolicy.New).build());
        JsonNode refused = JSON.readTree(nc.request("$JS.API.CONSUMER.RESET.R.nw", "{\"seq\":1}"
                .getBytes(StandardCharsets.UTF_8), TIMEOUT).getData());
        assertThat(refused.get("error").get("err_code").asInt()).isEqualTo(10204);
        assertThat(refused.get("error").get("description").asText()).isEqualTo("invalid reset: not allowed");
    }

    @Test
    void pinnedClientPriorityGroup() throws Exception {
        stream("G", "g.>");
        publish("g.a", 3);
        Subscription pinned = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.PINNED.G.pin");
        Subscription unpinned = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.UNPINNED.G.pin");
        nc.flush(TIMEOUT);
        nc.request("$JS.API.CONSUMER.CREATE.G.pin", ("{\"stream_name\":\"G\",\"config\":{\"name\":\"pin\","
                + "\"durable_name\":\"pin\",\"ack_policy\":\"explicit\",\"priority_policy\":\"pinned_client\","
                + "\"priority_groups\":[\"A\"]}}").getBytes(StandardCharsets.UTF_8), TIMEOUT);
        Subscription inbox = nc.subscribe("pin.inbox");
        nc.flush(TIMEOUT);
        nc.publish("$JS.API.CONSUMER.MSG.NEXT.G.pin", "pin.inbox", "{\"batch\":1,\"group\":\"A\"}"
                .getBytes(StandardCharsets.UTF_8));
        Message m = inbox.nextMessage(TIMEOUT);
        String pinId = m.getHeaders().getFirst("Nats-Pin-Id");
        assertThat(pinId).isNotEmpty();
        JsonNode p = JSON.readTree(pinned.nextMessage(TIMEOUT).getData());
        assertThat(p.get("pinned_id").asText()).isEqualTo(pinId);
        assertThat(p.get("group").asText()).isEqualTo("A");
        nc.publish("$JS.API.CONSUMER.MSG.NEXT.G.pin", "pin.inbox", "{\"batch\":1,\"group\":\"A\",\"id\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8));
        Message wrong = inbox.nextMessage(TIMEOUT);
        assertThat(wrong.getStatus().getCode()).isEqualTo(423);
        assertThat(wrong.getStatus().getMessage()).isEqualTo("Nats-Pin-Id mismatch");
        nc.publish("$JS.API.CONSUMER.MSG.NEXT.G.pin", "pin.inbox", "{\"batch\":1,\"group\":\"B\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(inbox.nextMessage(TIMEOUT).getStatus().getMessage()).isEqualTo("Bad Request - Invalid Priority "
                + "Group");
        ConsumerInfo ci = jsm.getConsumerInfo("G", "pin");
        assertThat(ci.getPriorityGroupStates()).hasSize(1);
        assertThat(ci.getPriorityGroupStates().get(0).getPinnedClientId()).isEqualTo(pinId);
        assertThat(jsm.unpinConsumer("G", "pin", "A")).isTrue();
        assertThat(JSON.readTree(unpinned.nextMessage(TIMEOUT).getData()).get("reason").asText())
                .isEqualTo("admin");
        assertThatThrownBy(() -> jsm.unpinConsumer("G", "pin", "Z")).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10160));
    }

    @Test
    void createAdvisoryAndMaxConsumers() throws Exception {
        Subscription created = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.CREATED.M.*");
        nc.flush(TIMEOUT);
        jsm.addStream(StreamConfiguration.builder().name("M").subjects("m.>").maxConsumers(1)
                .storageType(StorageType.Memory).build());
        jsm.addOrUpdateConsumer("M", ConsumerConfiguration.builder().durable("one").build());
        JsonNode a = JSON.readTree(created.nextMessage(TIMEOUT).getData());
        assertThat(a.get("action").asText()).isEqualTo("create");
        assertThat(a.get("stream").asText()).isEqualTo("M");
        assertThat(a.get("consumer").asText()).isEqualTo("one");
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("M", ConsumerConfiguration.builder().durable("two")
                .build())).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10026));
        assertThat(jsm.getAccountStatistics().getConsumers()).isEqualTo(1);
    }

    @Test
    void keyValueWatchAndObjectStoreGetUseOrderedConsumers() throws Exception {
        KeyValue kv = nc.keyValue(nc.keyValueManagement().create(KeyValueConfiguration.builder().name("B")
                .storageType(StorageType.File).build()).getBucketName());
        kv.put("a", "1");
        kv.put("b", "2");
        List<KeyValueEntry> seen = new CopyOnWriteArrayList<>();
        List<Boolean> done = new CopyOnWriteArrayList<>();
        kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                seen.add(entry);
            }

            @Override
            public void endOfData() {
                done.add(true);
            }
        });
        Await.until(TIMEOUT, () -> !done.isEmpty());
        kv.put("a", "3");
        Await.until(TIMEOUT, () -> seen.size() == 3);
        assertThat(seen).extracting(KeyValueEntry::getValueAsString).containsExactly("1", "2", "3");
        assertThat(kv.keys()).containsExactlyInAnyOrder("a", "b");
        ObjectStore os = nc.objectStore(nc.objectStoreManagement().create(ObjectStoreConfiguration.builder("O")
                .storageType(StorageType.File).build()).getBucketName());
        byte[] data = new byte[300 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        os.put("blob", new ByteArrayInputStream(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        os.get("blob", out);
        assertThat(out.toByteArray()).isEqualTo(data);
    }
}
