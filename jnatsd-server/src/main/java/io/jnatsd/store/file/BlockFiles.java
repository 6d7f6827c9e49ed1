package io.jnatsd.store.file;

import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The block file format around the records of {@link Records}:
 * <pre>
 * +--------+---------+-------+----------+----------------+
 * | "JNBK" | version | flags | reserved | reserved (u64) |   16-byte header
 * +--------+---------+-------+----------+----------------+
 *   4        u8 = 1    u8      u16
 * flags: bit 0 compressed body (sealed block), bit 1 encrypted
 *
 * body, by flags:
 *   0  plain         records, back to back
 *   2  encrypted     frames: u32 sealed length | AEAD(data key, nonce = 0000 || u64 file offset of the frame, record)
 *   1  compressed    u32 plain length | u32 CRC-32C of the compressed bytes | S2 block (all records)
 *   3  both          u32 plain length | u32 sealed length | AEAD(data key, nonce of offset 16, S2 block)
 * </pre>
 * An encrypted block's data key is wrapped in {@code <index>.key} (see {@link StoreEncryption}). Stateless.
 */
final class BlockFiles {

    static final int HEADER_BYTES = 16;
    static final int FLAG_COMPRESSED = 1;
    static final int FLAG_ENCRYPTED = 2;
    private static final byte[] MAGIC = {'J', 'N', 'B', 'K'};

    private BlockFiles() {
    }

