package io.jnatsd.bench;

import io.jnatsd.protocol.ProtocolError;
import io.jnatsd.protocol.ProtocolHandler;
import io.jnatsd.protocol.ProtocolParser;
import io.jnatsd.protocol.PublishLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

/**
 * The per-receiver encoding cost of delivering one message: writing {@code MSG <subject> <sid> [reply] <size>\r\n
 * <payload>\r\n} (or {@code HMSG ... <hdr size> <total size>}) into pooled direct chunks, reported as messages per
 * second.
 *
 * <p>The server's code for this ({@code io.jnatsd.server.conn.Connection#enqueueMessage}, with
 * {@code Frames.decimalLength}/{@code Frames.writeDecimal} and {@code Outbound.reserve}/{@code Outbound.drain}) is
 * package-private and cannot be called from here, and this module does not change the server. So the benchmark
 * mirrors it step by step, each step naming the server statement it stands for:
 * <ul>
 *   <li>{@link #jnatsdRawSizes}: the network-publish path of {@code Connection.enqueueMessage}
 *       ({@code rawSizes == true}): line length computed up front, one {@code Outbound.reserve}, then
 *       {@code writeBytes} of the op, subject, sid, optional reply, the publisher's size tokens as sent, CRLF, and
 *       payload-plus-CRLF straight from the publisher's read buffer;</li>
 *   <li>{@link #jnatsdDecimalSizes}: the same with the sizes written by {@code Frames.writeDecimal} (the path of
 *       internal publishes, which have no size tokens, and of HPUB delivered to a client without headers);</li>
 *   <li>{@link #naiveString}: a baseline that builds the line as a {@code String} per delivery and encodes it
 *       with {@code getBytes}, with subject, reply and sid already held as Strings (favourable to the baseline).</li>
 * </ul>
 * The publisher's buffer is a real {@code PUB}/{@code HPUB} frame run through {@link ProtocolParser} once; its
 * {@link PublishLine} offsets are what the server copies into {@code PublishArgs}. Each invocation encodes
 * {@value #BATCH} messages for one receiver, then releases the chunks as {@code Outbound.drain} hands them to the
 * channel (which releases them after the write); the receiver's outbound lock, slow-consumer checks and counters are
 * not included.
 *
 * <p>Run: {@code java -jar jnatsd-benchmarks/target/jnatsd-jmh.jar OutboundEncodingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OutboundEncodingBenchmark {

    /** Messages encoded per invocation: one publisher read batch fanned out to one receiver. */
    static final int BATCH = 64;

    private static final byte[] MSG = ascii("MSG ");
    private static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final String SUBJECT = "bench.orders.eu.created";
    private static final String REPLY = "_INBOX.Xb7mNq2LpR4sT9vW.4711";
    private static final String SID = "17";
    private static final byte[] HEADERS = ascii("NATS/1.0\r\nBench-Id: 0123456\r\n\r\n");

    @Param({"16", "1024", "65536"})
    int payloadBytes;

    @Param({"false", "true"})
    boolean reply;

    /** false: PUB delivered as MSG; true: HPUB delivered as HMSG to a client that negotiated headers. */
    @Param({"false", "true"})
    boolean headers;

    // The publisher side, as Connection.onPublish leaves it in PublishArgs.
    private ByteBuf publisherBuffer;
    private final Published pa = new Published();

    // The receiving side.
    private final byte[] sid = ascii(SID);
    private Chunks outbound;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] body = new byte[payloadBytes];
        Arrays.fill(body, (byte) 'x');
        StringBuilder line = new StringBuilder(headers ? "HPUB " : "PUB ").append(SUBJECT).append(' ');
        if (reply) {
            line.append(REPLY).append(' ');
        }
        int total = body.length + (headers ? HEADERS.length : 0);
        if (headers) {
            line.append(HEADERS.length).append(' ');
        }
        line.append(total).append("\r\n");
        byte[] lineBytes = ascii(line.toString());
        int frame = lineBytes.length + total + 2;
        publisherBuffer = ByteBufAllocator.DEFAULT.directBuffer(frame, frame);
        publisherBuffer.writeBytes(lineBytes);
        if (headers) {
            publisherBuffer.writeBytes(HEADERS);
        }
        publisherBuffer.writeBytes(body).writeBytes(CRLF);
        new ProtocolParser(new Capture(pa), 4096).parse(publisherBuffer);
        if (pa.payload == null) {
            throw new IllegalStateException("publisher frame did not parse");
        }
        outbound = new Chunks(ByteBufAllocator.DEFAULT);
        checkSameFrames();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        outbound.drain();
        publisherBuffer.release();
    }

    /** All three encoders must produce the same bytes, or the comparison means nothing. */
    private void checkSameFrames() {
        String raw = encodeOne(0);
        String decimal = encodeOne(1);
        String naive = encodeOne(2);
        String expected = (headers ? "HMSG " : "MSG ") + SUBJECT + " " + SID + " " + (reply ? REPLY + " " : "")
                + (headers ? HEADERS.length + " " : "") + pa.totalLength + "\r\n";
        if (!raw.startsWith(expected) || !raw.equals(decimal) || !raw.equals(naive)
                || raw.length() != expected.length() + pa.totalLength + 2) {
            throw new IllegalStateException("encoders disagree: " + raw.substring(0, Math.min(80, raw.length())));
        }
    }

    private String encodeOne(int variant) {
        switch (variant) {
            case 0 -> enqueueRawSizes();
            case 1 -> enqueueDecimalSizes();
            default -> enqueueNaive();
        }
        ByteBuf chunk = outbound.current;
        String text = chunk.toString(StandardCharsets.ISO_8859_1);
        outbound.drain();
        return text;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jnatsdRawSizes() {
        for (int i = 0; i < BATCH; i++) {
            enqueueRawSizes();
        }
        return outbound.drain();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jnatsdDecimalSizes() {
        for (int i = 0; i < BATCH; i++) {
            enqueueDecimalSizes();
        }
        return outbound.drain();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long naiveString() {
        for (int i = 0; i < BATCH; i++) {
            enqueueNaive();
        }
        return outbound.drain();
    }

    /** Mirrors Connection.enqueueMessage with {@code rawSizes} true (a publish that came in over the network). */
    private void enqueueRawSizes() {
        boolean asHmsg = pa.headerLength > 0;
        int bodyLength = pa.totalLength;
        // Frame length first, as enqueueMessage computes lineLength/frameLength before reserving.
        int lineLength = (asHmsg ? HMSG.length : MSG.length) + pa.subjectLength + 1 + sid.length + 1
                + (pa.replyLength > 0 ? pa.replyLength + 1 : 0) + (asHmsg ? pa.headerSizeLength + 1 : 0)
                + pa.totalSizeLength + 2;
        ByteBuf out = outbound.reserve(lineLength + bodyLength + 2);
        out.writeBytes(asHmsg ? HMSG : MSG);
        out.writeBytes(pa.subject, 0, pa.subjectLength);
        out.writeByte(' ');
        out.writeBytes(sid);
        out.writeByte(' ');
        if (pa.replyLength > 0) {
            out.writeBytes(pa.reply, 0, pa.replyLength);
            out.writeByte(' ');
        }
        if (asHmsg) {
            out.writeBytes(pa.payload, pa.headerSizeOffset, pa.headerSizeLength);
            out.writeByte(' ');
        }
        out.writeBytes(pa.payload, pa.totalSizeOffset, pa.totalSizeLength);
        out.writeBytes(CRLF);
        out.writeBytes(pa.payload, pa.payloadOffset, bodyLength + 2);     // payload and its CRLF in one copy
    }

    /** Mirrors Connection.enqueueMessage with {@code rawSizes} false: sizes by Frames.decimalLength/writeDecimal. */
    private void enqueueDecimalSizes() {
        boolean asHmsg = pa.headerLength > 0;
        int bodyLength = pa.totalLength;
        int headerSizeLength = asHmsg ? decimalLength(pa.headerLength) : 0;
        int lineLength = (asHmsg ? HMSG.length : MSG.length) + pa.subjectLength + 1 + sid.length + 1
                + (pa.replyLength > 0 ? pa.replyLength + 1 : 0) + (asHmsg ? headerSizeLength + 1 : 0)
                + decimalLength(bodyLength) + 2;
        ByteBuf out = outbound.reserve(lineLength + bodyLength + 2);
        out.writeBytes(asHmsg ? HMSG : MSG);
        out.writeBytes(pa.subject, 0, pa.subjectLength);
        out.writeByte(' ');
        out.writeBytes(sid);
        out.writeByte(' ');
        if (pa.replyLength > 0) {
            out.writeBytes(pa.reply, 0, pa.replyLength);
            out.writeByte(' ');
        }
        if (asHmsg) {
            writeDecimal(out, pa.headerLength);
            out.writeByte(' ');
        }
        writeDecimal(out, bodyLength);
        out.writeBytes(CRLF);
        out.writeBytes(pa.payload, pa.payloadOffset, bodyLength + 2);
    }

    /** The baseline: a String per line, encoded per delivery. */
    private void enqueueNaive() {
        boolean asHmsg = pa.headerLength > 0;
        String line = (asHmsg ? "HMSG " : "MSG ") + SUBJECT + " " + SID + " " + (reply ? REPLY + " " : "")
                + (asHmsg ? pa.headerLength + " " : "") + pa.totalLength + "\r\n";
        byte[] lineBytes = line.getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = outbound.reserve(lineBytes.length + pa.totalLength + 2);
        out.writeBytes(lineBytes);
        out.writeBytes(pa.payload, pa.payloadOffset, pa.totalLength + 2);
    }

    /** Digits of a non-negative int: what the server's Frames.decimalLength returns. */
    static int decimalLength(int value) {
        int digits = 1;
        while (digits < 10 && value >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        return digits;
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    /**
     * What the server's Frames.writeDecimal does: advances the writer index by the digit count and fills the digits
     * in from the last one, without allocating.
     */
    static void writeDecimal(ByteBuf out, int value) {
        int start = out.writerIndex();
        int digits = decimalLength(value);
        out.writerIndex(start + digits);
        int remaining = value;
        for (int at = start + digits - 1; at >= start; at--) {
            out.setByte(at, '0' + remaining % 10);
            remaining /= 10;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The fields of the server's PublishArgs this path reads: subject and reply copied out, the rest offsets. */
    static final class Published {
        byte[] subject;
        int subjectLength;
        byte[] reply;
        int replyLength;
        int headerLength = -1;
        ByteBuf payload;
        int payloadOffset;
        int totalLength;
        int headerSizeOffset;
        int headerSizeLength;
        int totalSizeOffset;
        int totalSizeLength;
    }

    /** Fills a {@link Published} as Connection.onPublish fills PublishArgs (PublishArgs.setSubject/setReply). */
    static final class Capture implements ProtocolHandler {
        private final Published pa;

        Capture(Published pa) {
            this.pa = pa;
        }

        @Override
        public boolean onPublish(ByteBuf buf, PublishLine line) {
            pa.subject = new byte[128];
            buf.getBytes(line.subjectOffset(), pa.subject, 0, line.subjectLength());
            pa.subjectLength = line.subjectLength();
            pa.reply = new byte[64];
            buf.getBytes(line.replyOffset(), pa.reply, 0, line.replyLength());
            pa.replyLength = line.replyLength();
            pa.headerLength = line.headerLength();
            pa.payload = buf;
            pa.payloadOffset = line.payloadOffset();
            pa.totalLength = line.totalLength();
            pa.headerSizeOffset = line.headerSizeOffset();
            pa.headerSizeLength = line.headerSizeLength();
            pa.totalSizeOffset = line.totalSizeOffset();
            pa.totalSizeLength = line.totalSizeLength();
            return true;
        }

        @Override
        public boolean awaitingAuth() {
            return false;
        }

        @Override
        public boolean onOperationBeforeConnect() {
            throw new IllegalStateException("auth violation");
        }

        @Override
        public boolean onConnect(ByteBuf buf, int offset, int length) {
            return true;
        }

        @Override
        public boolean onPublishSize(int headerLength, int totalLength) {
            return true;
        }

        @Override
        public boolean onSubscribe(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset,
                                   int queueLength, int sidOffset, int sidLength) {
            return true;
        }

        @Override
        public boolean onUnsubscribe(ByteBuf buf, int sidOffset, int sidLength, int maxMessages) {
            return true;
        }

        @Override
        public boolean onPing() {
            return true;
        }

        @Override
        public boolean onPong() {
            return true;
        }

        @Override
        public boolean onInfo(ByteBuf buf, int offset, int length) {
            return true;
        }

        @Override
        public boolean onErr(ByteBuf buf, int offset, int length) {
            return true;
        }

        @Override
        public boolean onOk() {
            return true;
        }

        @Override
        public void onProtocolError(ProtocolError error, String clientError, String logMessage) {
            throw new IllegalStateException(logMessage);
        }
    }

    /**
     * A receiver's pending output with the chunk policy of the server's Outbound: a chunk grows in place up to
     * {@value #MAX_CHUNK_BYTES}, then a new one starts; a bigger message gets a chunk of its own; the first chunk
     * after a drain is sized after the bytes of the previous drain (at least {@value #MIN_CHUNK_BYTES}).
     * Single-threaded here, so without Outbound's lock.
     */
    static final class Chunks {
        static final int MAX_CHUNK_BYTES = 64 * 1024;
        static final int MIN_CHUNK_BYTES = 512;

        private final ByteBufAllocator allocator;
        private final List<ByteBuf> full = new ArrayList<>();
        ByteBuf current;
        private long pendingBytes;
        private int firstChunkBytes = MIN_CHUNK_BYTES;

        Chunks(ByteBufAllocator allocator) {
            this.allocator = allocator;
        }

        /** As Outbound.reserve: a chunk with room for {@code bytes}. */
        ByteBuf reserve(int bytes) {
            pendingBytes += bytes;
            ByteBuf chunk = current;
            if (chunk != null) {
                if (chunk.writableBytes() >= bytes) {
                    return chunk;
                }
                if (chunk.capacity() < MAX_CHUNK_BYTES && chunk.maxWritableBytes() >= bytes) {
                    chunk.ensureWritable(bytes);
                    return chunk;
                }
                full.add(chunk);
            }
            int capacity = Math.max(bytes, firstChunkBytes);
            current = allocator.directBuffer(capacity, Math.max(capacity, MAX_CHUNK_BYTES));
            return current;
        }

        /** As Outbound.drain followed by the channel releasing each chunk once written. */
        long drain() {
            long bytes = pendingBytes;
            for (int i = 0; i < full.size(); i++) {
                full.get(i).release();
            }
            full.clear();
            if (current != null) {
                current.release();
                current = null;
            }
            pendingBytes = 0;
            firstChunkBytes = (int) Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, bytes));
            return bytes;
        }
    }
}
