package io.jnatsd.jwt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.GoJson;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtCodecTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void shouldDecodeUserJwtMintedByNsc() throws Exception {
        CredsFile creds = CredsFile.parse(JwtCodecTestVectors.ONE_CREDS);
        Jwt jwt = JwtCodec.decode(creds.jwt());

        assertThat(jwt.type()).isEqualTo(ClaimType.USER);
        assertThat(jwt.version()).isEqualTo(2);
        assertThat(jwt.claims().name()).isEqualTo("one");
        assertThat(jwt.issuer()).isEqualTo("ABVRZKJ6Z7NIMPIYJRCHEYFRUO7ENN6NWOKQDFLFDFVPSM36UPX2UCPP");
        assertThat(jwt.subject()).isEqualTo(NKey.fromSeed(creds.seed()).publicKey());
        assertThat(jwt.claims().issuedAt()).isEqualTo(1616247232L);
        UserClaims user = jwt.user();
        assertThat(user.maxSubscriptions()).isEqualTo(-1);
        assertThat(user.maxPayloadBytes()).isEqualTo(-1);
        assertThat(user.bearerToken()).isFalse();
        assertThat(user.issuerAccount()).isEmpty();
    }

    @Test
    void shouldComputeTheSameJtiAsGo() throws Exception {
        Jwt jwt = JwtCodec.decode(CredsFile.parse(JwtCodecTestVectors.ONE_CREDS).jwt());
        ClaimsData c = jwt.claims();
        assertThat(JwtCodec.hash(c.withIssuerAndId(c.issuer(), c.issuedAt(), "")))
                .isEqualTo("GECPTJHHMS3MCMKLTPGYGAO45GQ6N6QPYWQ4GPLAEB33VCRJNRVQ");
    }

    @Test
    void shouldWriteUserClaimsAsGoDoes() {
        assertThat(GoJson.write(UserClaims.unlimited()))
                .isEqualTo("{\"pub\":{},\"sub\":{},\"subs\":-1,\"data\":-1,\"payload\":-1}");
    }

    @Test
    void shouldDecodeVersionOneOperatorJwt() throws Exception {
        Jwt jwt = JwtCodec.decode(CredsFile.parse(JwtCodecTestVectors.OP_JWT_V1).jwt());

        assertThat(jwt.type()).isEqualTo(ClaimType.OPERATOR);
        assertThat(jwt.version()).isEqualTo(1);
        assertThat(jwt.claims().isSelfSigned()).isTrue();
        assertThat(jwt.operator().signingKeys()).hasSize(3)
                .first().isEqualTo("ODSKR7MYFQZ5MMAJ6FPMEETCTE3RIHOFLTYPJRMAVVN4OLV2YYAMHCAC");
    }

    @Test
    void shouldReadVersionOneUserWithoutLimitsAsUnlimited() throws Exception {
        NKey account = NKey.createAccount();
        String payload = B64.encodeToString(("{\"iss\":\"" + account.publicKey() + "\",\"sub\":\""
                + NKey.createUser().publicKey() + "\",\"type\":\"user\",\"tags\":[\"t:1\"],\"issuer_account\":\""
                + account.publicKey() + "\",\"nats\":{\"pub\":{},\"sub\":{},\"payload\":64}}")
                .getBytes(StandardCharsets.UTF_8));
        String header = B64.encodeToString("{\"typ\":\"jwt\",\"alg\":\"ed25519\"}".getBytes(StandardCharsets.UTF_8));
        String token = header + "." + payload + "."
                + B64.encodeToString(account.sign(payload.getBytes(StandardCharsets.US_ASCII)));

        Jwt jwt = JwtCodec.decode(token);

        assertThat(jwt.version()).isEqualTo(1);
        UserClaims user = jwt.user();
        assertThat(user.maxSubscriptions()).isEqualTo(UserClaims.NO_LIMIT);
        assertThat(user.maxDataBytes()).isEqualTo(UserClaims.NO_LIMIT);
        assertThat(user.maxPayloadBytes()).isEqualTo(64);
        assertThat(user.issuerAccount()).isEqualTo(account.publicKey());
        assertThat(user.tags()).containsExactly("t:1");
        assertThat(jwt.tags()).containsExactly("t:1");
    }

    @Test
    void shouldRoundTripUserClaims() throws Exception {
        NKey account = NKey.createAccount();
        NKey user = NKey.createUser();
        UserClaims claims = UserClaims.unlimited()
                .withPermissions(Permission.allow("foo.>"), new Permission(List.of("bar"), List.of("bar.x")))
                .withResponse(new ResponsePermission(1, 60_000_000_000L))
                .withSourceNetworks(List.of("127.0.0.1/32"))
                .withTimes(List.of(new TimeRange("08:00:00", "17:00:00")), "Europe/Berlin")
                .withBearerToken(true)
                .withAllowedConnectionTypes(List.of("STANDARD"))
                .withTags(List.of("a:b"));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

        String token = JwtCodec.encode(ClaimsData.of(user.publicKey()).withName("u").withExpires(1_800_000_000L),
                ClaimType.USER, claims, account, clock);
        Jwt jwt = JwtCodec.decode(token);

        assertThat(jwt.issuer()).isEqualTo(account.publicKey());
        assertThat(jwt.claims().issuedAt()).isEqualTo(1_700_000_000L);
        assertThat(jwt.claims().expires()).isEqualTo(1_800_000_000L);
        assertThat(jwt.claims().id()).hasSize(52);
        assertThat(jwt.user()).isEqualTo(claims);
        assertThat(jwt.tags()).containsExactly("a:b");
    }

    @Test
    void shouldRoundTripAccountClaimsWithScopedSigningKey() throws Exception {
        NKey operator = NKey.createOperator();
        NKey account = NKey.createAccount();
        String scopeKey = NKey.createAccount().publicKey();
        String plainKey = NKey.createAccount().publicKey();
        AccountClaims claims = AccountClaims.unlimited()
                .withLimits(AccountLimits.unlimited().withConnections(5))
                .withSigningKeys(List.of(SigningKey.of(plainKey), SigningKey.scope(scopeKey, "dev",
                        UserClaims.unlimited().withPermissions(Permission.allow("{{name()}}.>"), Permission.NONE))))
                .withRevocation("UABC", 10)
                .withExports(List.of(new Export("e", "svc.>", "service", true, null, "Singleton", 0, null, 0, false,
                        false)));

        Jwt jwt = JwtCodec.decode(JwtCodec.encode(ClaimsData.of(account.publicKey()), ClaimType.ACCOUNT, claims,
                operator));

        AccountClaims decoded = jwt.account();
        assertThat(decoded).isEqualTo(claims);
        assertThat(decoded.signingKey(scopeKey).scoped()).isTrue();
        assertThat(decoded.signingKey(plainKey).scoped()).isFalse();
        assertThat(decoded.isRevoked("UABC", 10)).isTrue();
        assertThat(decoded.isRevoked("UABC", 11)).isFalse();
        String json = new String(Base64.getUrlDecoder().decode(jwt.token().split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(json).contains("\"signing_keys\":[\"" + plainKey + "\",{\"kind\":\"user_scope\",\"key\":\""
                + scopeKey + "\",\"role\":\"dev\",\"template\":{\"pub\":{\"allow\":[\"{{name()}}.\\u003e\"]}");
    }

    @Test
    void shouldReadSourceNetworksFromCommaList() throws Exception {
        UserClaims claims = GoJson.mapper().readValue("{\"src\":\"10.0.0.0/8, 192.168.1.1/32\"}",
                UserClaims.class);
        assertThat(claims.sourceNetworks()).containsExactly("10.0.0.0/8", "192.168.1.1/32");
    }

    @Test
    void shouldRejectTamperedPayload() throws Exception {
        NKey account = NKey.createAccount();
        String token = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.unlimited(), account);
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) GoJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        payload.put("name", "evil");
        String tampered = parts[0] + "." + B64.encodeToString(GoJson.writeBytes(payload)) + "." + parts[2];

        assertThatThrownBy(() -> JwtCodec.decode(tampered)).isInstanceOf(JwtException.class)
                .hasMessage("claim failed V2 signature verification");
    }

    @Test
    void shouldRejectWrongIssuerKind() throws Exception {
        NKey operator = NKey.createOperator();
        assertThatThrownBy(() -> JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.unlimited(), operator)).hasMessage("unable to validate expected prefixes - [account]");
        ObjectNode nats = GoJson.mapper().createObjectNode().put("type", "user").put("version", 2);
        String token = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.GENERIC, nats,
                operator);
        assertThatThrownBy(() -> JwtCodec.decode(token)).isInstanceOf(JwtException.class)
                .hasMessage("unable to validate expected prefixes - [account]");
    }

    @Test
    void shouldRejectMalformedTokens() throws Exception {
        NKey account = NKey.createAccount();
        String token = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.USER,
                UserClaims.unlimited(), account);
        String[] parts = token.split("\\.");
        assertThatThrownBy(() -> JwtCodec.decode(parts[0] + "." + parts[1])).hasMessage("expected 3 chunks");
        assertThatThrownBy(() -> JwtCodec.decode(token + ".x")).hasMessage("expected 3 chunks");
        assertThatThrownBy(() -> JwtCodec.decode(parts[0] + "=." + parts[1] + "." + parts[2]))
                .hasMessageStartingWith("illegal base64 data at input byte");
        String badTyp = B64.encodeToString("{\"typ\":\"XYZ\",\"alg\":\"ed25519-nkey\"}".getBytes());
        assertThatThrownBy(() -> JwtCodec.decode(badTyp + "." + parts[1] + "." + parts[2]))
                .hasMessage("not supported type \"XYZ\"");
        String badAlg = B64.encodeToString("{\"typ\":\"jwt\",\"alg\":\"HS256\"}".getBytes());
        assertThatThrownBy(() -> JwtCodec.decode(badAlg + "." + parts[1] + "." + parts[2]))
                .hasMessage("unexpected \"HS256\" algorithm");
        assertThatThrownBy(() -> JwtCodec.decode("x".repeat(JwtCodec.MAX_TOKEN_BYTES + 1)))
                .hasMessageEndingWith("token too large");
    }

    @Test
    void shouldRejectNewerVersion() throws Exception {
        ObjectNode nats = GoJson.mapper().createObjectNode().put("type", "user").put("version", 3);
        String token = JwtCodec.encode(ClaimsData.of(NKey.createUser().publicKey()), ClaimType.GENERIC, nats,
                NKey.createAccount());
        assertThatThrownBy(() -> JwtCodec.decode(token)).hasMessage("JWT was generated by a newer version ");
    }

    @Test
    void shouldReportTimeIssues() {
        ClaimsData c = ClaimsData.of("U").withExpires(100).withNotBefore(200);
        assertThat(c.timeIssues(150)).containsExactly("claim is expired", "claim is not yet valid");
        assertThat(c.withExpires(0).withNotBefore(0).timeIssues(150)).isEmpty();
        assertThat(c.isExpired(100)).isFalse();
        assertThat(c.isExpired(101)).isTrue();
    }

    @Test
    void shouldDecodeGenericClaims() throws Exception {
        NKey operator = NKey.createOperator();
        ObjectNode nats = GoJson.mapper().createObjectNode();
        nats.putArray("accounts").add("AXYZ");
        String token = JwtCodec.encode(ClaimsData.of(operator.publicKey()), ClaimType.GENERIC, nats, operator);
        Jwt jwt = JwtCodec.decode(token);
        assertThat(jwt.type()).isEqualTo(ClaimType.GENERIC);
        assertThat(jwt.nats().get("accounts").get(0).asText()).isEqualTo("AXYZ");
        assertThatThrownBy(jwt::user).hasMessage("not a user claim");
    }

    @Test
    void shouldApplyRevocationLists() {
        assertThat(Revocations.isRevoked(java.util.Map.of("*", 10L), "U1", 10)).isTrue();
        assertThat(Revocations.isRevoked(java.util.Map.of("*", 10L), "U1", 11)).isFalse();
        assertThat(Revocations.isRevoked(java.util.Map.of("U1", 10L), "U2", 1)).isFalse();
    }

    @Test
    void shouldRoundTripAuthorizationClaims() throws Exception {
        NKey server = NKey.createServer();
        NKey account = NKey.createAccount();
        String userKey = NKey.createUser().publicKey();
        AuthorizationRequestClaims request = new AuthorizationRequestClaims(
                new AuthorizationRequestClaims.ServerId("s1", "127.0.0.1", server.publicKey(), "2.15.0", null, null,
                        null),
                userKey, new AuthorizationRequestClaims.ClientInformation("127.0.0.1", 7, "bob", null, null, null,
                        "Client", "nats", null, null),
                new AuthorizationRequestClaims.ConnectOptions(null, null, null, null, "bob", "pw", null, "java",
                        "2.20", 1), null, null, null);
        Jwt req = JwtCodec.decode(JwtCodec.encode(ClaimsData.of(account.publicKey())
                .withAudience("nats-authorization-request"), ClaimType.AUTHORIZATION_REQUEST, request, server));
        assertThat(req.authorizationRequest()).isEqualTo(request);

        AuthorizationResponseClaims response = new AuthorizationResponseClaims("", "not today", "", null);
        Jwt resp = JwtCodec.decode(JwtCodec.encode(ClaimsData.of(userKey).withAudience(server.publicKey()),
                ClaimType.AUTHORIZATION_RESPONSE, response, account));
        assertThat(resp.authorizationResponse().error()).isEqualTo("not today");
        assertThatThrownBy(() -> JwtCodec.encode(ClaimsData.of(userKey), ClaimType.AUTHORIZATION_RESPONSE, response,
                server)).hasMessage("unable to validate expected prefixes - [account]");
    }
}
