package io.jnatsd.store;

import java.util.HashMap;

/**
 * Remembers which expiring messages were already handed to the stream layer (as a removal or a subject delete
 * marker proposal) and whether each was its subject's last message, so that a message is not proposed twice within
 * two seconds and the "last of its subject" decision counts removals still in flight.
 * <p>
 * Not thread-safe: guarded by the owning store's lock.
 */
// nats-server: sdm.go SDMMeta, memstore.go/filestore.go shouldProcessSdmLocked
public final class SdmTracker {

    /** Result of {@link #shouldProcess}: do nothing now. */
    public static final int SKIP = -1;
    /** Result of {@link #shouldProcess}: remove the message. */
    public static final int REMOVE = 0;
    /** Result of {@link #shouldProcess}: it is the subject's last message, propose a marker. */
    public static final int MARKER = 1;

    private static final long REPROPOSE_AFTER_NANOS = 2_000_000_000L;

    private record Pending(boolean last, long tsNanos) {
    }

    private final HashMap<String, Long> totals = new HashMap<>();
    private final HashMap<Long, Pending> pending = new HashMap<>();

    /**
     * Decides what to do with expiring message {@code seq} of {@code subject}, which currently has
     * {@code subjectMessages} messages.
     */
    public int shouldProcess(long seq, String subject, long subjectMessages, long nowNanos) {
        Pending p = pending.get(seq);
        if (p != null) {
            if (nowNanos - p.tsNanos < REPROPOSE_AFTER_NANOS) {
                return SKIP;
            }
            boolean last = p.last;
            if (last) {
                long inFlight = totals.getOrDefault(subject, 0L);
                if (subjectMessages - inFlight > 0) {
                    last = false;
                }
            }
            pending.put(seq, new Pending(last, nowNanos));
            return last ? MARKER : REMOVE;
        }
        if (subjectMessages == 0) {
            return REMOVE;
        }
        long remaining = subjectMessages - totals.getOrDefault(subject, 0L);
        boolean last = remaining == 1;
        pending.put(seq, new Pending(last, nowNanos));
        totals.merge(subject, 1L, Long::sum);
        return last ? MARKER : REMOVE;
    }

    /** The message was removed: forget it. */
    public void removed(long seq, String subject) {
        if (pending.isEmpty() || pending.remove(seq) == null) {
            return;
        }
        Long n = totals.get(subject);
        if (n != null) {
            if (n <= 1) {
                totals.remove(subject);
            } else {
                totals.put(subject, n - 1);
            }
        }
    }

    /** Forgets everything (purge). */
    public void clear() {
        totals.clear();
        pending.clear();
    }
}
