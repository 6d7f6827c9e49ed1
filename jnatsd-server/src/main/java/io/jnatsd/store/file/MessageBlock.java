package io.jnatsd.store.file;

import io.jnatsd.store.SubjectFilter;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;

/**
 * One block file of a file store: a summary that is always in memory (sequence range, live counts, deleted
 * sequences) and, loaded on demand, its records decoded into {@link #data} with an index of message records
 * ({@link #recSeq}/{@link #recOff}) and per-subject counts ({@link #fss}).
 * <p>
 * Locking: the summary fields are changed only under the store's write lock. The loaded state ({@code data},
 * record index, {@code fss}) is loaded and read under this block's monitor, which readers take while holding the
 * store's read lock (so two readers never load the same block twice). The write block's loaded state is the append
 * buffer and stays loaded.
 */
// nats-server: filestore.go msgBlock (first, last, msgs, bytes, rbytes, dmap, cache, fss)
final class MessageBlock {

    /** Per-subject counts inside one block; first/last corrected lazily after removals. */
    static final class BlockSubject {
        long msgs;
        long first;
        long last;
        boolean firstStale;
        boolean lastStale;

        BlockSubject(long seq) {
            msgs = 1;
            first = seq;
            last = seq;
        }
    }

    final int index;
    final Path path;

    // ---- summary: store lock ----
    /** First and last sequence written to this block (messages and skips); 0 when none yet. */
    long first;
    long last;
    /** Timestamp of the record holding {@link #last} (or of the newest meta record). */
    long lastTs;
    /** Live messages and their bytes. */
    long msgs;
    long bytes;
    /** Length of the file, header included. */
    long fileBytes;
    /** Live record bytes when the block was last compacted (-1: never); a sync compacts it again only if changed. */
    long compactedBytes = -1;
    /** Tombstone, TTL and schedule records in the block. */
    int tombstones;
    int ttls;
    int schedules;
    /** Sequences in [first, last] that are not live messages. */
    final SequenceRanges deleted = new SequenceRanges();
    /** Whether the body is compressed (a sealed block). */
    boolean compressed;
    /** The block's data key, or null when not encrypted. */
    StoreEncryption.DataKey key;

    // ---- loaded state: this block's monitor ----
    byte[] data;
    int dataLen;
    long[] recSeq;
    int[] recOff;
    int recCount;
    HashMap<String, BlockSubject> fss;

    // ---- the store's block cache: guarded by its LRU deque ----
    /** Bytes this block was charged when it entered the cache. */
    long cacheCharge;

    // ---- write state: store write lock ----
    FileChannel channel;
    /** Plaintext bytes of {@link #data} already written to the file. */
    int flushedLen;
    boolean needSync;

    MessageBlock(int index, Path path) {
        this.index = index;
        this.path = path;
    }

    boolean isEmpty() {
        return msgs == 0;
    }

    boolean loaded() {
        return data != null;
    }

    /** Whether {@code seq} is a live message of this block. */
    boolean isLive(long seq) {
        return first != 0 && seq >= first && seq <= last && !deleted.contains(seq);
    }

    /** First live sequence at or after {@code from}, or -1. */
    long firstLive(long from) {
        if (msgs == 0 || first == 0) {
            return -1;
        }
        return deleted.firstNotIn(Math.max(from, first), last);
    }

    /** Last live sequence at or before {@code to}, or -1. */
    long lastLive(long to) {
        if (msgs == 0 || first == 0) {
            return -1;
        }
        return deleted.lastNotIn(first, Math.min(to, last));
    }

    /** Position of {@code seq} in the record index, or -1. Monitor held, loaded. */
    int position(long seq) {
        int i = Arrays.binarySearch(recSeq, 0, recCount, seq);
        return i >= 0 ? i : -1;
    }

    /** Position of the first indexed record with a sequence at or after {@code seq}. Monitor held, loaded. */
    int positionAtOrAfter(long seq) {
        int i = Arrays.binarySearch(recSeq, 0, recCount, seq);
        return i >= 0 ? i : -i - 1;
    }

