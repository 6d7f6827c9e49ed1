package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer conversation side by side with the Go nats-server binary ({@code /usr/sbin/nats-server -js}, 2.9.10
 * here): consumer creates in every subject form and their errors, info, names, list, pull requests with their status
 * replies (404, 408 with the pending headers, 409 variants, 400), deliveries with their ack subjects, acks, naks and
 * terms with the info counters after each, push consumers, deletes. JSON answers are compared field by field after
 * normalising times (fields 2.9.10 does not have, {@link #NEWER_FIELDS}, may appear only in jnatsd's answers);
 * status messages by status line and headers; deliveries by subject and ack subject (timestamp token normalised).
 * main also writes {@code config.name} for durables created through {@code DURABLE.CREATE}. Skipped when the binary is
 * missing.
 */
class JetStreamConsumerGoComparisonIT {

    /** Fields of nats-server main that 2.9.10 does not write. */
    private static final Set<String> NEWER_FIELDS = Set.of("reserved_memory", "reserved_storage", "level",
            "compression", "allow_msg_ttl", "consumer_limits", "metadata", "ts", "cluster", "priority_groups",
            "paused", "pause_remaining", "name");

    @TempDir
    Path jnatsdStore;
    @TempDir
    Path goStore;

    /**
     * A step: publish {@code body} on {@code subject} with an inbox reply and collect {@code replies} messages (or
     * until {@code waitFor} passes when fewer arrive).
     */
    private record Step(String subject, String body, int replies, Duration waitFor) {
        static Step req(String subject, String body) {
            return new Step(subject, body, 1, Duration.ofSeconds(3));
        }

        /** Publishes {@code body} to the ack subject of the {@code delivery}-th delivery (0 = first) of the run. */
        static Step ack(int delivery, String body, int replies) {
            return new Step("ACK:" + delivery, body, replies, Duration.ofMillis(1500));
        }

        static Step pull(String consumer, String body, int replies, long waitMillis) {
            return new Step("$JS.API.CONSUMER.MSG.NEXT.S." + consumer, body, replies, Duration.ofMillis(waitMillis));
        }
    }

    private static List<Step> conversation() {
        List<Step> s = new ArrayList<>();
        s.add(Step.req("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\"}"));
        for (int i = 1; i <= 4; i++) {
            s.add(Step.req("s." + (i % 2 == 0 ? "even" : "odd"), "m" + i));
        }
        // create forms and their errors
        s.add(Step.req("$JS.API.CONSUMER.DURABLE.CREATE.S.D", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":"
                + "\"D\",\"ack_policy\":\"explicit\",\"deliver_policy\":\"all\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.DURABLE.CREATE.S.D", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":"
                + "\"X\",\"ack_policy\":\"explicit\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.DURABLE.CREATE.S.D", "{\"stream_name\":\"S\",\"config\":{"
                + "\"ack_policy\":\"explicit\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"E\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S", "{\"stream_name\":\"T\",\"config\":{}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.F.s.odd", "{\"stream_name\":\"S\",\"config\":{\"name\":\"F\","
                + "\"filter_subject\":\"s.odd\",\"ack_policy\":\"explicit\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.G.s.odd", "{\"stream_name\":\"S\",\"config\":{\"name\":\"G\","
                + "\"filter_subject\":\"s.even\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_policy\":\"by_start_sequence\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_policy\":\"all\",\"opt_start_seq\":2}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_policy\":\"last_per_subject\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"idle_heartbeat\":1000000000}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_subject\":\"dlv\",\"max_waiting\":5}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_subject\":\"dlv\",\"flow_control\":true}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_subject\":\"s.x\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"deliver_subject\":\"dlv.*\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"rate_limit_bps\":100}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"ack_policy\":\"explicit\",\"max_deliver\":1,\"backoff\":[1000000000,2000000000]}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.H", "{\"stream_name\":\"S\",\"config\":{\"name\":\"H\","
                + "\"sample_freq\":\"x\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.DURABLE.CREATE.S.D", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":"
                + "\"D\",\"ack_policy\":\"explicit\",\"deliver_policy\":\"new\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.NOPE.Q", "{\"stream_name\":\"NOPE\",\"config\":{\"name\":\"Q\"}}"));
        s.add(Step.req("$JS.API.CONSUMER.CREATE.S.L", "{\"stream_name\":\"S\",\"config\":{\"name\":\"L\","
                + "\"durable_name\":\"L\",\"ack_policy\":\"explicit\",\"max_batch\":2,\"max_expires\":2000000000,"
                + "\"max_bytes\":1000}}"));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.D", ""));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.NOPE", ""));
        s.add(Step.req("$JS.API.CONSUMER.NAMES.S", ""));
        s.add(Step.req("$JS.API.CONSUMER.NAMES.S", "{\"offset\":1}"));
        s.add(Step.req("$JS.API.CONSUMER.LIST.S", ""));
        // pulls and their statuses
        s.add(Step.pull("D", "", 1, 2000));
        s.add(Step.pull("D", "2", 2, 2000));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.D", ""));
        s.add(Step.pull("D", "{\"batch\":5,\"expires\":300000000}", 2, 3000));
        s.add(Step.pull("D", "{\"batch\":1,\"no_wait\":true}", 1, 2000));
        // (no_wait ending after deliveries: main answers 404 No Messages where 2.9.10 answers 408; JetStreamPullIT)
        s.add(Step.pull("F", "{\"batch\":1,\"no_wait\":true}", 1, 2000));
        s.add(Step.pull("L", "{\"batch\":3}", 1, 2000));
        s.add(Step.pull("L", "{\"batch\":1,\"expires\":5000000000}", 1, 2000));
        s.add(Step.pull("L", "{\"batch\":1,\"max_bytes\":5000}", 1, 2000));
        s.add(Step.pull("L", "{\"batch\":2,\"max_bytes\":40}", 2, 2000));
        s.add(Step.pull("L", "{\"batch\":\"x\"}", 1, 2000));
        s.add(Step.pull("L", "{\"batch\":1,\"idle_heartbeat\":1000000000,\"expires\":1000000000}", 1, 2000));
        // acks: deliveries 0..3 are D's m1..m4, 4 is F's m1, 5 the redelivery of m3 (ack replies are empty messages)
        s.add(Step.ack(0, "+ACK", 1));
        s.add(Step.ack(2, "-NAK", 0));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.D", ""));
        s.add(Step.pull("D", "1", 1, 2000));
        s.add(Step.ack(1, "+TERM", 1));
        s.add(Step.ack(3, "+WPI", 1));
        s.add(Step.ack(3, "", 1));
        s.add(Step.ack(5, "+ACK", 1));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.D", ""));
        s.add(Step.req("$JS.API.CONSUMER.DURABLE.CREATE.S.P", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":"
                + "\"P\",\"deliver_subject\":\"nobody.here\"}}"));
        s.add(Step.pull("P", "", 1, 2000));
        s.add(Step.req("$JS.API.CONSUMER.INFO.S.P", ""));
        s.add(Step.req("$JS.API.CONSUMER.DELETE.S.P", "{\"x\":1}"));
        s.add(Step.req("$JS.API.CONSUMER.DELETE.S.P", ""));
        s.add(Step.req("$JS.API.CONSUMER.DELETE.S.P", ""));
        s.add(Step.req("$JS.API.CONSUMER.NAMES.S", ""));
        return s;
    }

    /** Replies of each step, as text: JSON bodies, status lines with headers, deliveries with their ack subjects. */
    private static List<List<String>> run(String url, List<Step> steps) throws Exception {
        List<List<String>> out = new ArrayList<>();
        List<String> ackSubjects = new ArrayList<>();
        try (io.nats.client.Connection nc = Nats.connect(url)) {
            for (Step s : steps) {
                String inbox = nc.createInbox();
                Subscription sub = nc.subscribe(inbox);
                nc.flush(Duration.ofSeconds(2));
                String subject = s.subject();
                if (subject.startsWith("ACK:")) {
                    int index = Integer.parseInt(subject.substring(4));
                    subject = index < ackSubjects.size() ? ackSubjects.get(index) : "no.such.delivery";
                }
                nc.publish(subject, inbox, s.body().getBytes(StandardCharsets.UTF_8));
                List<String> got = new ArrayList<>();
                long end = System.nanoTime() + s.waitFor().toNanos();
                while (got.size() < s.replies()) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Message m = sub.nextMessage(Duration.ofNanos(left));
                    if (m == null) {
                        break;
                    }
                    got.add(describe(m));
                    if (m.getReplyTo() != null && m.getReplyTo().startsWith("$JS.ACK.")) {
                        ackSubjects.add(m.getReplyTo());
                    }
                }
                sub.unsubscribe();
                out.add(got);
            }
        }
        return out;
    }

    private static String describe(Message m) {
        if (m.isStatusMessage()) {
            Map<String, String> h = new TreeMap<>();
            if (m.getHeaders() != null) {
                m.getHeaders().keySet().forEach(k -> h.put(k, String.join(",", m.getHeaders().get(k))));
            }
            return "STATUS " + m.getStatus().getCode() + " " + m.getStatus().getMessage() + " " + h;
        }
        if (m.getReplyTo() != null && m.getReplyTo().startsWith("$JS.ACK.")) {
            String[] t = m.getReplyTo().split("\\.");
            t[7] = "<ts>";
            return "MSG " + m.getSubject() + " " + String.join(".", t) + " "
                    + new String(m.getData(), StandardCharsets.UTF_8);
        }
        return m.getData().length == 0 ? "<empty>" : new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void conversationMatchesNatsServer() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "nats-server not installed");
        List<Step> steps = conversation();
        List<List<String>> ours;
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder()
                .enabled(true).storeDir(jnatsdStore.toString()).build()))) {
            ours = run(server.url(), steps);
        }
        List<List<String>> theirs;
        try (GoServer go = GoServer.start("-js", "-sd", goStore.toString())) {
            theirs = run("nats://127.0.0.1:" + go.port(), steps);
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String what = "step " + i + ": " + s.subject() + " " + s.body() + "\n ours:   " + ours.get(i)
                    + "\n theirs: " + theirs.get(i);
            assertThat(ours.get(i)).as(what).hasSameSizeAs(theirs.get(i));
            for (int j = 0; j < theirs.get(i).size(); j++) {
                JsonNode go = GoJsonDiff.parse(theirs.get(i).get(j));
                JsonNode us = GoJsonDiff.parse(ours.get(i).get(j));
                if (go == null || us == null) {
                    assertThat(ours.get(i).get(j)).as(what).isEqualTo(theirs.get(i).get(j));
                    continue;
                }
                GoJsonDiff.normalize(go);
                GoJsonDiff.normalize(us);
                GoJsonDiff.removeNewer(us, go, what, NEWER_FIELDS);
                assertThat(us).as(what).isEqualTo(go);
            }
        }
    }
}
