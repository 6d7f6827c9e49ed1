package io.jnatsd.bench;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.SubjectFilter;
import io.jnatsd.store.file.FileStoreOptions;
import io.jnatsd.store.file.FileStreamStore;
import io.jnatsd.store.memory.MemoryStreamStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JetStream store append and load, memory and file engines, 16 B to 64 KiB payloads (the issue's publish range),
 * as nats-server's {@code Benchmark_FileStoreStoreMsg*} / {@code Benchmark_MemStore*} in {@code server/*_test.go}.
 * The stream keeps at most 256 MiB (discard old) so long runs stay bounded; the file engine writes through to the
 * operating system on every append (nats-server's default for a standalone stream), without fsync.
 * <p>
 * {@link #append} measures {@code storeMessage}; {@link #loadSequential} a consumer reading forward with one reused
 * holder; {@link #loadRandom} random direct gets.
 * <p>
 * Run: {@code java -jar jnatsd-benchmarks/target/jnatsd-jmh.jar StoreBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class StoreBenchmark {

    @Param({"memory", "file"})
    public String engine;

    @Param({"16", "1024", "65536"})
    public int payloadBytes;

    private StreamStore store;
    private Path dir;
    private byte[] payload;
    private final StoredMessage holder = new StoredMessage();
    private long next;
    private long rnd = 0x9E3779B97F4A7C15L;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        payload = new byte[payloadBytes];
        StoreConfig.Builder b = StoreConfig.builder("BENCH", engine.equals("file") ? StorageType.FILE
                : StorageType.MEMORY).subjects("bench.>").maxBytes(256L * 1024 * 1024);
        if (engine.equals("file")) {
            dir = Files.createTempDirectory("jnatsd-store-bench");
            store = FileStreamStore.open(dir, b.build(), FileStoreOptions.DEFAULTS, null);
        } else {
            store = new MemoryStreamStore(b.build());
        }
        // something to read
        for (int i = 0; i < 10_000; i++) {
            store.storeMessage("bench.load", null, payload, 0);
        }
        next = store.fastState().firstSeq();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.stop();
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public long append() {
        return store.storeMessage("bench.append", null, payload, 0);
    }

    @Benchmark
    public long loadSequential() {
        StoredMessage sm = store.loadNextMessage(SubjectFilter.ALL, next, holder);
        if (sm == null) {
            next = store.fastState().firstSeq();
            return 0;
        }
        next = sm.sequence() + 1;
        return sm.payloadLength();
    }

    @Benchmark
    public long loadRandom() {
        rnd ^= rnd << 13;
        rnd ^= rnd >>> 7;
        rnd ^= rnd << 17;
        var st = store.fastState();
        long span = Math.max(1, st.lastSeq() - st.firstSeq() + 1);
        StoredMessage sm = store.loadMessage(st.firstSeq() + Math.floorMod(rnd, span), holder);
        return sm == null ? 0 : sm.payloadLength();
    }
}
