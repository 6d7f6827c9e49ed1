package io.jnatsd.store.file;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StreamStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract on an encrypted (ChaCha20-Poly1305) store, plus what encryption itself must do. */
class EncryptedFileStreamStoreTest extends FileStreamStoreTest {

    private static final StoreEncryption KEY = new StoreEncryption(StoreCipher.CHACHA, "s3cr3t", null, "ACC");

    @Override
    protected FileStoreOptions options() {
        return FileStoreOptions.DEFAULTS.withEncryption(KEY);
    }

    private static boolean containsAnywhere(Path dir, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                outer:
                for (int i = 0; i + n.length <= b.length; i++) {
                    for (int j = 0; j < n.length; j++) {
                        if (b[i + j] != n[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private FileStreamStore openWith(Path dir, StoreConfig cfg, StoreEncryption enc) {
        FileStreamStore s = new FileStreamStore(dir, cfg, FileStoreOptions.DEFAULTS.withEncryption(enc), null,
                clock.environment(), BlockIo.DEFAULT);
        opened.add(s);
        return s;
    }

    @Test
    void nothingIsStoredInClear() throws IOException {
        Path dir = tmp.resolve("clear");
        for (StoreCompression c : StoreCompression.values()) {
            StoreConfig cfg = StoreConfig.builder("C" + c, StorageType.FILE).blockSizeBytes(2048).compression(c)
                    .build();
            FileStreamStore s = openWith(dir.resolve(c.name()), cfg, KEY);
            for (int i = 0; i < 100; i++) {
                s.storeMessage("secret.subject", null, bytes("top secret payload " + i), 0);
            }
            var consumer = s.consumerStore("C", 1, new io.jnatsd.store.ConsumerStoreConfig(
                    io.jnatsd.store.AckPolicy.EXPLICIT, 0, "{}"));
            consumer.updateDelivered(1, 1, 1, 1);
            s.stop();
            assertThat(containsAnywhere(dir.resolve(c.name()).resolve("msgs"), "top secret")).isFalse();
            assertThat(containsAnywhere(dir.resolve(c.name()).resolve("msgs"), "secret.subject")).isFalse();
            FileStreamStore again = openWith(dir.resolve(c.name()), cfg, KEY);
            assertThat(again.state().msgs()).isEqualTo(100);
            assertThat(again.loadMessage(77, null).payload()).isEqualTo(bytes("top secret payload 76"));
            var c2 = again.consumerStore("C", 1, new io.jnatsd.store.ConsumerStoreConfig(
                    io.jnatsd.store.AckPolicy.EXPLICIT, 0, "{}"));
            assertThat(c2.state().delivered.stream()).isEqualTo(1);
        }
    }

    @Test
    void wrongKeyIsRefusedAndPrevKeyRekeys() throws IOException {
        Path dir = tmp.resolve("rekey");
        StoreConfig cfg = StoreConfig.builder("R", StorageType.FILE).blockSizeBytes(1024).build();
        FileStreamStore s = openWith(dir, cfg, new StoreEncryption(StoreCipher.AES, "old-key", null, "ACC"));
        for (int i = 0; i < 50; i++) {
            s.storeMessage("foo", null, bytes("m" + i), 0);
        }
        s.stop();
        assertThatThrownBy(() -> openWith(dir, cfg, new StoreEncryption(StoreCipher.AES, "new-key", null, "ACC")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.error()).isEqualTo(StoreError.IO));
        assertThatThrownBy(() -> new FileStreamStore(dir, cfg, FileStoreOptions.DEFAULTS, null,
                clock.environment(), BlockIo.DEFAULT)).isInstanceOf(StoreException.class);
        // the new key with the old one as prev_key opens it and re-wraps every key file
        FileStreamStore rekeyed = openWith(dir, cfg,
                new StoreEncryption(StoreCipher.CHACHA, "new-key", "old-key", "ACC"));
        assertThat(rekeyed.state().msgs()).isEqualTo(50);
        assertThat(rekeyed.loadMessage(50, null).payload()).isEqualTo(bytes("m49"));
        rekeyed.storeMessage("foo", null, bytes("after"), 0);
        rekeyed.stop();
        // from now on the new key alone is enough
        StreamStore fresh = openWith(dir, cfg, new StoreEncryption(StoreCipher.CHACHA, "new-key", null, "ACC"));
        assertThat(fresh.state().msgs()).isEqualTo(51);
        assertThat(fresh.loadMessage(51, null).payload()).isEqualTo(bytes("after"));
    }

    @Test
    void aesGcmStoreWorks() {
        StoreConfig cfg = StoreConfig.builder("A", StorageType.FILE).blockSizeBytes(4096)
                .compression(StoreCompression.S2).build();
        FileStreamStore s = openWith(tmp.resolve("aes"), cfg,
                new StoreEncryption(StoreCipher.AES, "k", null, "ACC"));
        for (int i = 0; i < 500; i++) {
            s.storeMessage("foo." + (i % 5), null, bytes("payload " + i), 0);
        }
        s.removeMessage(10);
        s.eraseMessage(20);
        s.stop();
        FileStreamStore again = openWith(tmp.resolve("aes"), cfg,
                new StoreEncryption(StoreCipher.AES, "k", null, "ACC"));
        assertThat(again.state().msgs()).isEqualTo(498);
        assertThat(again.loadMessage(10, null)).isNull();
        assertThat(again.loadMessage(20, null)).isNull();
        assertThat(again.loadMessage(499, null).payload()).isEqualTo(bytes("payload 498"));
    }
}
