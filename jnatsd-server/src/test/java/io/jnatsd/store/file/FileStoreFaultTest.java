package io.jnatsd.store.file;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreEnvironment;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.SubjectFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault tests the JetStream issue asks for: kill -9 during a publish storm with {@code sync: always} loses no
 * acknowledged message; truncated and bit-flipped blocks recover up to the last good message (damaged records are
 * reported as lost, never a crash); a full disk gives store errors and no corruption.
 */
class FileStoreFaultTest {

    @TempDir
    Path tmp;

    private static StoreConfig config(long blockSize) {
        return StoreConfig.builder("STORM", StorageType.FILE).subjects("storm.>").blockSizeBytes(blockSize).build();
    }

    @Test
    void killDuringPublishStormWithSyncAlwaysLosesNoAcknowledgedMessage() throws Exception {
        Path dir = tmp.resolve("storm");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PublishStorm.class.getName(), dir.toString(), "65536")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastAck = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("ready");
            String line;
            while ((line = in.readLine()) != null) {
                lastAck = Long.parseLong(line.substring(4));
                if (lastAck >= 3000) {
                    child.destroyForcibly();        // SIGKILL mid-storm
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lastAck).isGreaterThanOrEqualTo(3000);

        FileStreamStore store = FileStreamStore.open(dir, config(65536), FileStoreOptions.DEFAULTS, null);
        try {
            StreamState st = store.state();
            assertThat(st.lastSeq()).isGreaterThanOrEqualTo(lastAck);
            assertThat(st.lost()).isNull();
            StoredMessage sm = new StoredMessage();
            for (long seq = 1; seq <= lastAck; seq++) {
                assertThat(store.loadMessage(seq, sm)).as("seq %d", seq).isNotNull();
                assertThat(sm.payload()).isEqualTo(PublishStorm.payload(seq));
            }
            // and the store keeps working
            long next = store.storeMessage("storm.after", null, new byte[] {1}, 0);
            assertThat(next).isEqualTo(st.lastSeq() + 1);
        } finally {
            store.stop();
        }
    }

    /** Writes 100 messages into one block and returns the block file. */
    private Path fill(Path dir) {
        FileStreamStore s = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        for (int i = 1; i <= 100; i++) {
            s.storeMessage("storm." + (i % 4), null, PublishStorm.payload(i), 0);
        }
        s.stop();
        FileStreamStore.deleteQuietly(dir.resolve("msgs").resolve("index.db"));
        return dir.resolve("msgs").resolve("1.blk");
    }

    /** File offset of the record of {@code seq} in a plain block. */
    private static long offsetOf(Path blk, long seq) throws IOException {
        byte[] b = Files.readAllBytes(blk);
        int p = BlockFiles.HEADER_BYTES;
        while (p < b.length) {
            int len = Records.length(b, p);
            if (Records.seq(b, p) == seq) {
                return p;
            }
            p += len;
        }
        throw new IllegalStateException("no record " + seq);
    }

    @Test
    void truncatedBlockRecoversUpToLastGoodMessage() throws IOException {
        Path dir = tmp.resolve("trunc");
        Path blk = fill(dir);
        long cut = offsetOf(blk, 61) + 10;          // in the middle of message 61
        try (RandomAccessFile f = new RandomAccessFile(blk.toFile(), "rw")) {
            f.setLength(cut);
        }
        FileStreamStore s = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        try {
            StreamState st = s.state();
            assertThat(st.msgs()).isEqualTo(60);
            assertThat(st.lastSeq()).isEqualTo(60);
            assertThat(s.loadMessage(60, null).payload()).isEqualTo(PublishStorm.payload(60));
            assertThat(Files.size(blk)).isEqualTo(offsetOf(blk, 60) + Records.size(7, 0,
                    PublishStorm.payload(60).length));
            assertThat(s.storeMessage("storm.x", null, new byte[] {7}, 0)).isEqualTo(61);
        } finally {
            s.stop();
        }
        FileStreamStore again = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        try {
            assertThat(again.state().msgs()).isEqualTo(61);
            assertThat(again.loadMessage(61, null).payload()).containsExactly(7);
        } finally {
            again.stop();
        }
    }

