package io.jnatsd.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Stream snapshots for {@code STREAM.SNAPSHOT} / {@code STREAM.RESTORE}: a self-checking stream of sections that
 * works for both engines (a memory stream can be snapshotted and restored as a file stream and back). The JetStream
 * layer frames it for the wire (nats-server sends S2-compressed chunks; {@code io.jnatsd.store.file.S2} is the codec).
 * <pre>
 * "JNSNAP1\n"                                        magic (8 bytes)
 * then sections: kind (u8) | length (u64, big endian) | body
 *   1 META      the stream configuration JSON (UTF-8), first
 *   2 STATE     the stream state in nats-server's binary encoding ({@link StreamStateCodec}) at snapshot time
 *   3 MESSAGES  messages: seq (u64) | timestamp ns (u64) | subject length (u16) | subject | header length (u32) |
 *               header | payload length (u32) | payload, repeated; several sections of at most ~1 MiB
 *   4 CONSUMER  name length (u16) | name | created ns (u64) | ack policy ordinal (u8) | max deliver (u64) |
 *               config JSON length (u32) | config JSON | consumer state ({@link ConsumerStateCodec})
 *   0 END       CRC-32C (u32) of every byte before this section, then the stream's last sequence (u64)
 * </pre>
 * Messages are read one at a time under the store's read lock, so writers are not held up; a message removed while
 * the snapshot runs is simply absent (a gap, restored as a deleted sequence).
 * <p>
 * Stateless helpers; the caller owns the streams.
 */
// nats-server: filestore.go streamSnapshot / stream.go restoreSnapshot (format ours)
public final class StreamSnapshot {

    private static final byte[] MAGIC = "JNSNAP1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int META = 1;
    private static final int STATE = 2;
    private static final int MESSAGES = 3;
    private static final int CONSUMER = 4;
    private static final int END = 0;
    private static final int CHUNK_BYTES = 1 << 20;

    private StreamSnapshot() {
    }

    /**
     * Writes a snapshot of {@code store} to {@code out}.
     *
     * @param metaJson         the stream configuration JSON to carry (the restore side creates the stream from it)
     * @param includeConsumers whether consumer states go along
     * @return the state the snapshot was taken at
     */
    public static StreamState write(StreamStore store, String metaJson, boolean includeConsumers, OutputStream out)
            throws IOException {
        StreamState state = store.fastState();
        CRC32C crc = new CRC32C();
        CheckedOutputStream checked = new CheckedOutputStream(out, crc);
        DataOutputStream data = new DataOutputStream(checked);
        data.write(MAGIC);
        section(data, META, (metaJson == null ? "" : metaJson).getBytes(StandardCharsets.UTF_8));
        section(data, STATE, store.encodedStreamState(0));
        java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream(CHUNK_BYTES + 1024);
        DataOutputStream c = new DataOutputStream(chunk);
        StoredMessage sm = new StoredMessage();
        long seq = state.firstSeq();
        while (seq <= state.lastSeq() && store.loadNextMessage(SubjectFilter.ALL, seq, sm) != null
                && sm.sequence() <= state.lastSeq()) {
            seq = sm.sequence() + 1;
            byte[] subject = sm.subject().getBytes(StandardCharsets.UTF_8);
            c.writeLong(sm.sequence());
            c.writeLong(sm.timestampNanos());
            c.writeShort(subject.length);
            c.write(subject);
            c.writeInt(sm.headerLength());
            c.write(sm.buffer(), 0, sm.headerLength());
            c.writeInt(sm.payloadLength());
            c.write(sm.buffer(), sm.payloadOffset(), sm.payloadLength());
            if (chunk.size() >= CHUNK_BYTES) {
                section(data, MESSAGES, chunk.toByteArray());
                chunk.reset();
            }
        }
        if (chunk.size() > 0) {
            section(data, MESSAGES, chunk.toByteArray());
        }
        if (includeConsumers) {
            for (ConsumerStore cs : store.consumers()) {
                if (store.type() == StorageType.FILE && cs.type() == StorageType.MEMORY) {
                    continue;           // mem_storage consumers of a file stream: not in nats-server's snapshot
                }
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                DataOutputStream b = new DataOutputStream(body);
                byte[] name = cs.name().getBytes(StandardCharsets.UTF_8);
                ConsumerStoreConfig cfg = cs.config();
                byte[] json = (cfg.configJson() == null ? "" : cfg.configJson()).getBytes(StandardCharsets.UTF_8);
                b.writeShort(name.length);
                b.write(name);
                b.writeLong(0);
                b.writeByte(cfg.ackPolicy().ordinal());
                b.writeLong(cfg.maxDeliver());
                b.writeInt(json.length);
                b.write(json);
                b.write(cs.encodedState());
                section(data, CONSUMER, body.toByteArray());
            }
        }
        data.flush();
        int sum = (int) crc.getValue();
        DataOutputStream tail = new DataOutputStream(out);
        tail.writeByte(END);
        tail.writeLong(12);
        tail.writeInt(sum);
        tail.writeLong(state.lastSeq());
        tail.flush();
        return state;
    }

