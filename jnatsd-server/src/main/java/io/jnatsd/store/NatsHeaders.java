package io.jnatsd.store;

import io.jnatsd.config.GoDuration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the few message headers the store itself acts on: {@code Nats-TTL}, subject delete markers
 * ({@code Nats-Marker-Reason}, {@code KV-Operation: PURGE}), {@code Nats-Rollup} and the scheduling headers. A header
 * block is {@code NATS/1.0[ status]\r\n} followed by {@code Key: value\r\n} lines and an empty line. Keys are matched
 * case-sensitively, as nats-server's {@code sliceHeader} does.
 * <p>
 * Stateless and thread-safe.
 */
// nats-server: client.go getHeaderKeyIndex / sliceHeader, stream.go getMessageTTL / parseMessageTTL, sdm.go
public final class NatsHeaders {

    /** Per-message TTL. */
    public static final String TTL = "Nats-TTL";
    /** Why a subject delete marker was written. */
    public static final String MARKER_REASON = "Nats-Marker-Reason";
    /** Roll-up request ({@code sub} or {@code all}). */
    public static final String ROLLUP = "Nats-Rollup";
    /** KV operation ({@code DEL}, {@code PURGE}). */
    public static final String KV_OPERATION = "KV-Operation";
    /** The schedule a message was produced by. */
    public static final String SCHEDULER = "Nats-Scheduler";
    /** Next fire time of a schedule, or {@code purge}. */
    public static final String SCHEDULE_NEXT = "Nats-Schedule-Next";
    /** A schedule's pattern. */
    public static final String SCHEDULE = "Nats-Schedule";
    /** The {@code Nats-Schedule-Next} value that ends a one-shot schedule. */
    public static final String SCHEDULE_NEXT_PURGE = "purge";

    private NatsHeaders() {
    }

    /**
     * Offset of the value of {@code key} in {@code hdr[off, off + len)}, or -1. The value ends at the next CR LF
     * (see {@link #valueEnd}); leading spaces are skipped.
     */
    public static int valueOffset(byte[] hdr, int off, int len, String key) {
        if (hdr == null || len == 0) {
            return -1;
        }
        int keyLen = key.length();
        int end = off + len;
        int from = off;
        while (true) {
            int index = indexOf(hdr, from, end, key);
            if (index < off + 2) {
                if (index < 0) {
                    return -1;
                }
                from = index + keyLen;
                continue;
            }
            if (index >= end - 1 || hdr[index - 1] != '\n' || hdr[index - 2] != '\r') {
                from = index + keyLen;
                continue;
            }
            if (index + keyLen >= end) {
                return -1;
            }
            if (hdr[index + keyLen] != ':') {
                from = index + keyLen;
                continue;
            }
            int v = index + keyLen + 1;
            while (v < end && hdr[v] == ' ') {
                v++;
            }
            return v;
        }
    }

    /** End (exclusive) of a value starting at {@code valueOffset}. */
    public static int valueEnd(byte[] hdr, int valueOffset, int end) {
        int i = valueOffset;
        while (i < end) {
            if (hdr[i] == '\r' && i < end - 1 && hdr[i + 1] == '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The value of {@code key}, or null when absent. */
    public static String value(byte[] hdr, int off, int len, String key) {
        int v = valueOffset(hdr, off, len, key);
        if (v < 0) {
            return null;
        }
        int e = valueEnd(hdr, v, off + len);
        return new String(hdr, v, e - v, StandardCharsets.UTF_8);
    }

    /** The value of {@code key} in a whole header array, or null. */
    public static String value(byte[] hdr, String key) {
        return hdr == null ? null : value(hdr, 0, hdr.length, key);
    }

    /**
     * The message TTL in seconds from {@code Nats-TTL}: positive seconds, {@code -1} for {@code never}, 0 when absent
     * or invalid.
     */
    // nats-server: stream.go getMessageTTL (errors are treated as "no TTL" by the store)
    public static long ttlSeconds(byte[] hdr, int off, int len) {
        String ttl = value(hdr, off, len, TTL);
        if (ttl == null || ttl.isEmpty()) {
            return 0;
        }
        try {
            return parseTtl(ttl);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Parses a {@code Nats-TTL} value: {@code never} (any case) is -1, a Go duration of at least one second gives its
     * whole seconds, a plain non-negative integer is seconds.
     *
     * @throws IllegalArgumentException for anything else (nats-server answers 10165 {@code invalid per-message TTL})
     */
    // nats-server: stream.go parseMessageTTL
    public static long parseTtl(String ttl) {
        if (ttl.equalsIgnoreCase("never")) {
            return -1;
        }
        Duration d = null;
        try {
            d = GoDuration.parse(ttl);
        } catch (IllegalArgumentException notADuration) {
            // fall through to the integer form
        }
        if (d != null) {
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("invalid per-message TTL");
            }
            return d.getSeconds();
        }
        long t = parseNonNegative(ttl);
        if (t < 0) {
            throw new IllegalArgumentException("invalid per-message TTL");
        }
        return t;
    }

    // nats-server: util.go parseInt64 (digits only; -1 otherwise)
    private static long parseNonNegative(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Whether the headers mark a subject delete marker: a {@code Nats-Marker-Reason} or {@code KV-Operation: PURGE}. */
    // nats-server: sdm.go isSubjectDeleteMarker
    public static boolean isSubjectDeleteMarker(byte[] hdr, int off, int len) {
        int v = valueOffset(hdr, off, len, MARKER_REASON);
        if (v >= 0 && valueEnd(hdr, v, off + len) > v) {
            return true;
        }
        String op = value(hdr, off, len, KV_OPERATION);
        return "PURGE".equals(op);
    }

    /**
     * The header block of a subject delete marker for max age: reason {@code MaxAge}, {@code Nats-TTL} as a Go
     * duration (e.g. {@code 15m0s}) and {@code Nats-Rollup: sub}.
     */
    // nats-server: memstore.go / filestore.go handleRemovalOrSdm
    public static byte[] maxAgeMarker(long markerTtlSeconds) {
        String s = "NATS/1.0\r\n" + MARKER_REASON + ": MaxAge\r\n" + TTL + ": "
                + GoDuration.formatNanos(markerTtlSeconds * 1_000_000_000L) + "\r\n" + ROLLUP + ": sub\r\n\r\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, int from, int end, String key) {
        int n = key.length();
        char first = key.charAt(0);
        outer:
        for (int i = from; i <= end - n; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < n; j++) {
                if (b[i + j] != key.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
