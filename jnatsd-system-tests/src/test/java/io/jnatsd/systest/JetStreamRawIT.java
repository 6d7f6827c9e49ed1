package io.jnatsd.systest;

import io.jnatsd.config.JetStreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JetStream API on the wire, byte for byte, through the raw protocol: malformed request JSON and unknown fields
 * on each kind of endpoint (nats-server's strict decoder: {@code json: unknown field}, syntax errors with their
 * offset, type errors), and the 429 status with its JSON body when a stream's ingest queue is full.
 */
class JetStreamRawIT {

    private static final String TOO_MANY = "{\"error\":{\"code\":429,\"err_code\":10167,\"description\":\"too many"
            + " requests\"},\"stream\":\"Q\",\"seq\":0}";

    /** The paging fields of list responses, written even with an error. */
    private static final String PAGED = ",\"total\":0,\"offset\":0,\"limit\":0";

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private RawClient client;

    @BeforeEach
    void start() {
        server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir(storeDir.toString()).maxBufferedMsgs(1).build()));
        client = RawClient.connectAndReadInfo(server.port());
        client.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _R.> 1\r\nPING\r\n")
                .expectLine("PONG");
        request("$JS.API.STREAM.CREATE.Q", "{\"name\":\"Q\",\"subjects\":[\"q\"],\"storage\":\"memory\"}");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** Sends {@code body} to {@code subject} with a reply subject and returns the reply's payload. */
    private String request(String subject, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        client.send("PUB " + subject + " _R.1 " + b.length + "\r\n" + body + "\r\n");
        String line = client.readLine();
        while (line.equals("PING")) {
            client.send("PONG\r\n");
            line = client.readLine();
        }
        assertThat(line).startsWith("MSG _R.1 1 ");
        int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        String payload = new String(client.readBytes(size + 2), StandardCharsets.UTF_8);
        return payload.substring(0, size);
    }

    @Test
    void shouldAnswerPullsOnMissingConsumersAndUnservedDirectGetsWithNoResponders() {
        // nats-server (2.10.26+) lets the account's $JS.API.> import skip these: only the consumer's or the stream's
        // own subscription serves them, so without one the requestor learns it at once (the Java client reports
        // the 503 as a pull status warning) instead of waiting for its timeout
        for (String subject : new String[] {"$JS.API.CONSUMER.MSG.NEXT.Q.missing", "$JS.API.DIRECT.GET.Q",
                "$JS.API.DIRECT.GET.NOSTREAM"}) {
            client.send("PUB " + subject + " _R.2 2\r\n{}\r\n");
            String line = client.readLine();
            while (line.equals("PING")) {
                client.send("PONG\r\n");
                line = client.readLine();
            }
            String header = "NATS/1.0 503\r\nNats-Subject: " + subject + "\r\n\r\n";
            assertThat(line).as(subject).isEqualTo("HMSG _R.2 1 " + header.length() + " " + header.length());
            assertThat(new String(client.readBytes(header.length() + 2), StandardCharsets.UTF_8))
                    .isEqualTo(header + "\r\n");
        }
    }

    private static String error(String type, int code, int errCode, String description) {
        return error(type, code, errCode, description, "");
    }

    /** The error response; {@code tail} holds the fields Go writes after it (not omitempty in its response type). */
    private static String error(String type, int code, int errCode, String description, String tail) {
        return "{\"type\":\"io.nats.jetstream.api.v1." + type + "\",\"error\":{\"code\":" + code + ",\"err_code\":"
                + errCode + ",\"description\":\"" + description.replace("\"", "\\\"") + "\"}" + tail + "}";
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"bogus\":1}", error("stream_create_response",
                        400, 10025, "invalid JSON: json: unknown field \"bogus\"")),
                Arguments.of("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\"", error("stream_create_response", 400,
                        10025, "invalid JSON: unexpected EOF")),
                Arguments.of("$JS.API.STREAM.CREATE.S", "{\"name\":x}", error("stream_create_response", 400, 10025,
                        "invalid JSON: invalid character 'x' looking for beginning of value at offset 9")),
                Arguments.of("$JS.API.STREAM.UPDATE.Q", "{\"name\":\"Q\",\"max_msgs\":\"1\"}",
                        error("stream_update_response", 400, 10025, "invalid JSON: json: cannot unmarshal string into"
                                + " Go struct field StreamConfigRequest.max_msgs of type int64")),
                Arguments.of("$JS.API.STREAM.INFO.Q", "{\"bogus\":true}", error("stream_info_response", 400, 10025,
                        "invalid JSON: json: unknown field \"bogus\"", PAGED)),
                Arguments.of("$JS.API.STREAM.NAMES", "{\"bogus\":true}", error("stream_names_response", 400, 10025,
                        "invalid JSON: json: unknown field \"bogus\"", PAGED + ",\"streams\":null")),
                Arguments.of("$JS.API.STREAM.LIST", "[", error("stream_list_response", 400, 10025,
                        "invalid JSON: unexpected EOF", PAGED + ",\"streams\":[]")),
                Arguments.of("$JS.API.STREAM.MSG.GET.Q", "{\"seq\":1,\"bogus\":true}", error("stream_msg_get_response",
                        400, 10025, "invalid JSON: json: unknown field \"bogus\"")),
                Arguments.of("$JS.API.STREAM.MSG.DELETE.Q", "{\"seq\":-1}", error("stream_msg_delete_response", 400,
                        10025, "invalid JSON: json: cannot unmarshal number -1 into Go struct field"
                                + " JSApiMsgDeleteRequest.seq of type uint64")),
                Arguments.of("$JS.API.STREAM.PURGE.Q", "{\"keep\":1,\"bogus\":true}", error("stream_purge_response",
                        400, 10025, "invalid JSON: json: unknown field \"bogus\"", ",\"purged\":0")),
                // delete takes no request body at all
                Arguments.of("$JS.API.STREAM.DELETE.Q", "{\"bogus\":true}", error("stream_delete_response", 400,
                        10038, "expected an empty request payload")));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void answersBadJsonWithNatsServersErrors(String subject, String body, String expected) {
        assertThat(request(subject, body)).isEqualTo(expected);
    }

    /** With one message of queue room, a burst overflows: each refused message gets the 429 status and JSON. */
    @Test
    void fullIngestQueueAnswersWithStatusAndJson() {
        // Q again, queueing every publish as nats-server does (see JetStreamFeaturesIT)
        request("$JS.API.STREAM.DELETE.Q", "");
        System.setProperty(io.jnatsd.server.jetstream.Stream.INLINE_PROPERTY, "false");
        try {
            request("$JS.API.STREAM.CREATE.Q", "{\"name\":\"Q\",\"subjects\":[\"q\"],\"storage\":\"memory\"}");
        } finally {
            System.clearProperty(io.jnatsd.server.jetstream.Stream.INLINE_PROPERTY);
        }
        StringBuilder burst = new StringBuilder();
        int messages = 2000;
        for (int i = 0; i < messages; i++) {
            burst.append("PUB q _R.2 128\r\n").append("x".repeat(128)).append("\r\n");
        }
        client.send(burst.toString());
        int acks = 0;
        int refused = 0;
        for (int i = 0; i < messages; i++) {
            String line = client.readLine();
            while (line.equals("PING")) {
                client.send("PONG\r\n");
                line = client.readLine();
            }
            String[] t = line.split(" ");
            if (t[0].equals("HMSG")) {
                int headerBytes = Integer.parseInt(t[3]);
                int total = Integer.parseInt(t[4]);
                String msg = new String(client.readBytes(total + 2), StandardCharsets.UTF_8);
                assertThat(msg.substring(0, headerBytes)).isEqualTo("NATS/1.0 429 Too Many Requests\r\n\r\n");
                assertThat(msg.substring(headerBytes, total)).isEqualTo(TOO_MANY);
                refused++;
            } else {
                assertThat(t[0]).isEqualTo("MSG");
                int size = Integer.parseInt(t[3]);
                String ack = new String(client.readBytes(size + 2), StandardCharsets.UTF_8).substring(0, size);
                assertThat(ack).isEqualTo("{\"stream\":\"Q\",\"seq\":" + (acks + 1) + "}");
                acks++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(acks + refused).isEqualTo(messages);
        assertThat(request("$JS.API.STREAM.INFO.Q", "")).contains("\"messages\":" + acks + ",");
    }
}
