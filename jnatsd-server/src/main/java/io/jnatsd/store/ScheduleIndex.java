package io.jnatsd.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * The schedules a stream holds: per subject the sequence of its schedule message and the next fire time, in a heap
 * ordered by fire time. A schedule handed to the stream layer stays "in flight" (not fired again) until the message
 * it produced is stored ({@link #update}).
 * <p>
 * Not thread-safe: guarded by the owning store's lock.
 */
// nats-server: scheduler.go MsgScheduling (add/init, update, remove, removeSubject, markInflight, clearInflight)
public final class ScheduleIndex {

    private static final class Entry {
        long seq;
        long fireTimeNanos;

        Entry(long seq, long fireTimeNanos) {
            this.seq = seq;
            this.fireTimeNanos = fireTimeNanos;
        }
    }

    private final HashMap<String, Entry> bySubject = new HashMap<>();
    private final HashMap<Long, String> subjectBySeq = new HashMap<>();
    private final HashSet<String> inflight = new HashSet<>();
    private final TtlHeap heap = new TtlHeap();

    /** Sets the schedule of {@code subject} to message {@code seq} firing at {@code fireTimeNanos}. */
    public void add(long seq, String subject, long fireTimeNanos) {
        Entry e = bySubject.get(subject);
        if (e != null) {
            subjectBySeq.remove(e.seq);
            e.seq = seq;
            e.fireTimeNanos = fireTimeNanos;
        } else {
            bySubject.put(subject, new Entry(seq, fireTimeNanos));
        }
        subjectBySeq.put(seq, subject);
        heap.add(seq, fireTimeNanos);
        inflight.remove(subject);
    }

    /** A fired schedule's next time arrived with the message it produced: re-arms it and ends its flight. */
    public void update(String subject, long fireTimeNanos) {
        Entry e = bySubject.get(subject);
        if (e != null) {
            e.fireTimeNanos = fireTimeNanos;
            heap.add(e.seq, fireTimeNanos);
            inflight.remove(subject);
        }
    }

    /** The message at {@code seq} was removed: drops its schedule. */
    public void removeSeq(long seq) {
        String subject = subjectBySeq.get(seq);
        if (subject != null) {
            removeSubject(subject);
        }
    }

    /** Drops the schedule of {@code subject}. */
    public void removeSubject(String subject) {
        Entry e = bySubject.remove(subject);
        if (e != null) {
            subjectBySeq.remove(e.seq);
            inflight.remove(subject);
        }
    }

    /** Marks {@code subject}'s schedule as fired and waiting for its message. */
    public void markInflight(String subject) {
        if (bySubject.containsKey(subject)) {
            inflight.add(subject);
        }
    }

    /** Forgets every flight (leader change). */
    public void clearInflight() {
        inflight.clear();
    }

    /** Forgets everything. */
    public void clear() {
        bySubject.clear();
        subjectBySeq.clear();
        inflight.clear();
        heap.clear();
    }

    /** Number of schedules. */
    public int size() {
        return bySubject.size();
    }

    /** The earliest fire time of a schedule not in flight... or in flight (they are retried), MAX_VALUE if none. */
    public long nextFireTime() {
        while (heap.size() > 0 && !valid(heap.peekSeq(), heap.nextExpiry())) {
            heap.pop();
        }
        return heap.nextExpiry();
    }

    /** Sequences of the schedules due at {@code nowNanos} and not in flight, ascending. */
    public long[] due(long nowNanos) {
        List<long[]> kept = new ArrayList<>();
        List<Long> fire = new ArrayList<>();
        while (heap.size() > 0 && heap.nextExpiry() <= nowNanos) {
            long seq = heap.peekSeq();
            long t = heap.nextExpiry();
            heap.pop();
            if (!valid(seq, t)) {
                continue;
            }
            kept.add(new long[] {seq, t});
            if (!inflight.contains(subjectBySeq.get(seq))) {
                fire.add(seq);
            }
        }
        for (long[] k : kept) {
            heap.add(k[0], k[1]);
        }
        return fire.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The subject of the schedule message at {@code seq}, or null. */
    public String subjectOf(long seq) {
        return subjectBySeq.get(seq);
    }

    private boolean valid(long seq, long fireTime) {
        String subject = subjectBySeq.get(seq);
        if (subject == null) {
            return false;
        }
        Entry e = bySubject.get(subject);
        return e != null && e.seq == seq && e.fireTimeNanos == fireTime;
    }

    /**
     * Applies the schedule-related headers of a message stored at {@code seq}: a schedule (per {@code handler}) is
     * added; a plain message (no {@code Nats-Scheduler}) replaces any schedule on its subject; a produced message's
     * {@code Nats-Schedule-Next} re-arms its schedule.
     */
    // nats-server: memstore.go storeRawMsg, "Message scheduling" block
    public void onStored(ScheduleHandler handler, long seq, String subject, byte[] hdr, long tsNanos) {
        int hl = hdr == null ? 0 : hdr.length;
        long next = hl > 0 && handler != null ? handler.nextFireTimeNanos(hdr, 0, hl, tsNanos) : 0;
        String scheduler = hl > 0 ? NatsHeaders.value(hdr, NatsHeaders.SCHEDULER) : null;
        if (next > 0) {
            add(seq, subject, next);
        } else if (scheduler == null || scheduler.isEmpty()) {
            removeSubject(subject);
        }
        if (hl > 0) {
            String scheduleNext = NatsHeaders.value(hdr, NatsHeaders.SCHEDULE_NEXT);
            if (scheduleNext != null && !scheduleNext.isEmpty()
                    && !scheduleNext.equals(NatsHeaders.SCHEDULE_NEXT_PURGE) && scheduler != null
                    && !scheduler.isEmpty()) {
                try {
                    Instant t = Instant.parse(scheduleNext);
                    update(scheduler, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                } catch (DateTimeParseException ignored) {
                    // nats-server ignores an unparsable next time as well
                }
            }
        }
    }
}
