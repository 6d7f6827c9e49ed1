package io.jnatsd.systest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer deliveries and status messages on the wire, byte for byte, through the raw protocol (what the clients
 * hide): the HMSG of each pull status (404, 408 with its pending headers, 409 variants, 400, 412), a delivery with
 * its v1 ack subject, idle heartbeats and the flow control request, the empty ack-sync reply, and bad input (ack
 * subjects that are not ack subjects, garbage pull requests and create bodies) answered without disturbing anyone.
 */
class JetStreamConsumerRawIT {

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private RawClient client;

    @BeforeEach
    void start() {
        server = EmbeddedServer.startJetStream(storeDir);
        client = RawClient.connectAndReadInfo(server.port());
        client.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _R.> 1\r\n"
                + "SUB in 2\r\nPING\r\n").expectLine("PONG");
        request("$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\"}");
        request("$JS.API.CONSUMER.CREATE.S.C", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"C\","
                + "\"ack_policy\":\"explicit\",\"max_batch\":5}}");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String nextLine() {
        String line = client.readLine();
        while (line.equals("PING")) {
            client.send("PONG\r\n");
            line = client.readLine();
        }
        return line;
    }

    private String request(String subject, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        client.send("PUB " + subject + " _R.1 " + b.length + "\r\n" + body + "\r\n");
        String line = nextLine();
        assertThat(line).startsWith("MSG _R.1 1 ");
        int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        return new String(client.readBytes(size + 2), StandardCharsets.UTF_8).substring(0, size);
    }

    private void pull(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        client.send("PUB $JS.API.CONSUMER.MSG.NEXT.S.C in " + b.length + "\r\n" + body + "\r\n");
    }

    /** The next message on {@code in}: its control line and the bytes of its header and payload. */
    private String next() {
        String line = nextLine();
        String[] t = line.split(" ");
        int size = Integer.parseInt(t[t.length - 1]);
        return line + "\r\n" + new String(client.readBytes(size + 2), StandardCharsets.UTF_8);
    }

    private static String status(String sid, String text) {
        String hdr = "NATS/1.0 " + text + "\r\n\r\n";
        return "HMSG in " + sid + " " + hdr.length() + " " + hdr.length() + "\r\n" + hdr + "\r\n";
    }

    private static String status(String text, int msgs, int bytes) {
        String hdr = "NATS/1.0 " + text + "\r\nNats-Pending-Messages: " + msgs + "\r\nNats-Pending-Bytes: " + bytes
                + "\r\n\r\n";
        return "HMSG in 2 " + hdr.length() + " " + hdr.length() + "\r\n" + hdr + "\r\n";
    }

    @Test
    void pullStatusesByteForByte() {
        pull("{\"no_wait\":true}");
        assertThat(next()).isEqualTo(status("2", "404 No Messages"));
        pull("{\"batch\":2,\"expires\":100000000}");
        assertThat(next()).isEqualTo(status("408 Request Timeout", 2, 0));
        pull("9");
        assertThat(next()).isEqualTo(status("2", "409 Exceeded MaxRequestBatch of 5"));
        pull("{\"batch\":1,\"idle_heartbeat\":2000000000}");
        assertThat(next()).isEqualTo(status("2", "400 Bad Request - heartbeat value too large"));
        pull("{\"batch\":1,\"group\":\"x\",\"min_pending\":3}");
        assertThat(next()).isEqualTo(status("2", "400 Bad Request - Not a Overflow Priority consumer"));
        pull("{\"batch\":1,\"priority\":12}");
        assertThat(next()).isEqualTo(status("2", "400 Bad Request - Priority must be between 0 and 9"));
        pull("{\"batch\":");
        assertThat(next()).isEqualTo(status("2", "400 Bad Request - unexpected end of JSON input"));
        client.send("HPUB $JS.API.CONSUMER.MSG.NEXT.S.C in 41 41\r\nNATS/1.0\r\nNats-Required-Api-Level: 99\r\n\r\n"
                + "\r\n");
        assertThat(next()).isEqualTo(status("2", "412 Required Api Level"));
        client.send("PUB s.a 2\r\nhi\r\n");
        pull("{\"batch\":3,\"expires\":200000000,\"idle_heartbeat\":50000000}");
        String msg = next();
        assertThat(msg).matches("MSG s\\.a 2 \\$JS\\.ACK\\.S\\.C\\.1\\.1\\.1\\.\\d+\\.0 2\r\nhi\r\n");
        String hb = "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n";
        String hbMsg = "HMSG in 2 " + hb.length() + " " + hb.length() + "\r\n" + hb + "\r\n";
        String rest = next();
        while (rest.equals(hbMsg)) {
            rest = next();
        }
        assertThat(rest).isEqualTo(status("408 Request Timeout", 2, 0));
        // ack sync: an empty reply
        String ack = msg.substring(msg.indexOf("$JS.ACK"), msg.indexOf(" 2\r\n"));
        client.send("PUB " + ack + " _R.2 4\r\n+ACK\r\n");
        assertThat(nextLine()).isEqualTo("MSG _R.2 1 0");
        assertThat(client.readLine()).isEmpty();
    }

