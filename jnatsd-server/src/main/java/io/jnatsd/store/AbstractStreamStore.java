package io.jnatsd.store;

import io.jnatsd.subject.Subjects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What the memory and file stores share: the stream state (counts, first and last sequence and time), the subject
 * index, the lock, the callbacks and their delivery outside the lock, the store, skip, removal, purge, compact and
 * truncate sequences with their limit checks (discard-new refusals, sequence checks, per-subject, message and byte
 * limits), the subject queries, per-message TTLs, max_age expiry with subject delete markers, message schedules and
 * their timers, and the consumer registry. Implementations hold the messages (a hash map, block files) and provide
 * the steps that touch them under the lock. This is the stores' internal base, not an API.
 * <p>
 * Locking: one {@link ReentrantReadWriteLock} per store. Writes (store, remove, purge, expiry) hold the write lock;
 * loads and state queries hold the read lock. Methods named {@code *Locked} expect the caller to hold the lock (the
 * write lock when they change anything). Callbacks run after the lock is released. Every release goes through
 * {@link #unlockRead()} or {@link #unlockWrite()}, which first run the work queued by {@link #beforeUnlock} (an
 * implementation's clean-up that may not run where it was found, e.g. under another monitor).
 *
 * @param <S> an implementation's per-subject state, kept in {@link #subjects}
 */
// nats-server: memstore.go and filestore.go (the parts they repeat: storeRawMsg limits, skipMsg, PurgeEx, Compact,
// Truncate, SubjectsState, MultiLastSeqs, State)
public abstract class AbstractStreamStore<S> implements StreamStore {

    /** Expiry and schedule timers never fire more often than this (nats-server's floor). */
    protected static final long MIN_TIMER_NANOS = 250_000_000L;
    private static final long SDM_RETRY_NANOS = 2_000_000_000L;

    protected final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    protected final StoreEnvironment env;
    protected final NotificationQueue notifications = new NotificationQueue();
    /** Per-subject state by subject (empty subjects are not indexed). Guarded by the lock. */
    protected final SubjectIndex<S> subjects = new SubjectIndex<>();
    private final List<ConsumerStore> consumers = new CopyOnWriteArrayList<>();
    private final SdmTracker sdm = new SdmTracker();
    private final StoredMessage expiryScratch = new StoredMessage();
    private final StoreTimer expiryTimer = new StoreTimer(this::expireMessages);
    private final StoreTimer scheduleTimer = new StoreTimer(this::runSchedules);
    private final ConcurrentLinkedQueue<Runnable> beforeUnlock = new ConcurrentLinkedQueue<>();

    protected volatile StoreConfig config;
    protected volatile boolean closed;
    private volatile StorageUpdateListener storageListener;
    private volatile MessageRemover remover;
    private volatile MessageProposer proposer;
    private volatile ScheduleHandler scheduleHandler;

    // ---- the stream state: guarded by the lock ----
    /** Messages stored. */
    protected long msgs;
    /** Bytes stored, as the implementation counts them ({@link #messageSize}). */
    protected long bytes;
    /** First sequence ({@code lastSeq + 1} when empty). */
    protected long firstSeq;
    /** Timestamp of the first message, 0 when empty. */
    protected long firstTsNanos;
    /** Last sequence stored or skipped. */
    protected long lastSeq;
    /** Timestamp of the last message (or skip). */
    protected long lastTsNanos;

    /** Per-message TTL expiries; null unless allow_msg_ttl. Guarded by the lock. */
    protected TtlHeap ttls;
    /** Schedules; null unless allow_msg_schedules. Guarded by the lock. */
    protected ScheduleIndex schedules;

    private boolean schedulesRunning;

    /** What a purge, compact or truncate removed: for the storage notification and the return value. */
    protected record Purged(long msgs, long bytes) {
        public Purged {                           // public: implementations in other packages create it
        }
    }

    protected AbstractStreamStore(StoreConfig config, StoreEnvironment env) {
        this.config = config;
        this.env = env == null ? StoreEnvironment.system() : env;
        if (config.allowMsgTtl()) {
            ttls = new TtlHeap();
        }
        if (config.allowMsgSchedules()) {
            schedules = new ScheduleIndex();
        }
    }

    // ---- what implementations provide (lock held) --------------------------------------------------------------

    /** Throws {@link StoreError#BAD_REQUEST} unless the implementation can serve {@code cfg}. */
    protected abstract void validateConfig(StoreConfig cfg);

    /**
     * The bytes a message accounts for in {@link #bytes}; throws {@link StoreError#MSG_TOO_LARGE} when the
     * implementation cannot hold it.
     */
    protected abstract long messageSize(String subject, int headerLength, int payloadLength);

    /**
     * Appends a message that passed the limit and sequence checks, and counts it in {@link #subjects}; the caller
     * then updates the stream state and enforces the limits. Write lock. An I/O failure must leave nothing changed.
     *
     * @param entry     the subject's state before the append, or null
     * @param size      {@link #messageSize} of the message
     * @param handedOver the caller gave up {@code header} and {@code payload}: they may be kept without a copy
     * @return the subject's state after the append, or null for an empty subject
     */
    protected abstract S appendLocked(String subject, byte[] header, byte[] payload, long seq, long tsNanos,
                                      long ttlSeconds, long size, S entry, boolean handedOver);

    /** Consumes {@code num} sequences from {@code seq} without messages (skip records). Write lock. */
    protected abstract void appendSkipLocked(long seq, long num, long tsNanos);

    /** The message at {@code seq} or null. Read lock at least. */
    protected abstract StoredMessage loadLocked(long seq, StoredMessage into);

    /**
     * The first message at or after {@code start} matching {@code filter}, or null; {@code start} is within
     * [{@link #firstSeq}, {@link #lastSeq}] and the store holds messages. Read lock at least.
     */
    protected abstract StoredMessage findNextLocked(SubjectFilter filter, long start, StoredMessage into);

    /**
     * The last message at or before {@code start} matching {@code filter}, or null; {@code start} is within
     * [{@link #firstSeq}, {@link #lastSeq}] and the store holds messages. Read lock at least.
     */
    protected abstract StoredMessage findPrevLocked(SubjectFilter filter, long start, StoredMessage into);

    /** The size ({@link #messageSize}) of the message at {@code seq}, or -1. Read lock at least. */
    protected abstract long storedSizeLocked(long seq);

    /**
     * The first message stored at or after {@code epochNanos}, or {@code lastSeq + 1}; the store holds messages and
     * the first one is older. Read lock at least.
     */
    protected abstract long sequenceAfterTimeLocked(long epochNanos);

    /** The sequence {@code loadLastMessage(">")} loads, or 0. Read lock at least. */
    protected abstract long lastMessageSeqLocked();

    /**
     * Removes the message at {@code seq}, updates the stream state, calls {@link #onRemovedLocked(long, String)} and
     * (with {@code notify}) queues its storage notification. Write lock.
     *
     * @param viaLimits the removal is the store's own (limits, expiry): no tombstone is needed in a file store
     * @return the removed message's size ({@link #messageSize}), or -1 when there was none
     */
    protected abstract long removeLocked(long seq, boolean secure, boolean viaLimits, boolean notify);

    /**
     * Drops every message; the stream state is already reset (first {@code lastSeq + 1}, no messages), the callbacks
     * and notifications are the caller's. Write lock.
     */
    protected abstract void clearLocked();

    /**
     * Removes the messages below {@code seq} (within [{@link #firstSeq}, {@link #lastSeq}]) without notifications and
     * moves {@link #firstSeq} to the first message left. Write lock.
     */
    protected abstract Purged compactBelowLocked(long seq);

    /**
     * Removes the messages above {@code seq} without notifications, the caller then makes {@code seq} the last
     * sequence with time {@code lastTsNanos}. Write lock.
     */
    protected abstract Purged truncateAboveLocked(long seq, long lastTsNanos);

    /** Calls {@code sink} with each run of deleted sequences in [firstSeq, lastSeq], ascending. Read lock at least. */
    protected abstract void forEachDeletedRunLocked(StreamStateCodec.RunSink sink);

    /** Messages of a subject's state. */
    protected abstract long subjectMessages(S entry);

    /** First sequence of {@code subject}, or 0. Read lock at least. */
    protected abstract long firstSeqOfSubjectLocked(String subject, S entry);

    /** Last sequence of {@code subject} at or below {@code max}, or 0. Read lock at least. */
    protected abstract long lastSeqOfSubjectLocked(String subject, S entry, long max);

    /**
     * Count, first and last of the messages at or after {@code sseq} matching {@code filter}; {@code sseq} is within
     * [{@link #firstSeq}, {@link #lastSeq}], the store holds messages and the filter does not take everything from
     * the first sequence. Read lock at least.
     */
    protected abstract SimpleState scanFilteredLocked(long sseq, SubjectFilter filter, boolean lastPerSubject);

    /** {@link #numPending} under the same conditions as {@link #scanFilteredLocked}. Read lock at least. */
    protected abstract long countPendingLocked(long sseq, SubjectFilter filter, boolean lastPerSubject);

    /** Data lost at recovery, or null. Read lock at least. */
    protected LostStreamData lostLocked() {
        return null;
    }

    // ---- hooks for implementations -----------------------------------------------------------------------------

    /** Implementations call this after storing a message, with the write lock held. */
    protected final void onStoredLocked(long seq, String subject, byte[] header, long tsNanos, long ttlSeconds) {
        StoreConfig cfg = config;
        if (ttls != null && ttlSeconds > 0) {
            long expires = tsNanos + ttlSeconds * 1_000_000_000L;
            ttls.add(seq, expires);
            armExpiryLocked(expires);
        }
        if (cfg.maxAgeNanos() > 0) {
            armExpiryLocked(tsNanos + cfg.maxAgeNanos());
        }
        if (schedules != null) {
            schedules.onStored(scheduleHandler, seq, subject, header, tsNanos);
            armSchedulesLocked();
        }
    }

    /** Implementations call this for every removed message, with the write lock held. */
    protected final void onRemovedLocked(long seq, String subject) {
        sdm.removed(seq, subject);
        if (schedules != null) {
            schedules.removeSeq(seq);
        }
    }

    /** Implementations call this when every message went (purge, reset), with the write lock held. */
    protected final void onClearedLocked() {
        sdm.clear();
        if (ttls != null) {
            ttls.clear();
        }
        if (schedules != null) {
            schedules.clear();
        }
    }

    /** Queues a storage notification (write lock held). Dropped when nobody listens. */
    protected final void notifyLocked(long msgsDelta, long bytesDelta, long seq, String subject) {
        if (storageListener != null) {
            notifications.add(msgsDelta, bytesDelta, seq, subject);
        }
    }

    /** Delivers queued notifications; call after releasing the lock. */
    protected final void deliverNotifications() {
        notifications.drain(storageListener);
    }

    /** The storage listener, for a direct call after the lock is released. */
    protected final StorageUpdateListener storageListener() {
        return storageListener;
    }

    /** Throws {@link StoreError#CLOSED} when the store is closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new StoreException(StoreError.CLOSED);
        }
    }

    /**
     * Starts or stops TTL and schedule tracking after a configuration change, rebuilding them from the stored
     * messages when they start. Write lock held.
     */
    protected final void applyPerMessageConfigLocked(StoreConfig old, StoreConfig cfg) {
        if (cfg.allowMsgTtl() && ttls == null) {
            ttls = new TtlHeap();
            rebuildPerMessageStateLocked(true, false);
        } else if (!cfg.allowMsgTtl()) {
            ttls = null;
        }
        if (cfg.allowMsgSchedules() && schedules == null) {
            schedules = new ScheduleIndex();
            rebuildPerMessageStateLocked(false, true);
        } else if (!cfg.allowMsgSchedules()) {
            schedules = null;
        }
        if (cfg.maxAgeNanos() == 0 && ttls == null) {
            cancelExpiryLocked();
        } else if (msgs > 0) {
            armExpiryLocked(env.nowNanos());
        }
    }

    /**
     * Scans every message for TTLs and schedules (after recovery, or when the features are switched on). Write lock
     * held. Implementations with cheaper knowledge (block counters) may override.
     */
    protected void rebuildPerMessageStateLocked(boolean ttl, boolean sched) {
        StoredMessage sm = new StoredMessage();
        long seq = firstSeq;
        while ((sm = loadNextLocked(SubjectFilter.ALL, seq, sm)) != null) {
            seq = sm.sequence() + 1;
            if (sm.headerLength() == 0) {
                continue;
            }
            if (ttl && ttls != null) {
                long t = NatsHeaders.ttlSeconds(sm.buffer(), 0, sm.headerLength());
                if (t > 0) {
                    ttls.add(sm.sequence(), sm.timestampNanos() + t * 1_000_000_000L);
                }
            }
            if (sched && schedules != null && scheduleHandler != null) {
                long next = scheduleHandler.nextFireTimeNanos(sm.buffer(), 0, sm.headerLength(),
                        sm.timestampNanos());
                if (next > 0) {
                    schedules.add(sm.sequence(), sm.subject(), next);
                }
            }
        }
        if (ttl && ttls != null && ttls.size() > 0) {
            armExpiryLocked(ttls.nextExpiry());
        }
        if (sched) {
            armSchedulesLocked();
        }
    }

    // ---- expiry ------------------------------------------------------------------------------------------------

    /** Arms the expiry timer for {@code deadlineNanos} unless it already fires earlier. Write lock held. */
    protected final void armExpiryLocked(long deadlineNanos) {
        if (closed) {
            return;
        }
        expiryTimer.armFor(deadlineNanos);
    }

    /** Cancels the expiry timer. Write lock held. */
    protected final void cancelExpiryLocked() {
        expiryTimer.cancel();
    }

    /**
     * A one-shot timer on the store's timer thread that hands its task to a worker; arming it for a later deadline
     * than the pending one changes nothing. Guarded by the store lock.
     */
    private final class StoreTimer {
        private final Runnable task;
        private ScheduledFuture<?> future;
        private long deadlineNanos;

        StoreTimer(Runnable task) {
            this.task = task;
        }

        /** Fires at {@code deadline} (not sooner than {@link #MIN_TIMER_NANOS} from now) unless it fires earlier. */
        void armFor(long deadline) {
            if (future != null && deadlineNanos <= deadline) {
                return;
            }
            if (future != null) {
                future.cancel(false);
            }
            long delay = Math.max(deadline - env.nowNanos(), MIN_TIMER_NANOS);
            deadlineNanos = deadline;
            future = env.timer().schedule(() -> env.worker().execute(task), delay, TimeUnit.NANOSECONDS);
        }

        void cancel() {
            if (future != null) {
                future.cancel(false);
            }
            fired();
        }

        /** Forgets the pending run (it is running now). */
        void fired() {
            future = null;
            deadlineNanos = 0;
        }
    }

    private record ExpiryAction(long seq, String subject, boolean marker) {
    }

    /**
     * Removes messages past max_age and messages whose TTL ran out (or, with subject delete markers, hands them to
     * the stream layer), then re-arms the timer. Runs on the store's timer; tests call it with a controlled clock.
     */
    // nats-server: memstore.go / filestore.go expireMsgs
    public void expireMessages() {
        List<ExpiryAction> actions = null;
        long markerTtlSeconds = 0;
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            expiryTimer.fired();
            StoreConfig cfg = config;
            long now = env.nowNanos();
            boolean sdmOn = cfg.subjectDeleteMarkers();
            markerTtlSeconds = cfg.subjectDeleteMarkerTtlNanos() / 1_000_000_000L;
            if (sdmOn && (remover == null || proposer == null)) {
                if (msgs > 0) {
                    armExpiryLocked(now + SDM_RETRY_NANOS);
                }
                return;
            }
            long next = Long.MAX_VALUE;
            StoredMessage sm = expiryScratch;
            long maxAge = cfg.maxAgeNanos();
            if (maxAge > 0) {
                long minAge = now - maxAge;
                long seq = firstSeq;
                while (loadNextLocked(SubjectFilter.ALL, seq, sm) != null) {
                    if (sm.timestampNanos() > minAge) {
                        next = sm.timestampNanos() + maxAge;
                        break;
                    }
                    seq = sm.sequence() + 1;
                    if (sm.headerLength() > 0 && NatsHeaders.ttlSeconds(sm.buffer(), 0, sm.headerLength()) < 0) {
                        continue;                   // Nats-TTL: never is exempt from max_age
                    }
                    if (sdmOn) {
                        actions = decideLocked(actions, sm, now);
                    } else {
                        removeLocked(sm.sequence(), false, true);
                    }
                }
            }
            if (ttls != null) {
                List<long[]> retry = null;
                while (ttls.size() > 0 && ttls.nextExpiry() <= now) {
                    long seq = ttls.peekSeq();
                    long expires = ttls.nextExpiry();
                    ttls.pop();
                    if (sdmOn) {
                        if (loadLocked(seq, sm) == null) {
                            continue;
                        }
                        actions = decideLocked(actions, sm, now);
                        if (retry == null) {
                            retry = new ArrayList<>();
                        }
                        retry.add(new long[] {seq, expires});   // kept until the removal really happens
                    } else {
                        removeLocked(seq, false, true);
                    }
                }
                if (retry != null) {
                    for (long[] r : retry) {
                        ttls.add(r[0], r[1]);
                    }
                }
                if (ttls.size() > 2 * msgs + 1024) {
                    StoredMessage probe = new StoredMessage();
                    ttls.compact(s -> loadLocked(s, probe) != null);
                }
                next = Math.min(next, ttls.nextExpiry());
            }
            if (actions != null) {
                next = Math.min(next, now + SDM_RETRY_NANOS);
            }
            if (next != Long.MAX_VALUE) {
                armExpiryLocked(next);
            }
        } finally {
            unlockWrite();
            deliverNotifications();
        }
        if (actions != null) {
            MessageRemover rm = remover;
            MessageProposer pm = proposer;
            for (ExpiryAction a : actions) {
                if (a.marker) {
                    pm.proposeMessage(a.subject, NatsHeaders.maxAgeMarker(markerTtlSeconds), new byte[0]);
                } else {
                    rm.removeMessage(a.seq);
                }
            }
        }
    }

    private List<ExpiryAction> decideLocked(List<ExpiryAction> actions, StoredMessage sm, long now) {
        String subject = sm.subject();
        S entry = subjects.get(subject);
        int d = sdm.shouldProcess(sm.sequence(), subject, entry == null ? 0 : subjectMessages(entry), now);
        if (d == SdmTracker.SKIP) {
            return actions;
        }
        boolean marker = d == SdmTracker.MARKER
                && !NatsHeaders.isSubjectDeleteMarker(sm.buffer(), 0, sm.headerLength());
        List<ExpiryAction> list = actions == null ? new ArrayList<>() : actions;
        list.add(new ExpiryAction(sm.sequence(), subject, marker));
        return list;
    }

    // ---- schedules ---------------------------------------------------------------------------------------------

    /** Arms the schedule timer for the earliest schedule. Write lock held. */
    protected final void armSchedulesLocked() {
        if (closed || schedules == null || schedulesRunning) {
            return;
        }
        long next = schedules.nextFireTime();
        if (next == Long.MAX_VALUE) {
            scheduleTimer.cancel();
        } else {
            scheduleTimer.armFor(next);
        }
    }

    /**
     * Fires the schedules that are due through the {@link ScheduleHandler}. Runs on the store's timer; tests call it
     * with a controlled clock.
     */
    // nats-server: memstore.go runMsgScheduling, scheduler.go getScheduledMessages
    public void runSchedules() {
        long[] due;
        ScheduleHandler handler = scheduleHandler;
        lock.writeLock().lock();
        try {
            scheduleTimer.fired();
            if (closed || schedules == null || schedulesRunning) {
                return;
            }
            if (handler == null) {
                armSchedulesLocked();
                return;
            }
            due = schedules.due(env.nowNanos());
            schedulesRunning = true;
        } finally {
            unlockWrite();
        }
        try {
            StoredMessage sm = new StoredMessage();
            for (long seq : due) {
                StoredMessage loaded = loadMessage(seq, sm);
                boolean ok = loaded != null && handler.onScheduleDue(loaded);
                lock.writeLock().lock();
                try {
                    if (schedules != null) {
                        if (loaded == null) {
                            schedules.removeSeq(seq);
                        } else if (!ok) {
                            schedules.removeSubject(loaded.subject());
                        } else {
                            schedules.markInflight(loaded.subject());
                        }
                    }
                } finally {
                    unlockWrite();
                }
            }
        } finally {
            lock.writeLock().lock();
            try {
                schedulesRunning = false;
                armSchedulesLocked();
            } finally {
                unlockWrite();
            }
        }
    }

    // ---- the lock ---------------------------------------------------------------------------------------------

    /** Runs the queued {@link #beforeUnlock} work, then releases the read lock. */
    protected final void unlockRead() {
        runBeforeUnlock();
        lock.readLock().unlock();
    }

    /** Runs the queued {@link #beforeUnlock} work, then releases the write lock. */
    protected final void unlockWrite() {
        runBeforeUnlock();
        lock.writeLock().unlock();
    }

    /**
     * Queues work for whoever holds the store lock to run before releasing it (or earlier, at a point where it holds
     * no other monitor: {@link #runBeforeUnlock}).
     */
    protected final void beforeUnlock(Runnable work) {
        beforeUnlock.add(work);
    }

    /** Runs the queued {@link #beforeUnlock} work. Store lock held, no other monitor. */
    protected final void runBeforeUnlock() {
        Runnable work;
        while ((work = beforeUnlock.poll()) != null) {
            work.run();
        }
    }

    // ---- configuration -----------------------------------------------------------------------------------------

    @Override
    // nats-server: memstore.go / filestore.go UpdateConfig
    public final void updateConfig(StoreConfig cfg) {
        validateConfig(cfg);
        lock.writeLock().lock();
        try {
            checkOpen();
            StoreConfig old = config;
            config = cfg;
            applyConfigLocked(old, cfg);
        } finally {
            unlockWrite();
            deliverNotifications();
        }
        if (cfg.maxAgeNanos() != 0 || cfg.allowMsgTtl()) {
            expireMessages();
        }
    }

    /**
     * Applies a new configuration: TTL and schedule tracking, then the message, byte and (when lowered) per-subject
     * limits. Write lock held; implementations that keep more settings extend it.
     */
    protected void applyConfigLocked(StoreConfig old, StoreConfig cfg) {
        applyPerMessageConfigLocked(old, cfg);
        enforceLimitsLocked();
        long maxp = cfg.maxMsgsPerSubject();
        if (maxp > 0 && (old.maxMsgsPerSubject() <= 0 || maxp < old.maxMsgsPerSubject())) {
            enforceAllPerSubjectLocked();
        }
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    @Override
    public final long storeMessage(String subject, byte[] header, byte[] payload, long ttlSeconds) {
        return store(subject, header, payload, 0, 0, true, ttlSeconds, true, false);
    }

    @Override
    public final long storeMessageHandedOver(String subject, byte[] header, byte[] payload, long ttlSeconds) {
        return store(subject, header, payload, 0, 0, true, ttlSeconds, true, true);
    }

    @Override
    public final long storeRawMessage(String subject, byte[] header, byte[] payload, long seq, long timestampNanos,
                                      long ttlSeconds, boolean discardNewCheck) {
        return store(subject, header, payload, seq, timestampNanos, false, ttlSeconds, discardNewCheck, false);
    }

    private long store(String subject, byte[] header, byte[] payload, long seq, long timestampNanos, boolean now,
                       long ttlSeconds, boolean discardNewCheck, boolean handedOver) {
        long stored;
        long size;
        lock.writeLock().lock();
        try {
            long ts = now ? env.nowNanos() : timestampNanos;
            stored = storeLocked(subject, header, payload, seq, ts, ttlSeconds, discardNewCheck, handedOver);
            size = messageSize(subject, header == null ? 0 : header.length, payload == null ? 0 : payload.length);
        } finally {
            unlockWrite();
        }
        deliverNotifications();
        StorageUpdateListener listener = storageListener;
        if (listener != null) {
            listener.onStorageUpdate(1, size, stored, subject);
        }
        return stored;
    }

    /** Checks the limits, appends the message, then enforces the limits (the order of {@link StreamStore}). */
    // nats-server: memstore.go / filestore.go storeRawMsg
    private long storeLocked(String subject, byte[] header, byte[] payload, long seq, long ts, long ttl,
                             boolean discardNewCheck, boolean handedOver) {
        checkOpen();
        StoreConfig cfg = config;
        int hl = header == null ? 0 : header.length;
        long size = messageSize(subject, hl, payload == null ? 0 : payload.length);
        S entry = subject.isEmpty() ? null : subjects.get(subject);
        boolean atSubjectLimit = entry != null && cfg.maxMsgsPerSubject() > 0
                && subjectMessages(entry) >= cfg.maxMsgsPerSubject();
        if (discardNewCheck && cfg.discard() == DiscardPolicy.NEW) {
            if (atSubjectLimit && cfg.discardNewPerSubject()
                    && NatsHeaders.valueOffset(header, 0, hl, NatsHeaders.ROLLUP) < 0) {
                throw new StoreException(StoreError.MAX_MSGS_PER_SUBJECT);
            }
            if (cfg.maxMsgs() > 0 && msgs >= cfg.maxMsgs() && !atSubjectLimit) {
                throw new StoreException(StoreError.MAX_MSGS);
            }
            if (cfg.maxBytes() > 0 && bytes + size > cfg.maxBytes()) {
                if (!atSubjectLimit) {
                    throw new StoreException(StoreError.MAX_BYTES);
                }
                // the subject's oldest message goes: enough room only if it is at least as large
                long oldest = firstSeqOfSubjectLocked(subject, entry);
                if (oldest <= 0 || storedSizeLocked(oldest) < size) {
                    throw new StoreException(StoreError.MAX_BYTES);
                }
            }
        }
        seq = nextSequenceLocked(seq);
        entry = appendLocked(subject, header, payload, seq, ts, ttl, size, entry, handedOver);
        if (msgs == 0) {
            firstSeq = seq;
            firstTsNanos = ts;
        }
        msgs++;
        bytes += size;
        lastSeq = seq;
        lastTsNanos = ts;
        if (entry != null && cfg.maxMsgsPerSubject() > 0 && subjectMessages(entry) > cfg.maxMsgsPerSubject()) {
            enforcePerSubjectLocked(subject, entry);
        }
        enforceLimitsLocked();
        onStoredLocked(seq, subject, header, ts, ttl);
        return seq;
    }

    /** {@code seq} if it is the next one, the next one for 0, else {@link StoreError#SEQUENCE_MISMATCH}. */
    private long nextSequenceLocked(long seq) {
        if (seq != lastSeq + 1) {
            if (seq > 0) {
                throw new StoreException(StoreError.SEQUENCE_MISMATCH);
            }
            return lastSeq + 1;
        }
        return seq;
    }

    @Override
    public final long skipMessage(long seq) {
        return skip(seq, 1, false);
    }

    @Override
    public final long skipMessageNoInterest(long seq) {
        return skip(seq, 1, true);
    }

    @Override
    // nats-server: memstore.go / filestore.go SkipMsgs
    public final void skipMessages(long seq, long num) {
        skip(seq, num, false);
    }

    // nats-server: memstore.go / filestore.go skipMsg
    private long skip(long seq, long num, boolean noInterest) {
        lock.writeLock().lock();
        try {
            checkOpen();
            seq = nextSequenceLocked(seq);
            long ts = noInterest || lastTsNanos == 0 ? env.nowNanos() : lastTsNanos;
            appendSkipLocked(seq, num, ts);
            lastSeq = seq + num - 1;
            lastTsNanos = ts;
            if (msgs == 0) {
                firstSeq = lastSeq + 1;
                firstTsNanos = 0;
            }
            return seq;
        } finally {
            unlockWrite();
        }
    }

    // ---- limits ------------------------------------------------------------------------------------------------

    /**
     * Discard old: removes the oldest messages while there are more than max_msgs, then while they take more than
     * max_bytes. Write lock held.
     */
    protected final void enforceLimitsLocked() {
        StoreConfig cfg = config;
        if (cfg.discard() != DiscardPolicy.OLD) {
            return;
        }
        while (cfg.maxMsgs() > 0 && msgs > cfg.maxMsgs()) {
            removeFirstForLimitsLocked();
        }
        while (cfg.maxBytes() > 0 && bytes > cfg.maxBytes()) {
            removeFirstForLimitsLocked();
        }
    }

    private void removeFirstForLimitsLocked() {
        if (!removeLocked(firstSeq, false, true)) {
            throw new IllegalStateException(type().jsonName()
                    + " store has inconsistent state, can't find first seq msg");
        }
    }

    /** Removes the oldest messages of {@code subject} while it has more than max_msgs_per_subject. Write lock. */
    private void enforcePerSubjectLocked(String subject, S entry) {
        long maxp = config.maxMsgsPerSubject();
        while (maxp > 0 && subjectMessages(entry) > maxp) {
            long first = firstSeqOfSubjectLocked(subject, entry);
            if (first <= 0 || !removeLocked(first, false, true)) {
                break;
            }
        }
    }

    /** Applies max_msgs_per_subject to every subject. Write lock held. */
    protected final void enforceAllPerSubjectLocked() {
        long maxp = config.maxMsgsPerSubject();
        if (maxp <= 0) {
            return;
        }
        List<String> over = new ArrayList<>();
        subjects.forEach((s, e) -> {
            if (subjectMessages(e) > maxp) {
                over.add(s);
            }
            return true;
        });
        for (String s : over) {
            S entry = subjects.get(s);
            if (entry != null) {
                enforcePerSubjectLocked(s, entry);
            }
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    @Override
    public final StoredMessage loadMessage(long seq, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadLocked(seq, into);
        } finally {
            unlockRead();
        }
    }

    @Override
    public final StoredMessage loadNextMessage(SubjectFilter filter, long start, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadNextLocked(filter, start, into);
        } finally {
            unlockRead();
        }
    }

    /** The first message at or after {@code start} matching {@code filter}, or null. Read lock at least. */
    // nats-server: memstore.go loadNextMsgLocked, filestore.go LoadNextMsg
    protected final StoredMessage loadNextLocked(SubjectFilter filter, long start, StoredMessage into) {
        long from = startAtLocked(start);
        return from < 0 ? null : findNextLocked(filter, from, into);
    }

    /** {@code seq} raised to the first sequence, or -1 when no message can be at or after it. Read lock at least. */
    private long startAtLocked(long seq) {
        long from = Math.max(seq, firstSeq);
        return msgs == 0 || from > lastSeq ? -1 : from;
    }

    @Override
    // nats-server: memstore.go / filestore.go LoadPrevMsg
    public final StoredMessage loadPrevMessage(SubjectFilter filter, long start, StoredMessage into) {
        return read(() -> {
            if (msgs == 0 || start < firstSeq) {
                return null;
            }
            return findPrevLocked(filter, Math.min(start, lastSeq), into);
        });
    }

    @Override
    // nats-server: memstore.go / filestore.go loadLastLocked
    public final StoredMessage loadLastMessage(String subject, StoredMessage into) {
        return read(() -> {
            long seq = 0;
            if (SubjectMatch.isAll(subject)) {
                seq = lastMessageSeqLocked();
            } else if (SubjectMatch.isLiteral(subject)) {
                S entry = subjects.get(subject);
                if (entry != null) {
                    seq = lastSeqOfSubjectLocked(subject, entry, lastSeq);
                }
            } else {
                long[] best = {0};
                subjects.match(subject, (s, e) -> {
                    best[0] = Math.max(best[0], lastSeqOfSubjectLocked(s, e, lastSeq));
                    return true;
                });
                seq = best[0];
            }
            return seq > 0 ? loadLocked(seq, into) : null;
        });
    }

    @Override
    // nats-server: memstore.go / filestore.go GetSeqFromTime
    public final long sequenceFromTime(long epochNanos) {
        return read(() -> {
            if (msgs == 0) {
                return lastSeq + 1;
            }
            if (epochNanos <= firstTsNanos) {
                return firstSeq;
            }
            return sequenceAfterTimeLocked(epochNanos);
        });
    }

    // ---- removing ----------------------------------------------------------------------------------------------

    @Override
    public final boolean removeMessage(long seq) {
        return remove(seq, false);
    }

    @Override
    public final boolean eraseMessage(long seq) {
        return remove(seq, true);
    }

    private boolean remove(long seq, boolean secure) {
        lock.writeLock().lock();
        try {
            checkOpen();
            return removeLocked(seq, secure, false);
        } finally {
            unlockWrite();
            deliverNotifications();
        }
    }

    /** {@link #removeLocked(long, boolean, boolean, boolean)} with its notification; true if it removed. */
    protected final boolean removeLocked(long seq, boolean secure, boolean viaLimits) {
        return removeLocked(seq, secure, viaLimits, true) >= 0;
    }

    @Override
    public final long purge() {
        lock.writeLock().lock();
        try {
            checkOpen();
            return purgeLocked(0);
        } finally {
            unlockWrite();
            deliverNotifications();
        }
    }

    /** Removes everything; the next message gets {@code fseq} (0: last + 1). Write lock held. */
    // nats-server: memstore.go / filestore.go purge
    protected final long purgeLocked(long fseq) {
        long purged = msgs;
        long purgedBytes = bytes;
        long newFirst = fseq == 0 ? lastSeq + 1 : fseq;
        msgs = 0;
        bytes = 0;
        lastSeq = newFirst - 1;
        firstSeq = newFirst;
        firstTsNanos = 0;
        clearLocked();
        subjects.clear();
        onClearedLocked();
        notifyLocked(-purged, -purgedBytes, 0, null);
        return purged;
    }

    @Override
    // nats-server: memstore.go / filestore.go PurgeEx
    public final long purge(String subject, long seq, long keep) {
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
        lock.writeLock().lock();
        try {
            checkOpen();
            SubjectFilter filter = SubjectFilter.of(subject);
            SimpleState ss = filteredStateLocked(1, filter, false);
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
            StoredMessage sm = new StoredMessage();
            long next = ss.first();
            while (next <= last && loadNextLocked(filter, next, sm) != null && sm.sequence() <= last) {
                long s = sm.sequence();
                next = s + 1;
                long size = removeLocked(s, false, false, false);
                if (size >= 0) {
                    purged++;
                    purgedBytes += size;
                    if (lowSeq == 0) {
                        lowSeq = s;
                        lowSubject = sm.subject();
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
            return purged;
        } finally {
            unlockWrite();
            deliverNotifications();
        }
    }

    @Override
    public final long compact(long seq) {
        if (seq == 0) {
            return purge();
        }
        lock.writeLock().lock();
        try {
            checkOpen();
            return compactLocked(seq);
        } finally {
            unlockWrite();
            deliverNotifications();
        }
    }

    // nats-server: memstore.go / filestore.go compact
    private long compactLocked(long seq) {
        if (firstSeq > seq) {
            return 0;
        }
        if (seq > lastSeq) {
            return purgeLocked(seq);
        }
        Purged p = compactBelowLocked(seq);
        notifyLocked(-p.msgs(), -p.bytes(), 0, null);
        return p.msgs();
    }

    @Override
    // nats-server: memstore.go / filestore.go Truncate, memstore.go reset
    public final void truncate(long seq) {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (seq == 0) {
                purgeLocked(1);
                // a brand new stream
                lastSeq = 0;
                lastTsNanos = env.nowNanos();
                firstSeq = 0;
                return;
            }
            StoredMessage at = loadLocked(seq, new StoredMessage());
            long newLastTs = at != null ? at.timestampNanos() : lastTsNanos;
            Purged p = truncateAboveLocked(seq, newLastTs);
            lastSeq = seq;
            lastTsNanos = newLastTs;
            if (msgs == 0) {
                firstSeq = lastSeq + 1;
                firstTsNanos = 0;
            }
            notifyLocked(-p.msgs(), -p.bytes(), 0, null);
        } finally {
            unlockWrite();
            deliverNotifications();
        }
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Override
    public final StreamState state() {
        return read(() -> {
            long numDeleted = numDeletedLocked();
            long[] deleted = null;
            if (numDeleted > 0) {
                long[] out = new long[(int) Math.min(numDeleted, Integer.MAX_VALUE - 8)];
                int[] n = {0};
                forEachDeletedRunLocked((f, c) -> {
                    for (long s = f; s < f + c && n[0] < out.length; s++) {
                        out[n[0]++] = s;
                    }
                });
                deleted = n[0] == out.length ? out : Arrays.copyOf(out, n[0]);
            }
            return new StreamState(msgs, bytes, firstSeq, firstTsNanos, lastSeq, lastTsNanos, subjects.size(),
                    numDeleted, deleted, lostLocked(), consumerCount());
        });
    }

    @Override
    public final StreamState fastState() {
        return read(() -> new StreamState(msgs, bytes, firstSeq, firstTsNanos, lastSeq, lastTsNanos, subjects.size(),
                numDeletedLocked(), null, lostLocked(), consumerCount()));
    }

    private long numDeletedLocked() {
        if (lastSeq < firstSeq || firstSeq == 0) {
            return 0;
        }
        return Math.max(0, lastSeq - firstSeq + 1 - msgs);
    }

    @Override
    // nats-server: memstore.go EncodedStreamState
    public final byte[] encodedStreamState(long failed) {
        return read(() -> StreamStateCodec.encode(msgs, bytes, firstSeq, lastSeq, failed, numDeletedLocked(),
                this::forEachDeletedRunLocked));
    }

    @Override
    public final long lastSequence() {
        return read(() -> lastSeq);
    }

    @Override
    public final SimpleState filteredState(long seq, String subject) {
        return read(() -> filteredStateLocked(seq, SubjectFilter.of(subject), false));
    }

    /** Count, first and last of the messages at or after {@code sseq} matching {@code filter}. Read lock. */
    // nats-server: memstore.go filteredStateLocked, filestore.go FilteredState
    protected final SimpleState filteredStateLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        long from = startAtLocked(sseq);
        if (from < 0) {
            return SimpleState.EMPTY;
        }
        if (filter.isAll() && from == firstSeq) {
            return new SimpleState(lastPerSubject ? subjects.size() : msgs, firstSeq, lastSeq);
        }
        return scanFilteredLocked(from, filter, lastPerSubject);
    }

    @Override
    // nats-server: memstore.go / filestore.go NumPending, NumPendingMulti
    public final long numPending(long seq, SubjectFilter filter, boolean lastPerSubject) {
        lock.readLock().lock();
        try {
            long from = startAtLocked(seq);
            if (from < 0) {
                return 0;
            }
            if (filter.isAll() && from == firstSeq) {
                return lastPerSubject ? subjects.size() : msgs;
            }
            return countPendingLocked(from, filter, lastPerSubject);
        } finally {
            unlockRead();
        }
    }

    /** Runs {@code query} under the read lock (the queries that are not on a per-message path). */
    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            unlockRead();
        }
    }

    // ---- subjects ----------------------------------------------------------------------------------------------

    @Override
    // nats-server: memstore.go / filestore.go SubjectsState
    public final Map<String, SimpleState> subjectsState(String filter) {
        return bySubject(filter, (s, e) -> new SimpleState(subjectMessages(e), firstSeqOfSubjectLocked(s, e),
                lastSeqOfSubjectLocked(s, e, lastSeq)));
    }

    @Override
    // nats-server: memstore.go / filestore.go SubjectsTotals
    public final Map<String, Long> subjectsTotals(String filter) {
        return bySubject(filter, (s, e) -> subjectMessages(e));
    }

    /** {@code value} of every subject matching {@code filter}, under the read lock. */
    private <V> Map<String, V> bySubject(String filter, BiFunction<String, S, V> value) {
        return read(() -> {
            Map<String, V> out = new HashMap<>();
            subjects.match(filter, (s, e) -> {
                out.put(s, value.apply(s, e));
                return true;
            });
            return out;
        });
    }

    @Override
    public final long[] allLastSequences() {
        return read(this::allLastLocked);
    }

    // nats-server: memstore.go / filestore.go allLastSeqsLocked
    private long[] allLastLocked() {
        long[] out = new long[subjects.size()];
        int[] n = {0};
        subjects.forEach((s, e) -> {
            out[n[0]++] = lastSeqOfSubjectLocked(s, e, lastSeq);
            return true;
        });
        Arrays.sort(out, 0, n[0]);
        return n[0] == out.length ? out : Arrays.copyOf(out, n[0]);
    }

    @Override
    // nats-server: memstore.go / filestore.go multiLastSeqsLocked
    public final long[] multiLastSequences(List<String> filters, long maxSeq, int maxAllowed) {
        return read(() -> {
            if (msgs == 0) {
                return new long[0];
            }
            if (maxSeq == 0 && maxAllowed <= 0 && filterIsAll(filters)) {
                return allLastLocked();
            }
            long max = maxSeq == 0 ? lastSeq : maxSeq;
            Set<Long> seen = new HashSet<>();
            List<Long> seqs = new ArrayList<>();
            for (String filter : filters) {
                subjects.match(filter, (s, e) -> {
                    long l = lastSeqOfSubjectLocked(s, e, max);
                    if (l > 0 && seen.add(l)) {
                        seqs.add(l);
                    }
                    return true;
                });
                if (maxAllowed > 0 && seqs.size() > maxAllowed) {
                    throw new StoreException(StoreError.TOO_MANY_RESULTS);
                }
            }
            return seqs.stream().mapToLong(Long::longValue).sorted().toArray();
        });
    }

    /** Whether {@code filters} take every subject of the stream. */
    // nats-server: memstore.go / filestore.go filterIsAll
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
            if (!Subjects.subjectMatchesFilter(c.get(i), f.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 length of {@code s} (fast for ASCII). */
    protected static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    // ---- StreamStore: shared parts -----------------------------------------------------------------------------

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void registerStorageUpdates(StorageUpdateListener listener) {
        this.storageListener = listener;
    }

    @Override
    public void registerMessageRemover(MessageRemover remover) {
        this.remover = remover;
    }

    @Override
    public void registerMessageProposer(MessageProposer proposer) {
        this.proposer = proposer;
    }

    @Override
    public void registerScheduleHandler(ScheduleHandler handler) {
        lock.writeLock().lock();
        try {
            boolean first = this.scheduleHandler == null;
            this.scheduleHandler = handler;
            if (first && handler != null && schedules != null && !closed) {
                schedules.clear();
                rebuildPerMessageStateLocked(false, true);
            }
        } finally {
            unlockWrite();
        }
    }

    /** The schedule handler, or null. */
    protected final ScheduleHandler scheduleHandler() {
        return scheduleHandler;
    }

    @Override
    public void resetState() {
        lock.writeLock().lock();
        try {
            if (schedules != null) {
                schedules.clearInflight();
            }
        } finally {
            unlockWrite();
        }
    }

    /** Cancels the timers; implementations call this when they close. Write lock held. */
    protected final void cancelTimersLocked() {
        cancelExpiryLocked();
        scheduleTimer.cancel();
    }

    @Override
    public List<ConsumerStore> consumers() {
        return List.copyOf(consumers);
    }

    /** Registers a consumer store. */
    protected final void addConsumer(ConsumerStore consumer) {
        consumers.add(consumer);
    }

    /** Forgets a consumer store (its stop or delete). */
    public final void removeConsumer(ConsumerStore consumer) {
        consumers.remove(consumer);
    }

    /** Number of consumer stores. */
    protected final int consumerCount() {
        return consumers.size();
    }

}
