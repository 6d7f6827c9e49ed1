package io.jnatsd.store;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * nats-server's binary consumer state ({@code o.dat}): magic 22, version 2, then uvarints ack floor (consumer,
 * stream), delivered (consumer, stream), the number of pending entries and, when there are some, a base time in
 * seconds (signed varint) and per entry: stream sequence - ack floor stream, consumer sequence - ack floor consumer,
 * base - delivery second (signed); then the number of redelivered entries and per entry stream sequence - ack floor
 * stream, count.
 * <pre>
 * +----+---+-------+-------+-------+-------+------+---------+--------------------+------+--------------------+
 * | 22 | 2 | afc   | afs   | dc    | ds    | npen | [base]  | {sseq' dseq' ts'}* | nred | {sseq' count}*     |
 * +----+---+-------+-------+-------+-------+------+---------+--------------------+------+--------------------+
 * </pre>
 * Delivery times keep second resolution, as in nats-server. Stateless.
 */
// nats-server: store.go encodeConsumerState, filestore.go decodeConsumerState
public final class ConsumerStateCodec {

    /** First byte. */
    public static final int MAGIC = 22;
    /** Version written. */
    public static final int VERSION = 2;

    private ConsumerStateCodec() {
    }

    /** Encodes {@code state}; {@code nowNanos} gives the base time of the pending entries. */
    public static byte[] encode(ConsumerState state, long nowNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(MAGIC);
        out.write(VERSION);
        Varint.writeUnsigned(out, state.ackFloor.consumer());
        Varint.writeUnsigned(out, state.ackFloor.stream());
        Varint.writeUnsigned(out, state.delivered.consumer());
        Varint.writeUnsigned(out, state.delivered.stream());
        Varint.writeUnsigned(out, state.pending.size());
        long asflr = state.ackFloor.stream();
        long adflr = state.ackFloor.consumer();
        if (!state.pending.isEmpty()) {
            long mints = Math.round(nowNanos / 1e9);
            Varint.writeSigned(out, mints);
            for (Map.Entry<Long, PendingAck> e : state.pending.entrySet()) {
                Varint.writeUnsigned(out, e.getKey() - asflr);
                Varint.writeUnsigned(out, e.getValue().consumerSeq() - adflr);
                Varint.writeSigned(out, mints - e.getValue().timestampNanos() / 1_000_000_000L);
            }
        }
        Varint.writeUnsigned(out, state.redelivered.size());
        for (Map.Entry<Long, Long> e : state.redelivered.entrySet()) {
            Varint.writeUnsigned(out, e.getKey() - asflr);
            Varint.writeUnsigned(out, e.getValue());
        }
        return out.toByteArray();
    }

    /**
     * Decodes an encoding of version 1 or 2.
     *
     * @throws StoreException {@link StoreError#CORRUPT_STREAM_STATE} for a bad or truncated encoding
     */
    // nats-server: filestore.go decodeConsumerState
    public static ConsumerState decode(byte[] buf) {
        if (buf.length < 2 || (buf[0] & 0xFF) != MAGIC || (buf[1] != 1 && buf[1] != 2)) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE, "corrupt state");
        }
        int version = buf[1];
        Varint.Reader r = new Varint.Reader(buf, 2, buf.length);
        ConsumerState s = new ConsumerState();
        try {
            long afc = r.unsigned();
            long afs = r.unsigned();
            long dc = r.unsigned();
            long ds = r.unsigned();
            s.ackFloor = new SequencePair(afc, afs);
            if (version == 1) {
                // version 1 stored delivered as the next sequences
                dc = dc > 0 ? dc - 1 : 0;
                ds = ds > 0 ? ds - 1 : 0;
            }
            s.delivered = new SequencePair(dc, ds);
            long npending = r.unsigned();
            if (npending > 0) {
                long mints = r.signed();
                for (long i = 0; i < npending; i++) {
                    long sseq = r.unsigned() + afs;
                    long dseq = r.unsigned() + (version == 1 ? 0 : afc);
                    long ts = r.signed();
                    s.pending.put(sseq, new PendingAck(dseq, (mints - ts) * 1_000_000_000L));
                }
            }
            long nred = r.unsigned();
            for (long i = 0; i < nred; i++) {
                long sseq = r.unsigned() + afs;
                long count = r.unsigned();
                s.redelivered.put(sseq, count);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE, "corrupt state");
        }
        return s;
    }
}
