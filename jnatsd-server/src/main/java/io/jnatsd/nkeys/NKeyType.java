package io.jnatsd.nkeys;

/**
 * The kinds of NKey, each with the prefix byte that makes its encoded public key start with a fixed letter
 * (nkeys {@code strkey.go} {@code PrefixByte*}). Seeds of a kind start with {@code 'S'} followed by that letter.
 */
public enum NKeyType {
    /** Operator keys, {@code 'O'}. */
    OPERATOR(14 << 3),
    /** Server keys, {@code 'N'}; a server's id is the public key of a fresh one. */
    SERVER(13 << 3),
    /** Cluster keys, {@code 'C'}. */
    CLUSTER(2 << 3),
    /** Account keys, {@code 'A'}. */
    ACCOUNT(0),
    /** User keys, {@code 'U'}. */
    USER(20 << 3),
    /** Curve25519 (X25519) keys for sealing messages, {@code 'X'}; they cannot sign. */
    CURVE(23 << 3);

    /** Prefix byte of an encoded seed, {@code 'S'} (nkeys {@code PrefixByteSeed}). */
    static final int SEED_PREFIX_BYTE = 18 << 3;

    private final int prefixByte;

    NKeyType(int prefixByte) {
        this.prefixByte = prefixByte;
    }

    /** The letter every encoded public key of this type starts with. */
    public char prefixChar() {
        return Base32.letter(prefixByte >> 3);
    }

    /** The first byte of an encoded public key of this type, before base32. */
    int prefixByte() {
        return prefixByte;
    }

    /** The public-key type whose prefix byte is {@code prefixByte}, or {@code null} if none is. */
    static NKeyType ofPrefixByte(int prefixByte) {
        for (NKeyType type : values()) {
            if (type.prefixByte == prefixByte) {
                return type;
            }
        }
        return null;
    }
}
