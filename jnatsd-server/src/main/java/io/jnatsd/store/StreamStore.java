package io.jnatsd.store;

import java.util.List;
import java.util.Map;

/**
 * A stream's message store: the {@code StreamStore} of nats-server. Two implementations share these semantics:
 * {@link io.jnatsd.store.memory.MemoryStreamStore} and {@link io.jnatsd.store.file.FileStreamStore}.
 *
 * <h2>Sequences and state</h2>
 * Messages get consecutive sequences starting at 1 (or {@link StoreConfig#firstSeq()}). Removed sequences become
 * interior deletes; {@link StreamState#numDeleted()} counts them. After a full purge {@code firstSeq = lastSeq + 1}.
 * Skips ({@link #skipMessage}) consume a sequence without storing anything.
 *
 * <h2>Limits</h2>
 * On each store, in this order: discard-new checks (refusing with {@link StoreError#MAX_MSGS_PER_SUBJECT},
 * {@link StoreError#MAX_MSGS}, {@link StoreError#MAX_BYTES}), the sequence check, the write, then the per-subject
 * limit (oldest message of that subject removed), then max_msgs and max_bytes (discard old: oldest messages
 * removed), then the message's TTL is registered and the expiry timer armed. max_age and per-message TTLs
 * ({@code Nats-TTL}) expire on the store's timer; messages with {@code Nats-TTL: never} are exempt from max_age. When
 * subject delete markers are on, expiring the last message of a subject proposes a marker through the
 * {@link MessageProposer} instead of removing it, and other expiries go through the {@link MessageRemover}.
 *
 * <h2>Threading</h2>
 * Thread-safe. One writer per stream is expected (the stream's ingest thread or a virtual thread): writes are
 * serialized by the store's lock, and sequence order is the order of the calls. Readers run concurrently with each
 * other and wait only while a write holds the lock. Expiry, schedules and (for the file store) background syncs run
 * on a shared store timer thread and take the same lock. Callbacks ({@link StorageUpdateListener},
 * {@link MessageRemover}, {@link MessageProposer}, {@link ScheduleHandler#onScheduleDue}) are called without the lock
 * held.
 *
 * <h2>Loading</h2>
 * Load methods fill a caller-owned {@link StoredMessage} ({@code into}, or a new one when null) and return it, or
 * return null when nothing matches; they never throw for a missing message. A returned holder's bytes are a copy
 * owned by the holder.
 *
 * <h2>Errors</h2>
 * Failures are {@link StoreException}s carrying a {@link StoreError} with nats-server's text.
 */
// nats-server: store.go StreamStore
public interface StreamStore {

    /** Memory or file. */
    StorageType type();

    /** The configuration in force. */
    StoreConfig config();

    /**
     * Applies a new configuration: tighter limits are enforced at once (oldest messages removed), TTL and schedule
     * tracking start or stop, the age timer is re-armed.
     */
    void updateConfig(StoreConfig config);

    // ---- writing -------------------------------------------------------------------------------------------------

    /**
     * Stores a message at the next sequence with the current time, applying discard-new checks.
     *
     * @param header     the header block or null
     * @param payload    the payload or null (empty)
     * @param ttlSeconds the message TTL from {@code Nats-TTL} (positive seconds, -1 never, 0 none)
     * @return the sequence stored at
     * @throws StoreException a limit under discard new, {@link StoreError#MSG_TOO_LARGE}, {@link StoreError#IO},
     *                        {@link StoreError#CLOSED}
     */
    long storeMessage(String subject, byte[] header, byte[] payload, long ttlSeconds);

    /**
     * As {@link #storeMessage}, but the caller hands {@code header} and {@code payload} over: the store may keep the
     * arrays instead of copying them, and the caller must neither change nor reuse them afterwards (a freshly
     * received message; the memory store then needs no copy of a message without headers).
     */
    default long storeMessageHandedOver(String subject, byte[] header, byte[] payload, long ttlSeconds) {
        return storeMessage(subject, header, payload, ttlSeconds);
    }

    /**
     * Stores a message with a given sequence and timestamp (replication, mirrors, restore).
     *
     * @param seq             the expected sequence, {@code lastSeq + 1}, or 0 for "the next one"
     * @param discardNewCheck whether to apply discard-new refusals (replicas apply the leader's decision instead)
     * @return the sequence stored at
     * @throws StoreException {@link StoreError#SEQUENCE_MISMATCH} when {@code seq} is neither 0 nor the next one;
     *                        otherwise as {@link #storeMessage}
     */
    long storeRawMessage(String subject, byte[] header, byte[] payload, long seq, long timestampNanos,
                         long ttlSeconds, boolean discardNewCheck);

    /**
     * Consumes sequence {@code seq} (or the next one when 0) without storing a message.
     *
     * @return the skipped sequence
     */
    long skipMessage(long seq);

    /** As {@link #skipMessage} but also moves the last time (interest retention: no consumer wanted it). */
    long skipMessageNoInterest(long seq);

    /** Consumes {@code num} sequences starting at {@code seq} (or the next one when 0). */
    void skipMessages(long seq, long num);

    /**
     * Makes everything stored so far durable as the configured sync mode promises: written to the operating system
     * (and, with {@code sync: always}, to the disk). Stores write through on every call by default; this matters for
     * asynchronous persistence.
     */
    void flushAllPending();

    // ---- reading -------------------------------------------------------------------------------------------------

