package io.jnatsd.server.account;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.SigningKey;

import java.util.Objects;

/**
 * An account of operator mode: the {@link Account} that holds its subscriptions, and the account JWT currently
 * applied to it (null for the system account until its JWT is found). Claims are replaced on update
 * ({@code server/accounts.go updateAccountClaimsWithRefresh}); readers on any thread see the latest through the
 * volatile fields.
 */
public final class JwtAccount {

    private final String key;
    private final Account account;
    private volatile Jwt jwt;
    private volatile AccountClaims claims;
    private volatile boolean strict;    // signed by a strict operator's signing key: the account key signs no users

    JwtAccount(String key, Account account, Jwt jwt, AccountClaims claims) {
        this.key = Objects.requireNonNull(key, "key");
        this.account = Objects.requireNonNull(account, "account");
        this.jwt = jwt;
        this.claims = claims;
    }

    /** The account public key (also the account's name). */
    public String key() {
        return key;
    }

    /** The account clients bind to. */
    public Account account() {
        return account;
    }

    /** The applied account JWT, or null when none is known yet. */
    public Jwt jwt() {
        return jwt;
    }

    /** The applied claims, or null when no JWT is known yet. */
    public AccountClaims claims() {
        return claims;
    }

    void update(Jwt next, AccountClaims nextClaims, boolean strictIssuer) {
        this.claims = nextClaims;
        this.strict = strictIssuer;
        this.jwt = next;
    }

    /** The JWT issuer (an operator key), or empty. */
    public String issuer() {
        Jwt j = jwt;
        return j == null ? "" : j.issuer();
    }

    /** The JWT {@code name}, or empty. */
    public String nameTag() {
        Jwt j = jwt;
        return j == null ? "" : j.claims().name();
    }

    /** Whether the account JWT has expired at {@code nowSeconds}. */
    public boolean isExpired(long nowSeconds) {
        Jwt j = jwt;
        return j != null && j.claims().isExpired(nowSeconds);
    }

    /**
     * Whether {@code issuer} may sign users of this account: one of its signing keys, or the account key itself
     * unless the account was signed by a strict operator's signing key ({@code accounts.go hasIssuer}, the
     * signing keys set up in {@code updateAccountClaimsWithRefresh}).
     */
    public boolean isUserIssuer(String issuer) {
        AccountClaims c = claims;
        return (key.equals(issuer) && !strict) || (c != null && c.signingKey(issuer) != null);
    }

    /** The signing key {@code issuer}, or null when it is the account key or unknown. */
    public SigningKey signingKey(String issuer) {
        AccountClaims c = claims;
        return c == null ? null : c.signingKey(issuer);
    }

    /** Whether the account forbids bearer user tokens ({@code disallow_bearer}). */
    public boolean disallowsBearer() {
        AccountClaims c = claims;
        return c != null && c.limits().disallowBearer();
    }

    /** Max connections from the JWT: -1 unlimited. */
    public long maxConnections() {
        AccountClaims c = claims;
        return c == null ? -1 : c.limits().maxConnections();
    }

    @Override
    public String toString() {
        return "JwtAccount[" + key + "]";
    }
}
