package io.jnatsd.server.transport;

import io.jnatsd.server.transport.ProxyProtocolHandler.ProxyHeaderEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyProtocolHandlerTest {

    /** Records what passes the proxy handler: events and bytes, in order. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();
        final StringBuilder bytes = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            seen.add("bytes");
            bytes.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldReportTheSourceThenPassTheFollowingBytesOnly() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyProtocolHandler(), recorder);
        String input = "PROXY TCP4 192.0.2.7 10.0.0.1 51234 4222\r\nCONNECT {}\r\nPING\r\n";
        for (int i = 0; i < input.length(); i++) {                       // one byte at a time
            channel.writeInbound(ascii(input.substring(i, i + 1)));
        }
        assertThat(recorder.seen.get(0)).isInstanceOfSatisfying(ProxyHeaderEvent.class, e -> {
            assertThat(e.error()).isNull();
            assertThat(e.source().getAddress().getHostAddress()).isEqualTo("192.0.2.7");
            assertThat(e.source().getPort()).isEqualTo(51234);
        });
        assertThat(recorder.bytes.toString()).isEqualTo("CONNECT {}\r\nPING\r\n");
        assertThat(channel.pipeline().get(ProxyProtocolHandler.class)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldReplayClientBytesWhenThereIsNoHeader() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyProtocolHandler(), recorder);
        channel.writeInbound(ascii("PIN"));
        assertThat(recorder.seen).isEmpty();
        channel.writeInbound(ascii("G\r\nPONG\r\n"));
        assertThat(recorder.seen.get(0)).isEqualTo(new ProxyHeaderEvent(null, null));
        assertThat(recorder.bytes.toString()).isEqualTo("PING\r\nPONG\r\n");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldReportAMalformedHeaderAndDropItsBytes() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyProtocolHandler(), recorder);
        channel.writeInbound(ascii("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\nPING\r\n"));
        assertThat(recorder.seen).containsExactly(
                new ProxyHeaderEvent(null, "invalid PROXY protocol header: invalid protocol TCP5"));
        channel.writeInbound(ascii("more"));
        assertThat(recorder.bytes.toString()).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldReportATimeoutWhenTheHeaderIsIncomplete() throws Exception {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyProtocolHandler(Duration.ofMillis(1)), recorder);
        channel.writeInbound(ascii("PROXY TCP4 1.2"));
        // the embedded channel runs scheduled tasks whose deadline has passed
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorder.seen.isEmpty() && System.nanoTime() < deadline) {
            channel.runScheduledPendingTasks();
        }
        assertThat(recorder.seen).containsExactly(new ProxyHeaderEvent(null, "failed to read v1 line: i/o timeout"));
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldReportAClientThatClosesMidHeader() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyProtocolHandler(), recorder);
        channel.writeInbound(ascii("PRO"));
        channel.close();
        assertThat(recorder.seen).containsExactly(
                new ProxyHeaderEvent(null, "failed to read protocol version: unexpected EOF"));
        channel.finishAndReleaseAll();
    }
}
