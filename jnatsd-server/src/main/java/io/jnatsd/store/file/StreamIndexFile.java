package io.jnatsd.store.file;

import io.jnatsd.store.SubjectIndex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.zip.CRC32C;

/**
 * {@code msgs/index.db}: the whole state of a file store, so that a clean restart does not read every block.
 * Little endian:
 * <pre>
 * +--------+-----+------+-------+-------+---------+------+--------+
 * | "JNSI" | ver | msgs | bytes | first | firstTs | last | lastTs |      ver u8 = 1, then u64 each
 * +--------+-----+------+-------+-------+---------+------+--------+
 * | blocks u32 | per block: index u32, first, last, lastTs, msgs, bytes, fileBytes (u64),                 |
 * |            | tombstones, ttls, schedules (u32), compressed u8, deleted ranges u32 + (start, end) u64s |
 * | subjects u32 | per subject: length u16, UTF-8 bytes, total u64, first block u32, last block u32        |
 * | CRC-32C of everything before (u32)                                                                     |
 * </pre>
 * It is trusted only when its CRC matches and every block it lists exists with the recorded file length (and no
 * other block exists); any write to a block changes its length, so a stale index is never used. Not written for
 * encrypted stores (it would hold subjects in clear).
 * <p>
 * Stateless; the store calls it under its write lock.
 */
// nats-server: filestore.go _writeFullState / recoverFullState (index.db; format ours)
final class StreamIndexFile {

    private static final byte[] MAGIC = {'J', 'N', 'S', 'I'};

    private StreamIndexFile() {
    }

