package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsgScannerTest {

    /** Records everything as text. */
    private static final class Recorder implements MsgScanner.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
            events.add("MSG[" + new String(line, 0, lineLength, StandardCharsets.US_ASCII) + "] seq=" + seq
                    + " size=" + payloadBytes);
        }

        @Override
        public void onPing() {
            events.add("PING");
        }

        @Override
        public void onPong() {
            events.add("PONG");
        }

        @Override
        public void onError(String text) {
            events.add("ERR " + text);
        }
    }

    private static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Frames.ascii("INFO {\"server_id\":\"x\",\"max_payload\":1048576} \r\n+OK\r\n"));
        PubBatch msgs = PubBatch.msgFrames("foo.bar", 7, 12, 3 * 30);
        out.writeBytes(msgs.copy(msgs.fill(1, 2)));
        out.writeBytes(Frames.ascii("PING\r\nMSG a.b 1 reply.to 3\r\n\u0001\u0002\u0003\r\nPONG\r\n"));
        out.writeBytes(Frames.ascii("MSG empty 2 0\r\n\r\n-ERR 'Slow Consumer'\r\n"));
        out.writeBytes(Frames.ascii("HMSG deliver 5 fc.reply 36 36\r\nNATS/1.0 100 FlowControl Request\r\n\r\n\r\n"));
        out.writeBytes(Frames.ascii("HMSG deliver 5 ack.reply 18 21\r\nNATS/1.0\r\nA: b\r\n\r\n\u0005\u0000\u0001\r\n"));
        PubBatch big = PubBatch.msgFrames("big", 9, 70_000, 1);
        out.writeBytes(big.copy(big.fill(0x0102030405060708L, 1)));
        return out.toByteArray();
    }

    private static final List<String> EXPECTED = List.of(
            "MSG[MSG foo.bar 7 12] seq=1 size=12",
            "MSG[MSG foo.bar 7 12] seq=2 size=12",
            "PING",
            "MSG[MSG a.b 1 reply.to 3] seq=197121 size=3",
            "PONG",
            "MSG[MSG empty 2 0] seq=0 size=0",
            "ERR 'Slow Consumer'",
            "MSG[HMSG deliver 5 fc.reply 36 36] seq=0 size=0",
            "MSG[HMSG deliver 5 ack.reply 18 21] seq=65541 size=3",
            "MSG[MSG big 9 70000] seq=72623859790382856 size=70000");

    @Test
    void shouldFindEveryItemInOneRead() {
        Recorder r = new Recorder();
        byte[] s = stream();

        new MsgScanner(r).scan(s, 0, s.length);

        assertThat(r.events).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void shouldFindTheSameItemsWhateverTheSplitPoint() {
        byte[] s = stream();
        for (int split = 1; split < s.length; split += split < 300 ? 1 : 997) {
            Recorder r = new Recorder();
            MsgScanner scanner = new MsgScanner(r);

            scanner.scan(s, 0, split);
            scanner.scan(s, split, s.length - split);

            assertThat(r.events).as("split at %d", split).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void shouldFindTheSameItemsByteByByte() {
        byte[] s = stream();
        Recorder r = new Recorder();
        MsgScanner scanner = new MsgScanner(r);

        for (int i = 0; i < s.length; i++) {
            scanner.scan(s, i, 1);
        }

        assertThat(r.events).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void shouldScanADirectBufferInPlace() {
        byte[] s = stream();
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(s.length + 10);
        direct.put(5, s);
        Recorder r = new Recorder();

        new MsgScanner(r).scan(direct, 5, s.length);

        assertThat(r.events).containsExactlyElementsOf(EXPECTED);
        assertThat(direct.position()).isZero();
    }

    @Test
    void shouldAcceptBareLineFeeds() {
        Recorder r = new Recorder();
        byte[] s = Frames.ascii("PING\nMSG x 1 1\nA\r\n");

        new MsgScanner(r).scan(s, 0, s.length);

        assertThat(r.events).containsExactly("PING", "MSG[MSG x 1 1] seq=65 size=1");
    }

    @Test
    void shouldRejectAPayloadWithoutItsTerminator() {
        byte[] s = Frames.ascii("MSG x 1 2\r\nabXY");
        MsgScanner scanner = new MsgScanner(new Recorder());

        assertThatThrownBy(() -> scanner.scan(s, 0, s.length)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CR LF");
    }

    @Test
    void shouldRejectLinesItDoesNotKnow() {
        byte[] s = Frames.ascii("HELLO\r\n");
        MsgScanner scanner = new MsgScanner(new Recorder());

        assertThatThrownBy(() -> scanner.scan(s, 0, s.length)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HELLO");
    }

    @Test
    void shouldRejectAMsgLineWithoutSize() {
        byte[] s = Frames.ascii("MSG x 1 abc\r\n");
        MsgScanner scanner = new MsgScanner(new Recorder());

        assertThatThrownBy(() -> scanner.scan(s, 0, s.length)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad MSG line");
    }
}