    /** The message at {@code seq}, or null when it was removed, never existed or is past the end. */
    StoredMessage loadMessage(long seq, StoredMessage into);

    /**
     * The first message at or after {@code start} whose subject matches {@code filter}, or null when there is none
     * (end of stream). The message's {@link StoredMessage#sequence()} tells where it was found.
     */
    StoredMessage loadNextMessage(SubjectFilter filter, long start, StoredMessage into);

    /** The last message at or before {@code start} matching {@code filter}, or null. */
    StoredMessage loadPrevMessage(SubjectFilter filter, long start, StoredMessage into);

    /** The last message of {@code subject} (literal or wildcard; empty or {@code >} = the stream's last), or null. */
    StoredMessage loadLastMessage(String subject, StoredMessage into);

    /** The subject stored at {@code seq}, or null. */
    String subjectForSequence(long seq);

    /**
     * The first sequence whose message was stored at or after {@code epochNanos}; {@code lastSeq + 1} when none is.
     */
    long sequenceFromTime(long epochNanos);

    // ---- removing ------------------------------------------------------------------------------------------------

    /** Removes the message at {@code seq}; false when there is none. */
    boolean removeMessage(long seq);

    /**
     * Removes the message at {@code seq} and overwrites its bytes with random data (a plain removal when the store is
     * encrypted); false when there is none.
     */
    boolean eraseMessage(long seq);

    /** Removes every message; {@code firstSeq} becomes {@code lastSeq + 1}. Returns how many were removed. */
    long purge();

    /**
     * PurgeEx: removes messages matching {@code subject} (empty or {@code >} = all) below {@code seq} (0 = no bound),
     * keeping the newest {@code keep} of them (0 = keep none). {@code seq == 1} removes nothing. Without subject and
     * keep, a {@code seq > 1} compacts.
     *
     * @return how many were removed
     */
    long purge(String subject, long seq, long keep);

    /**
     * Removes every message below {@code seq}. When {@code seq} is past the end the store becomes empty and the next
     * message gets {@code seq}. Returns how many were removed.
     */
    long compact(long seq);

    /** Removes every message after {@code seq}; {@code lastSeq} becomes {@code seq}. {@code 0} resets the store. */
    void truncate(long seq);

    // ---- state ---------------------------------------------------------------------------------------------------

    /** The state including the list of deleted sequences. */
    StreamState state();

    /** The state without the deleted list (cheap). */
    StreamState fastState();

    /** The last sequence (stored or skipped). */
    long lastSequence();

    /**
     * Messages matching {@code subject} at or after {@code seq}: count, first and last sequence.
     */
    SimpleState filteredState(long seq, String subject);

    /** Per-subject state of the subjects matching {@code filter} (empty = all). */
    Map<String, SimpleState> subjectsState(String filter);

    /** Per-subject message counts of the subjects matching {@code filter} (empty = all). */
    Map<String, Long> subjectsTotals(String filter);

    /**
     * Messages at or after {@code seq} matching {@code filter}; with {@code lastPerSubject}, only the last message of
     * each matching subject counts (and only if it is at or after {@code seq}). The count is valid through
     * {@link #lastSequence()} at the time of the call.
     */
    long numPending(long seq, SubjectFilter filter, boolean lastPerSubject);

    /** The last sequence of every subject, ascending. */
    long[] allLastSequences();

    /**
     * The last sequence, at or below {@code maxSeq} (0 = the stream's last), of every subject matching one of
     * {@code filters}, ascending.
     *
     * @throws StoreException {@link StoreError#TOO_MANY_RESULTS} when more than {@code maxAllowed} (if positive) match
     */
    long[] multiLastSequences(List<String> filters, long maxSeq, int maxAllowed);

    /** Bytes used: {@code [total on disk or in memory, reported as state bytes]}. */
    long[] utilization();

    /**
     * The state in nats-server's binary stream-state encoding (magic 42, version 1: varint msgs, bytes, first, last,
     * failed, then the deleted sequences), as used to compare replicas and in snapshots.
     */
    byte[] encodedStreamState(long failed);

    // ---- callbacks and life cycle --------------------------------------------------------------------------------

    /** Sets the storage listener (replacing the previous one; null removes it). */
    void registerStorageUpdates(StorageUpdateListener listener);

    /** Sets the remover used for expiry when subject delete markers are on. */
    void registerMessageRemover(MessageRemover remover);

    /** Sets the proposer for subject delete markers and schedules. */
    void registerMessageProposer(MessageProposer proposer);

    /** Sets the schedule handler ({@code allow_msg_schedules}). */
    void registerScheduleHandler(ScheduleHandler handler);

    /** Clears temporary state (schedules in flight), e.g. on a leader change. */
    void resetState();

    /** Stops timers, flushes and closes; later calls fail with {@link StoreError#CLOSED}. Idempotent. */
    void stop();

    /** Stops and removes everything the store holds (files for a file store). */
    void delete();

    /** Whether {@link #stop()} or {@link #delete()} was called. */
    boolean isClosed();

    // ---- consumers -----------------------------------------------------------------------------------------------

    /**
     * Creates (or, for a file store, reopens) the state store of consumer {@code name}.
     *
     * @param createdNanos the consumer's creation time (kept in {@code meta.inf})
     */
    ConsumerStore consumerStore(String name, long createdNanos, ConsumerStoreConfig config);

    /** The consumer stores attached to this stream. */
    List<ConsumerStore> consumers();
}
