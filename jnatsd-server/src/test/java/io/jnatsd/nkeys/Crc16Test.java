package io.jnatsd.nkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc16Test {

    @Test
    void shouldComputeXmodemCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(Crc16.compute(check, 0, check.length)).isEqualTo(0x31c3);
        assertThat(Crc16.compute(check, 0, 0)).isZero();
    }

    @Test
    void shouldComputeOverSlice() {
        byte[] padded = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);

        assertThat(Crc16.compute(padded, 2, 9)).isEqualTo(0x31c3);
    }
}
