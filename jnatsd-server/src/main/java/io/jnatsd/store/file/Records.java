package io.jnatsd.store.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The message record of a block, little endian:
 * <pre>
 *  0                   4                          12                         20        22
 * +-------------------+--------------------------+--------------------------+---------+---------+
 * | length (u32)      | sequence + flags (u64)   | timestamp ns (i64)       | subj len| subject |
 * | bit 31: headers   | bit 63 skip, 62 tombstone|                          | (u16)   |         |
 * |                   | bit 61 erased            |                          |         |         |
 * +-------------------+--------------------------+--------------------------+---------+---------+
 * | [header length (u32) | header]  (when bit 31) | payload | CRC-32C (u32) | length (u32) again |
 * +-----------------------------------------------+---------+---------------+--------------------+
 * </pre>
 * {@code length} counts the whole record, so a record takes {@code 22 + len(subject) + len(payload) + 8} bytes, plus
 * {@code 4 + len(header)} with headers: exactly what the file store reports as a message's bytes (nats-server's
 * accounting). The CRC-32C covers everything from the sequence to the end of the payload; the repeated length lets a
 * reader tell a torn or shifted record from a good one and skip a record whose body is damaged. A skip record's
 * payload is the number of sequences it skips (u64); a tombstone names a removed sequence.
 * <p>
 * Stateless helpers; records live in byte arrays.
 */
// nats-server: filestore.go writeMsgRecordLocked, msgFromBufEx (layout ours; same size accounting)
final class Records {

    static final int HEADER_BYTES = 22;
    static final int TRAILER_BYTES = 8;
    static final int HAS_HEADERS = 0x8000_0000;
    static final long SKIP = 1L << 63;
    static final long TOMBSTONE = 1L << 62;
    static final long ERASED = 1L << 61;
    static final long FLAGS = SKIP | TOMBSTONE | ERASED;
    /** Records above this are refused (nats-server's rlBadThresh). */
    static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Records() {
    }

    /** Size of a record. */
    static long size(int subjectBytes, int headerBytes, int payloadBytes) {
        return HEADER_BYTES + (long) subjectBytes + (headerBytes > 0 ? 4L + headerBytes : 0) + payloadBytes
                + TRAILER_BYTES;
    }

