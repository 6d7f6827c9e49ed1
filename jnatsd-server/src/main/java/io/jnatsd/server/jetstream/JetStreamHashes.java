package io.jnatsd.server.jetstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * nats-server's short hashes ({@code server/events.go getHash}): SHA-256 of the text, its first 8 bytes each mapped
 * to {@code 0-9A-Za-z}. Used for source index names, stream identities and random names. Stateless; thread-safe.
 */
// nats-server: events.go getHash, getHashSize
public final class JetStreamHashes {

    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    private JetStreamHashes() {
    }

    /** The 8-character hash of {@code text}. */
    public static String hash(String text) {
        byte[] sum;
        try {
            sum = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        char[] out = new char[8];
        for (int i = 0; i < out.length; i++) {
            out[i] = DIGITS[(sum[i] & 0xff) % DIGITS.length];
        }
        return new String(out);
    }
}
