package io.jnatsd.store.file;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The S2 framing format (klauspost/compress s2 {@code Writer}/{@code Reader}, a superset of Snappy's framing):
 * a stream identifier chunk ({@code 0xff}, {@code "S2sTwO"}), then data chunks of at most 1 MiB of input, each
 * a type byte, a 3-byte little-endian length and a masked CRC-32C of the uncompressed data:
 * <pre>
 *   +------+-----------+------------+----------------------------------+
 *   | type | length(3) | crc32c (4) | S2 block (0x00) or raw (0x01)    |
 *   +------+-----------+------------+----------------------------------+
 * </pre>
 * The writer stores a chunk compressed when that saves at least 1/32 of it, as s2's writer does. The reader also
 * accepts Snappy's identifier, skips skippable and padding chunks and checks every checksum. nats-server writes its
 * OCSP peer cache entries this way. Stateless and thread-safe.
 */
// klauspost/compress s2: writer.go, reader.go (chunk types, masked CRC)
public final class S2Stream {

    private static final int MAX_BLOCK = 1 << 20;
    private static final byte[] S2_ID = {(byte) 0xff, 6, 0, 0, 'S', '2', 's', 'T', 'w', 'O'};
    private static final byte[] SNAPPY_MAGIC = {'s', 'N', 'a', 'P', 'p', 'Y'};
    private static final byte[] S2_MAGIC = {'S', '2', 's', 'T', 'w', 'O'};

    private S2Stream() {
    }

    /** {@code data} as an S2 stream. */
    public static byte[] encode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        out.writeBytes(S2_ID);
        for (int off = 0; off < data.length; off += MAX_BLOCK) {
            int n = Math.min(MAX_BLOCK, data.length - off);
            int crc = masked(data, off, n);
            byte[] block = S2.encode(data, off, n);
            boolean compressed = block.length < n - (n >> 5);
            int length = 4 + (compressed ? block.length : n);
            out.write(compressed ? 0x00 : 0x01);
            out.write(length & 0xff);
            out.write((length >>> 8) & 0xff);
            out.write((length >>> 16) & 0xff);
            out.write(crc & 0xff);
            out.write((crc >>> 8) & 0xff);
            out.write((crc >>> 16) & 0xff);
            out.write((crc >>> 24) & 0xff);
            if (compressed) {
                out.writeBytes(block);
            } else {
                out.write(data, off, n);
            }
        }
        return out.toByteArray();
    }

    /**
     * The data of an S2 (or Snappy) stream.
     *
     * @throws IllegalArgumentException when the stream is corrupt (s2's {@code ErrCorrupt}: {@code s2: corrupt
     *                                  input}) or uses a chunk type a reader must not skip
     */
    public static byte[] decode(byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length * 2);
        int p = 0;
        boolean identified = false;
        while (p < stream.length) {
            if (p + 4 > stream.length) {
                throw corrupt();
            }
            int type = stream[p] & 0xff;
            int length = (stream[p + 1] & 0xff) | (stream[p + 2] & 0xff) << 8 | (stream[p + 3] & 0xff) << 16;
            int start = p + 4;
            int end = start + length;
            if (end > stream.length) {
                throw corrupt();
            }
            if (type == 0xff) {
                byte[] magic = Arrays.copyOfRange(stream, start, end);
                if (!Arrays.equals(magic, S2_MAGIC) && !Arrays.equals(magic, SNAPPY_MAGIC)) {
                    throw corrupt();
                }
                identified = true;
            } else if (!identified) {
                throw corrupt();
            } else if (type == 0x00 || type == 0x01) {
                if (length < 4) {
                    throw corrupt();
                }
                int expected = (stream[start] & 0xff) | (stream[start + 1] & 0xff) << 8
                        | (stream[start + 2] & 0xff) << 16 | (stream[start + 3] & 0xff) << 24;
                byte[] chunk = type == 0x00 ? S2.decode(stream, start + 4, length - 4)
                        : Arrays.copyOfRange(stream, start + 4, end);
                if (masked(chunk, 0, chunk.length) != expected) {
                    throw corrupt();
                }
                out.writeBytes(chunk);
            } else if (type < 0x80) {
                throw new IllegalArgumentException("s2: unsupported input");
            }
            // 0x80-0xfe: skippable and padding chunks
            p = end;
        }
        return out.toByteArray();
    }

    /** The CRC-32C of {@code b[off, off+len)}, masked as the framing format stores it. */
    private static int masked(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static IllegalArgumentException corrupt() {
        return new IllegalArgumentException("s2: corrupt input");
    }
}
