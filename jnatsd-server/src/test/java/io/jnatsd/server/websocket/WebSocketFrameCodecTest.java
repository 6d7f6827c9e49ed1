package io.jnatsd.server.websocket;

import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.WebSocketState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame decoder and encoder on an {@link EmbeddedChannel} with a real (never accepted) connection: payloads fed
 * one byte at a time and split at every point, masking, fragmentation with control frames in between, compressed
 * messages and their limits, close handling, and the outgoing framing (one frame per flush, compression above 64
 * bytes, browser frame limits). Leak detection is paranoid.
 */
class WebSocketFrameCodecTest {

    private static ResourceLeakDetector.Level savedLevel;
    private static NatsServer host;

    @BeforeAll
    static void setUp() {
        savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        host = new NatsServer(ServerOptions.builder().port(ServerOptions.RANDOM_PORT).maxPayload(1000).build());
    }

    @AfterAll
    static void tearDown() {
        ResourceLeakDetector.setLevel(savedLevel);
        host.shutdown();
    }

    /** Collects what the decoder passes on (the NATS bytes). */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] copy = new byte[buf.readableBytes()];
            buf.readBytes(copy);
            bytes.writeBytes(copy);
            buf.release();
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private record Setup(EmbeddedChannel channel, Recorder recorder, Connection connection) {
    }

    private static Setup setup(boolean compress, boolean maskRead, boolean browser) {
        WebSocketState state = new WebSocketState(compress, maskRead, browser, false, "", "", "", "", null, null);
        EmbeddedChannel channel = new EmbeddedChannel();
        Recorder recorder = new Recorder();
        channel.pipeline().addLast(new WebSocketFrameEncoder(state), new WebSocketFrameDecoder(state), recorder);
        Connection connection = Connection.webSocketClient(host, 100, channel, state);
        return new Setup(channel, recorder, connection);
    }

    static byte[] frame(int opcode, byte[] payload, boolean fin, byte[] key, int rsv) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = key != null ? 0x80 : 0;
        if (payload.length <= 125) {
            b.put((byte) (maskBit | payload.length));
        } else if (payload.length < 65536) {
            b.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            b.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (key != null) {
            b.put(key);
            for (int i = 0; i < payload.length; i++) {
                b.put((byte) (payload[i] ^ key[i & 3]));
            }
        } else {
            b.put(payload);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        deflater.setInput(data);
        byte[] buffer = new byte[data.length + 64];
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(buffer, n - 4);
    }

    private static byte[] inflate(byte[] data) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(concat(data, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        byte[] out = new byte[65536];
        int n = inflater.inflate(out);
        inflater.end();
        return Arrays.copyOf(out, n);
    }

    /** Everything written to the channel, as raw bytes. */
    private static byte[] outbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] copy = new byte[buf.readableBytes()];
            buf.readBytes(copy);
            out.writeBytes(copy);
            ReferenceCountUtil.release(buf);
        }
        return out.toByteArray();
    }

    @Test
    void shouldDecodeTheSameBytesWhateverTheSplits() {
        byte[] keyA = {1, 2, 3, 4};
        byte[] keyB = {(byte) 0xf0, 0x0f, (byte) 0xaa, 0x55};
        byte[] input = concat(
                frame(2, ascii("PUB a 26\r\nabcdefghijklmnopqrstuvwxyz\r\n"), true, keyA, 0),
                frame(1, ascii("SUB b "), false, keyB, 0),
                frame(10, ascii("pong"), true, keyA, 0),
                frame(0, ascii("1\r\n"), true, keyB, 0),
                frame(2, ascii("x".repeat(300)), true, keyA, 0),           // 16-bit length, 8-byte unmasking
                frame(2, new byte[0], true, keyB, 0));
        String expected = "PUB a 26\r\nabcdefghijklmnopqrstuvwxyz\r\nSUB b 1\r\n" + "x".repeat(300);
        for (int split = 0; split <= input.length; split++) {
            Setup s = setup(false, true, false);
            s.channel().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, 0, split)));
            s.channel().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, split, input.length)));
            assertThat(s.recorder().text()).as("split at " + split).isEqualTo(expected);
            assertThat(s.connection().isClosed()).isFalse();
            s.channel().finishAndReleaseAll();
        }
        Setup s = setup(false, true, false);
        for (byte b : input) {
            s.channel().writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(s.recorder().text()).isEqualTo(expected);
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldAnswerAPingAndEchoAClose() {
        Setup s = setup(false, true, false);
        s.channel().writeInbound(Unpooled.wrappedBuffer(frame(9, ascii("hi"), true, KEY, 0)));
        assertThat(outbound(s.channel())).containsExactly(0x8a, 0x02, 'h', 'i');
        s.channel().writeInbound(Unpooled.wrappedBuffer(concat(frame(8, new byte[] {0x03, (byte) 0xe8, 'o', 'k'},
                true, KEY, 0), frame(2, ascii("PING\r\n"), true, KEY, 0))));
        assertThat(outbound(s.channel())).containsExactly(0x88, 0x04, 0x03, 0xe8, 'o', 'k');
        assertThat(s.connection().closedState()).isEqualTo(ClosedState.CLIENT_CLOSED);
        assertThat(s.recorder().text()).as("nothing after the close frame is read").isEmpty();
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldCloseWithStatus1002OnAProtocolError() {
        Setup s = setup(false, true, false);
        s.channel().writeInbound(Unpooled.wrappedBuffer(concat(frame(2, ascii("PUB a 1\r\nx\r\n"), true, KEY, 0),
                frame(2, ascii("PING\r\n"), true, null, 0))));
        assertThat(s.recorder().text()).isEqualTo("PUB a 1\r\nx\r\n");
        byte[] close = outbound(s.channel());
        assertThat(close[0] & 0xff).isEqualTo(0x88);
        assertThat(new String(close, 4, close.length - 4, StandardCharsets.UTF_8)).isEqualTo("mask bit missing");
        assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).isEqualTo(1002);
        assertThat(s.connection().closedState()).isEqualTo(ClosedState.READ_ERROR);
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldAcceptUnmaskedFramesWhenMaskingWasTurnedOff() {
        Setup s = setup(false, false, false);
        s.channel().writeInbound(Unpooled.wrappedBuffer(frame(2, ascii("PING\r\n"), true, null, 0)));
        assertThat(s.recorder().text()).isEqualTo("PING\r\n");
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldInflateCompressedMessagesSplitAnywhere() {
        String text = "PUB a 500\r\n" + "q".repeat(500) + "\r\n";
        byte[] deflated = deflate(ascii(text));
        int half = deflated.length / 2;
        byte[] input = concat(frame(2, Arrays.copyOfRange(deflated, 0, half), false, KEY, 0x40),
                frame(9, new byte[0], true, KEY, 0),
                frame(0, Arrays.copyOfRange(deflated, half, deflated.length), true, KEY, 0),
                frame(2, ascii("PING\r\n"), true, KEY, 0));
        for (int split = 0; split <= input.length; split += 3) {
            Setup s = setup(true, true, false);
            s.channel().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, 0, split)));
            s.channel().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, split, input.length)));
            assertThat(s.recorder().text()).as("split at " + split).isEqualTo(text + "PING\r\n");
            s.channel().finishAndReleaseAll();
        }
    }

    @Test
    void shouldStopAtMaxPayloadWhenInflating() {
        Setup s = setup(true, true, false);
        byte[] deflated = deflate(ascii("PING\r\n".repeat(200)));       // 1200 bytes > max_payload 1000
        s.channel().writeInbound(Unpooled.wrappedBuffer(frame(2, deflated, true, KEY, 0x40)));
        assertThat(s.recorder().text()).hasSize(1000);
        assertThat(s.connection().closedState()).isEqualTo(ClosedState.READ_ERROR);
        assertThat(outbound(s.channel())).as("no close frame after a read error").isEmpty();
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldRefuseACompressedMessageLargerThanEightMaxPayloads() {
        Setup s = setup(true, true, false);
        byte[] big = new byte[8001];
        s.channel().writeInbound(Unpooled.wrappedBuffer(frame(2, big, true, KEY, 0x40)));
        assertThat(s.recorder().text()).isEmpty();
        assertThat(s.connection().closedState()).isEqualTo(ClosedState.READ_ERROR);
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldFrameEachFlushAsOneBinaryFrame() {
        Setup s = setup(false, true, false);
        s.channel().write(Unpooled.copiedBuffer(ascii("MSG a 1 2\r\n")));
        s.channel().write(Unpooled.copiedBuffer(ascii("hi\r\n")));
        s.channel().flush();
        assertThat(outbound(s.channel())).isEqualTo(concat(new byte[] {(byte) 0x82, 15}, ascii("MSG a 1 2\r\nhi\r\n")));
        byte[] big = ascii("z".repeat(70_000));
        s.channel().writeAndFlush(Unpooled.wrappedBuffer(big));
        byte[] out = outbound(s.channel());
        assertThat(Arrays.copyOfRange(out, 0, 10)).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70);
        assertThat(out).hasSize(10 + 70_000);
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldCompressOnlyAbove64Bytes() throws Exception {
        Setup s = setup(true, true, false);
        s.channel().writeAndFlush(Unpooled.copiedBuffer(ascii("x".repeat(64))));
        byte[] small = outbound(s.channel());
        assertThat(small[0] & 0xff).isEqualTo(0x82);
        assertThat(small).hasSize(66);
        String payload = "MSG big 1 100\r\n" + "y".repeat(100) + "\r\n";
        s.channel().write(Unpooled.copiedBuffer(ascii(payload.substring(0, 20))));
        s.channel().write(Unpooled.copiedBuffer(ascii(payload.substring(20))));
        s.channel().flush();
        byte[] frame = outbound(s.channel());
        assertThat(frame[0] & 0xff).isEqualTo(0xc2);                       // FIN, RSV1, binary
        assertThat(frame[1] & 0xff).isEqualTo(frame.length - 2);
        assertThat(new String(inflate(Arrays.copyOfRange(frame, 2, frame.length)), StandardCharsets.ISO_8859_1))
                .isEqualTo(payload);
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldCutFramesAt4096BytesForBrowsers() throws Exception {
        Setup s = setup(false, true, true);
        s.channel().write(Unpooled.copiedBuffer(ascii("a".repeat(3000))));
        s.channel().write(Unpooled.copiedBuffer(ascii("b".repeat(3000))));
        s.channel().flush();
        byte[] out = outbound(s.channel());
        assertThat(Arrays.copyOfRange(out, 0, 4)).containsExactly(0x82, 126, 0x10, 0x00);
        assertThat(Arrays.copyOfRange(out, 4100, 4104)).containsExactly(0x82, 126, 0x07, 0x70);
        assertThat(out).hasSize(4 + 4096 + 4 + 1904);
        s.channel().finishAndReleaseAll();

        Setup compressed = setup(true, true, true);
        byte[] random = new byte[20_000];
        new java.util.Random(7).nextBytes(random);                       // does not compress
        compressed.channel().writeAndFlush(Unpooled.wrappedBuffer(random));
        byte[] frames = outbound(compressed.channel());
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int at = 0;
        boolean first = true;
        while (at < frames.length) {
            int b0 = frames[at] & 0xff;
            assertThat(b0 & 0x40).as("RSV1 on the first frame only").isEqualTo(first ? 0x40 : 0);
            assertThat(b0 & 0x0f).isEqualTo(first ? 2 : 0);
            int length = frames[at + 1] & 0x7f;
            int header = 2;
            if (length == 126) {
                length = ((frames[at + 2] & 0xff) << 8) | (frames[at + 3] & 0xff);
                header = 4;
            }
            assertThat(length).isLessThanOrEqualTo(4096);
            message.write(frames, at + header, length);
            at += header + length;
            first = false;
            if ((b0 & 0x80) != 0) {
                break;
            }
        }
        assertThat(at).isEqualTo(frames.length);
        assertThat(inflate(message.toByteArray())).isEqualTo(random);
        compressed.channel().finishAndReleaseAll();
    }

    @Test
    void shouldSendControlFramesAfterQueuedData() {
        Setup s = setup(false, true, false);
        s.channel().write(Unpooled.copiedBuffer(ascii("PONG\r\n")));
        s.channel().writeAndFlush(new WebSocketState.ControlFrame(WebSocketState.closeFrame(s.channel().alloc(), 1000,
                "Client Closed")));
        byte[] out = outbound(s.channel());
        assertThat(Arrays.copyOfRange(out, 0, 8)).isEqualTo(concat(new byte[] {(byte) 0x82, 6}, ascii("PONG\r\n")));
        assertThat(out[8] & 0xff).isEqualTo(0x88);
        assertThat(new String(out, 12, out.length - 12, StandardCharsets.UTF_8)).isEqualTo("Client Closed");
        s.channel().finishAndReleaseAll();
    }

    @Test
    void shouldCutLongCloseReasons() {
        ByteBuf frame = WebSocketState.closeFrame(Unpooled.buffer().alloc(), 1002, "r".repeat(200));
        assertThat(frame.getUnsignedByte(1)).isEqualTo((short) 125);
        assertThat(frame.toString(4, frame.readableBytes() - 4, StandardCharsets.UTF_8))
                .isEqualTo("r".repeat(120) + "...");
        frame.release();
    }

    @Test
    void shouldValidateCloseStatusesAsNatsServer() {
        for (int ok : new int[] {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999}) {
            assertThat(WebSocketFrameDecoder.validCloseStatus(ok)).as(Integer.toString(ok)).isTrue();
        }
        for (int bad : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            assertThat(WebSocketFrameDecoder.validCloseStatus(bad)).as(Integer.toString(bad)).isFalse();
        }
    }

    @Test
    void shouldMapCloseReasonsToStatusesAsNatsServer() {
        assertThat(WebSocketState.closeStatus(ClosedState.CLIENT_CLOSED)).isEqualTo(1000);
        assertThat(WebSocketState.closeStatus(ClosedState.AUTHENTICATION_TIMEOUT)).isEqualTo(1008);
        assertThat(WebSocketState.closeStatus(ClosedState.REVOCATION)).isEqualTo(1008);
        assertThat(WebSocketState.closeStatus(ClosedState.TLS_HANDSHAKE_ERROR)).isEqualTo(1015);
        assertThat(WebSocketState.closeStatus(ClosedState.BAD_CLIENT_PROTOCOL_VERSION)).isEqualTo(1002);
        assertThat(WebSocketState.closeStatus(ClosedState.MAX_PAYLOAD_EXCEEDED)).isEqualTo(1009);
        assertThat(WebSocketState.closeStatus(ClosedState.STALE_CONNECTION)).isEqualTo(1001);
        assertThat(WebSocketState.closeStatus(ClosedState.SERVER_SHUTDOWN)).isEqualTo(1001);
        assertThat(WebSocketState.closeStatus(ClosedState.PROXY_REQUIRED)).isEqualTo(1011);
        assertThat(WebSocketState.closeStatus(ClosedState.NO_RESPONDERS_REQUIRES_HEADERS)).isEqualTo(1011);
    }
}
