package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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

    /** Whether external authorization is configured ({@code HasExternalAuthorization}). */
    @JsonIgnore
    public boolean isEnabled() {
        return !authUsers.isEmpty();
    }
}
