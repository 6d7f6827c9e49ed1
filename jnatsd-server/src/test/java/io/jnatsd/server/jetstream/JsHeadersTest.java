package io.jnatsd.server.jetstream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Header block edits as nats-server makes them ({@code genHeader}, {@code setHeader}, {@code removeHeaderIfPresent}). */
class JsHeadersTest {

    private static byte[] h(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void readsValues() {
        byte[] hdr = h("NATS/1.0\r\nNats-Msg-Id: m1\r\nNats-TTL:\r\n\r\n");
        assertThat(JsHeaders.get(hdr, JsHeaders.MSG_ID)).isEqualTo("m1");
        assertThat(JsHeaders.get(hdr, JsHeaders.TTL)).isEmpty();
        assertThat(JsHeaders.has(hdr, JsHeaders.TTL)).isFalse();
        assertThat(JsHeaders.get(hdr, JsHeaders.ROLLUP)).isNull();
        assertThat(JsHeaders.parseInt64("42")).isEqualTo(42);
        assertThat(JsHeaders.parseInt64("-1")).isEqualTo(-1);
        assertThat(JsHeaders.parseInt64("4x")).isEqualTo(-1);
        assertThat(JsHeaders.parseInt64("")).isEqualTo(-1);
    }

    @Test
    void appendsSetsAndRemoves() {
        assertThat(s(JsHeaders.append(null, "A", "1"))).isEqualTo("NATS/1.0\r\nA: 1\r\n\r\n");
        byte[] two = JsHeaders.append(h("NATS/1.0\r\nA: 1\r\n\r\n"), "B", "2");
        assertThat(s(two)).isEqualTo("NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n");
        assertThat(s(JsHeaders.set(two, "A", "10"))).isEqualTo("NATS/1.0\r\nA: 10\r\nB: 2\r\n\r\n");
        assertThat(s(JsHeaders.set(two, "C", "3"))).isEqualTo("NATS/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        assertThat(s(JsHeaders.remove(two, "A"))).isEqualTo("NATS/1.0\r\nB: 2\r\n\r\n");
        assertThat(JsHeaders.remove(two, "Z")).isSameAs(two);
        assertThat(JsHeaders.remove(h("NATS/1.0\r\nA: 1\r\n\r\n"), "A")).isNull();
    }

    @Test
    void writesAndDropsStatusLines() {
        assertThat(s(JsHeaders.status(429, "Too Many Requests"))).isEqualTo("NATS/1.0 429 Too Many Requests\r\n\r\n");
        assertThat(s(JsHeaders.status(404, "Message Not Found", "Nats-Num-Pending", "0")))
                .isEqualTo("NATS/1.0 404 Message Not Found\r\nNats-Num-Pending: 0\r\n\r\n");
        assertThat(s(JsHeaders.removeStatus(h("NATS/1.0 503\r\nA: 1\r\n\r\n")))).isEqualTo("NATS/1.0\r\nA: 1\r\n\r\n");
        byte[] plain = h("NATS/1.0\r\nA: 1\r\n\r\n");
        assertThat(JsHeaders.removeStatus(plain)).isSameAs(plain);
    }

    @Test
    void sizesMessagesAsTheStores() {
        assertThat(JsHeaders.fileStoreMsgSize("foo", 0, 10)).isEqualTo(22 + 3 + 10 + 8);
        assertThat(JsHeaders.fileStoreMsgSize("foo", 12, 10)).isEqualTo(22 + 3 + 4 + 12 + 10 + 8);
        assertThat(JsHeaders.memStoreMsgSize("foo", 12, 10)).isEqualTo(3 + 12 + 10 + 16);
    }
}
