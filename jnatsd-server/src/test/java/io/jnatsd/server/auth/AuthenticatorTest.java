package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.AuthOptions.NkeyUser;
import io.jnatsd.config.AuthOptions.Permissions;
import io.jnatsd.config.AuthOptions.SubjectPermission;
import io.jnatsd.config.AuthOptions.User;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.WebSocketOptions;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.Nonces;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {

    /** bcrypt of "foo" from nats-server's test/configs/authorization.conf. */
    private static final String FOO = "$2a$04$P/.bd.7unw9Ew7yWJqXsl.f4oNRLQGvadEL2YnqQXbbb.IVQajRdK";
    private static final String STANDARD = Authenticator.STANDARD;

    private static Authenticator of(AuthOptions auth) {
        return Authenticator.of(ServerOptions.builder().authorization(auth).build());
    }

    private static AuthOptions users(User... users) {
        return AuthOptions.NONE.withUsers(List.of(users), List.of());
    }

    private static Credentials user(String name, String password) {
        return new Credentials(name, password, "", "", "");
    }

    private static Credentials token(String token) {
        return new Credentials("", "", token, "", "");
    }

    private static String sign(NKey key, String nonce) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(nonce.getBytes(
                StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldLetEveryoneInWhenNothingIsConfigured() {
        Authenticator auth = of(AuthOptions.NONE);
        assertThat(auth.authRequired()).isFalse();
        assertThat(auth.infoAuthRequired()).isFalse();
        assertThat(auth.nonceRequired()).isFalse();
        AuthResult result = auth.authenticate(user("any", "thing"), null, STANDARD);
        assertThat(result.authorized()).isTrue();
        assertThat(result.assignsPermissions()).isFalse();
    }

    @Test
    void shouldCheckAPlainAndABcryptToken() {
        Authenticator plain = of(AuthOptions.NONE.withToken("s3cr3t"));
        assertThat(plain.authRequired()).isTrue();
        assertThat(plain.authenticate(token("s3cr3t"), null, STANDARD).authorized()).isTrue();
        assertThat(plain.authenticate(token("wrong"), null, STANDARD).authorized()).isFalse();
        assertThat(plain.authenticate(Credentials.NONE, null, STANDARD).authorized()).isFalse();
        assertThat(plain.authenticate(user("s3cr3t", "s3cr3t"), null, STANDARD).authorized()).isFalse();
        Authenticator bcrypt = of(AuthOptions.NONE.withToken(FOO));
        assertThat(bcrypt.authenticate(token("foo"), null, STANDARD).authorized()).isTrue();
        assertThat(bcrypt.authenticate(token(FOO), null, STANDARD).authorized()).isFalse();
    }

    @Test
    void shouldCheckASingleUser() {
        Authenticator auth = of(AuthOptions.NONE.withUsername("derek").withPassword(FOO));
        assertThat(auth.authenticate(user("derek", "foo"), null, STANDARD).authorized()).isTrue();
        assertThat(auth.authenticate(user("derek", "bar"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(user("Derek", "foo"), null, STANDARD).authorized()).isFalse();
        AuthResult ok = auth.authenticate(user("derek", "foo"), null, STANDARD);
        assertThat(ok.assignsPermissions()).isFalse();
    }

    @Test
    void shouldPreferTheTokenOverTheSingleUser() {
        // both can only come together from flags (--user with --auth); nats-server then checks the token only
        Authenticator auth = of(AuthOptions.NONE.withUsername("u").withPassword("p").withToken("t"));
        assertThat(auth.authenticate(user("u", "p"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(token("t"), null, STANDARD).authorized()).isTrue();
    }

    @Test
    void shouldCheckUsersAndGiveThemTheirPermissions() {
        Permissions alicePerms = Permissions.publish(SubjectPermission.allow("a.>"));
        Permissions defaults = Permissions.subscribe(SubjectPermission.deny("secret"));
        Authenticator auth = of(users(User.of("alice", "a", alicePerms), User.of("bob", FOO))
                .withDefaultPermissions(defaults));
        AuthResult alice = auth.authenticate(user("alice", "a"), null, STANDARD);
        assertThat(alice.authorized()).isTrue();
        assertThat(alice.assignsPermissions()).isTrue();
        assertThat(alice.permissions().source()).isEqualTo(alicePerms);
        AuthResult bob = auth.authenticate(user("bob", "foo"), null, STANDARD);
        assertThat(bob.permissions().source()).isEqualTo(defaults);
        assertThat(auth.authenticate(user("carol", "a"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(user("alice", "b"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(Credentials.NONE, null, STANDARD).authorized()).isFalse();
    }

    @Test
    void shouldShareCompiledPermissionsBetweenUsers() {
        Permissions defaults = Permissions.subscribe(SubjectPermission.deny("secret"));
        Authenticator auth = of(users(User.of("a", "a"), User.of("b", "b")).withDefaultPermissions(defaults));
        assertThat(auth.authenticate(user("a", "a"), null, STANDARD).permissions())
                .isSameAs(auth.authenticate(user("b", "b"), null, STANDARD).permissions());
    }

    @Test
    void shouldVerifyNkeySignaturesOfTheNonce() {
        NKey key = NKey.createUser();
        Authenticator auth = of(AuthOptions.NONE.withUsers(List.of(), List.of(NkeyUser.of(key.publicKey(), null))));
        assertThat(auth.nonceRequired()).isTrue();
        assertThat(auth.infoAuthRequired()).isTrue();
        String nonce = Nonces.newNonce();
        byte[] nonceBytes = Authenticator.nonceBytes(nonce);
        Credentials good = new Credentials("", "", "", key.publicKey(), sign(key, nonce));
        AuthResult ok = auth.authenticate(good, nonceBytes, STANDARD);
        assertThat(ok.authorized()).isTrue();
        assertThat(ok.assignsPermissions()).isTrue();
        assertThat(ok.permissions()).isNull();

        String padded = Base64.getEncoder().encodeToString(key.sign(nonceBytes));
        assertThat(auth.authenticate(new Credentials("", "", "", key.publicKey(), padded), nonceBytes, STANDARD)
                .authorized()).isTrue();

        AuthResult missing = auth.authenticate(new Credentials("", "", "", key.publicKey(), ""), nonceBytes,
                STANDARD);
        assertThat(missing.authorized()).isFalse();
        assertThat(missing.debugReason()).isEqualTo("Signature missing");
        AuthResult notBase64 = auth.authenticate(new Credentials("", "", "", key.publicKey(), "!!"), nonceBytes,
                STANDARD);
        assertThat(notBase64.debugReason()).isEqualTo("Signature not valid base64");
        AuthResult otherNonce = auth.authenticate(new Credentials("", "", "", key.publicKey(),
                sign(key, Nonces.newNonce())), nonceBytes, STANDARD);
        assertThat(otherNonce.debugReason()).isEqualTo("Signature not verified");
        AuthResult otherKey = auth.authenticate(new Credentials("", "", "", key.publicKey(),
                sign(NKey.createUser(), nonce)), nonceBytes, STANDARD);
        assertThat(otherKey.authorized()).isFalse();
        AuthResult unknown = auth.authenticate(new Credentials("", "", "", NKey.createUser().publicKey(),
                sign(key, nonce)), nonceBytes, STANDARD);
        assertThat(unknown.authorized()).isFalse();
        assertThat(unknown.debugReason()).isNull();
    }

    @Test
    void shouldNotFallBackToUsersWhenAnUnknownNkeyIsSent() {
        NKey key = NKey.createUser();
        Authenticator auth = of(AuthOptions.NONE.withUsers(List.of(User.of("u", "p")),
                List.of(NkeyUser.of(key.publicKey(), null))));
        Credentials both = new Credentials("u", "p", "", NKey.createUser().publicKey(), "");
        assertThat(auth.authenticate(both, Authenticator.nonceBytes(Nonces.newNonce()), STANDARD).authorized())
                .isFalse();
        assertThat(auth.authenticate(user("u", "p"), null, STANDARD).authorized()).isTrue();
    }

    @Test
    void shouldMakeClientsWithoutCredentialsTheNoAuthUser() {
        Permissions perms = Permissions.publish(SubjectPermission.allow("x"));
        Authenticator auth = of(users(User.of("guest", "pw", perms), User.of("hashed", FOO))
                .withNoAuthUser("guest"));
        assertThat(auth.authRequired()).isTrue();
        assertThat(auth.infoAuthRequired()).isFalse();
        AuthResult result = auth.authenticate(Credentials.NONE, null, STANDARD);
        assertThat(result.authorized()).isTrue();
        assertThat(result.credentials().user()).isEqualTo("guest");
        assertThat(result.credentials().password()).isEqualTo("pw");
        assertThat(result.permissions().source()).isEqualTo(perms);
        // credentials that are sent are checked as usual
        assertThat(auth.authenticate(user("guest", "bad"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(token("x"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.allowsImplicitConnect(STANDARD)).isTrue();
    }

    @Test
    void shouldFailANoAuthUserWithABcryptPasswordAsNatsServerDoes() {
        Authenticator auth = of(users(User.of("hashed", FOO)).withNoAuthUser("hashed"));
        AuthResult result = auth.authenticate(Credentials.NONE, null, STANDARD);
        assertThat(result.authorized()).isFalse();
        assertThat(result.credentials().describe()).isEqualTo("User \"hashed\"");
    }

    @Test
    void shouldLetANoAuthNkeyUserInWithoutASignature() {
        NKey key = NKey.createUser();
        Authenticator auth = of(AuthOptions.NONE.withUsers(List.of(), List.of(NkeyUser.of(key.publicKey(), null)))
                .withNoAuthUser(key.publicKey()));
        AuthResult result = auth.authenticate(Credentials.NONE, Authenticator.nonceBytes(Nonces.newNonce()),
                STANDARD);
        assertThat(result.authorized()).isTrue();
        assertThat(result.credentials().nkey()).isEqualTo(key.publicKey());
        assertThat(result.credentials().label()).isEqualTo("nkey:" + key.publicKey());
        // the implicit (no CONNECT) path is for users-list entries only
        assertThat(auth.allowsImplicitConnect(STANDARD)).isFalse();
    }

    @Test
    void shouldEnforceAllowedConnectionTypes() {
        Authenticator auth = of(users(new User("ws", "p", null, Set.of("websocket"), false),
                new User("std", "p", null, Set.of("STANDARD", "MQTT"), false)).withNoAuthUser("ws"));
        assertThat(auth.authenticate(user("ws", "p"), null, STANDARD).authorized()).isFalse();
        assertThat(auth.authenticate(user("ws", "p"), null, "WEBSOCKET").authorized()).isTrue();
        assertThat(auth.authenticate(user("std", "p"), null, STANDARD).authorized()).isTrue();
        assertThat(auth.allowsImplicitConnect(STANDARD)).isFalse();
        assertThat(auth.allowsImplicitConnect("WEBSOCKET")).isTrue();
    }

    @Test
    void shouldFailProxyRequiredUsersWithoutATrustedProxy() {
        Authenticator auth = of(users(new User("p", "p", null, Set.of(), true)).withNoAuthUser("p"));
        AuthResult result = auth.authenticate(user("p", "p"), null, STANDARD);
        assertThat(result.authorized()).isFalse();
        assertThat(result.proxyRequired()).isTrue();
        assertThat(auth.allowsImplicitConnect(STANDARD)).isFalse();
        AuthResult single = of(AuthOptions.NONE.withToken("t").withProxyRequired(true))
                .authenticate(token("t"), null, STANDARD);
        assertThat(single.proxyRequired()).isTrue();
    }

    @Test
    void shouldWarnAboutPlainTextPasswords() {
        assertThat(of(AuthOptions.NONE.withToken("plain")).warnings()).isEmpty();
        assertThat(of(AuthOptions.NONE.withUsername("u").withPassword(FOO)).warnings()).isEmpty();
        assertThat(of(AuthOptions.NONE.withUsername("u").withPassword("plain")).warnings())
                .containsExactly("Plaintext passwords detected, use nkeys or bcrypt");
        assertThat(of(users(User.of("a", FOO), User.of("b", ""))).warnings()).hasSize(1);
    }

    @Test
    void shouldDecodeSignaturesAsGoDoes() {
        byte[] raw = {(byte) 0xfb, (byte) 0xff, 0x01};
        assertThat(Authenticator.decodeSignature("-_8B")).containsExactly(raw);
        assertThat(Authenticator.decodeSignature("+/8B")).containsExactly(raw);
        assertThat(Authenticator.decodeSignature("AQ")).containsExactly(1);
        assertThat(Authenticator.decodeSignature("AQ==")).containsExactly(1);
        assertThat(Authenticator.decodeSignature("A\r\nQ")).containsExactly(1);
        assertThat(Authenticator.decodeSignature("-Q==")).isNull();      // url alphabet with padding
        assertThat(Authenticator.decodeSignature("+Q")).isNull();        // std alphabet without padding
        assertThat(Authenticator.decodeSignature("A")).isNull();
        assertThat(Authenticator.decodeSignature("A=AA")).isNull();
    }

    @Test
    void shouldDescribeIdentitiesWithoutSecrets() {
        Credentials c = new Credentials("", "", "t0k3n", "", "");
        assertThat(c.describe()).isEqualTo("Token \"[REDACTED]\"");
        assertThat(c.label()).isEqualTo("token");
        assertThat(c.toString()).doesNotContain("t0k3n");
        assertThat(user("a\"b", "pw").describe()).isEqualTo("User \"a\\\"b\"");
        assertThat(user("a", "pw").toString()).doesNotContain("pw");
        assertThat(Credentials.NONE.hasIdentity()).isFalse();
        assertThat(Credentials.NONE.describe()).isEqualTo("User \"N/A\"");
    }

    // ------------------------------------------------------------------------------------- trusted proxies

    private static Credentials proxied(Credentials c, String proxySignature) {
        return new Credentials(c.user(), c.password(), c.token(), c.nkey(), c.signature(), proxySignature);
    }

    @Test
    void shouldTrustAProxyWhoseKeySignedTheNonce() {
        NKey proxy = NKey.createUser();
        Authenticator auth = of(users(new User("p", "pw", null, Set.of(), true))
                .withTrustedProxies(List.of(NKey.createAccount().publicKey(), proxy.publicKey())));
        assertThat(auth.nonceRequired()).isTrue();
        String nonce = Nonces.newNonce();
        byte[] nonceBytes = Authenticator.nonceBytes(nonce);
        AuthResult ok = auth.authenticate(proxied(user("p", "pw"), sign(proxy, nonce)), nonceBytes, STANDARD);
        assertThat(ok.authorized()).isTrue();
        assertThat(ok.proxyKey()).isEqualTo(proxy.publicKey());
        assertThat(auth.trustsProxy(proxy.publicKey())).isTrue();

        AuthResult direct = auth.authenticate(user("p", "pw"), nonceBytes, STANDARD);
        assertThat(direct.authorized()).isFalse();
        assertThat(direct.proxyRequired()).isTrue();

        AuthResult forged = auth.authenticate(proxied(user("p", "pw"), sign(NKey.createUser(), nonce)), nonceBytes,
                STANDARD);
        assertThat(forged.authorized()).isFalse();
        assertThat(forged.proxyNotTrusted()).isTrue();

        AuthResult padded = auth.authenticate(proxied(user("p", "pw"), sign(proxy, nonce) + "=="), nonceBytes,
                STANDARD);
        assertThat(padded.proxyNotTrusted()).as("proxy_sig is raw base64url only").isTrue();
    }

    @Test
    void shouldCheckAProxySignatureEvenWithoutAuthentication() {
        NKey proxy = NKey.createUser();
        Authenticator auth = of(AuthOptions.NONE.withTrustedProxies(List.of(proxy.publicKey())));
        assertThat(auth.authRequired()).isFalse();
        String nonce = Nonces.newNonce();
        assertThat(auth.authenticate(proxied(Credentials.NONE, sign(NKey.createUser(), nonce)),
                Authenticator.nonceBytes(nonce), STANDARD).proxyNotTrusted()).isTrue();
        assertThat(auth.authenticate(proxied(Credentials.NONE, sign(proxy, nonce)), Authenticator.nonceBytes(nonce),
                STANDARD).authorized()).isTrue();
        assertThat(auth.authenticate(Credentials.NONE, Authenticator.nonceBytes(nonce), STANDARD).authorized())
                .isTrue();
    }

    @Test
    void shouldIgnoreAProxySignatureWhenNoProxyIsTrusted() {
        Authenticator auth = of(AuthOptions.NONE.withToken("t"));
        assertThat(auth.authenticate(proxied(token("t"), "whatever"), null, STANDARD).authorized()).isTrue();
    }

    @Test
    void shouldLetTokenAndNkeyUsersRequireAProxy() {
        NKey proxy = NKey.createUser();
        NKey user = NKey.createUser();
        String nonce = Nonces.newNonce();
        byte[] nonceBytes = Authenticator.nonceBytes(nonce);
        Authenticator tokenAuth = of(AuthOptions.NONE.withToken("t").withProxyRequired(true)
                .withTrustedProxies(List.of(proxy.publicKey())));
        assertThat(tokenAuth.authenticate(token("t"), nonceBytes, STANDARD).proxyRequired()).isTrue();
        assertThat(tokenAuth.authenticate(proxied(token("t"), sign(proxy, nonce)), nonceBytes, STANDARD)
                .authorized()).isTrue();
        Authenticator nkeyAuth = of(AuthOptions.NONE.withUsers(List.of(), List.of(new NkeyUser(user.publicKey(),
                null, Set.of(), true))).withTrustedProxies(List.of(proxy.publicKey())));
        Credentials signed = new Credentials("", "", "", user.publicKey(), sign(user, nonce));
        assertThat(nkeyAuth.authenticate(signed, nonceBytes, STANDARD).proxyRequired()).isTrue();
        assertThat(nkeyAuth.authenticate(proxied(signed, sign(proxy, nonce)), nonceBytes, STANDARD).authorized())
                .isTrue();
    }

    // ------------------------------------------------------------------------------------- verify_and_map

    private static Authenticator mapping(User... users) {
        return Authenticator.of(ServerOptions.builder().authorization(users(users))
                .tls(io.jnatsd.config.TlsOptions.builder().enabled(true).verifyAndMap(true).build()).build());
    }

    private static AuthResult withCertificate(Authenticator auth, Credentials c, java.security.cert.X509Certificate
            cert) {
        return auth.authenticate(new ClientAuthentication.Request(c, "", "", null, List.of(cert), null, STANDARD));
    }

    @Test
    void shouldMapTheCertificateToAUserInNatsServersOrder() {
        var cert = TestCertificates.certificate(
                new org.bouncycastle.asn1.x500.X500Name("CN=bob,O=Acme"),
                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, "bob.io"),
                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.rfc822Name,
                        "bob@acme.io"));
        Authenticator emailFirst = mapping(User.of("bob.io", ""), User.of("bob@acme.io", ""), User.of("CN=bob,O=Acme",
                ""));
        assertThat(emailFirst.mapsCertificates()).isTrue();
        AuthResult byEmail = withCertificate(emailFirst, user("ignored", ""), cert);
        assertThat(byEmail.authorized()).isTrue();
        assertThat(byEmail.credentials().user()).isEqualTo("bob@acme.io");
        assertThat(withCertificate(mapping(User.of("bob.io", ""), User.of("CN=bob,O=Acme", "")), Credentials.NONE,
                cert).credentials().user()).isEqualTo("bob.io");
        assertThat(withCertificate(mapping(User.of("O=Acme,CN=bob", "")), Credentials.NONE, cert).authorized())
                .as("RDNs in any order").isTrue();
        AuthResult none = withCertificate(mapping(User.of("alice", "")), Credentials.NONE, cert);
        assertThat(none.authorized()).isFalse();
        assertThat(none.debugReason()).isEqualTo("User in cert [\"CN=bob,O=Acme\"], not found");
    }

    @Test
    void shouldStillCompareTheMappedUsersPassword() {
        var cert = TestCertificates.certificate(new org.bouncycastle.asn1.x500.X500Name("CN=carol"));
        Authenticator auth = mapping(User.of("CN=carol", "secret"));
        assertThat(withCertificate(auth, Credentials.NONE, cert).authorized()).isFalse();
        assertThat(withCertificate(auth, user("", "secret"), cert).authorized()).isTrue();
    }

    @Test
    void shouldFailMappingWithoutACertificateOrForADisallowedConnectionType() {
        Authenticator auth = mapping(new User("CN=dave", "", null, Set.of("WEBSOCKET"), false));
        assertThat(auth.authenticate(user("CN=dave", ""), null, STANDARD).authorized()).isFalse();
        var cert = TestCertificates.certificate(new org.bouncycastle.asn1.x500.X500Name("CN=dave"));
        assertThat(withCertificate(auth, Credentials.NONE, cert).authorized()).isFalse();
    }

    // ---------------------------------------------------------------------------------------- WebSocket

    private static ServerOptions withWebSocket(AuthOptions auth, UnaryOperator<WebSocketOptions.Builder> ws) {
        return ServerOptions.builder().authorization(auth)
                .websocket(ws.apply(WebSocketOptions.builder().port(8080).noTls(true)).build()).build();
    }

    @Test
    void shouldReplaceTheTopLevelCredentialsForWebSocketClientsWhenTheBlockHasItsOwn() {
        ServerOptions options = withWebSocket(AuthOptions.NONE.withToken("tcp"), ws -> ws.username("w").password("p"));
        Authenticator tcp = Authenticator.of(options);
        Authenticator ws = Authenticator.forWebSocket(options, null, null, null);
        assertThat(tcp.authenticate(token("tcp"), null, STANDARD).authorized()).isTrue();
        assertThat(ws.authenticate(token("tcp"), null, Authenticator.WEBSOCKET).authorized()).isFalse();
        assertThat(ws.authenticate(user("w", "p"), null, Authenticator.WEBSOCKET).authorized()).isTrue();
        assertThat(tcp.authenticate(user("w", "p"), null, STANDARD).authorized()).isFalse();
    }

    @Test
    void shouldKeepTheTopLevelCredentialsWithoutAnOverride() {
        ServerOptions options = withWebSocket(AuthOptions.NONE.withToken("tcp"), ws -> ws.usernameCookie("u"));
        Authenticator ws = Authenticator.forWebSocket(options, null, null, null);
        assertThat(ws.authRequired()).isTrue();
        assertThat(ws.authenticate(token("tcp"), null, Authenticator.WEBSOCKET).authorized()).isTrue();
    }

    @Test
    void shouldRequireAuthForWebSocketClientsOnlyWhenOnlyTheBlockConfiguresIt() {
        ServerOptions options = withWebSocket(AuthOptions.NONE, ws -> ws.token("t"));
        assertThat(Authenticator.of(options).authRequired()).isFalse();
        Authenticator ws = Authenticator.forWebSocket(options, null, null, null);
        assertThat(ws.authRequired()).isTrue();
        assertThat(ws.infoAuthRequired()).isTrue();
        assertThat(ws.authenticate(token("t"), null, Authenticator.WEBSOCKET).authorized()).isTrue();
    }

    @Test
    void shouldKeepAuthRequiredInTheWebSocketInfoDespiteANoAuthUser() {
        AuthOptions auth = users(User.of("a", "pa"), User.of("b", "pb")).withNoAuthUser("a");
        ServerOptions options = withWebSocket(auth, ws -> ws.noAuthUser("b"));
        assertThat(Authenticator.of(options).infoAuthRequired()).isFalse();
        Authenticator ws = Authenticator.forWebSocket(options, null, null, null);
        assertThat(ws.infoAuthRequired()).isTrue();
        AuthResult implicit = ws.authenticate(Credentials.NONE, null, Authenticator.WEBSOCKET);
        assertThat(implicit.authorized()).isTrue();
        assertThat(implicit.credentials().user()).isEqualTo("b");
        assertThat(ws.allowsImplicitConnect(Authenticator.WEBSOCKET)).isTrue();
    }

    @Test
    void shouldRefuseAPasswordlessUserTheWebSocketListenerMapsFromACertificate() {
        TlsOptions mapping = TlsOptions.builder().enabled(true).verifyAndMap(true).build();
        AuthOptions auth = users(User.of("CN=cert", ""), new User("CN=tcp-only", "", null, Set.of("STANDARD"), false));
        ServerOptions options = withWebSocket(auth, ws -> ws.noTls(false).tls(mapping));
        Authenticator tcp = Authenticator.of(options);
        AuthResult refused = tcp.authenticate(user("CN=cert", ""), null, STANDARD);
        assertThat(refused.authorized()).isFalse();
        assertThat(refused.debugReason()).isEqualTo("User \"CN=cert\" requires a client certificate");
        // a user the WebSocket listener cannot select (STANDARD only) keeps its empty password
        assertThat(tcp.authenticate(user("CN=tcp-only", ""), null, STANDARD).authorized()).isTrue();
        assertThat(Authenticator.forWebSocket(options, null, null, null).mapsCertificates()).isTrue();
        assertThat(tcp.mapsCertificates()).isFalse();
    }

    // ------------------------------------------------------------------------------------- custom

    @Test
    void shouldLeaveEveryDecisionToACustomAuthenticator() {
        Permissions perms = Permissions.publish(SubjectPermission.allow("ok.>"));
        ClientAuthentication custom = request -> request.credentials().token().equals("let-me-in")
                ? ClientAuthentication.Decision.accept(perms, null)
                : ClientAuthentication.Decision.reject();
        Authenticator auth = Authenticator.of(ServerOptions.builder()
                .authorization(AuthOptions.NONE.withToken("configured")).build(), custom);
        assertThat(auth.authRequired()).isTrue();
        assertThat(auth.infoAuthRequired()).isTrue();
        assertThat(auth.authenticate(token("configured"), null, STANDARD).authorized()).isFalse();
        AuthResult in = auth.authenticate(token("let-me-in"), null, STANDARD);
        assertThat(in.authorized()).isTrue();
        assertThat(in.assignsPermissions()).isTrue();
        assertThat(in.permissions().source()).isEqualTo(perms);
        assertThat(in.accountName()).isNull();
    }
}