    /** Position of the first live record at or after position {@code from}, or -1. Monitor held, loaded. */
    int nextLive(int from) {
        for (int k = from; k < recCount; k++) {
            if (isLive(recSeq[k])) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Position of the first live record at or after position {@code from} whose subject is {@code literal} (UTF-8)
     * or, when {@code literal} is null, matches {@code filter}; -1 when none. Monitor held, loaded.
     */
    // nats-server: filestore.go msgBlock.firstMatching
    int nextMatching(int from, SubjectFilter filter, byte[] literal) {
        for (int k = from; k < recCount; k++) {
            if (liveMatch(k, filter, literal)) {
                return k;
            }
        }
        return -1;
    }

    /** As {@link #nextMatching}, for the last such record before position {@code before}. Monitor held, loaded. */
    // nats-server: filestore.go msgBlock.prevMatching
    int prevMatching(int before, SubjectFilter filter, byte[] literal) {
        for (int k = before - 1; k >= 0; k--) {
            if (liveMatch(k, filter, literal)) {
                return k;
            }
        }
        return -1;
    }

    private boolean liveMatch(int k, SubjectFilter filter, byte[] literal) {
        if (!isLive(recSeq[k])) {
            return false;
        }
        int off = recOff[k];
        int sl = Records.subjectLength(data, off);
        int so = off + Records.HEADER_BYTES;
        return literal != null
                ? sl == literal.length && Arrays.equals(data, so, so + sl, literal, 0, sl)
                : filter.matches(data, so, sl);
    }

    /**
     * Makes room for {@code n} more data bytes, doubling but not beyond {@code limit} (the block size: a full
     * block must not hold twice its size in memory). Monitor held.
     */
    void ensureData(int n, long limit) {
        if (data == null) {
            data = BlockBuffers.take(Math.max(4096, n), limit);
        } else if (dataLen + n > data.length) {
            long doubled = Math.min((long) data.length * 2, Math.max(limit, data.length));
            byte[] grown = BlockBuffers.take((int) Math.max(dataLen + n, Math.min(doubled, Integer.MAX_VALUE - 8)),
                    Math.max(limit, dataLen + n));
            System.arraycopy(data, 0, grown, 0, dataLen);
            BlockBuffers.give(data);
            data = grown;
        }
    }

    /** Indexes a message record at {@code off}. Monitor held. */
    void indexRecord(long seq, int off) {
        if (recSeq == null) {
            recSeq = new long[256];
            recOff = new int[256];
        } else if (recCount == recSeq.length) {
            recSeq = Arrays.copyOf(recSeq, Math.max(16, recCount * 2));
            recOff = Arrays.copyOf(recOff, Math.max(16, recCount * 2));
        }
        recSeq[recCount] = seq;
        recOff[recCount] = off;
        recCount++;
    }

    /** Drops the loaded state (not for the write block). Monitor held. */
    void unload() {
        BlockBuffers.give(data);
        data = null;
        dataLen = 0;
        recSeq = null;
        recOff = null;
        recCount = 0;
        fss = null;
    }

    /** Counts a message of {@code subject} at {@code seq} in the loaded per-subject state. Monitor held. */
    void fssAdd(String subject, long seq) {
        if (fss == null) {
            return;
        }
        BlockSubject bs = fss.get(subject);
        if (bs == null) {
            fss.put(subject, new BlockSubject(seq));
        } else {
            bs.msgs++;
            bs.last = seq;
            bs.lastStale = false;
        }
    }

    /** Uncounts a removed message. Monitor held. */
    // nats-server: filestore.go msgBlock.removeSeqPerSubject
    void fssRemove(String subject, long seq) {
        if (fss == null) {
            return;
        }
        BlockSubject bs = fss.get(subject);
        if (bs == null) {
            return;
        }
        if (bs.msgs <= 1) {
            fss.remove(subject);
            return;
        }
        bs.msgs--;
        if (bs.msgs == 1) {
            if (!bs.lastStale && seq != bs.last) {
                bs.first = bs.last;
                bs.firstStale = false;
                return;
            }
            if (!bs.firstStale && seq != bs.first) {
                bs.last = bs.first;
                bs.lastStale = false;
                return;
            }
        }
        bs.firstStale |= seq == bs.first;
        bs.lastStale |= seq == bs.last;
    }

    @Override
    public String toString() {
        return "block " + index + " [" + first + ", " + last + "] msgs=" + msgs;
    }
}
