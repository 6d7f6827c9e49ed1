package io.jnatsd.bench;

import io.jnatsd.protocol.ProtocolError;
import io.jnatsd.protocol.ProtocolHandler;
import io.jnatsd.protocol.ProtocolParser;
import io.jnatsd.protocol.PublishLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link ProtocolParser#parse} over pre-built client streams of {@value #OPERATIONS} operations each, reported as
 * operations (messages) per second.
 *
 * <p>Streams ({@link #stream}):
 * <ul>
 *   <li>{@code pub16}, {@code pub1k}, {@code pub64k}: {@code PUB bench.subject.<n> <size>} with 16 B, 1 KB and 64 KB
 *       payloads;</li>
 *   <li>{@code pubHpubMix}: alternately {@code PUB} with a reply subject and {@code HPUB} with a 32-byte header
 *       block, 128-byte bodies;</li>
 *   <li>{@code subUnsubPing}: {@code SUB} (plain and queue), {@code UNSUB} with and without a max, {@code PING}.</li>
 * </ul>
 *
 * <p>Delivery ({@link #chunkBytes}): {@code 0} parses the whole stream from one buffer (parser cost only). Any other
 * value delivers the stream in reads of that many bytes, split at arbitrary points inside operations, as a socket
 * would: each read is copied into a fresh buffer from {@link ByteBufAllocator#DEFAULT} (the socket read's copy, and
 * the allocator the server's channels use), merged with the unread rest through Netty's own
 * {@link ByteToMessageDecoder#MERGE_CUMULATOR} (the cumulator {@code ClientInboundHandler} inherits), parsed in
 * place, and the cumulation is released when fully read or compacted every 16 reads, as
 * {@code ByteToMessageDecoder.channelRead} does. The split results therefore include that copy and cumulation work.
 *
 * <p>The handler counts operations and feeds offsets to a {@link Blackhole}; it copies nothing, so the numbers are
 * the parser's share of the server's read path only.
 *
 * <p>Run: {@code java -jar jnatsd-benchmarks/target/jnatsd-jmh.jar ProtocolParserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtocolParserBenchmark {

    /** Operations in every stream: the unit of {@link OperationsPerInvocation}. */
    static final int OPERATIONS = 256;
    private static final int MAX_CONTROL_LINE_BYTES = 4096;
    /** {@code ByteToMessageDecoder}'s default {@code discardAfterReads}. */
    private static final int DISCARD_AFTER_READS = 16;

    @Param({"pub16", "pub1k", "pub64k", "pubHpubMix", "subUnsubPing"})
    String stream;

    @Param({"0", "64", "1536", "16384"})
    int chunkBytes;

    private ByteBuf whole;
    private CountingHandler handler;
    private ProtocolParser parser;
    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        byte[] bytes = build(stream);
        whole = allocator.directBuffer(bytes.length, bytes.length);
        whole.writeBytes(bytes);
        handler = new CountingHandler(blackhole);
        // Reused: after a whole stream of complete operations it holds no pending state.
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE_BYTES);
        long parsed = chunkBytes == 0 ? parseWhole() : parseChunked();
        if (parsed != OPERATIONS || parser.isStopped()) {
            throw new IllegalStateException(stream + "/" + chunkBytes + ": parsed " + parsed + " of " + OPERATIONS
                    + (handler.error == null ? "" : ", error " + handler.error));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        whole.release();
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long parse() {
        return chunkBytes == 0 ? parseWhole() : parseChunked();
    }

    private long parseWhole() {
        handler.operations = 0;
        whole.readerIndex(0);
        parser.parse(whole);
        return handler.operations;
    }

    /** One connection's worth of reads: ByteToMessageDecoder.channelRead's cumulation around the parser. */
    private long parseChunked() {
        handler.operations = 0;
        ByteBuf cumulation = null;
        int reads = 0;
        int length = whole.writerIndex();
        for (int offset = 0; offset < length; offset += chunkBytes) {
            int n = Math.min(chunkBytes, length - offset);
            ByteBuf read = allocator.directBuffer(chunkBytes);
            read.writeBytes(whole, offset, n);
            cumulation = cumulation == null ? read : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(allocator,
                    cumulation, read);
            parser.parse(cumulation);
            if (!cumulation.isReadable()) {
                reads = 0;
                cumulation.release();
                cumulation = null;
            } else if (++reads >= DISCARD_AFTER_READS) {
                reads = 0;
                cumulation.discardSomeReadBytes();
            }
        }
        if (cumulation != null) {
            cumulation.release();
            throw new IllegalStateException("stream ended inside an operation");
        }
        return handler.operations;
    }

    // --------------------------------------------------------------------------------------------- streams

    static byte[] build(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (name) {
            case "pub16" -> publishes(out, 16);
            case "pub1k" -> publishes(out, 1024);
            case "pub64k" -> publishes(out, 64 * 1024);
            case "pubHpubMix" -> publishMix(out);
            case "subUnsubPing" -> controlMix(out);
            default -> throw new IllegalArgumentException("unknown stream " + name);
        }
        return out.toByteArray();
    }

    private static void publishes(ByteArrayOutputStream out, int payloadBytes) {
        byte[] payload = payload(payloadBytes);
        for (int i = 0; i < OPERATIONS; i++) {
            ascii(out, "PUB bench.subject." + (i % 16) + " " + payloadBytes + "\r\n");
            out.writeBytes(payload);
            ascii(out, "\r\n");
        }
    }

    private static void publishMix(ByteArrayOutputStream out) {
        byte[] body = payload(128);
        byte[] headers = "NATS/1.0\r\nBench-Id: 0123456\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < OPERATIONS; i++) {
            if (i % 2 == 0) {
                ascii(out, "PUB bench.request." + (i % 16) + " _INBOX.bench." + i + " " + body.length + "\r\n");
                out.writeBytes(body);
            } else {
                int total = headers.length + body.length;
                ascii(out, "HPUB bench.event." + (i % 16) + " " + headers.length + " " + total + "\r\n");
                out.writeBytes(headers);
                out.writeBytes(body);
            }
            ascii(out, "\r\n");
        }
    }

    private static void controlMix(ByteArrayOutputStream out) {
        for (int i = 0; i < OPERATIONS; i++) {
            switch (i % 4) {
                case 0 -> ascii(out, "SUB bench.events.* " + i + "\r\n");
                case 1 -> ascii(out, "SUB bench.work.> workers " + i + "\r\n");
                case 2 -> ascii(out, "UNSUB " + (i - 2) + (i % 8 == 2 ? " 10" : "") + "\r\n");
                default -> ascii(out, "PING\r\n");
            }
        }
    }

    private static byte[] payload(int bytes) {
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) 'x');
        return payload;
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Counts operations; hands the offsets it receives to a Blackhole so none of the parser's work is dead. */
    static final class CountingHandler implements ProtocolHandler {
        private final Blackhole blackhole;
        long operations;
        String error;

        CountingHandler(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public boolean awaitingAuth() {
            return false;
        }

        @Override
        public boolean onOperationBeforeConnect() {
            error = "auth violation";
            return false;
        }

        @Override
        public boolean onConnect(ByteBuf buf, int offset, int length) {
            operations++;
            blackhole.consume(offset + length);
            return true;
        }

        @Override
        public boolean onPublishSize(int headerLength, int totalLength) {
            blackhole.consume(headerLength + totalLength);
            return true;
        }

        @Override
        public boolean onPublish(ByteBuf buf, PublishLine line) {
            operations++;
            blackhole.consume(line.subjectOffset() + line.subjectLength());
            blackhole.consume(line.replyOffset() + line.replyLength());
            blackhole.consume(line.payloadOffset() + line.totalLength());
            return true;
        }

        @Override
        public boolean onSubscribe(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset,
                                   int queueLength, int sidOffset, int sidLength) {
            operations++;
            blackhole.consume(subjectOffset + subjectLength);
            blackhole.consume(queueOffset + queueLength);
            blackhole.consume(sidOffset + sidLength);
            return true;
        }

        @Override
        public boolean onUnsubscribe(ByteBuf buf, int sidOffset, int sidLength, int maxMessages) {
            operations++;
            blackhole.consume(sidOffset + sidLength + maxMessages);
            return true;
        }

        @Override
        public boolean onPing() {
            operations++;
            return true;
        }

        @Override
        public boolean onPong() {
            operations++;
            return true;
        }

        @Override
        public boolean onInfo(ByteBuf buf, int offset, int length) {
            operations++;
            blackhole.consume(offset + length);
            return true;
        }

        @Override
        public boolean onErr(ByteBuf buf, int offset, int length) {
            operations++;
            blackhole.consume(offset + length);
            return true;
        }

        @Override
        public boolean onOk() {
            operations++;
            return true;
        }

        @Override
        public void onProtocolError(ProtocolError protocolError, String clientError, String logMessage) {
            error = logMessage;
        }
    }
}
