package io.jnatsd.systest;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.CredsFile;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.OperatorClaims;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;

import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import java.util.function.UnaryOperator;

/**
 * Mints an operator, a system account and accounts and users with the jnatsd JWT encoder, as {@code nsc} would,
 * and writes the operator-mode config that trusts them. Immutable keys; every method returns fresh tokens.
 */
final class JwtFixture {

    /**
     * A generous auth timeout: the Java client's first nonce signature in a fresh JVM can take longer than the
     * default 2 s on a loaded machine.
     */
    static final String AUTH_TIMEOUT = "authorization { timeout: 10 }\n";

    final NKey operator = NKey.createOperator();
    final NKey system = NKey.createAccount();
    final String operatorJwt;
    final String systemJwt;

    JwtFixture() {
        operatorJwt = sign(ClaimsData.of(operator.publicKey()).withName("op"), ClaimType.OPERATOR,
                OperatorClaims.of(List.of(), system.publicKey()), operator);
        systemJwt = account(system, "SYS", c -> c);
    }

    static String sign(ClaimsData claims, ClaimType type, Object data, NKey signer) {
        try {
            return JwtCodec.encode(claims, type, data, signer);
        } catch (JwtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An account JWT for {@code key}, signed by the operator, from unlimited claims changed by {@code change}. */
    String account(NKey key, String name, UnaryOperator<AccountClaims> change) {
        return sign(ClaimsData.of(key.publicKey()).withName(name), ClaimType.ACCOUNT,
                change.apply(AccountClaims.unlimited()), operator);
    }

    /** {@link #account(NKey, String, UnaryOperator)} expiring at {@code expires} (Unix seconds). */
    String account(NKey key, String name, UnaryOperator<AccountClaims> change, long expires) {
        return sign(ClaimsData.of(key.publicKey()).withName(name).withExpires(expires), ClaimType.ACCOUNT,
                change.apply(AccountClaims.unlimited()), operator);
    }

    /** A user JWT for {@code user} signed by {@code issuer}, from unlimited claims changed by {@code change}. */
    static String user(NKey user, String name, NKey issuer, UnaryOperator<ClaimsData> claims,
                       UnaryOperator<UserClaims> change) {
        return sign(claims.apply(ClaimsData.of(user.publicKey()).withName(name)), ClaimType.USER,
                change.apply(UserClaims.unlimited()), issuer);
    }

    /**
     * A version 1 user JWT as nsc 1.x wrote them (and as nats.java's test fixtures still are): top-level
     * {@code type}, {@code alg: ed25519}, the signature over the payload only, and {@code nats} holding only
     * {@code pub} and {@code sub} (no limits, which version 1 reads as unlimited).
     */
    static String userV1(NKey user, String name, NKey issuer) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"jwt\",\"alg\":\"ed25519\"}".getBytes(UTF_8));
        String payload = b64.encodeToString(("{\"jti\":\"V1\",\"iat\":1565889898,\"iss\":\""
                + issuer.publicKey() + "\",\"name\":\"" + name + "\",\"sub\":\"" + user.publicKey()
                + "\",\"type\":\"user\",\"nats\":{\"pub\":{},\"sub\":{}}}").getBytes(UTF_8));
        return header + "." + payload + "." + b64.encodeToString(issuer.sign(payload.getBytes(UTF_8)));
    }

    /** The {@code .creds} text of a user JWT and its seed. */
    static byte[] creds(String jwt, NKey user) {
        return new CredsFile(jwt, user.seed()).format().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Operator-mode config, MEMORY resolver preloading the system account and {@code accounts} (key, JWT pairs). */
    String memoryConfig(String... accounts) {
        StringBuilder preload = new StringBuilder("resolver_preload: {\n  ").append(system.publicKey()).append(": \"")
                .append(systemJwt).append("\"\n");
        for (int i = 0; i < accounts.length; i += 2) {
            preload.append("  ").append(accounts[i]).append(": \"").append(accounts[i + 1]).append("\"\n");
        }
        return "operator: \"" + operatorJwt + "\"\nsystem_account: " + system.publicKey()
                + "\nresolver: MEMORY\n" + AUTH_TIMEOUT + preload.append("}\n");
    }

    /** Operator-mode config with a full directory resolver in {@code dir}. */
    String fullConfig(java.nio.file.Path dir) {
        return "operator: \"" + operatorJwt + "\"\nsystem_account: " + system.publicKey()
                + "\nresolver: { type: full, dir: \"" + dir + "\", allow_delete: true }\n" + AUTH_TIMEOUT
                + "resolver_preload: {\n  " + system.publicKey() + ": \"" + systemJwt + "\"\n}\n";
    }
}
