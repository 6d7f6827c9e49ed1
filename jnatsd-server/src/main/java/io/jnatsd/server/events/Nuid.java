package io.jnatsd.server.events;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids as the NATS {@code nuid} package makes them: 22 base-62 characters, a random 12-character prefix and a
 * 10-character sequence that advances by a random increment (the prefix is renewed when the sequence overflows).
 * Thread-safe (synchronized; events are rare).
 */
// nats-server: github.com/nats-io/nuid nuid.go
final class Nuid {

    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int BASE = 62;
    private static final int PREFIX_LENGTH = 12;
    private static final int SEQUENCE_LENGTH = 10;
    private static final long MAX_SEQUENCE = 839_299_365_868_340_224L;   // 62^10
    private static final long MIN_INCREMENT = 33;
    private static final long MAX_INCREMENT = 333;

    private final SecureRandom random = new SecureRandom();
    private final char[] prefix = new char[PREFIX_LENGTH];
    private long sequence;
    private long increment;

    Nuid() {
        renew();
    }

    private void renew() {
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            prefix[i] = DIGITS[random.nextInt(BASE)];
        }
        sequence = ThreadLocalRandom.current().nextLong(MAX_SEQUENCE);
        increment = MIN_INCREMENT + ThreadLocalRandom.current().nextLong(MAX_INCREMENT - MIN_INCREMENT);
    }

    synchronized String next() {
        sequence += increment;
        if (sequence >= MAX_SEQUENCE) {
            renew();
        }
        char[] out = new char[PREFIX_LENGTH + SEQUENCE_LENGTH];
        System.arraycopy(prefix, 0, out, 0, PREFIX_LENGTH);
        long l = sequence;
        for (int i = out.length - 1; i >= PREFIX_LENGTH; i--) {
            out[i] = DIGITS[(int) (l % BASE)];
            l /= BASE;
        }
        return new String(out);
    }
}
