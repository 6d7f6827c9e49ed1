package io.jnatsd.nkeys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Curve keys sealing and opening (nkeys {@code xkeys.go}): NaCl box vectors, and boxes produced by Go's nkeys
 * (v0.4.6 over x/crypto's {@code nacl/box}, see {@code src/test/go/xkeys-vectors}) opened here and reproduced byte
 * for byte from the same nonce, so Go opens what jnatsd seals.
 */
class XKeysTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldDeriveTheNaclSharedKeyFromRfc7748Keys() throws Exception {
        // RFC 7748 section 6.1 (Alice's private key, Bob's public key); NaCl's core1 test expects this HSalsa20 key
        byte[] alicePrivate = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPublic = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

        byte[] key = CurveBox.sharedKey(alicePrivate, bobPublic);

        assertThat(HEX.formatHex(key)).isEqualTo("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    }

    /** x/crypto nacl/box TestBox, whose expected box "was generated using the C implementation of NaCl". */
    @Test
    void box() throws Exception {
        byte[] private1 = filled(32, 1);
        byte[] private2 = filled(32, 2);
        byte[] public1 = CurveKeys.x25519PublicKey(private1);

        byte[] box = CurveBox.seal(filled(64, 3), filled(24, 4), public1, private2);

        assertThat(HEX.formatHex(box)).isEqualTo("78ea30b19d2341ebbdba54180f821eec265cf86312549bea8a37652a8bb94f07"
                + "b78a73ed1708085e6ddd0e943bbdeb8755079a37eb31d86163ce241164a47629c0539f330b4914cd135b3855bc2a2dfc");
        assertThat(CurveBox.open(box, filled(24, 4), CurveKeys.x25519PublicKey(private2), private1))
                .isEqualTo(filled(64, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void shouldOpenAndReproduceBoxesSealedByGo(int index) throws IOException {
        Properties go = goVectors();
        NKey server = NKey.fromSeed(go.getProperty("server.seed"));
        NKey service = NKey.fromSeed(go.getProperty("service.seed"));
        byte[] message = HEX.parseHex(go.getProperty("message." + index));
        byte[] goSealed = HEX.parseHex(go.getProperty("sealed." + index));

        assertThat(server.publicKey()).isEqualTo(go.getProperty("server.public"));
        assertThat(service.publicKey()).isEqualTo(go.getProperty("service.public"));
        assertThat(service.open(goSealed, server.publicKey())).isEqualTo(message);
        byte[] nonce = Arrays.copyOfRange(goSealed, 4, 4 + CurveBox.NONCE_BYTES);
        assertThat(server.seal(message, service.publicKey(), nonce)).isEqualTo(goSealed);
    }

    @Test
    void shouldRoundTripWithRandomNonces() {
        NKey a = NKey.create(NKeyType.CURVE);
        NKey b = NKey.create(NKeyType.CURVE);
        byte[] message = "authorization_request".getBytes(StandardCharsets.US_ASCII);

        byte[] first = a.seal(message, b.publicKey());
        byte[] second = a.seal(message, b.publicKey());

        assertThat(first).startsWith("xkv1".getBytes(StandardCharsets.US_ASCII)).isNotEqualTo(second);
        assertThat(b.open(first, a.publicKey())).isEqualTo(message);
        assertThat(b.open(second, a.publicKey())).isEqualTo(message);
    }

    @Test
    void shouldRefuseEveryAlteredByteOfTheBox() {
        NKey a = NKey.create(NKeyType.CURVE);
        NKey b = NKey.create(NKeyType.CURVE);
        byte[] sealed = a.seal("hello".getBytes(StandardCharsets.US_ASCII), b.publicKey());

        for (int i = 4; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x40;
            assertThatThrownBy(() -> b.open(altered, a.publicKey()))
                    .hasMessage("nkeys: could not decrypt input");
        }
    }

    @Test
    void shouldRefuseBadInputWithTheNkeysErrors() {
        NKey a = NKey.create(NKeyType.CURVE);
        NKey b = NKey.create(NKeyType.CURVE);
        byte[] sealed = a.seal(new byte[0], b.publicKey());
        byte[] wrongVersion = sealed.clone();
        wrongVersion[3] = '2';

        assertThatThrownBy(() -> b.open(Arrays.copyOf(sealed, 28), a.publicKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nkeys: encrypted input is not valid");
        assertThatThrownBy(() -> b.open(wrongVersion, a.publicKey()))
                .hasMessage("nkeys: encrypted input wrong version");
        assertThatThrownBy(() -> b.open(sealed, NKey.createUser().publicKey()))
                .hasMessage("nkeys: not a valid sender public curve key");
        assertThatThrownBy(() -> b.open(sealed, "garbage")).hasMessage("nkeys: not a valid sender public curve key");
        assertThatThrownBy(() -> b.open(sealed, NKey.create(NKeyType.CURVE).publicKey()))
                .hasMessage("nkeys: could not decrypt input");
        assertThatThrownBy(() -> a.seal(new byte[1], NKey.createAccount().publicKey()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nkeys: not a valid recipient public curve key");
    }

    @Test
    void shouldRefuseSealingWithKeysThatCannot() {
        NKey curve = NKey.create(NKeyType.CURVE);
        NKey publicOnly = NKey.fromPublicKey(curve.publicKey());

        assertThatThrownBy(() -> NKey.createUser().seal(new byte[1], curve.publicKey()))
                .isInstanceOf(IllegalStateException.class).hasMessage("nkeys: only curve key can seal/open");
        assertThatThrownBy(() -> publicOnly.seal(new byte[1], curve.publicKey()))
                .hasMessage("nkeys: cannot seal no private curve key available");
        assertThatThrownBy(() -> publicOnly.open(new byte[64], curve.publicKey()))
                .hasMessage("nkeys: cannot open no private curve key available");
    }

    @Test
    void shouldRefuseAPeerKeyOfSmallOrder() {
        NKey a = NKey.create(NKeyType.CURVE);
        String zeroPoint = NKeyCodec.encodePublic(NKeyType.CURVE, new byte[32]);

        assertThatThrownBy(() -> a.seal(new byte[1], zeroPoint))
                .hasMessage("nkeys: not a valid recipient public curve key");
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static Properties goVectors() throws IOException {
        Properties p = new Properties();
        try (InputStream in = XKeysTest.class.getResourceAsStream("xkeys-go-vectors.properties")) {
            p.load(in);
        }
        return p;
    }
}
