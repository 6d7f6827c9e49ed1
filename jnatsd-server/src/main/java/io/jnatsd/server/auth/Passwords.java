package io.jnatsd.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Compares a password or token a client presented with the configured one, as nats-server does
 * ({@code server/auth.go isBcrypt}, {@code comparePasswords}): a configured value that looks like a bcrypt hash
 * ({@code $2a$}, {@code $2b$}, {@code $2x$}, {@code $2y$} and a two-digit cost) is checked with bcrypt, anything else
 * byte for byte in constant time.
 * <p>
 * bcrypt follows Go's {@code golang.org/x/crypto/bcrypt}: every minor version uses the same algorithm (the
 * {@code $2x$} bug of old C code is not emulated), only the first 72 bytes of the password count, and a malformed
 * hash matches nothing. Stateless; thread-safe.
 */
public final class Passwords {

    // nats-server: auth.go validBcryptPrefix
    private static final Pattern BCRYPT = Pattern.compile("^\\$2[abxy]\\$[0-9]{2}\\$.*");
    private static final BCrypt.Verifyer VERIFIER = BCrypt.verifyer(BCrypt.Version.VERSION_2A,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    private Passwords() {
    }

    /** Whether {@code configured} is a bcrypt hash rather than a plain text password or token. */
    public static boolean isBcrypt(String configured) {
        return configured.startsWith("$") && BCRYPT.matcher(configured).lookingAt();
    }

    /** Whether the client's {@code presented} value (null for none) matches {@code configured}. */
    // nats-server: auth.go comparePasswords
    public static boolean matches(String configured, String presented) {
        byte[] client = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        if (isBcrypt(configured)) {
            return bcryptMatches(configured, client);
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), client);
    }

    private static boolean bcryptMatches(String hash, byte[] password) {
        // The verifier knows every minor version; the hash is recomputed with the one the hash names, and the
        // algorithm is the same for all of them.
        byte[] normalised = hash.getBytes(StandardCharsets.UTF_8);
        normalised[2] = 'a';
        try {
            return VERIFIER.verifyStrict(password, normalised).verified;
        } catch (IllegalArgumentException e) {
            return false;                       // Go: CompareHashAndPassword returns an error, not a match
        }
    }
}
