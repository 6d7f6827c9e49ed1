package io.jnatsd.store.memory;

import io.jnatsd.store.ConsumerStoreContractTest;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StreamStore;

/** The consumer state rules on the memory consumer store. */
class MemoryConsumerStoreTest extends ConsumerStoreContractTest {

    @Override
    protected StreamStore newStream() {
        StreamStore s = new MemoryStreamStore(StoreConfig.builder("S", StorageType.MEMORY).build());
        streams.add(s);
        return s;
    }
}
