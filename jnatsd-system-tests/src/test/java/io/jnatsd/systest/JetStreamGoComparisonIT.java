package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.config.ConfigLoader;
import io.jnatsd.config.ConfigReport;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.config.ServerOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JetStream API side by side with the Go nats-server binary ({@code /usr/sbin/nats-server -js}, 2.9.10 here): the
 * same conversation (account info, stream create/idempotent/conflicting/mismatched, publishes with acks, dedupe and
 * expected headers, info with subjects, names and list with filters, message get/delete, purge variants, update,
 * delete, the errors of each) is sent to both, and every response is compared field by field after normalising what is
 * random (times, server names). Fields nats-server added after 2.9.10 ({@link #NEWER_FIELDS}: reservations, API
 * level, compression, TTL and consumer limit settings, server metadata, {@code ts}, {@code cluster}) may appear only in
 * jnatsd's answers; every field 2.9.10 writes must be there with the same value. Error texts that 2.9.10 words
 * differently from nats-server main (it has no strict JSON) are compared by code only. Also the errors {@code -t}
 * reports for bad {@code jetstream} blocks and account {@code jetstream} keys. Skipped when the binary is missing.
 */
@SuppressWarnings("try")
class JetStreamGoComparisonIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Fields of nats-server main that 2.9.10 does not write. */
    private static final Set<String> NEWER_FIELDS = Set.of("reserved_memory", "reserved_storage", "level",
            "compression", "allow_msg_ttl", "consumer_limits", "metadata", "ts", "cluster");

    @TempDir
    Path jnatsdStore;
    @TempDir
    Path goStore;

    /** One request of the conversation: a subject, headers (or null) and a body; {@code codeOnly} for errors. */
    private record Step(String subject, Map<String, String> headers, String body, boolean codeOnly) {
        static Step of(String subject, String body) {
            return new Step(subject, null, body, false);
        }
    }

    private static List<Step> conversation() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("$JS.API.INFO", ""));
        steps.add(Step.of("$JS.API.STREAM.NAMES", ""));
        steps.add(Step.of("$JS.API.STREAM.LIST", ""));
        steps.add(Step.of("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\","
                + "\"max_msgs_per_subject\":10}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\","
                + "\"max_msgs_per_subject\":10}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\","
                + "\"max_msgs\":5}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.X", "{\"name\":\"S\"}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.T", "{\"name\":\"T\",\"subjects\":[\"s.a\"]}"));
        // main checks max_age before the dedupe window: same code, other text in 2.9.10
        steps.add(new Step("$JS.API.STREAM.CREATE.U", null, "{\"name\":\"U\",\"max_age\":-1}", true));
        steps.add(Step.of("$JS.API.STREAM.CREATE.U", "{\"name\":\"U\",\"subjects\":[\"u.*\",\"u.>\"]}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.U", "{\"name\":\"U\",\"num_replicas\":3}"));
        steps.add(Step.of("$JS.API.STREAM.CREATE.U", "{\"name\":\"U\",\"discard\":\"new\","
                + "\"discard_new_per_subject\":true}"));
        steps.add(new Step("$JS.API.STREAM.CREATE.U", null, "{\"name\":", true));
        steps.add(Step.of("s.a", "one"));
        steps.add(Step.of("s.b", "two"));
        steps.add(new Step("s.a", Map.of("Nats-Msg-Id", "m1"), "three", false));
        steps.add(new Step("s.a", Map.of("Nats-Msg-Id", "m1"), "three", false));
        steps.add(new Step("s.c", Map.of("Nats-Expected-Stream", "X"), "x", false));
        steps.add(new Step("s.c", Map.of("Nats-Expected-Last-Sequence", "1"), "x", false));
        steps.add(new Step("s.c", Map.of("Nats-Expected-Last-Sequence", "3"), "four", false));
        steps.add(new Step("s.a", Map.of("Nats-Expected-Last-Subject-Sequence", "1"), "x", false));
        steps.add(new Step("s.a", Map.of("Nats-Expected-Last-Subject-Sequence", "3"), "five", false));
        steps.add(new Step("s.c", Map.of("Nats-Expected-Last-Msg-Id", "nope"), "x", false));
        steps.add(new Step("s.c", Map.of("Nats-Expected-Last-Msg-Id", ""), "six", false));
        steps.add(new Step("s.d", Map.of("Nats-Rollup", "sub"), "x", false));
        steps.add(Step.of("$JS.API.STREAM.INFO.S", ""));
        steps.add(Step.of("$JS.API.STREAM.INFO.S", "{\"subjects_filter\":\"s.a\"}"));
        steps.add(Step.of("$JS.API.STREAM.INFO.S", "{\"deleted_details\":true}"));
        steps.add(Step.of("$JS.API.STREAM.INFO.NOPE", ""));
        steps.add(Step.of("$JS.API.STREAM.NAMES", ""));
        steps.add(Step.of("$JS.API.STREAM.NAMES", "{\"subject\":\"s.b\"}"));
        steps.add(Step.of("$JS.API.STREAM.NAMES", "{\"subject\":\"zz\"}"));
        steps.add(Step.of("$JS.API.STREAM.NAMES", "{\"offset\":5}"));
        steps.add(Step.of("$JS.API.STREAM.LIST", ""));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.S", "{\"seq\":1}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.S", "{\"last_by_subj\":\"s.a\"}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.S", "{\"seq\":99}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.S", ""));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.S", "{\"seq\":1,\"last_by_subj\":\"s.a\"}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.GET.NOPE", "{\"seq\":1}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.DELETE.S", "{\"seq\":2}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.DELETE.S", "{\"seq\":2}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.DELETE.S", "{\"seq\":1,\"no_erase\":true}"));
        steps.add(Step.of("$JS.API.STREAM.MSG.DELETE.S", ""));
        steps.add(Step.of("$JS.API.STREAM.INFO.S", "{\"deleted_details\":true}"));
        steps.add(Step.of("$JS.API.STREAM.PURGE.S", "{\"filter\":\"s.c\"}"));
        steps.add(Step.of("$JS.API.STREAM.PURGE.S", "{\"seq\":5,\"keep\":1}"));
        steps.add(Step.of("$JS.API.STREAM.PURGE.S", "{\"filter\":\"s.>\",\"keep\":1}"));
        steps.add(Step.of("$JS.API.STREAM.PURGE.S", ""));
        steps.add(Step.of("$JS.API.STREAM.INFO.S", ""));
        steps.add(Step.of("$JS.API.STREAM.UPDATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\",\"t.>\"],"
                + "\"storage\":\"memory\",\"max_msgs_per_subject\":10,\"deny_delete\":true}"));
        steps.add(Step.of("$JS.API.STREAM.UPDATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"file\"}"));
        steps.add(Step.of("$JS.API.STREAM.UPDATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],"
                + "\"storage\":\"memory\"}"));
        steps.add(Step.of("$JS.API.STREAM.UPDATE.NOPE", "{\"name\":\"NOPE\"}"));
        steps.add(Step.of("$JS.API.STREAM.UPDATE.S", "{\"name\":\"T\"}"));
        steps.add(Step.of("$JS.API.STREAM.LEADER.STEPDOWN.S", ""));
        steps.add(Step.of("$JS.API.STREAM.PEER.REMOVE.S", "{\"peer\":\"x\"}"));
        steps.add(Step.of("$JS.API.CONSUMER.NAMES.S", ""));
        steps.add(Step.of("$JS.API.CONSUMER.LIST.S", ""));
        steps.add(Step.of("$JS.API.CONSUMER.INFO.S.C", ""));
        steps.add(Step.of("$JS.API.CONSUMER.NAMES.NOPE", ""));
        steps.add(Step.of("$JS.API.STREAM.DELETE.S", "{\"x\":1}"));
        steps.add(Step.of("$JS.API.STREAM.DELETE.S", ""));
        steps.add(Step.of("$JS.API.STREAM.DELETE.S", "{}"));
        steps.add(Step.of("$JS.API.INFO", ""));
        return steps;
    }

    private static List<String> run(String url, List<Step> steps) throws Exception {
        List<String> out = new ArrayList<>();
        try (io.nats.client.Connection nc = Nats.connect(url)) {
            for (Step s : steps) {
                Headers h = new Headers();
                if (s.headers() != null) {
                    s.headers().forEach(h::put);
                }
                Message m = nc.request(NatsMessage.builder().subject(s.subject()).headers(s.headers() == null ? null
                        : h).data(s.body().getBytes(StandardCharsets.UTF_8)).build(), TIMEOUT);
                out.add(m == null ? "<no response>" : new String(m.getData(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static Stream<String> badJetStreamFiles() {
        return Stream.of(
                "jetstream: maybe",
                "jetstream: 5",
                "jetstream { max_mem: \"1X\" }",
                "jetstream { max_file: \"aG\" }",
                "jetstream { bogus: 1 }",
                "jetstream { cipher: rot13 }",
                "jetstream { limits: 5 }",
                "jetstream { limits { bogus: 1 } }",
                "store_dir: \"/a\"\njetstream { store_dir: \"/b\" }",
                "jetstream { store_dir: \"/b\" }\nstore_dir: \"/a\"",
                "accounts { A { jetstream: maybe } }",
                "accounts { A { jetstream: { max_bytes: 1 } } }",
                "accounts { A { jetstream: { max_mem: \"x\" } } }",
                "accounts { A { jetstream: { nope: 1 } } }");
    }

    @ParameterizedTest
    @MethodSource("badJetStreamFiles")
    void checksConfigFilesLikeNatsServer(String text, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "nats-server not installed");
        Path file = dir.resolve("js.conf");
        Files.writeString(file, text);
        Process go = new ProcessBuilder(GoServer.BINARY.toString(), "-t", "-c", file.toString())
                .redirectErrorStream(true).start();
        assertThat(go.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String goOutput = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ConfigReport report = ConfigLoader.loadFile(file, ServerOptions.builder());
        String ours = report.hasErrors() ? "nats-server: " + String.join("\n", report.errors())
                : "nats-server: configuration file " + file + " is valid";
        if (text.contains("store_dir: \"/a\"")) {
            // nats-server walks the top-level keys in Go's random map order: either store_dir is the duplicate
            String noPosition = "(js\\.conf):\\d+:\\d+:";
            assertThat(ours.replaceAll(noPosition, "$1:")).isEqualTo(goOutput.replaceAll(noPosition, "$1:"));
        } else {
            assertThat(ours).isEqualTo(goOutput);
        }
    }

    @Test
    void conversationMatchesNatsServer() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "nats-server not installed");
        List<Step> steps = conversation();
        List<String> ours;
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder()
                .enabled(true).storeDir(jnatsdStore.toString()).build()))) {
            ours = run(server.url(), steps);
        }
        List<String> theirs;
        try (GoServer go = GoServer.start("-js", "-sd", goStore.toString())) {
            theirs = run("nats://127.0.0.1:" + go.port(), steps);
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String what = s.subject() + " " + s.headers() + " " + s.body();
            JsonNode go = GoJsonDiff.parse(theirs.get(i));
            JsonNode us = GoJsonDiff.parse(ours.get(i));
            if (go == null || us == null) {
                assertThat(ours.get(i).replace(", ", ",")).as(what).isEqualTo(theirs.get(i).replace(", ", ","));
                continue;
            }
            if (s.codeOnly()) {
                assertThat(us.path("error").path("err_code")).as(what).isEqualTo(go.path("error").path("err_code"));
                continue;
            }
            GoJsonDiff.normalize(go);
            GoJsonDiff.normalize(us);
            GoJsonDiff.removeNewer(us, go, what + "\n ours:   " + ours.get(i) + "\n theirs: " + theirs.get(i),
                    NEWER_FIELDS);
            assertThat(us).as(what + "\n ours:   " + ours.get(i) + "\n theirs: " + theirs.get(i)).isEqualTo(go);
        }
    }
}
