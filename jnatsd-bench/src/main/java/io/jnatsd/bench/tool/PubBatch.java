package io.jnatsd.bench.tool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A run of pre-encoded {@code PUB <subject> [reply] <size>\r\n<payload>\r\n} frames in one direct buffer, written to
 * a socket as a whole (or {@code MSG} frames, for the generator's self-test). Only the sequence numbers change between
 * writes: {@link #fill} patches them in place. Being direct, the buffer goes to the kernel without another copy.
 * <p>
 * Payload layout (shared with {@link SeqCheck} and the reader): the first {@code min(8, size)} bytes hold the low
 * bytes of the message's sequence number, little-endian; the rest is filler. A 0-byte payload carries no sequence.
 * <p>
 * Owned by one publishing thread; not thread-safe.
 */
final class PubBatch {

    private static final byte FILLER = 'x';

    private final ByteBuffer buffer;        // direct, little-endian; the encoded frames from index 0
    private final ByteBuffer writeView;     // what {@link #view} hands out
    private final int[] seqOffsets;     // index of the first payload byte of each frame
    private final int[] frameEnds;      // exclusive end of each frame
    private final int payloadBytes;
    private final int seqBytes;         // min(8, payloadBytes)

    private PubBatch(String op, byte[][] frameSubjects, byte[] reply, int payloadBytes) {
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payloadBytes: " + payloadBytes + " (expected: >= 0)");
        }
        if (frameSubjects.length == 0) {
            throw new IllegalArgumentException("no frames");
        }
        this.payloadBytes = payloadBytes;
        this.seqBytes = Math.min(8, payloadBytes);
        int frames = frameSubjects.length;
        this.seqOffsets = new int[frames];
        this.frameEnds = new int[frames];
        byte[] opAndSpace = Frames.ascii(op + " ");
        byte[] sizeAndCrlf = Frames.ascii(" " + payloadBytes + "\r\n");
        int total = 0;
        for (byte[] subject : frameSubjects) {
            total += frameLength(op.length(), subject.length, reply == null ? -1 : reply.length, sizeAndCrlf.length,
                    payloadBytes);
        }
        byte[] bytes = new byte[total];
        int at = 0;
        for (int i = 0; i < frames; i++) {
            at = put(bytes, at, opAndSpace);
            at = put(bytes, at, frameSubjects[i]);
            if (reply != null) {
                bytes[at++] = ' ';
                at = put(bytes, at, reply);
            }
            at = put(bytes, at, sizeAndCrlf);
            seqOffsets[i] = at;
            Arrays.fill(bytes, at, at + payloadBytes, FILLER);
            at += payloadBytes;
            bytes[at++] = '\r';
            bytes[at++] = '\n';
            frameEnds[i] = at;
        }
        this.buffer = ByteBuffer.allocateDirect(total).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer.put(0, bytes);
        this.writeView = buffer.duplicate();
    }

    /** As many frames to one subject as fit in {@code targetBytes} (at least one). */
    static PubBatch of(String subject, String reply, int payloadBytes, int targetBytes) {
        return repeated("PUB", subject, reply, payloadBytes, targetBytes);
    }

    /**
     * Server-side {@code MSG <subject> <sid> <size>} frames, as a server would deliver them: what the generator's
     * own ceiling is measured with ({@link GeneratorCeiling}).
     */
    static PubBatch msgFrames(String subject, long sid, int payloadBytes, int targetBytes) {
        return repeated("MSG", subject, Long.toString(sid), payloadBytes, targetBytes);
    }

    private static PubBatch repeated(String op, String subject, String reply, int payloadBytes, int targetBytes) {
        byte[] s = Frames.ascii(subject);
        byte[] r = reply == null ? null : Frames.ascii(reply);
        int sizeDigits = Integer.toString(payloadBytes).length() + 3;
        int one = frameLength(op.length(), s.length, r == null ? -1 : r.length, sizeDigits, payloadBytes);
        byte[][] subjects = new byte[Math.max(1, targetBytes / one)][];
        Arrays.fill(subjects, s);
        return new PubBatch(op, subjects, r, payloadBytes);
    }

    /** One frame per subject, in order. */
    static PubBatch ofSubjects(byte[][] subjects, int payloadBytes) {
        return new PubBatch("PUB", subjects, null, payloadBytes);
    }

    private static int frameLength(int opBytes, int subjectBytes, int replyBytes, int sizeAndCrlfBytes,
            int payloadBytes) {
        return opBytes + 1 + subjectBytes + (replyBytes < 0 ? 0 : 1 + replyBytes) + sizeAndCrlfBytes + payloadBytes + 2;
    }

    private static int put(byte[] bytes, int at, byte[] src) {
        System.arraycopy(src, 0, bytes, at, src.length);
        return at + src.length;
    }

    /** Number of frames in the batch. */
    int frames() {
        return frameEnds.length;
    }

    /** Payload size of every frame. */
    int payloadBytes() {
        return payloadBytes;
    }

    /**
     * The first {@code length} bytes of the frames (a length {@link #fill} returned), as a buffer positioned at 0;
     * the same view object is reused by every call.
     */
    ByteBuffer view(int length) {
        writeView.clear().limit(length);
        return writeView;
    }

    /** A copy of the first {@code length} bytes (for tests and diagnostics). */
    byte[] copy(int length) {
        byte[] out = new byte[length];
        buffer.get(0, out);
        return out;
    }

    /**
     * Writes sequence numbers {@code firstSeq .. firstSeq + count - 1} into the first {@code count} frames.
     *
     * @return the number of bytes those frames take from the start of the buffer (see {@link #view})
     */
    int fill(long firstSeq, int count) {
        if (count <= 0 || count > frameEnds.length) {
            throw new IllegalArgumentException("count: " + count + " (expected: 1.." + frameEnds.length + ")");
        }
        if (seqBytes == 8) {
            for (int i = 0; i < count; i++) {
                buffer.putLong(seqOffsets[i], firstSeq + i);
            }
        } else if (seqBytes > 0) {
            for (int i = 0; i < count; i++) {
                long value = firstSeq + i;
                for (int b = 0; b < seqBytes; b++) {
                    buffer.put(seqOffsets[i] + b, (byte) (value >>> (8 * b)));
                }
            }
        }
        return frameEnds[count - 1];
    }

    /** Writes the low {@code n} bytes of {@code value} little-endian at {@code at}. */
    static void putLowBytes(byte[] dst, int at, long value, int n) {
        for (int b = 0; b < n; b++) {
            dst[at + b] = (byte) (value >>> (8 * b));
        }
    }

    /** Fills {@code payload} as a publisher would for sequence {@code seq} (used by responders and sinks). */
    static void encodePayload(byte[] payload, int at, int payloadBytes, long seq) {
        int n = Math.min(8, payloadBytes);
        putLowBytes(payload, at, seq, n);
        Arrays.fill(payload, at + n, at + payloadBytes, FILLER);
    }
}
