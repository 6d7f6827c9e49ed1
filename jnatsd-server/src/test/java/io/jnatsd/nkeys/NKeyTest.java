package io.jnatsd.nkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class NKeyTest {
    /** A server id printed by nats-server 2.9.10 at startup ({@code ID: ...}). */
    private static final String GO_SERVER_ID = "NDU4FAAQDW2V5OJYZKME7DBLRGNQKLI7LFW2DZO2DZMKDMWXNSHLX7IU";
    /** nats-server test/configs/nkeys/test.seed and the operator JWT signed with it (op.jwt). */
    private static final String OPERATOR_SEED = "SOAFYNORQLQFJYBYNUGC5D7SH2MXMUX5BFEWWGHN3EK4VGG5TPT5DZP7QU";
    private static final String OPERATOR_PUBLIC = "OCAT33MTVU2VUOIMGNGUNXJ66AH2RLSDAF3MUBCYAY5QMIL65NQM6XQG";
    private static final String OPERATOR_JWT_PAYLOAD = "eyJhdWQiOiJURVNUUyIsImV4cCI6MTg1OTEyMTI3NSwianRpIjoiWE5MWjZY"
            + "WVBI"
            + "VE1ESlFSTlFPSFVPSlFHV0NVN01JNVc1SlhDWk5YQllVS0VRVzY3STI1USIsImlhdCI6MTU0Mzc2MTI3NSwiaXNzIjoiT0NBVDMzTVRW"
            + "VTJWVU9JTUdOR1VOWEo2NkFIMlJMU0RBRjNNVUJDWUFZNVFNSUw2NU5RTTZYUUciLCJuYW1lIjoiU3luYWRpYSBDb21tdW5pY2F0aW9u"
            + "cyBJbmMuIiwibmJmIjoxNTQzNzYxMjc1LCJzdWIiOiJPQ0FUMzNNVFZVMlZVT0lNR05HVU5YSjY2QUgyUkxTREFGM01VQkNZQVk1UU1J"
            + "TDY1TlFNNlhRRyIsInR5cGUiOiJvcGVyYXRvciIsIm5hdHMiOnsic2lnbmluZ19rZXlzIjpbIk9EU0tSN01ZRlFaNU1NQUo2RlBNRUVU"
            + "Q1RFM1JJSE9GTFRZUEpSTUFWVk40T0xWMllZQU1IQ0FDIiwiT0RTS0FDU1JCV1A1MzdEWkRSVko2NTdKT0lHT1BPUTZLRzdUNEhONk9L"
            + "NEY2SUVDR1hEQUhOUDIiLCJPRFNLSTM2TFpCNDRPWTVJVkNSNlA1MkZaSlpZTVlXWlZXTlVEVExFWjVUSzJQTjNPRU1SVEFCUiJdfX0";
    private static final String OPERATOR_JWT_SIGNATURE =
            "hyfz6E39BMUh0GLzovFfk3wT4OfualftjdJ_eYkLfPvu5tZubYQ_Pn9oFYGCV_6yKy3KMGhWGUCyCdHaPhalBw";

    private static final byte[] DATA = "nonce-to-sign".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldDeriveRfc8032TestVector1() {
        HexFormat hex = HexFormat.of();
        byte[] rawSeed = hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        String seed = NKeyCodec.encodeSeed(NKeyType.USER, rawSeed);
        assertThat(seed).isEqualTo("SUAJ2YNRTXX72WTAXKCEV5ES5QWMIRCJYVUXWMTJDFYDXLADDSXH6YALCA");

        NKey key = NKey.fromSeed(seed);

        assertThat(hex.formatHex(key.rawPublicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(key.publicKey()).isEqualTo("UDLVVGABQKYQVN6VJP7NHSLEA45A5YLS6PNKMIZFV4BBU2HXA5IRUVAL");
        assertThat(hex.formatHex(key.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a"
                + "84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    /** Seed and public key pairs from nats-server's own tests. */
    static Stream<Arguments> goSeeds() {
        return Stream.of(
                Arguments.of("SOAFYNORQLQFJYBYNUGC5D7SH2MXMUX5BFEWWGHN3EK4VGG5TPT5DZP7QU",
                        "OCAT33MTVU2VUOIMGNGUNXJ66AH2RLSDAF3MUBCYAY5QMIL65NQM6XQG", NKeyType.OPERATOR),
                Arguments.of("SUAP277QP7U4JMFFPVZHLJYEQJ2UHOTYVEIZJYAWRJXQLP4FRSEHYZJJOU",
                        "UBO2MQV67TQTVIRV3XFTEZOACM4WLOCMCDMAWN5QVN5PI2N6JHTVDRON", NKeyType.USER),
                Arguments.of("SAANDLKMXL6CUS3CP52WIXBEDN6YJ545GDKC65U5JZPPV6WH6ESWUA6YAI",
                        "ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA", NKeyType.ACCOUNT),
                Arguments.of("SUAKYRHVIOREXV7EUZTBHUHL7NUMHPMAS7QMDU3GTIUWEI5LDNOXD43IZY",
                        "UD466L6EBCM3YY5HEGHJANNTN4LSKTSUXTH7RILHCKEQMQHTBNLHJJXT", NKeyType.USER));
    }

    @ParameterizedTest
    @MethodSource("goSeeds")
    void shouldDerivePublicKeysOfGoSeeds(String seed, String publicKey, NKeyType type) {
        NKey key = NKey.fromSeed(seed);

        assertThat(key.publicKey()).isEqualTo(publicKey);
        assertThat(key.type()).isEqualTo(type);
        assertThat(key.seed()).isEqualTo(seed);
        assertThat(NKey.isValidPublicKey(publicKey, type)).isTrue();
    }

    @Test
    void shouldReproduceAndVerifySignatureMadeByGo() {
        byte[] payload = OPERATOR_JWT_PAYLOAD.getBytes(StandardCharsets.US_ASCII);
        byte[] goSignature = Base64.getUrlDecoder().decode(OPERATOR_JWT_SIGNATURE);

        assertThat(NKey.fromSeed(OPERATOR_SEED).sign(payload)).isEqualTo(goSignature);
        assertThat(NKey.fromPublicKey(OPERATOR_PUBLIC).verify(payload, goSignature)).isTrue();
    }

    @Test
    void shouldAcceptServerIdOfGoServer() {
        NKey key = NKey.fromPublicKey(GO_SERVER_ID);

        assertThat(key.type()).isEqualTo(NKeyType.SERVER);
        assertThat(key.publicKey()).isEqualTo(GO_SERVER_ID);
        assertThat(key.hasSeed()).isFalse();
        assertThat(NKey.isValidPublicKey(GO_SERVER_ID, NKeyType.SERVER)).isTrue();
        assertThat(NKey.isValidPublicKey(GO_SERVER_ID, NKeyType.USER)).isFalse();
        assertThat(NKey.isValidPublicKey(GO_SERVER_ID)).isTrue();
    }

    @Test
    void shouldRefuseSeedAndSigningOnPublicOnlyKey() {
        NKey key = NKey.fromPublicKey(GO_SERVER_ID);

        assertThatThrownBy(key::seed).isInstanceOf(IllegalStateException.class)
                .hasMessage("nkeys: no seed or private key available");
        assertThatThrownBy(() -> key.sign(DATA)).isInstanceOf(IllegalStateException.class)
                .hasMessage("nkeys: can not sign, no private key available");
        assertThat(key.toString()).contains(GO_SERVER_ID).doesNotContain("SN");
    }

    @ParameterizedTest
    @EnumSource(value = NKeyType.class, names = "CURVE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripCreatedKeys(NKeyType type) {
        NKey key = NKey.create(type);

        assertThat(key.type()).isEqualTo(type);
        assertThat(key.publicKey()).hasSize(56).startsWith(String.valueOf(type.prefixChar()));
        assertThat(key.seed()).hasSize(58).startsWith("S" + type.prefixChar());
        NKey again = NKey.fromSeed(key.seed());
        assertThat(again.publicKey()).isEqualTo(key.publicKey());
        assertThat(again.type()).isEqualTo(type);

        byte[] signature = key.sign(DATA);
        assertThat(signature).hasSize(64);
        assertThat(again.sign(DATA)).isEqualTo(signature);
        NKey verifier = NKey.fromPublicKey(key.publicKey());
        assertThat(verifier.type()).isEqualTo(type);
        assertThat(verifier.verify(DATA, signature)).isTrue();
        assertThat(key.verify(DATA, signature)).isTrue();
        assertThat(NKey.isValidPublicKey(key.publicKey(), type)).isTrue();
    }

    @Test
    void shouldGiveEachTypeItsLetter() {
        assertThat(NKeyType.OPERATOR.prefixChar()).isEqualTo('O');
        assertThat(NKeyType.SERVER.prefixChar()).isEqualTo('N');
        assertThat(NKeyType.CLUSTER.prefixChar()).isEqualTo('C');
        assertThat(NKeyType.ACCOUNT.prefixChar()).isEqualTo('A');
        assertThat(NKeyType.USER.prefixChar()).isEqualTo('U');
        assertThat(NKeyType.CURVE.prefixChar()).isEqualTo('X');
        assertThat(NKey.createServer().type()).isEqualTo(NKeyType.SERVER);
        assertThat(NKey.createUser().type()).isEqualTo(NKeyType.USER);
        assertThat(NKey.createAccount().type()).isEqualTo(NKeyType.ACCOUNT);
        assertThat(NKey.createOperator().type()).isEqualTo(NKeyType.OPERATOR);
    }

    @Test
    void shouldRejectTamperedSignatureAndData() {
        NKey key = NKey.createUser();
        NKey verifier = NKey.fromPublicKey(key.publicKey());
        byte[] signature = key.sign(DATA);

        byte[] tampered = signature.clone();
        tampered[10] ^= 0x01;
        assertThat(verifier.verify(DATA, tampered)).isFalse();
        byte[] otherData = DATA.clone();
        otherData[0] ^= 0x20;
        assertThat(verifier.verify(otherData, signature)).isFalse();
        assertThat(verifier.verify(DATA, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(verifier.verify(DATA, new byte[0])).isFalse();
        assertThat(NKey.fromPublicKey(NKey.createUser().publicKey()).verify(DATA, signature)).isFalse();
    }

    @Test
    void shouldNotVerifyWithKeyThatIsNoCurvePoint() {
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff);
        NKey key = NKey.fromPublicKey(NKeyCodec.encodePublic(NKeyType.USER, notAPoint));

        assertThat(key.verify(DATA, new byte[64])).isFalse();
        assertThat(key.verify(DATA, NKey.createUser().sign(DATA))).isFalse();
    }

    @Test
    void shouldDetectChecksumErrors() {
        String mangledPublic = GO_SERVER_ID.substring(0, 20) + (GO_SERVER_ID.charAt(20) == 'A' ? 'B' : 'A')
                + GO_SERVER_ID.substring(21);
        String mangledSeed = OPERATOR_SEED.substring(0, 30) + (OPERATOR_SEED.charAt(30) == 'A' ? 'B' : 'A')
                + OPERATOR_SEED.substring(31);

        assertThatThrownBy(() -> NKey.fromPublicKey(mangledPublic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nkeys: invalid checksum");
        assertThatThrownBy(() -> NKey.fromSeed(mangledSeed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nkeys: invalid checksum");
        assertThat(NKey.isValidPublicKey(mangledPublic, NKeyType.SERVER)).isFalse();
        assertThat(NKey.isValidPublicKey(mangledPublic)).isFalse();
    }

    @Test
    void shouldReportNkeysErrorTexts() {
        assertThatThrownBy(() -> NKey.fromSeed(GO_SERVER_ID)).hasMessage("nkeys: invalid seed");
        assertThatThrownBy(() -> NKey.fromPublicKey(OPERATOR_SEED)).hasMessage("nkeys: invalid public key");
        assertThatThrownBy(() -> NKey.fromPublicKey("AB")).hasMessage("nkeys: invalid encoded key");
        assertThatThrownBy(() -> NKey.fromSeed("")).hasMessage("nkeys: invalid encoded key");
        assertThatThrownBy(() -> NKey.fromPublicKey(GO_SERVER_ID.toLowerCase()))
                .hasMessage("illegal base32 data at input byte 0");
        assertThatThrownBy(() -> NKey.fromSeed(OPERATOR_SEED.substring(0, 57) + "1"))
                .hasMessage("illegal base32 data at input byte 57");
        assertThat(NKey.isValidPublicKey("")).isFalse();
        assertThat(NKey.isValidPublicKey(null, NKeyType.USER)).isFalse();
    }

    @Test
    void shouldRejectSeedOfWrongLength() {
        byte[] raw = new byte[2 + 31];
        raw[0] = (byte) (NKeyType.SEED_PREFIX_BYTE | (NKeyType.USER.prefixByte() >> 5));
        raw[1] = (byte) ((NKeyType.USER.prefixByte() & 31) << 3);
        String shortSeed = Base32.encode(withChecksum(raw));
        assertThat(shortSeed).startsWith("SU");

        assertThatThrownBy(() -> NKey.fromSeed(shortSeed)).hasMessage("nkeys: invalid seed length");
    }

    @Test
    void shouldRejectSeedOfNoKeyType() {
        int privatePrefix = 15 << 3;                     // 'P', an encoded private key, is no seed type
        byte[] raw = new byte[2 + 32];
        raw[0] = (byte) (NKeyType.SEED_PREFIX_BYTE | (privatePrefix >> 5));
        raw[1] = (byte) ((privatePrefix & 31) << 3);

        assertThatThrownBy(() -> NKey.fromSeed(Base32.encode(withChecksum(raw)))).hasMessage("nkeys: invalid seed");
    }

    @Test
    void shouldTreatShortPublicKeyAsValidButUnusableLikeNkeys() {
        String shortKey = NKeyCodec.encodePublic(NKeyType.USER, new byte[31]);

        assertThat(NKey.isValidPublicKey(shortKey, NKeyType.USER)).isTrue();
        assertThatThrownBy(() -> NKey.fromPublicKey(shortKey)).hasMessage("nkeys: invalid public key");
    }

    @Test
    void shouldDeriveRfc7748CurvePublicKey() {
        byte[] rawSeed = HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        String seed = NKeyCodec.encodeSeed(NKeyType.CURVE, rawSeed);
        assertThat(seed).isEqualTo("SXAHOB3NBJZRRJL5HQLMC4SRWJTELX2MF6D6XQEZFKYXP65FDW4SYKQZVQ");

        NKey key = NKey.fromSeed(seed);

        assertThat(key.type()).isEqualTo(NKeyType.CURVE);
        assertThat(HexFormat.of().formatHex(key.rawPublicKey()))
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(key.publicKey()).isEqualTo("XCCSB4AJREYKOVDURN65ZNB665NA3PZ2BUTDQGXU5OSKTDVKTNHGULRF");
    }

    @Test
    void shouldRefuseSignAndVerifyWithCurveKeys() {
        NKey key = NKey.create(NKeyType.CURVE);
        NKey again = NKey.fromSeed(key.seed());
        NKey publicOnly = NKey.fromPublicKey(key.publicKey());

        assertThat(again.publicKey()).isEqualTo(key.publicKey()).startsWith("X");
        assertThat(key.seed()).startsWith("SX");
        assertThat(publicOnly.type()).isEqualTo(NKeyType.CURVE);
        for (NKey k : new NKey[] {key, publicOnly}) {
            assertThatThrownBy(() -> k.sign(DATA)).hasMessage("nkeys: curve key is not valid for sign/verify");
            assertThatThrownBy(() -> k.verify(DATA, new byte[64]))
                    .hasMessage("nkeys: curve key is not valid for sign/verify");
        }
    }

    @Test
    void shouldCreateDistinctKeys() {
        EnumSet<NKeyType> types = EnumSet.allOf(NKeyType.class);
        for (NKeyType type : types) {
            assertThat(NKey.create(type).publicKey()).isNotEqualTo(NKey.create(type).publicKey());
        }
    }

    private static byte[] withChecksum(byte[] payload) {
        byte[] raw = Arrays.copyOf(payload, payload.length + 2);
        int crc = Crc16.compute(payload, 0, payload.length);
        raw[payload.length] = (byte) crc;
        raw[payload.length + 1] = (byte) (crc >>> 8);
        return raw;
    }
}
