package io.jnatsd.store.file;

import io.jnatsd.store.Varint;

import java.util.Arrays;

/**
 * S2 block compression (github.com/klauspost/compress/s2), the codec nats-server uses for {@code compression: s2}.
 * The S2 block format extends Snappy's: the decoder here reads both (S2 adds "repeat last offset" copies, coded as
 * a one-byte-offset copy with offset 0). The encoder emits the common subset (literals and copies with 1-, 2- and
 * 4-byte offsets, no repeat codes), which every S2 and Snappy decoder reads.
 * <p>
 * Why our own: no maintained Java library decodes S2's extensions (Netty, aircompressor and snappy-java implement
 * Snappy only), and nats-server's snapshots and blocks may contain them. The format is small: a uvarint of the
 * decoded length, then tagged elements (low two bits: 0 literal, 1 copy with 11-bit offset, 2 copy with 16-bit
 * offset, 3 copy with 32-bit offset).
 * <p>
 * Stateless and thread-safe.
 */
// klauspost/compress s2: decode_other.go s2Decode, encode_go.go encodeBlockGo (greedy hash matcher, our own)
public final class S2 {

    private static final int MIN_MATCH = 4;
    private static final int HASH_BITS = 14;
    private static final int MAX_BLOCK = Integer.MAX_VALUE - 16;

    private S2() {
    }

    /** Compresses {@code src[off, off+len)} into a new S2 block. */
    public static byte[] encode(byte[] src, int off, int len) {
        byte[] dst = new byte[maxEncodedLength(len)];
        int d = putUvarint(dst, 0, len);
        int end = off + len;
        if (len < MIN_MATCH + 4) {
            if (len > 0) {
                d = emitLiteral(dst, d, src, off, len);
            }
            return Arrays.copyOf(dst, d);
        }
        int[] table = new int[1 << HASH_BITS];
        Arrays.fill(table, -1);
        int lit = off;
        int s = off;
        int limit = end - MIN_MATCH;
        while (s <= limit) {
            int h = hash(src, s);
            int cand = table[h];
            table[h] = s;
            if (cand >= 0 && s - cand <= 0x7FFF_FFFF && equal4(src, cand, s)) {
                int m = MIN_MATCH;
                while (s + m < end && src[cand + m] == src[s + m]) {
                    m++;
                }
                if (s > lit) {
                    d = emitLiteral(dst, d, src, lit, s - lit);
                }
                d = emitCopy(dst, d, s - cand, m);
                s += m;
                lit = s;
                if (s <= limit) {
                    table[hash(src, s - 1)] = s - 1;
                }
            } else {
                s++;
            }
        }
        if (lit < end) {
            d = emitLiteral(dst, d, src, lit, end - lit);
        }
        return Arrays.copyOf(dst, d);
    }

