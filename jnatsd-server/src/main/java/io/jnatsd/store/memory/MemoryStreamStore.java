package io.jnatsd.store.memory;

import io.jnatsd.store.AbstractStreamStore;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.SimpleState;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreEnvironment;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamStateCodec;
import io.jnatsd.store.SubjectFilter;
import io.jnatsd.store.SubjectIndex;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A stream store in memory: messages in a hash map by sequence, per-subject counts and first/last sequences in a
 * {@link SubjectIndex}. Bytes are counted as {@code len(subject) + len(header) + len(payload) + 16} per message.
 * <p>
 * Threading: see {@link io.jnatsd.store.StreamStore}. Writes hold the write lock. Per-subject first/last sequences
 * are recalculated lazily after removals; a reader holding only the read lock does that under the subject state's
 * own monitor, so {@link SubjectState#first} and {@link SubjectState#last} are the only ways to read them.
 */
// nats-server: server/memstore.go
public final class MemoryStreamStore extends AbstractStreamStore<MemoryStreamStore.SubjectState> {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One stored message; the subject state is shared by every message of its subject. */
    private static final class Msg {
        final SubjectState subject;
        final byte[] data;          // header then payload
        final int headerLength;
        final long seq;
        final long tsNanos;

        Msg(SubjectState subject, byte[] data, int headerLength, long seq, long tsNanos) {
            this.subject = subject;
            this.data = data;
            this.headerLength = headerLength;
            this.seq = seq;
            this.tsNanos = tsNanos;
        }

        long size() {
            return subject.utf8Length + data.length + 16L;
        }
    }

    /** Messages of one subject: count and (lazily corrected) first and last sequence. */
    static final class SubjectState {
        final String subject;
        final int utf8Length;
        long msgs;                  // write lock
        private long first;
        private long last;
        private boolean firstStale;
        private boolean lastStale;

        SubjectState(String subject, long seq) {
            this.subject = subject;
            this.utf8Length = subject.getBytes(StandardCharsets.UTF_8).length;
            this.msgs = 1;
            this.first = seq;
            this.last = seq;
        }

        synchronized long first(MemoryStreamStore store) {
            if (firstStale) {
                store.recalculate(this);
            }
            return first;
        }

        synchronized long last(MemoryStreamStore store) {
            if (lastStale) {
                store.recalculate(this);
            }
            return last;
        }

        synchronized void appended(long seq) {
            msgs++;
            last = seq;
            lastStale = false;
        }

        /** A message of this subject went (msgs > 1 before). Write lock held. */
        // nats-server: memstore.go removeSeqPerSubject
        synchronized void removed(long seq) {
            msgs--;
            if (msgs == 1) {
                if (!lastStale && seq != last) {
                    first = last;
                    firstStale = false;
                    return;
                }
                if (!firstStale && seq != first) {
                    last = first;
                    lastStale = false;
                    return;
                }
            }
            firstStale |= seq == first;
            lastStale |= seq == last;
        }
    }

    private final Long2ObjectHashMap<Msg> bySeq = new Long2ObjectHashMap<>();

    /** A memory store with the system clock and timer. */
    public MemoryStreamStore(StoreConfig config) {
        this(config, StoreEnvironment.system());
    }

    /** A memory store using {@code env}'s clock and timer. */
    public MemoryStreamStore(StoreConfig config, StoreEnvironment env) {
        super(checkConfig(config), env);
        if (config.firstSeq() > 0) {
            firstSeq = config.firstSeq();
            lastSeq = config.firstSeq() - 1;
        }
    }

    private static StoreConfig checkConfig(StoreConfig config) {
        if (config.storage() != StorageType.MEMORY) {
            throw new StoreException(StoreError.BAD_REQUEST, "memStore requires memory storage type in config");
        }
        return config;
    }

    @Override
    protected void validateConfig(StoreConfig cfg) {
        checkConfig(cfg);
    }

    @Override
    public StorageType type() {
        return StorageType.MEMORY;
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    @Override
    protected long messageSize(String subject, int headerLength, int payloadLength) {
        return utf8Length(subject) + (long) headerLength + payloadLength + 16L;
    }

    @Override
    // nats-server: memstore.go storeRawMsg
    protected SubjectState appendLocked(String subject, byte[] header, byte[] payload, long seq, long tsNanos,
                                        long ttlSeconds, long size, SubjectState ss, boolean handedOver) {
        int hl = header == null ? 0 : header.length;
        int pl = payload == null ? 0 : payload.length;
        byte[] data;
        if (handedOver && hl == 0 && payload != null) {
            data = payload;                     // the caller's own array: kept as it is (one copy less per message)
        } else {
            data = new byte[hl + pl];
            if (hl > 0) {
                System.arraycopy(header, 0, data, 0, hl);
            }
            if (pl > 0) {
                System.arraycopy(payload, 0, data, hl, pl);
            }
        }
        if (ss == null) {
            ss = new SubjectState(subject, seq);
            if (!subject.isEmpty()) {
                subjects.put(subject, ss);
            }
        } else {
            ss.appended(seq);
        }
        bySeq.put(seq, new Msg(ss, data, hl, seq, tsNanos));
        return subject.isEmpty() ? null : ss;
    }

    @Override
    // nats-server: memstore.go skipMsg, SkipMsgs
    protected void appendSkipLocked(long seq, long num, long tsNanos) {
        // nothing is stored for skipped sequences: they are gaps in the map
    }

    @Override
    public void flushAllPending() {
        // nothing is pending in memory
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    @Override
    protected StoredMessage loadLocked(long seq, StoredMessage into) {
        Msg m = bySeq.get(seq);
        return m == null ? null : copy(m, into);
    }

    private static StoredMessage copy(Msg m, StoredMessage into) {
        StoredMessage sm = into == null ? new StoredMessage() : into;
        return sm.set(m.subject.subject, m.data, 0, m.headerLength, m.data.length - m.headerLength, m.seq, m.tsNanos);
    }

    @Override
    protected long storedSizeLocked(long seq) {
        Msg m = bySeq.get(seq);
        return m == null ? -1 : m.size();
    }

    @Override
    // nats-server: memstore.go loadNextMsgLocked, LoadNextMsgMulti
    protected StoredMessage findNextLocked(SubjectFilter filter, long start, StoredMessage into) {
        long from = start;
        long to = lastSeq;
        boolean all = filter.isAll();
        SubjectState single = null;
        if (!all) {
            if (filter.isLiteral() && filter.size() == 1) {
                single = subjects.get(filter.filter(0));
                if (single == null || single.last(this) < start) {
                    return null;
                }
                from = Math.max(start, single.first(this));
                to = single.last(this);
            } else if (!(2 * (lastSeq - start) < subjects.size() || subjects.size() > 256)) {
                long[] bounds = {Long.MAX_VALUE, 0};
                for (int i = 0; i < filter.size(); i++) {
                    subjects.match(filter.filter(i), (s, ss) -> {
                        long l = ss.last(this);
                        if (l >= start) {
                            bounds[0] = Math.min(bounds[0], ss.first(this));
                            bounds[1] = Math.max(bounds[1], l);
                        }
                        return true;
                    });
                }
                if (bounds[1] == 0) {
                    return null;
                }
                from = Math.max(start, bounds[0]);
                to = bounds[1];
            }
        }
        for (long seq = from; seq <= to; seq++) {
            Msg m = bySeq.get(seq);
            if (m == null) {
                continue;
            }
            if (all || (single != null ? m.subject == single : filter.matches(m.subject.subject))) {
                return copy(m, into);
            }
        }
        return null;
    }

    @Override
    // nats-server: memstore.go LoadPrevMsg, LoadPrevMsgMulti
    protected StoredMessage findPrevLocked(SubjectFilter filter, long start, StoredMessage into) {
        for (long seq = start; seq >= firstSeq; seq--) {
            Msg m = bySeq.get(seq);
            if (m != null && filter.matches(m.subject.subject)) {
                return copy(m, into);
            }
        }
        return null;
    }

    @Override
    // nats-server: memstore.go loadLastLocked (the message at the last sequence, if it is still there)
    protected long lastMessageSeqLocked() {
        return lastSeq;
    }

    @Override
    public String subjectForSequence(long seq) {
        lock.readLock().lock();
        try {
            Msg m = bySeq.get(seq);
            return m == null ? null : m.subject.subject;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: memstore.go GetSeqFromTime
    protected long sequenceAfterTimeLocked(long epochNanos) {
        Msg lmsg = null;
        for (long s = lastSeq; s >= firstSeq && lmsg == null; s--) {
            lmsg = bySeq.get(s);
        }
        if (lmsg == null || epochNanos > lmsg.tsNanos) {
            return lastSeq + 1;
        }
        if (epochNanos == lmsg.tsNanos) {
            return lmsg.seq;
        }
        // binary search over sequences; a probe that lands in a gap takes the next message
        long lo = firstSeq;
        long hi = lmsg.seq;
        long result = lastSeq + 1;
        while (lo <= hi) {
            long mid = lo + (hi - lo) / 2;
            Msg m = firstMessageIn(mid, hi);
            if (m == null) {
                hi = mid - 1;
            } else if (m.tsNanos < epochNanos) {
                lo = m.seq + 1;
            } else {
                result = m.seq;
                hi = mid - 1;
            }
        }
        return result;
    }

    /** The first message with a sequence in [from, to], or null. */
    private Msg firstMessageIn(long from, long to) {
        for (long s = from; s <= to; s++) {
            Msg m = bySeq.get(s);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    // ---- removing ----------------------------------------------------------------------------------------------

    @Override
    // nats-server: memstore.go removeMsg
    protected long removeLocked(long seq, boolean secure, boolean viaLimits, boolean notify) {
        Msg m = bySeq.remove(seq);
        if (m == null) {
            return -1;
        }
        long size = m.size();
        if (msgs > 0) {
            msgs--;
            bytes -= Math.min(size, bytes);
        }
        if (seq == firstSeq) {
            updateFirstLocked(seq + 1);
        }
        SubjectState ss = m.subject;
        if (ss.msgs <= 1) {
            subjects.remove(ss.subject);
            ss.msgs = 0;
        } else {
            ss.removed(seq);
        }
        if (secure) {
            RANDOM.nextBytes(m.data);
        }
        if (notify) {
            notifyLocked(-1, -size, seq, ss.subject);
        }
        onRemovedLocked(seq, ss.subject);
        return size;
    }

    /** Moves the first sequence to the first message at or after {@code from}. */
    private void updateFirstLocked(long from) {
        Msg first = firstMessageIn(from, lastSeq);
        firstSeq = first != null ? first.seq : lastSeq + 1;
        firstTsNanos = first != null ? first.tsNanos : 0;
    }

    /** Corrects a subject's stale first/last sequence by scanning; called under the state's monitor. */
    // nats-server: memstore.go recalculateForSubj
    void recalculate(SubjectState ss) {
        if (ss.firstStale) {
            for (long t = Math.max(ss.first + 1, firstSeq); t <= ss.last; t++) {
                Msg m = bySeq.get(t);
                if (m != null && m.subject == ss) {
                    ss.first = t;
                    ss.firstStale = false;
                    if (ss.msgs == 1) {
                        ss.last = t;
                        ss.lastStale = false;
                        return;
                    }
                    break;
                }
            }
        }
        if (ss.lastStale) {
            for (long t = Math.min(ss.last - 1, lastSeq); t >= ss.first; t--) {
                Msg m = bySeq.get(t);
                if (m != null && m.subject == ss) {
                    ss.last = t;
                    ss.lastStale = false;
                    if (ss.msgs == 1) {
                        ss.first = t;
                        ss.firstStale = false;
                    }
                    return;
                }
            }
        }
    }

    @Override
    // nats-server: memstore.go purge
    protected void clearLocked() {
        bySeq.clear();
    }

    @Override
    // nats-server: memstore.go compact
    protected Purged compactBelowLocked(long seq) {
        long purged = 0;
        long purgedBytes = 0;
        long oldFirst = firstSeq;
        for (long s = oldFirst; s < seq; s++) {
            long size = removeLocked(s, false, true, false);
            if (size >= 0) {
                purged++;
                purgedBytes += size;
            }
        }
        if (msgs > 0 && firstSeq < seq) {
            // the first message was not among the removed ones: move first to the next message at or after seq
            updateFirstLocked(seq);
        }
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTsNanos = 0;
        }
        return new Purged(purged, purgedBytes);
    }

    @Override
    // nats-server: memstore.go Truncate
    protected Purged truncateAboveLocked(long seq, long lastTsNanos) {
        long purged = 0;
        long purgedBytes = 0;
        for (long s = lastSeq; s > seq; s--) {
            long size = removeLocked(s, false, true, false);
            if (size >= 0) {
                purged++;
                purgedBytes += size;
            }
        }
        return new Purged(purged, purgedBytes);
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Override
    protected void forEachDeletedRunLocked(StreamStateCodec.RunSink sink) {
        long runStart = 0;
        long runLen = 0;
        for (long s = firstSeq; s <= lastSeq; s++) {
            if (!bySeq.containsKey(s)) {
                if (runLen > 0 && runStart + runLen == s) {
                    runLen++;
                } else {
                    if (runLen > 0) {
                        sink.run(runStart, runLen);
                    }
                    runStart = s;
                    runLen = 1;
                }
            }
        }
        if (runLen > 0) {
            sink.run(runStart, runLen);
        }
    }

    @Override
    protected long subjectMessages(SubjectState ss) {
        return ss.msgs;
    }

    @Override
    protected long firstSeqOfSubjectLocked(String subject, SubjectState ss) {
        return ss.first(this);
    }

    @Override
    protected long lastSeqOfSubjectLocked(String subject, SubjectState ss, long max) {
        long l = ss.last(this);
        if (l <= max) {
            return l;
        }
        if (ss.msgs > 1) {
            for (long q = max; q >= Math.max(ss.first(this), firstSeq); q--) {
                Msg m = bySeq.get(q);
                if (m != null && m.subject == ss) {
                    return q;
                }
            }
        }
        return 0;
    }

    @Override
    protected long countPendingLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        return scanFilteredLocked(sseq, filter, lastPerSubject).msgs();
    }

    /**
     * Subjects entirely at or after {@code sseq} count from the subject index; subjects straddling it are counted by
     * scanning the shorter of the two sequence ranges.
     */
    @Override
    // nats-server: memstore.go filteredStateLocked, NumPendingMulti
    protected SimpleState scanFilteredLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        long start = sseq;
        long[] acc = {0, 0, 0, 0, Long.MAX_VALUE, 0}; // msgs, first, last, partialMsgs, partialFirst, partialLast
        Set<SubjectState> partial = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<SubjectState> seen = filter.size() > 1 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
        for (int i = 0; i < filter.size(); i++) {
            subjects.match(filter.filter(i), (s, ss) -> {
                if (seen != null && !seen.add(ss)) {
                    return true;
                }
                long f = ss.first(this);
                long l = ss.last(this);
                if (l < start) {
                    return true;
                }
                if (lastPerSubject) {
                    add(acc, 1, l, l);
                } else if (f >= start) {
                    add(acc, ss.msgs, f, l);
                } else {
                    partial.add(ss);
                    acc[3] += ss.msgs;
                    acc[4] = Math.min(acc[4], f);
                    acc[5] = Math.max(acc[5], l);
                }
                return true;
            });
        }
        if (!partial.isEmpty()) {
            long pFirst = acc[4];
            long pLast = acc[5];
            long found = 0;
            long counted;
            if (pLast - start <= start - pFirst) {
                counted = 0;
                for (long s = start; s <= pLast; s++) {
                    Msg m = bySeq.get(s);
                    if (m != null && partial.contains(m.subject)) {
                        counted++;
                        if (found == 0) {
                            found = s;
                        }
                    }
                }
            } else {
                long excluded = 0;
                for (long s = pFirst; s < start; s++) {
                    Msg m = bySeq.get(s);
                    if (m != null && partial.contains(m.subject)) {
                        excluded++;
                    }
                }
                counted = acc[3] - excluded;
                for (long s = start; s <= pLast; s++) {
                    Msg m = bySeq.get(s);
                    if (m != null && partial.contains(m.subject)) {
                        found = s;
                        break;
                    }
                }
            }
            add(acc, counted, found, pLast);
        }
        return acc[0] == 0 ? SimpleState.EMPTY : new SimpleState(acc[0], acc[1], acc[2]);
    }

    private static void add(long[] acc, long n, long first, long last) {
        if (n <= 0) {
            return;
        }
        acc[0] += n;
        if (acc[1] == 0 || first < acc[1]) {
            acc[1] = first;
        }
        acc[2] = Math.max(acc[2], last);
    }

    @Override
    public long[] utilization() {
        lock.readLock().lock();
        try {
            return new long[] {bytes, bytes};
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- life cycle and consumers ------------------------------------------------------------------------------

    @Override
    public void stop() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            cancelTimersLocked();
            purgeLocked(0);
            closed = true;
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
        for (ConsumerStore c : consumers()) {
            c.stop();
        }
    }

    @Override
    public void delete() {
        stop();
    }

    @Override
    public ConsumerStore consumerStore(String name, long createdNanos, ConsumerStoreConfig config) {
        checkOpen();
        if (config == null || name == null || name.isEmpty()) {
            throw new StoreException(StoreError.BAD_REQUEST, "bad consumer config");
        }
        MemoryConsumerStore c = new MemoryConsumerStore(this, name, config);
        addConsumer(c);
        return c;
    }
}
