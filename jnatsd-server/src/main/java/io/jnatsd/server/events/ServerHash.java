package io.jnatsd.server.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** nats-server's server node hash ({@code getHash}): used in {@code $SYS._INBOX.<hash>.*}. Stateless. */
public final class ServerHash {

    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 8;

    private ServerHash() {
    }

    /** The first 8 bytes of SHA-256 of {@code name}, each mapped to a base-62 digit. */
    // nats-server: events.go getHash, getHashSize
    public static String of(String name) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                out[i] = DIGITS[(sha[i] & 0xff) % DIGITS.length];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
