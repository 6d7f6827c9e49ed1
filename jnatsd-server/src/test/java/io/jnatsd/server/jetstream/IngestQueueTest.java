package io.jnatsd.server.jetstream;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest queue's limits by count and by bytes ({@code ipqLimitByLen}, {@code ipqLimitBySize}) with nats-server's
 * reasons, server messages bypassing them, the writer's wait and close.
 */
class IngestQueueTest {

    private static IngestQueue.Message msg(int payload) {
        return new IngestQueue.Message("s", null, null, new byte[payload], false);
    }

    @Test
    void refusesBeyondTheMessageLimit() {
        IngestQueue q = new IngestQueue(2, Long.MAX_VALUE);
        assertThat(q.offer(msg(1))).isTrue();
        assertThat(q.offer(msg(1))).isTrue();
        assertThat(q.offer(msg(1))).isFalse();
        assertThat(q.overflowReason()).isEqualTo("IPQ len limit reached");
        assertThat(q.size()).isEqualTo(2);
        q.offerInternal(msg(1));
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNull();
        assertThat(q.offer(msg(1))).isTrue();
    }

    @Test
    void refusesBeyondTheByteLimit() {
        IngestQueue q = new IngestQueue(100, 10);
        assertThat(q.offer(msg(8))).isTrue();          // 1 subject byte + 8
        assertThat(q.offer(msg(1))).isFalse();
        assertThat(q.overflowReason()).isEqualTo("IPQ size limit reached");
        assertThat(q.size()).isEqualTo(1);
        q.poll();
        assertThat(q.offer(msg(9))).isTrue();
    }

    @Test
    void wakesTheWriterAndStopsOnClose() throws Exception {
        IngestQueue q = new IngestQueue(10, 1000);
        CountDownLatch got = new CountDownLatch(1);
        Thread writer = Thread.ofVirtual().start(() -> {
            q.awaitMessages();
            if (q.poll() != null) {
                got.countDown();
            }
            q.awaitMessages();                             // returns when closed
        });
        Thread.sleep(50);
        assertThat(q.offer(msg(1))).isTrue();
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
        q.close();
        writer.join(5000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(q.offer(msg(1))).isFalse();
    }
}
