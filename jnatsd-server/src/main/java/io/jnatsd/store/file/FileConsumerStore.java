package io.jnatsd.store.file;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.store.AbstractConsumerStore;
import io.jnatsd.store.ConsumerStateCodec;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreEnvironment;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A consumer's state on disk, in {@code obs/<consumer>/}: {@code meta.inf} (the configuration JSON the JetStream
 * layer gave, with a {@code meta.sum} checksum), {@code o.dat} (the state in nats-server's binary encoding,
 * {@link ConsumerStateCodec}) and, when encrypted, {@code o.key} (the wrapped data key; {@code o.dat} is then
 * {@code 12-byte nonce | AEAD(state)}). Updates are coalesced: the state is written at most every
 * {@value #FLUSH_DELAY_MILLIS} ms after a change (at once with {@code sync: always}) and on {@link #stop()}.
 * <p>
 * Thread-safe: one lock; writes run on the store timer's worker.
 */
// nats-server: filestore.go consumerFileStore (writeState, flushLoop, loadState, writeConsumerMeta)
final class FileConsumerStore extends AbstractConsumerStore {

    private static final NatsLogger LOG = NatsLogger.get(FileConsumerStore.class);
    static final long FLUSH_DELAY_MILLIS = 50;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FileStreamStore stream;
    private final Path dir;
    private final long createdNanos;
    private final FileStoreOptions options;
    private final StoreEnvironment env;
    private final StoreEncryption.DataKey key;
    private boolean dirty;
    private ScheduledFuture<?> flush;

    FileConsumerStore(FileStreamStore stream, Path dir, String name, long createdNanos, ConsumerStoreConfig config,
                      FileStoreOptions options, StoreEnvironment env) {
        super(name, config);
        this.stream = stream;
        this.dir = dir;
        this.createdNanos = createdNanos;
        this.options = options;
        this.env = env;
        try {
            Files.createDirectories(dir);
            this.key = loadOrCreateKey();
            writeMeta(config);
            byte[] state = readState();
            if (state != null) {
                tracker.restore(ConsumerStateCodec.decode(state));
            }
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not open consumer store " + dir + " - "
                    + e.getMessage(), e);
        }
    }

    private StoreEncryption.DataKey loadOrCreateKey() throws IOException {
        StoreEncryption enc = options.encryption();
        Path kp = dir.resolve("o.key");
        String context = stream.streamName() + ":" + name();
        if (Files.exists(kp)) {
            if (enc == null) {
                throw new StoreException(StoreError.IO, "encrypted consumer " + name() + " but no key configured");
            }
            StoreEncryption.Unwrapped u = enc.unwrap(context, Files.readAllBytes(kp));
            if (u.rewrap()) {
                BlockFiles.writeAtomically(kp, enc.wrap(context, u.key()));
            }
            return u.key();
        }
        if (enc == null) {
            return null;
        }
        StoreEncryption.DataKey k = enc.newDataKey();
        BlockFiles.writeAtomically(kp, enc.wrap(context, k));
        return k;
    }

    private void writeMeta(ConsumerStoreConfig config) throws IOException {
        String json = config.configJson() == null ? "{}" : config.configJson();
        String meta = "{\"name\":" + quote(name()) + ",\"created_ns\":" + createdNanos + ",\"ack_policy\":\""
                + config.ackPolicy().jsonName() + "\",\"max_deliver\":" + config.maxDeliver() + ",\"config\":" + json
                + "}";
        byte[] b = meta.getBytes(StandardCharsets.UTF_8);
        BlockFiles.writeAtomically(dir.resolve(FileStreamStore.META_FILE), b);
        BlockFiles.writeAtomically(dir.resolve(FileStreamStore.META_SUM),
                FileStreamStore.metaSum(b).getBytes(StandardCharsets.US_ASCII));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private byte[] readState() throws IOException {
        Path p = dir.resolve("o.dat");
        if (!Files.exists(p)) {
            return null;
        }
        byte[] b = Files.readAllBytes(p);
        if (key == null) {
            return b;
        }
        if (b.length < StoreEncryption.NONCE_BYTES + StoreEncryption.TAG_BYTES) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE, "corrupt state");
        }
        try {
            return StoreEncryption.open(key.cipher(), key.key(),
                    Arrays.copyOf(b, StoreEncryption.NONCE_BYTES), b, StoreEncryption.NONCE_BYTES,
                    b.length - StoreEncryption.NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new StoreException(StoreError.CORRUPT_STREAM_STATE, "corrupt state");
        }
    }

    /** Writes the state now. Lock held. */
    private void writeStateLocked() {
        if (!dirty) {
            return;
        }
        byte[] plain = ConsumerStateCodec.encode(tracker.state(), env.nowNanos());
        byte[] out = plain;
        if (key != null) {
            byte[] nonce = new byte[StoreEncryption.NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            byte[] sealed = StoreEncryption.seal(key.cipher(), key.key(), nonce, plain, 0, plain.length);
            out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        }
        try {
            BlockFiles.writeAtomically(dir.resolve("o.dat"), out);
            dirty = false;
        } catch (IOException e) {
            LOG.warn("Could not write consumer state " + dir + ": " + e.getMessage());
        }
    }

    /** Records a change and schedules (or, with sync always, does) the write. Lock held. */
    @Override
    protected void configChangedLocked(ConsumerStoreConfig config) {
        try {
            writeMeta(config);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not write consumer meta - " + e.getMessage(), e);
        }
    }

    @Override
    protected long nowNanos() {
        return env.nowNanos();
    }

    @Override
    protected void changedLocked() {
        dirty = true;
        if (options.syncAlways()) {
            writeStateLocked();
            return;
        }
        if (flush == null || flush.isDone()) {
            flush = env.timer().schedule(() -> env.worker().execute(this::flushNow), FLUSH_DELAY_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void flushNow() {
        lock.lock();
        try {
            if (!closed) {
                writeStateLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StorageType type() {
        return StorageType.FILE;
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (flush != null) {
                flush.cancel(false);
            }
            writeStateLocked();
            closed = true;
        } finally {
            lock.unlock();
        }
        stream.removeConsumer(this);
    }

    @Override
    public void delete() {
        lock.lock();
        try {
            if (flush != null) {
                flush.cancel(false);
            }
            closed = true;
            dirty = false;
        } finally {
            lock.unlock();
        }
        stream.removeConsumer(this);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Collections.reverseOrder()).forEach(FileStreamStore::deleteQuietly);
        } catch (IOException e) {
            throw new StoreException(StoreError.IO, "could not delete " + dir + " - " + e.getMessage(), e);
        }
    }

    @Override
    public void streamDelete() {
        lock.lock();
        try {
            if (flush != null) {
                flush.cancel(false);
            }
            closed = true;
            dirty = false;
        } finally {
            lock.unlock();
        }
        stream.removeConsumer(this);
    }
}
