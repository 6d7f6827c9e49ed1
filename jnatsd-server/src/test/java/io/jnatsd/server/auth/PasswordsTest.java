package io.jnatsd.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {

    /** bcrypt of "foo" from nats-server's test/configs/authorization.conf. */
    private static final String FOO = "$2a$04$P/.bd.7unw9Ew7yWJqXsl.f4oNRLQGvadEL2YnqQXbbb.IVQajRdK";

    @Test
    void shouldCheckABcryptHashFromNatsServer() {
        assertThat(Passwords.matches(FOO, "foo")).isTrue();
        assertThat(Passwords.matches(FOO, "fo")).isFalse();
        assertThat(Passwords.matches(FOO, "")).isFalse();
        assertThat(Passwords.matches(FOO, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2b$", "$2x$", "$2y$"})
    void shouldTreatEveryMinorVersionAlikeAsGoDoes(String prefix) {
        assertThat(Passwords.matches(prefix + FOO.substring(4), "foo")).isTrue();
        assertThat(Passwords.matches(prefix + FOO.substring(4), "bar")).isFalse();
    }

    @Test
    void shouldNeverMatchAMalformedHash() {
        assertThat(Passwords.matches("$2a$04$short", "foo")).isFalse();
        assertThat(Passwords.matches("$2a$99$" + FOO.substring(7), "foo")).isFalse();
        assertThat(Passwords.matches("$2a$04$" + "!".repeat(53), "foo")).isFalse();
    }

    @Test
    void shouldCompareNonBcryptValuesAsPlainText() {
        assertThat(Passwords.isBcrypt("$ecret")).isFalse();
        assertThat(Passwords.matches("$ecret", "$ecret")).isTrue();
        assertThat(Passwords.matches("$2a$x", "$2a$x")).isTrue();
        assertThat(Passwords.matches("s3cr3t", "s3cr3t")).isTrue();
        assertThat(Passwords.matches("s3cr3t", "s3cr3")).isFalse();
        assertThat(Passwords.matches("s3cr3t", "s3cr3tt")).isFalse();
        assertThat(Passwords.matches("", "")).isTrue();
        assertThat(Passwords.matches("", null)).isTrue();
        assertThat(Passwords.matches("x", null)).isFalse();
    }

    @Test
    void shouldRecogniseBcryptByItsPrefixOnly() {
        assertThat(Passwords.isBcrypt(FOO)).isTrue();
        assertThat(Passwords.isBcrypt("$2y$10$anything")).isTrue();
        assertThat(Passwords.isBcrypt("$2c$10$anything")).isFalse();
        assertThat(Passwords.isBcrypt("$2a$1$anything")).isFalse();
        assertThat(Passwords.isBcrypt("2a$10$anything")).isFalse();
    }

    @Test
    void shouldUseOnlyTheFirst72BytesAsGoDoes() {
        String longPassword = "x".repeat(80);
        String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2A).hashToChar(4,
                longPassword.substring(0, 72).toCharArray()));
        assertThat(Passwords.matches(hash, longPassword)).isTrue();
        assertThat(Passwords.matches(hash, longPassword.substring(0, 72))).isTrue();
        assertThat(Passwords.matches(hash, longPassword.substring(0, 71))).isFalse();
    }

    @Test
    void shouldMatchAnEmptyPasswordHash() {
        String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2B).hashToChar(4, new char[0]));
        assertThat(Passwords.matches(hash, "")).isTrue();
        assertThat(Passwords.matches(hash, "x")).isFalse();
    }
}
