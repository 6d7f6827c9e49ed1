package io.jnatsd.store.file;

import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StreamSnapshot;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.memory.MemoryStreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots restore into either engine with sequences, timestamps, gaps and consumer state intact. */
class StreamSnapshotTest {

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void fill(StreamStore s) {
        for (int i = 0; i < 3000; i++) {
            s.storeMessage("orders." + (i % 10), i % 3 == 0 ? b("NATS/1.0\r\nk: v" + i + "\r\n\r\n") : null,
                    b("payload-" + i + "-" + "z".repeat(i % 500)), 0);
        }
        for (long seq = 100; seq < 200; seq += 3) {
            s.removeMessage(seq);
        }
        s.skipMessages(0, 5);
        s.storeMessage("orders.last", null, b("last"), 0);
        ConsumerStore c = s.consumerStore("DUR", 1, new ConsumerStoreConfig(AckPolicy.EXPLICIT, 5, "{\"d\":1}"));
        c.updateDelivered(1, 10, 1, 1_700_000_000_000_000_000L);
        c.updateDelivered(2, 11, 1, 1_700_000_001_000_000_000L);
        c.updateAcks(1, 10);
    }

    private static void assertSame(StreamStore from, StreamStore to) {
        StreamState a = from.state();
        StreamState r = to.state();
        assertThat(r.msgs()).isEqualTo(a.msgs());
        assertThat(r.firstSeq()).isEqualTo(a.firstSeq());
        assertThat(r.lastSeq()).isEqualTo(a.lastSeq());
        assertThat(r.deleted()).isEqualTo(a.deleted());
        for (long seq = a.firstSeq(); seq <= a.lastSeq(); seq += 7) {
            var x = from.loadMessage(seq, null);
            var y = to.loadMessage(seq, null);
            if (x == null) {
                assertThat(y).isNull();
                continue;
            }
            assertThat(y.subject()).isEqualTo(x.subject());
            assertThat(y.timestampNanos()).isEqualTo(x.timestampNanos());
            assertThat(y.header()).isEqualTo(x.header());
            assertThat(y.payload()).isEqualTo(x.payload());
        }
        ConsumerStore c = to.consumers().get(0);
        assertThat(c.name()).isEqualTo("DUR");
        assertThat(c.config().configJson()).isEqualTo("{\"d\":1}");
        assertThat(c.state().ackFloor.stream()).isEqualTo(10);
        assertThat(c.state().pending).containsOnlyKeys(11L);
    }

    @Test
    void fileToMemoryAndBack() throws IOException {
        FileStreamStore file = FileStreamStore.open(tmp.resolve("f"), StoreConfig.builder("S", StorageType.FILE)
                .blockSizeBytes(64 * 1024).build(), FileStoreOptions.DEFAULTS, "{\"name\":\"S\"}");
        fill(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamState at = StreamSnapshot.write(file, "{\"name\":\"S\"}", true, out);
        assertThat(at.lastSeq()).isEqualTo(3006);

        StreamSnapshot.Reader reader = StreamSnapshot.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(reader.meta()).isEqualTo("{\"name\":\"S\"}");
        MemoryStreamStore mem = new MemoryStreamStore(StoreConfig.builder("S", StorageType.MEMORY).build());
        reader.restoreInto(mem);
        assertSame(file, mem);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        StreamSnapshot.write(mem, reader.meta(), true, again);
        FileStreamStore file2 = FileStreamStore.open(tmp.resolve("f2"), StoreConfig.builder("S", StorageType.FILE)
                .build(), FileStoreOptions.DEFAULTS, null);
        StreamSnapshot.read(new ByteArrayInputStream(again.toByteArray())).restoreInto(file2);
        assertSame(file, file2);
        file.stop();
        mem.stop();
        file2.stop();
    }

    @Test
    void damagedSnapshotIsRefused() throws IOException {
        MemoryStreamStore mem = new MemoryStreamStore(StoreConfig.builder("S", StorageType.MEMORY).build());
        fill(mem);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamSnapshot.write(mem, "{}", true, out);
        byte[] snap = out.toByteArray();
        byte[] flipped = snap.clone();
        flipped[snap.length / 2] ^= 0x01;
        assertThatThrownBy(() -> StreamSnapshot.read(new ByteArrayInputStream(flipped))
                .restoreInto(new MemoryStreamStore(StoreConfig.builder("S", StorageType.MEMORY).build())))
                .isInstanceOf(StoreException.class);
        byte[] cut = java.util.Arrays.copyOf(snap, snap.length - 20);
        assertThatThrownBy(() -> StreamSnapshot.read(new ByteArrayInputStream(cut))
                .restoreInto(new MemoryStreamStore(StoreConfig.builder("S", StorageType.MEMORY).build())))
                .isInstanceOfAny(StoreException.class, java.io.EOFException.class);
        assertThatThrownBy(() -> StreamSnapshot.read(new ByteArrayInputStream(b("not a snapshot at all"))))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.CORRUPT_STREAM_STATE));
        mem.stop();
    }
}
