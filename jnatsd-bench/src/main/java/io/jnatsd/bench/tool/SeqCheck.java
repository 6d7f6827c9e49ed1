package io.jnatsd.bench.tool;

/**
 * Checks the sequence numbers one receiver sees from one publisher, whose messages must arrive in publish order:
 * {@code 1, 2, 3, ...}. A jump forward counts the skipped numbers as missing; a number at or below one already seen
 * is a duplicate or reordering. Payloads under 8 bytes carry only the low bytes of the sequence
 * ({@link PubBatch}), so the check is modulo {@code 2^(8*width)}; a 0-byte payload can only be counted.
 * <p>
 * Used in two ways: {@link #ordered} for fan-out and 1:1 (every message, in order), {@link #increasing} for a queue
 * group member (a subset, in increasing order; {@link SeqCoverage} then checks the union).
 * <p>
 * Owned by one reading thread; results are read by the scenario after that thread has been joined.
 */
final class SeqCheck {

    private final boolean subset;      // queue member: gaps are expected
    private final long mask;           // all ones for 8-byte sequences
    private final long half;           // differences above this (modulo) are backwards
    private final boolean counting;    // 0-byte payloads: nothing to check

    private long next = 1;             // the sequence expected next (full width, also when checking modulo)
    private long received;
    private long missing;
    private long backwards;

    private SeqCheck(int payloadBytes, boolean subset) {
        int width = Math.min(8, payloadBytes);
        this.subset = subset;
        this.counting = width == 0;
        this.mask = width >= 8 ? -1L : (1L << (8 * width)) - 1;
        this.half = width >= 8 ? Long.MAX_VALUE : mask >>> 1;
    }

    /** Every message of one publisher, in order. */
    static SeqCheck ordered(int payloadBytes) {
        return new SeqCheck(payloadBytes, false);
    }

    /** A strictly increasing subset of one publisher's messages. */
    static SeqCheck increasing(int payloadBytes) {
        return new SeqCheck(payloadBytes, true);
    }

    /** Records one received sequence number (as decoded from the payload). */
    void accept(long seq) {
        received++;
        if (counting) {
            next++;
            return;
        }
        long diff = (seq - next) & mask;
        if (diff == 0) {
            next++;
        } else if (Long.compareUnsigned(diff, half) <= 0) {
            if (!subset) {
                missing += diff;
            }
            next += diff + 1;
        } else {
            backwards++;
        }
    }

    /** Messages received, valid or not. */
    long received() {
        return received;
    }

    /** The highest sequence seen in order (full width), 0 before the first. */
    long last() {
        return next - 1;
    }

    /** Sequence numbers skipped (only for {@link #ordered}). */
    long missing() {
        return missing;
    }

    /** Messages that went backwards: duplicates or reordering. */
    long backwards() {
        return backwards;
    }

    /** True if the receiver saw exactly {@code 1 .. published}, in order (only meaningful for {@link #ordered}). */
    boolean complete(long published) {
        return received == published && missing == 0 && backwards == 0 && next - 1 == published;
    }
}
