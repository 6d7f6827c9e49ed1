package io.jnatsd.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the file store opens and replaces block files; tests substitute failing channels (a full disk).
 */
interface BlockIo {

    /** Opens a channel on {@code path}. */
    FileChannel open(Path path, OpenOption... options) throws IOException;

    /** Replaces {@code target}'s content atomically (temporary file, rename; fsynced when {@code sync}). */
    void replace(Path target, byte[] content, boolean sync) throws IOException;

    /** The real file system. */
    BlockIo DEFAULT = new BlockIo() {
        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            return FileChannel.open(path, options);
        }

        @Override
        public void replace(Path target, byte[] content, boolean sync) throws IOException {
            BlockFiles.writeAtomically(target, content, sync);
        }
    };
}
