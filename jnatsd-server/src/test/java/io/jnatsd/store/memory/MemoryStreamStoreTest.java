package io.jnatsd.store.memory;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.StreamStoreContractTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared store contract on the memory store, plus what only the memory store does. */
class MemoryStreamStoreTest extends StreamStoreContractTest {

    @Override
    protected StorageType storage() {
        return StorageType.MEMORY;
    }

    @Override
    protected StreamStore newStore(StoreConfig config) {
        return new MemoryStreamStore(config, clock.environment());
    }

    @Override
    protected long sizeOf(String subject, byte[] header, byte[] payload) {
        return subject.getBytes(StandardCharsets.UTF_8).length + (header == null ? 0 : header.length)
                + (payload == null ? 0 : payload.length) + 16;
    }

    @Test
    void byteAccountingIsSubjectHeaderPayloadPlus16() {
        StreamStore s = open(cfg("foo"));
        s.storeMessage("foo", bytes("NATS/1.0\r\na:b\r\n\r\n"), bytes("12345"), 0);
        assertThat(s.state().bytes()).isEqualTo(3 + 17 + 5 + 16);
    }

    @Test
    void refusesFileConfig() {
        assertThatThrownBy(() -> new MemoryStreamStore(StoreConfig.builder("x", StorageType.FILE).build()))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.BAD_REQUEST));
    }

    @Test
    void partialPurgeToFirstSeqIsRefused() {
        StreamStore s = open(cfg("foo"));
        s.storeMessage("foo", null, null, 0);
        s.storeMessage("foo", null, null, 0);
        s.storeMessage("foo", null, null, 0);
        // compact past the end moves the first sequence (memory stores support only that kind of "first seq")
        assertThat(s.compact(10)).isEqualTo(3);
        assertThat(s.state().firstSeq()).isEqualTo(10);
    }
}
