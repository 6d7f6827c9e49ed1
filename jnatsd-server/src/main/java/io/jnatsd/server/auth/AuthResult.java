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
 * @param credentials        the credentials after {@code no_auth_user} filled them in, for logs and later checks
 * @param debugReason        why a signature or proxy check failed, for the debug log, or null
 */
public record AuthResult(boolean authorized, boolean proxyRequired, boolean assignsPermissions, Permissions permissions,
                         Credentials credentials, String debugReason) {

    static AuthResult allowed(Credentials credentials) {
        return new AuthResult(true, false, false, null, credentials, null);
    }

    static AuthResult user(Credentials credentials, Permissions permissions) {
        return new AuthResult(true, false, true, permissions, credentials, null);
    }

    static AuthResult denied(Credentials credentials) {
        return new AuthResult(false, false, false, null, credentials, null);
    }

    static AuthResult denied(Credentials credentials, String debugReason) {
        return new AuthResult(false, false, false, null, credentials, debugReason);
    }

    static AuthResult proxyRequired(Credentials credentials) {
        return new AuthResult(false, true, false, null, credentials, "proxy connection required");
    }
}
