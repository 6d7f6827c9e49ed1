package io.jnatsd.store;

import java.io.ByteArrayOutputStream;

/**
 * Go's {@code encoding/binary} varints: unsigned LEB128 ({@code PutUvarint}) and zig-zag signed ({@code PutVarint}).
 * Stateless helpers plus a bounds-checked reader.
 */
public final class Varint {

    private Varint() {
    }

    /** Appends {@code v} as an unsigned varint. */
    public static void writeUnsigned(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Appends {@code v} zig-zag encoded. */
    public static void writeSigned(ByteArrayOutputStream out, long v) {
        writeUnsigned(out, (v << 1) ^ (v >> 63));
    }

    /** Writes {@code v} at {@code b[off]}; returns the new offset. */
    public static int putUnsigned(byte[] b, int off, long v) {
        while ((v & ~0x7FL) != 0) {
            b[off++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /** Reads varints from {@code buf[off, end)}; throws {@link IndexOutOfBoundsException} when truncated. */
    public static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        public Reader(byte[] buf, int off, int end) {
            this.buf = buf;
            this.pos = off;
            this.end = end;
        }

        public long unsigned() {
            long x = 0;
            int s = 0;
            for (int i = 0; i < 10; i++) {
                if (pos >= end) {
                    throw new IndexOutOfBoundsException("truncated varint");
                }
                int b = buf[pos++] & 0xFF;
                if (b < 0x80) {
                    return x | ((long) b << s);
                }
                x |= (long) (b & 0x7F) << s;
                s += 7;
            }
            throw new IndexOutOfBoundsException("varint overflow");
        }

        public long signed() {
            long ux = unsigned();
            return (ux >>> 1) ^ -(ux & 1);
        }

        public int u8() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException("truncated");
            }
            return buf[pos++] & 0xFF;
        }

        public int position() {
            return pos;
        }

        public int remaining() {
            return end - pos;
        }
    }
}
