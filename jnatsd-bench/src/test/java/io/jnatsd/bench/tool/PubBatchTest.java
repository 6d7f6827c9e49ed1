package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PubBatchTest {

    private static String text(PubBatch b, int len) {
        assertThat(b.view(len).remaining()).isEqualTo(len);
        return new String(b.copy(len), StandardCharsets.ISO_8859_1);
    }

    private static String le(long seq, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ((seq >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void shouldEncodePubFramesWithSequenceNumbersLittleEndian() {
        PubBatch b = PubBatch.of("foo.bar", null, 10, 1);

        assertThat(b.frames()).isEqualTo(1);
        int len = b.fill(0x0102030405060708L, 1);

        assertThat(text(b, len)).isEqualTo("PUB foo.bar 10\r\n" + le(0x0102030405060708L, 8) + "xx\r\n");
    }

    @Test
    void shouldFitAsManyFramesAsTheTargetAndPatchEachOne() {
        // "PUB s 8\r\n" (9) + 8 + 2 = 19 bytes per frame
        PubBatch b = PubBatch.of("s", null, 8, 19 * 4 + 5);

        assertThat(b.frames()).isEqualTo(4);
        int len = b.fill(7, 3);

        assertThat(len).isEqualTo(19 * 3);
        assertThat(text(b, len)).isEqualTo("PUB s 8\r\n" + le(7, 8) + "\r\n" + "PUB s 8\r\n" + le(8, 8) + "\r\n"
                + "PUB s 8\r\n" + le(9, 8) + "\r\n");
    }

    @Test
    void shouldIncludeTheReplySubject() {
        PubBatch b = PubBatch.of("req", "inbox.1", 8, 1);

        assertThat(text(b, b.fill(1, 1))).isEqualTo("PUB req inbox.1 8\r\n" + le(1, 8) + "\r\n");
    }

    @Test
    void shouldCarryOnlyTheLowBytesInShortPayloads() {
        PubBatch five = PubBatch.of("s", null, 5, 1);
        PubBatch empty = PubBatch.of("s", null, 0, 1);

        assertThat(text(five, five.fill(0x1122334455667788L, 1)))
                .isEqualTo("PUB s 5\r\n" + le(0x1122334455667788L, 5) + "\r\n");
        assertThat(text(empty, empty.fill(42, 1))).isEqualTo("PUB s 0\r\n\r\n");
    }

    @Test
    void shouldEncodeOneFramePerSubject() {
        byte[][] subjects = {Frames.ascii("a"), Frames.ascii("bb.x")};
        PubBatch b = PubBatch.ofSubjects(subjects, 8);

        assertThat(b.frames()).isEqualTo(2);
        assertThat(text(b, b.fill(1, 2))).isEqualTo("PUB a 8\r\n" + le(1, 8) + "\r\n" + "PUB bb.x 8\r\n" + le(2, 8)
                + "\r\n");
    }

    @Test
    void shouldEncodeServerMsgFramesForTheSelfTest() {
        PubBatch b = PubBatch.msgFrames("subj", 3, 8, 1);

        assertThat(text(b, b.fill(5, 1))).isEqualTo("MSG subj 3 8\r\n" + le(5, 8) + "\r\n");
    }

    @Test
    void shouldRejectCountsOutsideTheBatch() {
        PubBatch b = PubBatch.of("s", null, 8, 1);

        assertThatThrownBy(() -> b.fill(1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.fill(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PubBatch.of("s", null, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEncodePayloadsLikeThePublisher() {
        byte[] dst = new byte[12];

        PubBatch.encodePayload(dst, 1, 10, 0x0A0B);

        assertThat(new String(dst, 1, 10, StandardCharsets.ISO_8859_1)).isEqualTo(le(0x0A0B, 8) + "xx");
    }
}
