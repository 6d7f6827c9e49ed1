package io.jnatsd.server.auth;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.jwt.TimeRange;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.server.account.MemoryAccountResolver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class JwtAuthenticatorTest {

    private static final byte[] NONCE = "abcdefghijklmno".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final NKey operator = NKey.createOperator();
    private final NKey account = NKey.createAccount();
    private final NKey user = NKey.createUser();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private JwtAuthenticator authenticator(UnaryOperator<AccountClaims> change, Set<String> pinned) throws Exception {
        String accountJwt = JwtCodec.encode(ClaimsData.of(account.publicKey()).withName("ACC"), ClaimType.ACCOUNT,
                change.apply(AccountClaims.unlimited().withTags(List.of("team:blue"))), operator, clock);
        JwtAccounts accounts = new JwtAccounts(Set.of(operator.publicKey()),
                new MemoryAccountResolver(Map.of(account.publicKey(), accountJwt)), null, true, clock);
        return new JwtAuthenticator(accounts, pinned, true, clock);
    }

    private String userJwt(NKey issuer, UnaryOperator<UserClaims> change) throws Exception {
        return JwtCodec.encode(ClaimsData.of(user.publicKey()).withName("alice"), ClaimType.USER,
                change.apply(UserClaims.unlimited()), issuer, clock);
    }

    private String sig() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(user.sign(NONCE));
    }

    @Test
    void shouldAuthenticateAndReportLimits() throws Exception {
        JwtAuthenticator auth = authenticator(c -> c, Set.of());
        JwtAuthResult r = auth.authenticate(userJwt(account, u -> u.withLimits(5, -1, 100)
                .withPermissions(Permission.allow("a.>"), Permission.NONE)), sig(), NONCE, "127.0.0.1", "STANDARD");

        assertThat(r.authorized()).isTrue();
        assertThat(r.account().key()).isEqualTo(account.publicKey());
        assertThat(r.maxSubscriptions()).isEqualTo(5);
        assertThat(r.maxPayloadBytes()).isEqualTo(100);
        assertThat(r.permissions().restrictsPublish()).isTrue();
        assertThat(r.expiresAt()).isNull();
    }

    @Test
    void shouldFailInNatsServerOrder() throws Exception {
        JwtAuthenticator auth = authenticator(c -> c, Set.of());
        assertThat(auth.authenticate("", "", NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("Authentication requires a user JWT");
        assertThat(auth.authenticate(userJwt(account, u -> u), "", NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("Signature missing");
        assertThat(auth.authenticate(userJwt(account, u -> u), sig(), "x".getBytes(), "127.0.0.1", "STANDARD")
                .debugReason()).isEqualTo("Signature not verified");
        assertThat(auth.authenticate(userJwt(account, u -> u.withAllowedConnectionTypes(List.of("WEBSOCKET"))),
                sig(), NONCE, "127.0.0.1", "STANDARD").debugReason()).isEqualTo("Connection type not allowed");
        assertThat(auth.authenticate(userJwt(account, u -> u.withAllowedConnectionTypes(List.of("FOO"))),
                sig(), NONCE, "127.0.0.1", "STANDARD").debugReason()).isEqualTo("Connection type not allowed");
        assertThat(auth.authenticate(userJwt(account, u -> u.withSourceNetworks(List.of("10.0.0.0/8"))), sig(),
                NONCE, "127.0.0.1", "STANDARD").errorReason()).isEqualTo("Bad src Ip 127.0.0.1");
        assertThat(auth.authenticate(userJwt(NKey.createAccount(), u -> u), sig(), NONCE, "127.0.0.1",
                "STANDARD").debugReason()).isEqualTo("Account JWT lookup error: account not found");
        assertThat(authenticator(c -> c, Set.of(NKey.createAccount().publicKey()))
                .authenticate(userJwt(account, u -> u), sig(), NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("Account " + account.publicKey() + " not listed as operator pinned account");
        assertThat(authenticator(c -> c.withRevocation(user.publicKey(), NOW.getEpochSecond()), Set.of())
                .authenticate(userJwt(account, u -> u), sig(), NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("User authentication revoked");
    }

    @Test
    void shouldRefuseAccountKeyAsUserIssuerUnderStrictOperator() throws Exception {
        NKey opSigner = NKey.createOperator();
        NKey accountSigner = NKey.createAccount();
        String accountJwt = JwtCodec.encode(ClaimsData.of(account.publicKey()), ClaimType.ACCOUNT,
                AccountClaims.unlimited().withSigningKeys(List.of(SigningKey.of(accountSigner.publicKey()))),
                opSigner, clock);
        JwtAccounts accounts = new JwtAccounts(Set.of(opSigner.publicKey()), Set.of(opSigner.publicKey()),
                Set.of(operator.publicKey()), new MemoryAccountResolver(Map.of(account.publicKey(), accountJwt)),
                null, true, clock);
        JwtAuthenticator auth = new JwtAuthenticator(accounts, Set.of(), true, clock);

        assertThat(auth.authenticate(userJwt(account, u -> u), sig(), NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("User JWT issuer is not known");
        assertThat(auth.authenticate(userJwt(accountSigner, u -> u.withIssuerAccount(account.publicKey())), sig(),
                NONCE, "127.0.0.1", "STANDARD").authorized()).isTrue();
        assertThat(accounts.isStrictOperatorKey(operator.publicKey())).isTrue();
    }

    @Test
    void shouldCheckSourceNetworks() {
        assertThat(JwtAuthenticator.sourceAllowed(List.of("192.168.0.0/16", "127.0.0.1/32"), "127.0.0.1")).isTrue();
        assertThat(JwtAuthenticator.sourceAllowed(List.of("192.168.0.0/16"), "192.169.0.1")).isFalse();
        assertThat(JwtAuthenticator.sourceAllowed(List.of("::1/128"), "::1")).isTrue();
        assertThat(JwtAuthenticator.sourceAllowed(List.of("10.0.0.0/8"), "::ffff:10.1.2.3")).isTrue();
        assertThat(JwtAuthenticator.sourceAllowed(List.of("bogus"), "10.0.0.1")).isFalse();
        assertThat(JwtAuthenticator.sourceAllowed(List.of(), "anything")).isTrue();
    }

    @Test
    void shouldCheckTimeRangesAcrossMidnight() {
        UserClaims night = UserClaims.unlimited().withTimes(List.of(new TimeRange("22:00:00", "06:00:00")), "UTC");
        assertThat(JwtAuthenticator.validTimes(night, Instant.parse("2026-06-01T23:00:00Z")))
                .isEqualTo(Duration.ofHours(7));
        assertThat(JwtAuthenticator.validTimes(night, Instant.parse("2026-06-01T05:00:00Z")))
                .isEqualTo(Duration.ofHours(1));
        assertThat(JwtAuthenticator.validTimes(night, Instant.parse("2026-06-01T12:00:00Z"))).isNull();
        UserClaims berlin = UserClaims.unlimited().withTimes(List.of(new TimeRange("13:00:00", "15:00:00")),
                "Europe/Berlin");
        assertThat(JwtAuthenticator.validTimes(berlin, Instant.parse("2026-06-01T12:00:00Z")))
                .isEqualTo(Duration.ofHours(1));
        UserClaims badZone = UserClaims.unlimited().withTimes(List.of(new TimeRange("00:00:00", "23:00:00")),
                "Mars/Base");
        assertThat(JwtAuthenticator.validTimes(badZone, NOW)).isNull();
    }

    @Test
    void shouldCapExpiryByTimeWindowAndJwtExp() throws Exception {
        JwtAuthenticator auth = authenticator(c -> c, Set.of());
        String jwt = JwtCodec.encode(ClaimsData.of(user.publicKey()).withExpires(NOW.getEpochSecond() + 7200),
                ClaimType.USER, UserClaims.unlimited().withTimes(List.of(new TimeRange("11:00:00", "12:30:00")),
                        "UTC"), account, clock);
        JwtAuthResult r = auth.authenticate(jwt, sig(), NONCE, "127.0.0.1", "STANDARD");
        assertThat(r.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void shouldExpandScopedSigningKeyTemplates() throws Exception {
        NKey scope = NKey.createAccount();
        UserClaims template = UserClaims.unlimited().withLimits(3, -1, 50).withPermissions(
                new Permission(List.of("{{name()}}.>", "{{account-tag(team)}}.>", "x.{{tag(missing)}}"),
                        List.of("{{subject()}}")),
                Permission.allow("{{account-name()}}.{{tag(dept)}}"));
        JwtAuthenticator auth = authenticator(c -> c.withSigningKeys(List.of(SigningKey.scope(scope.publicKey(),
                "r", template))), Set.of());
        String jwt = JwtCodec.encode(ClaimsData.of(user.publicKey()).withName("alice"), ClaimType.USER,
                UserClaims.empty().withIssuerAccount(account.publicKey()).withTags(List.of("dept:a", "dept:b")),
                scope, clock);

        JwtAuthResult r = auth.authenticate(jwt, sig(), NONCE, "127.0.0.1", "STANDARD");

        assertThat(r.authorized()).isTrue();
        assertThat(r.maxSubscriptions()).isEqualTo(3);
        assertThat(r.maxPayloadBytes()).isEqualTo(50);
        assertThat(r.permissions().source().publish().allow()).containsExactly("alice.>", "blue.>");
        assertThat(r.permissions().source().publish().deny()).containsExactly(user.publicKey());
        assertThat(r.permissions().source().subscribe().allow()).containsExactly("ACC.a", "ACC.b");

        String withLimits = JwtCodec.encode(ClaimsData.of(user.publicKey()), ClaimType.USER,
                UserClaims.unlimited().withIssuerAccount(account.publicKey()), scope, clock);
        assertThat(auth.authenticate(withLimits, sig(), NONCE, "127.0.0.1", "STANDARD").debugReason())
                .isEqualTo("User JWT is not valid: scoped users require no permissions or limits set");
    }

    @Test
    void shouldFailTemplateWithUnknownOperation() throws Exception {
        UserTemplates.Values values = new UserTemplates.Values("n", "U", List.of(), "A", "AK", List.of());
        UserClaims template = UserClaims.empty().withPermissions(Permission.allow("{{nope()}}"), Permission.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UserTemplates.apply(template, values))
                .hasMessage("template operation in \"{{nope()}}\": \"nope()\" is not defined");
        UserClaims emptied = UserClaims.empty().withPermissions(Permission.allow("{{tag(x)}}"), Permission.NONE);
        assertThat(UserTemplates.apply(emptied, values).publish().deny()).containsExactly(">");
    }

    @Test
    void shouldUseAccountDefaultPermissions() throws Exception {
        JwtAuthenticator auth = authenticator(c -> c.withDefaultPermissions(new io.jnatsd.jwt.Permissions(
                Permission.deny("secret.>"), Permission.NONE, null)), Set.of());
        JwtAuthResult r = auth.authenticate(userJwt(account, u -> u), sig(), NONCE, "127.0.0.1", "STANDARD");
        assertThat(r.permissions().source().publish().deny()).containsExactly("secret.>");
    }
}
