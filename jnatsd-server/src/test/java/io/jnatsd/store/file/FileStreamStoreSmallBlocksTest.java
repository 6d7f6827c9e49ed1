package io.jnatsd.store.file;

import io.jnatsd.store.StoreCompression;
import io.jnatsd.store.StoreConfig;

/** The store contract with 1 KiB blocks and S2-compressed sealed blocks: every path crosses blocks. */
class FileStreamStoreSmallBlocksTest extends FileStreamStoreTest {

    @Override
    protected StoreConfig adjust(StoreConfig config) {
        return config.toBuilder().blockSizeBytes(1024).compression(StoreCompression.S2).build();
    }
}
