package io.jnatsd.store.file;

import io.jnatsd.store.ConsumerStoreContractTest;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StreamStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
}
