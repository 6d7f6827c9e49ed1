package io.jnatsd.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Hashing and comparison of byte ranges, so subjects and tokens are looked up without building a {@code String}.
 * Stateless and thread-safe.
 */
final class Bytes {

    private static final VarHandle LONG_VIEW =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private Bytes() {
    }

    /** A well-mixed 32-bit hash of {@code b[off, off+len)}; reads 8 bytes at a time. Never allocates. */
    static int hash(byte[] b, int off, int len) {
        long h = len * K1;
        int i = off;
        int end = off + len;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = mix(h, (long) LONG_VIEW.get(b, i));
        }
        if (i < end) {
            long tail = 0;
            for (int shift = 0; i < end; i++, shift += 8) {
                tail |= (b[i] & 0xFFL) << shift;
            }
            h = mix(h, tail);
        }
        // murmur3 fmix64
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    private static long mix(long h, long word) {
        return Long.rotateLeft(h ^ (word * K2), 31) * K1;
    }

    /** Whether {@code key} (all of it) equals {@code b[off, off+len)}. */
    static boolean equals(byte[] key, byte[] b, int off, int len) {
        return key.length == len && Arrays.equals(key, 0, len, b, off, off + len);
    }

    /** Index of the first {@code '.'} in {@code b[from, end)}, or {@code end}. */
    static int nextSeparator(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '.') {
                return i;
            }
        }
        return end;
    }
}
