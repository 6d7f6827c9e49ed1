package io.jnatsd.store.file;

import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encryption at rest. Every encrypted file (a block, {@code index.db}, a consumer's {@code o.dat}) has its own random
 * 256-bit data key; the data key is stored next to it wrapped (AEAD-sealed) with a key-encryption key derived from
 * the server key: {@code KEK = HMAC-SHA256(key, account || context)}, the context naming the file (the stream name,
 * {@code "<stream>:<block index>"}, {@code "<stream>:<consumer>"}). With a previous key ({@code prev_key}) configured,
 * a wrapped key that only opens with it is re-wrapped with the current key when read: re-keying touches the small key
 * files, never the data.
 * <p>
 * Wrapped key layout: {@code u8 version (1) | u8 cipher (0 ChaCha20-Poly1305, 1 AES-GCM) | 12-byte nonce |
 * AEAD(KEK, 32-byte data key) (48 bytes)}. The data key's cipher is the one recorded there, so changing {@code cipher}
 * applies to files written afterwards.
 * <p>
 * Immutable and thread-safe.
 *
 * @param cipher  cipher for new keys and data
 * @param key     the server key ({@code jetstream.key})
 * @param prevKey the previous server key ({@code jetstream.prev_key}), or null
 * @param account the account of the streams (part of the derivation context)
 */
// nats-server: jetstream.go jsKeyGen (HMAC-SHA256 of account and context), filestore.go genEncryptionKeys /
// recoverAEK / convertCipher; layout ours
public record StoreEncryption(StoreCipher cipher, String key, String prevKey, String account) {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int WRAPPED_BYTES = 2 + NONCE_BYTES + KEY_BYTES + TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    public StoreEncryption {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key: empty (expected: the jetstream encryption key)");
        }
        account = account == null ? "" : account;
    }

    /** A data key with its cipher. */
    record DataKey(StoreCipher cipher, byte[] key) {
    }

    /** A new random data key for {@link #cipher()}. */
    DataKey newDataKey() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return new DataKey(cipher, k);
    }

    /** Wraps {@code dataKey} for {@code context} with the current key. */
    byte[] wrap(String context, DataKey dataKey) {
        byte[] kek = kek(key, context);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = seal(cipher, kek, nonce, dataKey.key(), 0, KEY_BYTES);
        byte[] out = new byte[WRAPPED_BYTES];
        out[0] = 1;
        out[1] = (byte) dataKey.cipher().ordinal();
        System.arraycopy(nonce, 0, out, 2, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, 2 + NONCE_BYTES, sealed.length);
        return out;
    }

    /** An unwrapped key and whether it opened only with the previous key (and must be re-wrapped). */
    record Unwrapped(DataKey key, boolean rewrap) {
    }

    /**
     * Unwraps a key written by {@link #wrap}: with the current server key (either cipher), then the previous one.
     *
     * @throws StoreException {@link StoreError#IO} when no key opens it
     */
    Unwrapped unwrap(String context, byte[] wrapped) {
        if (wrapped.length != WRAPPED_BYTES || wrapped[0] != 1 || wrapped[1] < 0
                || wrapped[1] >= StoreCipher.values().length) {
            throw new StoreException(StoreError.IO, "bad encryption key file for " + context);
        }
        StoreCipher dataCipher = StoreCipher.values()[wrapped[1]];
        byte[] nonce = Arrays.copyOfRange(wrapped, 2, 2 + NONCE_BYTES);
        String[] keys = prevKey == null || prevKey.isEmpty() ? new String[] {key} : new String[] {key, prevKey};
        for (int i = 0; i < keys.length; i++) {
            for (StoreCipher c : new StoreCipher[] {dataCipher, other(dataCipher)}) {
                try {
                    byte[] dk = open(c, kek(keys[i], context), nonce, wrapped, 2 + NONCE_BYTES,
                            KEY_BYTES + TAG_BYTES);
                    return new Unwrapped(new DataKey(dataCipher, dk), i > 0 || c != dataCipher);
                } catch (AEADBadTagException wrongKey) {
                    // try the next key
                }
            }
        }
        throw new StoreException(StoreError.IO, "unable to recover keys for " + context);
    }

    private static StoreCipher other(StoreCipher c) {
        return c == StoreCipher.CHACHA ? StoreCipher.AES : StoreCipher.CHACHA;
    }

    // nats-server: jetstream.go jsKeyGen
    private byte[] kek(String serverKey, String context) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(account.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Seals {@code plain[off, off+len)}; the result is ciphertext followed by the 16-byte tag. */
    static byte[] seal(StoreCipher c, byte[] key, byte[] nonce, byte[] plain, int off, int len) {
        try {
            return cipher(c, Cipher.ENCRYPT_MODE, key, nonce).doFinal(plain, off, len);
        } catch (GeneralSecurityException e) {
            throw new StoreException(StoreError.IO, "encryption failed: " + e.getMessage(), e);
        }
    }

    /** Opens a sealed {@code buf[off, off+len)}. */
    static byte[] open(StoreCipher c, byte[] key, byte[] nonce, byte[] buf, int off, int len)
            throws AEADBadTagException {
        try {
            return cipher(c, Cipher.DECRYPT_MODE, key, nonce).doFinal(buf, off, len);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new StoreException(StoreError.IO, "decryption failed: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(StoreCipher c, int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(c.transformation());
        cipher.init(mode, new SecretKeySpec(key, c == StoreCipher.AES ? "AES" : "ChaCha20"), spec(c, nonce));
        return cipher;
    }

    private static java.security.spec.AlgorithmParameterSpec spec(StoreCipher c, byte[] nonce) {
        return c == StoreCipher.AES ? new GCMParameterSpec(TAG_BYTES * 8, nonce) : new IvParameterSpec(nonce);
    }

    /** The nonce of a frame at {@code fileOffset}: four zero bytes, then the offset (little endian). */
    static byte[] nonceForOffset(long fileOffset) {
        byte[] n = new byte[NONCE_BYTES];
        Records.putU64(n, 4, fileOffset);
        return n;
    }

    @Override
    public String toString() {
        return "StoreEncryption[" + cipher.displayName() + (prevKey == null ? "" : ", with previous key") + "]";
    }
}
