package io.jnatsd.store.file;

import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.SubjectFilter;
import io.jnatsd.store.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the file store rewrites blocks, as nats-server does: a removal from a block's front (limits, work-queue acks)
 * only moves its first sequence and the periodic sync compacts the block; an out-of-order removal that leaves less
 * than half of a large block live compacts it at once.
 */
class FileStreamStoreCompactionTest {

    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock();
    private FileStreamStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.stop();
        }
    }

    private FileStreamStore open() {
        StoreConfig cfg = StoreConfig.builder("TEST", StorageType.FILE).subjects("foo")
                .blockSizeBytes(4 * 1024 * 1024).build();
        return new FileStreamStore(tmp.resolve("TEST"), cfg, FileStoreOptions.DEFAULTS, null, clock.environment(),
                BlockIo.DEFAULT);
    }

    @Test
    void frontRemovalsWaitForTheSyncOutOfOrderOnesCompactAtOnce() throws Exception {
        store = open();
        byte[] payload = new byte[100 * 1024];
        for (int i = 0; i < 100; i++) {
            store.storeMessage("foo", null, payload, 0);
        }
        assertThat(store.blockCount()).isEqualTo(3);
        Path first = tmp.resolve("TEST").resolve("msgs").resolve("1.blk");
        Path second = tmp.resolve("TEST").resolve("msgs").resolve("2.blk");
        long full = Files.size(first);
        for (long seq = 1; seq <= 30; seq++) {
            assertThat(store.removeMessage(seq)).isTrue();
        }
        assertThat(Files.size(first)).as("front removals leave the block file alone").isEqualTo(full);
        store.syncBlocks();
        long compacted = Files.size(first);
        assertThat(compacted).as("the sync compacts").isLessThan(full / 2);
        store.syncBlocks();
        assertThat(Files.size(first)).as("nothing removed since: no second rewrite").isEqualTo(compacted);

        long secondFull = Files.size(second);
        long firstOfSecond = store.loadNextMessage(SubjectFilter.of("foo"), 41, null).sequence();
        int removed = 30;
        for (long seq = firstOfSecond + 1; Files.size(second) == secondFull; seq += 2) {
            assertThat(store.removeMessage(seq)).as("seq %d", seq).isTrue();
            removed++;
        }
        assertThat(Files.size(second)).as("out of order removals compact at once").isLessThan(secondFull / 2 + 4096);
        assertThat(store.state().msgs()).isEqualTo(100 - removed);

        store.stop();
        store = open();
        assertThat(store.state().msgs()).isEqualTo(100 - removed);
        assertThat(store.loadMessage(31, null).payload()).isEqualTo(payload);
        assertThat(store.loadMessage(firstOfSecond, null).payload()).isEqualTo(payload);
        assertThat(store.loadMessage(firstOfSecond + 1, null)).isNull();
    }
}