    @Test
    void pushHeartbeatAndFlowControlRequestByteForByte() {
        request("$JS.API.CONSUMER.CREATE.S.P", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"P\","
                + "\"deliver_subject\":\"in\",\"flow_control\":true,\"idle_heartbeat\":100000000}}");
        String hb = "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n";
        assertThat(next()).isEqualTo("HMSG in 2 " + hb.length() + " " + hb.length() + "\r\n" + hb + "\r\n");
        byte[] big = new byte[600 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < 3; i++) {
            client.send("PUB s.big " + big.length + "\r\n").send(big).send("\r\n");
        }
        String line;
        do {
            line = nextLine();
            int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            String body = new String(client.readBytes(size + 2), StandardCharsets.UTF_8);
            if (line.startsWith("HMSG in 2 $JS.FC.S.P.")) {
                assertThat(line).matches("HMSG in 2 \\$JS\\.FC\\.S\\.P\\.[0-9A-Za-z]{4} 36 36");
                assertThat(body).isEqualTo("NATS/1.0 100 FlowControl Request\r\n\r\n\r\n");
                break;
            }
        } while (true);
    }

    private void pullTo(String consumer, String reply, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        client.send("PUB $JS.API.CONSUMER.MSG.NEXT.S." + consumer + " " + reply + " " + b.length + "\r\n" + body
                + "\r\n");
    }

