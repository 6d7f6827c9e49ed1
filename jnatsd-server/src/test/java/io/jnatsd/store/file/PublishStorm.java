package io.jnatsd.store.file;

import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link FileStoreFaultTest}: stores messages into a {@code sync: always} file store as fast as it
 * can and prints {@code ack <seq>} after each store returns, until it is killed.
 */
public final class PublishStorm {

    private PublishStorm() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long blockSize = Long.parseLong(args[1]);
        FileStreamStore store = FileStreamStore.open(dir, StoreConfig.builder("STORM", StorageType.FILE)
                .subjects("storm.>").blockSizeBytes(blockSize).build(), FileStoreOptions.DEFAULTS.withSyncAlways(true),
                null);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println("ready");
        out.flush();
        for (long i = 1; ; i++) {
            long seq = store.storeMessage("storm." + (i % 16), null, payload(i), 0);
            out.println("ack " + seq);
            out.flush();
        }
    }

    /** The payload of message {@code i}. */
    static byte[] payload(long i) {
        return ("message-" + i + "-" + "x".repeat((int) (i % 200))).getBytes(StandardCharsets.UTF_8);
    }
}
