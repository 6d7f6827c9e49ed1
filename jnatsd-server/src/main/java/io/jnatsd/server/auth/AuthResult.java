package io.jnatsd.server.auth;

/**
 * The outcome of checking one CONNECT. Immutable.
 *
 * @param authorized         whether the client may stay
 * @param proxyRequired      on failure: the user must come through a trusted proxy (close reason "Proxy Required"
 *                           instead of "Authentication Failure")
 * @param assignsPermissions on success: whether the matched user's permissions replace the connection's (users and
 *                           nkey users); false for token, single user and "no auth required", which leave them as
 *                           they are, as nats-server does
 * @param permissions        the matched user's permissions, or null for none
 * @param credentials        the credentials after {@code no_auth_user} or a certificate mapping filled them in, for
 *                           logs and later checks
 * @param debugReason        why a signature or proxy check failed, for the debug log, or null
 * @param proxyNotTrusted    on failure: the {@code proxy_sig} matched no trusted proxy (close reason "Proxy Not
 *                           Trusted")
 * @param proxyKey           the public key of the trusted proxy whose signature verified, or null
 * @param accountName        on success: the account of the matched user (or the one a custom authenticator chose),
 *                           or null to stay in the account the client is in
 */
public record AuthResult(boolean authorized, boolean proxyRequired, boolean assignsPermissions, Permissions permissions,
                         Credentials credentials, String debugReason, boolean proxyNotTrusted, String proxyKey,
                         String accountName) {

    static AuthResult allowed(Credentials credentials) {
        return new AuthResult(true, false, false, null, credentials, null, false, null, null);
    }

    static AuthResult user(Credentials credentials, Permissions permissions) {
        return new AuthResult(true, false, true, permissions, credentials, null, false, null, null);
    }

    /** A users-list or nkey user bound to {@code account} (empty: the global account). */
    static AuthResult user(Credentials credentials, Permissions permissions, String account) {
        return new AuthResult(true, false, true, permissions, credentials, null, false, null,
                account.isEmpty() ? io.jnatsd.server.account.Account.GLOBAL : account);
    }

    static AuthResult denied(Credentials credentials) {
        return new AuthResult(false, false, false, null, credentials, null, false, null, null);
    }

    static AuthResult denied(Credentials credentials, String debugReason) {
        return new AuthResult(false, false, false, null, credentials, debugReason, false, null, null);
    }

    static AuthResult proxyRequired(Credentials credentials) {
        return new AuthResult(false, true, false, null, credentials, "proxy connection required", false, null, null);
    }

    static AuthResult proxyNotTrusted(Credentials credentials, String debugReason) {
        return new AuthResult(false, false, false, null, credentials, debugReason, true, null, null);
    }

    /** A custom authenticator's acceptance. */
    static AuthResult custom(Credentials credentials, Permissions permissions, String accountName) {
        return new AuthResult(true, false, true, permissions, credentials, null, false, null, accountName);
    }

    /** This result, noting the trusted proxy the connection came through (null: none). */
    AuthResult withProxyKey(String key) {
        return key == null ? this : new AuthResult(authorized, proxyRequired, assignsPermissions, permissions,
                credentials, debugReason, proxyNotTrusted, key, accountName);
    }
}
