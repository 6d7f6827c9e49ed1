package io.jnatsd.nkeys;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * An NKey: either a full key pair made from a seed ({@code "SU..."}, {@code "SA..."}, ...), or a verify-only public
 * key ({@code "U..."}, {@code "N..."}, ...). Ed25519 for every type but {@link NKeyType#CURVE}, which is X25519,
 * can neither sign nor verify but seals and opens messages for other curve keys (NaCl boxes, {@link #seal},
 * {@link #open}; nkeys {@code keypair.go}, {@code public.go}, {@code xkeys.go}).
 *
 * <p>Immutable and thread-safe. Factory methods throw {@link IllegalArgumentException} with the nkeys error text
 * ({@code "nkeys: invalid seed"}, {@code "nkeys: invalid checksum"}, ...) for bad input; operations a key cannot do
 * throw {@link IllegalStateException} with the nkeys text.
 */
public final class NKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NKeyType type;
    private final String publicKey;
    private final String seed;                           // null for a verify-only key
    private final PublicKey verifyKey;                   // null for CURVE keys and unusable public keys
    private final PrivateKey signKey;                    // null for CURVE keys and verify-only keys

    private NKey(NKeyType type, String publicKey, String seed, PublicKey verifyKey, PrivateKey signKey) {
        this.type = type;
        this.publicKey = publicKey;
        this.seed = seed;
        this.verifyKey = verifyKey;
        this.signKey = signKey;
    }

    /** A new random server key pair; its public key is what nats-server uses as its id. */
    public static NKey createServer() {
        return create(NKeyType.SERVER);
    }

    /** A new random user key pair. */
    public static NKey createUser() {
        return create(NKeyType.USER);
    }

    /** A new random account key pair. */
    public static NKey createAccount() {
        return create(NKeyType.ACCOUNT);
    }

    /** A new random operator key pair. */
    public static NKey createOperator() {
        return create(NKeyType.OPERATOR);
    }

    /** A new key pair of {@code type} from 32 bytes of a {@link SecureRandom}. */
    public static NKey create(NKeyType type) {
        Objects.requireNonNull(type, "type");
        byte[] raw = new byte[NKeyCodec.KEY_BYTES];
        RANDOM.nextBytes(raw);
        try {
            return fromRawSeed(type, raw, NKeyCodec.encodeSeed(type, raw));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * The key pair an encoded seed stands for.
     *
     * @throws IllegalArgumentException {@code illegal base32 data at input byte N}, {@code nkeys: invalid encoded key},
     *     {@code nkeys: invalid checksum}, {@code nkeys: invalid seed}, {@code nkeys: invalid seed length} or, for a
     *     curve seed, {@code nkeys: not a valid curve seed}
     */
    public static NKey fromSeed(String seed) {
        Objects.requireNonNull(seed, "seed");
        NKeyCodec.Seed decoded = NKeyCodec.decodeSeed(seed);
        try {
            if (decoded.raw().length != NKeyCodec.KEY_BYTES) {
                // nkeys: FromCurveSeed rejects the length itself; for Ed25519 Go would fail later, on first use
                throw new IllegalArgumentException(decoded.type() == NKeyType.CURVE
                        ? NKeyCodec.ERR_INVALID_CURVE_SEED : NKeyCodec.ERR_INVALID_SEED_LEN);
            }
            return fromRawSeed(decoded.type(), decoded.raw(), seed);
        } finally {
            Arrays.fill(decoded.raw(), (byte) 0);
        }
    }

    /**
     * A verify-only key for an encoded public key.
     *
     * @throws IllegalArgumentException {@code illegal base32 data at input byte N}, {@code nkeys: invalid encoded key},
     *     {@code nkeys: invalid checksum}, or {@code nkeys: invalid public key} when the prefix is not a public
     *     key's or the key is not 32 bytes long
     */
    public static NKey fromPublicKey(String publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        byte[] decoded = NKeyCodec.decode(publicKey);
        NKeyType type = NKeyCodec.decodePublicType(decoded);
        if (decoded.length != 1 + NKeyCodec.KEY_BYTES) {
            // nkeys accepts any length here, and ed25519.Verify then panics; refuse up front instead
            throw new IllegalArgumentException(NKeyCodec.ERR_INVALID_PUBLIC_KEY);
        }
        byte[] raw = Arrays.copyOfRange(decoded, 1, decoded.length);
        PublicKey verifyKey = type == NKeyType.CURVE ? null : CurveKeys.ed25519PublicKey(raw).orElse(null);
        return new NKey(type, NKeyCodec.encodePublic(type, raw), null, verifyKey, null);
    }

    /**
     * Whether {@code key} is an encoded public key of {@code type}: base32 and checksum valid and the prefix right.
     * Like nkeys' {@code IsValidPublicUserKey} and friends it does not check the key's length.
     */
    public static boolean isValidPublicKey(String key, NKeyType type) {
        Objects.requireNonNull(type, "type");
        return key != null && NKeyCodec.isValidPublic(key, type);
    }

    /** Whether {@code key} is an encoded public key of any type (nkeys {@code IsValidPublicKey}). */
    public static boolean isValidPublicKey(String key) {
        return key != null && NKeyCodec.isValidPublic(key, null);
    }

    /** The encoded public key, 56 characters starting with {@link NKeyType#prefixChar()}. */
    public String publicKey() {
        return publicKey;
    }

    /**
     * The encoded seed, 58 characters starting with {@code 'S'} and the type letter.
     *
     * @throws IllegalStateException {@code nkeys: no seed or private key available} for a verify-only key
     */
    public String seed() {
        if (seed == null) {
            throw new IllegalStateException(NKeyCodec.ERR_PUBLIC_KEY_ONLY);
        }
        return seed;
    }

    /** Whether this key has its seed and so can sign. */
    public boolean hasSeed() {
        return seed != null;
    }

    /** The kind of key. */
    public NKeyType type() {
        return type;
    }

    /**
     * The 64-byte Ed25519 signature of {@code data}.
     *
     * @throws IllegalStateException {@code nkeys: curve key is not valid for sign/verify} for a curve key,
     *     {@code nkeys: can not sign, no private key available} for a verify-only key
     */
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        requireSigningType();
        if (signKey == null) {
            throw new IllegalStateException(NKeyCodec.ERR_CANNOT_SIGN);
        }
        return CurveKeys.sign(signKey, data);
    }

    /**
     * Whether {@code signature} is this key's Ed25519 signature of {@code data}. A signature of the wrong length,
     * or a public key that is no curve point, verifies nothing.
     *
     * @throws IllegalStateException {@code nkeys: curve key is not valid for sign/verify} for a curve key
     */
    public boolean verify(byte[] data, byte[] signature) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signature, "signature");
        requireSigningType();
        return verifyKey != null && CurveKeys.verify(verifyKey, data, signature);
    }

    /** The version tag in front of every sealed message ({@code nkeys XKeyVersionV1}). */
    public static final String XKEY_VERSION_V1 = "xkv1";
    private static final byte[] XKEY_VERSION = XKEY_VERSION_V1.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Encrypts {@code input} for the curve key {@code recipient} with this curve key, under a random nonce:
     * {@code "xkv1"}, the 24-byte nonce, then the NaCl box (tag and ciphertext), as nkeys' {@code Seal}.
     *
     * @throws IllegalStateException    {@code nkeys: only curve key can seal/open} for a non-curve key,
     *                                  {@code nkeys: cannot seal no private curve key available} without a seed
     * @throws IllegalArgumentException {@code nkeys: not a valid recipient public curve key}
     */
    // nkeys: xkeys.go ckp.Seal, SealWithRand
    public byte[] seal(byte[] input, String recipient) {
        byte[] nonce = new byte[CurveBox.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return seal(input, recipient, nonce);
    }

    /** {@link #seal(byte[], String)} with a given nonce (for tests against vectors). */
    byte[] seal(byte[] input, String recipient, byte[] nonce) {
        Objects.requireNonNull(input, "input");
        byte[] ownPrivate = curvePrivate(NKeyCodec.ERR_CANNOT_SEAL);
        try {
            byte[] peer = curvePublic(recipient, NKeyCodec.ERR_INVALID_RECIPIENT);
            byte[] box;
            try {
                box = CurveBox.seal(input, nonce, peer, ownPrivate);
            } catch (java.security.InvalidKeyException e) {
                throw new IllegalArgumentException(NKeyCodec.ERR_INVALID_RECIPIENT, e);
            }
            byte[] out = new byte[XKEY_VERSION.length + nonce.length + box.length];
            System.arraycopy(XKEY_VERSION, 0, out, 0, XKEY_VERSION.length);
            System.arraycopy(nonce, 0, out, XKEY_VERSION.length, nonce.length);
            System.arraycopy(box, 0, out, XKEY_VERSION.length + nonce.length, box.length);
            return out;
        } finally {
            Arrays.fill(ownPrivate, (byte) 0);
        }
    }

    /**
     * Decrypts what the curve key {@code sender} sealed for this curve key ({@link #seal}), as nkeys' {@code Open}.
     *
     * @throws IllegalStateException    {@code nkeys: only curve key can seal/open} for a non-curve key,
     *                                  {@code nkeys: cannot open no private curve key available} without a seed
     * @throws IllegalArgumentException {@code nkeys: encrypted input is not valid} (too short),
     *                                  {@code nkeys: encrypted input wrong version} (no {@code xkv1} tag),
     *                                  {@code nkeys: not a valid sender public curve key},
     *                                  {@code nkeys: could not decrypt input} (wrong keys or altered bytes)
     */
    // nkeys: xkeys.go ckp.Open
    public byte[] open(byte[] input, String sender) {
        Objects.requireNonNull(input, "input");
        byte[] ownPrivate = curvePrivate(NKeyCodec.ERR_CANNOT_OPEN);
        try {
            int header = XKEY_VERSION.length + CurveBox.NONCE_BYTES;
            if (input.length <= header) {
                throw new IllegalArgumentException(NKeyCodec.ERR_INVALID_ENCRYPTED);
            }
            if (!Arrays.equals(input, 0, XKEY_VERSION.length, XKEY_VERSION, 0, XKEY_VERSION.length)) {
                throw new IllegalArgumentException(NKeyCodec.ERR_INVALID_ENC_VERSION);
            }
            byte[] nonce = Arrays.copyOfRange(input, XKEY_VERSION.length, header);
            byte[] peer = curvePublic(sender, NKeyCodec.ERR_INVALID_SENDER);
            byte[] message;
            try {
                message = CurveBox.open(Arrays.copyOfRange(input, header, input.length), nonce, peer, ownPrivate);
            } catch (java.security.InvalidKeyException e) {
                message = null;
            }
            if (message == null) {
                throw new IllegalArgumentException(NKeyCodec.ERR_COULD_NOT_DECRYPT);
            }
            return message;
        } finally {
            Arrays.fill(ownPrivate, (byte) 0);
        }
    }

    /** The raw X25519 private key of this curve key (a copy the caller wipes). */
    private byte[] curvePrivate(String missingSeedError) {
        if (type != NKeyType.CURVE) {
            throw new IllegalStateException(NKeyCodec.ERR_NKEY_OPERATION);
        }
        if (seed == null) {
            throw new IllegalStateException(missingSeedError);
        }
        return NKeyCodec.decodeSeed(seed).raw();
    }

    /** The raw X25519 key of an encoded public curve key; {@code error} when it is not one. */
    // nkeys: xkeys.go decodePubCurveKey
    private static byte[] curvePublic(String key, String error) {
        byte[] decoded;
        try {
            decoded = NKeyCodec.decode(Objects.requireNonNull(key, "key"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(error, e);
        }
        if (decoded.length != 1 + NKeyCodec.KEY_BYTES || (decoded[0] & 0xff) != NKeyType.CURVE.prefixByte()) {
            throw new IllegalArgumentException(error);
        }
        return Arrays.copyOfRange(decoded, 1, decoded.length);
    }

    /** Type and public key; never the seed. */
    @Override
    public String toString() {
        return "NKey[" + type + " " + publicKey + (seed == null ? ", public only]" : "]");
    }

    private void requireSigningType() {
        if (type == NKeyType.CURVE) {
            throw new IllegalStateException(NKeyCodec.ERR_CURVE_KEY_OPERATION);
        }
    }

    private static NKey fromRawSeed(NKeyType type, byte[] raw, String encodedSeed) {
        if (type == NKeyType.CURVE) {
            byte[] publicRaw = CurveKeys.x25519PublicKey(raw);
            return new NKey(type, NKeyCodec.encodePublic(type, publicRaw), encodedSeed, null, null);
        }
        KeyPair pair = CurveKeys.ed25519FromSeed(raw);
        byte[] publicRaw = CurveKeys.ed25519Raw((EdECPublicKey) pair.getPublic());
        return new NKey(type, NKeyCodec.encodePublic(type, publicRaw), encodedSeed, pair.getPublic(),
                pair.getPrivate());
    }

    /** Raw 32-byte public key, for tests against published vectors. */
    byte[] rawPublicKey() {
        byte[] decoded = NKeyCodec.decode(publicKey);
        return Arrays.copyOfRange(decoded, 1, decoded.length);
    }
}
