package io.jnatsd.nkeys;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The nonce a server puts in INFO for clients to sign with their NKey: 11 random bytes in unpadded base64url,
 * 15 characters (nats-server {@code server/nkey.go} {@code generateNonce}).
 *
 * <p>Thread-safe. One DRBG, seeded once from the platform's entropy source, serves all threads, so a nonce costs
 * no system call.
 */
public final class Nonces {
    /** Random bytes in a nonce (nats-server {@code nonceRawLen}). */
    public static final int RAW_BYTES = 11;
    /** Characters in an encoded nonce (nats-server {@code nonceLen}). */
    public static final int ENCODED_CHARS = 15;

    private static final SecureRandom RANDOM = newRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Nonces() {
    }

    /** A fresh nonce, e.g. {@code "QW-1bYyaWfxmXS8"}. */
    public static String newNonce() {
        byte[] raw = new byte[RAW_BYTES];
        RANDOM.nextBytes(raw);
        return ENCODER.encodeToString(raw);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