    static byte[] header(int flags) {
        byte[] h = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, h, 0, 4);
        h[4] = 1;
        h[5] = (byte) flags;
        return h;
    }

    /** Flags of a file's header, or -1 when the header is missing or wrong. */
    static int flags(byte[] file, int len) {
        if (len < HEADER_BYTES || !Arrays.equals(file, 0, 4, MAGIC, 0, 4) || file[4] != 1) {
            return -1;
        }
        return file[5];
    }

    static byte[] readAll(Path path) throws IOException {
        return Files.readAllBytes(path);
    }

    /**
     * Reads and decodes a block file. A plain block (neither compressed nor encrypted) is read straight into its
     * records array (a recycled one of at most {@code maxArray} bytes when there is one: {@link BlockBuffers}),
     * without a second copy of the file; others go through {@link #decode}.
     */
    static Decoded load(Path path, StoreEncryption.DataKey key, long maxArray) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] head = new byte[HEADER_BYTES];
            if (readUpTo(ch, ByteBuffer.wrap(head)) < HEADER_BYTES || flags(head, HEADER_BYTES) != 0
                    || size > Integer.MAX_VALUE) {
                return decode(Files.readAllBytes(path), key, path);
            }
            int want = (int) (size - HEADER_BYTES);
            byte[] data = BlockBuffers.take(want, Math.max(maxArray, want));
            int n = readUpTo(ch, ByteBuffer.wrap(data, 0, want));     // less if the file shrank meanwhile
            return new Decoded(data, n, HEADER_BYTES + n, false);
        }
    }

    /** Reads until {@code buf} is full or the file ends: the bytes read. */
    private static int readUpTo(FileChannel ch, ByteBuffer buf) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                break;
            }
        }
        return buf.position() - start;
    }

    /** The decoded records of a block and where decoding stopped. */
    record Decoded(byte[] data, int length, long validFileBytes, boolean damaged) {
    }

    /**
     * Decodes a whole block file into plaintext records. Frames that fail to decrypt end the data there
     * ({@code validFileBytes} says where, so the caller can truncate a torn tail).
     */
    static Decoded decode(byte[] file, StoreEncryption.DataKey key, Path path) {
        int flags = flags(file, file.length);
        if (flags < 0) {
            return new Decoded(new byte[0], 0, file.length < HEADER_BYTES ? 0 : HEADER_BYTES, file.length > 0);
        }
        boolean compressed = (flags & FLAG_COMPRESSED) != 0;
        boolean encrypted = (flags & FLAG_ENCRYPTED) != 0;
        if (encrypted && key == null) {
            throw new StoreException(StoreError.IO, "encrypted block " + path + " but no encryption key configured");
        }
        if (compressed) {
            return decodeSealed(file, key, encrypted);
        }
        if (!encrypted) {
            int n = file.length - HEADER_BYTES;
            return new Decoded(Arrays.copyOfRange(file, HEADER_BYTES, file.length), n, file.length, false);
        }
        byte[] out = new byte[Math.max(16, file.length)];
        int outLen = 0;
        int p = HEADER_BYTES;
        while (p + 4 <= file.length) {
            int sealed = Records.getU32(file, p);
            if (sealed < StoreEncryption.TAG_BYTES || p + 4L + sealed > file.length) {
                return new Decoded(out, outLen, p, true);
            }
            try {
                byte[] plain = StoreEncryption.open(key.cipher(), key.key(), StoreEncryption.nonceForOffset(p),
                        file, p + 4, sealed);
                System.arraycopy(plain, 0, out, outLen, plain.length);
                outLen += plain.length;
            } catch (AEADBadTagException e) {
                return new Decoded(out, outLen, p, true);
            }
            p += 4 + sealed;
        }
        return new Decoded(out, outLen, p, p != file.length);
    }

    private static Decoded decodeSealed(byte[] file, StoreEncryption.DataKey key, boolean encrypted) {
        if (file.length < HEADER_BYTES + 8) {
            return new Decoded(new byte[0], 0, HEADER_BYTES, true);
        }
        int plainLen = Records.getU32(file, HEADER_BYTES);
        int second = Records.getU32(file, HEADER_BYTES + 4);
        int bodyOff = HEADER_BYTES + 8;
        byte[] compressed;
        if (encrypted) {
            if (second < StoreEncryption.TAG_BYTES || bodyOff + (long) second > file.length) {
                return new Decoded(new byte[0], 0, HEADER_BYTES, true);
            }
            try {
                compressed = StoreEncryption.open(key.cipher(), key.key(),
                        StoreEncryption.nonceForOffset(HEADER_BYTES), file, bodyOff, second);
            } catch (AEADBadTagException e) {
                return new Decoded(new byte[0], 0, HEADER_BYTES, true);
            }
        } else {
            compressed = Arrays.copyOfRange(file, bodyOff, file.length);
            CRC32C crc = new CRC32C();
            crc.update(compressed);
            if ((int) crc.getValue() != second) {
                return new Decoded(new byte[0], 0, HEADER_BYTES, true);
            }
        }
        try {
            byte[] plain = S2.decode(compressed, 0, compressed.length);
            if (plain.length != plainLen) {
                return new Decoded(new byte[0], 0, HEADER_BYTES, true);
            }
            return new Decoded(plain, plain.length, file.length, false);
        } catch (IllegalArgumentException corrupt) {
            return new Decoded(new byte[0], 0, HEADER_BYTES, true);
        }
    }

    /** Encodes records {@code data[0, len)} as a sealed (compressed, maybe encrypted) block file. */
    static byte[] encodeSealed(byte[] data, int len, StoreEncryption.DataKey key) {
        byte[] compressed = S2.encode(data, 0, len);
        boolean encrypted = key != null;
        byte[] body = encrypted
                ? StoreEncryption.seal(key.cipher(), key.key(), StoreEncryption.nonceForOffset(HEADER_BYTES),
                        compressed, 0, compressed.length)
                : compressed;
        byte[] out = new byte[HEADER_BYTES + 8 + body.length];
        System.arraycopy(header(FLAG_COMPRESSED | (encrypted ? FLAG_ENCRYPTED : 0)), 0, out, 0, HEADER_BYTES);
        Records.putU32(out, HEADER_BYTES, len);
        if (encrypted) {
            Records.putU32(out, HEADER_BYTES + 4, body.length);
        } else {
            CRC32C crc = new CRC32C();
            crc.update(compressed);
            Records.putU32(out, HEADER_BYTES + 4, (int) crc.getValue());
        }
        System.arraycopy(body, 0, out, HEADER_BYTES + 8, body.length);
        return out;
    }

    /** Encodes records {@code data[0, len)} as an appendable block file (plain or framed). */
    static byte[] encodeAppendable(byte[] data, int len, StoreEncryption.DataKey key) {
        if (key == null) {
            byte[] out = new byte[HEADER_BYTES + len];
            System.arraycopy(header(0), 0, out, 0, HEADER_BYTES);
            System.arraycopy(data, 0, out, HEADER_BYTES, len);
            return out;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(HEADER_BYTES + len + len / 8);
        out.writeBytes(header(FLAG_ENCRYPTED));
        int p = 0;
        while (p < len) {
            int rl = Records.length(data, p);
            out.writeBytes(frame(data, p, rl, key, out.size()));
            p += rl;
        }
        return out.toByteArray();
    }

    /** One encrypted frame for the record {@code data[off, off+len)} placed at {@code fileOffset}. */
    static byte[] frame(byte[] data, int off, int len, StoreEncryption.DataKey key, long fileOffset) {
        byte[] sealed = StoreEncryption.seal(key.cipher(), key.key(), StoreEncryption.nonceForOffset(fileOffset),
                data, off, len);
        byte[] f = new byte[4 + sealed.length];
        Records.putU32(f, 0, sealed.length);
        System.arraycopy(sealed, 0, f, 4, sealed.length);
        return f;
    }

    /** Writes all of {@code buf} at the channel's end. */
    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Writes {@code content} to {@code target} through a temporary file and an atomic rename, fsynced. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        writeAtomically(target, content, true);
    }

    /** As {@link #writeAtomically(Path, byte[])}, fsyncing only when {@code sync}. */
    static void writeAtomically(Path target, byte[] content, boolean sync) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(content));
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory(target.getParent());
        }
    }

    /** fsyncs a directory so that renames and creations in it survive a crash. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems do not allow opening directories; the data itself was synced
        }
    }
}
