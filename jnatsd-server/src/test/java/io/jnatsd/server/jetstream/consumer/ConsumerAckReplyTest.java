package io.jnatsd.server.jetstream.consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ack reply subject a delivery carries, written in place into a byte array ({@code Consumer.putDecimal}), and read
 * back by the ack subject parser ({@code Consumer.ackReplyInfo}).
 */
class ConsumerAckReplyTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 12345, 1_765_143_000_123_456_789L, Long.MAX_VALUE, -1, -10,
            Long.MIN_VALUE})
    void putDecimalWritesWhatLongToStringWrites(long v) {
        byte[] b = new byte[32];
        b[0] = 'x';
        int end = Consumer.putDecimal(b, 1, v);
        assertThat(new String(b, 1, end - 1, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        assertThat(b[0]).isEqualTo((byte) 'x');
    }

    @Test
    void anAckSubjectWrittenInPlaceParsesBack() {
        byte[] prefix = "$JS.ACK.ORDERS.C1.".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[prefix.length + 5 * 20 + 4];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        int at = Consumer.putDecimal(b, prefix.length, 3);
        b[at++] = '.';
        at = Consumer.putDecimal(b, at, 1_000_001);
        b[at++] = '.';
        at = Consumer.putDecimal(b, at, 42);
        b[at++] = '.';
        at = Consumer.putDecimal(b, at, 1_765_143_000_123_456_789L);
        b[at++] = '.';
        at = Consumer.putDecimal(b, at, 7);
        String subject = new String(b, 0, at, StandardCharsets.US_ASCII);

        assertThat(subject).isEqualTo("$JS.ACK.ORDERS.C1.3.1000001.42.1765143000123456789.7");
        assertThat(Consumer.ackReplyInfo(subject)).containsExactly(1_000_001, 42, 3, 1_765_143_000_123_456_789L, 7);
    }
}
