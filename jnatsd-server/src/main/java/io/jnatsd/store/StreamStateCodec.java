package io.jnatsd.store;

import java.io.ByteArrayOutputStream;

/**
 * nats-server's binary stream state (used to compare replicas and inside snapshots): magic 42, version 1, then
 * uvarints msgs, bytes, first, last, failed, number of deleted sequences, then delete blocks. We write the deleted
 * sequences as run-length blocks (magic 33, uvarint first, uvarint count), one of the block kinds nats-server's
 * decoder accepts.
 * <pre>
 * +----+----+--------+--------+--------+--------+--------+-----------+------------------------------+
 * | 42 |  1 | msgs   | bytes  | first  | last   | failed | numDeleted| {33 first num}...            |
 * +----+----+--------+--------+--------+--------+--------+-----------+------------------------------+
 *  u8   u8   uvarint  uvarint  uvarint  uvarint  uvarint   uvarint    run-length delete blocks
 * </pre>
 * Stateless.
 */
// nats-server: store.go DecodeStreamState, memstore.go EncodedStreamState, appendRunLength
public final class StreamStateCodec {

    /** First byte of an encoded stream state. */
    public static final int MAGIC = 42;
    /** Version written. */
    public static final int VERSION = 1;
    private static final int RUN_LENGTH_MAGIC = 33;

    private StreamStateCodec() {
    }

    /** Receives deleted runs while encoding. */
    @FunctionalInterface
    public interface DeletedRuns {
        /** Calls {@code sink} with (first, count) of each run of deleted sequences, ascending. */
        void forEach(RunSink sink);
    }

    /** Receives one run. */
    @FunctionalInterface
    public interface RunSink {
        void run(long first, long count);
    }

    /** Encodes a state whose deleted sequences {@code deleted} yields as runs. */
    public static byte[] encode(long msgs, long bytes, long first, long last, long failed, long numDeleted,
                                DeletedRuns deleted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        out.write(MAGIC);
        out.write(VERSION);
        Varint.writeUnsigned(out, msgs);
        Varint.writeUnsigned(out, bytes);
        Varint.writeUnsigned(out, first);
        Varint.writeUnsigned(out, last);
        Varint.writeUnsigned(out, failed);
        Varint.writeUnsigned(out, numDeleted);
        if (numDeleted > 0) {
            deleted.forEach((f, n) -> {
                out.write(RUN_LENGTH_MAGIC);
                Varint.writeUnsigned(out, f);
                Varint.writeUnsigned(out, n);
            });
        }
        return out.toByteArray();
    }

    /** Decoded fields: msgs, bytes, first, last, failed, then the deleted sequences. */
    public record Decoded(long msgs, long bytes, long first, long last, long failed, long[] deleted) {
    }

    /**
     * Decodes an encoding made by {@link #encode} (run-length blocks only).
     *
     * @throws StoreException {@link StoreError#CORRUPT_STREAM_STATE}
     */
    public static Decoded decode(byte[] buf) {
        if (buf.length < 2 || buf[0] != MAGIC || buf[1] != VERSION) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE, "bad stream state encoding");
        }
        Varint.Reader r = new Varint.Reader(buf, 2, buf.length);
        try {
            long msgs = r.unsigned();
            long bytes = r.unsigned();
            long first = r.unsigned();
            long last = r.unsigned();
            long failed = r.unsigned();
            long numDeleted = r.unsigned();
            long[] deleted = new long[(int) Math.min(numDeleted, Integer.MAX_VALUE - 8)];
            int n = 0;
            while (r.remaining() > 0) {
                if (r.u8() != RUN_LENGTH_MAGIC) {
                    throw new StoreException(StoreError.CORRUPT_STREAM_STATE);
                }
                long f = r.unsigned();
                long c = r.unsigned();
                for (long s = f; s < f + c && n < deleted.length; s++) {
                    deleted[n++] = s;
                }
            }
            return new Decoded(msgs, bytes, first, last, failed, java.util.Arrays.copyOf(deleted, n));
        } catch (IndexOutOfBoundsException e) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE);
        }
    }
}
