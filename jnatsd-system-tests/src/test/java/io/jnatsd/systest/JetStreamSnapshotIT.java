package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.config.JetStreamOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code STREAM.SNAPSHOT} and {@code STREAM.RESTORE} as a client drives them: the snapshot response, chunks with
 * acknowledgement replies under a window, the {@code 204} end; then the stream deleted and restored chunk by chunk
 * (each acknowledged), the final {@code stream_create_response}, and the messages back; and the request errors.
 */
@SuppressWarnings("try")
class JetStreamSnapshotIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path storeDir;

    @Test
    void snapshotsAndRestores() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder()
                .enabled(true).storeDir(storeDir.toString()).build()));
             io.nats.client.Connection nc = Nats.connect(server.url())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            JetStream js = nc.jetStream();
            jsm.addStream(StreamConfiguration.builder().name("SNAP").subjects("snap.>").build());
            byte[] payload = new byte[3000];
            for (int i = 0; i < 100; i++) {
                Arrays.fill(payload, (byte) i);
                js.publish("snap." + (i % 3), payload);
            }
            String deliver = nc.createInbox();
            Subscription chunks = nc.subscribe(deliver);
            nc.flush(TIMEOUT);
            Message resp = nc.request("$JS.API.STREAM.SNAPSHOT.SNAP", ("{\"deliver_subject\":\"" + deliver
                    + "\",\"chunk_size\":4096,\"window_size\":8192}").getBytes(StandardCharsets.UTF_8), TIMEOUT);
            JsonNode snap = JSON.readTree(resp.getData());
            assertThat(snap.path("type").asText()).isEqualTo("io.nats.jetstream.api.v1.stream_snapshot_response");
            assertThat(snap.path("config").path("name").asText()).isEqualTo("SNAP");
            assertThat(snap.path("state").path("messages").asLong()).isEqualTo(100);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int acked = 0;
            while (true) {
                Message m = chunks.nextMessage(TIMEOUT);
                assertThat(m).isNotNull();
                if (m.getData() == null || m.getData().length == 0) {
                    break;
                }
                data.write(m.getData());
                if (m.getReplyTo() != null) {
                    assertThat(m.getReplyTo()).startsWith("$JS.SNAPSHOT.ACK.SNAP.").endsWith("." + (acked + 1));
                    nc.publish(m.getReplyTo(), null);
                    acked++;
                }
            }
            assertThat(acked).isGreaterThan(2);
            jsm.deleteStream("SNAP");

            String restoreReq = "{\"config\":{\"name\":\"SNAP\",\"subjects\":[\"snap.>\"]},\"state\":{\"messages\":100}}";
            JsonNode restore = JSON.readTree(nc.request("$JS.API.STREAM.RESTORE.SNAP",
                    restoreReq.getBytes(StandardCharsets.UTF_8), TIMEOUT).getData());
            String to = restore.path("deliver_subject").asText();
            assertThat(to).startsWith("$JS.SNAPSHOT.RESTORE.SNAP.");
            byte[] all = data.toByteArray();
            for (int off = 0; off < all.length; off += 5000) {
                Message ack = nc.request(to, Arrays.copyOfRange(all, off, Math.min(all.length, off + 5000)),
                        TIMEOUT);
                assertThat(ack.getData()).isNullOrEmpty();
            }
            JsonNode done = JSON.readTree(nc.request(to, new byte[0], TIMEOUT).getData());
            assertThat(done.path("type").asText()).isEqualTo("io.nats.jetstream.api.v1.stream_create_response");
            assertThat(done.path("state").path("messages").asLong()).isEqualTo(100);
            assertThat(jsm.getStreamInfo("SNAP").getStreamState().getMsgCount()).isEqualTo(100);
            assertThat(jsm.getMessage("SNAP", 42).getData()[0]).isEqualTo((byte) 41);
            assertThat(js.publish("snap.0", new byte[1]).getSeqno()).isEqualTo(101);

            String exists = new String(nc.request("$JS.API.STREAM.RESTORE.SNAP", restoreReq
                    .getBytes(StandardCharsets.UTF_8), TIMEOUT).getData(), StandardCharsets.UTF_8);
            assertThat(exists).contains("\"err_code\":10130");
            String noDeliver = new String(nc.request("$JS.API.STREAM.SNAPSHOT.SNAP", "{\"deliver_subject\":\"a.*\"}"
                    .getBytes(StandardCharsets.UTF_8), TIMEOUT).getData(), StandardCharsets.UTF_8);
            assertThat(noDeliver).contains("\"err_code\":10015");
            String empty = new String(nc.request("$JS.API.STREAM.SNAPSHOT.SNAP", new byte[0], TIMEOUT).getData(),
                    StandardCharsets.UTF_8);
            assertThat(empty).contains("\"err_code\":10003");
        }
    }
}
