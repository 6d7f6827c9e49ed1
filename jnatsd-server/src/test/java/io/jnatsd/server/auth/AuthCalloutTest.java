package io.jnatsd.server.auth;

import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.ExternalAuthorization;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.TimeRange;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of the auth callout: user JWT validation, expiry, title-casing, inbox hashes, account checks. */
class AuthCalloutTest {

    private static final NKey ACCOUNT = NKey.createAccount();

    private static Jwt userJwt(ClaimsData claims, UserClaims user) throws Exception {
        return JwtCodec.decode(JwtCodec.encode(claims, ClaimType.USER, user, ACCOUNT));
    }

    @Test
    void shouldListUserJwtIssuesInNatsIoJwtOrder() throws Exception {
        UserClaims user = UserClaims.unlimited()
                .withPermissions(new Permission(List.of("a b", ".x"), List.of("a b c")),
                        new Permission(List.of("q g", ""), null))
                .withSourceNetworks(List.of("10.0.0.0/8", "10.0.0.1", "::1/129", "300.1.1.1/8"))
                .withTimes(List.of(new TimeRange("25:00:00", ""), new TimeRange("", "1:02:03")), "Nowhere/Land")
                .withIssuerAccount("UNOTANACCOUNT");
        long now = Instant.now().getEpochSecond();
        Jwt jwt = userJwt(ClaimsData.of(NKey.createUser().publicKey()).withExpires(now - 5).withNotBefore(now + 60),
                user);

        assertThat(UserValidation.issues(jwt, jwt.user(), now)).containsExactly(
                "claim is expired",
                "claim is not yet valid",
                "subject cannot be empty",
                "Permission Subject \"a b\" is not allowed to contain queue",
                "subject \".x\" cannot start or end with a `.`",
                "Permission Subject \"a b c\" contains too many spaces",
                "invalid cidr \"10.0.0.1\" in user src limits",
                "invalid cidr \"::1/129\" in user src limits",
                "invalid cidr \"300.1.1.1/8\" in user src limits",
                "start in time range is invalid \"25:00:00\"",
                "time ranges end must contain an end",
                "time ranges start must contain a start",
                "could not parse iana time zone by name: unknown time zone Nowhere/Land",
                "account_id is not an account public key");
        Jwt clean = userJwt(ClaimsData.of(NKey.createUser().publicKey()), UserClaims.unlimited()
                .withTimes(List.of(new TimeRange("9:00:00", "17:30:00")), "Europe/Berlin"));
        assertThat(UserValidation.firstIssue(clean, clean.user(), now)).isNull();
    }

    @Test
    void shouldExpireAtExpOrTheEndOfTheConnectWindow() {
        Instant now = Instant.ofEpochSecond(1_000_000);
        assertThat(AuthCallout.expiry(0, Duration.ZERO, now)).isNull();
        assertThat(AuthCallout.expiry(0, Duration.ofSeconds(30), now)).isEqualTo(now.plusSeconds(30));
        assertThat(AuthCallout.expiry(1_000_100, Duration.ZERO, now)).isEqualTo(now.plusSeconds(100));
        assertThat(AuthCallout.expiry(1_000_100, Duration.ofSeconds(30), now)).isEqualTo(now.plusSeconds(30));
        assertThat(AuthCallout.expiry(1_000_100, Duration.ofSeconds(300), now)).isEqualTo(now.plusSeconds(100));
        assertThat(AuthCallout.expiry(999_000, Duration.ZERO, now)).isEqualTo(now);
    }

    /** nats-server TestTitleCaseEmptyString and its title-casing of reasons. */
    @Test
    void titleCaseEmptyString() {
        assertThat(AuthCallout.titleCase("")).isEmpty();
        assertThat(AuthCallout.titleCase("auth callout violation")).isEqualTo("Auth callout violation");
        assertThat(AuthCallout.titleCase("émoi")).isEqualTo("Émoi");
    }

    /** Reply inboxes use Go's {@code getHash} of the server name (values printed by Go). */
    @Test
    void shouldHashTheServerNameAsNatsServerDoes() {
        assertThat(AuthCallout.serverHash("A")).isEqualTo("NUmM6cRx");
        assertThat(AuthCallout.serverHash("NDUTDSB3ZQGZWH6EVYKAVQXHSYQMBQKQLWQSVWLVJG3A7X2HVR6PYQGM"))
                .isEqualTo("ck2PwVub");
    }

    @Test
    void shouldValidateAccountAuthorizationAsNatsIoJwt() {
        String user = NKey.createUser().publicKey();
        String account = NKey.createAccount().publicKey();
        String xkey = NKey.create(NKeyType.CURVE).publicKey();
        assertThat(new ExternalAuthorization(List.of(user), List.of(account), xkey).validationIssues()).isEmpty();
        assertThat(new ExternalAuthorization(List.of(user), List.of("*"), "").validationIssues()).isEmpty();
        assertThat(new ExternalAuthorization(List.of(), List.of(account), "").validationIssues())
                .containsExactly("External authorization cannot have accounts without users specified");
        assertThat(new ExternalAuthorization(List.of(account), List.of("*", user), account).validationIssues())
                .containsExactly("AuthUser \"" + account + "\" is not a valid user public key",
                        "AllowedAccounts can only be a list of accounts or \"*\"",
                        "Account \"" + user + "\" is not a valid account public key",
                        "XKey \"" + account + "\" is not a valid public xkey");
    }
}