    private static void section(DataOutputStream out, int kind, byte[] body) throws IOException {
        out.writeByte(kind);
        out.writeLong(body.length);
        out.write(body);
    }

    /** A snapshot being read: its configuration first, then {@link #restoreInto}. */
    public static final class Reader {
        private final DataInputStream in;
        private final CRC32C crc;
        private final String meta;

        private Reader(DataInputStream in, CRC32C crc, String meta) {
            this.in = in;
            this.crc = crc;
            this.meta = meta;
        }

        /** The stream configuration JSON the snapshot carries. */
        public String meta() {
            return meta;
        }

        /**
         * Stores the snapshot's messages and consumers into {@code target} (a new, empty store), keeping every
         * sequence and timestamp; gaps become deleted sequences.
         *
         * @return the restored state
         * @throws StoreException {@link StoreError#CORRUPT_STREAM_STATE} when the snapshot is damaged (the target then
         *                        holds a partial restore the caller deletes)
         */
        public StreamState restoreInto(StreamStore target) throws IOException {
            StreamStateCodec.Decoded state = null;
            while (true) {
                int kind = in.read();
                if (kind < 0) {
                    throw corrupt("truncated snapshot");
                }
                if (kind == END) {
                    int expected = (int) crc.getValue();
                    in.readLong();
                    int sum = in.readInt();
                    long last = in.readLong();
                    if (sum != expected) {
                        throw corrupt("snapshot checksum mismatch");
                    }
                    if (target.lastSequence() < last) {
                        target.skipMessages(target.lastSequence() + 1, last - target.lastSequence());
                    }
                    return target.state();
                }
                long len = in.readLong();
                if (len < 0 || len > Integer.MAX_VALUE - 8) {
                    throw corrupt("bad section length");
                }
                byte[] body = in.readNBytes((int) len);
                if (body.length != len) {
                    throw corrupt("truncated snapshot");
                }
                switch (kind) {
                    case STATE -> {
                        state = StreamStateCodec.decode(body);
                        if (state.first() > 1 && target.lastSequence() < state.first() - 1) {
                            target.skipMessages(target.lastSequence() + 1, state.first() - 1 - target.lastSequence());
                        }
                    }
                    case MESSAGES -> restoreMessages(body, target);
                    case CONSUMER -> restoreConsumer(body, target);
                    default -> throw corrupt("unknown snapshot section " + kind);
                }
            }
        }