    @Test
    void bitFlippedRecordIsSkippedAndReportedLost() throws IOException {
        Path dir = tmp.resolve("flip");
        Path blk = fill(dir);
        long off = offsetOf(blk, 42) + 40;           // inside the payload of message 42
        flip(blk, off);
        FileStreamStore s = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        try {
            StreamState st = s.state();
            assertThat(st.msgs()).isEqualTo(99);
            assertThat(st.lastSeq()).isEqualTo(100);
            assertThat(st.lost()).isNotNull();
            assertThat(st.lost().msgs()).containsExactly(42);
            assertThat(s.loadMessage(42, null)).isNull();
            assertThat(s.loadMessage(43, null).payload()).isEqualTo(PublishStorm.payload(43));
            assertThat(s.loadNextMessage(SubjectFilter.ALL, 42, null).sequence()).isEqualTo(43);
        } finally {
            s.stop();
        }
    }

    @Test
    void corruptLengthTruncatesFromThere() throws IOException {
        Path dir = tmp.resolve("len");
        Path blk = fill(dir);
        flip(blk, offsetOf(blk, 80) + 1);            // the record length of message 80
        FileStreamStore s = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        try {
            StreamState st = s.state();
            assertThat(st.msgs()).isEqualTo(79);
            assertThat(st.lastSeq()).isEqualTo(79);
            assertThat(s.loadMessage(79, null)).isNotNull();
        } finally {
            s.stop();
        }
    }

    @Test
    void garbageBlockFileNeverCrashes() throws IOException {
        Path dir = tmp.resolve("garbage");
        fill(dir);
        byte[] junk = new byte[5000];
        new java.util.Random(1).nextBytes(junk);
        Files.write(dir.resolve("msgs").resolve("2.blk"), junk);
        FileStreamStore s = FileStreamStore.open(dir, config(0), FileStoreOptions.DEFAULTS, null);
        try {
            assertThat(s.state().msgs()).isEqualTo(100);
            assertThat(s.storeMessage("storm.y", null, null, 0)).isEqualTo(101);
        } finally {
            s.stop();
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void fullDiskGivesStoreErrorsAndNoCorruption() {
        Path dir = tmp.resolve("full");
        FailingIo io = new FailingIo(64 * 1024);
        FileStreamStore s = new FileStreamStore(dir, config(16 * 1024), FileStoreOptions.DEFAULTS, null,
                StoreEnvironment.system(), io);
        List<Long> acked = new ArrayList<>();
        StoreException failure = null;
        for (int i = 1; i <= 5000; i++) {
            try {
                acked.add(s.storeMessage("storm.a", null, PublishStorm.payload(i), 0));
            } catch (StoreException e) {
                failure = e;
                break;
            }
        }
        assertThat(failure).isNotNull();
        assertThat(failure.error()).isEqualTo(StoreError.IO);
        assertThat(failure.getMessage()).contains("No space left on device");
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(acked.size());
        assertThat(st.lastSeq()).isEqualTo(acked.size());
        // every later write fails the same way, and leaves the state alone
        assertThatThrownBy(() -> s.storeMessage("storm.a", null, new byte[100], 0))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.error()).isEqualTo(StoreError.IO));
        assertThat(s.state().msgs()).isEqualTo(acked.size());
        // space comes back: writing resumes at the next sequence
        io.budget.set(1 << 20);
        long next = s.storeMessage("storm.a", null, new byte[] {9}, 0);
        assertThat(next).isEqualTo(acked.size() + 1L);
        s.stop();

        FileStreamStore again = FileStreamStore.open(dir, config(16 * 1024), FileStoreOptions.DEFAULTS, null);
        try {
            StreamState r = again.state();
            assertThat(r.lost()).isNull();
            assertThat(r.msgs()).isEqualTo(acked.size() + 1L);
            StoredMessage sm = new StoredMessage();
            for (long seq : acked) {
                assertThat(again.loadMessage(seq, sm).payload()).isEqualTo(PublishStorm.payload(seq));
            }
            assertThat(again.loadMessage(next, sm).payload()).containsExactly(9);
        } finally {
            again.stop();
        }
    }
}
