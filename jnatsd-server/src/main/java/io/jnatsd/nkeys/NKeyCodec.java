package io.jnatsd.nkeys;

import java.util.Arrays;

/**
 * Text encoding of NKeys: prefix, payload and CRC-16 checksum in base32 (nkeys {@code strkey.go}). Errors are
 * {@link IllegalArgumentException}s carrying the nkeys error texts, so callers can log what nats-server logs.
 *
 * <p>Stateless and thread-safe.
 */
final class NKeyCodec {
    static final String ERR_INVALID_PREFIX_BYTE = "nkeys: invalid prefix byte";
    static final String ERR_INVALID_PUBLIC_KEY = "nkeys: invalid public key";
    static final String ERR_INVALID_SEED_LEN = "nkeys: invalid seed length";
    static final String ERR_INVALID_SEED = "nkeys: invalid seed";
    static final String ERR_INVALID_ENCODING = "nkeys: invalid encoded key";
    static final String ERR_INVALID_CHECKSUM = "nkeys: invalid checksum";
    static final String ERR_CANNOT_SIGN = "nkeys: can not sign, no private key available";
    static final String ERR_PUBLIC_KEY_ONLY = "nkeys: no seed or private key available";
    static final String ERR_INVALID_CURVE_SEED = "nkeys: not a valid curve seed";
    static final String ERR_CURVE_KEY_OPERATION = "nkeys: curve key is not valid for sign/verify";
    static final String ERR_INVALID_RECIPIENT = "nkeys: not a valid recipient public curve key";
    static final String ERR_INVALID_SENDER = "nkeys: not a valid sender public curve key";
    static final String ERR_INVALID_ENCRYPTED = "nkeys: encrypted input is not valid";
    static final String ERR_INVALID_ENC_VERSION = "nkeys: encrypted input wrong version";
    static final String ERR_COULD_NOT_DECRYPT = "nkeys: could not decrypt input";
    static final String ERR_NKEY_OPERATION = "nkeys: only curve key can seal/open";
    static final String ERR_CANNOT_OPEN = "nkeys: cannot open no private curve key available";
    static final String ERR_CANNOT_SEAL = "nkeys: cannot seal no private curve key available";

    /** Raw length of keys and seeds, for Ed25519 and X25519 alike. */
    static final int KEY_BYTES = 32;

    private static final int CHECKSUM_BYTES = 2;

    private NKeyCodec() {
    }

    /** A decoded seed: the type of key it makes and its raw bytes (not necessarily {@link #KEY_BYTES} long). */
    record Seed(NKeyType type, byte[] raw) {
    }

    /** Encodes a public key of {@code type}. */
    static String encodePublic(NKeyType type, byte[] key) {
        byte[] raw = new byte[1 + key.length + CHECKSUM_BYTES];
        raw[0] = (byte) type.prefixByte();
        System.arraycopy(key, 0, raw, 1, key.length);
        return Base32.encode(withChecksum(raw));
    }

    /** Encodes a 32-byte seed for a key of {@code type}. */
    // nats-server: nkeys strkey.go EncodeSeed, the type's prefix split over the two leading bytes
    static String encodeSeed(NKeyType type, byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException(ERR_INVALID_SEED_LEN);
        }
        byte[] raw = new byte[2 + KEY_BYTES + CHECKSUM_BYTES];
        raw[0] = (byte) (NKeyType.SEED_PREFIX_BYTE | (type.prefixByte() >> 5));
        raw[1] = (byte) ((type.prefixByte() & 31) << 3);
        System.arraycopy(seed, 0, raw, 2, KEY_BYTES);
        try {
            return Base32.encode(withChecksum(raw));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Decodes base32 and checks the checksum; returns the bytes before the checksum (at least two).
     *
     * @throws IllegalArgumentException with the base32 error, {@value #ERR_INVALID_ENCODING} or
     *     {@value #ERR_INVALID_CHECKSUM}
     */
    // nats-server: nkeys strkey.go decode
    static byte[] decode(CharSequence text) {
        byte[] raw = Base32.decode(text);
        if (raw.length < 2 + CHECKSUM_BYTES) {
            throw new IllegalArgumentException(ERR_INVALID_ENCODING);
        }
        int payloadBytes = raw.length - CHECKSUM_BYTES;
        int expected = (raw[payloadBytes] & 0xff) | (raw[payloadBytes + 1] & 0xff) << 8;
        if (Crc16.compute(raw, 0, payloadBytes) != expected) {
            throw new IllegalArgumentException(ERR_INVALID_CHECKSUM);
        }
        return Arrays.copyOf(raw, payloadBytes);
    }

    /**
     * Decodes a public key: its type from the first byte and the rest as the key. Like nkeys, the key's length is
     * not checked here.
     *
     * @throws IllegalArgumentException as {@link #decode} does, or {@value #ERR_INVALID_PUBLIC_KEY} when the first
     *     byte is no public-key prefix
     */
    // nats-server: nkeys keypair.go FromPublicKey
    static NKeyType decodePublicType(byte[] decoded) {
        NKeyType type = NKeyType.ofPrefixByte(decoded[0] & 0xff);
        if (type == null) {
            throw new IllegalArgumentException(ERR_INVALID_PUBLIC_KEY);
        }
        return type;
    }

    /**
     * Decodes a seed into its key type and raw seed bytes.
     *
     * @throws IllegalArgumentException as {@link #decode} does, or {@value #ERR_INVALID_SEED} when the prefix is not
     *     a seed's or names no key type
     */
    // nats-server: nkeys strkey.go DecodeSeed
    static Seed decodeSeed(CharSequence text) {
        byte[] decoded = decode(text);
        try {
            int first = decoded[0] & 0xff;
            int second = decoded[1] & 0xff;
            if ((first & 0xf8) != NKeyType.SEED_PREFIX_BYTE) {
                throw new IllegalArgumentException(ERR_INVALID_SEED);
            }
            NKeyType type = NKeyType.ofPrefixByte(((first & 7) << 5) | ((second & 0xf8) >> 3));
            if (type == null) {
                throw new IllegalArgumentException(ERR_INVALID_SEED);
            }
            return new Seed(type, Arrays.copyOfRange(decoded, 2, decoded.length));
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /**
     * Whether {@code text} is a well-formed public key of {@code type}, or of any type if {@code type} is
     * {@code null}. As in nkeys only prefix and checksum are checked, and the typed check ignores the low three bits
     * of the prefix byte (they only show in the second letter).
     */
    // nats-server: nkeys strkey.go IsValidPublicKey (exact prefix byte) and IsValidPublicUserKey etc. (via Decode)
    static boolean isValidPublic(CharSequence text, NKeyType type) {
        byte[] decoded;
        try {
            decoded = decode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int prefixByte = decoded[0] & 0xff;
        if (type == null) {
            return NKeyType.ofPrefixByte(prefixByte) != null;
        }
        return (prefixByte & 0xf8) == type.prefixByte();
    }

    private static byte[] withChecksum(byte[] raw) {
        int payloadBytes = raw.length - CHECKSUM_BYTES;
        int crc = Crc16.compute(raw, 0, payloadBytes);
        raw[payloadBytes] = (byte) crc;
        raw[payloadBytes + 1] = (byte) (crc >>> 8);
        return raw;
    }
}
