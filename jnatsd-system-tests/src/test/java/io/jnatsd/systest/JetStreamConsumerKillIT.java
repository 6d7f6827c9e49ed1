package io.jnatsd.systest;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer's state survives {@code kill -9} of {@code bin/jnatsd} (with {@code sync_interval: always}, so what was
 * acknowledged to the client is on disk): delivered sequences, ack floor, pending acknowledgements and redelivery
 * counts are as before, and delivery continues where it was.
 */
class JetStreamConsumerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(Path conf) throws IOException {
        String launcher = System.getProperty("jnatsd.launcher");
        assertThat(launcher).as("jnatsd.launcher system property").isNotNull();
        ProcessBuilder pb = new ProcessBuilder("bash", launcher, "-c", conf.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("out.log").toFile()));
        pb.environment().put("JNATSD_AOT", "off");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static Connection connect(int port) throws Exception {
        Options o = new Options.Builder().server("nats://127.0.0.1:" + port).connectionTimeout(WAIT)
                .maxReconnects(0).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return Nats.connect(o);
            } catch (IOException e) {
                assertThat(System.nanoTime()).as("server listening in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void consumerStateSurvivesKillMinusNine() throws Exception {
        int port = freePort();
        Path conf = dir.resolve("js.conf");
        Files.writeString(conf, "port: " + port + "\nnet: 127.0.0.1\njetstream { store_dir: \"" + dir.resolve("js")
                + "\", sync_interval: always }\n");
        Process p = start(conf);
        ConsumerInfo before;
        try (Connection nc = connect(port)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            JetStream js = nc.jetStream();
            jsm.addStream(StreamConfiguration.builder().name("K").subjects("k.>").storageType(StorageType.File)
                    .build());
            for (int i = 0; i < 6; i++) {
                js.publish("k.a", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            jsm.addOrUpdateConsumer("K", ConsumerConfiguration.builder().durable("dur")
                    .ackPolicy(AckPolicy.Explicit).build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("K", "dur"));
            List<Message> got = sub.fetch(4, TIMEOUT);
            got.get(0).ackSync(TIMEOUT);
            got.get(1).ackSync(TIMEOUT);
            got.get(2).nak();
            Message again = sub.fetch(1, TIMEOUT).get(0);
            assertThat(again.metaData().deliveredCount()).isEqualTo(2);
            before = jsm.getConsumerInfo("K", "dur");
        }
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        p.waitFor();
        start(conf);
        try (Connection nc = connect(port)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            ConsumerInfo after = jsm.getConsumerInfo("K", "dur");
            assertThat(after.getDelivered().getStreamSequence()).isEqualTo(before.getDelivered().getStreamSequence())
                    .isEqualTo(4);
            assertThat(after.getDelivered().getConsumerSequence()).isEqualTo(5);
            assertThat(after.getAckFloor().getStreamSequence()).isEqualTo(2);
            assertThat(after.getAckFloor().getConsumerSequence()).isEqualTo(2);
            assertThat(after.getNumAckPending()).isEqualTo(2);
            assertThat(after.getRedelivered()).isEqualTo(1);
            assertThat(after.getNumPending()).isEqualTo(2);
            JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("K", "dur"));
            List<Message> rest = sub.fetch(2, TIMEOUT);
            assertThat(rest).extracting(m -> m.metaData().streamSequence()).containsExactly(5L, 6L);
        }
    }
}
