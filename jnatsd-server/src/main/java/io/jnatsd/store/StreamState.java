package io.jnatsd.store;

/**
 * A stream's state as STREAM.INFO reports it. Times are nanoseconds since the epoch, {@code 0} standing for Go's zero
 * time ({@code 0001-01-01T00:00:00Z} on the wire). After a full purge {@code firstSeq == lastSeq + 1}, {@code msgs}
 * and {@code bytes} are 0 and {@code firstTimeNanos} is 0, while {@code lastSeq} and {@code lastTimeNanos} are kept.
 * <p>
 * {@code bytes} counts each message as its store does: the file store {@code 22 + len(subject) + len(payload) + 8}
 * plus {@code 4 + len(header)} when there are headers, the memory store
 * {@code len(subject) + len(header) + len(payload) + 16}.
 *
 * @param msgs           messages stored
 * @param bytes          bytes stored (see above)
 * @param firstSeq       first sequence
 * @param firstTimeNanos time of the first message, 0 when empty
 * @param lastSeq        last sequence
 * @param lastTimeNanos  time of the last message (or skip)
 * @param numSubjects    distinct subjects
 * @param numDeleted     interior deletes: {@code lastSeq - firstSeq + 1 - msgs}
 * @param deleted        the deleted sequences, ascending; null unless asked for ({@link StreamStore#state()})
 * @param lost           data lost at recovery, or null
 * @param consumers      consumer stores attached
 */
// nats-server: store.go StreamState
public record StreamState(long msgs, long bytes, long firstSeq, long firstTimeNanos, long lastSeq,
                          long lastTimeNanos, int numSubjects, long numDeleted, long[] deleted, LostStreamData lost,
                          int consumers) {
}