    /**
     * Writes the index atomically.
     *
     * @param state msgs, bytes, first seq, first ts, last seq, last ts (the stream state, in the file's order)
     */
    static void write(Path path, long[] state, List<MessageBlock> blocks,
                      SubjectIndex<FileStreamStore.PerSubject> psim) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes(MAGIC);
        out.write(1);
        for (long v : state) {
            u64(out, v);
        }
        u32(out, blocks.size());
        for (MessageBlock mb : blocks) {
            u32(out, mb.index);
            u64(out, mb.first);
            u64(out, mb.last);
            u64(out, mb.lastTs);
            u64(out, mb.msgs);
            u64(out, mb.bytes);
            u64(out, mb.fileBytes);
            u32(out, mb.tombstones);
            u32(out, mb.ttls);
            u32(out, mb.schedules);
            out.write(mb.compressed ? 1 : 0);
            synchronized (mb) {
                u32(out, mb.deleted.ranges());
                for (int i = 0; i < mb.deleted.ranges(); i++) {
                    u64(out, mb.deleted.start(i));
                    u64(out, mb.deleted.end(i));
                }
            }
        }
        u32(out, psim.size());
        psim.forEach((s, ps) -> {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length & 0xFF);
            out.write(b.length >>> 8);
            out.writeBytes(b);
            u64(out, ps.total);
            u32(out, ps.firstBlock);
            u32(out, ps.lastBlock);
            return true;
        });
        CRC32C crc = new CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        u32(out, (int) crc.getValue());
        BlockFiles.writeAtomically(path, out.toByteArray());
    }

    /** A decoded index, or null when missing or damaged. */
    static State read(Path path) {
        byte[] b;
        try {
            b = Files.readAllBytes(path);
        } catch (IOException e) {
            return null;
        }
        if (b.length < 9 + 48 + 8 || b[0] != 'J' || b[1] != 'N' || b[2] != 'S' || b[3] != 'I' || b[4] != 1) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        if ((int) crc.getValue() != Records.getU32(b, b.length - 4)) {
            return null;
        }
        int[] p = {5};
        int end = b.length - 4;
        try {
            long msgs = u64(b, p, end);
            long bytes = u64(b, p, end);
            long first = u64(b, p, end);
            long firstTs = u64(b, p, end);
            long last = u64(b, p, end);
            long lastTs = u64(b, p, end);
            int nb = u32(b, p, end);
            List<long[]> blocks = new ArrayList<>();
            List<long[]> ranges = new ArrayList<>();
            for (int i = 0; i < nb; i++) {
                long[] blk = new long[12];
                blk[0] = u32(b, p, end);
                for (int k = 1; k <= 6; k++) {
                    blk[k] = u64(b, p, end);
                }
                blk[7] = u32(b, p, end);
                blk[8] = u32(b, p, end);
                blk[9] = u32(b, p, end);
                check(p[0] + 1, end);
                blk[10] = b[p[0]++];
                int nr = u32(b, p, end);
                long[] r = new long[nr * 2];
                for (int k = 0; k < nr * 2; k++) {
                    r[k] = u64(b, p, end);
                }
                blocks.add(blk);
                ranges.add(r);
            }
            int ns = u32(b, p, end);
            List<Object[]> subjects = new ArrayList<>(ns);
            for (int i = 0; i < ns; i++) {
                check(p[0] + 2, end);
                int len = (b[p[0]] & 0xFF) | (b[p[0] + 1] & 0xFF) << 8;
                p[0] += 2;
                check(p[0] + len, end);
                String s = new String(b, p[0], len, StandardCharsets.UTF_8);
                p[0] += len;
                long total = u64(b, p, end);
                int fb = u32(b, p, end);
                int lb = u32(b, p, end);
                subjects.add(new Object[] {s, total, fb, lb});
            }
            return new State(msgs, bytes, first, firstTs, last, lastTs, blocks, ranges, subjects);
        } catch (IllegalStateException truncated) {
            return null;
        }
    }

    /** A decoded index. */
    record State(long msgs, long bytes, long firstSeq, long firstTs, long lastSeq, long lastTs, List<long[]> blocks,
                 List<long[]> ranges, List<Object[]> subjects) {

        /** Whether the blocks on disk are exactly the ones recorded, with the recorded lengths. */
        boolean matches(List<MessageBlock> actual, ToLongFunction<MessageBlock> length) {
            if (actual.size() != blocks.size()) {
                return false;
            }
            for (int i = 0; i < blocks.size(); i++) {
                long[] blk = blocks.get(i);
                MessageBlock mb = actual.get(i);
                if (mb.index != blk[0] || length.applyAsLong(mb) != blk[6]) {
                    return false;
                }
            }
            return true;
        }

        void apply(FileStreamStore fs, List<MessageBlock> actual, SubjectIndex<FileStreamStore.PerSubject> psim) {
            for (int i = 0; i < blocks.size(); i++) {
                long[] blk = blocks.get(i);
                MessageBlock mb = actual.get(i);
                mb.first = blk[1];
                mb.last = blk[2];
                mb.lastTs = blk[3];
                mb.msgs = blk[4];
                mb.bytes = blk[5];
                mb.fileBytes = blk[6];
                mb.tombstones = (int) blk[7];
                mb.ttls = (int) blk[8];
                mb.schedules = (int) blk[9];
                mb.compressed = blk[10] != 0;
                long[] r = ranges.get(i);
                for (int k = 0; k < r.length; k += 2) {
                    mb.deleted.addRange(r[k], r[k + 1]);
                }
            }
            for (Object[] s : subjects) {
                FileStreamStore.PerSubject ps = new FileStreamStore.PerSubject((Integer) s[2]);
                ps.total = (Long) s[1];
                ps.lastBlock = (Integer) s[3];
                psim.put((String) s[0], ps);
            }
        }
    }

    private static void check(int need, int end) {
        if (need > end) {
            throw new IllegalStateException("truncated index");
        }
    }

    private static long u64(byte[] b, int[] p, int end) {
        check(p[0] + 8, end);
        long v = Records.getU64(b, p[0]);
        p[0] += 8;
        return v;
    }

    private static int u32(byte[] b, int[] p, int end) {
        check(p[0] + 4, end);
        int v = Records.getU32(b, p[0]);
        p[0] += 4;
        return v;
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }
}
