package io.jnatsd.common;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * NATS unique identifiers: 22 base-62 characters, a 12-character random prefix followed by a 10-character sequence
 * that grows by a random step and re-randomizes the prefix when it overflows ({@code github.com/nats-io/nuid}).
 * Used for event ids, inbox-like subjects and random names.
 * <p>
 * Thread-safe: {@link #next()} uses a global generator under a lock; the result is unique within the process.
 */
public final class Nuid {

    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int BASE = 62;
    private static final int PREFIX_LENGTH = 12;
    private static final int SEQUENCE_LENGTH = 10;
    /** The total length of a NUID. */
    public static final int LENGTH = PREFIX_LENGTH + SEQUENCE_LENGTH;
    private static final long MAX_SEQUENCE = 839_299_365_868_340_224L;   // 62^10
    private static final long MIN_INCREMENT = 33;
    private static final long MAX_INCREMENT = 333;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Nuid GLOBAL = new Nuid();

    private final char[] prefix = new char[PREFIX_LENGTH];
    private long sequence;
    private long increment;

    private Nuid() {
        randomizePrefix();
        resetSequence();
    }

    /** A new NUID from the global generator. */
    public static String next() {
        synchronized (GLOBAL) {
            return GLOBAL.nextLocked();
        }
    }

    private String nextLocked() {
        sequence += increment;
        if (sequence >= MAX_SEQUENCE) {
            randomizePrefix();
            resetSequence();
        }
        char[] out = new char[LENGTH];
        System.arraycopy(prefix, 0, out, 0, PREFIX_LENGTH);
        long l = sequence;
        for (int i = LENGTH - 1; i >= PREFIX_LENGTH; i--) {
            out[i] = DIGITS[(int) (l % BASE)];
            l /= BASE;
        }
        return new String(out);
    }

    private void randomizePrefix() {
        byte[] b = new byte[PREFIX_LENGTH];
        RANDOM.nextBytes(b);
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            prefix[i] = DIGITS[(b[i] & 0xff) % BASE];
        }
    }

    private void resetSequence() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        sequence = r.nextLong(MAX_SEQUENCE);
        increment = MIN_INCREMENT + r.nextLong(MAX_INCREMENT - MIN_INCREMENT);
    }
}
