package io.jnatsd.store.file;

import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.ConsumerStoreContractTest;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Consumer state rules on the file consumer store, and its state across restarts. */
class FileConsumerStoreTest extends ConsumerStoreContractTest {

    @TempDir
    Path tmp;

    @Override
    protected StreamStore newStream() {
        StreamStore s = FileStreamStore.open(tmp.resolve("S"), StoreConfig.builder("S", StorageType.FILE).build(),
                FileStoreOptions.DEFAULTS, "{\"name\":\"S\"}");
        streams.add(s);
        return s;
    }

    @Override
    protected StreamStore reopen(StreamStore stream) {
        stream.stop();
        return newStream();
    }

    @Test
    void storedConsumersAndTheirMetaAreFoundAfterAReopen() {
        StreamStore s = newStream();
        s.consumerStore("C", 7, new ConsumerStoreConfig(AckPolicy.EXPLICIT, 3, "{\"durable_name\":\"C\"}"));
        FileStreamStore again = (FileStreamStore) reopen(s);
        assertThat(again.storedConsumers()).containsExactly("C");
        assertThat(again.storedConsumerMeta("C")).isEqualTo("{\"name\":\"C\",\"created_ns\":7,"
                + "\"ack_policy\":\"explicit\",\"max_deliver\":3,\"config\":{\"durable_name\":\"C\"}}");
        assertThat(again.storedConsumerMeta("nope")).isNull();
    }

    @Test
    void memoryStorageConsumersOfAFileStreamKeepNothingOnDisk() {
        StreamStore s = newStream();
        ConsumerStore c = s.consumerStore("M", 7,
                new ConsumerStoreConfig(AckPolicy.EXPLICIT, 3, "{\"durable_name\":\"M\"}", true));
        assertThat(c.type()).isEqualTo(StorageType.MEMORY);
        c.updateDelivered(1, 1, 1, 5);
        c.updateDelivered(2, 2, 1, 6);
        c.updateAcks(1, 1);
        assertThat(c.state().delivered.consumer()).isEqualTo(2);
        assertThat(c.state().ackFloor.stream()).isEqualTo(1);
        assertThat(Files.exists(tmp.resolve("S").resolve("obs").resolve("M"))).isFalse();
        FileStreamStore again = (FileStreamStore) reopen(s);
        assertThat(again.storedConsumers()).isEmpty();
    }
}
