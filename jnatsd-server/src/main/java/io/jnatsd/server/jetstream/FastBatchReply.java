package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.GoDigits;
import io.jnatsd.server.jetstream.api.ApiJson;

/**
 * What a fast batch publish says in its reply subject ({@code server/stream.go FastBatch}, {@code getFastBatch}):
 * <pre>
 *   &lt;inbox&gt;.&lt;batch id&gt;.&lt;initial flow&gt;.&lt;gap mode&gt;.&lt;batch seq&gt;.&lt;op&gt;.$FI
 *
 *   initial flow  acknowledge every N messages; 0, negative or not a number: 10; above 65535: 65535
 *   gap mode      "fail" (a gap ends the batch) or "ok" (a gap is reported and the batch goes on)
 *   batch seq     1 .. 2^64-2, unsigned; 1 with op 0 only, above 1 with op 1 only, never 1 with op 3
 *   op            0 start, 1 append, 2 commit, 3 commit without this message (EOB), 4 ping
 * </pre>
 * The fields are read from the right, so the inbox may hold any number of tokens (or none: a reply starting with
 * a dot is accepted, as nats-server does). Through a service import the stream sees an {@code _R_.} reply; the
 * original one then travels in the {@code reply} field of {@code Nats-Request-Info}.
 *
 * @param id    the batch id (may be empty; at most 64 bytes is checked by the stream)
 * @param seq   the batch sequence, unsigned
 * @param flow  the initial flow, 1..65535
 * @param gapOk gap mode {@code ok}
 * @param op    {@link #OP_START} .. {@link #OP_PING}
 */
// nats-server: stream.go FastBatch, getFastBatch
record FastBatchReply(String id, long seq, int flow, boolean gapOk, int op) {

    /** The reply subject suffix that marks a fast batch publish ({@code FastBatchSuffix}). */
    static final String SUFFIX = ".$FI";
    static final int OP_START = 0;
    static final int OP_APPEND = 1;
    static final int OP_COMMIT = 2;
    static final int OP_COMMIT_EOB = 3;
    static final int OP_PING = 4;
    /** The initial flow when the client gives none. */
    static final int DEFAULT_FLOW = 10;
    /** The largest flow ({@code math.MaxUint16}). */
    static final int MAX_FLOW = 65535;
    private static final String SERVICE_REPLY_PREFIX = "_R_.";

    /** A ping: resend the last flow acknowledgement (and report a gap). */
    boolean ping() {
        return op == OP_PING;
    }

    /** A commit, with or without this message. */
    boolean commit() {
        return op == OP_COMMIT || op == OP_COMMIT_EOB;
    }

    /** A commit without this message (end of batch). */
    boolean commitEob() {
        return op == OP_COMMIT_EOB;
    }

    /** Whether {@code reply} ends in {@code .$FI} (after at least one more character), without looking further. */
    static boolean isFastBatch(String reply) {
        return reply != null && reply.length() > SUFFIX.length() && reply.endsWith(SUFFIX);
    }

    /**
     * The fast batch reply subject of a message: {@code reply} itself, or for a service import's {@code _R_.} reply
     * the original reply kept in {@code Nats-Request-Info}; null when the message is no fast batch publish.
     */
    static String fastBatchReply(String reply, byte[] hdr) {
        if (isFastBatch(reply)) {
            return reply;
        }
        if (reply == null || !reply.startsWith(SERVICE_REPLY_PREFIX) || hdr == null) {
            return null;
        }
        String info = JsHeaders.get(hdr, JsHeaders.REQUEST_INFO);
        if (info == null || !info.contains(SUFFIX)) {
            return null;                            // cheap test before parsing any JSON
        }
        try {
            JsonNode node = ApiJson.mapper().readTree(info);
            JsonNode original = node == null ? null : node.get("reply");
            String text = original == null || !original.isTextual() ? null : original.asText();
            return isFastBatch(text) ? text : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Reads the fields of a reply subject that {@link #isFastBatch} accepted.
     *
     * @return the fields, or null when they do not form a valid pattern (error 10206)
     */
    static FastBatchReply parse(String reply) {
        int n = reply.length() - SUFFIX.length();
        int o = reply.lastIndexOf('.', n - 1);
        if (o < 0) {
            return null;
        }
        long op = GoDigits.parse(reply, o + 1, n);
        if (op < OP_START || op > OP_PING) {
            return null;
        }
        int p = o;
        o = reply.lastIndexOf('.', o - 1);
        if (o < 0) {
            return null;
        }
        long seq = parseUint64(reply, o + 1, p);
        if (seq == 0 || seq == -1L) {             // -1: not a number, overflow, or 2^64-1 (would wrap on the next ++)
            return null;
        }
        if (seq == 1 && op == OP_COMMIT_EOB || op == OP_START && seq != 1
                || op == OP_APPEND && Long.compareUnsigned(seq, 1) <= 0) {
            return null;
        }
        p = o;
        o = reply.lastIndexOf('.', o - 1);
        if (o < 0) {
            return null;
        }
        boolean gapOk;
        if (reply.regionMatches(o + 1, "fail", 0, 4) && p - o - 1 == 4) {
            gapOk = false;
        } else if (reply.regionMatches(o + 1, "ok", 0, 2) && p - o - 1 == 2) {
            gapOk = true;
        } else {
            return null;
        }
        p = o;
        o = reply.lastIndexOf('.', o - 1);
        if (o < 0) {
            return null;
        }
        long a = GoDigits.parse(reply, o + 1, p);
        int flow = a <= 0 ? DEFAULT_FLOW : a > MAX_FLOW ? MAX_FLOW : (int) a;
        p = o;
        o = reply.lastIndexOf('.', o - 1);
        if (o < 0) {
            return null;
        }
        return new FastBatchReply(reply.substring(o + 1, p), seq, flow, gapOk, (int) op);
    }

    /** Go's {@code parseUint64} as an unsigned long; -1 (2^64-1) for empty, a non-digit or an overflow. */
    private static long parseUint64(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        long limit = Long.divideUnsigned(-1L, 10);
        long lastDigit = Long.remainderUnsigned(-1L, 10);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (Long.compareUnsigned(n, limit) > 0 || n == limit && digit > lastDigit) {
                return -1;
            }
            n = n * 10 + digit;
        }
        return n;
    }
}
