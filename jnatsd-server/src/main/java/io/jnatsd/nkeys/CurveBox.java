package io.jnatsd.nkeys;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * NaCl's {@code crypto_box} (Curve25519-XSalsa20-Poly1305), byte for byte as Go's {@code x/crypto/nacl/box}
 * {@code Seal}/{@code Open}, on which nkeys builds its xkeys:
 * <pre>
 *   shared = HSalsa20(X25519(ownPrivate, peerPublic), 0^16)          (box.Precompute)
 *   stream = XSalsa20(shared, nonce)                                   24-byte nonce
 *   box    = Poly1305(stream[0..32), ciphertext) || ciphertext         16-byte tag first
 *   ciphertext = message XOR stream[32..)
 * </pre>
 * X25519 is the JDK's ({@code KeyAgreement "X25519"}); the XSalsa20 stream, the Salsa20 core HSalsa20 is made of
 * and Poly1305 are Bouncy Castle's engines. One difference from Go: a peer key of small order (whose shared secret
 * is all zeros) is refused by the JDK, where Go would seal with a key everybody knows.
 * <p>
 * Stateless and thread-safe.
 */
final class CurveBox {
    /** Bytes of a box nonce. */
    static final int NONCE_BYTES = 24;
    /** Bytes of the Poly1305 tag in front of the ciphertext. */
    static final int TAG_BYTES = 16;
    private static final int KEY_BYTES = NKeyCodec.KEY_BYTES;
    private static final String X25519 = "X25519";
    /** "expand 32-byte k" as four little-endian words (Salsa20's sigma). */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    private CurveBox() {
    }

    /** {@code box.Seal}: the 16-byte tag followed by the encrypted {@code message}. */
    static byte[] seal(byte[] message, byte[] nonce, byte[] peerPublic, byte[] ownPrivate)
            throws InvalidKeyException {
        byte[] key = sharedKey(ownPrivate, peerPublic);
        try {
            XSalsa20Engine stream = stream(key, nonce);
            byte[] macKey = new byte[KEY_BYTES];
            stream.processBytes(macKey, 0, KEY_BYTES, macKey, 0);
            byte[] out = new byte[TAG_BYTES + message.length];
            stream.processBytes(message, 0, message.length, out, TAG_BYTES);
            Poly1305 mac = new Poly1305();
            mac.init(new KeyParameter(macKey));
            mac.update(out, TAG_BYTES, message.length);
            mac.doFinal(out, 0);
            Arrays.fill(macKey, (byte) 0);
            return out;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@code box.Open}: the message, or null when {@code box} is too short or its tag does not verify. */
    static byte[] open(byte[] box, byte[] nonce, byte[] peerPublic, byte[] ownPrivate) throws InvalidKeyException {
        if (box.length < TAG_BYTES) {
            return null;
        }
        byte[] key = sharedKey(ownPrivate, peerPublic);
        try {
            XSalsa20Engine stream = stream(key, nonce);
            byte[] macKey = new byte[KEY_BYTES];
            stream.processBytes(macKey, 0, KEY_BYTES, macKey, 0);
            Poly1305 mac = new Poly1305();
            mac.init(new KeyParameter(macKey));
            Arrays.fill(macKey, (byte) 0);
            int length = box.length - TAG_BYTES;
            mac.update(box, TAG_BYTES, length);
            byte[] tag = new byte[TAG_BYTES];
            mac.doFinal(tag, 0);
            if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, TAG_BYTES))) {
                return null;
            }
            byte[] out = new byte[length];
            stream.processBytes(box, TAG_BYTES, length, out, 0);
            return out;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce: " + nonce.length + " bytes (expected: " + NONCE_BYTES + ")");
        }
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    /**
     * {@code box.Precompute}: HSalsa20 keyed with the X25519 shared secret, over a zero input.
     *
     * @throws InvalidKeyException when the JDK refuses the keys (a peer key of small order)
     */
    static byte[] sharedKey(byte[] ownPrivate, byte[] peerPublic) throws InvalidKeyException {
        byte[] secret = x25519(ownPrivate, peerPublic);
        try {
            return hsalsa20(secret, new byte[16]);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] x25519(byte[] ownPrivate, byte[] peerPublic) throws InvalidKeyException {
        if (ownPrivate.length != KEY_BYTES || peerPublic.length != KEY_BYTES) {
            throw new InvalidKeyException("X25519 keys are " + KEY_BYTES + " bytes");
        }
        byte[] bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = peerPublic[KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f;                            // RFC 7748: the top bit of u is ignored, as Go does
        try {
            KeyFactory factory = KeyFactory.getInstance(X25519);
            PrivateKey own = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
                    ownPrivate.clone()));
            PublicKey peer = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    new BigInteger(1, bigEndian)));
            KeyAgreement agreement = KeyAgreement.getInstance(X25519);
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no X25519", e);
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new InvalidKeyException("X25519 failed: " + e.getMessage(), e);
        }
    }

    /** HSalsa20 (the first step of XSalsa20): Salsa20's core without the final addition, words 0,5,10,15,6..9. */
    static byte[] hsalsa20(byte[] key, byte[] input16) {
        int[] state = new int[16];
        state[0] = SIGMA[0];
        state[5] = SIGMA[1];
        state[10] = SIGMA[2];
        state[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            state[1 + i] = littleEndian(key, i * 4);
            state[11 + i] = littleEndian(key, 16 + i * 4);
            state[6 + i] = littleEndian(input16, i * 4);
        }
        int[] mixed = new int[16];
        Salsa20Engine.salsaCore(Salsa20Engine.DEFAULT_ROUNDS, state, mixed);
        int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
        byte[] out = new byte[KEY_BYTES];
        for (int i = 0; i < words.length; i++) {
            int w = mixed[words[i]] - state[words[i]];  // salsaCore adds the input back; HSalsa20 does not
            out[i * 4] = (byte) w;
            out[i * 4 + 1] = (byte) (w >>> 8);
            out[i * 4 + 2] = (byte) (w >>> 16);
            out[i * 4 + 3] = (byte) (w >>> 24);
        }
        Arrays.fill(mixed, 0);
        Arrays.fill(state, 0);
        return out;
    }

    private static int littleEndian(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16
                | (b[offset + 3] & 0xff) << 24;
    }
}
