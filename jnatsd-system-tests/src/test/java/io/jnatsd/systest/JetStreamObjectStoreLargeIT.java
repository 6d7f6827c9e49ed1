package io.jnatsd.systest;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.Options;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An object of 100 MiB through a file-backed bucket of {@code bin/jnatsd} started with a 64 MiB heap, and back out
 * into a file: the store's block cache is bounded by bytes (a sixteenth of the heap), so the server never holds the
 * object in its heap at once, and the digest matches.
 */
class JetStreamObjectStoreLargeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SIZE = 100L * 1024 * 1024 + 12_345;
    private static final int CHUNK = 128 * 1024;

    @TempDir
    Path dir;

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void hundredMegabyteObjectInChunksWithASmallHeap() throws Exception {
        Path source = dir.resolve("source.bin");
        Random random = new Random(7);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(source)) {
            for (long written = 0; written < SIZE; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, SIZE - written));
            }
        }
        Path conf = dir.resolve("js.conf");
        Files.writeString(conf, "port: -1\nnet: 127.0.0.1\njetstream { store_dir: \"" + dir.resolve("js") + "\" }\n");
        Path copy = dir.resolve("copy.bin");
        try (JnatsdProcess server = JnatsdProcess.start(dir, null,
                Map.of("JNATSD_JAVA_OPTS", "-Xmx64m -XX:+ExitOnOutOfMemoryError"), "-c", conf.toString())) {
            Options o = new Options.Builder().server("nats://127.0.0.1:" + server.port()).connectionTimeout(WAIT)
                    .maxReconnects(0).build();
            try (Connection nc = Nats.connect(o)) {
                nc.objectStoreManagement().create(ObjectStoreConfiguration.builder("big")
                        .storageType(StorageType.File).build());
                ObjectStore os = nc.objectStore("big");
                ObjectInfo put = os.put(source.toFile());
                assertThat(put.getSize()).isEqualTo(SIZE);
                assertThat(put.getChunks()).isEqualTo((SIZE + CHUNK - 1) / CHUNK);
                try (OutputStream out = Files.newOutputStream(copy)) {
                    ObjectInfo got = os.get("source.bin", out);   // jnats checks chunks, size and digest itself
                    assertThat(got.getDigest()).isEqualTo(put.getDigest());
                }
                assertThat(os.getStatus().getSize()).isGreaterThan(SIZE);
            }
            assertThat(server.isAlive()).as("jnatsd alive with -Xmx64m: %s", server.output()).isTrue();
        }
        assertThat(Files.size(copy)).isEqualTo(SIZE);
        assertThat(sha256(copy)).isEqualTo(sha256(source));
    }
}
