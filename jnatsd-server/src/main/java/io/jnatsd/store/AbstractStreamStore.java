package io.jnatsd.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the memory and file stores share: the lock, the callbacks and their delivery outside the lock, per-message
 * TTLs, max_age expiry with subject delete markers, message schedules and their timers, and the consumer registry.
 * Implementations provide message access under the lock. This is the stores' internal base, not an API.
 * <p>
 * Locking: one {@link ReentrantReadWriteLock} per store. Writes (store, remove, purge, expiry) hold the write lock;
 * loads and state queries hold the read lock. Methods named {@code *Locked} expect the caller to hold the lock (the
 * write lock when they change anything). Callbacks run after the lock is released.
 */
public abstract class AbstractStreamStore implements StreamStore {

    /** Expiry and schedule timers never fire more often than this (nats-server's floor). */
    protected static final long MIN_TIMER_NANOS = 250_000_000L;
    private static final long SDM_RETRY_NANOS = 2_000_000_000L;

    protected final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    protected final StoreEnvironment env;
    protected final NotificationQueue notifications = new NotificationQueue();
    private final List<ConsumerStore> consumers = new CopyOnWriteArrayList<>();
    private final SdmTracker sdm = new SdmTracker();
    private final StoredMessage expiryScratch = new StoredMessage();

    protected volatile StoreConfig config;
    protected volatile boolean closed;
    private volatile StorageUpdateListener storageListener;
    private volatile MessageRemover remover;
    private volatile MessageProposer proposer;
    private volatile ScheduleHandler scheduleHandler;

    /** Per-message TTL expiries; null unless allow_msg_ttl. Guarded by the lock. */
    protected TtlHeap ttls;
    /** Schedules; null unless allow_msg_schedules. Guarded by the lock. */
    protected ScheduleIndex schedules;

    private ScheduledFuture<?> expiryTimer;      // guarded by the lock
    private long expiryDeadlineNanos;
    private ScheduledFuture<?> scheduleTimer;    // guarded by the lock
    private long scheduleDeadlineNanos;
    private boolean schedulesRunning;

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

    /** The message at {@code seq} or null. Read lock at least. */
    protected abstract StoredMessage loadLocked(long seq, StoredMessage into);

    /** The first message at or after {@code start} matching {@code filter}, or null. Read lock at least. */
    protected abstract StoredMessage loadNextLocked(SubjectFilter filter, long start, StoredMessage into);

    /**
     * Removes the message at {@code seq}, queues its storage notification and calls
     * {@link #onRemovedLocked(long, String)}. Write lock.
     *
     * @param viaLimits the removal is the store's own (limits, expiry): no tombstone is needed in a file store
     */
    protected abstract boolean removeLocked(long seq, boolean secure, boolean viaLimits);

    /** First sequence. Read lock at least. */
    protected abstract long firstSeqLocked();

    /** Number of messages. Read lock at least. */
    protected abstract long msgsLocked();

    /** Number of messages on {@code subject}. Read lock at least. */
    protected abstract long subjectMessagesLocked(String subject);

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
        } else if (msgsLocked() > 0) {
            armExpiryLocked(env.nowNanos());
        }
    }

    /**
     * Scans every message for TTLs and schedules (after recovery, or when the features are switched on). Write lock
     * held. Implementations with cheaper knowledge (block counters) may override.
     */
    protected void rebuildPerMessageStateLocked(boolean ttl, boolean sched) {
        StoredMessage sm = new StoredMessage();
        long seq = firstSeqLocked();
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
        if (expiryTimer != null && expiryDeadlineNanos <= deadlineNanos) {
            return;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        long delay = Math.max(deadlineNanos - env.nowNanos(), MIN_TIMER_NANOS);
        expiryDeadlineNanos = deadlineNanos;
        expiryTimer = env.timer().schedule(() -> env.worker().execute(this::expireMessages), delay,
                TimeUnit.NANOSECONDS);
    }

    /** Cancels the expiry timer. Write lock held. */
    protected final void cancelExpiryLocked() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
            expiryDeadlineNanos = 0;
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
            expiryTimer = null;
            expiryDeadlineNanos = 0;
            StoreConfig cfg = config;
            long now = env.nowNanos();
            boolean sdmOn = cfg.subjectDeleteMarkers();
            markerTtlSeconds = cfg.subjectDeleteMarkerTtlNanos() / 1_000_000_000L;
            if (sdmOn && (remover == null || proposer == null)) {
                if (msgsLocked() > 0) {
                    armExpiryLocked(now + SDM_RETRY_NANOS);
                }
                return;
            }
            long next = Long.MAX_VALUE;
            StoredMessage sm = expiryScratch;
            long maxAge = cfg.maxAgeNanos();
            if (maxAge > 0) {
                long minAge = now - maxAge;
                long seq = firstSeqLocked();
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
                if (ttls.size() > 2 * msgsLocked() + 1024) {
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
            lock.writeLock().unlock();
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
        int d = sdm.shouldProcess(sm.sequence(), subject, subjectMessagesLocked(subject), now);
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
            if (scheduleTimer != null) {
                scheduleTimer.cancel(false);
                scheduleTimer = null;
                scheduleDeadlineNanos = 0;
            }
            return;
        }
        if (scheduleTimer != null && scheduleDeadlineNanos <= next) {
            return;
        }
        if (scheduleTimer != null) {
            scheduleTimer.cancel(false);
        }
        long delay = Math.max(next - env.nowNanos(), MIN_TIMER_NANOS);
        scheduleDeadlineNanos = next;
        scheduleTimer = env.timer().schedule(() -> env.worker().execute(this::runSchedules), delay,
                TimeUnit.NANOSECONDS);
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
            scheduleTimer = null;
            scheduleDeadlineNanos = 0;
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
            lock.writeLock().unlock();
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
                    lock.writeLock().unlock();
                }
            }
        } finally {
            lock.writeLock().lock();
            try {
                schedulesRunning = false;
                armSchedulesLocked();
            } finally {
                lock.writeLock().unlock();
            }
        }
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
            lock.writeLock().unlock();
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
            lock.writeLock().unlock();
        }
    }

    /** Cancels the timers; implementations call this when they close. Write lock held. */
    protected final void cancelTimersLocked() {
        cancelExpiryLocked();
        if (scheduleTimer != null) {
            scheduleTimer.cancel(false);
            scheduleTimer = null;
        }
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

    @Override
    public long numPending(long seq, SubjectFilter filter, boolean lastPerSubject) {
        lock.readLock().lock();
        try {
            return numPendingLocked(seq, filter, lastPerSubject);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@link #numPending} with the read lock held. */
    protected abstract long numPendingLocked(long seq, SubjectFilter filter, boolean lastPerSubject);
}
