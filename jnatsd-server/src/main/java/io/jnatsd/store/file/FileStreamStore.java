package io.jnatsd.store.file;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.store.AbstractStreamStore;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.LostStreamData;
import io.jnatsd.store.NatsHeaders;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.SimpleState;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A stream store on disk: append-only message blocks ({@code msgs/<index>.blk}, see {@link Records} and
 * {@link BlockFiles}), an index of the whole state ({@code msgs/index.db}, {@link StreamIndexFile}) written at clean
 * shutdown and every sync interval, and consumer state under {@code obs/}. Layout and recovery are described in
 * {@code docs/storage.md}.
 * <p>
 * Writes append a record to the last block's buffer and write it to the file at once (one write per message, as
 * nats-server does for a standalone stream), fsyncing too with {@code sync: always}; with {@code persist_mode: async}
 * a background flush coalesces writes. Removals other than the store's own limits write a tombstone so that they
 * survive a restart. Sealed blocks are compressed with S2 when the stream asks for it, and blocks that lose more
 * than half of their bytes are rewritten.
 * <p>
 * Recovery trusts {@code index.db} when every block file it lists still has the length it recorded; otherwise it
 * rebuilds the state from the blocks, verifying every record's CRC, truncating torn tails and skipping damaged
 * records (reported as {@link StreamState#lost()} with a warning).
 * <p>
 * Threading: see {@link io.jnatsd.store.StreamStore}; block internals are described in {@link MessageBlock}.
 */
// nats-server: server/filestore.go (design ours; semantics theirs)
public final class FileStreamStore extends AbstractStreamStore {

    private static final NatsLogger LOG = NatsLogger.get(FileStreamStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String MSG_DIR = "msgs";
    static final String CONSUMER_DIR = "obs";
    static final String META_FILE = "meta.inf";
    static final String META_SUM = "meta.sum";
    static final String INDEX_FILE = "index.db";
    /** Blocks are rewritten when they hold more than this many raw bytes and less than half of them are live. */
    static final long COMPACT_MIN_BYTES = 2 * 1024 * 1024;
    static final long MAX_BLOCK_SIZE = 8 * 1024 * 1024;
    static final long MIN_BLOCK_SIZE = 32_000;
    static final long DEFAULT_LARGE_BLOCK = 8 * 1024 * 1024;
    static final long DEFAULT_MEDIUM_BLOCK = 4 * 1024 * 1024;
    static final long MAX_ENCRYPTED_BLOCK = 2 * 1024 * 1024;
    private static final long ASYNC_FLUSH_NANOS = 8_000_000L;
    private static final int ASYNC_FLUSH_BYTES = 16 * 1024;

    /** Where a subject's messages are: how many, and the first and last block holding them (hints). */
    static final class PerSubject {
        long total;
        int firstBlock;
        int lastBlock;

        PerSubject(int block) {
            firstBlock = block;
            lastBlock = block;
        }
    }

    private final Path dir;
    private final Path msgDir;
    private final FileStoreOptions options;
    private final long blockSize;
    private final BlockIo io;
    private final ArrayList<MessageBlock> blocks = new ArrayList<>();
    private final SubjectIndex<PerSubject> psim = new SubjectIndex<>();
    private final ArrayDeque<MessageBlock> loadedLru = new ArrayDeque<>();   // guarded by itself
    private long loadedBytes;                                                // guarded by loadedLru
    private final List<MessageBlock> pendingUnload = new ArrayList<>();      // guarded by loadedLru
    private volatile boolean unloadPending;
    /** Decoded bytes the cache may keep for this stream: a sixteenth of the heap, at least one block. */
    private final long cacheBytes;
    private final CRC32C writeCrc = new CRC32C();
    private final byte[] metaScratch = new byte[64];
    private MessageBlock lmb;
    private long msgs;
    private long bytes;
    private long firstSeq;
    private long firstTs;
    private long lastSeq;
    private long lastTs;
    private LostStreamData lost;
    private ScheduledFuture<?> syncTimer;
    private ScheduledFuture<?> flushTimer;
    private boolean indexDirty = true;
    private String metaJson;

    /**
     * Opens (creating or recovering) the store in {@code dir}.
     *
     * @param dir      the stream's directory ({@code <store>/jetstream/<account>/streams/<stream>})
     * @param metaJson the stream configuration JSON to keep in {@code meta.inf} (null keeps an existing one)
     */
    public static FileStreamStore open(Path dir, StoreConfig config, FileStoreOptions options, String metaJson) {
        return open(dir, config, options, metaJson, StoreEnvironment.system());
    }

    /** As {@link #open(Path, StoreConfig, FileStoreOptions, String)} with another clock and timer. */
    public static FileStreamStore open(Path dir, StoreConfig config, FileStoreOptions options, String metaJson,
                                       StoreEnvironment env) {
        return new FileStreamStore(dir, config, options, metaJson, env, BlockIo.DEFAULT);
    }

    FileStreamStore(Path dir, StoreConfig config, FileStoreOptions options, String metaJson, StoreEnvironment env,
                    BlockIo io) {
        super(checkConfig(config), env);
        this.dir = dir;
        this.msgDir = dir.resolve(MSG_DIR);
        this.options = options == null ? FileStoreOptions.DEFAULTS : options;
        this.io = io;
        this.blockSize = blockSizeFor(config, this.options.encryption() != null);
        this.cacheBytes = Math.max(blockSize, Runtime.getRuntime().maxMemory() / 16);
        this.metaJson = metaJson;
        try {
            Files.createDirectories(msgDir);
            Files.createDirectories(dir.resolve(CONSUMER_DIR));
            if (metaJson != null) {
                writeMeta(metaJson);
            }
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not create storage directory - " + e.getMessage(), e);
        }
        lock.writeLock().lock();
        try {
            recover();
            if (config.firstSeq() > 0 && firstSeq < config.firstSeq() && msgs == 0 && lastSeq < config.firstSeq()) {
                purgeLocked(config.firstSeq());
            }
            enforceMsgLimitLocked();
            enforceBytesLimitLocked();
            if (config.maxMsgsPerSubject() > 0) {
                enforceAllPerSubjectLocked();
            }
            rebuildPerMessageStateLocked(true, false);
            armSyncLocked();
        } catch (RuntimeException e) {
            closeFilesQuietly();
            throw e;
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
        if (config.maxAgeNanos() > 0) {
            expireMessages();
        }
    }

    private static StoreConfig checkConfig(StoreConfig config) {
        if (config.storage() != StorageType.FILE) {
            throw new StoreException(StoreError.BAD_REQUEST, "fileStore requires file storage type in config");
        }
        if (config.blockSizeBytes() > MAX_BLOCK_SIZE) {
            throw new StoreException(StoreError.BAD_REQUEST, "filestore max block size is 8.0 MB");
        }
        return config;
    }

    /** nats-server's block size choice. */
    // nats-server: filestore.go dynBlkSize
    static long blockSizeFor(StoreConfig cfg, boolean encrypted) {
        if (cfg.blockSizeBytes() > 0) {
            return cfg.blockSizeBytes();
        }
        if (cfg.maxBytes() > 0) {
            long blk = cfg.maxBytes() / 4 + 1;
            if (blk % 100 != 0) {
                blk += 100 - blk % 100;
            }
            if (blk <= MIN_BLOCK_SIZE) {
                blk = MIN_BLOCK_SIZE;
            } else if (blk >= MAX_BLOCK_SIZE) {
                blk = MAX_BLOCK_SIZE;
            } else {
                blk = DEFAULT_MEDIUM_BLOCK;
            }
            return encrypted ? Math.min(blk, MAX_ENCRYPTED_BLOCK) : blk;
        }
        if (encrypted) {
            return MAX_ENCRYPTED_BLOCK;
        }
        return cfg.retention() == RetentionPolicy.LIMITS ? DEFAULT_LARGE_BLOCK : DEFAULT_MEDIUM_BLOCK;
    }

    @Override
    public StorageType type() {
        return StorageType.FILE;
    }

    /** The stream's directory. */
    public Path directory() {
        return dir;
    }

    /** The block size in use. */
    long blockSize() {
        return blockSize;
    }

    /** Number of block files. */
    int blockCount() {
        lock.readLock().lock();
        try {
            return blocks.size();
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    // ---- meta ----------------------------------------------------------------------------------------------------

    /** Rewrites {@code meta.inf} (and {@code meta.sum}) with the stream configuration JSON. */
    public void updateMeta(String json) {
        lock.writeLock().lock();
        try {
            checkOpen();
            metaJson = json;
            writeMeta(json);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not write stream meta - " + e.getMessage(), e);
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    /** The JSON kept in {@code meta.inf}, or null. */
    public String meta() {
        return metaJson != null ? metaJson : readMeta(dir);
    }

    /** Reads {@code meta.inf} of a stream directory (null when missing or when its checksum does not match). */
    public static String readMeta(Path dir) {
        try {
            byte[] b = Files.readAllBytes(dir.resolve(META_FILE));
            String sum = Files.readString(dir.resolve(META_SUM)).trim();
            if (!sum.equals(metaSum(b))) {
                LOG.warn("Stream meta checksum mismatch in " + dir);
                return null;
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private void writeMeta(String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        BlockFiles.writeAtomically(dir.resolve(META_FILE), b);
        BlockFiles.writeAtomically(dir.resolve(META_SUM), metaSum(b).getBytes(StandardCharsets.US_ASCII));
    }

    static String metaSum(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return String.format("%08x", crc.getValue());
    }

    // ---- recovery ------------------------------------------------------------------------------------------------

    private void recover() {
        List<Integer> indexes = new ArrayList<>();
        try (Stream<Path> files = Files.list(msgDir)) {
            files.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.endsWith(".blk")) {
                    try {
                        indexes.add(Integer.parseInt(n.substring(0, n.length() - 4)));
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                } else if (n.endsWith(".tmp")) {
                    deleteQuietly(p);
                }
            });
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not read " + msgDir + " - " + e.getMessage(), e);
        }
        Collections.sort(indexes);
        for (int index : indexes) {
            MessageBlock mb = new MessageBlock(index, blockPath(index));
            mb.key = loadBlockKey(index);
            blocks.add(mb);
        }
        StreamIndexFile.State saved = options.encryption() == null ? StreamIndexFile.read(msgDir.resolve(INDEX_FILE))
                : null;
        if (saved != null && saved.matches(blocks, this::fileLength)) {
            saved.apply(this, blocks, psim);
            msgs = saved.msgs();
            bytes = saved.bytes();
            firstSeq = saved.firstSeq();
            firstTs = saved.firstTs();
            lastSeq = saved.lastSeq();
            lastTs = saved.lastTs();
            indexDirty = false;
        } else {
            if (saved != null) {
                LOG.debug("Stream index of " + config.name() + " does not match its blocks, rebuilding");
            }
            rebuildFromBlocks();
            if (saved != null && saved.lastSeq() > lastSeq) {
                // blocks were lost: remember how far the stream had come
                lastSeq = saved.lastSeq();
                lastTs = saved.lastTs();
                if (msgs == 0) {
                    firstSeq = lastSeq + 1;
                    firstTs = 0;
                }
            }
        }
        // the write block
        MessageBlock last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (last == null || last.compressed || last.fileBytes >= blockSize) {
            lmb = newBlockLocked();
        } else {
            lmb = last;
            synchronized (lmb) {
                ensureLoaded(lmb);
                lmb.flushedLen = lmb.dataLen;
            }
            removeFromLru(lmb);
            openForAppend(lmb);
        }
        if (saved == null || !saved.matches(blocks, this::fileLength)) {
            // make the remembered last sequence durable if no record holds it
            long physicalLast = physicalLastSeq();
            if (lastSeq > physicalLast) {
                writeMetaRecordLocked(lastSeq | Records.TOMBSTONE, lastTs, 0);
            }
        }
        if (lost != null) {
            LOG.warn("Stream " + config.name() + " lost " + lost.msgs().length + " messages (" + lost.bytes()
                    + " bytes) recovering from damaged blocks");
        }
    }

    long fileLength(MessageBlock mb) {
        try {
            return Files.size(mb.path);
        } catch (IOException e) {
            return -1;
        }
    }

    private long physicalLastSeq() {
        long max = 0;
        for (MessageBlock mb : blocks) {
            max = Math.max(max, mb.last);
        }
        return max;
    }

    /** Rebuilds every block's summary, the subject index and the stream state by scanning the block files. */
    private void rebuildFromBlocks() {
        List<long[]> tombs = new ArrayList<>();
        List<Long> lostSeqs = new ArrayList<>();
        long[] lostBytes = {0};
        long maxMetaSeq = 0;
        long maxMetaTs = 0;
        for (MessageBlock mb : new ArrayList<>(blocks)) {
            ScanResult r = scanForRecovery(mb, tombs, lostSeqs, lostBytes);
            if (r.maxTombSeq > maxMetaSeq) {
                maxMetaSeq = r.maxTombSeq;
                maxMetaTs = r.maxTombTs;
            }
        }
        // apply tombstones
        for (long[] t : tombs) {
            long seq = t[0];
            MessageBlock mb = blockFor(seq);
            if (mb != null && mb.isLive(seq)) {
                removeForRecovery(mb, seq);
            }
        }
        if (!lostSeqs.isEmpty()) {
            lost = new LostStreamData(lostSeqs.stream().mapToLong(Long::longValue).toArray(), lostBytes[0]);
        }
        msgs = 0;
        bytes = 0;
        lastSeq = 0;
        lastTs = 0;
        for (MessageBlock mb : blocks) {
            msgs += mb.msgs;
            bytes += mb.bytes;
            if (mb.last > lastSeq) {
                lastSeq = mb.last;
                lastTs = mb.lastTs;
            }
        }
        if (maxMetaSeq > lastSeq) {
            lastSeq = maxMetaSeq;
            lastTs = maxMetaTs;
        }
        recomputeFirstLocked(0);
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
        }
    }

    private record ScanResult(long maxTombSeq, long maxTombTs) {
    }

    /** Scans one block file, fixing what can be fixed. */
    private ScanResult scanForRecovery(MessageBlock mb, List<long[]> tombs, List<Long> lostSeqs, long[] lostBytes) {
        byte[] file;
        try {
            file = BlockFiles.readAll(mb.path);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not read " + mb.path + " - " + e.getMessage(), e);
        }
        int flags = BlockFiles.flags(file, file.length);
        mb.compressed = flags > 0 && (flags & BlockFiles.FLAG_COMPRESSED) != 0;
        BlockFiles.Decoded dec = BlockFiles.decode(file, mb.key, mb.path);
        long maxTomb = 0;
        long maxTombTs = 0;
        CRC32C crc = new CRC32C();
        byte[] b = dec.data();
        int end = dec.length();
        int p = 0;
        int validEnd = 0;
        boolean truncateAt = false;
        HashMap<String, long[]> subjects = new HashMap<>();   // subject -> count
        while (p < end) {
            Records.Check c = Records.check(b, p, end, crc);
            if (c == Records.Check.TORN || c == Records.Check.BAD_LENGTH) {
                truncateAt = true;
                break;
            }
            int len = Records.length(b, p);
            long field = Records.seqField(b, p);
            long seq = field & ~Records.FLAGS;
            if (c == Records.Check.CORRUPT) {
                LOG.warn("Damaged record in " + mb.path + " at offset " + p + " (" + len + " bytes) skipped");
                if ((field & Records.FLAGS) == 0 && seq > mb.last && seq < mb.last + 1_000_000_000L) {
                    lostSeqs.add(seq);
                    trackSlot(mb, seq, Records.timestamp(b, p));
                    mb.deleted.add(seq);
                }
                lostBytes[0] += len;
                p += len;
                validEnd = p;
                continue;
            }
            long ts = Records.timestamp(b, p);
            if ((field & Records.TOMBSTONE) != 0) {
                mb.tombstones++;
                tombs.add(new long[] {seq});
                if (seq >= maxTomb) {
                    maxTomb = seq;
                    maxTombTs = ts;
                }
            } else if ((field & Records.SKIP) != 0) {
                long n = Math.max(1, Records.skipCount(b, p));
                trackSlot(mb, seq, ts);
                trackSlot(mb, seq + n - 1, ts);
                mb.deleted.addRange(seq, seq + n - 1);
            } else if (seq <= mb.last && mb.last != 0) {
                LOG.warn("Out of order record " + seq + " in " + mb.path + " skipped");
            } else {
                trackSlot(mb, seq, ts);
                if ((field & Records.ERASED) != 0) {
                    mb.deleted.add(seq);
                } else {
                    mb.msgs++;
                    mb.bytes += len;
                    int sl = Records.subjectLength(b, p);
                    String subject = new String(b, p + Records.HEADER_BYTES, sl, StandardCharsets.UTF_8);
                    if (!subject.isEmpty()) {
                        subjects.computeIfAbsent(subject, k -> new long[1])[0]++;
                    }
                    int hl = Records.headerLength(b, p);
                    if (hl > 0) {
                        int ho = Records.headerOffset(b, p);
                        if (NatsHeaders.valueOffset(b, ho, hl, NatsHeaders.TTL) >= 0) {
                            mb.ttls++;
                        }
                        if (NatsHeaders.valueOffset(b, ho, hl, NatsHeaders.SCHEDULE) >= 0) {
                            mb.schedules++;
                        }
                    }
                }
            }
            p += len;
            validEnd = p;
        }
        boolean damagedTail = truncateAt || dec.damaged();
        if (damagedTail) {
            long keep = dec.damaged() ? dec.validFileBytes() : BlockFiles.HEADER_BYTES + (long) validEnd;
            if (mb.key != null && !mb.compressed && !dec.damaged()) {
                keep = frameBoundary(file, validEnd);
            }
            LOG.warn("Truncating damaged tail of " + mb.path + " at " + keep + " bytes (was " + file.length + ")");
            lostBytes[0] += Math.max(0, file.length - keep);
            if (mb.compressed) {
                // a sealed block is one frame: all or nothing
                quarantine(mb);
                blocks.remove(mb);
                return new ScanResult(maxTomb, maxTombTs);
            }
            try (FileChannel ch = io.open(mb.path, StandardOpenOption.WRITE)) {
                ch.truncate(Math.max(keep, BlockFiles.HEADER_BYTES));
                ch.force(true);
            } catch (IOException e) {
                throw new StoreException(StoreError.IO, "could not truncate " + mb.path + " - " + e.getMessage(), e);
            }
            if (BlockFiles.flags(file, file.length) < 0) {
                rewriteHeader(mb);
            }
        }
        mb.fileBytes = fileLength(mb);
        for (Map.Entry<String, long[]> e : subjects.entrySet()) {
            PerSubject ps = psim.get(e.getKey());
            if (ps == null) {
                ps = new PerSubject(mb.index);
                psim.put(e.getKey(), ps);
            }
            ps.total += e.getValue()[0];
            ps.lastBlock = mb.index;
        }
        return new ScanResult(maxTomb, maxTombTs);
    }

    private static void trackSlot(MessageBlock mb, long seq, long ts) {
        if (mb.first == 0) {
            mb.first = seq;
        }
        if (seq > mb.last) {
            if (mb.last != 0 && seq > mb.last + 1) {
                mb.deleted.addRange(mb.last + 1, seq - 1);
            }
            mb.last = seq;
            mb.lastTs = ts;
        }
    }

    /** File offset of the frame holding plaintext offset {@code plainEnd} (encrypted appendable blocks). */
    private static long frameBoundary(byte[] file, int plainEnd) {
        int p = BlockFiles.HEADER_BYTES;
        int plain = 0;
        while (p + 4 <= file.length && plain < plainEnd) {
            int sealed = Records.getU32(file, p);
            plain += sealed - StoreEncryption.TAG_BYTES;
            p += 4 + sealed;
        }
        return p;
    }

    private void rewriteHeader(MessageBlock mb) {
        try (FileChannel ch = io.open(mb.path, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            BlockFiles.writeFully(ch, ByteBuffer.wrap(BlockFiles.header(mb.key != null
                    ? BlockFiles.FLAG_ENCRYPTED : 0)));
            ch.force(true);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not repair " + mb.path + " - " + e.getMessage(), e);
        }
    }

    private void quarantine(MessageBlock mb) {
        Path bad = mb.path.resolveSibling(mb.path.getFileName() + ".damaged");
        try {
            Files.move(mb.path, bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Damaged sealed block moved to " + bad);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not move damaged " + mb.path, e);
        }
    }

    /** Applies a tombstone found at recovery. */
    private void removeForRecovery(MessageBlock mb, long seq) {
        synchronized (mb) {
            ensureLoaded(mb);
            int pos = mb.position(seq);
            if (pos < 0) {
                return;
            }
            int off = mb.recOff[pos];
            String subject = subjectAt(mb, off);
            mb.deleted.add(seq);
            mb.msgs--;
            mb.bytes -= Records.length(mb.data, off);
            mb.fssRemove(subject, seq);
            decrementSubject(subject);
        }
    }

    // ---- block files ---------------------------------------------------------------------------------------------

    private Path blockPath(int index) {
        return msgDir.resolve(index + ".blk");
    }

    private Path keyPath(int index) {
        return msgDir.resolve(index + ".key");
    }

    private StoreEncryption.DataKey loadBlockKey(int index) {
        Path kp = keyPath(index);
        StoreEncryption enc = options.encryption();
        if (!Files.exists(kp)) {
            return null;
        }
        if (enc == null) {
            throw new StoreException(StoreError.IO, "encrypted store " + dir + " but no encryption key configured");
        }
        try {
            String context = config.name() + ":" + index;
            StoreEncryption.Unwrapped u = enc.unwrap(context, Files.readAllBytes(kp));
            if (u.rewrap()) {
                BlockFiles.writeAtomically(kp, enc.wrap(context, u.key()));
                LOG.notice("Re-keyed block " + index + " of stream " + config.name());
            }
            return u.key();
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not read " + kp + " - " + e.getMessage(), e);
        }
    }

    private MessageBlock newBlockLocked() {
        int index = blocks.isEmpty() ? 1 : blocks.get(blocks.size() - 1).index + 1;
        MessageBlock mb = new MessageBlock(index, blockPath(index));
        try {
            StoreEncryption enc = options.encryption();
            if (enc != null) {
                mb.key = enc.newDataKey();
                BlockFiles.writeAtomically(keyPath(index), enc.wrap(config.name() + ":" + index, mb.key));
            }
            try (FileChannel ch = io.open(mb.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                BlockFiles.writeFully(ch, ByteBuffer.wrap(BlockFiles.header(mb.key != null
                        ? BlockFiles.FLAG_ENCRYPTED : 0)));
                if (options.syncAlways()) {
                    ch.force(true);
                }
            }
            if (options.syncAlways()) {
                BlockFiles.syncDirectory(msgDir);
            }
        } catch (IOException e) {
            deleteQuietly(mb.path);
            deleteQuietly(keyPath(index));
            throw new StoreException(StoreError.IO, "could not create block " + mb.path + " - " + e.getMessage(), e);
        }
        mb.fileBytes = BlockFiles.HEADER_BYTES;
        synchronized (mb) {
            mb.data = new byte[4096];
            mb.fss = new HashMap<>();
        }
        openForAppend(mb);
        blocks.add(mb);
        return mb;
    }

    private void openForAppend(MessageBlock mb) {
        try {
            mb.channel = io.open(mb.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not open " + mb.path + " - " + e.getMessage(), e);
        }
    }

    /** Loads the block's records into memory if needed. Block monitor held. */
    private void ensureLoaded(MessageBlock mb) {
        if (mb.data != null) {
            touchLru(mb);
            return;
        }
        byte[] file;
        try {
            file = BlockFiles.readAll(mb.path);
        } catch (NoSuchFileException e) {
            file = BlockFiles.header(0);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not read " + mb.path + " - " + e.getMessage(), e);
        }
        BlockFiles.Decoded dec = BlockFiles.decode(file, mb.key, mb.path);
        mb.data = dec.data();
        mb.dataLen = dec.length();
        mb.recCount = 0;
        mb.recSeq = null;
        mb.recOff = null;
        CRC32C crc = new CRC32C();
        int p = 0;
        while (p < mb.dataLen) {
            Records.Check c = Records.check(mb.data, p, mb.dataLen, crc);
            if (c == Records.Check.TORN || c == Records.Check.BAD_LENGTH) {
                break;
            }
            int len = Records.length(mb.data, p);
            long field = Records.seqField(mb.data, p);
            if (c == Records.Check.OK && (field & (Records.SKIP | Records.TOMBSTONE)) == 0) {
                long seq = field & ~Records.FLAGS;
                if (mb.recCount == 0 || seq > mb.recSeq[mb.recCount - 1]) {
                    mb.indexRecord(seq, p);
                }
            }
            p += len;
        }
        if (mb != lmb) {
            addToLru(mb);
        }
    }

    /** Builds the block's per-subject counts if needed. Block monitor held. */
    private void ensureFss(MessageBlock mb) {
        ensureLoaded(mb);
        if (mb.fss != null) {
            return;
        }
        HashMap<String, MessageBlock.BlockSubject> fss = new HashMap<>();
        byte[] prevBytes = null;
        String prev = null;
        for (int i = 0; i < mb.recCount; i++) {
            long seq = mb.recSeq[i];
            if (!mb.isLive(seq)) {
                continue;
            }
            int off = mb.recOff[i];
            int sl = Records.subjectLength(mb.data, off);
            int so = off + Records.HEADER_BYTES;
            String subject;
            if (prevBytes != null && Arrays.equals(prevBytes, 0, prevBytes.length, mb.data, so, so + sl)) {
                subject = prev;
            } else {
                prevBytes = Arrays.copyOfRange(mb.data, so, so + sl);
                subject = new String(prevBytes, StandardCharsets.UTF_8);
                prev = subject;
            }
            MessageBlock.BlockSubject bs = fss.get(subject);
            if (bs == null) {
                fss.put(subject, new MessageBlock.BlockSubject(seq));
            } else {
                bs.msgs++;
                bs.last = seq;
            }
        }
        mb.fss = fss;
    }

    /** A block subject's state with first/last corrected. Block monitor held, fss loaded. */
    private MessageBlock.BlockSubject blockSubject(MessageBlock mb, String subject) {
        MessageBlock.BlockSubject bs = mb.fss.get(subject);
        if (bs != null && (bs.firstStale || bs.lastStale)) {
            byte[] sb = subject.getBytes(StandardCharsets.UTF_8);
            if (bs.firstStale) {
                for (int i = mb.positionAtOrAfter(bs.first + 1); i < mb.recCount; i++) {
                    long seq = mb.recSeq[i];
                    if (mb.isLive(seq) && subjectEquals(mb, mb.recOff[i], sb)) {
                        bs.first = seq;
                        break;
                    }
                }
                bs.firstStale = false;
            }
            if (bs.lastStale) {
                for (int i = mb.positionAtOrAfter(bs.last) - 1; i >= 0; i--) {
                    long seq = mb.recSeq[i];
                    if (mb.isLive(seq) && subjectEquals(mb, mb.recOff[i], sb)) {
                        bs.last = seq;
                        break;
                    }
                }
                bs.lastStale = false;
            }
        }
        return bs;
    }

    private static boolean subjectEquals(MessageBlock mb, int off, byte[] subject) {
        int sl = Records.subjectLength(mb.data, off);
        int so = off + Records.HEADER_BYTES;
        return sl == subject.length && Arrays.equals(mb.data, so, so + sl, subject, 0, sl);
    }

    private static String subjectAt(MessageBlock mb, int off) {
        return new String(mb.data, off + Records.HEADER_BYTES, Records.subjectLength(mb.data, off),
                StandardCharsets.UTF_8);
    }

    /**
     * Puts a loaded block at the young end of the cache and unloads the oldest ones beyond {@code cacheBlocks} or
     * beyond {@link #cacheBytes} (the youngest block always stays).
     */
    private void addToLru(MessageBlock mb) {
        long charge;
        if (Thread.holdsLock(mb)) {
            charge = mb.data == null ? 0 : mb.data.length;
        } else {
            synchronized (mb) {
                charge = mb.data == null ? 0 : mb.data.length;
            }
        }
        List<MessageBlock> evicted = null;
        synchronized (loadedLru) {
            if (loadedLru.remove(mb)) {
                loadedBytes -= mb.cacheCharge;
            }
            loadedLru.addLast(mb);
            mb.cacheCharge = charge;
            loadedBytes += charge;
            while (loadedLru.size() > options.cacheBlocks() || (loadedLru.size() > 1 && loadedBytes > cacheBytes)) {
                MessageBlock evict = loadedLru.pollFirst();
                loadedBytes -= evict.cacheCharge;
                if (evicted == null) {
                    evicted = new ArrayList<>(2);
                }
                evicted.add(evict);
            }
        }
        if (evicted == null) {
            return;
        }
        if (Thread.holdsLock(mb)) {
            // never wait for another block's monitor while holding one: the store unloads them before it
            // releases its lock (releaseEvicted)
            synchronized (loadedLru) {
                pendingUnload.addAll(evicted);
                unloadPending = true;
            }
            return;
        }
        for (MessageBlock evict : evicted) {
            if (evict != lmb) {
                synchronized (evict) {
                    evict.unload();
                }
            }
        }
    }

    /**
     * Unloads the blocks evicted from the cache while a block monitor was held. Called with the store lock held
     * and no block monitor, before the lock is released.
     */
    private void releaseEvicted() {
        if (!unloadPending) {
            return;
        }
        List<MessageBlock> unload;
        synchronized (loadedLru) {
            unload = new ArrayList<>(pendingUnload);
            pendingUnload.clear();
            unloadPending = false;
        }
        for (MessageBlock evict : unload) {
            synchronized (evict) {
                boolean cachedAgain;
                synchronized (loadedLru) {
                    cachedAgain = loadedLru.contains(evict);
                }
                if (evict != lmb && !cachedAgain) {
                    evict.unload();
                }
            }
        }
    }

    private void touchLru(MessageBlock mb) {
        if (mb == lmb) {
            return;
        }
        synchronized (loadedLru) {
            if (loadedLru.peekLast() != mb && loadedLru.remove(mb)) {
                loadedLru.addLast(mb);
            }
        }
    }

    private void removeFromLru(MessageBlock mb) {
        synchronized (loadedLru) {
            if (loadedLru.remove(mb)) {
                loadedBytes -= mb.cacheCharge;
            }
        }
    }

    /** The block holding sequence {@code seq} in its range, or null. */
    private MessageBlock blockFor(long seq) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MessageBlock mb = blocks.get(mid);
            if (mb.first == 0) {
                // a block without slots: search linearly around it
                for (MessageBlock b : blocks) {
                    if (b.first != 0 && seq >= b.first && seq <= b.last) {
                        return b;
                    }
                }
                return null;
            }
            if (seq < mb.first) {
                hi = mid - 1;
            } else if (seq > mb.last) {
                lo = mid + 1;
            } else {
                return mb;
            }
        }
        return null;
    }

    /** Position in {@link #blocks} of the first block whose range ends at or after {@code seq}. */
    private int blockPositionFrom(long seq) {
        int lo = 0;
        int hi = blocks.size() - 1;
        int best = blocks.size();
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MessageBlock mb = blocks.get(mid);
            if (mb.first == 0) {
                // a block without slots: fall back to a linear search
                for (int i = 0; i < blocks.size(); i++) {
                    MessageBlock b = blocks.get(i);
                    if (b.first != 0 && b.last >= seq) {
                        return i;
                    }
                }
                return blocks.size();
            }
            if (mb.last >= seq) {
                best = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return best;
    }

    private MessageBlock blockByIndex(int index) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int idx = blocks.get(mid).index;
            if (idx < index) {
                lo = mid + 1;
            } else if (idx > index) {
                hi = mid - 1;
            } else {
                return blocks.get(mid);
            }
        }
        return null;
    }

    private int positionOfIndex(int index) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).index >= index) {
                return i;
            }
        }
        return blocks.size();
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    @Override
    // nats-server: filestore.go UpdateConfig
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
                enforceAllPerSubjectLocked();
            }
            if (cfg.asyncPersist() != old.asyncPersist()) {
                flushLocked(lmb);
            }
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
        if (cfg.maxAgeNanos() != 0 || cfg.allowMsgTtl()) {
            expireMessages();
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    @Override
    public long storeMessage(String subject, byte[] header, byte[] payload, long ttlSeconds) {
        long seq;
        long size;
        lock.writeLock().lock();
        try {
            seq = storeLocked(subject, header, payload, 0, env.nowNanos(), ttlSeconds, true);
            size = recordSize(subject, header, payload);
        } finally {
            releaseEvicted();
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
            size = recordSize(subject, header, payload);
        } finally {
            releaseEvicted();
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

    private static long recordSize(String subject, byte[] header, byte[] payload) {
        return Records.size(Records.utf8Length(subject), header == null ? 0 : header.length,
                payload == null ? 0 : payload.length);
    }

    // nats-server: filestore.go storeRawMsg
    private long storeLocked(String subject, byte[] header, byte[] payload, long seq, long ts, long ttl,
                             boolean discardNewCheck) {
        checkOpen();
        StoreConfig cfg = config;
        int hl = header == null ? 0 : header.length;
        int pl = payload == null ? 0 : payload.length;
        int sl = Records.utf8Length(subject);
        long rl = Records.size(sl, hl, pl);
        if (rl > Records.MAX_RECORD_BYTES || sl > 0xFFFF) {
            throw new StoreException(StoreError.MSG_TOO_LARGE);
        }
        PerSubject ps = subject.isEmpty() ? null : psim.get(subject);
        boolean atSubjectLimit = ps != null && cfg.maxMsgsPerSubject() > 0 && ps.total >= cfg.maxMsgsPerSubject();
        if (discardNewCheck && cfg.discard() == DiscardPolicy.NEW) {
            if (atSubjectLimit && cfg.discardNewPerSubject()
                    && NatsHeaders.valueOffset(header, 0, hl, NatsHeaders.ROLLUP) < 0) {
                throw new StoreException(StoreError.MAX_MSGS_PER_SUBJECT);
            }
            if (cfg.maxMsgs() > 0 && msgs >= cfg.maxMsgs() && !atSubjectLimit) {
                throw new StoreException(StoreError.MAX_MSGS);
            }
            if (cfg.maxBytes() > 0 && bytes + rl > cfg.maxBytes()) {
                if (!atSubjectLimit) {
                    throw new StoreException(StoreError.MAX_BYTES);
                }
                long oldest = firstSeqOfSubjectLocked(subject, ps);
                StoredMessage sm = oldest > 0 ? loadLocked(oldest, new StoredMessage()) : null;
                if (sm == null || recordSize(subject, sm.header(), sm.payload()) < rl) {
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
        MessageBlock mb = blockForAppend(rl);
        int off;
        synchronized (mb) {
            mb.ensureData((int) rl, blockSize);
            off = mb.dataLen;
            Records.write(mb.data, off, seq, ts, subject, sl, header, payload, writeCrc);
            appendToFile(mb, off, (int) rl);          // throws before any state changes
            mb.dataLen += (int) rl;
            mb.indexRecord(seq, off);
            mb.fssAdd(subject, seq);
        }
        if (mb.first == 0) {
            mb.first = seq;
        }
        mb.last = seq;
        mb.lastTs = ts;
        mb.msgs++;
        mb.bytes += rl;
        if (ttl != 0) {
            mb.ttls++;
        }
        if (hl > 0 && config.allowMsgSchedules()
                && NatsHeaders.valueOffset(header, 0, hl, NatsHeaders.SCHEDULE) >= 0) {
            mb.schedules++;
        }
        if (msgs == 0) {
            firstSeq = seq;
            firstTs = ts;
        }
        msgs++;
        bytes += rl;
        lastSeq = seq;
        lastTs = ts;
        indexDirty = true;
        if (!subject.isEmpty()) {
            if (ps == null) {
                ps = new PerSubject(mb.index);
                psim.put(subject, ps);
            }
            ps.total++;
            ps.lastBlock = mb.index;
            if (cfg.maxMsgsPerSubject() > 0 && ps.total > cfg.maxMsgsPerSubject()) {
                enforcePerSubjectLocked(subject, ps);
            }
        }
        enforceMsgLimitLocked();
        enforceBytesLimitLocked();
        onStoredLocked(seq, subject, header, ts, ttl);
        return seq;
    }

    /** The write block, rolled to a new one when the record would not fit. */
    private MessageBlock blockForAppend(long rl) {
        MessageBlock mb = lmb;
        long encoded = rl + (mb.key != null ? 4 + StoreEncryption.TAG_BYTES : 0);
        if (mb.fileBytes + encoded > blockSize && mb.fileBytes > BlockFiles.HEADER_BYTES) {
            sealLocked(mb);
            lmb = newBlockLocked();
            mb = lmb;
        }
        return mb;
    }

    /** Writes {@code mb.data[off, off+len)} to the block file (unless asynchronous). Block monitor held. */
    private void appendToFile(MessageBlock mb, int off, int len) {
        if (config.asyncPersist() && !options.syncAlways()) {
            mb.fileBytes += len + (mb.key != null ? 4 + StoreEncryption.TAG_BYTES : 0);
            armFlushLocked(mb);
            return;
        }
        long before = mb.fileBytes;
        try {
            if (mb.flushedLen < off) {
                writePending(mb, off);
            }
            byte[] frame = mb.key != null ? BlockFiles.frame(mb.data, off, len, mb.key, mb.fileBytes) : null;
            ByteBuffer buf = frame != null ? ByteBuffer.wrap(frame) : ByteBuffer.wrap(mb.data, off, len);
            int n = buf.remaining();
            BlockFiles.writeFully(mb.channel, buf);
            mb.fileBytes += n;
            mb.flushedLen = off + len;
            if (options.syncAlways()) {
                mb.channel.force(false);
            } else {
                mb.needSync = true;
            }
        } catch (IOException e) {
            rollbackFile(mb, before);
            throw writeError(mb, e);
        }
    }

    /** Writes the pending (asynchronous) part of the write block up to {@code end}. Block monitor held. */
    private void writePending(MessageBlock mb, int end) throws IOException {
        int p = mb.flushedLen;
        if (mb.key == null) {
            BlockFiles.writeFully(mb.channel, ByteBuffer.wrap(mb.data, p, end - p));
        } else {
            long fileOff = mb.channel.size();
            while (p < end) {
                int rl = Records.length(mb.data, p);
                byte[] f = BlockFiles.frame(mb.data, p, rl, mb.key, fileOff);
                BlockFiles.writeFully(mb.channel, ByteBuffer.wrap(f));
                fileOff += f.length;
                p += rl;
            }
        }
        mb.flushedLen = end;
        mb.needSync = true;
    }

    private void rollbackFile(MessageBlock mb, long length) {
        try {
            mb.channel.truncate(length);
        } catch (IOException ignored) {
            // the next recovery truncates the torn tail
        }
    }

    private StoreException writeError(MessageBlock mb, IOException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.error("Error writing to " + mb.path + ": " + msg);
        return new StoreException(StoreError.IO, msg, e);
    }

    private void armFlushLocked(MessageBlock mb) {
        if (mb.dataLen + 0L - mb.flushedLen >= ASYNC_FLUSH_BYTES) {
            flushLocked(mb);
            return;
        }
        if (flushTimer == null || flushTimer.isDone()) {
            flushTimer = env.timer().schedule(() -> env.worker().execute(this::flushAllPending), ASYNC_FLUSH_NANOS,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Writes what is pending in {@code mb}. Write lock held. */
    private void flushLocked(MessageBlock mb) {
        if (mb == null || mb.channel == null) {
            return;
        }
        synchronized (mb) {
            if (mb.flushedLen < mb.dataLen) {
                long before = mb.flushedLen;
                try {
                    writePending(mb, mb.dataLen);
                    if (options.syncAlways()) {
                        mb.channel.force(false);
                    }
                } catch (IOException e) {
                    throw writeError(mb, e);
                }
                if (before == mb.flushedLen) {
                    return;
                }
            }
        }
    }

    /** Writes a skip or tombstone record into the write block. Write lock held. */
    private void writeMetaRecordLocked(long seqAndFlags, long ts, long skipCount) {
        int rl = Records.HEADER_BYTES + ((seqAndFlags & Records.SKIP) != 0 ? 8 : 0) + Records.TRAILER_BYTES;
        MessageBlock mb = blockForAppend(rl);
        synchronized (mb) {
            mb.ensureData(rl, blockSize);
            int off = mb.dataLen;
            Records.writeMeta(mb.data, off, seqAndFlags, ts, skipCount, writeCrc);
            appendToFile(mb, off, rl);
            mb.dataLen += rl;
        }
        if ((seqAndFlags & Records.TOMBSTONE) != 0) {
            mb.tombstones++;
        }
        indexDirty = true;
    }

    /** Seals a full write block: flush, sync, optionally compress. Write lock held. */
    private void sealLocked(MessageBlock mb) {
        flushLocked(mb);
        try {
            if (mb.channel != null) {
                if (options.syncAlways()) {
                    mb.channel.force(false);
                }
                mb.channel.close();
                mb.channel = null;
                mb.needSync = false;
            }
        } catch (IOException e) {
            throw writeError(mb, e);
        }
        if (config.compression() == StoreCompression.S2) {
            synchronized (mb) {
                byte[] sealed = BlockFiles.encodeSealed(mb.data, mb.dataLen, mb.key);
                try {
                    io.replace(mb.path, sealed, options.syncAlways());
                    mb.compressed = true;
                    mb.fileBytes = sealed.length;
                } catch (IOException e) {
                    LOG.warn("Could not compress block " + mb.path + ": " + e.getMessage());
                }
            }
        }
        addToLru(mb);
    }

    @Override
    public long skipMessage(long seq) {
        return skip(seq, false);
    }

    @Override
    public long skipMessageNoInterest(long seq) {
        return skip(seq, true);
    }

    // nats-server: filestore.go skipMsg
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
            long ts = noInterest || lastTs == 0 ? env.nowNanos() : lastTs;
            writeSkipLocked(seq, 1, ts);
            lastTs = ts;
            return seq;
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    private void writeSkipLocked(long seq, long num, long ts) {
        writeMetaRecordLocked(seq | Records.SKIP, ts, num);
        MessageBlock mb = lmb;
        if (mb.first == 0) {
            mb.first = seq;
        }
        mb.deleted.addRange(seq, seq + num - 1);
        mb.last = seq + num - 1;
        mb.lastTs = ts;
        lastSeq = seq + num - 1;
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
        }
    }

    @Override
    // nats-server: filestore.go SkipMsgs
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
            long ts = lastTs == 0 ? env.nowNanos() : lastTs;
            writeSkipLocked(seq, num, ts);
            lastTs = ts;
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    @Override
    public void flushAllPending() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            flushLocked(lmb);
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    // ---- limits --------------------------------------------------------------------------------------------------

    private void enforceMsgLimitLocked() {
        StoreConfig cfg = config;
        if (cfg.discard() != DiscardPolicy.OLD || cfg.maxMsgs() <= 0) {
            return;
        }
        while (msgs > cfg.maxMsgs()) {
            if (!removeLocked(firstSeq, false, true)) {
                throw new IllegalStateException("file store has inconsistent state, can't find first seq msg");
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
                throw new IllegalStateException("file store has inconsistent state, can't find first seq msg");
            }
        }
    }

    private void enforcePerSubjectLocked(String subject, PerSubject ps) {
        long maxp = config.maxMsgsPerSubject();
        while (maxp > 0 && ps.total > maxp) {
            long first = firstSeqOfSubjectLocked(subject, ps);
            if (first <= 0 || !removeLocked(first, false, true)) {
                break;
            }
        }
    }

    private void enforceAllPerSubjectLocked() {
        long maxp = config.maxMsgsPerSubject();
        List<String> over = new ArrayList<>();
        psim.forEach((s, ps) -> {
            if (ps.total > maxp) {
                over.add(s);
            }
            return true;
        });
        for (String s : over) {
            PerSubject ps = psim.get(s);
            if (ps != null) {
                enforcePerSubjectLocked(s, ps);
            }
        }
    }

    /** First sequence of {@code subject}, correcting the first-block hint. Lock held. */
    private long firstSeqOfSubjectLocked(String subject, PerSubject ps) {
        for (int i = positionOfIndex(ps.firstBlock); i < blocks.size(); i++) {
            MessageBlock mb = blocks.get(i);
            if (mb.msgs == 0) {
                continue;
            }
            synchronized (mb) {
                ensureFss(mb);
                MessageBlock.BlockSubject bs = blockSubject(mb, subject);
                if (bs != null) {
                    ps.firstBlock = mb.index;
                    return bs.first;
                }
            }
        }
        return 0;
    }

    /** Last sequence of {@code subject} at or below {@code max}, using the last-block hint. Lock held. */
    private long lastSeqOfSubjectLocked(String subject, PerSubject ps, long max) {
        int from = Math.min(positionOfIndex(ps.lastBlock), blocks.size() - 1);
        if (from < blocks.size() - 1 && blocks.get(from).index != ps.lastBlock) {
            from = blocks.size() - 1;
        }
        for (int i = from; i >= 0; i--) {
            MessageBlock mb = blocks.get(i);
            if (mb.msgs == 0 || mb.first > max) {
                continue;
            }
            synchronized (mb) {
                ensureFss(mb);
                MessageBlock.BlockSubject bs = blockSubject(mb, subject);
                if (bs == null) {
                    continue;
                }
                if (max >= lastSeq) {
                    ps.lastBlock = mb.index;
                }
                if (bs.last <= max) {
                    return bs.last;
                }
                if (bs.first > max) {
                    continue;
                }
                byte[] sb = subject.getBytes(StandardCharsets.UTF_8);
                for (int k = mb.positionAtOrAfter(max + 1) - 1; k >= 0; k--) {
                    long seq = mb.recSeq[k];
                    if (mb.isLive(seq) && subjectEquals(mb, mb.recOff[k], sb)) {
                        return seq;
                    }
                }
            }
        }
        return 0;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    @Override
    public StoredMessage loadMessage(long seq, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadLocked(seq, into);
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    protected StoredMessage loadLocked(long seq, StoredMessage into) {
        MessageBlock mb = blockFor(seq);
        if (mb == null || !mb.isLive(seq)) {
            return null;
        }
        synchronized (mb) {
            ensureLoaded(mb);
            int pos = mb.position(seq);
            return pos < 0 ? null : fill(mb, mb.recOff[pos], into);
        }
    }

    /** Fills {@code into} from the record at {@code off}. Block monitor held. */
    private static StoredMessage fill(MessageBlock mb, int off, StoredMessage into) {
        StoredMessage sm = into == null ? new StoredMessage() : into;
        byte[] b = mb.data;
        sm.subjectFromBytes(b, off + Records.HEADER_BYTES, Records.subjectLength(b, off));
        int hl = Records.headerLength(b, off);
        int po = Records.payloadOffset(b, off);
        int pl = Records.payloadLength(b, off);
        byte[] dst = sm.ensureCapacity(hl + pl);
        if (hl > 0) {
            System.arraycopy(b, Records.headerOffset(b, off), dst, 0, hl);
        }
        System.arraycopy(b, po, dst, hl, pl);
        sm.setLengths(hl, pl, Records.seq(b, off), Records.timestamp(b, off));
        return sm;
    }

    @Override
    public StoredMessage loadNextMessage(SubjectFilter filter, long start, StoredMessage into) {
        lock.readLock().lock();
        try {
            return loadNextLocked(filter, start, into);
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: filestore.go LoadNextMsg, LoadNextMsgMulti, msgBlock.firstMatching
    protected StoredMessage loadNextLocked(SubjectFilter filter, long start, StoredMessage into) {
        if (start < firstSeq) {
            start = firstSeq;
        }
        if (start > lastSeq || msgs == 0) {
            return null;
        }
        int from = blockPositionFrom(start);
        int to = blocks.size() - 1;
        String literal = null;
        byte[] literalBytes = null;
        if (!filter.isAll() && filter.isLiteral() && filter.size() == 1) {
            literal = filter.filter(0);
            PerSubject ps = psim.get(literal);
            if (ps == null) {
                return null;
            }
            from = Math.max(from, positionOfIndex(ps.firstBlock));
            literalBytes = literal.getBytes(StandardCharsets.UTF_8);
        }
        for (int i = from; i <= to; i++) {
            MessageBlock mb = blocks.get(i);
            if (mb.msgs == 0 || mb.last < start) {
                continue;
            }
            releaseEvicted();
            if (filter.isAll()) {
                long seq = mb.firstLive(start);
                if (seq < 0) {
                    continue;
                }
                synchronized (mb) {
                    ensureLoaded(mb);
                    int pos = mb.position(seq);
                    if (pos >= 0) {
                        return fill(mb, mb.recOff[pos], into);
                    }
                }
                continue;
            }
            synchronized (mb) {
                long scanFrom = start;
                if (literal != null) {
                    ensureFss(mb);
                    MessageBlock.BlockSubject bs = blockSubject(mb, literal);
                    if (bs == null || bs.last < start) {
                        continue;
                    }
                    scanFrom = Math.max(start, bs.first);
                } else {
                    ensureLoaded(mb);
                }
                for (int k = mb.positionAtOrAfter(scanFrom); k < mb.recCount; k++) {
                    long seq = mb.recSeq[k];
                    if (!mb.isLive(seq)) {
                        continue;
                    }
                    int off = mb.recOff[k];
                    int sl = Records.subjectLength(mb.data, off);
                    int so = off + Records.HEADER_BYTES;
                    boolean match = literalBytes != null
                            ? sl == literalBytes.length && Arrays.equals(mb.data, so, so + sl, literalBytes, 0, sl)
                            : filter.matches(mb.data, so, sl);
                    if (match) {
                        return fill(mb, off, into);
                    }
                }
            }
        }
        return null;
    }

    @Override
    // nats-server: filestore.go LoadPrevMsg, msgBlock.prevMatching
    public StoredMessage loadPrevMessage(SubjectFilter filter, long start, StoredMessage into) {
        lock.readLock().lock();
        try {
            if (msgs == 0 || start < firstSeq) {
                return null;
            }
            if (start > lastSeq) {
                start = lastSeq;
            }
            for (int i = blocks.size() - 1; i >= 0; i--) {
                MessageBlock mb = blocks.get(i);
                if (mb.msgs == 0 || mb.first > start) {
                    continue;
                }
                synchronized (mb) {
                    ensureLoaded(mb);
                    for (int k = mb.positionAtOrAfter(start + 1) - 1; k >= 0; k--) {
                        long seq = mb.recSeq[k];
                        if (!mb.isLive(seq)) {
                            continue;
                        }
                        int off = mb.recOff[k];
                        if (filter.matches(mb.data, off + Records.HEADER_BYTES, Records.subjectLength(mb.data, off))) {
                            return fill(mb, off, into);
                        }
                    }
                }
            }
            return null;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: filestore.go loadLastLocked
    public StoredMessage loadLastMessage(String subject, StoredMessage into) {
        lock.readLock().lock();
        try {
            long seq = 0;
            if (SubjectMatch.isAll(subject)) {
                for (int i = blocks.size() - 1; i >= 0 && seq <= 0; i--) {
                    seq = blocks.get(i).lastLive(lastSeq);
                }
            } else if (SubjectMatch.isLiteral(subject)) {
                PerSubject ps = psim.get(subject);
                if (ps != null) {
                    seq = lastSeqOfSubjectLocked(subject, ps, lastSeq);
                }
            } else {
                long[] best = {0};
                psim.match(subject, (s, ps) -> {
                    best[0] = Math.max(best[0], lastSeqOfSubjectLocked(s, ps, lastSeq));
                    return true;
                });
                seq = best[0];
            }
            return seq > 0 ? loadLocked(seq, into) : null;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public String subjectForSequence(long seq) {
        lock.readLock().lock();
        try {
            MessageBlock mb = blockFor(seq);
            if (mb == null || !mb.isLive(seq)) {
                return null;
            }
            synchronized (mb) {
                ensureLoaded(mb);
                int pos = mb.position(seq);
                return pos < 0 ? null : subjectAt(mb, mb.recOff[pos]);
            }
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: filestore.go GetSeqFromTime
    public long sequenceFromTime(long epochNanos) {
        lock.readLock().lock();
        try {
            if (msgs == 0) {
                return lastSeq + 1;
            }
            if (epochNanos <= firstTs) {
                return firstSeq;
            }
            // find the first block whose last message is at or after the time, then scan it
            StoredMessage sm = new StoredMessage();
            for (MessageBlock mb : blocks) {
                if (mb.msgs == 0) {
                    continue;
                }
                long l = mb.lastLive(mb.last);
                if (l < 0 || loadLocked(l, sm) == null || sm.timestampNanos() < epochNanos) {
                    continue;
                }
                synchronized (mb) {
                    ensureLoaded(mb);
                    for (int k = 0; k < mb.recCount; k++) {
                        long seq = mb.recSeq[k];
                        if (mb.isLive(seq) && Records.timestamp(mb.data, mb.recOff[k]) >= epochNanos) {
                            return seq;
                        }
                    }
                }
            }
            return lastSeq + 1;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    // ---- removing ------------------------------------------------------------------------------------------------

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
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    @Override
    protected boolean removeLocked(long seq, boolean secure, boolean viaLimits) {
        return removeLocked(seq, secure, viaLimits, true);
    }

    /**
     * Removes a live message. Non-limit removals write a tombstone first (an error leaves the message in place).
     * Write lock held.
     */
    // nats-server: filestore.go removeMsg / removeMsgFromBlock
    private boolean removeLocked(long seq, boolean secure, boolean viaLimits, boolean notify) {
        MessageBlock mb = blockFor(seq);
        if (mb == null || !mb.isLive(seq)) {
            return false;
        }
        if (!viaLimits || secure) {
            writeMetaRecordLocked(seq | Records.TOMBSTONE, env.nowNanos(), 0);
        }
        String subject;
        int len;
        synchronized (mb) {
            ensureLoaded(mb);
            int pos = mb.position(seq);
            if (pos < 0) {
                return false;
            }
            int off = mb.recOff[pos];
            subject = subjectAt(mb, off);
            len = Records.length(mb.data, off);
            if (secure) {
                eraseInBlock(mb, off, len);
            }
            mb.deleted.add(seq);
            mb.msgs--;
            mb.bytes -= len;
            mb.fssRemove(subject, seq);
        }
        msgs--;
        bytes -= len;
        indexDirty = true;
        decrementSubject(subject);
        if (seq == firstSeq) {
            recomputeFirstLocked(seq + 1);
        }
        if (notify) {
            notifyLocked(-1, -len, seq, subject);
        }
        onRemovedLocked(seq, subject);
        if (mb.msgs == 0 && mb != lmb) {
            removeBlockLocked(mb);
        } else if (mb != lmb && mb.fileBytes > COMPACT_MIN_BYTES && mb.bytes * 2 < mb.fileBytes) {
            compactBlockLocked(mb);
        }
        return true;
    }

    /** Overwrites a record's payload with random bytes and marks it erased, in memory and in place on disk. */
    private void eraseInBlock(MessageBlock mb, int off, int len) {
        int po = Records.payloadOffset(mb.data, off);
        int pl = Records.payloadLength(mb.data, off);
        byte[] rnd = new byte[pl];
        RANDOM.nextBytes(rnd);
        System.arraycopy(rnd, 0, mb.data, po, pl);
        Records.setSeqField(mb.data, off, Records.seqField(mb.data, off) | Records.ERASED);
        Records.seal(mb.data, off, len, new CRC32C());
        if (mb.key != null) {
            return;                                 // encrypted: the tombstone is the delete (frames are immutable)
        }
        if (mb.compressed) {
            compactBlockLocked(mb);                 // rewriting the sealed block drops the record
            return;
        }
        if (mb == lmb && off >= mb.flushedLen) {
            return;                                 // not written yet
        }
        try (FileChannel ch = io.open(mb.path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(mb.data, off, len), BlockFiles.HEADER_BYTES + (long) off);
            if (options.syncAlways()) {
                ch.force(false);
            }
        } catch (IOException e) {
            throw writeError(mb, e);
        }
    }

    private void decrementSubject(String subject) {
        if (subject.isEmpty()) {
            return;
        }
        PerSubject ps = psim.get(subject);
        if (ps != null && --ps.total <= 0) {
            psim.remove(subject);
        }
    }

    /** Moves {@link #firstSeq} to the first live message at or after {@code from}. Write lock held. */
    private void recomputeFirstLocked(long from) {
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
            return;
        }
        for (MessageBlock mb : blocks) {
            if (mb.msgs == 0 || mb.last < from) {
                continue;
            }
            long seq = mb.firstLive(from);
            if (seq > 0) {
                firstSeq = seq;
                synchronized (mb) {
                    ensureLoaded(mb);
                    int pos = mb.position(seq);
                    firstTs = pos < 0 ? 0 : Records.timestamp(mb.data, mb.recOff[pos]);
                }
                return;
            }
        }
        firstSeq = lastSeq + 1;
        firstTs = 0;
    }

    /**
     * Deletes an emptied block, first copying into the write block the tombstones it holds that still matter
     * (for messages in blocks that remain). Write lock held.
     */
    private void removeBlockLocked(MessageBlock mb) {
        if (mb.tombstones > 0) {
            for (long[] t : neededTombstones(mb)) {
                writeMetaRecordLocked(t[0] | Records.TOMBSTONE, t[1], 0);
            }
        }
        closeChannel(mb);
        synchronized (mb) {
            mb.unload();
        }
        removeFromLru(mb);
        blocks.remove(mb);
        deleteQuietly(mb.path);
        deleteQuietly(keyPath(mb.index));
        indexDirty = true;
    }

    /** Tombstones of {@code mb} whose message is still stored in another block. Write lock held. */
    private List<long[]> neededTombstones(MessageBlock mb) {
        List<long[]> out = new ArrayList<>();
        synchronized (mb) {
            ensureLoaded(mb);
            int p = 0;
            while (p < mb.dataLen) {
                int len = Records.length(mb.data, p);
                if (len <= 0) {
                    break;
                }
                long field = Records.seqField(mb.data, p);
                if ((field & Records.TOMBSTONE) != 0) {
                    long seq = field & ~Records.FLAGS;
                    MessageBlock holder = blockFor(seq);
                    if ((holder != null && holder != mb) || seq >= physicalLastSeqExcluding(mb)) {
                        out.add(new long[] {seq, Records.timestamp(mb.data, p)});
                    }
                }
                p += len;
            }
        }
        return out;
    }

    private long physicalLastSeqExcluding(MessageBlock skip) {
        long max = 0;
        for (MessageBlock b : blocks) {
            if (b != skip) {
                max = Math.max(max, b.last);
            }
        }
        return max;
    }

    /** Rewrites a sealed block with only its live records and needed tombstones. Write lock held. */
    // nats-server: filestore.go msgBlock.compactWithFloor
    private void compactBlockLocked(MessageBlock mb) {
        List<long[]> tombs = mb.tombstones > 0 ? neededTombstones(mb) : List.of();
        synchronized (mb) {
            ensureLoaded(mb);
            byte[] out = new byte[mb.dataLen + 64];
            int n = 0;
            long[] seqs = new long[mb.recCount];
            int[] offs = new int[mb.recCount];
            int count = 0;
            CRC32C crc = new CRC32C();
            for (int k = 0; k < mb.recCount; k++) {
                long seq = mb.recSeq[k];
                if (!mb.isLive(seq)) {
                    continue;
                }
                int off = mb.recOff[k];
                int len = Records.length(mb.data, off);
                System.arraycopy(mb.data, off, out, n, len);
                seqs[count] = seq;
                offs[count++] = n;
                n += len;
            }
            for (long[] t : tombs) {
                if (n + 32 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += Records.writeMeta(out, n, t[0] | Records.TOMBSTONE, t[1], 0, crc);
            }
            // keep the block's last slot so the stream's last sequence survives
            if (!mb.isLive(mb.last)) {
                if (n + 40 > out.length) {
                    out = Arrays.copyOf(out, out.length + 64);
                }
                n += Records.writeMeta(out, n, mb.last | Records.SKIP, mb.lastTs, 1, crc);
            }
            byte[] file = mb.compressed ? BlockFiles.encodeSealed(out, n, mb.key)
                    : BlockFiles.encodeAppendable(out, n, mb.key);
            try {
                io.replace(mb.path, file, true);
            } catch (IOException e) {
                LOG.warn("Could not compact " + mb.path + ": " + e.getMessage());
                return;
            }
            mb.data = out;
            mb.dataLen = n;
            mb.recSeq = seqs;
            mb.recOff = offs;
            mb.recCount = count;
            mb.fileBytes = file.length;
            mb.tombstones = tombs.size();
        }
        indexDirty = true;
    }

    @Override
    public long purge() {
        lock.writeLock().lock();
        try {
            checkOpen();
            return purgeLocked(0);
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    /** Removes everything; the next message gets {@code fseq} (0: last + 1). Write lock held. */
    // nats-server: filestore.go purge
    private long purgeLocked(long fseq) {
        long purged = msgs;
        long purgedBytes = bytes;
        long newFirst = fseq == 0 ? lastSeq + 1 : fseq;
        long markerTs = lastTs;
        for (MessageBlock mb : new ArrayList<>(blocks)) {
            closeChannel(mb);
            synchronized (mb) {
                mb.unload();
            }
            deleteQuietly(mb.path);
            deleteQuietly(keyPath(mb.index));
        }
        synchronized (loadedLru) {
            loadedLru.clear();
            loadedBytes = 0;
        }
        int nextIndex = blocks.isEmpty() ? 1 : blocks.get(blocks.size() - 1).index + 1;
        blocks.clear();
        psim.clear();
        msgs = 0;
        bytes = 0;
        lastSeq = newFirst - 1;
        lastTs = fseq == 0 ? markerTs : lastTs;
        firstSeq = newFirst;
        firstTs = 0;
        // keep numbering increasing so a crash mid-purge never mixes old and new blocks
        MessageBlock placeholder = new MessageBlock(nextIndex - 1, blockPath(nextIndex - 1));
        blocks.add(placeholder);
        lmb = newBlockLocked();
        blocks.remove(placeholder);
        if (lastSeq > 0) {
            writeMetaRecordLocked(lastSeq | Records.TOMBSTONE, lastTs, 0);
        }
        onClearedLocked();
        indexDirty = true;
        deleteQuietly(msgDir.resolve(INDEX_FILE));
        notifyLocked(-purged, -purgedBytes, 0, null);
        return purged;
    }

    @Override
    // nats-server: filestore.go PurgeEx
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
        lock.writeLock().lock();
        long purged = 0;
        try {
            checkOpen();
            SubjectFilter filter = SubjectFilter.of(subject);
            SimpleState ss = filteredLocked(1, filter, false);
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
            long purgedBytes = 0;
            long lowSeq = 0;
            String lowSubject = null;
            StoredMessage sm = new StoredMessage();
            long next = ss.first();
            while (next <= last && loadNextLocked(filter, next, sm) != null && sm.sequence() <= last) {
                long s = sm.sequence();
                next = s + 1;
                long size = recordSize(sm.subject(), sm.header(), sm.payload());
                if (removeLocked(s, false, false, false)) {
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
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
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
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    // nats-server: filestore.go compact
    private long compactLocked(long seq) {
        if (firstSeq > seq) {
            return 0;
        }
        if (seq > lastSeq) {
            return purgeLocked(seq);
        }
        long purged = 0;
        long purgedBytes = 0;
        for (MessageBlock mb : new ArrayList<>(blocks)) {
            if (mb.first == 0 || mb.first >= seq) {
                continue;
            }
            if (mb.last < seq && mb != lmb) {
                // drop the whole block
                List<long[]> tombs = mb.tombstones > 0 ? neededTombstones(mb) : List.of();
                purged += mb.msgs;
                purgedBytes += mb.bytes;
                dropBlockContents(mb, Long.MAX_VALUE);
                for (long[] t : tombs) {
                    if (t[0] >= seq) {
                        writeMetaRecordLocked(t[0] | Records.TOMBSTONE, t[1], 0);
                    }
                }
                closeChannel(mb);
                synchronized (mb) {
                    mb.unload();
                }
                removeFromLru(mb);
                blocks.remove(mb);
                deleteQuietly(mb.path);
                deleteQuietly(keyPath(mb.index));
            } else {
                long[] r = dropBlockContents(mb, seq - 1);
                purged += r[0];
                purgedBytes += r[1];
                if (mb == lmb) {
                    rewriteWriteBlockLocked(mb);
                } else {
                    compactBlockLocked(mb);
                }
            }
        }
        msgs -= purged;
        bytes -= purgedBytes;
        recomputeFirstLocked(seq);
        indexDirty = true;
        notifyLocked(-purged, -purgedBytes, 0, null);
        return purged;
    }

    /** Marks every live message of {@code mb} at or below {@code upTo} deleted; returns {count, bytes}. */
    private long[] dropBlockContents(MessageBlock mb, long upTo) {
        long n = 0;
        long b = 0;
        synchronized (mb) {
            ensureLoaded(mb);
            for (int k = 0; k < mb.recCount; k++) {
                long s = mb.recSeq[k];
                if (s > upTo) {
                    break;
                }
                if (!mb.isLive(s)) {
                    continue;
                }
                int off = mb.recOff[k];
                String subject = subjectAt(mb, off);
                int len = Records.length(mb.data, off);
                mb.deleted.add(s);
                mb.msgs--;
                mb.bytes -= len;
                mb.fssRemove(subject, s);
                decrementSubject(subject);
                onRemovedLocked(s, subject);
                n++;
                b += len;
            }
            mb.deleted.addRange(mb.first, Math.min(upTo, mb.last));
        }
        return new long[] {n, b};
    }

    /** Rewrites the write block's file from its (filtered) records and reopens it. Write lock held. */
    private void rewriteWriteBlockLocked(MessageBlock mb) {
        flushLocked(mb);
        closeChannel(mb);
        compactBlockLocked(mb);
        synchronized (mb) {
            mb.flushedLen = mb.dataLen;
            mb.fss = null;
            ensureFss(mb);
        }
        openForAppend(mb);
    }

    @Override
    // nats-server: filestore.go Truncate
    public void truncate(long seq) {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (seq == 0) {
                purgeLocked(1);
                // purgeLocked notified already; reset to a brand new stream
                lastSeq = 0;
                lastTs = env.nowNanos();
                firstSeq = 0;
                return;
            }
            long purged = 0;
            long purgedBytes = 0;
            StoredMessage at = loadLocked(seq, new StoredMessage());
            long newLastTs = at != null ? at.timestampNanos() : lastTs;
            for (MessageBlock mb : new ArrayList<>(blocks)) {
                if (mb.first == 0 || mb.last <= seq) {
                    continue;
                }
                synchronized (mb) {
                    ensureLoaded(mb);
                    for (int k = mb.recCount - 1; k >= 0; k--) {
                        long s = mb.recSeq[k];
                        if (s <= seq) {
                            break;
                        }
                        if (!mb.isLive(s)) {
                            continue;
                        }
                        int off = mb.recOff[k];
                        String subject = subjectAt(mb, off);
                        int len = Records.length(mb.data, off);
                        mb.msgs--;
                        mb.bytes -= len;
                        mb.fssRemove(subject, s);
                        decrementSubject(subject);
                        onRemovedLocked(s, subject);
                        purged++;
                        purgedBytes += len;
                    }
                    mb.deleted.removeAbove(seq);
                    int keep = mb.positionAtOrAfter(seq + 1);
                    mb.recCount = keep;
                    mb.last = Math.max(mb.first, Math.min(mb.last, seq));
                    if (mb.first > seq) {
                        mb.first = 0;
                        mb.last = 0;
                    }
                }
                if (mb.first == 0 && mb != lmb && mb.msgs == 0) {
                    closeChannel(mb);
                    removeFromLru(mb);
                    blocks.remove(mb);
                    deleteQuietly(mb.path);
                    deleteQuietly(keyPath(mb.index));
                } else if (mb == lmb) {
                    rewriteWriteBlockLocked(mb);
                } else {
                    compactBlockLocked(mb);
                }
            }
            msgs -= purged;
            bytes -= purgedBytes;
            lastSeq = seq;
            lastTs = newLastTs;
            if (msgs == 0) {
                firstSeq = lastSeq + 1;
                firstTs = 0;
            }
            if (physicalLastSeq() < lastSeq) {
                writeMetaRecordLocked(lastSeq | Records.TOMBSTONE, lastTs, 0);
            }
            indexDirty = true;
            deleteQuietly(msgDir.resolve(INDEX_FILE));
            notifyLocked(-purged, -purgedBytes, 0, null);
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
            deliverNotifications();
        }
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    @Override
    public StreamState state() {
        lock.readLock().lock();
        try {
            long numDeleted = numDeletedLocked();
            long[] deleted = null;
            if (numDeleted > 0) {
                long[] out = new long[(int) Math.min(numDeleted, Integer.MAX_VALUE - 8)];
                int[] n = {0};
                forEachDeletedRun((f, c) -> {
                    for (long s = f; s < f + c && n[0] < out.length; s++) {
                        out[n[0]++] = s;
                    }
                });
                deleted = Arrays.copyOf(out, n[0]);
            }
            return new StreamState(msgs, bytes, firstSeq, firstTs, lastSeq, lastTs, psim.size(), numDeleted,
                    deleted, lost, consumerCount());
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public StreamState fastState() {
        lock.readLock().lock();
        try {
            return new StreamState(msgs, bytes, firstSeq, firstTs, lastSeq, lastTs, psim.size(), numDeletedLocked(),
                    null, lost, consumerCount());
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    private long numDeletedLocked() {
        if (lastSeq < firstSeq || firstSeq == 0) {
            return 0;
        }
        return Math.max(0, lastSeq - firstSeq + 1 - msgs);
    }

    /** Calls {@code sink} with each run of deleted sequences in [firstSeq, lastSeq], ascending. Lock held. */
    private void forEachDeletedRun(StreamStateCodec.RunSink sink) {
        long[] run = {0, 0};
        java.util.function.LongConsumer add = s -> {
            if (run[1] > 0 && run[0] + run[1] == s) {
                run[1]++;
            } else {
                if (run[1] > 0) {
                    sink.run(run[0], run[1]);
                }
                run[0] = s;
                run[1] = 1;
            }
        };
        long cursor = firstSeq;
        for (MessageBlock mb : blocks) {
            if (mb.first == 0 || mb.last < firstSeq) {
                continue;
            }
            long from = Math.max(mb.first, firstSeq);
            for (long s = cursor; s < from; s++) {
                add.accept(s);
            }
            for (int i = 0; i < mb.deleted.ranges(); i++) {
                long a = Math.max(from, mb.deleted.start(i));
                long b = Math.min(Math.min(mb.deleted.end(i), mb.last), lastSeq);
                for (long s = a; s <= b; s++) {
                    add.accept(s);
                }
            }
            cursor = mb.last + 1;
        }
        for (long s = cursor; s <= lastSeq && msgs > 0; s++) {
            add.accept(s);
        }
        if (run[1] > 0) {
            sink.run(run[0], run[1]);
        }
    }

    @Override
    public long lastSequence() {
        lock.readLock().lock();
        try {
            return lastSeq;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    protected long firstSeqLocked() {
        return firstSeq;
    }

    @Override
    protected long msgsLocked() {
        return msgs;
    }

    @Override
    protected long subjectMessagesLocked(String subject) {
        PerSubject ps = psim.get(subject);
        return ps == null ? 0 : ps.total;
    }

    @Override
    public SimpleState filteredState(long seq, String subject) {
        lock.readLock().lock();
        try {
            return filteredLocked(seq, SubjectFilter.of(subject), false);
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    // nats-server: filestore.go NumPending / NumPendingMulti
    protected long numPendingLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        if (sseq < firstSeq) {
            sseq = firstSeq;
        }
        if (sseq > lastSeq || msgs == 0) {
            return 0;
        }
        if (filter.isAll() && sseq <= firstSeq) {
            return lastPerSubject ? psim.size() : msgs;
        }
        int startPos = blockPositionFrom(sseq);
        if (startPos >= blocks.size()) {
            return 0;
        }
        MessageBlock start = blocks.get(startPos);
        long start0 = sseq;
        if (lastPerSubject) {
            long[] n = {0};
            visitSubjects(filter, (s, ps) -> {
                if (ps.lastBlock > start.index) {
                    n[0]++;
                } else if (lastSeqOfSubjectLocked(s, ps, lastSeq) >= start0) {
                    n[0]++;
                }
                return true;
            });
            return n[0];
        }
        if (!filter.isAll() && sseq <= firstSeq) {
            long[] n = {0};
            visitSubjects(filter, (s, ps) -> {
                n[0] += ps.total;
                return true;
            });
            return n[0];
        }
        return filteredLocked(sseq, filter, false).msgs();
    }

    private void visitSubjects(SubjectFilter filter, SubjectIndex.Visitor<PerSubject> visitor) {
        if (filter.size() == 1) {
            psim.match(filter.filter(0), visitor);
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < filter.size(); i++) {
            psim.match(filter.filter(i), (s, ps) -> !seen.add(s) || visitor.visit(s, ps));
        }
    }

    /** Count, first and last of the live messages at or after {@code sseq} matching {@code filter}. Lock held. */
    // nats-server: filestore.go FilteredState / numFilteredPending
    private SimpleState filteredLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        if (sseq < firstSeq) {
            sseq = firstSeq;
        }
        if (sseq > lastSeq || msgs == 0) {
            return SimpleState.EMPTY;
        }
        if (filter.isAll() && sseq <= firstSeq) {
            return new SimpleState(lastPerSubject ? psim.size() : msgs, firstSeq, lastSeq);
        }
        long n = 0;
        long first = 0;
        long last = 0;
        int fromBlock = blockPositionFrom(sseq);
        int toBlock = blocks.size() - 1;
        if (!filter.isAll() && filter.isLiteral() && filter.size() == 1) {
            // only the blocks the subject index names: a purge of one subject must not load the whole stream
            PerSubject ps = psim.get(filter.filter(0));
            if (ps == null) {
                return SimpleState.EMPTY;
            }
            fromBlock = Math.max(fromBlock, positionOfIndex(ps.firstBlock));
            toBlock = Math.min(toBlock, positionOfIndex(ps.lastBlock));
        }
        for (int i = fromBlock; i <= toBlock; i++) {
            MessageBlock mb = blocks.get(i);
            if (mb.msgs == 0) {
                continue;
            }
            releaseEvicted();
            if (filter.isAll()) {
                long from = Math.max(sseq, mb.first);
                long f = mb.firstLive(from);
                if (f < 0) {
                    continue;
                }
                long l = mb.lastLive(mb.last);
                n += (mb.last - from + 1) - mb.deleted.countIn(from, mb.last);
                if (first == 0) {
                    first = f;
                }
                last = l;
                continue;
            }
            synchronized (mb) {
                if (mb.first >= sseq) {
                    ensureFss(mb);
                    for (Map.Entry<String, MessageBlock.BlockSubject> e : mb.fss.entrySet()) {
                        if (filter.matches(e.getKey())) {
                            MessageBlock.BlockSubject bs = blockSubject(mb, e.getKey());
                            n += bs.msgs;
                            if (first == 0 || bs.first < first) {
                                first = bs.first;
                            }
                            last = Math.max(last, bs.last);
                        }
                    }
                } else {
                    ensureLoaded(mb);
                    for (int k = mb.positionAtOrAfter(sseq); k < mb.recCount; k++) {
                        long s = mb.recSeq[k];
                        if (!mb.isLive(s)) {
                            continue;
                        }
                        int off = mb.recOff[k];
                        if (filter.matches(mb.data, off + Records.HEADER_BYTES, Records.subjectLength(mb.data, off))) {
                            n++;
                            if (first == 0) {
                                first = s;
                            }
                            last = Math.max(last, s);
                        }
                    }
                }
            }
        }
        return n == 0 ? SimpleState.EMPTY : new SimpleState(n, first, last);
    }

    @Override
    public Map<String, SimpleState> subjectsState(String filter) {
        lock.readLock().lock();
        try {
            Map<String, SimpleState> out = new HashMap<>();
            psim.match(filter, (s, ps) -> {
                out.put(s, new SimpleState(ps.total, firstSeqOfSubjectLocked(s, ps),
                        lastSeqOfSubjectLocked(s, ps, lastSeq)));
                return true;
            });
            return out;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, Long> subjectsTotals(String filter) {
        lock.readLock().lock();
        try {
            Map<String, Long> out = new HashMap<>();
            psim.match(filter, (s, ps) -> {
                out.put(s, ps.total);
                return true;
            });
            return out;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public long[] allLastSequences() {
        lock.readLock().lock();
        try {
            return allLastLocked();
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    private long[] allLastLocked() {
        long[] out = new long[psim.size()];
        int[] n = {0};
        psim.forEach((s, ps) -> {
            out[n[0]++] = lastSeqOfSubjectLocked(s, ps, lastSeq);
            return true;
        });
        Arrays.sort(out, 0, n[0]);
        return Arrays.copyOf(out, n[0]);
    }

    @Override
    // nats-server: filestore.go multiLastSeqsLocked
    public long[] multiLastSequences(List<String> filters, long maxSeq, int maxAllowed) {
        lock.readLock().lock();
        try {
            if (msgs == 0) {
                return new long[0];
            }
            long max = maxSeq == 0 ? lastSeq : maxSeq;
            Set<Long> seen = new HashSet<>();
            List<Long> seqs = new ArrayList<>();
            for (String filter : filters) {
                psim.match(filter, (s, ps) -> {
                    long l = lastSeqOfSubjectLocked(s, ps, max);
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
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public long[] utilization() {
        lock.readLock().lock();
        try {
            long total = 0;
            for (MessageBlock mb : blocks) {
                total += mb.fileBytes;
            }
            return new long[] {total, bytes};
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    @Override
    public byte[] encodedStreamState(long failed) {
        lock.readLock().lock();
        try {
            return StreamStateCodec.encode(msgs, bytes, firstSeq, lastSeq, failed, numDeletedLocked(),
                    this::forEachDeletedRun);
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    // ---- sync, index, life cycle ---------------------------------------------------------------------------------

    private void armSyncLocked() {
        if (closed) {
            return;
        }
        syncTimer = env.timer().schedule(() -> env.worker().execute(this::syncBlocks), options.syncIntervalNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** fsyncs dirty blocks and rewrites {@code index.db}; runs every sync interval. */
    public void syncBlocks() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            flushLocked(lmb);
            for (MessageBlock mb : blocks) {
                if (mb.needSync && mb.channel != null) {
                    mb.channel.force(false);
                    mb.needSync = false;
                }
            }
            writeIndexLocked();
            armSyncLocked();
        } catch (IOException | StoreException e) {
            LOG.warn("Stream " + config.name() + " sync failed: " + e.getMessage());
            armSyncLocked();
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    private void writeIndexLocked() {
        if (!indexDirty || options.encryption() != null) {
            return;
        }
        try {
            StreamIndexFile.write(msgDir.resolve(INDEX_FILE), this, blocks, psim);
            indexDirty = false;
        } catch (IOException e) {
            LOG.warn("Could not write stream index of " + config.name() + ": " + e.getMessage());
        }
    }

    long stateMsgs() {
        return msgs;
    }

    long stateBytes() {
        return bytes;
    }

    long stateFirstSeq() {
        return firstSeq;
    }

    long stateFirstTs() {
        return firstTs;
    }

    long stateLastSeq() {
        return lastSeq;
    }

    long stateLastTs() {
        return lastTs;
    }

    @Override
    public void stop() {
        stop(true);
    }

    private void stop(boolean writeState) {
        List<ConsumerStore> cs = consumers();
        for (ConsumerStore c : cs) {
            c.stop();
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            cancelTimersLocked();
            if (syncTimer != null) {
                syncTimer.cancel(false);
            }
            if (flushTimer != null) {
                flushTimer.cancel(false);
            }
            try {
                flushLocked(lmb);
                if (lmb != null && lmb.channel != null) {
                    lmb.channel.force(false);
                }
            } catch (IOException | StoreException e) {
                LOG.warn("Stream " + config.name() + " final flush failed: " + e.getMessage());
            }
            if (writeState) {
                writeIndexLocked();
            }
            closeFilesQuietly();
            closed = true;
        } finally {
            releaseEvicted();
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete() {
        for (ConsumerStore c : consumers()) {
            c.streamDelete();
        }
        stop(false);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Collections.reverseOrder()).forEach(FileStreamStore::deleteQuietly);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not delete " + dir + " - " + e.getMessage(), e);
        }
    }

    private void closeFilesQuietly() {
        for (MessageBlock mb : blocks) {
            closeChannel(mb);
        }
    }

    private static void closeChannel(MessageBlock mb) {
        if (mb.channel != null) {
            try {
                mb.channel.close();
            } catch (IOException ignored) {
                // closing
            }
            mb.channel = null;
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ConsumerStore consumerStore(String name, long createdNanos, ConsumerStoreConfig config) {
        checkOpen();
        if (config == null || name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new StoreException(StoreError.BAD_REQUEST, "bad consumer config");
        }
        FileConsumerStore c = new FileConsumerStore(this, dir.resolve(CONSUMER_DIR).resolve(name), name,
                createdNanos, config, options, env);
        addConsumer(c);
        return c;
    }

    /** Names of the consumers whose state is stored in this stream's directory. */
    public List<String> storedConsumers() {
        try (Stream<Path> s = Files.list(dir.resolve(CONSUMER_DIR))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The {@code meta.inf} JSON of stored consumer {@code name} (null when missing or damaged). */
    public String storedConsumerMeta(String name) {
        return readMeta(dir.resolve(CONSUMER_DIR).resolve(name));
    }

    String streamName() {
        return config.name();
    }

    // ---- test hooks ----------------------------------------------------------------------------------------------

    /** Messages in each block (tests). */
    List<long[]> blockSummaries() {
        lock.readLock().lock();
        try {
            List<long[]> out = new ArrayList<>();
            for (MessageBlock mb : blocks) {
                out.add(new long[] {mb.index, mb.first, mb.last, mb.msgs, mb.fileBytes});
            }
            return out;
        } finally {
            releaseEvicted();
            lock.readLock().unlock();
        }
    }

    /** Identity set helper for callers that de-duplicate blocks. */
    static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
