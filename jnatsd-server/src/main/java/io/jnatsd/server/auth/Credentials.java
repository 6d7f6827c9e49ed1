package io.jnatsd.server.auth;

import io.jnatsd.common.GoQuote;

import java.util.Objects;

/**
 * The credentials of a CONNECT as the authentication sees them ({@code client.go ClientOpts}: {@code user},
 * {@code pass}, {@code auth_token}, {@code nkey}, {@code sig}, {@code proxy_sig}). Strings are never null; empty
 * means "not sent". {@link #toString()} never shows the password, token or signatures. Immutable.
 *
 * @param user      the user name
 * @param password  the password
 * @param token     the token
 * @param nkey      the public user nkey
 * @param signature the signature of the INFO nonce, base64url
 * @param proxySignature a trusted proxy's signature of the INFO nonce, base64url ({@code proxy_sig})
 */
public record Credentials(String user, String password, String token, String nkey, String signature,
                          String proxySignature) {

    /** No credentials at all. */
    public static final Credentials NONE = new Credentials("", "", "", "", "", "");

    /** Credentials without a proxy signature. */
    public Credentials(String user, String password, String token, String nkey, String signature) {
        this(user, password, token, nkey, signature, "");
    }

    public Credentials {
        user = Objects.requireNonNullElse(user, "");
        password = Objects.requireNonNullElse(password, "");
        token = Objects.requireNonNullElse(token, "");
        nkey = Objects.requireNonNullElse(nkey, "");
        signature = Objects.requireNonNullElse(signature, "");
        proxySignature = Objects.requireNonNullElse(proxySignature, "");
    }

    /** A copy with the nkey of {@code no_auth_user}. */
    Credentials withNkey(String value) {
        return new Credentials(user, password, token, value, signature, proxySignature);
    }

    /** A copy with the name and password of {@code no_auth_user}. */
    Credentials withUser(String name, String pass) {
        return new Credentials(name, pass, token, nkey, signature, proxySignature);
    }

    /** A copy with the user name a client certificate mapped to ({@code verify_and_map}). */
    Credentials withMappedUser(String name) {
        return new Credentials(name, password, token, nkey, signature, proxySignature);
    }

    /** Whether any identity was given: an nkey, a user or a token ({@code client.go getRawAuthUser}). */
    public boolean hasIdentity() {
        return !nkey.isEmpty() || !user.isEmpty() || !token.isEmpty();
    }

    /**
     * The identity as nats-server writes it in errors: {@code Nkey "<k>"}, {@code User "<u>"},
     * {@code Token "[REDACTED]"}, or {@code User "N/A"} ({@code client.go getAuthUser}).
     */
    public String describe() {
        if (!nkey.isEmpty()) {
            return "Nkey " + GoQuote.quote(nkey);
        }
        if (!user.isEmpty()) {
            return "User " + GoQuote.quote(user);
        }
        if (!token.isEmpty()) {
            return "Token \"[REDACTED]\"";
        }
        return "User \"N/A\"";
    }

    /**
     * The identity as nats-server writes it in a connection's log prefix: {@code nkey:<k>}, {@code user:<u>},
     * {@code token}, or empty ({@code client.go getAuthUserLabel}).
     */
    public String label() {
        if (!nkey.isEmpty()) {
            return "nkey:" + nkey;
        }
        if (!user.isEmpty()) {
            return "user:" + user;
        }
        if (!token.isEmpty()) {
            return "token";
        }
        return "";
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isEmpty() ? "" : "[REDACTED]") + ", token="
                + (token.isEmpty() ? "" : "[REDACTED]") + ", nkey=" + nkey + ", signature="
                + (signature.isEmpty() ? "" : "[REDACTED]") + ", proxySignature="
                + (proxySignature.isEmpty() ? "" : "[REDACTED]") + "]";
    }
}
