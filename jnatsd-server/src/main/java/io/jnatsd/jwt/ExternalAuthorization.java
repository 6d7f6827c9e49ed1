package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;

import java.util.List;
import java.util.Objects;

/**
 * An account's auth callout setup ({@code account_claims.go ExternalAuthorization}). Immutable.
 *
 * @param authUsers       {@code auth_users}: users that bypass the callout (the callout service itself)
 * @param allowedAccounts {@code allowed_accounts}: accounts the callout may place users in ({@code *} for any)
 * @param xkey            {@code xkey}: curve key to encrypt requests with, or empty
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExternalAuthorization(@JsonProperty("auth_users") List<String> authUsers,
                                    @JsonProperty("allowed_accounts") List<String> allowedAccounts,
                                    @JsonProperty("xkey") String xkey) {

    public ExternalAuthorization {
        authUsers = List.copyOf(Objects.requireNonNullElse(authUsers, List.of()));
        allowedAccounts = List.copyOf(Objects.requireNonNullElse(allowedAccounts, List.of()));
        xkey = Objects.requireNonNullElse(xkey, "");
    }

    /** {@code allowed_accounts} entry meaning "any account" ({@code jwt.AnyAccount}). */
    public static final String ANY_ACCOUNT = "*";

    /**
     * The problems that make an account JWT invalid, in nats-io/jwt's order and words: accounts without users, auth
     * users that are not user keys, allowed accounts that are not account keys (or {@code *} not alone), an xkey
     * that is not a curve key.
     */
    // nats-io/jwt: account_claims.go ExternalAuthorization.Validate
    public List<String> validationIssues() {
        List<String> issues = new java.util.ArrayList<>(0);
        if (!allowedAccounts.isEmpty() && authUsers.isEmpty()) {
            issues.add("External authorization cannot have accounts without users specified");
        }
        for (String u : authUsers) {
            if (!NKey.isValidPublicKey(u, NKeyType.USER)) {
                issues.add("AuthUser \"" + u + "\" is not a valid user public key");
            }
        }
        for (String a : allowedAccounts) {
            if (a.equals(ANY_ACCOUNT)) {
                if (allowedAccounts.size() > 1) {
                    issues.add("AllowedAccounts can only be a list of accounts or \"" + ANY_ACCOUNT + "\"");
                }
            } else if (!NKey.isValidPublicKey(a, NKeyType.ACCOUNT)) {
                issues.add("Account \"" + a + "\" is not a valid account public key");
            }
        }
        if (!xkey.isEmpty() && !NKey.isValidPublicKey(xkey, NKeyType.CURVE)) {
            issues.add("XKey \"" + xkey + "\" is not a valid public xkey");
        }
        return issues;
    }

    /** Whether external authorization is configured ({@code HasExternalAuthorization}). */
    @JsonIgnore
    public boolean isEnabled() {
        return !authUsers.isEmpty();
    }
}
