package io.jnatsd.server.jetstream;

import io.jnatsd.server.jetstream.api.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast batch reply subject as nats-server reads it ({@code getFastBatch}) and the flow message bytes. */
class FastBatchReplyTest {

    @Test
    void shouldReadEveryFieldFromTheRight() {
        FastBatchReply b = FastBatchReply.parse("_INBOX.a.b.uuid.25.fail.1.0.$FI");
        assertThat(b).isEqualTo(new FastBatchReply("uuid", 1, 25, false, FastBatchReply.OP_START));
        assertThat(b.ping()).isFalse();
        assertThat(b.commit()).isFalse();
        FastBatchReply c = FastBatchReply.parse("in.x.0.ok.7.3.$FI");
        assertThat(c.gapOk()).isTrue();
        assertThat(c.commit()).isTrue();
        assertThat(c.commitEob()).isTrue();
        assertThat(c.seq()).isEqualTo(7);
        assertThat(FastBatchReply.parse("in.x.0.ok.7.2.$FI").commitEob()).isFalse();
        assertThat(FastBatchReply.parse("in.x.0.ok.7.4.$FI").ping()).isTrue();
    }

    @Test
    void shouldAcceptAnEmptyInboxAndAnEmptyBatchId() {
        // generateFastBatchReply("", ...) in nats-server's tests publishes ".uuid.10.fail.1.0.$FI"
        assertThat(FastBatchReply.parse(".uuid.10.fail.1.0.$FI").id()).isEqualTo("uuid");
        assertThat(FastBatchReply.parse("in..10.fail.1.0.$FI").id()).isEmpty();
    }

    @Test
    void shouldClampTheInitialFlow() {
        assertThat(FastBatchReply.parse("in.x.0.fail.1.0.$FI").flow()).isEqualTo(10);
        assertThat(FastBatchReply.parse("in.x.abc.fail.1.0.$FI").flow()).isEqualTo(10);
        assertThat(FastBatchReply.parse("in.x..fail.1.0.$FI").flow()).isEqualTo(10);
        assertThat(FastBatchReply.parse("in.x.1.fail.1.0.$FI").flow()).isEqualTo(1);
        assertThat(FastBatchReply.parse("in.x.65535.fail.1.0.$FI").flow()).isEqualTo(65535);
        assertThat(FastBatchReply.parse("in.x.65536.fail.1.0.$FI").flow()).isEqualTo(65535);
        // Go's parseInt64 wraps: 2^63 becomes negative, so the default
        assertThat(FastBatchReply.parse("in.x.9223372036854775808.fail.1.0.$FI").flow()).isEqualTo(10);
    }

    @Test
    void shouldTakeUnsignedSequencesUpToTheLargestButOne() {
        assertThat(FastBatchReply.parse("in.x.1.ok.18446744073709551614.1.$FI").seq())
                .isEqualTo(Long.parseUnsignedLong("18446744073709551614"));
        assertThat(FastBatchReply.parse("in.x.1.ok.18446744073709551615.1.$FI")).isNull();
        assertThat(FastBatchReply.parse("in.x.1.ok.18446744073709551615.2.$FI")).isNull();
        assertThat(FastBatchReply.parse("in.x.1.ok.18446744073709551616.2.$FI")).isNull();
        assertThat(FastBatchReply.parse("in.x.1.ok.99999999999999999999.2.$FI")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.$FI", "a.b.$FI", "in.x.0.fail.0.0.$FI", "in.x.0.fail.2.0.$FI", "in.x.0.fail.1.1.$FI",
            "in.x.0.fail.1.3.$FI", "in.x.0.fail.1.5.$FI", "in.x.0.fail.1.-1.$FI", "in.x.0.fail.1..$FI",
            "in.x.0.maybe.1.0.$FI", "in.x.0.FAIL.1.0.$FI", "in.x.0.fail.x.0.$FI", "in.x.0.fail.-1.0.$FI",
            "x.0.fail.1.0.$FI", "0.fail.1.0.$FI", "fail.1.0.$FI"})
    void shouldRefuseInvalidPatterns(String reply) {
        assertThat(FastBatchReply.isFastBatch(reply)).isTrue();
        assertThat(FastBatchReply.parse(reply)).isNull();
    }

    @Test
    void shouldRecognizeTheSuffixOnly() {
        assertThat(FastBatchReply.isFastBatch(".$FI")).isFalse();
        assertThat(FastBatchReply.isFastBatch("a.$FI")).isTrue();
        assertThat(FastBatchReply.isFastBatch("a.$FI.b")).isFalse();
        assertThat(FastBatchReply.isFastBatch(null)).isFalse();
        assertThat(FastBatchReply.fastBatchReply("in.x.0.fail.1.0.$FI", null)).isEqualTo("in.x.0.fail.1.0.$FI");
        assertThat(FastBatchReply.fastBatchReply("_INBOX.1", null)).isNull();
    }

    @Test
    void shouldFindTheOriginalReplyOfAServiceImport() {
        byte[] hdr = ("NATS/1.0\r\nNats-Request-Info: {\"acc\":\"B\",\"reply\":\"in.x.0.fail.1.2.$FI\"}\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(FastBatchReply.fastBatchReply("_R_.abc.def", hdr)).isEqualTo("in.x.0.fail.1.2.$FI");
        assertThat(FastBatchReply.fastBatchReply("_X_.abc.def", hdr)).isNull();
        byte[] plain = "NATS/1.0\r\nNats-Request-Info: {\"acc\":\"B\",\"reply\":\"in.1\"}\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(FastBatchReply.fastBatchReply("_R_.abc.def", plain)).isNull();
        byte[] broken = "NATS/1.0\r\nNats-Request-Info: {.$FI\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FastBatchReply.fastBatchReply("_R_.abc.def", broken)).isNull();
    }

    @Test
    void shouldWriteFlowMessagesAsNatsServer() {
        assertThat(new String(FastBatches.flowAck(0, 10), StandardCharsets.US_ASCII))
                .isEqualTo("{\"type\":\"ack\",\"seq\":0,\"msgs\":10}");
        assertThat(new String(FastBatches.flowAck(-2L, 1), StandardCharsets.US_ASCII))
                .isEqualTo("{\"type\":\"ack\",\"seq\":18446744073709551614,\"msgs\":1}");
        assertThat(new String(FastBatches.gap(2, 3), StandardCharsets.US_ASCII))
                .isEqualTo("{\"type\":\"gap\",\"last_seq\":2,\"seq\":3}");
        assertThat(new String(FastBatches.flowError(2, new ApiError(400, 10071, "wrong last sequence: 1")),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"err\",\"seq\":2,\"error\":{\"code\":400,"
                + "\"err_code\":10071,\"description\":\"wrong last sequence: 1\"}}");
    }
}
