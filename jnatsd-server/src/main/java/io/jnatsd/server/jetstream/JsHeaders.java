package io.jnatsd.server.jetstream;

import io.jnatsd.store.NatsHeaders;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JetStream header names and the header block edits streams make: reading values (case-sensitive keys, as
 * nats-server's {@code sliceHeader}), removing a header, appending one, replacing one, dropping a status line
 * ({@code server/client.go removeHeaderIfPresent}, {@code genHeader}, {@code setHeader},
 * {@code removeHeaderStatusIfPresent}). A header block is {@code NATS/1.0[ status]\r\n(Key: value\r\n)*\r\n}.
 * Stateless; thread-safe.
 */
// nats-server: stream.go header constants; client.go header helpers
public final class JsHeaders {

    public static final String MSG_ID = "Nats-Msg-Id";
    public static final String EXPECTED_STREAM = "Nats-Expected-Stream";
    public static final String EXPECTED_LAST_SEQ = "Nats-Expected-Last-Sequence";
    public static final String EXPECTED_LAST_SUBJ_SEQ = "Nats-Expected-Last-Subject-Sequence";
    public static final String EXPECTED_LAST_SUBJ_SEQ_SUBJ = "Nats-Expected-Last-Subject-Sequence-Subject";
    public static final String EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id";
    public static final String STREAM_SOURCE = "Nats-Stream-Source";
    public static final String ROLLUP = "Nats-Rollup";
    public static final String MSG_SIZE = "Nats-Msg-Size";
    public static final String TTL = "Nats-TTL";
    public static final String MARKER_REASON = "Nats-Marker-Reason";
    public static final String INCR = "Nats-Incr";
    public static final String COUNTER_SOURCES = "Nats-Counter-Sources";
    public static final String BATCH_ID = "Nats-Batch-Id";
    public static final String BATCH_SEQ = "Nats-Batch-Sequence";
    public static final String BATCH_COMMIT = "Nats-Batch-Commit";
    public static final String SCHEDULE = "Nats-Schedule";
    public static final String SCHEDULE_TIME_ZONE = "Nats-Schedule-Time-Zone";
    public static final String SCHEDULE_TTL = "Nats-Schedule-TTL";
    public static final String SCHEDULE_ROLLUP = "Nats-Schedule-Rollup";
    public static final String SCHEDULE_TARGET = "Nats-Schedule-Target";
    public static final String SCHEDULE_SOURCE = "Nats-Schedule-Source";
    public static final String SCHEDULER = "Nats-Scheduler";
    public static final String SCHEDULE_NEXT = "Nats-Schedule-Next";
    public static final String STREAM = "Nats-Stream";
    public static final String SEQUENCE = "Nats-Sequence";
    public static final String TIME_STAMP = "Nats-Time-Stamp";
    public static final String SUBJECT = "Nats-Subject";
    public static final String LAST_SEQUENCE = "Nats-Last-Sequence";
    public static final String NUM_PENDING = "Nats-Num-Pending";
    public static final String UP_TO_SEQUENCE = "Nats-UpTo-Sequence";
    public static final String REQUEST_INFO = "Nats-Request-Info";
    public static final String REQUIRED_API_LEVEL = "Nats-Required-Api-Level";
    /** {@code Nats-Rollup} value: the subject. */
    public static final String ROLLUP_SUBJECT = "sub";
    /** {@code Nats-Rollup} value: the stream. */
    public static final String ROLLUP_ALL = "all";

    private static final byte[] HEADER_LINE = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int EMPTY_HEADER_LENGTH = "NATS/1.0\r\n\r\n".length();

    private JsHeaders() {
    }

    /** The value of {@code key}, or null when absent (empty when present without a value). */
    public static String get(byte[] hdr, String key) {
        return hdr == null ? null : NatsHeaders.value(hdr, 0, hdr.length, key);
    }

    /** Whether {@code key} is present with a non-empty value. */
    public static boolean has(byte[] hdr, String key) {
        String v = get(hdr, key);
        return v != null && !v.isEmpty();
    }

    /** nats-server's {@code parseInt64}: digits only, else -1. */
    public static long parseInt64(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n < 0) {
                return -1;
            }
        }
        return n;
    }

    /**
     * {@code hdr} without the line of {@code key}; null when nothing but the empty header is left. Returns
     * {@code hdr} itself when the key is absent.
     */
    // nats-server: client.go removeHeaderIfPresent
    public static byte[] remove(byte[] hdr, String key) {
        if (hdr == null) {
            return null;
        }
        int v = NatsHeaders.valueOffset(hdr, 0, hdr.length, key);
        if (v < 0) {
            return hdr;
        }
        int start = lineStart(hdr, v);
        int end = NatsHeaders.valueEnd(hdr, v, hdr.length);
        if (end + 2 > hdr.length) {
            return hdr;
        }
        end += 2;
        byte[] out = new byte[hdr.length - (end - start)];
        System.arraycopy(hdr, 0, out, 0, start);
        System.arraycopy(hdr, end, out, start, hdr.length - end);
        return out.length <= EMPTY_HEADER_LENGTH ? null : out;
    }

    private static int lineStart(byte[] hdr, int valueOffset) {
        int i = valueOffset;
        while (i > 0 && hdr[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    /** {@code hdr} (or an empty header) with {@code key: value} appended ({@code genHeader}). */
    // nats-server: client.go genHeader
    public static byte[] append(byte[] hdr, String key, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((hdr == null ? 12 : hdr.length) + key.length()
                + value.length() + 4);
        if (hdr != null && hdr.length > 2) {
            out.write(hdr, 0, hdr.length - 2);
        } else {
            out.writeBytes(HEADER_LINE);
        }
        out.writeBytes((key + ": " + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code hdr} with {@code key} set to {@code value}: replaced where present, else appended ({@code setHeader}). */
    // nats-server: client.go setHeader
    public static byte[] set(byte[] hdr, String key, String value) {
        if (hdr == null || NatsHeaders.valueOffset(hdr, 0, hdr.length, key) < 0) {
            return append(hdr, key, value);
        }
        int v = NatsHeaders.valueOffset(hdr, 0, hdr.length, key);
        int end = NatsHeaders.valueEnd(hdr, v, hdr.length);
        byte[] val = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[hdr.length - (end - v) + val.length];
        System.arraycopy(hdr, 0, out, 0, v);
        System.arraycopy(val, 0, out, v, val.length);
        System.arraycopy(hdr, end, out, v + val.length, hdr.length - end);
        return out;
    }

    /** {@code hdr} without a status on its first line ({@code NATS/1.0 503} becomes {@code NATS/1.0}). */
    // nats-server: client.go removeHeaderStatusIfPresent
    public static byte[] removeStatus(byte[] hdr) {
        if (hdr == null || hdr.length < HEADER_LINE.length + 2 || hdr[8] != ' ') {
            return hdr;
        }
        int eol = 8;
        while (eol < hdr.length - 1 && !(hdr[eol] == '\r' && hdr[eol + 1] == '\n')) {
            eol++;
        }
        byte[] out = new byte[hdr.length - (eol - 8)];
        System.arraycopy(hdr, 0, out, 0, 8);
        System.arraycopy(hdr, eol, out, 8, hdr.length - eol);
        return out;
    }

    /** A headers-only status message block: {@code NATS/1.0 <code> <description>\r\n[extra]\r\n}. */
    public static byte[] status(int code, String description, String... keyValues) {
        StringBuilder b = new StringBuilder("NATS/1.0 ").append(code);
        if (description != null && !description.isEmpty()) {
            b.append(' ').append(description);
        }
        b.append("\r\n");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.append(keyValues[i]).append(": ").append(keyValues[i + 1]).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** File store record size of a message ({@code fileStoreMsgSize}). */
    // nats-server: filestore.go fileStoreMsgSize
    public static long fileStoreMsgSize(String subject, int hdrLength, int msgLength) {
        int subj = subject.getBytes(StandardCharsets.UTF_8).length;
        return hdrLength == 0 ? 22L + subj + msgLength + 8 : 22L + subj + 4 + hdrLength + msgLength + 8;
    }

    /** Memory store size of a message ({@code memStoreMsgSize}). */
    // nats-server: memstore.go memStoreMsgSize
    public static long memStoreMsgSize(String subject, int hdrLength, int msgLength) {
        return (long) subject.getBytes(StandardCharsets.UTF_8).length + hdrLength + msgLength + 16;
    }
}
