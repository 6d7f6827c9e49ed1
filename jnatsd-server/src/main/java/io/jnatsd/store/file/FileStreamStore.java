package io.jnatsd.store.file;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.store.AbstractStreamStore;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
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
import io.jnatsd.store.memory.MemoryConsumerStore;

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
public final class FileStreamStore extends AbstractStreamStore<FileStreamStore.PerSubject> {

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
    private final ArrayDeque<MessageBlock> loadedLru = new ArrayDeque<>();   // guarded by itself
    private long loadedBytes;                                                // guarded by loadedLru
    /** Decoded bytes the cache may keep for this stream: a sixteenth of the heap, at least one block. */
    private final long cacheBytes;
    private final CRC32C writeCrc = new CRC32C();
    private final byte[] metaScratch = new byte[64];
    private MessageBlock lmb;
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
            enforceLimitsLocked();
            if (config.maxMsgsPerSubject() > 0) {
                enforceAllPerSubjectLocked();
            }
            rebuildPerMessageStateLocked(true, false);
            armSyncLocked();
        } catch (RuntimeException e) {
            closeFilesQuietly();
            throw e;
        } finally {
            unlockWrite();
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
            unlockRead();
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
            unlockWrite();
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
            saved.apply(this, blocks, subjects);
            msgs = saved.msgs();
            bytes = saved.bytes();
            firstSeq = saved.firstSeq();
            firstTsNanos = saved.firstTs();
            lastSeq = saved.lastSeq();
            lastTsNanos = saved.lastTs();
            indexDirty = false;
        } else {
            if (saved != null) {
                LOG.debug("Stream index of " + config.name() + " does not match its blocks, rebuilding");
            }
            rebuildFromBlocks();
            if (saved != null && saved.lastSeq() > lastSeq) {
                // blocks were lost: remember how far the stream had come
                lastSeq = saved.lastSeq();
                lastTsNanos = saved.lastTs();
                if (msgs == 0) {
                    firstSeq = lastSeq + 1;
                    firstTsNanos = 0;
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
                writeMetaRecordLocked(lastSeq | Records.TOMBSTONE, lastTsNanos, 0);
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
        lastTsNanos = 0;
        for (MessageBlock mb : blocks) {
            msgs += mb.msgs;
            bytes += mb.bytes;
            if (mb.last > lastSeq) {
                lastSeq = mb.last;
                lastTsNanos = mb.lastTs;
            }
        }
        if (maxMetaSeq > lastSeq) {
            lastSeq = maxMetaSeq;
            lastTsNanos = maxMetaTs;
        }
        recomputeFirstLocked(0);
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTsNanos = 0;
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
        HashMap<String, long[]> counts = new HashMap<>();   // subject -> count
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
                        counts.computeIfAbsent(subject, k -> new long[1])[0]++;
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
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            PerSubject ps = subjects.get(e.getKey());
            if (ps == null) {
                ps = new PerSubject(mb.index);
                subjects.put(e.getKey(), ps);
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
        return newBlockLocked(4096);
    }

    /**
     * Creates the next block file and makes it the write block, its records array starting at {@code capacity}
     * bytes (a stream that filled its last block starts the next at that block's size instead of regrowing it).
     */
    private MessageBlock newBlockLocked(int capacity) {
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
            mb.data = BlockBuffers.take(capacity, blockSize);
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
        BlockFiles.Decoded dec;
        try {
            dec = BlockFiles.load(mb.path, mb.key, blockSize);
        } catch (NoSuchFileException e) {
            dec = BlockFiles.decode(BlockFiles.header(0), mb.key, mb.path);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not read " + mb.path + " - " + e.getMessage(), e);
        }
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
        for (int i = mb.nextLive(0); i >= 0; i = mb.nextLive(i + 1)) {
            long seq = mb.recSeq[i];
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
                int k = mb.nextMatching(mb.positionAtOrAfter(bs.first + 1), null, sb);
                if (k >= 0) {
                    bs.first = mb.recSeq[k];
                }
                bs.firstStale = false;
            }
            if (bs.lastStale) {
                int k = mb.prevMatching(mb.positionAtOrAfter(bs.last), null, sb);
                if (k >= 0) {
                    bs.last = mb.recSeq[k];
                }
                bs.lastStale = false;
            }
        }
        return bs;
    }

    private static String subjectAt(MessageBlock mb, int off) {
        return new String(mb.data, off + Records.HEADER_BYTES, Records.subjectLength(mb.data, off),
                StandardCharsets.UTF_8);
    }

    /**
     * Puts a loaded block at the young end of the cache and unloads the oldest ones beyond {@code cacheBlocks} or
     * beyond {@link #cacheBytes} (the youngest block always stays). Evicted blocks are unloaded under their own
     * monitor; a caller holding another block's monitor must not wait for one, so then they are unloaded before the
     * store lock is released ({@link #beforeUnlock}).
     */
    private void addToLru(MessageBlock mb) {
        long charge;
        synchronized (mb) {
            charge = mb.data == null ? 0 : mb.data.length;
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
            List<MessageBlock> later = evicted;
            beforeUnlock(() -> unloadEvicted(later));
        } else {
            unloadEvicted(evicted);
        }
    }

    /** Unloads blocks the cache evicted unless they are the write block or were cached again since. */
    private void unloadEvicted(List<MessageBlock> evicted) {
        for (MessageBlock evict : evicted) {
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

    /** Blocks whose records are in memory now (the cache and the write block); for tests. */
    int loadedBlocks() {
        lock.readLock().lock();
        try {
            int n = 0;
            for (MessageBlock mb : blocks) {
                synchronized (mb) {
                    n += mb.data != null ? 1 : 0;
                }
            }
            return n;
        } finally {
            unlockRead();
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
    protected void validateConfig(StoreConfig cfg) {
        checkConfig(cfg);
    }

    @Override
    // nats-server: filestore.go UpdateConfig
    protected void applyConfigLocked(StoreConfig old, StoreConfig cfg) {
        super.applyConfigLocked(old, cfg);
        if (cfg.asyncPersist() != old.asyncPersist()) {
            flushLocked(lmb);
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    @Override
    protected long messageSize(String subject, int headerLength, int payloadLength) {
        int sl = utf8Length(subject);
        long rl = Records.size(sl, headerLength, payloadLength);
        if (rl > Records.MAX_RECORD_BYTES || sl > 0xFFFF) {
            throw new StoreException(StoreError.MSG_TOO_LARGE);
        }
        return rl;
    }

    @Override
    // nats-server: filestore.go storeRawMsg, msgBlock.writeMsgRecord
    protected PerSubject appendLocked(String subject, byte[] header, byte[] payload, long seq, long ts, long ttl,
                                      long rl, PerSubject ps, boolean handedOver) {
        int hl = header == null ? 0 : header.length;
        int sl = utf8Length(subject);
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
        indexDirty = true;
        if (subject.isEmpty()) {
            return null;
        }
        if (ps == null) {
            ps = new PerSubject(mb.index);
            subjects.put(subject, ps);
        }
        ps.total++;
        ps.lastBlock = mb.index;
        return ps;
    }

    /** The write block, rolled to a new one when the record would not fit. */
    private MessageBlock blockForAppend(long rl) {
        MessageBlock mb = lmb;
        long encoded = rl + (mb.key != null ? 4 + StoreEncryption.TAG_BYTES : 0);
        if (mb.fileBytes + encoded > blockSize && mb.fileBytes > BlockFiles.HEADER_BYTES) {
            int filled;
            synchronized (mb) {
                filled = (int) Math.min(blockSize, Math.max(4096, mb.dataLen));
            }
            sealLocked(mb);
            lmb = newBlockLocked(filled);
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
    // nats-server: filestore.go skipMsg, SkipMsgs
    protected void appendSkipLocked(long seq, long num, long ts) {
        writeMetaRecordLocked(seq | Records.SKIP, ts, num);
        MessageBlock mb = lmb;
        if (mb.first == 0) {
            mb.first = seq;
        }
        mb.deleted.addRange(seq, seq + num - 1);
        mb.last = seq + num - 1;
        mb.lastTs = ts;
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
            unlockWrite();
        }
    }

    // ---- limits --------------------------------------------------------------------------------------------------

    @Override
    protected long subjectMessages(PerSubject ps) {
        return ps.total;
    }

    /** First sequence of {@code subject}, correcting the first-block hint. Lock held. */
    @Override
    protected long firstSeqOfSubjectLocked(String subject, PerSubject ps) {
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
    @Override
    protected long lastSeqOfSubjectLocked(String subject, PerSubject ps, long max) {
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
                int k = mb.prevMatching(mb.positionAtOrAfter(max + 1), null,
                        subject.getBytes(StandardCharsets.UTF_8));
                if (k >= 0) {
                    return mb.recSeq[k];
                }
            }
        }
        return 0;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

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

    protected StoredMessage findNextLocked(SubjectFilter filter, long start, StoredMessage into) {
        int from = blockPositionFrom(start);
        int to = blocks.size() - 1;
        String literal = null;
        byte[] literalBytes = null;
        if (!filter.isAll() && filter.isLiteral() && filter.size() == 1) {
            literal = filter.filter(0);
            PerSubject ps = subjects.get(literal);
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
            runBeforeUnlock();          // a scan over many blocks must not keep them all loaded
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
                int k = mb.nextMatching(mb.positionAtOrAfter(scanFrom), filter, literalBytes);
                if (k >= 0) {
                    return fill(mb, mb.recOff[k], into);
                }
            }
        }
        return null;
    }

    @Override
    // nats-server: filestore.go LoadPrevMsg, msgBlock.prevMatching
    protected StoredMessage findPrevLocked(SubjectFilter filter, long start, StoredMessage into) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            MessageBlock mb = blocks.get(i);
            if (mb.msgs == 0 || mb.first > start) {
                continue;
            }
            synchronized (mb) {
                ensureLoaded(mb);
                int k = mb.prevMatching(mb.positionAtOrAfter(start + 1), filter, null);
                if (k >= 0) {
                    return fill(mb, mb.recOff[k], into);
                }
            }
        }
        return null;
    }

    @Override
    // nats-server: filestore.go loadLastLocked (the last message left)
    protected long lastMessageSeqLocked() {
        long seq = 0;
        for (int i = blocks.size() - 1; i >= 0 && seq <= 0; i--) {
            seq = blocks.get(i).lastLive(lastSeq);
        }
        return Math.max(seq, 0);
    }

    @Override
    protected long storedSizeLocked(long seq) {
        MessageBlock mb = blockFor(seq);
        if (mb == null || !mb.isLive(seq)) {
            return -1;
        }
        synchronized (mb) {
            ensureLoaded(mb);
            int pos = mb.position(seq);
            return pos < 0 ? -1 : Records.length(mb.data, mb.recOff[pos]);
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
            unlockRead();
        }
    }

    @Override
    // nats-server: filestore.go GetSeqFromTime
    protected long sequenceAfterTimeLocked(long epochNanos) {
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
    }

    // ---- removing ------------------------------------------------------------------------------------------------

    /**
     * Removes a live message. Non-limit removals write a tombstone first (an error leaves the message in place).
     * Write lock held.
     */
    @Override
    // nats-server: filestore.go removeMsg / removeMsgFromBlock
    protected long removeLocked(long seq, boolean secure, boolean viaLimits, boolean notify) {
        MessageBlock mb = blockFor(seq);
        if (mb == null || !mb.isLive(seq)) {
            return -1;
        }
        if (!viaLimits || secure) {
            writeMetaRecordLocked(seq | Records.TOMBSTONE, env.nowNanos(), 0);
        }
        String subject;
        int len;
        boolean fifo = mb.firstLive(mb.first) == seq;
        synchronized (mb) {
            ensureLoaded(mb);
            int pos = mb.position(seq);
            if (pos < 0) {
                return -1;
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
        } else if (!fifo && mb != lmb && mb.fileBytes > COMPACT_MIN_BYTES && mb.bytes * 2 < mb.fileBytes) {
            // out of order: rewrite now if that saves half; removals from the front (limits, acks of a work queue)
            // only move the block's first and leave the rewrite to the periodic sync, as nats-server does
            compactBlockLocked(mb);
        }
        return len;
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
        PerSubject ps = subjects.get(subject);
        if (ps != null && --ps.total <= 0) {
            subjects.remove(subject);
        }
    }

    /** Moves {@link #firstSeq} to the first live message at or after {@code from}. Write lock held. */
    private void recomputeFirstLocked(long from) {
        if (msgs == 0) {
            firstSeq = lastSeq + 1;
            firstTsNanos = 0;
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
                    firstTsNanos = pos < 0 ? 0 : Records.timestamp(mb.data, mb.recOff[pos]);
                }
                return;
            }
        }
        firstSeq = lastSeq + 1;
        firstTsNanos = 0;
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
        dropBlockLocked(mb);
        indexDirty = true;
    }

    /** Closes, forgets and deletes a block (and its key file). Write lock held. */
    private void dropBlockLocked(MessageBlock mb) {
        closeChannel(mb);
        synchronized (mb) {
            mb.unload();
        }
        removeFromLru(mb);
        blocks.remove(mb);
        deleteQuietly(mb.path);
        deleteQuietly(keyPath(mb.index));
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
            byte[] out = BlockBuffers.take(mb.dataLen + 64, Math.max(blockSize, mb.dataLen + 64L));
            int n = 0;
            long[] seqs = new long[mb.recCount];
            int[] offs = new int[mb.recCount];
            int count = 0;
            CRC32C crc = new CRC32C();
            for (int k = mb.nextLive(0); k >= 0; k = mb.nextLive(k + 1)) {
                long seq = mb.recSeq[k];
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
                BlockBuffers.give(out);
                return;
            }
            BlockBuffers.give(mb.data);
            mb.data = out;
            mb.dataLen = n;
            mb.recSeq = seqs;
            mb.recOff = offs;
            mb.recCount = count;
            mb.fileBytes = file.length;
            mb.tombstones = tombs.size();
            mb.compactedBytes = mb.bytes;
        }
        indexDirty = true;
    }

    /**
     * Deletes every block and starts a new write block, keeping the numbering increasing; a tombstone in it keeps the
     * last sequence. Write lock held.
     */
    @Override
    // nats-server: filestore.go purge
    protected void clearLocked() {
        int nextIndex = blocks.isEmpty() ? 1 : blocks.get(blocks.size() - 1).index + 1;
        for (MessageBlock mb : new ArrayList<>(blocks)) {
            dropBlockLocked(mb);
        }
        // keep numbering increasing so a crash mid-purge never mixes old and new blocks
        MessageBlock placeholder = new MessageBlock(nextIndex - 1, blockPath(nextIndex - 1));
        blocks.add(placeholder);
        lmb = newBlockLocked();
        blocks.remove(placeholder);
        if (lastSeq > 0) {
            writeMetaRecordLocked(lastSeq | Records.TOMBSTONE, lastTsNanos, 0);
        }
        indexDirty = true;
        deleteQuietly(msgDir.resolve(INDEX_FILE));
    }

    @Override
    // nats-server: filestore.go compact
    protected Purged compactBelowLocked(long seq) {
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
                dropBlockLocked(mb);
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
        return new Purged(purged, purgedBytes);
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
                if (mb.isLive(s)) {
                    n++;
                    b += uncountLocked(mb, k);
                }
            }
            mb.deleted.addRange(mb.first, Math.min(upTo, mb.last));
        }
        return new long[] {n, b};
    }

    /**
     * Uncounts the live message at record position {@code k} of {@code mb} (block and stream subject counts, the
     * removal hook) and returns its length; the caller updates the deleted set. Write lock and block monitor held.
     */
    private int uncountLocked(MessageBlock mb, int k) {
        long seq = mb.recSeq[k];
        int off = mb.recOff[k];
        String subject = subjectAt(mb, off);
        int len = Records.length(mb.data, off);
        mb.msgs--;
        mb.bytes -= len;
        mb.fssRemove(subject, seq);
        decrementSubject(subject);
        onRemovedLocked(seq, subject);
        return len;
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
    protected Purged truncateAboveLocked(long seq, long newLastTs) {
        long purged = 0;
        long purgedBytes = 0;
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
                    if (mb.isLive(s)) {
                        purged++;
                        purgedBytes += uncountLocked(mb, k);
                    }
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
                dropBlockLocked(mb);
            } else if (mb == lmb) {
                rewriteWriteBlockLocked(mb);
            } else {
                compactBlockLocked(mb);
            }
        }
        msgs -= purged;
        bytes -= purgedBytes;
        if (physicalLastSeq() < seq) {
            // no record holds the new last sequence: a tombstone keeps it across a restart
            writeMetaRecordLocked(seq | Records.TOMBSTONE, newLastTs, 0);
        }
        indexDirty = true;
        deleteQuietly(msgDir.resolve(INDEX_FILE));
        return new Purged(purged, purgedBytes);
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    @Override
    protected LostStreamData lostLocked() {
        return lost;
    }

    @Override
    protected void forEachDeletedRunLocked(StreamStateCodec.RunSink sink) {
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
    // nats-server: filestore.go NumPending / NumPendingMulti
    protected long countPendingLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
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
        return scanFilteredLocked(sseq, filter, false).msgs();
    }

    private void visitSubjects(SubjectFilter filter, SubjectIndex.Visitor<PerSubject> visitor) {
        if (filter.size() == 1) {
            subjects.match(filter.filter(0), visitor);
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < filter.size(); i++) {
            subjects.match(filter.filter(i), (s, ps) -> !seen.add(s) || visitor.visit(s, ps));
        }
    }

    /** Count, first and last of the live messages at or after {@code sseq} matching {@code filter}. Lock held. */
    @Override
    // nats-server: filestore.go FilteredState / numFilteredPending
    protected SimpleState scanFilteredLocked(long sseq, SubjectFilter filter, boolean lastPerSubject) {
        long n = 0;
        long first = 0;
        long last = 0;
        int fromBlock = blockPositionFrom(sseq);
        int toBlock = blocks.size() - 1;
        if (!filter.isAll() && filter.isLiteral() && filter.size() == 1) {
            // only the blocks the subject index names: a purge of one subject must not load the whole stream
            PerSubject ps = subjects.get(filter.filter(0));
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
            runBeforeUnlock();          // a scan over many blocks must not keep them all loaded
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
                    for (int k = mb.nextMatching(mb.positionAtOrAfter(sseq), filter, null); k >= 0;
                         k = mb.nextMatching(k + 1, filter, null)) {
                        long s = mb.recSeq[k];
                        n++;
                        if (first == 0) {
                            first = s;
                        }
                        last = Math.max(last, s);
                    }
                }
            }
        }
        return n == 0 ? SimpleState.EMPTY : new SimpleState(n, first, last);
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
            unlockRead();
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
            for (MessageBlock mb : List.copyOf(blocks)) {
                // nats-server: filestore.go syncBlocks, shouldCompactSync
                if (mb != lmb && mb.msgs > 0 && mb.bytes * 2 < mb.fileBytes && mb.bytes != mb.compactedBytes) {
                    compactBlockLocked(mb);
                }
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
            unlockWrite();
        }
    }

    private void writeIndexLocked() {
        if (!indexDirty || options.encryption() != null) {
            return;
        }
        try {
            long[] state = {msgs, bytes, firstSeq, firstTsNanos, lastSeq, lastTsNanos};
            StreamIndexFile.write(msgDir.resolve(INDEX_FILE), state, blocks, subjects);
            indexDirty = false;
        } catch (IOException e) {
            LOG.warn("Could not write stream index of " + config.name() + ": " + e.getMessage());
        }
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
            unlockWrite();
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
        // nats-server: filestore.go ConsumerStore (cfg.MemoryStorage: a consumerMemStore, nothing on disk)
        ConsumerStore c = config.memory() ? new MemoryConsumerStore(this, name, config)
                : new FileConsumerStore(this, dir.resolve(CONSUMER_DIR).resolve(name), name, createdNanos, config,
                        options, env);
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
            unlockRead();
        }
    }

    /** Identity set helper for callers that de-duplicate blocks. */
    static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
