package io.jnatsd.store.memory;

import io.jnatsd.store.AbstractStreamStore;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.NatsHeaders;
import io.jnatsd.store.SimpleState;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreEnvironment;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.StreamStateCodec;
import io.jnatsd.store.SubjectFilter;
import io.jnatsd.store.SubjectIndex;
import io.jnatsd.store.SubjectMatch;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
public final class MemoryStreamStore extends AbstractStreamStore {

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

    private final Long2ObjectHashMap<Msg> msgs = new Long2ObjectHashMap<>();
    private final SubjectIndex<SubjectState> subjects = new SubjectIndex<>();
    private long count;
    private long bytes;
    private long firstSeq;
    private long firstTsNanos;
    private long lastSeq;
    private long lastTsNanos;

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
    public StorageType type() {
        return StorageType.MEMORY;
    }

    // ---- configuration -----------------------------------------------------------------------------------------

    @Override
    // nats-server: memstore.go UpdateConfig
    public void updateConfig(StoreConfig cfg) {
        checkConfig(cfg);
        lock.writeLock().lock();
        try {
            checkOpen();
            StoreConfig old = config;
            config = cfg;
            applyPerMessageConfigLocked(old, cfg);
            enforceMsgLimitLocked();
            enforceBytesLimitLocked();
            long maxp = cfg.maxMsgsPerSubject();
            if (maxp > 0 && (old.maxMsgsPerSubject() <= 0 || maxp < old.maxMsgsPerSubject())) {
                List<SubjectState> over = new ArrayList<>();
                subjects.forEach((s, ss) -> {
                    if (ss.msgs > maxp) {
                        over.add(ss);
                    }
                    return true;
                });
                for (SubjectState ss : over) {
                    enforcePerSubjectLimitLocked(ss);
                }
            }
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
        if (cfg.maxAgeNanos() != 0 || cfg.allowMsgTtl()) {
            expireMessages();
        }
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    @Override
    public long storeMessage(String subject, byte[] header, byte[] payload, long ttlSeconds) {
        long seq;
        long size;
        lock.writeLock().lock();
        try {
            seq = storeLocked(subject, header, payload, 0, env.nowNanos(), ttlSeconds, true);
            size = sizeOf(subject, header, payload);
        } finally {
            lock.writeLock().unlock();
        }
        fireStored(seq, size, subject);
        return seq;
    }

    @Override
    public long storeRawMessage(String subject, byte[] header, byte[] payload, long seq, long timestampNanos,
                                long ttlSeconds, boolean discardNewCheck) {
        long stored;
        long size;
        lock.writeLock().lock();
        try {
            stored = storeLocked(subject, header, payload, seq, timestampNanos, ttlSeconds, discardNewCheck);
            size = sizeOf(subject, header, payload);
        } finally {
            lock.writeLock().unlock();
        }
        fireStored(stored, size, subject);
        return stored;
    }

    private void fireStored(long seq, long size, String subject) {
        deliverNotifications();
        var listener = storageListener();
        if (listener != null) {
            listener.onStorageUpdate(1, size, seq, subject);
        }
    }

    private static long sizeOf(String subject, byte[] header, byte[] payload) {
        return subject.getBytes(StandardCharsets.UTF_8).length + (header == null ? 0 : header.length)
                + (payload == null ? 0 : payload.length) + 16L;
    }

    // nats-server: memstore.go storeRawMsg
    private long storeLocked(String subject, byte[] header, byte[] payload, long seq, long ts, long ttl,
                             boolean discardNewCheck) {
        checkOpen();
        StoreConfig cfg = config;
        int hl = header == null ? 0 : header.length;
        int pl = payload == null ? 0 : payload.length;
        SubjectState ss = subject.isEmpty() ? null : subjects.get(subject);
        boolean atSubjectLimit = ss != null && cfg.maxMsgsPerSubject() > 0 && ss.msgs >= cfg.maxMsgsPerSubject();

        if (discardNewCheck && cfg.discard() == DiscardPolicy.NEW) {
            if (atSubjectLimit && cfg.discardNewPerSubject()
                    && NatsHeaders.valueOffset(header, 0, hl, NatsHeaders.ROLLUP) < 0) {
                throw new StoreException(StoreError.MAX_MSGS_PER_SUBJECT);
            }
            if (cfg.maxMsgs() > 0 && count >= cfg.maxMsgs() && !atSubjectLimit) {
                throw new StoreException(StoreError.MAX_MSGS);
            }
            long size = sizeOf(subject, header, payload);
            if (cfg.maxBytes() > 0 && bytes + size > cfg.maxBytes()) {
                if (!atSubjectLimit) {
                    throw new StoreException(StoreError.MAX_BYTES);
                }
                Msg oldest = msgs.get(ss.first(this));
                if (oldest == null || oldest.size() < size) {
                    throw new StoreException(StoreError.MAX_BYTES);
                }
            }
        }
        if (seq != lastSeq + 1) {
            if (seq > 0) {
                throw new StoreException(StoreError.SEQUENCE_MISMATCH);
            }
            seq = lastSeq + 1;
        }
        if (count == 0) {
            firstSeq = seq;
            firstTsNanos = ts;
        }
        byte[] data = new byte[hl + pl];
        if (hl > 0) {
            System.arraycopy(header, 0, data, 0, hl);
        }
        if (pl > 0) {
            System.arraycopy(payload, 0, data, hl, pl);
        }
        if (ss == null) {
            ss = new SubjectState(subject, seq);
            if (!subject.isEmpty()) {
                subjects.put(subject, ss);
            }
        } else {
            ss.appended(seq);
        }
        Msg m = new Msg(ss, data, hl, seq, ts);
        msgs.put(seq, m);
        count++;
        bytes += m.size();
        lastSeq = seq;
        lastTsNanos = ts;

        if (cfg.maxMsgsPerSubject() > 0 && ss.msgs > cfg.maxMsgsPerSubject()) {
            enforcePerSubjectLimitLocked(ss);
        }
        enforceMsgLimitLocked();
        enforceBytesLimitLocked();
        onStoredLocked(seq, subject, header, ts, ttl);
        return seq;
    }

    private void enforcePerSubjectLimitLocked(SubjectState ss) {
        long maxp = config.maxMsgsPerSubject();
        if (maxp <= 0) {
            return;
        }
        while (ss.msgs > maxp) {
            if (!removeLocked(ss.first(this), false, true)) {
                break;
            }
        }
    }

    private void enforceMsgLimitLocked() {
        StoreConfig cfg = config;
        if (cfg.discard() != DiscardPolicy.OLD || cfg.maxMsgs() <= 0) {
            return;
        }
        while (count > cfg.maxMsgs()) {
            if (!removeLocked(firstSeq, false, true)) {
                throw new IllegalStateException("memory store has inconsistent state, can't find first seq msg");
            }
        }
    }

    private void enforceBytesLimitLocked() {
        StoreConfig cfg = config;
        if (cfg.discard() != DiscardPolicy.OLD || cfg.maxBytes() <= 0) {
            return;
        }
        while (bytes > cfg.maxBytes()) {
            if (!removeLocked(firstSeq, false, true)) {
                throw new IllegalStateException("memory store has inconsistent state, can't find first seq msg");
            }
        }
    }

    @Override
    public long skipMessage(long seq) {
        return skip(seq, false);
    }

    @Override
    public long skipMessageNoInterest(long seq) {
        return skip(seq, true);
    }

    // nats-server: memstore.go skipMsg
    private long skip(long seq, boolean noInterest) {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (seq != lastSeq + 1) {
                if (seq > 0) {
                    throw new StoreException(StoreError.SEQUENCE_MISMATCH);
                }
                seq = lastSeq + 1;
            }
            lastSeq = seq;
            if (noInterest || lastTsNanos == 0) {
                lastTsNanos = env.nowNanos();
            }
            if (count == 0) {
                firstSeq = seq + 1;
                firstTsNanos = 0;
            }
            return seq;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    // nats-server: memstore.go SkipMsgs
    public void skipMessages(long seq, long num) {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (seq != lastSeq + 1) {
                if (seq > 0) {
                    throw new StoreException(StoreError.SEQUENCE_MISMATCH);
                }
                seq = lastSeq + 1;
            }
            long lseq = seq + num - 1;
            lastSeq = lseq;
            if (lastTsNanos == 0) {
                lastTsNanos = env.nowNanos();
            }
            if (count == 0) {
                firstSeq = lseq + 1;
                firstTsNanos = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void flushAllPending() {
        // nothing is pending in memory
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    @Override
    public StoredMessage loadMessage(long seq, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadLocked(seq, into);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected StoredMessage loadLocked(long seq, StoredMessage into) {
        Msg m = msgs.get(seq);
        return m == null ? null : copy(m, into);
    }

    private static StoredMessage copy(Msg m, StoredMessage into) {
        StoredMessage sm = into == null ? new StoredMessage() : into;
        return sm.set(m.subject.subject, m.data, 0, m.headerLength, m.data.length - m.headerLength, m.seq, m.tsNanos);
    }

    @Override
    public StoredMessage loadNextMessage(SubjectFilter filter, long start, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadNextLocked(filter, start, into);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: memstore.go loadNextMsgLocked, LoadNextMsgMulti
    protected StoredMessage loadNextLocked(SubjectFilter filter, long start, StoredMessage into) {
        if (start < firstSeq) {
            start = firstSeq;
        }
        if (start > lastSeq || count == 0) {
            return null;
        }
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
                boolean found = false;
                for (int i = 0; i < filter.size(); i++) {
                    long s0 = start;
                    subjects.match(filter.filter(i), (s, ss) -> {
                        long l = ss.last(this);
                        if (l >= s0) {
                            bounds[0] = Math.min(bounds[0], ss.first(this));
                            bounds[1] = Math.max(bounds[1], l);
                        }
                        return true;
                    });
                }
                found = bounds[1] != 0;
                if (!found) {
                    return null;
                }
                from = Math.max(start, bounds[0]);
                to = bounds[1];
            }
        }
        for (long seq = from; seq <= to; seq++) {
            Msg m = msgs.get(seq);
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
    public StoredMessage loadPrevMessage(SubjectFilter filter, long start, StoredMessage into) {
        lock.readLock().lock();
        try {
            if (count == 0 || start < firstSeq) {
                return null;
            }
            if (start > lastSeq) {
                start = lastSeq;
            }
            for (long seq = start; seq >= firstSeq; seq--) {
                Msg m = msgs.get(seq);
                if (m != null && filter.matches(m.subject.subject)) {
                    return copy(m, into);
                }
            }
            return null;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: memstore.go loadLastLocked
    public StoredMessage loadLastMessage(String subject, StoredMessage into) {
        lock.readLock().lock();
        try {
            Msg m = null;
            if (SubjectMatch.isAll(subject)) {
                m = msgs.get(lastSeq);
            } else if (SubjectMatch.isLiteral(subject)) {
                SubjectState ss = subjects.get(subject);
                if (ss != null) {
                    m = msgs.get(ss.last(this));
                }
            } else {
                long[] best = {0};
                subjects.match(subject, (s, ss) -> {
                    best[0] = Math.max(best[0], ss.last(this));
                    return true;
                });
                if (best[0] > 0) {
                    m = msgs.get(best[0]);
                }
            }
            return m == null ? null : copy(m, into);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String subjectForSequence(long seq) {
        lock.readLock().lock();
        try {
            Msg m = msgs.get(seq);
            return m == null ? null : m.subject.subject;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: memstore.go GetSeqFromTime
    public long sequenceFromTime(long epochNanos) {
        lock.readLock().lock();
        try {
            if (count == 0) {
                return lastSeq + 1;
            }
            Msg first = msgs.get(firstSeq);
            if (epochNanos <= first.tsNanos) {
                return firstSeq;
            }
            Msg lmsg = null;
            for (long s = lastSeq; s >= firstSeq; s--) {
                if ((lmsg = msgs.get(s)) != null) {
                    break;
                }
            }
            if (lmsg == null || epochNanos > lmsg.tsNanos) {
                return lastSeq + 1;
            }
            if (epochNanos == lmsg.tsNanos) {
                return lmsg.seq;
            }
            long lo = firstSeq;
            long hi = lmsg.seq;
            long result = lastSeq + 1;
            while (lo <= hi) {
                long mid = lo + (hi - lo) / 2;
                long s = mid;
                Msg m = null;
                while (s <= hi && (m = msgs.get(s)) == null) {
                    s++;
                }
                if (m == null) {
                    hi = mid - 1;
                    continue;
                }
                if (m.tsNanos >= epochNanos) {
                    result = s;
                    hi = mid - 1;
                } else {
                    lo = s + 1;
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- removing ----------------------------------------------------------------------------------------------

    @Override
    public boolean removeMessage(long seq) {
        return remove(seq, false);
    }

    @Override
    public boolean eraseMessage(long seq) {
        return remove(seq, true);
    }

    private boolean remove(long seq, boolean secure) {
        lock.writeLock().lock();
        try {
            checkOpen();
            return removeLocked(seq, secure, false);
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    @Override
    protected boolean removeLocked(long seq, boolean secure, boolean viaLimits) {
        Msg m = removeNoNotifyLocked(seq, secure);
        if (m == null) {
            return false;
        }
        notifyLocked(-1, -m.size(), seq, m.subject.subject);
        return true;
    }

    // nats-server: memstore.go removeMsgNoCB
    private Msg removeNoNotifyLocked(long seq, boolean secure) {
        Msg m = msgs.get(seq);
        if (m == null) {
            return null;
        }
        long size = m.size();
        if (count > 0) {
            count--;
            bytes -= Math.min(size, bytes);
        }
        msgs.remove(seq);
        if (seq == firstSeq) {
            updateFirstLocked();
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
        onRemovedLocked(seq, ss.subject);
        return m;
    }

    private void updateFirstLocked() {
        for (long s = firstSeq + 1; s <= lastSeq; s++) {
            Msg n = msgs.get(s);
            if (n != null) {
                firstSeq = s;
                firstTsNanos = n.tsNanos;
                return;
            }
        }
        firstSeq = lastSeq + 1;
        firstTsNanos = 0;
    }

    /** Corrects a subject's stale first/last sequence by scanning; called under the state's monitor. */
    // nats-server: memstore.go recalculateForSubj
    void recalculate(SubjectState ss) {
        if (ss.firstStale) {
            for (long t = Math.max(ss.first + 1, firstSeq); t <= ss.last; t++) {
                Msg m = msgs.get(t);
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
                Msg m = msgs.get(t);
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
    public long purge() {
        lock.writeLock().lock();
        try {
            checkOpen();
            return purgeLocked(0);
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    // nats-server: memstore.go purge
    private long purgeLocked(long fseq) {
        long purged = msgs.size();
        long purgedBytes = bytes;
        if (fseq == 0) {
            fseq = lastSeq + 1;
        } else if (fseq < lastSeq) {
            throw new StoreException(StoreError.BAD_REQUEST, "partial purges not supported on memory store");
        }
        firstSeq = fseq;
        lastSeq = fseq - 1;
        firstTsNanos = 0;
        bytes = 0;
        count = 0;
        msgs.clear();
        subjects.clear();
        onClearedLocked();
        notifyLocked(-purged, -purgedBytes, 0, null);
        return purged;
    }

    @Override
    // nats-server: memstore.go PurgeEx
    public long purge(String subject, long seq, long keep) {
        if (seq == 1) {
            return 0;
        }
        if (SubjectMatch.isAll(subject)) {
            if (keep == 0 && seq == 0) {
                return purge();
            }
            if (seq > 1) {
                return compact(seq);
            }
            subject = ">";
        }
        SimpleState ss = filteredState(1, subject);
        if (ss.msgs() == 0) {
            return 0;
        }
        long maxp = 0;
        if (keep > 0) {
            if (keep >= ss.msgs()) {
                return 0;
            }
            maxp = ss.msgs() - keep;
        }
        long last = seq >= 1 ? seq - 1 : ss.last();
        long purged = 0;
        long purgedBytes = 0;
        long lowSeq = 0;
        String lowSubject = null;
        lock.writeLock().lock();
        try {
            checkOpen();
            for (long s = ss.first(); s <= last; s++) {
                Msg m = msgs.get(s);
                if (m != null && SubjectMatch.matches(m.subject.subject, subject)) {
                    removeNoNotifyLocked(s, false);
                    purged++;
                    purgedBytes += m.size();
                    if (lowSeq == 0) {
                        lowSeq = s;
                        lowSubject = m.subject.subject;
                    }
                    if (maxp > 0 && purged >= maxp) {
                        break;
                    }
                }
            }
            if (purged == 1) {
                notifyLocked(-1, -purgedBytes, lowSeq, lowSubject);
            } else if (purged > 1) {
                notifyLocked(-purged, -purgedBytes, 0, null);
            }
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
        return purged;
    }

    @Override
    public long compact(long seq) {
        if (seq == 0) {
            return purge();
        }
        lock.writeLock().lock();
        try {
            checkOpen();
            return compactLocked(seq);
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    // nats-server: memstore.go compact
    private long compactLocked(long seq) {
        if (firstSeq > seq) {
            return 0;
        }
        long purged = 0;
        long purgedBytes = 0;
        if (seq <= lastSeq) {
            long oldFirst = firstSeq;
            for (long s = oldFirst; s < seq; s++) {
                Msg m = msgs.get(s);
                if (m != null) {
                    purgedBytes += m.size();
                    purged++;
                    removeNoNotifyLocked(s, false);
                }
            }
            if (count > 0 && firstSeq < seq) {
                // the first message was not among the removed ones: move first to the next message at or after seq
                for (long s = seq; s <= lastSeq; s++) {
                    Msg m = msgs.get(s);
                    if (m != null) {
                        firstSeq = s;
                        firstTsNanos = m.tsNanos;
                        break;
                    }
                }
            }
            if (count == 0) {
                firstSeq = lastSeq + 1;
                firstTsNanos = 0;
            }
        } else {
            purged = msgs.size();
            purgedBytes = bytes;
            bytes = 0;
            count = 0;
            firstSeq = seq;
            firstTsNanos = 0;
            lastSeq = seq - 1;
            msgs.clear();
            subjects.clear();
            onClearedLocked();
        }
        notifyLocked(-purged, -purgedBytes, 0, null);
        return purged;
    }

    @Override
    // nats-server: memstore.go Truncate, reset
    public void truncate(long seq) {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (seq == 0) {
                long purged = msgs.size();
                long purgedBytes = bytes;
                firstSeq = 0;
                firstTsNanos = 0;
                lastSeq = 0;
                lastTsNanos = env.nowNanos();
                count = 0;
                bytes = 0;
                msgs.clear();
                subjects.clear();
                onClearedLocked();
                notifyLocked(-purged, -purgedBytes, 0, null);
                return;
            }
            Msg lsm = msgs.get(seq);
            long lastTime = lsm != null ? lsm.tsNanos : lastTsNanos;
            long purged = 0;
            long purgedBytes = 0;
            for (long s = lastSeq; s > seq; s--) {
                Msg m = msgs.get(s);
                if (m != null) {
                    purged++;
                    purgedBytes += m.size();
                    removeNoNotifyLocked(s, false);
                }
            }
            lastSeq = seq;
            lastTsNanos = lastTime;
            if (count == 0) {
                firstSeq = lastSeq + 1;
                firstTsNanos = 0;
            }
            notifyLocked(-purged, -purgedBytes, 0, null);
        } finally {
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Override
    public StreamState state() {
        lock.readLock().lock();
        try {
            long numDeleted = numDeletedLocked();
            long[] deleted = null;
            if (numDeleted > 0) {
                deleted = new long[(int) Math.min(numDeleted, Integer.MAX_VALUE - 8)];
                int n = 0;
                for (long s = firstSeq; s <= lastSeq && n < deleted.length; s++) {
                    if (!msgs.containsKey(s)) {
                        deleted[n++] = s;
                    }
                }
            }
            return new StreamState(count, bytes, firstSeq, firstTsNanos, lastSeq, lastTsNanos, subjects.size(),
                    numDeleted, deleted, null, consumerCount());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StreamState fastState() {
        lock.readLock().lock();
        try {
            return new StreamState(count, bytes, firstSeq, firstTsNanos, lastSeq, lastTsNanos, subjects.size(),
                    numDeletedLocked(), null, null, consumerCount());
        } finally {
            lock.readLock().unlock();
        }
    }

    private long numDeletedLocked() {
        if (lastSeq < firstSeq || firstSeq == 0) {
            return 0;
        }
        return Math.max(0, lastSeq - firstSeq + 1 - count);
    }

    @Override
    public long lastSequence() {
        lock.readLock().lock();
        try {
            return lastSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected long firstSeqLocked() {
        return firstSeq;
    }

    @Override
    protected long msgsLocked() {
        return count;
    }

    @Override
    protected long subjectMessagesLocked(String subject) {
        SubjectState ss = subjects.get(subject);
        return ss == null ? 0 : ss.msgs;
    }

    @Override
    public SimpleState filteredState(long seq, String subject) {
        lock.readLock().lock();
        try {
            return filteredLocked(seq, SubjectFilter.of(subject), false);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected long numPendingLocked(long seq, SubjectFilter filter, boolean lastPerSubject) {
        return filteredLocked(seq, filter, lastPerSubject).msgs();
    }

    /**
     * Count, first and last of the messages at or after {@code sseq} matching {@code filter}. Subjects entirely at or
     * after {@code sseq} count from the subject index; subjects straddling it are counted by scanning the shorter of
     * the two sequence ranges.
     */
    // nats-server: memstore.go filteredStateLocked, NumPendingMulti
    private SimpleState filteredLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        if (sseq < firstSeq) {
            sseq = firstSeq;
        }
        if (sseq > lastSeq || count == 0) {
            return SimpleState.EMPTY;
        }
        if (filter.isAll() && sseq <= firstSeq) {
            return new SimpleState(lastPerSubject ? subjects.size() : count, firstSeq, lastSeq);
        }
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
                    Msg m = msgs.get(s);
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
                    Msg m = msgs.get(s);
                    if (m != null && partial.contains(m.subject)) {
                        excluded++;
                    }
                }
                counted = acc[3] - excluded;
                for (long s = start; s <= pLast; s++) {
                    Msg m = msgs.get(s);
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
    public Map<String, SimpleState> subjectsState(String filter) {
        lock.readLock().lock();
        try {
            Map<String, SimpleState> out = new HashMap<>();
            subjects.match(filter, (s, ss) -> {
                out.put(s, new SimpleState(ss.msgs, ss.first(this), ss.last(this)));
                return true;
            });
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, Long> subjectsTotals(String filter) {
        lock.readLock().lock();
        try {
            Map<String, Long> out = new HashMap<>();
            subjects.match(filter, (s, ss) -> {
                out.put(s, ss.msgs);
                return true;
            });
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long[] allLastSequences() {
        lock.readLock().lock();
        try {
            return allLastLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    private long[] allLastLocked() {
        long[] out = new long[subjects.size()];
        int[] n = {0};
        subjects.forEach((s, ss) -> {
            out[n[0]++] = ss.last(this);
            return true;
        });
        Arrays.sort(out, 0, n[0]);
        return n[0] == out.length ? out : Arrays.copyOf(out, n[0]);
    }

    @Override
    // nats-server: memstore.go multiLastSeqsLocked
    public long[] multiLastSequences(List<String> filters, long maxSeq, int maxAllowed) {
        lock.readLock().lock();
        try {
            if (count == 0) {
                return new long[0];
            }
            if (maxSeq == 0 && maxAllowed <= 0 && filterIsAll(filters)) {
                return allLastLocked();
            }
            long max = maxSeq == 0 ? lastSeq : maxSeq;
            Set<Long> seen = new HashSet<>();
            List<Long> seqs = new ArrayList<>();
            for (String filter : filters) {
                subjects.match(filter, (s, ss) -> {
                    long l = ss.last(this);
                    if (l <= max) {
                        if (seen.add(l)) {
                            seqs.add(l);
                        }
                    } else if (ss.msgs > 1) {
                        for (long q = max; q >= Math.max(ss.first(this), firstSeq); q--) {
                            Msg m = msgs.get(q);
                            if (m != null && m.subject == ss) {
                                if (seen.add(q)) {
                                    seqs.add(q);
                                }
                                break;
                            }
                        }
                    }
                    return true;
                });
                if (maxAllowed > 0 && seqs.size() > maxAllowed) {
                    throw new StoreException(StoreError.TOO_MANY_RESULTS);
                }
            }
            return seqs.stream().mapToLong(Long::longValue).sorted().toArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    // nats-server: memstore.go filterIsAll
    private boolean filterIsAll(List<String> filters) {
        if (filters.size() == 1 && SubjectMatch.isAll(filters.get(0))) {
            return true;
        }
        List<String> cfgSubjects = config.subjects();
        if (filters.size() != cfgSubjects.size()) {
            return false;
        }
        List<String> f = new ArrayList<>(filters);
        List<String> c = new ArrayList<>(cfgSubjects);
        Collections.sort(f);
        Collections.sort(c);
        for (int i = 0; i < f.size(); i++) {
            if (!io.jnatsd.subject.Subjects.subjectMatchesFilter(c.get(i), f.get(i))) {
                return false;
            }
        }
        return true;
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

    @Override
    // nats-server: memstore.go EncodedStreamState
    public byte[] encodedStreamState(long failed) {
        lock.readLock().lock();
        try {
            return StreamStateCodec.encode(count, bytes, firstSeq, lastSeq, failed, numDeletedLocked(), sink -> {
                long runStart = 0;
                long runLen = 0;
                for (long s = firstSeq; s <= lastSeq; s++) {
                    if (!msgs.containsKey(s)) {
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
            });
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
