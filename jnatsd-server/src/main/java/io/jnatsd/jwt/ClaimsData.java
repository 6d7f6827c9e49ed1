package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The registered claims every NATS JWT carries ({@code claims.go ClaimsData}), in Go's field order, which is also
 * the order the {@code jti} hash is computed over. Times are Unix seconds; 0 means "not set". Strings are never
 * null. Immutable.
 *
 * @param audience  {@code aud}
 * @param expires   {@code exp}
 * @param id        {@code jti}: base32 (no padding) of SHA-512/256 over these claims with an empty {@code jti}
 * @param issuedAt  {@code iat}
 * @param issuer    {@code iss}: the public key that signed the token
 * @param name      {@code name}
 * @param notBefore {@code nbf}
 * @param subject   {@code sub}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ClaimsData(@JsonProperty("aud") String audience, @JsonProperty("exp") long expires,
                         @JsonProperty("jti") String id, @JsonProperty("iat") long issuedAt,
                         @JsonProperty("iss") String issuer, @JsonProperty("name") String name,
                         @JsonProperty("nbf") long notBefore, @JsonProperty("sub") String subject) {

    public ClaimsData {
        audience = Objects.requireNonNullElse(audience, "");
        id = Objects.requireNonNullElse(id, "");
        issuer = Objects.requireNonNullElse(issuer, "");
        name = Objects.requireNonNullElse(name, "");
        subject = Objects.requireNonNullElse(subject, "");
    }

    /** Claims about {@code subject}, everything else unset (the encoder fills issuer, iat and jti). */
    public static ClaimsData of(String subject) {
        return new ClaimsData("", 0, "", 0, "", "", 0, subject);
    }

    public ClaimsData withName(String value) {
        return new ClaimsData(audience, expires, id, issuedAt, issuer, value, notBefore, subject);
    }

    public ClaimsData withAudience(String value) {
        return new ClaimsData(value, expires, id, issuedAt, issuer, name, notBefore, subject);
    }

    public ClaimsData withExpires(long unixSeconds) {
        return new ClaimsData(audience, unixSeconds, id, issuedAt, issuer, name, notBefore, subject);
    }

    public ClaimsData withNotBefore(long unixSeconds) {
        return new ClaimsData(audience, expires, id, issuedAt, issuer, name, unixSeconds, subject);
    }

    /** A fixed issue time; the encoder uses the current time when it is 0. */
    public ClaimsData withIssuedAt(long unixSeconds) {
        return new ClaimsData(audience, expires, id, unixSeconds, issuer, name, notBefore, subject);
    }

    ClaimsData withIssuerAndId(String issuerKey, long iat, String jti) {
        return new ClaimsData(audience, expires, jti, iat, issuerKey, name, notBefore, subject);
    }

    /** Whether the token's issuer is its subject (operators, self-signed accounts, delete requests). */
    @JsonIgnore
    public boolean isSelfSigned() {
        return issuer.equals(subject);
    }

    /**
     * The time problems at {@code nowSeconds}: {@code claim is expired} when {@code exp} has passed,
     * {@code claim is not yet valid} when {@code nbf} is ahead.
     */
    // nats-io/jwt: claims.go ClaimsData.Validate
    public List<String> timeIssues(long nowSeconds) {
        List<String> issues = new ArrayList<>(0);
        if (expires > 0 && nowSeconds > expires) {
            issues.add("claim is expired");
        }
        if (notBefore > 0 && notBefore > nowSeconds) {
            issues.add("claim is not yet valid");
        }
        return issues;
    }

    /** Whether {@code exp} has passed at {@code nowSeconds}. */
    public boolean isExpired(long nowSeconds) {
        return expires > 0 && nowSeconds > expires;
    }
}
