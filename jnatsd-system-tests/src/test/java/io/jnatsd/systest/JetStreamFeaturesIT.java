package io.jnatsd.systest;

import io.jnatsd.config.JetStreamOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.Republish;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.SubjectTransform;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The advanced stream features: per-message TTL and subject delete markers, counters, atomic batches, message
 * schedules, republish, subject transforms, sealing, deny delete/purge, roll-ups, first_seq, discard new per subject,
 * the server-set metadata, and the ingest queue's 429.
 */
@SuppressWarnings("try")
class JetStreamFeaturesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private io.nats.client.Connection nc;
    private JetStreamManagement jsm;
    private JetStream js;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir(storeDir.toString()).maxBufferedMsgs(1).build()));
        nc = Nats.connect(server.url());
        jsm = nc.jetStreamManagement();
        js = nc.jetStream();
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private String request(String subject, Headers headers, String body) throws Exception {
        Message m = nc.request(NatsMessage.builder().subject(subject).headers(headers)
                .data(body.getBytes(StandardCharsets.UTF_8)).build(), TIMEOUT);
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    private static int apiCode(Throwable t) {
        return ((JetStreamApiException) t).getApiErrorCode();
    }

    @Test
    void perMessageTtlExpiresAndIsCheckedFirst() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("T").subjects("t.>").allowMessageTtl()
                .storageType(StorageType.Memory).build());
        assertThat(jsm.getStreamInfo("T").getConfiguration().getMetadata()).containsEntry("_nats.req.level", "1");
        assertThat(request("t.a", new Headers().put("Nats-TTL", "1s"), "x")).isEqualTo("{\"stream\":\"T\","
                + "\"seq\":1}");
        assertThat(request("t.b", new Headers().put("Nats-TTL", "500ms"), "x")).contains("\"err_code\":10165");
        assertThat(request("t.b", new Headers().put("Nats-TTL", "never"), "x")).contains("\"seq\":2");
        Await.until(TIMEOUT, "message 1 to expire", () -> messages("T") == 1);
        jsm.addStream(StreamConfiguration.builder().name("NOTTL").subjects("n").storageType(StorageType.Memory)
                .build());
        assertThat(request("n", new Headers().put("Nats-TTL", "5s"), "x")).contains("\"err_code\":10166",
                "per-message TTL is disabled");
    }

    private long messages(String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void subjectDeleteMarkerReplacesTheLastExpiredMessage() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("SDM").subjects("sdm.>").maxAge(Duration.ofMillis(500))
                .subjectDeleteMarkerTtl(Duration.ofSeconds(60)).storageType(StorageType.Memory).build());
        StreamConfiguration cfg = jsm.getStreamInfo("SDM").getConfiguration();
        assertThat(cfg.getAllowMessageTtl()).isTrue();
        assertThat(cfg.getAllowRollup()).isTrue();
        js.publish("sdm.k", "v".getBytes(StandardCharsets.UTF_8));
        Await.until(TIMEOUT, "a marker at seq 2", () -> {
            try {
                return jsm.getLastMessage("SDM", "sdm.k").getSeq() == 2;
            } catch (Exception e) {
                return false;
            }
        });
        MessageInfo marker = jsm.getLastMessage("SDM", "sdm.k");
        assertThat(marker.getHeaders().getFirst("Nats-Marker-Reason")).isEqualTo("MaxAge");
        assertThat(marker.getHeaders().getFirst("Nats-TTL")).isEqualTo("1m0s");
        assertThat(marker.getData()).isNullOrEmpty();
    }

    @Test
    void countersAddUp() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("C").subjects("c.>").allowMessageCounter()
                .storageType(StorageType.Memory).build());
        assertThat(jsm.getStreamInfo("C").getConfiguration().getMetadata()).containsEntry("_nats.req.level", "2");
        assertThat(request("c.x", new Headers().put("Nats-Incr", "5"), "")).isEqualTo(
                "{\"stream\":\"C\",\"seq\":1,\"val\":\"5\"}");
        assertThat(request("c.x", new Headers().put("Nats-Incr", "-2"), "")).isEqualTo(
                "{\"stream\":\"C\",\"seq\":2,\"val\":\"3\"}");
        assertThat(new String(jsm.getLastMessage("C", "c.x").getData(), StandardCharsets.UTF_8))
                .isEqualTo("{\"val\":\"3\"}");
        assertThat(request("c.x", new Headers(), "x")).contains("\"err_code\":10169");
        assertThat(request("c.x", new Headers().put("Nats-Incr", "1"), "body")).contains("\"err_code\":10170");
        assertThat(request("c.x", new Headers().put("Nats-Incr", "x"), "")).contains("\"err_code\":10171");
        assertThat(request("c.x", new Headers().put("Nats-Incr", "1").put("Nats-Expected-Last-Sequence", "2"), ""))
                .contains("\"err_code\":10171");
        jsm.addStream(StreamConfiguration.builder().name("NC").subjects("nc").storageType(StorageType.Memory)
                .build());
        assertThat(request("nc", new Headers().put("Nats-Incr", "1"), "")).contains("\"err_code\":10168");
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("BAD").subjects("bad")
                .allowMessageCounter().discardPolicy(DiscardPolicy.New).build())).satisfies(e -> assertThat(
                e.getMessage()).contains("counter stream cannot use discard new"));
    }

    @Test
    void atomicBatchesStoreAllOrNothing() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.>").allowAtomicPublish()
                .storageType(StorageType.Memory).build());
        assertThat(request("b.1", batch("x", 1, null), "one")).isEmpty();
        assertThat(request("b.2", batch("x", 2, null), "two")).isEmpty();
        assertThat(request("b.3", batch("x", 3, "1"), "three")).isEqualTo(
                "{\"stream\":\"B\",\"seq\":3,\"batch\":\"x\",\"count\":3}");
        assertThat(messages("B")).isEqualTo(3);
        assertThat(request("b.1", batch("y", 2, null), "gap")).contains("\"err_code\":10176");
        assertThat(request("b.1", batch("z", 1, null), "one")).isEmpty();
        assertThat(request("b.1", batch("z", 3, "1"), "gap")).contains("\"err_code\":10176");
        assertThat(request("b.1", batch("w", 1, "maybe"), "bad")).contains("\"err_code\":10200");
        assertThat(request("b.1", batch("v", 1, null).put("Nats-Msg-Id", "dup"), "1")).isEmpty();
        assertThat(request("b.2", batch("v", 2, "1").put("Nats-Msg-Id", "dup"), "2")).contains(
                "\"err_code\":10201");
        assertThat(request("b.1", batch("u", 1, null).put("Nats-Expected-Last-Msg-Id", "a"), "1")).isEmpty();
        assertThat(request("b.2", batch("u", 2, "eob"), "")).contains("\"err_code\":10177",
                "atomic publish unsupported header used: Nats-Expected-Last-Msg-Id");
        assertThat(messages("B")).isEqualTo(3);
        assertThat(request("b.1", batch("e", 1, null), "1")).isEmpty();
        assertThat(request("b.9", batch("e", 2, "eob"), "")).isEqualTo(
                "{\"stream\":\"B\",\"seq\":4,\"batch\":\"e\",\"count\":1}");
        assertThat(jsm.getMessage("B", 4).getHeaders().getFirst("Nats-Batch-Commit")).isEqualTo("1");
        jsm.addStream(StreamConfiguration.builder().name("NB").subjects("nb").storageType(StorageType.Memory)
                .build());
        assertThat(request("nb", batch("a", 1, "1"), "x")).contains("\"err_code\":10174");
    }

    private static Headers batch(String id, int seq, String commit) {
        Headers h = new Headers().put("Nats-Batch-Id", id).put("Nats-Batch-Sequence", Integer.toString(seq));
        return commit == null ? h : h.put("Nats-Batch-Commit", commit);
    }

    @Test
    void schedulesFireOnTheirTarget() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("SCH").subjects("sch.>").allowMessageSchedules()
                .storageType(StorageType.Memory).build());
        String at = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(request("sch.schedules.a", new Headers().put("Nats-Schedule", "@at " + at)
                .put("Nats-Schedule-Target", "sch.out"), "payload")).contains("\"seq\":1");
        Await.until(TIMEOUT, "the scheduled message", () -> {
            try {
                return jsm.getLastMessage("SCH", "sch.out") != null;
            } catch (Exception e) {
                return false;
            }
        });
        MessageInfo fired = jsm.getLastMessage("SCH", "sch.out");
        assertThat(new String(fired.getData(), StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(fired.getHeaders().getFirst("Nats-Scheduler")).isEqualTo("sch.schedules.a");
        assertThat(fired.getHeaders().getFirst("Nats-Schedule-Next")).isEqualTo("purge");
        assertThat(request("sch.bad", new Headers().put("Nats-Schedule", "@every 1x")
                .put("Nats-Schedule-Target", "sch.out"), "")).contains("\"err_code\":10189");
        assertThat(request("sch.bad", new Headers().put("Nats-Schedule", "@every 1s")
                .put("Nats-Schedule-Target", "nowhere"), "")).contains("\"err_code\":10190");
        assertThat(request("sch.bad", new Headers().put("Nats-Schedule", "0 0 * * * *")
                .put("Nats-Schedule-Time-Zone", "Mars/Base").put("Nats-Schedule-Target", "sch.out"), ""))
                .contains("\"err_code\":10223");
    }

    @Test
    void republishAndTransform() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("RP").subjects("in.>")
                .subjectTransform(SubjectTransform.builder().source("in.>").destination("stored.>").build())
                .republish(Republish.builder().source(">").destination("out.>").build())
                .storageType(StorageType.Memory).build());
        Subscription sub = nc.subscribe("out.>");
        nc.flush(TIMEOUT);
        js.publish("in.x", "hello".getBytes(StandardCharsets.UTF_8));
        Message m = sub.nextMessage(TIMEOUT);
        assertThat(m.getSubject()).isEqualTo("out.stored.x");
        assertThat(m.getHeaders().getFirst("Nats-Stream")).isEqualTo("RP");
        assertThat(m.getHeaders().getFirst("Nats-Subject")).isEqualTo("stored.x");
        assertThat(m.getHeaders().getFirst("Nats-Sequence")).isEqualTo("1");
        assertThat(m.getHeaders().getFirst("Nats-Last-Sequence")).isEqualTo("0");
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(jsm.getMessage("RP", 1).getSubject()).isEqualTo("stored.x");
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("CYC").subjects("cyc.>")
                .republish(Republish.builder().source(">").destination("cyc.x").build()).build()))
                .satisfies(e -> assertThat(e.getMessage()).contains("republish destination forms a cycle"));
    }

    @Test
    void sealedDenyAndRollups() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("R").subjects("r.>").allowRollup(true)
                .storageType(StorageType.Memory).build());
        js.publish("r.a", new byte[1]);
        js.publish("r.a", new byte[1]);
        js.publish("r.b", new byte[1]);
        assertThat(request("r.a", new Headers().put("Nats-Rollup", "sub"), "")).contains("\"seq\":4");
        assertThat(messages("R")).isEqualTo(2);
        assertThat(request("r.c", new Headers().put("Nats-Rollup", "all"), "")).contains("\"seq\":5");
        assertThat(messages("R")).isEqualTo(1);
        assertThat(request("r.c", new Headers().put("Nats-Rollup", "some"), "")).contains("\"err_code\":10111",
                "rollup value invalid: \\\"some\\\"");
        jsm.addStream(StreamConfiguration.builder().name("DENY").subjects("deny").denyDelete(true).denyPurge(true)
                .storageType(StorageType.Memory).build());
        js.publish("deny", new byte[1]);
        assertThat(request("deny", new Headers().put("Nats-Rollup", "sub"), "")).contains("\"err_code\":10111",
                "rollup not permitted");
        assertThatThrownBy(() -> jsm.deleteMessage("DENY", 1)).satisfies(e -> assertThat(apiCode(e))
                .isEqualTo(10057));
        assertThatThrownBy(() -> jsm.purgeStream("DENY")).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10110));
        jsm.updateStream(StreamConfiguration.builder(jsm.getStreamInfo("R").getConfiguration()).seal().build());
        assertThat(request("r.a", new Headers(), "x")).contains("\"err_code\":10109");
        assertThatThrownBy(() -> jsm.purgeStream("R")).satisfies(e -> assertThat(apiCode(e)).isEqualTo(10109));
        String unseal = request("$JS.API.STREAM.UPDATE.R", new Headers(), "{\"name\":\"R\",\"subjects\":"
                + "[\"r.>\"],\"storage\":\"memory\"}");
        assertThat(unseal).contains("can not unseal a sealed stream");
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("SEALED").seal().build()))
                .satisfies(e -> assertThat(e.getMessage()).contains("can not be sealed"));
    }

    @Test
    void firstSeqAndDiscardNewPerSubject() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("F").subjects("f.>").firstSequence(100)
                .maxMessagesPerSubject(1).discardPolicy(DiscardPolicy.New).discardNewPerSubject(true)
                .storageType(StorageType.Memory).build());
        assertThat(js.publish("f.a", new byte[1]).getSeqno()).isEqualTo(100);
        assertThatThrownBy(() -> js.publish("f.a", new byte[1])).satisfies(e -> assertThat(e.getMessage())
                .contains("maximum messages per subject exceeded"));
        assertThat(js.publish("f.b", new byte[1]).getSeqno()).isEqualTo(101);
    }

    /** jnats reads the 429 as a status message; the header and JSON body (10167) are checked by JetStreamRawIT. */
    @Test
    void fullIngestQueueAnswersTooManyRequests() throws Exception {
        // a stream that queues every publish, as nats-server does (an idle jnatsd stream stores on the publisher's
        // thread, and one publisher's burst never fills its queue)
        System.setProperty(io.jnatsd.server.jetstream.Stream.INLINE_PROPERTY, "false");
        try {
            jsm.addStream(StreamConfiguration.builder().name("Q").subjects("q").build());
        } finally {
            System.clearProperty(io.jnatsd.server.jetstream.Stream.INLINE_PROPERTY);
        }
        String inbox = nc.createInbox();
        Subscription sub = nc.subscribe(inbox);
        for (int i = 0; i < 2000; i++) {
            nc.publish("q", inbox, new byte[128]);
        }
        boolean sawOverflow = false;
        for (int i = 0; i < 2000; i++) {
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            if (m.isStatusMessage()) {
                assertThat(m.getStatus().getCode()).isEqualTo(429);
                assertThat(m.getStatus().getMessage()).isEqualTo("Too Many Requests");
                sawOverflow = true;
            }
        }
        assertThat(sawOverflow).isTrue();
    }
}
