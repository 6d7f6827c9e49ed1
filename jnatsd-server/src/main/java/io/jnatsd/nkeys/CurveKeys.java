package io.jnatsd.nkeys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ed25519 and X25519 on raw 32-byte keys, done by the JDK's providers, with the RFC 8032 / RFC 7748 byte encodings
 * that Go's {@code crypto/ed25519} and {@code x/crypto/curve25519} (and so nkeys) use.
 *
 * <p>The JDK has no call that derives a public key from a given private key, so {@link #ed25519FromSeed} and
 * {@link #x25519PublicKey} hand the seed to the JDK's key-pair generator as its only "random" bytes, and then check
 * that the private key it made is exactly that seed.
 *
 * <p>Stateless and thread-safe.
 */
final class CurveKeys {
    private static final int KEY_BYTES = NKeyCodec.KEY_BYTES;
    /** Length of an Ed25519 signature. */
    static final int SIGNATURE_BYTES = 64;
    private static final String ED25519 = "Ed25519";
    private static final String X25519 = "X25519";

    private CurveKeys() {
    }

    /** The Ed25519 key pair whose 32-byte private seed is {@code seed} (Go's {@code ed25519.NewKeyFromSeed}). */
    static KeyPair ed25519FromSeed(byte[] seed) {
        KeyPair pair = generateFrom(ED25519, NamedParameterSpec.ED25519, seed);
        requireSeed(((EdECPrivateKey) pair.getPrivate()).getBytes(), seed);
        return pair;
    }

    /** The X25519 public key (the u-coordinate of {@code seed}·9, little-endian) for a raw 32-byte private key. */
    static byte[] x25519PublicKey(byte[] seed) {
        KeyPair pair = generateFrom(X25519, NamedParameterSpec.X25519, seed);
        requireSeed(((XECPrivateKey) pair.getPrivate()).getScalar(), seed);
        return littleEndian(((XECPublicKey) pair.getPublic()).getU());
    }

    /**
     * The RFC 8032 encoding of an Ed25519 public key: y little-endian, with the parity of x in the top bit of the
     * last byte.
     */
    static byte[] ed25519Raw(EdECPublicKey key) {
        EdECPoint point = key.getPoint();
        byte[] raw = littleEndian(point.getY());
        if (point.isXOdd()) {
            raw[KEY_BYTES - 1] |= (byte) 0x80;
        }
        return raw;
    }

    /**
     * The JDK public key for a raw (RFC 8032 encoded) Ed25519 public key, or empty when the JDK rejects the
     * encoding; such a key verifies nothing, as in Go.
     */
    static Optional<PublicKey> ed25519PublicKey(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            return Optional.empty();
        }
        boolean xOdd = (raw[KEY_BYTES - 1] & 0x80) != 0;
        byte[] bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = raw[KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        try {
            return Optional.of(KeyFactory.getInstance(ED25519)
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point)));
        } catch (InvalidKeySpecException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw missingAlgorithm(e);
        }
    }

    /** The 64-byte Ed25519 signature of {@code data}. */
    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance(ED25519);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (NoSuchAlgorithmException e) {
            throw missingAlgorithm(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code sig} is a valid Ed25519 signature of {@code data}; malformed input is just invalid. */
    static boolean verify(PublicKey key, byte[] data, byte[] sig) {
        if (sig.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(ED25519);
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(sig);
        } catch (NoSuchAlgorithmException e) {
            throw missingAlgorithm(e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;                                // e.g. a public key that is no curve point
        }
    }

    private static KeyPair generateFrom(String algorithm, NamedParameterSpec params, byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException(NKeyCodec.ERR_INVALID_SEED_LEN);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(params, new SeedFeed(seed));
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw missingAlgorithm(e);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(algorithm + " key generator rejected " + params.getName(), e);
        }
    }

    private static void requireSeed(Optional<byte[]> privateBytes, byte[] seed) {
        byte[] actual = privateBytes.orElse(null);
        boolean same = Arrays.equals(actual, seed);
        if (actual != null) {
            Arrays.fill(actual, (byte) 0);
        }
        if (!same) {
            throw new IllegalStateException("JDK key generator did not take the private key from the given seed");
        }
    }

    private static byte[] littleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();          // may carry a leading sign byte
        byte[] out = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    private static IllegalStateException missingAlgorithm(NoSuchAlgorithmException e) {
        return new IllegalStateException("the JDK provides no Ed25519/X25519", e);
    }

    /** A {@link SecureRandom} that yields one given block of bytes once and refuses anything else. */
    private static final class SeedFeed extends SecureRandom {
        private static final long serialVersionUID = 1L;

        SeedFeed(byte[] seed) {
            super(new Spi(seed), null);
        }

        private static final class Spi extends SecureRandomSpi {
            private static final long serialVersionUID = 1L;
            private final byte[] seed;
            private boolean consumed;

            Spi(byte[] seed) {
                this.seed = seed;
            }

            @Override
            protected void engineSetSeed(byte[] ignored) {
                // the output is fixed; extra seed material changes nothing
            }

            @Override
            protected void engineNextBytes(byte[] bytes) {
                if (consumed || bytes.length != seed.length) {
                    throw new IllegalStateException("key generator asked for " + bytes.length
                            + " random bytes (expected: one request for " + seed.length + ")");
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
                consumed = true;
            }

            @Override
            protected byte[] engineGenerateSeed(int numBytes) {
                throw new IllegalStateException("key generator asked for seed bytes");
            }
        }
    }
}
