package io.jnatsd.store.file;

/** The AEAD used for encryption at rest: the {@code cipher} key of the {@code jetstream {}} block. */
// nats-server: filestore.go StoreCipher
public enum StoreCipher {
    /** ChaCha20-Poly1305 (nats-server's default; {@code chacha}, {@code chachapoly}). */
    CHACHA("ChaCha20-Poly1305", "ChaCha20-Poly1305"),
    /** AES-256-GCM ({@code aes}). */
    AES("AES-GCM", "AES/GCM/NoPadding");

    private final String displayName;
    private final String transformation;

    StoreCipher(String displayName, String transformation) {
        this.displayName = displayName;
        this.transformation = transformation;
    }

    /** nats-server's name for it ({@code ChaCha20-Poly1305}, {@code AES-GCM}). */
    public String displayName() {
        return displayName;
    }

    /** The JDK transformation. */
    String transformation() {
        return transformation;
    }

    /** The cipher for a configuration value ({@code chacha}, {@code chachapoly}, {@code aes}), or null. */
    public static StoreCipher fromConfig(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "chacha", "chachapoly" -> CHACHA;
            case "aes" -> AES;
            default -> null;
        };
    }
}