        private static void restoreMessages(byte[] body, StreamStore target) throws IOException {
            DataInputStream m = new DataInputStream(new java.io.ByteArrayInputStream(body));
            while (m.available() > 0) {
                long seq = m.readLong();
                long ts = m.readLong();
                String subject = new String(m.readNBytes(m.readUnsignedShort()), StandardCharsets.UTF_8);
                byte[] hdr = m.readNBytes(m.readInt());
                byte[] payload = m.readNBytes(m.readInt());
                long next = target.lastSequence() + 1;
                if (seq < next) {
                    throw corrupt("snapshot messages out of order");
                }
                if (seq > next) {
                    target.skipMessages(next, seq - next);
                }
                long ttl = hdr.length == 0 ? 0 : NatsHeaders.ttlSeconds(hdr, 0, hdr.length);
                target.storeRawMessage(subject, hdr.length == 0 ? null : hdr, payload, seq, ts, ttl, false);
            }
        }

        private static void restoreConsumer(byte[] body, StreamStore target) throws IOException {
            DataInputStream c = new DataInputStream(new java.io.ByteArrayInputStream(body));
            String name = new String(c.readNBytes(c.readUnsignedShort()), StandardCharsets.UTF_8);
            long created = c.readLong();
            int ack = c.readUnsignedByte();
            long maxDeliver = c.readLong();
            String json = new String(c.readNBytes(c.readInt()), StandardCharsets.UTF_8);
            byte[] enc = c.readAllBytes();
            if (ack >= AckPolicy.values().length) {
                throw corrupt("bad consumer ack policy");
            }
            ConsumerStore cs = target.consumerStore(name, created,
                    new ConsumerStoreConfig(AckPolicy.values()[ack], maxDeliver, json.isEmpty() ? null : json));
            cs.forceUpdate(ConsumerStateCodec.decode(enc));
        }
    }

    /**
     * Starts reading a snapshot: checks the magic and reads the configuration section.
     *
     * @throws StoreException {@link StoreError#CORRUPT_STREAM_STATE} when it is not a snapshot
     */
    public static Reader read(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        DataInputStream data = new DataInputStream(new CheckedInputStream(in, crc));
        byte[] magic = data.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt("not a stream snapshot");
        }
        try {
            int kind = data.read();
            if (kind != META) {
                throw corrupt("snapshot without configuration");
            }
            long len = data.readLong();
            if (len < 0 || len > Integer.MAX_VALUE - 8) {
                throw corrupt("bad section length");
            }
            String meta = new String(data.readNBytes((int) len), StandardCharsets.UTF_8);
            return new Reader(new DataInputStream(new EndAwareStream(in, crc)), crc, meta);
        } catch (EOFException e) {
            throw corrupt("truncated snapshot");
        }
    }

    /** Feeds the CRC with every byte until the END section starts. */
    private static final class EndAwareStream extends InputStream {
        private final InputStream in;
        private final CRC32C crc;
        private long sectionRemaining;
        private int headerBytes;            // bytes of the current section header read so far (kind + length)
        private final byte[] lenBytes = new byte[8];
        private boolean ended;

        EndAwareStream(InputStream in, CRC32C crc) {
            this.in = in;
            this.crc = crc;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0 || ended) {
                return b;
            }
            if (sectionRemaining > 0) {
                sectionRemaining--;
                crc.update(b);
                return b;
            }
            if (headerBytes == 0) {
                if (b == END) {
                    ended = true;
                    return b;
                }
                crc.update(b);
                headerBytes = 1;
                return b;
            }
            crc.update(b);
            lenBytes[headerBytes - 1] = (byte) b;
            headerBytes++;
            if (headerBytes == 9) {
                long len = 0;
                for (byte x : lenBytes) {
                    len = (len << 8) | (x & 0xFF);
                }
                sectionRemaining = len;
                headerBytes = 0;
            }
            return b;
        }
    }

    private static StoreException corrupt(String why) {
        return new StoreException(StoreError.CORRUPT_STREAM_STATE, why);
    }

    /** Sections of a snapshot, for tests and diagnostics: kinds in order. */
    static List<Integer> kinds(byte[] snapshot) throws IOException {
        List<Integer> out = new ArrayList<>();
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(snapshot));
        in.readNBytes(MAGIC.length);
        while (true) {
            int k = in.read();
            out.add(k);
            long len = in.readLong();
            if (k == END) {
                return out;
            }
            in.skipNBytes(len);
        }
    }
}