    @Test
    void maxWaitingRequestsPendingOverflowAndPrioritized() {
        request("$JS.API.CONSUMER.CREATE.S.W", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"W\","
                + "\"ack_policy\":\"explicit\",\"max_waiting\":1}}");
        pullTo("W", "in", "{\"batch\":1,\"expires\":5000000000}");
        pullTo("W", "in", "{\"batch\":1,\"expires\":5000000000}");
        assertThat(next()).isEqualTo(status("2", "409 Exceeded MaxWaiting"));
        client.send("PUB s.a 1\r\n1\r\n");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.W.1.1.1.");
        client.send("PUB s.a 1\r\n2\r\n");
        pullTo("W", "in", "{\"batch\":1,\"expires\":5000000000}");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.W.1.2.2.");
        pullTo("W", "in", "{\"batch\":1,\"expires\":5000000000}");
        client.send("PUB s.a 1\r\n3\r\n");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.W.1.3.3.");
        // overflow: served only once min_pending messages are pending
        request("$JS.API.CONSUMER.CREATE.S.O", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"O\","
                + "\"ack_policy\":\"explicit\",\"deliver_policy\":\"new\",\"priority_policy\":\"overflow\","
                + "\"priority_groups\":[\"g\"]}}");
        client.send("SUB ov 3\r\nSUB any 4\r\nPING\r\n");
        assertThat(nextLine()).isEqualTo("PONG");
        pullTo("O", "ov", "{\"batch\":1,\"group\":\"g\",\"min_pending\":2,\"expires\":5000000000}");
        pullTo("O", "any", "{\"batch\":1,\"group\":\"g\",\"expires\":5000000000}");
        client.send("PUB s.a 1\r\n4\r\n");
        assertThat(nextLine()).startsWith("MSG s.a 4 $JS.ACK.S.O.1.4.1.");
        assertThat(client.readLine()).isEqualTo("4");
        client.send("PUB s.a 1\r\n5\r\nPUB s.a 1\r\n6\r\n");
        assertThat(nextLine()).startsWith("MSG s.a 3 $JS.ACK.S.O.1.5.2.");
        assertThat(client.readLine()).isEqualTo("5");
        // prioritized: priority 0 is served before an earlier priority 5
        request("$JS.API.CONSUMER.CREATE.S.PR", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"PR\","
                + "\"ack_policy\":\"explicit\",\"deliver_policy\":\"new\",\"priority_policy\":\"prioritized\","
                + "\"priority_groups\":[\"g\"]}}");
        pullTo("PR", "any", "{\"batch\":1,\"group\":\"g\",\"priority\":5,\"expires\":5000000000}");
        pullTo("PR", "ov", "{\"batch\":1,\"group\":\"g\",\"priority\":0,\"expires\":5000000000}");
        client.send("PING\r\n");
        assertThat(nextLine()).isEqualTo("PONG");
        client.send("PUB s.a 1\r\n7\r\n");
        assertThat(nextLine()).startsWith("MSG s.a 3 $JS.ACK.S.PR.1.7.1.");
    }

