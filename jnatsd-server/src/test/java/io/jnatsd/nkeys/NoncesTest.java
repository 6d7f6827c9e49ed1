package io.jnatsd.nkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoncesTest {

    @Test
    void shouldMakeFifteenCharacterBase64UrlNonces() {
        String nonce = Nonces.newNonce();

        assertThat(nonce).hasSize(Nonces.ENCODED_CHARS).matches("[A-Za-z0-9_-]{15}");
        assertThat(Base64.getUrlDecoder().decode(nonce)).hasSize(Nonces.RAW_BYTES);
    }

    @Test
    void shouldNotRepeatNonces() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(Nonces.newNonce());
        }

        assertThat(seen).hasSize(1000);
    }

    @Test
    void shouldBeSignableByUserKey() {
        NKey user = NKey.createUser();
        byte[] nonce = Nonces.newNonce().getBytes(StandardCharsets.US_ASCII);

        assertThat(NKey.fromPublicKey(user.publicKey()).verify(nonce, user.sign(nonce))).isTrue();
    }
}
