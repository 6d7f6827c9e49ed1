package io.jnatsd.store.file;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamStoreContractTest;
import io.jnatsd.store.SubjectFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared store contract on the file store (default block size), restarts included. */
class FileStreamStoreTest extends StreamStoreContractTest {

    @TempDir
    Path tmp;

    private final Map<StreamStore, StoreConfig> configs = new IdentityHashMap<>();

    @Override
    protected StorageType storage() {
        return StorageType.FILE;
    }

    /** Options for new stores; subclasses change them. */
    protected FileStoreOptions options() {
        return FileStoreOptions.DEFAULTS;
    }

    /** Lets subclasses adjust every configuration (block size, compression). */
    protected StoreConfig adjust(StoreConfig config) {
        return config;
    }

    @Override
    protected StreamStore newStore(StoreConfig config) {
        StoreConfig c = adjust(config);
        FileStreamStore s = new FileStreamStore(tmp.resolve(c.name()), c, options(), null, clock.environment(),
                BlockIo.DEFAULT);
        configs.put(s, c);
        return s;
    }

    @Override
    protected StreamStore restart(StreamStore store) {
        StoreConfig c = configs.get(store);
        store.stop();
        FileStreamStore s = new FileStreamStore(tmp.resolve(c.name()), c, options(), null, clock.environment(),
                BlockIo.DEFAULT);
        configs.put(s, c);
        opened.add(s);
        return s;
    }

    @Override
    protected long sizeOf(String subject, byte[] header, byte[] payload) {
        long n = 22 + subject.getBytes(StandardCharsets.UTF_8).length + (payload == null ? 0 : payload.length) + 8;
        return header == null || header.length == 0 ? n : n + 4 + header.length;
    }

    @Test
    void byteAccountingIsNatsServers() {
        StreamStore s = open(cfg("foo"));
        s.storeMessage("foo", bytes("NATS/1.0\r\na:b\r\n\r\n"), bytes("12345"), 0);
        assertThat(s.state().bytes()).isEqualTo(22 + 3 + 5 + 8 + 4 + 17);
        s.storeMessage("foo", null, bytes("12345"), 0);
        assertThat(s.state().bytes()).isEqualTo(22 + 3 + 5 + 8 + 4 + 17 + 22 + 3 + 5 + 8);
    }

    @Test
    void stateSurvivesRestartWithAndWithoutIndex() {
        StreamStore s = open(cfg("foo.*"));
        for (int i = 0; i < 200; i++) {
            s.storeMessage("foo." + (i % 7), null, bytes("msg-" + i), 0);
        }
        s.removeMessage(190);
        s.removeMessage(195);
        var before = s.state();
        var totals = s.subjectsTotals(">");
        s = restart(s);
        assertThat(s.state()).usingRecursiveComparison().isEqualTo(before);
        assertThat(s.subjectsTotals(">")).isEqualTo(totals);
        // without the index the blocks are scanned
        s.stop();
        FileStreamStore.deleteQuietly(tmp.resolve("TEST").resolve("msgs").resolve("index.db"));
        StreamStore r = newStore(cfg("foo.*").build());
        opened.add(r);
        assertThat(r.state()).usingRecursiveComparison().isEqualTo(before);
        assertThat(r.subjectsTotals(">")).isEqualTo(totals);
        assertThat(r.loadMessage(190, null)).isNull();
        assertThat(r.loadLastMessage("foo.1", null).payload()).isEqualTo(bytes("msg-197"));
        assertThat(r.loadLastMessage("foo.0", null).payload()).isEqualTo(bytes("msg-196"));
    }

    @Test
    void readsAcrossManyBlocksKeepTheCacheBounded() {
        StreamStore s = open(cfg("foo.*").blockSizeBytes(1024));
        for (int i = 0; i < 400; i++) {
            s.storeMessage("foo." + (i % 3), null, new byte[200], 0);
        }
        FileStreamStore r = (FileStreamStore) restart(s);
        assertThat(r.blockCount()).isGreaterThan(50);
        int cached = FileStoreOptions.DEFAULTS.cacheBlocks() + 1;                 // plus the write block
        // filtered scans load blocks under a block monitor: what they evict is unloaded before the lock is released
        StoredMessage sm = new StoredMessage();
        for (long seq = 1; (sm = r.loadNextMessage(SubjectFilter.of("foo.1"), seq, sm)) != null; seq = sm.sequence() + 1) {
            assertThat(r.loadedBlocks()).isLessThanOrEqualTo(cached);
        }
        assertThat(r.filteredState(1, "foo.2").msgs()).isEqualTo(133);
        assertThat(r.loadedBlocks()).isLessThanOrEqualTo(cached);
        for (long seq = 400; seq >= 1; seq--) {
            assertThat(r.loadMessage(seq, sm)).isNotNull();
        }
        assertThat(r.loadedBlocks()).isLessThanOrEqualTo(cached);
    }
}
