package io.jnatsd.config;

import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.OperatorClaims;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code authorization { auth_callout {} }} and {@code default_sentinel}: keys, aliases, nats-server's errors
 * ({@code opts.go parseAuthCallout}, the allowed-accounts post-check, {@code jwt.go validateTrustedOperators}).
 */
class AuthCalloutConfigTest {

    private static final String FILE = "t.conf";
    private static final String ISSUER = NKey.createAccount().publicKey();
    private static final String XKEY = NKey.create(NKeyType.CURVE).publicKey();

    private static ConfigReport load(String text) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, ServerOptions.builder());
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    private static ServerOptions options(String text) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report;
        try {
            report = ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
        assertThat(report.text()).isEmpty();
        return OptionsBaseline.apply(builder.build());
    }

    @Test
    void shouldReadEveryKeyAndAlias() {
        ServerOptions o = options("""
                accounts { AUTH { users: [{user: auth, password: pwd}] }, APP {} }
                authorization {
                  auth_callout {
                    issuer: %s
                    account: AUTH
                    auth_users: [ auth ]
                    xkey: %s
                    allowed_accounts: [ APP ]
                  }
                }
                """.formatted(ISSUER, XKEY));
        AuthCalloutOptions c = o.authCallout();
        assertThat(c.issuer()).isEqualTo(ISSUER);
        assertThat(c.account()).isEqualTo("AUTH");
        assertThat(c.authUsers()).containsExactly("auth");
        assertThat(c.xkey()).isEqualTo(XKEY);
        assertThat(c.encrypted()).isTrue();
        assertThat(c.allowedAccounts()).containsExactly("APP");

        AuthCalloutOptions aliases = options("authorization { users: [{user: a, password: b}]\n auth_hook { issuer: "
                + ISSUER + ", acc: \"$SYS\", users: [a], key: " + XKEY + " } }").authCallout();
        assertThat(aliases.account()).isEqualTo("$SYS");
        assertThat(aliases.authUsers()).containsExactly("a");
        assertThat(aliases.xkey()).isEqualTo(XKEY);
    }

    @Test
    void shouldDefaultToTheGlobalAccountWithoutEncryption() {
        AuthCalloutOptions c = options("authorization { auth_callout { issuer: " + ISSUER + ", auth_users: [a] } }")
                .authCallout();
        assertThat(c.account()).isEqualTo("$G");
        assertThat(c.encrypted()).isFalse();
        assertThat(c.allowedAccounts()).isEmpty();
        assertThat(c).hasToString("&{" + ISSUER + " $G [a]  []}");
        assertThat(options("port: 1").authCallout()).isNull();
    }

    static Stream<Arguments> badCallouts() {
        return Stream.of(
                Arguments.of("authorization {\n  auth_callout: 5\n}",
                        "t.conf:2:3: Expected authorization callout to be a map/struct, got 5"),
                Arguments.of("authorization {\n  auth_callout {\n    auth_users: [a]\n  }\n}",
                        "t.conf:3:5: Authorization callouts require an issuer to be specified"),
                Arguments.of("authorization {\n  auth_callout {\n    issuer: " + ISSUER + "\n  }\n}",
                        "t.conf:3:5: Authorization callouts require authorized users to be specified"),
                Arguments.of("authorization {\n  auth_callout {\n    issuer: UABC\n  }\n}",
                        "t.conf:3:5: Expected callout user to be a valid public account nkey, got \"UABC\""),
                Arguments.of("authorization {\n  auth_callout {\n    issuer: " + NKey.createUser().publicKey()
                        + "\n  }\n}", "t.conf:3:5: Expected callout user to be a valid public account nkey, got \""),
                Arguments.of("authorization {\n  auth_callout {\n    xkey: " + ISSUER + "\n  }\n}",
                        "t.conf:3:5: Expected callout xkey to be a valid public xkey, got \"" + ISSUER + "\""),
                Arguments.of("authorization {\n  auth_callout {\n    auth_users: a\n  }\n}",
                        "t.conf:3:5: Expected auth_users field to be an array, got *conf.token"),
                Arguments.of("authorization {\n  auth_callout {\n    allowed_accounts: A\n  }\n}",
                        "t.conf:3:5: Expected allowed accounts field to be an array, got *conf.token"),
                Arguments.of("authorization {\n  auth_callout {\n    issuer: 5\n  }\n}",
                        "t.conf:3:5: interface conversion: interface {} is int64, not string"));
    }

    @ParameterizedTest
    @MethodSource("badCallouts")
    void shouldReportBadCalloutsLikeNatsServer(String text, String expected) {
        List<String> errors = load(text).errors();
        assertThat(errors).first().asString().startsWith(expected);
    }

    @Test
    void shouldReportUnknownFieldsAndKeepTheCallout() {
        ConfigReport report = load("authorization {\n  auth_callout {\n    issuer: " + ISSUER
                + "\n    auth_users: [a]\n    colour: blue\n  }\n}");
        assertThat(report.errors()).containsExactly(
                "t.conf:5:5: Unknown field \"colour\" parsing authorization callout");
    }

    @Test
    void shouldRequireAllowedAccountsToBeConfiguredAccounts() {
        ConfigReport report = load("accounts { APP {} }\nauthorization { auth_callout { issuer: " + ISSUER
                + ", auth_users: [a], allowed_accounts: [APP, NOPE, \"$G\"] } }");
        assertThat(report.errors()).containsExactly(
                "auth_callout allowed account \"NOPE\" not found in configured accounts",
                "auth_callout allowed account \"$G\" not found in configured accounts");
    }

    @Test
    void shouldRefuseTheCalloutBlockInOperatorMode() throws Exception {
        NKey operator = NKey.createOperator();
        String op = JwtCodec.encode(ClaimsData.of(operator.publicKey()), ClaimType.OPERATOR,
                OperatorClaims.of(List.of(), ""), operator);
        ServerOptions o = options("operator: \"" + op + "\"\nresolver: MEM\nauthorization { auth_callout { issuer: "
                + ISSUER + ", auth_users: [" + NKey.createUser().publicKey() + "] } }");
        assertThat(OptionsValidator.validate(o))
                .hasValue("operators do not allow authorization callouts to be configured directly");
    }

    @Test
    void shouldValidateTheDefaultSentinel() throws Exception {
        NKey operator = NKey.createOperator();
        NKey account = NKey.createAccount();
        String op = JwtCodec.encode(ClaimsData.of(operator.publicKey()), ClaimType.OPERATOR,
                OperatorClaims.of(List.of(), ""), operator);
        String bearer = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.unlimited().withBearerToken(true), account);
        String notBearer = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.unlimited(), account);
        String scopedLooking = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.empty().withIssuerAccount(account.publicKey()), NKey.createAccount());
        String mode = "operator: \"" + op + "\"\nresolver: MEM\n";

        assertThat(OptionsValidator.validate(options(mode + "default_sentinel: \"" + bearer + "\"")))
                .isEmpty();
        assertThat(options(mode + "default_sentinel: \"" + bearer + "\"").defaultSentinel()).isEqualTo(bearer);
        assertThat(OptionsValidator.validate(options(mode + "default_sentinel: \"" + scopedLooking + "\"")))
                .isEmpty();
        assertThat(OptionsValidator.validate(options(mode + "default_sentinel: \"" + notBearer + "\"")))
                .hasValue("default sentinel must be a bearer token");
        assertThat(OptionsValidator.validate(options(mode + "default_sentinel: \"junk\"")))
                .hasValue("default sentinel JWT not valid");
        assertThat(OptionsValidator.validate(options("default_sentinel: \"" + bearer + "\"")))
                .hasValue("default sentinel requires operators and accounts");
    }
}
