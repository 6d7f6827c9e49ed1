package io.jnatsd.config;

import java.util.List;
import java.util.Objects;

/**
 * Config-mode auth callout ({@code authorization { auth_callout { ... } }}, nats-server's {@code AuthCallout}
 * option): clients that are not auth users are authorized by a service that answers requests on
 * {@code $SYS.REQ.USER.AUTH} in {@code account}. Immutable; strings are never null.
 *
 * @param issuer          public account key that signs the service's responses and the user JWTs they carry
 * @param account         the account the requests are published in ({@value #DEFAULT_ACCOUNT} unless set)
 * @param authUsers       users (names or nkeys) that bypass the callout: the service's own connections
 * @param xkey            public curve key ({@code X...}) of the service: requests are sealed for it; empty for none
 * @param allowedAccounts the accounts whose users are delegated; empty for all
 */
public record AuthCalloutOptions(String issuer, String account, List<String> authUsers, String xkey,
                                 List<String> allowedAccounts) {

    /** The account requests go to when {@code account} is not set: the global account. */
    public static final String DEFAULT_ACCOUNT = "$G";

    public AuthCalloutOptions {
        issuer = Objects.requireNonNullElse(issuer, "");
        account = account == null || account.isEmpty() ? DEFAULT_ACCOUNT : account;
        authUsers = authUsers == null ? List.of() : List.copyOf(authUsers);
        xkey = Objects.requireNonNullElse(xkey, "");
        allowedAccounts = allowedAccounts == null ? List.of() : List.copyOf(allowedAccounts);
    }

    /** Whether requests are encrypted for the service ({@code xkey} set). */
    public boolean encrypted() {
        return !xkey.isEmpty();
    }

    /** Go's {@code %v} of the {@code *AuthCallout} pointer, as a refused reload prints it. */
    @Override
    public String toString() {
        return "&{" + issuer + " " + account + " [" + String.join(" ", authUsers) + "] " + xkey + " ["
                + String.join(" ", allowedAccounts) + "]}";
    }
}
