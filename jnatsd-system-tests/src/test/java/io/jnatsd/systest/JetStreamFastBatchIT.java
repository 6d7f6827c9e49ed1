package io.jnatsd.systest;

import io.jnatsd.config.JetStreamOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.Mirror;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fast batch publish ({@code allow_batched}) on the wire: messages published with a crafted
 * {@code <inbox>.<id>.<flow>.<gap>.<seq>.<op>.$FI} reply subject, and the exact bytes of the flow messages, errors and
 * PubAcks the stream sends back on it. Ported from nats-server's {@code server/jetstream_batching_test.go}
 * ({@code TestJetStreamFastBatch*}, standalone cases), plus restart, bad input and the service import path.
 */
class JetStreamFastBatchIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String START = "0";

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private Connection nc;
    private JetStreamManagement jsm;
    private String inbox;
    private Subscription sub;

    private void start(UnaryOperator<JetStreamOptions.Builder> js) throws Exception {
        server = EmbeddedServer.start(b -> b.jetStream(js.apply(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir(storeDir.toString())).build()));
        connect();
    }

    private void start() throws Exception {
        start(b -> b);
    }

    private void connect() throws Exception {
        nc = Nats.connect(server.url());
        jsm = nc.jetStreamManagement();
        inbox = nc.createInbox();
        sub = nc.subscribe(inbox + ".>");
        nc.flush(TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        if (nc != null) {
            nc.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** nats-server's {@code generateFastBatchReply}. */
    private String fi(String id, long seq, int flow, String gap, int op) {
        return inbox + "." + id + "." + flow + "." + gap + "." + Long.toUnsignedString(seq) + "." + op + ".$FI";
    }

    private void publish(String subject, String reply, Headers headers, String data) {
        nc.publish(NatsMessage.builder().subject(subject).replyTo(reply).headers(headers)
                .data(data.getBytes(StandardCharsets.UTF_8)).build());
    }

    private void publish(String subject, String reply) {
        publish(subject, reply, null, "");
    }

    /** The next message on the inbox: its payload. */
    private String next() throws InterruptedException {
        Message m = sub.nextMessage(TIMEOUT);
        assertThat(m).as("a message on the inbox").isNotNull();
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    /** The next message on the inbox, with the subject it came on. */
    private Message nextMessage() throws InterruptedException {
        Message m = sub.nextMessage(TIMEOUT);
        assertThat(m).as("a message on the inbox").isNotNull();
        return m;
    }

    private static String ack(long seq, int msgs) {
        return "{\"type\":\"ack\",\"seq\":" + Long.toUnsignedString(seq) + ",\"msgs\":" + msgs + "}";
    }

    private static String gap(long expected, long current) {
        return "{\"type\":\"gap\",\"last_seq\":" + Long.toUnsignedString(expected) + ",\"seq\":"
                + Long.toUnsignedString(current) + "}";
    }

    private static String pubAck(String stream, long seq, String batch, long count) {
        return "{\"stream\":\"" + stream + "\",\"seq\":" + seq + ",\"batch\":\"" + batch + "\",\"count\":"
                + Long.toUnsignedString(count) + "}";
    }

    private static String error(String stream, int code, int errCode, String description) {
        return "{\"error\":{\"code\":" + code + ",\"err_code\":" + errCode + ",\"description\":\"" + description
                + "\"},\"stream\":\"" + stream + "\",\"seq\":0}";
    }

    private static String flowError(long seq, int code, int errCode, String description) {
        return "{\"type\":\"err\",\"seq\":" + seq + ",\"error\":{\"code\":" + code + ",\"err_code\":" + errCode
                + ",\"description\":\"" + description + "\"}}";
    }

    private static final String DISABLED = "400,10205,batch publish is disabled";
    private static final String INVALID_PATTERN = "400,10206,batch publish pattern is invalid";
    private static final String INVALID_ID = "400,10207,batch publish ID is invalid";
    private static final String UNKNOWN_ID = "400,10208,batch publish ID unknown";
    private static final String TOO_MANY = "429,10211,batch publish too many inflight";

    private static String error(String stream, String spec) {
        String[] p = spec.split(",", 3);
        return error(stream, Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2]);
    }

    private void addStream(String name, String subject, StorageType storage, boolean batched) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject).storageType(storage)
                .allowBatched(batched).build());
    }

    /** Publishes an empty message from a raw connection with {@code reply}, and returns the answer's payload. */
    private String rawAnswer(String subject, String reply) {
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false}\r\nSUB " + reply + " 1\r\nPUB " + subject + " " + reply
                    + " 0\r\n\r\n");
            String line = raw.readLine();
            assertThat(line).startsWith("MSG " + reply + " 1 ");
            int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            return new String(raw.readBytes(size + 2), 0, size, StandardCharsets.UTF_8);
        }
    }

    private String raw(String subject, String body) throws Exception {
        Message m = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    // ---- TestJetStreamFastBatchPublish ------------------------------------------------------------------------------

    static Stream<Arguments> storageAndRetention() {
        return Stream.of(StorageType.File, StorageType.Memory).flatMap(s -> Stream.of(RetentionPolicy.Limits,
                RetentionPolicy.Interest, RetentionPolicy.WorkQueue).map(r -> Arguments.of(s, r)));
    }

    @ParameterizedTest
    @MethodSource("storageAndRetention")
    void fastBatchPublish(StorageType storage, RetentionPolicy retention) throws Exception {
        start();
        StreamConfiguration.Builder cfg = StreamConfiguration.builder().name("TEST").subjects("foo.*")
                .storageType(storage).retentionPolicy(retention);
        jsm.addStream(cfg.build());

        publish("foo.0", fi("uuid", 0, 0, "fail", 0), null, "foo.0");
        assertThat(next()).isEqualTo(error("TEST", DISABLED));

        jsm.updateStream(cfg.allowBatched(true).build());
        publish("foo.0", fi("uuid", 0, 0, "fail", 0), null, "foo.0");
        assertThat(next()).isEqualTo(error("TEST", INVALID_PATTERN));
        // a batch that commits at once through EOB is invalid
        publish("foo.0", fi("uuid", 1, 0, "fail", 3), null, "foo.0");
        assertThat(next()).isEqualTo(error("TEST", INVALID_PATTERN));
        publish("foo.0", fi("A".repeat(65), 1, 0, "fail", 0), null, "foo.0");
        assertThat(next()).isEqualTo(error("TEST", INVALID_ID));
        publish("foo.0", fi("uuid", 2, 0, "fail", 1), null, "foo.0");
        assertThat(next()).isEqualTo(error("TEST", UNKNOWN_ID));

        // a "batch" committing at once gets its PubAck without a flow message first
        publish("foo.0", fi("uuid", 1, 0, "fail", 2), null, "foo.0");
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", 1));

        for (int seq = 1; seq <= 5; seq++) {
            String subject = "foo." + seq;
            int op = seq == 5 ? 2 : seq == 1 ? 0 : 1;
            publish(subject, fi("uuid", seq, 0, "fail", op), null, subject);
            if (seq == 1) {
                assertThat(next()).isEqualTo(ack(0, 10));
            }
        }
        assertThat(next()).isEqualTo(pubAck("TEST", 6, "uuid", 5));
        if (retention != RetentionPolicy.Interest) {
            for (int i = 0; i < 6; i++) {
                MessageInfo mi = jsm.getMessage("TEST", i + 1);
                assertThat(mi.getSubject()).isEqualTo("foo." + i);
                assertThat(new String(mi.getData(), StandardCharsets.UTF_8)).isEqualTo("foo." + i);
                assertThat(mi.getHeaders()).isNull();
            }
        } else {
            assertThat(jsm.getStreamInfo("TEST").getStreamState().getLastSequence()).isEqualTo(6);
        }
    }

    // ---- TestJetStreamFastBatchPublishGapDetection --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"fail", "ok", "unknown"})
    void fastBatchPublishGapDetection(String gapMode) throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, gapMode, 0));
        if (gapMode.equals("unknown")) {
            assertThat(next()).isEqualTo(error("TEST", INVALID_PATTERN));
            return;
        }
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("uuid", 3, 0, gapMode, 1));
        assertThat(next()).isEqualTo(gap(2, 3));
        if (gapMode.equals("fail")) {
            assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", 1));
        } else {
            publish("foo", fi("uuid", 4, 0, gapMode, 3));
            assertThat(next()).isEqualTo(pubAck("TEST", 2, "uuid", 3));
        }
        assertThat(jsm.getStreamInfo("TEST").getStreamState().getMsgCount()).isEqualTo(gapMode.equals("ok") ? 2 : 1);
    }

    // ---- TestJetStreamFastBatchPublishMaxUint64SequenceRejected -------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void fastBatchPublishMaxUint64SequenceRejected(int commitOp) throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 1, "ok", 0));
        assertThat(next()).isEqualTo(ack(0, 1));
        assertThat(next()).isEqualTo(ack(1, 1));
        long maxMinusOne = Long.parseUnsignedLong("18446744073709551614");
        publish("foo", fi("uuid", maxMinusOne, 1, "ok", 1));
        assertThat(next()).isEqualTo(gap(2, maxMinusOne));
        assertThat(next()).isEqualTo(ack(maxMinusOne, 1));
        publish("foo", fi("uuid", -1L, 1, "ok", commitOp));
        assertThat(next()).isEqualTo(error("TEST", INVALID_PATTERN));
        // the batch is still there: a ping repeats the last acknowledgement
        publish("foo", fi("uuid", maxMinusOne, 1, "ok", 4));
        assertThat(next()).isEqualTo(ack(maxMinusOne, 1));
    }

    // ---- TestJetStreamFastBatchPublishFlowControl, TestJetStreamFastBatchInitAckMessages ------------------------

    @Test
    void fastBatchPublishFlowControl() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        for (int seq = 1; seq <= 5; seq++) {
            publish("foo", fi("uuid", seq, 2, "fail", seq == 5 ? 2 : seq == 1 ? 0 : 1));
            if (seq == 1 || seq % 2 == 0) {
                assertThat(next()).isEqualTo(ack(seq == 1 ? 0 : seq, 2));
            }
        }
        assertThat(next()).isEqualTo(pubAck("TEST", 5, "uuid", 5));
    }

    @Test
    void shouldStartAConcurrentBatchAtOneAndRampItUp() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.Memory, true);
        // alone on the stream: the client's flow, capped at 500
        publish("foo", fi("b1", 1, 1000, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 500));
        // a second batch starts at 1, and doubles toward 500 / 2 batches
        publish("foo", fi("b2", 1, 1000, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 1));
        assertThat(next()).isEqualTo(ack(1, 2));
        for (int seq = 2; seq <= 16; seq++) {
            publish("foo", fi("b2", seq, 1000, "fail", 1));
        }
        publish("foo", fi("b2", 16, 1000, "fail", 4));
        assertThat(next()).isEqualTo(ack(3, 4));
        assertThat(next()).isEqualTo(ack(7, 8));
        assertThat(next()).isEqualTo(ack(15, 16));
        assertThat(next()).as("the ping").isEqualTo(ack(15, 16));
        publish("foo", fi("b1", 2, 1000, "fail", 3));
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "b1", 1));
        publish("foo", fi("b2", 17, 1000, "fail", 3));
        assertThat(next()).isEqualTo(pubAck("TEST", 17, "b2", 16));
        // alone again, a client asking for less than 500 keeps its flow
        publish("foo", fi("b3", 1, 50, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 50));
    }

    // ---- TestJetStreamFastBatchPublishSourceAndMirror (configuration) ------------------------------------------

    @Test
    void mirrorRefusesBatchPublish() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("M").mirror(
                Mirror.builder().name("TEST").build()).allowBatched(true).build()))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                    assertThat(e.getApiErrorCode()).isEqualTo(10209);
                    assertThat(e.getErrorDescription()).isEqualTo("stream mirrors can not also use batch publishing");
                });
    }

    // ---- TestJetStreamFastBatchPublishDuplicates* ---------------------------------------------------------------

    @Test
    void fastBatchPublishDuplicates() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        Headers id = new Headers().put("Nats-Msg-Id", "msgId");
        assertThat(raw("foo", "")).isEqualTo("{\"stream\":\"TEST\",\"seq\":1}");
        publish("foo", null, id, "x");
        nc.flush(TIMEOUT);
        Await.until(TIMEOUT, "the message with an id", () -> lastSeq("TEST") == 2);
        // a "batch" committing at once with a duplicate is answered as the single publish would be
        publish("foo", fi("uuid", 1, 0, "fail", 2), id, "");
        assertThat(next()).isEqualTo("{\"stream\":\"TEST\",\"seq\":2,\"duplicate\": true,\"batch\":\"uuid\","
                + "\"count\":1}");
        // a batch of duplicates only: one flow acknowledgement at the flow, and a PubAck with no stream sequence
        for (int seq = 1; seq <= 5; seq++) {
            publish("foo", fi("uuid", seq, 3, "fail", seq == 5 ? 2 : seq == 1 ? 0 : 1), id, "");
            if (seq == 1) {
                assertThat(next()).isEqualTo(ack(0, 3));
            }
            if (seq % 3 == 0) {
                assertThat(next()).isEqualTo(ack(3, 3));
            }
        }
        assertThat(next()).isEqualTo(pubAck("TEST", 0, "uuid", 5));
        assertThat(lastSeq("TEST")).isEqualTo(2);
    }

    private long lastSeq(String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fastBatchPublishDuplicatesEobCommit() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        Headers id = new Headers().put("Nats-Msg-Id", "msgId");
        publish("foo", fi("uuid", 1, 0, "fail", 0), id, "");
        publish("foo", fi("uuid", 2, 0, "fail", 1), id, "");
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("uuid", 3, 0, "fail", 3), id, "");
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", 2));
    }

    @Test
    void fastBatchSequentialDuplicateAndErrorPubAck() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        Message first = nc.request(NatsMessage.builder().subject("foo").headers(new Headers().put("Nats-Msg-Id",
                "msgId")).build(), TIMEOUT);
        assertThat(new String(first.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"stream\":\"TEST\",\"seq\":1}");
        publish("foo", fi("uuid", 1, 2, "fail", 0), new Headers().put("Nats-Msg-Id", "msgId"), "");
        assertThat(next()).isEqualTo(ack(0, 2));
        publish("foo", fi("uuid", 2, 2, "fail", 1), new Headers().put("Nats-Expected-Last-Sequence", "100"), "");
        assertThat(next()).isEqualTo(flowError(2, 400, 10071, "wrong last sequence: 1"));
        // only a duplicate was accepted: the count is 1, with no stream sequence
        assertThat(next()).isEqualTo(pubAck("TEST", 0, "uuid", 1));
    }

    // ---- TestJetStreamFastBatchPublishHeaderCheckError* ---------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"fail", "ok"})
    void fastBatchPublishHeaderCheckError(String gapMode) throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, gapMode, 0));
        publish("foo", fi("uuid", 2, 0, gapMode, 1), new Headers().put("Nats-Expected-Last-Sequence", "100"), "");
        assertThat(next()).isEqualTo(ack(0, 10));
        assertThat(next()).isEqualTo(flowError(2, 400, 10071, "wrong last sequence: 1"));
        if (gapMode.equals("ok")) {
            publish("foo", fi("uuid", 3, 0, gapMode, 3));
        }
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", gapMode.equals("ok") ? 2 : 1));
    }

    static Stream<Arguments> commitErrors() {
        return Stream.of(Arguments.of("fail", false), Arguments.of("ok", false), Arguments.of("ok", true));
    }

    @ParameterizedTest
    @MethodSource("commitErrors")
    void fastBatchPublishHeaderCheckErrorOnCommit(String gapMode, boolean gap) throws Exception {
        start(b -> b.limits(new JetStreamOptions.Limits(0, 0, 0, null, 1, 0, 0, null)));
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, gapMode, 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        int commitSeq = gap ? 3 : 2;
        publish("foo", fi("uuid", commitSeq, 0, gapMode, 2), new Headers().put("Nats-Expected-Last-Sequence",
                "100"), "");
        if (gap) {
            assertThat(next()).isEqualTo(gap(2, 3));
        }
        assertThat(next()).isEqualTo(flowError(commitSeq, 400, 10071, "wrong last sequence: 1"));
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", commitSeq - 1));
        // the batch is gone and its place free: with one batch allowed per stream, another one starts
        publish("foo", fi("other", 1, 0, gapMode, 2));
        assertThat(next()).isEqualTo(pubAck("TEST", 2, "other", 1));
    }

    // ---- TestJetStreamFastBatchPublishPing ----------------------------------------------------------------------

    @Test
    void fastBatchPublishPing() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 2, "ok", 0));
        assertThat(next()).isEqualTo(ack(0, 2));
        publish("foo", fi("uuid", 2, 2, "ok", 1));
        assertThat(next()).isEqualTo(ack(2, 2));
        // a ping repeats the last flow acknowledgement
        publish("foo", fi("uuid", 2, 2, "ok", 4));
        assertThat(next()).isEqualTo(ack(2, 2));
        // a ping ahead of the last message reports the gap first
        publish("foo", fi("uuid", 3, 2, "ok", 4));
        assertThat(next()).isEqualTo(gap(3, 4));
        assertThat(next()).isEqualTo(ack(2, 2));
        publish("foo", fi("uuid", 4, 2, "ok", 1));
        assertThat(next()).isEqualTo(ack(4, 2));
        publish("foo", fi("uuid", 100, 2, "ok", 4));
        assertThat(next()).isEqualTo(gap(5, 101));
        assertThat(next()).isEqualTo(ack(100, 2));
        publish("foo", fi("uuid", 101, 2, "ok", 3));
        assertThat(next()).isEqualTo(pubAck("TEST", 3, "uuid", 100));
    }

    @Test
    void shouldEndAGapFailBatchOnAPingAhead() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("uuid", 3, 0, "fail", 4));
        assertThat(next()).isEqualTo(gap(2, 4));
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", 1));
        publish("foo", fi("uuid", 2, 0, "fail", 1));
        assertThat(next()).isEqualTo(error("TEST", UNKNOWN_ID));
    }

    // ---- TestJetStreamFastBatchPublishGapOkBackwardSeq ----------------------------------------------------------

    @Test
    void fastBatchPublishGapOkBackwardSeq() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, "ok", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("uuid", 5, 0, "ok", 1));
        assertThat(next()).isEqualTo(gap(2, 5));
        // a backward sequence ends the batch, without a gap message
        publish("foo", fi("uuid", 3, 0, "ok", 1));
        assertThat(next()).isEqualTo(pubAck("TEST", 2, "uuid", 5));
        publish("foo", fi("uuid", 6, 0, "ok", 4));
        assertThat(next()).as("nothing between the PubAck and this").isEqualTo(error("TEST", UNKNOWN_ID));
    }

    @Test
    void shouldEndABatchWhoseStartComesAgain() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("uuid", 1, 0, "ok", 0), null, "first");
        assertThat(next()).isEqualTo(ack(0, 10));
        // a second start of the same batch goes backwards: the batch ends with what it stored, the message is dropped
        publish("foo", fi("uuid", 1, 0, "ok", 0), null, "again");
        assertThat(next()).isEqualTo(pubAck("TEST", 1, "uuid", 1));
        assertThat(lastSeq("TEST")).isEqualTo(1);
        // then the id is free for a new batch
        publish("foo", fi("uuid", 1, 0, "ok", 2), null, "new");
        assertThat(next()).isEqualTo(pubAck("TEST", 2, "uuid", 1));
    }

    // ---- TestJetStreamFastBatchPublishAccImportExport ----------------------------------------------------------

    @Test
    void fastBatchPublishAccImportExport() throws Exception {
        server = EmbeddedServer.startWithConfig("jetstream { store_dir: \"" + storeDir + "\" }\n"
                + "accounts {\n"
                + "  A { jetstream: enabled, users: [{user: a, password: a}], exports: [{service: \"foo\"}] }\n"
                + "  B { users: [{user: b, password: b}], imports: [{service: {subject: \"foo\", account: A}}] }\n"
                + "}\n");
        try (Connection a = Nats.connect(io.nats.client.Options.builder().server(server.url())
                .userInfo("a", "a").build())) {
            a.jetStreamManagement().addStream(StreamConfiguration.builder().name("TEST").subjects("foo")
                    .storageType(StorageType.File).allowBatched().build());
        }
        for (String user : new String[] {"a", "b"}) {
            try (Connection c = Nats.connect(io.nats.client.Options.builder().server(server.url())
                    .userInfo(user, user).build())) {
                String in = c.createInbox();
                Subscription s = c.subscribe(in + ".>");
                c.flush(TIMEOUT);
                String reply = in + ".uuid.0.fail.1.2.$FI";
                c.publish("foo", reply, new byte[0]);
                Message m = s.nextMessage(TIMEOUT);
                assertThat(m).as("the PubAck for " + user).isNotNull();
                assertThat(m.getSubject()).isEqualTo(reply);
                assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo(
                        pubAck("TEST", user.equals("a") ? 1 : 2, "uuid", 1));
            }
        }
    }

    // ---- TestJetStreamFastBatchPublishLimits --------------------------------------------------------------------

    @Test
    void fastBatchPublishLimits() throws Exception {
        start(b -> b.limits(new JetStreamOptions.Limits(0, 0, 0, null, 1, 1, 0, Duration.ofSeconds(3))));
        addStream("FOO", "foo", StorageType.File, true);
        addStream("BAR", "bar", StorageType.File, true);
        publish("foo", fi("A".repeat(64), 1, 0, "fail", 2));
        assertThat(next()).isEqualTo(pubAck("FOO", 1, "A".repeat(64), 1));
        publish("foo", fi("A".repeat(65), 1, 0, "fail", 2));
        assertThat(next()).isEqualTo(error("FOO", INVALID_ID));
        // the id's length is counted in bytes (jnats refuses such a reply subject: sent raw, as UTF-8)
        String utf8Id = new String("é".repeat(33).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(rawAnswer("foo", "raw." + utf8Id + ".0.fail.1.2.$FI")).isEqualTo(error("FOO", INVALID_ID));
        assertThat(rawAnswer("foo", "raw." + utf8Id.substring(2) + ".0.fail.1.2.$FI"))
                .isEqualTo(pubAck("FOO", 2, new String(utf8Id.substring(2).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8), 1));

        publish("foo", fi("uuid", 1, 0, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("exceeds_threshold", 1, 0, "fail", 2));
        assertThat(next()).isEqualTo(error("FOO", TOO_MANY));
        publish("bar", fi("bar", 1, 0, "fail", 2));
        assertThat(next()).isEqualTo(error("BAR", TOO_MANY));

        // the first batch times out after 3 s without a message; then the server-wide place is free again
        Await.until(TIMEOUT, "the batch to time out", () -> {
            publish("bar", fi("probe", 1, 0, "fail", 2));
            try {
                return next().equals(pubAck("BAR", lastSeq("BAR"), "probe", 1));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        publish("foo", fi("uuid", 2, 0, "fail", 2));
        assertThat(next()).isEqualTo(error("FOO", UNKNOWN_ID));
    }

    // ---- jnatsd's own --------------------------------------------------------------------------------------------

    @Test
    void shouldShowAllowBatchedAndRequireApiLevelFour() throws Exception {
        start();
        String created = raw("$JS.API.STREAM.CREATE.TEST", "{\"name\":\"TEST\",\"subjects\":[\"foo\"],"
                + "\"allow_batched\":true}");
        assertThat(created).contains("\"allow_batched\":true", "\"_nats.req.level\":\"4\"").doesNotContain("error");
        assertThat(jsm.getStreamInfo("TEST").getConfiguration().getAllowBatched()).isTrue();
        // an inflight batch is dropped when the stream stops allowing batches
        publish("foo", fi("uuid", 1, 0, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        String updated = raw("$JS.API.STREAM.UPDATE.TEST", "{\"name\":\"TEST\",\"subjects\":[\"foo\"]}");
        assertThat(updated).doesNotContain("allow_batched", "error").contains("\"_nats.req.level\":\"0\"");
        publish("foo", fi("uuid", 2, 0, "fail", 1));
        assertThat(next()).isEqualTo(error("TEST", DISABLED));
        raw("$JS.API.STREAM.UPDATE.TEST", "{\"name\":\"TEST\",\"subjects\":[\"foo\"],\"allow_batched\":true}");
        publish("foo", fi("uuid", 2, 0, "fail", 1));
        assertThat(next()).isEqualTo(error("TEST", UNKNOWN_ID));
    }

    @Test
    void shouldKeepCommittedBatchesAcrossARestartAndForgetOpenOnes() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        for (int seq = 1; seq <= 3; seq++) {
            publish("foo", fi("done", seq, 0, "fail", seq == 3 ? 2 : seq == 1 ? 0 : 1), null, "m" + seq);
        }
        assertThat(next()).isEqualTo(ack(0, 10));
        assertThat(next()).isEqualTo(pubAck("TEST", 3, "done", 3));
        publish("foo", fi("open", 1, 0, "fail", 0), null, "m4");
        assertThat(next()).isEqualTo(ack(0, 10));
        nc.close();
        server.close();

        start();
        assertThat(lastSeq("TEST")).isEqualTo(4);
        for (int seq = 1; seq <= 4; seq++) {
            assertThat(new String(jsm.getMessage("TEST", seq).getData(), StandardCharsets.UTF_8)).isEqualTo("m" + seq);
        }
        publish("foo", fi("open", 2, 0, "fail", 2));
        assertThat(next()).isEqualTo(error("TEST", UNKNOWN_ID));
    }

    @Test
    void shouldRefuseTheBatchOnARequiredApiLevelAboveOurs() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.Memory, true);
        publish("foo", fi("uuid", 1, 0, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        publish("foo", fi("uuid", 2, 0, "fail", 1), new Headers().put("Nats-Required-Api-Level", "99"), "");
        assertThat(next()).isEqualTo(error("TEST", 412, 10185, "JetStream minimum api level required"));
        publish("foo", fi("uuid", 3, 0, "fail", 1));
        assertThat(next()).isEqualTo(error("TEST", UNKNOWN_ID));
        // a level we have is accepted and the header not stored
        publish("foo", fi("lvl", 1, 0, "fail", 2), new Headers().put("Nats-Required-Api-Level", "4"), "");
        assertThat(next()).isEqualTo(pubAck("TEST", 2, "lvl", 1));
        Headers stored = jsm.getMessage("TEST", 2).getHeaders();
        assertThat(stored == null ? null : stored.get("Nats-Required-Api-Level")).isNull();
    }

    @Test
    void shouldReportAFullDiscardNewStreamAsAFlowError() throws Exception {
        start();
        jsm.addStream(StreamConfiguration.builder().name("TEST").subjects("foo").storageType(StorageType.Memory)
                .maxMessages(2).discardPolicy(DiscardPolicy.New).allowBatched().build());
        for (int seq = 1; seq <= 3; seq++) {
            publish("foo", fi("uuid", seq, 0, "ok", seq == 1 ? 0 : 1));
        }
        assertThat(next()).isEqualTo(ack(0, 10));
        assertThat(next()).isEqualTo(flowError(3, 503, 10077, "maximum messages exceeded"));
        publish("foo", fi("uuid", 4, 0, "ok", 3));
        assertThat(next()).isEqualTo(pubAck("TEST", 2, "uuid", 3));
    }

    @Test
    void shouldSendFlowMessagesButNoErrorsOnANoAckStream() throws Exception {
        start();
        jsm.addStream(StreamConfiguration.builder().name("TEST").subjects("foo").storageType(StorageType.Memory)
                .noAck(true).allowBatched().build());
        publish("foo", fi("uuid", 2, 0, "fail", 1));     // unknown batch: the error PubAck is not sent
        publish("foo", fi("uuid", 1, 2, "fail", 0));     // no first flow message either
        publish("foo", fi("uuid", 2, 2, "fail", 1));
        assertThat(next()).isEqualTo(ack(2, 2));
        publish("foo", fi("uuid", 3, 2, "fail", 2));
        assertThat(next()).isEqualTo(pubAck("TEST", 3, "uuid", 3));
    }

    @Test
    void shouldAnswerOnTheReplySubjectOfEachMessage() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.Memory, true);
        publish("foo", fi("uuid", 1, 1, "fail", 0));
        Message first = nextMessage();
        assertThat(first.getSubject()).isEqualTo(fi("uuid", 1, 1, "fail", 0));
        assertThat(new String(first.getData(), StandardCharsets.UTF_8)).isEqualTo(ack(0, 1));
        assertThat(nextMessage().getSubject()).isEqualTo(fi("uuid", 1, 1, "fail", 0));
        publish("foo", fi("uuid", 2, 1, "fail", 2));
        Message done = nextMessage();
        assertThat(done.getSubject()).isEqualTo(fi("uuid", 2, 1, "fail", 2));
        assertThat(new String(done.getData(), StandardCharsets.UTF_8)).isEqualTo(pubAck("TEST", 2, "uuid", 2));
    }

    static Stream<String> badReplies() {
        return Stream.of("x.$FI", "in.x.0.fail.1.5.$FI", "in.x.0.fail.1.-1.$FI",
                "in.x.0.fail.99999999999999999999.1.$FI", "in.x.0.fail.18446744073709551615.1.$FI", "in.x.0.maybe.1.0.$FI", "in.x.0.fail.0.4.$FI",
                "in.x.0.fail.2.0.$FI", "in.x.0.fail.1.1.$FI", "0.fail.1.0.$FI", "in.x.0.fail.1x.0.$FI");
    }

    @ParameterizedTest
    @MethodSource("badReplies")
    void shouldRefuseMalformedReplySubjectsWithoutDisturbingOthers(String badReply) throws Exception {
        start();
        addStream("TEST", "foo", StorageType.File, true);
        publish("foo", fi("ok", 1, 0, "fail", 0));
        assertThat(next()).isEqualTo(ack(0, 10));
        assertThat(rawAnswer("foo", badReply)).isEqualTo(error("TEST", INVALID_PATTERN));
        // the other batch and plain publishers carry on
        assertThat(raw("foo", "plain")).isEqualTo("{\"stream\":\"TEST\",\"seq\":2}");
        publish("foo", fi("ok", 2, 0, "fail", 2));
        assertThat(next()).isEqualTo(pubAck("TEST", 3, "ok", 2));
    }

    @Test
    void shouldAcceptAReplyWithAnEmptyInbox() throws Exception {
        start();
        addStream("TEST", "foo", StorageType.Memory, true);
        // as generateFastBatchReply("", ...) in nats-server's TestJetStreamFastBatchPublishSourceAndMirror
        try (RawClient raw = RawClient.connectAndReadInfo(server.port())) {
            raw.send("CONNECT {\"verbose\":false}\r\nPUB foo .uuid.10.fail.1.0.$FI 1\r\nx\r\n"
                    + "PUB foo .uuid.10.fail.2.1.$FI 1\r\ny\r\nPING\r\n");
            raw.expectLine("PONG");
        }
        publish("foo", fi("uuid", 3, 10, "fail", 2), null, "z");
        assertThat(next()).isEqualTo(pubAck("TEST", 3, "uuid", 3));
    }

    @Test
    void shouldLeaveAtomicBatchesAndPlainRepliesAlone() throws Exception {
        start();
        jsm.addStream(StreamConfiguration.builder().name("TEST").subjects("foo").storageType(StorageType.Memory)
                .allowAtomicPublish().allowBatched().build());
        Headers atomic = new Headers().put("Nats-Batch-Id", "a").put("Nats-Batch-Sequence", "1")
                .put("Nats-Batch-Commit", "1");
        Message m = nc.request(NatsMessage.builder().subject("foo").headers(atomic).build(), TIMEOUT);
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo(pubAck("TEST", 1, "a", 1));
        // ".$FI" not at the end, and "$FI" without its dot, are plain replies
        publish("foo", inbox + ".x.$FI.y");
        assertThat(next()).isEqualTo("{\"stream\":\"TEST\",\"seq\":2}");
        publish("foo", inbox + ".x$FI");
        assertThat(next()).isEqualTo("{\"stream\":\"TEST\",\"seq\":3}");
    }
}
