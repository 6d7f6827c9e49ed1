package io.jnatsd.server.auth;

import io.jnatsd.server.account.JwtAccount;

import java.time.Instant;

/**
 * The outcome of checking a user JWT in operator mode. Immutable.
 *
 * @param authorized      whether the client may stay
 * @param proxyRequired   on failure: the user needs a trusted proxy (close "Proxy Required")
 * @param debugReason     why it failed, for the debug log, or null
 * @param errorReason     why it failed when nats-server logs it as an error ({@code Bad src Ip <ip>},
 *                        {@code Outside connect times}), or null
 * @param userKey         the user public key (JWT {@code sub}), or empty when the JWT did not decode
 * @param issuer          the JWT {@code iss} (account key or signing key)
 * @param issuedAt        the JWT {@code iat}
 * @param bearer          whether it is a bearer token
 * @param account         the account to bind to; on failure, the account if it was found, else null
 * @param permissions     the user's permissions (or the account defaults), or null for none
 * @param defaultPermissions whether {@code permissions} are the account's defaults (replaced on account updates)
 * @param maxSubscriptions subscription limit from the user (or scope) JWT; -1 unlimited
 * @param maxPayloadBytes  payload limit from the user (or scope) JWT; -1 unlimited
 * @param expiresAt       when the connection must end (JWT {@code exp} or end of the connect window), or null
 */
public record JwtAuthResult(boolean authorized, boolean proxyRequired, String debugReason, String errorReason,
                            String userKey, String issuer, long issuedAt, boolean bearer, JwtAccount account,
                            Permissions permissions, boolean defaultPermissions, long maxSubscriptions,
                            long maxPayloadBytes, Instant expiresAt) {

    static JwtAuthResult denied(String userKey, String debugReason) {
        return denied(null, userKey, debugReason);
    }

    /**
     * A refusal after the account was found: {@code account} is kept, as the auth callout of an account with
     * external authorization still decides about the client (nats-server's deferred callout block).
     */
    static JwtAuthResult denied(JwtAccount account, String userKey, String debugReason) {
        return new JwtAuthResult(false, false, debugReason, null, userKey, "", 0, false, account, null, false, -1,
                -1, null);
    }

    static JwtAuthResult deniedWithError(JwtAccount account, String userKey, String errorReason) {
        return new JwtAuthResult(false, false, null, errorReason, userKey, "", 0, false, account, null, false, -1,
                -1, null);
    }

    static JwtAuthResult proxyRequired(String userKey) {
        return new JwtAuthResult(false, true, "proxy connection required", null, userKey, "", 0, false, null, null,
                false, -1, -1, null);
    }
}
