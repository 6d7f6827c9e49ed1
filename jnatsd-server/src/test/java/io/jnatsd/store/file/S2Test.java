package io.jnatsd.store.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * S2 block codec: round trips, hand-built vectors of the block format (Snappy elements and S2's repeat-offset
 * copies, following klauspost/compress s2's decoder), and corrupt input.
 */
class S2Test {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void decodesLiteralAndCopies() {
        // length 12 | literal "abcd" | copy1 offset 4 length 4 | S2 repeat (copy1 offset 0) length 4
        byte[] block = b(12, 0x0c, 'a', 'b', 'c', 'd', 0x01, 0x04, 0x01, 0x00);
        assertThat(new String(S2.decode(block, 0, block.length), StandardCharsets.US_ASCII))
                .isEqualTo("abcdabcdabcd");
    }

    @Test
    void decodesRepeatWithExtendedLengths() {
        // "ab" then copy2 offset 2 length 2 ("abab"), then repeat code 5: length = next byte + 4 + 4 = 10
        byte[] block = b(14, 0x04, 'a', 'b', (2 - 1) << 2 | 2, 2, 0, (5 << 2) | 1, 0x00, 2);
        assertThat(new String(S2.decode(block, 0, block.length), StandardCharsets.US_ASCII))
                .isEqualTo("ab".repeat(7));
    }

    @Test
    void decodesCopy4AndLongLiterals() {
        byte[] lit = new byte[300];
        new Random(5).nextBytes(lit);
        // literal of 300 bytes (tag 61: two length bytes), then copy4 offset 300 length 64
        byte[] block = new byte[3 + 3 + 300 + 5];
        int p = 0;
        block[p++] = (byte) (364 & 0x7F | 0x80);
        block[p++] = (byte) (364 >>> 7);
        block[p++] = (byte) (61 << 2);
        block[p++] = (byte) 299;
        block[p++] = (byte) (299 >>> 8);
        System.arraycopy(lit, 0, block, p, 300);
        p += 300;
        block[p++] = (byte) ((63 << 2) | 3);
        block[p++] = (byte) 44;
        block[p++] = (byte) 1;
        block[p++] = 0;
        block[p++] = 0;
        byte[] out = S2.decode(block, 0, p);
        assertThat(out).hasSize(364);
        assertThat(java.util.Arrays.copyOf(out, 300)).isEqualTo(lit);
        assertThat(java.util.Arrays.copyOfRange(out, 300, 364)).isEqualTo(java.util.Arrays.copyOf(lit, 64));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 100, 4096, 100_000, 1_000_000})
    void roundTrips(int size) {
        Random r = new Random(size);
        String[] words = {"nats ", "jetstream ", "stream ", "consumer ", "subject ", "ack ", "pull ", "push "};
        StringBuilder sb = new StringBuilder(size + 16);
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]);
        }
        byte[] text = sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        byte[] enc = S2.encode(text, 0, size);
        assertThat(S2.decode(enc, 0, enc.length)).isEqualTo(text);
        if (size >= 4096) {
            assertThat(enc.length).isLessThan(size / 2);
        }
        byte[] random = new byte[size];
        r.nextBytes(random);
        byte[] enc2 = S2.encode(random, 0, size);
        assertThat(S2.decode(enc2, 0, enc2.length)).isEqualTo(random);
        assertThat(enc2.length).isLessThanOrEqualTo(S2.maxEncodedLength(size));
    }

    @Test
    void encodesRecordsCompactly() {
        byte[] data = new byte[64 * 1024];
        int p = 0;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long seq = 1;
        while (p + 200 < data.length) {
            p += Records.write(data, p, seq++, 1_700_000_000_000_000_000L + seq, "orders.eu.1234", 14, null,
                    ("{\"id\":" + seq + ",\"qty\":3}").getBytes(StandardCharsets.UTF_8), crc);
        }
        byte[] enc = S2.encode(data, 0, p);
        assertThat(enc.length).isLessThan(p / 2);
        assertThat(S2.decode(enc, 0, enc.length)).isEqualTo(java.util.Arrays.copyOf(data, p));
    }

    @Test
    void rejectsCorruptInput() {
        assertThatThrownBy(() -> S2.decode(b(5, 0x0c, 'a'), 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S2.decode(b(8, 0x01, 0x04), 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S2.decode(b(4, 0x01, 0x00), 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S2.decode(b(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), 0, 6))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] ok = S2.encode("hello hello hello hello".getBytes(StandardCharsets.US_ASCII), 0, 23);
        ok[0] = 30;                                 // wrong decoded length
        assertThatThrownBy(() -> S2.decode(ok, 0, ok.length)).isInstanceOf(IllegalArgumentException.class);
    }
}
