package io.jnatsd.common;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * Copies out of Netty buffers without allocating. Without {@code sun.misc.Unsafe} (Netty 4.2 turns it off on Java
 * 25 unless told otherwise), {@code ByteBuf.getBytes(int, byte[], ...)} on a direct buffer duplicates a
 * {@link ByteBuffer} for every call; the buffer's cached internal NIO view with an absolute bulk get does the same
 * copy without that object.
 */
public final class ByteBufCopy {

    /** With Unsafe, Netty copies by address and allocates nothing; without it, direct buffers need the NIO view. */
    private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

    private ByteBufCopy() {
    }

    /** Copies {@code src[index, index+length)} into {@code dst[dstIndex, dstIndex+length)}. */
    public static void toArray(ByteBuf src, int index, byte[] dst, int dstIndex, int length) {
        if (UNSAFE || src.hasArray() || !src.isDirect() || src.nioBufferCount() != 1) {
            src.getBytes(index, dst, dstIndex, length);
            return;
        }
        ByteBuffer view = src.internalNioBuffer(index, length);
        view.get(view.position(), dst, dstIndex, length);
    }
}
