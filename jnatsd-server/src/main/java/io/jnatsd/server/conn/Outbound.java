package io.jnatsd.server.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's pending output: bytes appended by any publisher's thread, written to the socket by the owning
 * event loop. This is nats-server's {@code client.out} (pooled chunks appended under the receiver's lock, written by
 * the receiver's writer without the lock).
 * <p>
 * Appending ({@link #lock()}, {@link #reserve}, {@link #unlock()}) may happen on any thread; {@link #drain} only on
 * the owner's event loop. Chunks come from the pooled allocator, start small (an idle connection holds none) and
 * grow to {@link #MAX_CHUNK_BYTES}, after which a new chunk starts; the first chunk of a batch is sized after the
 * previous batch, as nats-server adapts its chunk size to the traffic.
 */
final class Outbound {

    /** Largest chunk grown in place; a bigger single message gets a chunk of its own size. */
    static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int MIN_CHUNK_BYTES = 512;

    private final ByteBufAllocator allocator;
    private final ReentrantLock lock = new ReentrantLock();

    private ByteBuf current;                               // guarded by lock
    private final ArrayDeque<ByteBuf> full = new ArrayDeque<>(); // guarded by lock
    private long bufferedBytes;                            // guarded by lock
    private int nextChunkBytes = MIN_CHUNK_BYTES;          // guarded by lock

    Outbound(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Bytes appended and not yet handed to the channel. Lock held. */
    long bufferedBytesLocked() {
        return bufferedBytes;
    }

    /** A buffer with at least {@code bytes} writable; the caller writes exactly that many. Lock held. */
    ByteBuf reserve(int bytes) {
        ByteBuf buf = current;
        if (buf != null) {
            if (buf.writableBytes() >= bytes) {
                bufferedBytes += bytes;
                return buf;
            }
            if (buf.maxWritableBytes() >= bytes && buf.capacity() < MAX_CHUNK_BYTES) {
                buf.ensureWritable(bytes);
                bufferedBytes += bytes;
                return buf;
            }
            full.add(buf);
        }
        int capacity = Math.max(bytes, nextChunkBytes);
        buf = allocator.directBuffer(capacity, Math.max(capacity, MAX_CHUNK_BYTES));
        current = buf;
        bufferedBytes += bytes;
        return buf;
    }

    /**
     * Hands every pending chunk to {@code sink} in order and forgets them; the sink takes ownership of each.
     * Owner event loop only.
     *
     * @return the number of bytes drained
     */
    long drain(ChunkSink sink) {
        ByteBuf last;
        ByteBuf[] chunks;
        long bytes;
        lock.lock();
        try {
            last = current;
            bytes = bufferedBytes;
            if (last == null) {
                return 0;
            }
            chunks = full.isEmpty() ? null : full.toArray(new ByteBuf[0]);
            full.clear();
            current = null;
            bufferedBytes = 0;
            nextChunkBytes = (int) Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, bytes));
        } finally {
            lock.unlock();
        }
        if (chunks != null) {
            for (ByteBuf chunk : chunks) {
                sink.accept(chunk);
            }
        }
        sink.accept(last);
        return bytes;
    }

    /** Releases everything pending (connection closed without a final flush). */
    void discard() {
        lock.lock();
        try {
            for (ByteBuf chunk : full) {
                chunk.release();
            }
            full.clear();
            if (current != null) {
                current.release();
                current = null;
            }
            bufferedBytes = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Receives drained chunks and owns them from then on. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(ByteBuf chunk);
    }
}