    @Test
    void flowControlAckPolicyAcksThroughFlowControlReplies() {
        String created = request("$JS.API.CONSUMER.CREATE.S.F", "{\"stream_name\":\"S\",\"config\":{"
                + "\"durable_name\":\"F\",\"deliver_subject\":\"in\",\"ack_policy\":\"flow_control\","
                + "\"max_ack_pending\":2}}");
        assertThat(created).contains("\"ack_policy\":\"flow_control\"", "\"flow_control\":true",
                "\"idle_heartbeat\":1000000000", "\"_nats.req.level\":\"4\"");
        client.send("PUB s.a 1\r\n1\r\nPUB s.a 1\r\n2\r\nPUB s.a 1\r\n3\r\n");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.F.1.1.1.");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.F.1.2.2.");
        String fc = next();
        assertThat(fc).startsWith("HMSG in 2 $JS.FC.S.F.");
        String fcSubject = fc.split(" ")[3];
        String hdr = "NATS/1.0\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n";
        client.send("HPUB " + fcSubject + " " + hdr.length() + " " + hdr.length() + "\r\n" + hdr + "\r\n");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.F.1.3.3.");
        assertThat(request("$JS.API.CONSUMER.INFO.S.F", "")).contains("\"ack_floor\":{\"consumer_seq\":2,"
                + "\"stream_seq\":2");
    }

    @Test
    void pinExpiresAfterThePriorityTimeout() {
        client.send("SUB $JS.EVENT.ADVISORY.CONSUMER.UNPINNED.S.T 5\r\nPING\r\n");
        assertThat(nextLine()).isEqualTo("PONG");
        request("$JS.API.CONSUMER.CREATE.S.T", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"T\","
                + "\"ack_policy\":\"explicit\",\"priority_policy\":\"pinned_client\",\"priority_groups\":[\"g\"],"
                + "\"priority_timeout\":200000000}}");
        client.send("PUB s.a 1\r\n1\r\n");
        pullTo("T", "in", "{\"batch\":1,\"group\":\"g\"}");
        String msg = next();
        assertThat(msg).startsWith("HMSG s.a 2 $JS.ACK.S.T.1.1.1.").contains("Nats-Pin-Id: ");
        String line = nextLine();
        assertThat(line).startsWith("MSG $JS.EVENT.ADVISORY.CONSUMER.UNPINNED.S.T 5 ");
        int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        String advisory = new String(client.readBytes(size + 2), StandardCharsets.UTF_8);
        assertThat(advisory).contains("\"type\":\"io.nats.jetstream.advisory.v1.consumer_group_unpinned\"",
                "\"group\":\"g\"", "\"reason\":\"timeout\"");
    }

    @Test
    void noWaitWithNothingLeftAfterDeliveriesAnswers404() {
        // stored before the pull (a bare PUB may still be in the stream's ingest queue when the no-wait pull looks)
        assertThat(request("s.a", "1")).contains("\"seq\":1");
        pull("{\"batch\":3,\"no_wait\":true}");
        assertThat(next()).startsWith("MSG s.a 2 $JS.ACK.S.C.1.1.1.");
        assertThat(next()).isEqualTo(status("2", "404 No Messages"));
    }

    @Test
    void shouldRefuseToCreateANamedEphemeralConsumerTwiceButNotADurable() {
        // nats-server compares a create with the stored config, on which it stamped the ephemeral's default
        // inactive_threshold: the same request again differs from it (10148), a durable's does not
        String ephemeral = "{\"stream_name\":\"S\",\"action\":\"create\",\"config\":{\"name\":\"E\"}}";
        assertThat(request("$JS.API.CONSUMER.CREATE.S.E", ephemeral)).contains("\"inactive_threshold\":5000000000")
                .doesNotContain("\"error\"");
        assertThat(request("$JS.API.CONSUMER.CREATE.S.E", ephemeral)).contains("\"err_code\":10148",
                "consumer already exists");
        String durable = "{\"stream_name\":\"S\",\"action\":\"create\",\"config\":{\"durable_name\":\"D\"}}";
        assertThat(request("$JS.API.CONSUMER.CREATE.S.D", durable)).doesNotContain("\"error\"");
        assertThat(request("$JS.API.CONSUMER.CREATE.S.D", durable)).contains("\"name\":\"D\"")
                .doesNotContain("\"error\"");
    }

    @Test
    void badInputIsRefusedWithoutHarm() {
        // not ack subjects: ignored
        client.send("PUB $JS.ACK.S.C.x.y 4\r\n+ACK\r\nPUB $JS.ACK.S.C.1.2.3 4\r\n-NAK\r\n"
                + "PUB $JS.ACK.S.C.1.99.99.1.1 5\r\n+TERM\r\nPUB $JS.ACK.S.C.1.1.1.1.1 10\r\n-NAK {bad}\r\n");
        String created = request("$JS.API.CONSUMER.CREATE.S.X", "{\"stream_name\":\"S\",\"config\":{\"ack_policy\":"
                + "\"sometimes\"}}");
        assertThat(created).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{"
                + "\"code\":400,\"err_code\":10025,\"description\":\"invalid JSON: can not unmarshal \\\"\\\\\\\""
                + "sometimes\\\\\\\"\\\"\"}}");
        String action = request("$JS.API.CONSUMER.CREATE.S.X", "{\"stream_name\":\"S\",\"action\":\"maybe\","
                + "\"config\":{}}");
        assertThat(action).contains("\"err_code\":10025", "unknown consumer action");
        String update = request("$JS.API.CONSUMER.CREATE.S.X", "{\"stream_name\":\"S\",\"action\":\"update\","
                + "\"config\":{}}");
        assertThat(update).contains("\"err_code\":10149");
        String exists = request("$JS.API.CONSUMER.CREATE.S.C", "{\"stream_name\":\"S\",\"action\":\"create\","
                + "\"config\":{\"durable_name\":\"C\"}}");
        assertThat(exists).contains("\"err_code\":10148");
        client.send("PING\r\n");
        assertThat(nextLine()).isEqualTo("PONG");
        String info = request("$JS.API.CONSUMER.INFO.S.C", "");
        assertThat(info).contains("\"num_ack_pending\":0", "\"stream_seq\":0");
    }
}