    /** Writes {@code s} as UTF-8 at {@code b[off]} ({@code len} is its UTF-8 length). */
    static void putSubject(byte[] b, int off, String s, int len) {
        if (len == s.length()) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) s.charAt(i);
            }
        } else {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(u, 0, b, off, u.length);
        }
    }

    /**
     * Writes a record at {@code b[off]}; {@code b} must have room for {@link #size}. Returns the record length.
     */
    static int write(byte[] b, int off, long seqAndFlags, long ts, String subject, int subjectLen, byte[] hdr,
                     byte[] payload, CRC32C crc) {
        int hl = hdr == null ? 0 : hdr.length;
        int pl = payload == null ? 0 : payload.length;
        int len = (int) size(subjectLen, hl, pl);
        U32.set(b, off, hl > 0 ? len | HAS_HEADERS : len);
        U64.set(b, off + 4, seqAndFlags);
        U64.set(b, off + 12, ts);
        U16.set(b, off + 20, (short) subjectLen);
        int p = off + HEADER_BYTES;
        if (subjectLen > 0) {
            putSubject(b, p, subject, subjectLen);
            p += subjectLen;
        }
        if (hl > 0) {
            U32.set(b, p, hl);
            System.arraycopy(hdr, 0, b, p + 4, hl);
            p += 4 + hl;
        }
        if (pl > 0) {
            System.arraycopy(payload, 0, b, p, pl);
            p += pl;
        }
        seal(b, off, len, crc);
        return len;
    }

    /** Computes and stores the trailer of the record at {@code off} whose length is {@code len}. */
    static void seal(byte[] b, int off, int len, CRC32C crc) {
        crc.reset();
        crc.update(b, off + 4, len - 4 - TRAILER_BYTES);
        U32.set(b, off + len - 8, (int) crc.getValue());
        U32.set(b, off + len - 4, len);
    }

    /** Writes a record without subject or header and with an 8-byte payload (skip) or none (tombstone). */
    static int writeMeta(byte[] b, int off, long seqAndFlags, long ts, long skipCount, CRC32C crc) {
        boolean skip = (seqAndFlags & SKIP) != 0;
        int len = HEADER_BYTES + (skip ? 8 : 0) + TRAILER_BYTES;
        U32.set(b, off, len);
        U64.set(b, off + 4, seqAndFlags);
        U64.set(b, off + 12, ts);
        U16.set(b, off + 20, (short) 0);
        if (skip) {
            U64.set(b, off + HEADER_BYTES, skipCount);
        }
        seal(b, off, len, crc);
        return len;
    }

    static int rawLength(byte[] b, int off) {
        return (int) U32.get(b, off);
    }

    static int length(byte[] b, int off) {
        return rawLength(b, off) & ~HAS_HEADERS;
    }

    static boolean hasHeaders(byte[] b, int off) {
        return (rawLength(b, off) & HAS_HEADERS) != 0;
    }

    static long seqField(byte[] b, int off) {
        return (long) U64.get(b, off + 4);
    }

    static long seq(byte[] b, int off) {
        return seqField(b, off) & ~FLAGS;
    }

    static long timestamp(byte[] b, int off) {
        return (long) U64.get(b, off + 12);
    }

    static int subjectLength(byte[] b, int off) {
        return Short.toUnsignedInt((short) U16.get(b, off + 20));
    }

    static int headerLength(byte[] b, int off) {
        return hasHeaders(b, off) ? (int) U32.get(b, off + HEADER_BYTES + subjectLength(b, off)) : 0;
    }

    static int headerOffset(byte[] b, int off) {
        return off + HEADER_BYTES + subjectLength(b, off) + 4;
    }

    /** Offset of the payload. */
    static int payloadOffset(byte[] b, int off) {
        int p = off + HEADER_BYTES + subjectLength(b, off);
        return hasHeaders(b, off) ? p + 4 + (int) U32.get(b, p) : p;
    }

    static int payloadLength(byte[] b, int off) {
        return off + length(b, off) - TRAILER_BYTES - payloadOffset(b, off);
    }

    static long skipCount(byte[] b, int off) {
        return (long) U64.get(b, off + HEADER_BYTES);
    }

    static long getU64(byte[] b, int off) {
        return (long) U64.get(b, off);
    }

    static void putU64(byte[] b, int off, long v) {
        U64.set(b, off, v);
    }

    static int getU32(byte[] b, int off) {
        return (int) U32.get(b, off);
    }

    static void putU32(byte[] b, int off, int v) {
        U32.set(b, off, v);
    }

    /** The seq+flags field rewritten (erase). */
    static void setSeqField(byte[] b, int off, long v) {
        U64.set(b, off + 4, v);
    }

    /**
     * Whether a whole, intact record starts at {@code off} within {@code b[0, end)}: plausible length, the repeated
     * length, a sane subject/header layout and a matching CRC.
     */
    static Check check(byte[] b, int off, int end, CRC32C crc) {
        if (end - off < HEADER_BYTES + TRAILER_BYTES) {
            return Check.TORN;
        }
        int len = length(b, off);
        if (len < HEADER_BYTES + TRAILER_BYTES || len > MAX_RECORD_BYTES) {
            return Check.BAD_LENGTH;
        }
        if (off + len > end) {
            return Check.TORN;
        }
        if ((int) U32.get(b, off + len - 4) != len) {
            return Check.BAD_LENGTH;
        }
        int sl = subjectLength(b, off);
        int min = HEADER_BYTES + sl + TRAILER_BYTES + (hasHeaders(b, off) ? 4 : 0);
        if (min > len || (hasHeaders(b, off) && min + headerLength(b, off) > len)) {
            return Check.CORRUPT;
        }
        crc.reset();
        crc.update(b, off + 4, len - 4 - TRAILER_BYTES);
        if ((int) crc.getValue() != (int) U32.get(b, off + len - 8)) {
            return Check.CORRUPT;
        }
        return Check.OK;
    }

    /** Outcome of {@link #check}. */
    enum Check {
        /** Intact. */
        OK,
        /** The record runs past the end of the data (a torn write). */
        TORN,
        /** The length fields are unusable: nothing after this point can be trusted. */
        BAD_LENGTH,
        /** The record's extent is known but its content is damaged: it can be skipped. */
        CORRUPT
    }
}