    /**
     * Decompresses an S2 (or Snappy) block.
     *
     * @throws IllegalArgumentException when the block is corrupt
     */
    // klauspost/compress s2: decode_other.go s2Decode
    public static byte[] decode(byte[] src, int off, int len) {
        int end = off + len;
        long[] hdr = readUvarint(src, off, end);
        if (hdr[0] < 0 || hdr[0] > MAX_BLOCK) {
            throw new IllegalArgumentException("s2: corrupt input (bad length)");
        }
        byte[] dst = new byte[(int) hdr[0]];
        int s = (int) hdr[1];
        int d = 0;
        int offset = 0;
        while (s < end) {
            int tag = src[s] & 0xFF;
            int length;
            switch (tag & 3) {
                case 0 -> {
                    int x = tag >>> 2;
                    if (x < 60) {
                        s++;
                    } else {
                        int extra = x - 59;
                        if (s + extra >= end) {
                            throw corrupt();
                        }
                        x = 0;
                        for (int i = 0; i < extra; i++) {
                            x |= (src[s + 1 + i] & 0xFF) << (8 * i);
                        }
                        s += 1 + extra;
                    }
                    length = x + 1;
                    if (length <= 0 || length > dst.length - d || length > end - s) {
                        throw corrupt();
                    }
                    System.arraycopy(src, s, dst, d, length);
                    d += length;
                    s += length;
                    continue;
                }
                case 1 -> {
                    if (s + 2 > end) {
                        throw corrupt();
                    }
                    int toffset = ((tag & 0xE0) << 3) | (src[s + 1] & 0xFF);
                    length = (tag >>> 2) & 7;
                    s += 2;
                    if (toffset == 0) {
                        // S2 repeat: keep the last offset
                        switch (length) {
                            case 5 -> {
                                if (s + 1 > end) {
                                    throw corrupt();
                                }
                                length = (src[s] & 0xFF) + 4;
                                s += 1;
                            }
                            case 6 -> {
                                if (s + 2 > end) {
                                    throw corrupt();
                                }
                                length = ((src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8) + (1 << 8);
                                s += 2;
                            }
                            case 7 -> {
                                if (s + 3 > end) {
                                    throw corrupt();
                                }
                                length = ((src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8 | (src[s + 2] & 0xFF) << 16)
                                        + (1 << 16);
                                s += 3;
                            }
                            default -> {
                                // lengths 0-4 code 4-8
                            }
                        }
                    } else {
                        offset = toffset;
                    }
                    length += 4;
                }
                case 2 -> {
                    if (s + 3 > end) {
                        throw corrupt();
                    }
                    length = 1 + (tag >>> 2);
                    offset = (src[s + 1] & 0xFF) | (src[s + 2] & 0xFF) << 8;
                    s += 3;
                }
                default -> {
                    if (s + 5 > end) {
                        throw corrupt();
                    }
                    length = 1 + (tag >>> 2);
                    offset = (src[s + 1] & 0xFF) | (src[s + 2] & 0xFF) << 8 | (src[s + 3] & 0xFF) << 16
                            | (src[s + 4] & 0xFF) << 24;
                    s += 5;
                }
            }
            if (offset <= 0 || d < offset || length > dst.length - d) {
                throw corrupt();
            }
            for (int i = 0; i < length; i++) {
                dst[d + i] = dst[d - offset + i];
            }
            d += length;
        }
        if (d != dst.length) {
            throw corrupt();
        }
        return dst;
    }

    private static IllegalArgumentException corrupt() {
        return new IllegalArgumentException("s2: corrupt input");
    }

    /** Worst-case size of an encoding of {@code n} bytes. */
    static int maxEncodedLength(int n) {
        return 10 + n + n / 6 + 16;
    }

    private static int hash(byte[] b, int i) {
        int v = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
        return (v * 0x1E35A7BD) >>> (32 - HASH_BITS);
    }

    private static boolean equal4(byte[] b, int i, int j) {
        return b[i] == b[j] && b[i + 1] == b[j + 1] && b[i + 2] == b[j + 2] && b[i + 3] == b[j + 3];
    }

    private static int emitLiteral(byte[] dst, int d, byte[] src, int off, int len) {
        int n = len - 1;
        if (n < 60) {
            dst[d++] = (byte) (n << 2);
        } else if (n < 1 << 8) {
            dst[d++] = (byte) (60 << 2);
            dst[d++] = (byte) n;
        } else if (n < 1 << 16) {
            dst[d++] = (byte) (61 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
        } else if (n < 1 << 24) {
            dst[d++] = (byte) (62 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
            dst[d++] = (byte) (n >>> 16);
        } else {
            dst[d++] = (byte) (63 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
            dst[d++] = (byte) (n >>> 16);
            dst[d++] = (byte) (n >>> 24);
        }
        System.arraycopy(src, off, dst, d, len);
        return d + len;
    }

    private static int emitCopy(byte[] dst, int d, int offset, int length) {
        while (length > 0) {
            if (offset < 2048 && length >= 4 && length <= 11) {
                dst[d++] = (byte) (((offset >>> 8) << 5) | ((length - 4) << 2) | 1);
                dst[d++] = (byte) offset;
                return d;
            }
            int chunk = Math.min(length, 64);
            if (length - chunk > 0 && length - chunk < 4) {
                chunk = length - 4;             // leave at least 4 for the next copy
            }
            if (offset < 65536) {
                dst[d++] = (byte) (((chunk - 1) << 2) | 2);
                dst[d++] = (byte) offset;
                dst[d++] = (byte) (offset >>> 8);
            } else {
                dst[d++] = (byte) (((chunk - 1) << 2) | 3);
                dst[d++] = (byte) offset;
                dst[d++] = (byte) (offset >>> 8);
                dst[d++] = (byte) (offset >>> 16);
                dst[d++] = (byte) (offset >>> 24);
            }
            length -= chunk;
        }
        return d;
    }

    private static int putUvarint(byte[] b, int off, long v) {
        return Varint.putUnsigned(b, off, v);
    }

    private static long[] readUvarint(byte[] b, int off, int end) {
        long x = 0;
        int s = 0;
        for (int i = off; i < end && i < off + 10; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                return new long[] {x | ((long) c << s), i + 1};
            }
            x |= (long) (c & 0x7F) << s;
            s += 7;
        }
        return new long[] {-1, end};
    }
}
