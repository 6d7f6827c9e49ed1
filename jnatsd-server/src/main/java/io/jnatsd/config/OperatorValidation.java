package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.OperatorClaims;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Start-time checks of operator mode with nats-server's texts ({@code server/jwt.go validateTrustedOperators},
 * the operator part of {@code auth.go validateNoAuthUser}), and the trusted keys that result. Stateless.
 */
public final class OperatorValidation {

    private OperatorValidation() {
    }

    /** The first problem that stops the server, or empty. */
    // nats-server: jwt.go validateTrustedOperators
    public static Optional<String> validate(ServerOptions options) {
        OperatorOptions op = options.operator();
        if (op.enabled() && !options.authorization().noAuthUser().isEmpty()) {
            return Optional.of("no_auth_user not compatible with Trusted Operator");
        }
        if (op.operatorJwts().isEmpty()) {
            return options.defaultSentinel().isEmpty() ? Optional.empty()
                    : Optional.of("default sentinel requires operators and accounts");
        }
        List<OperatorClaims> operators = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (String token : op.operatorJwts()) {
            try {
                var jwt = JwtCodec.decode(token);
                operators.add(jwt.operator());
                subjects.add(jwt.subject());
            } catch (JwtException e) {
                return Optional.of("error parsing operator JWT: " + e.getMessage());
            }
        }
        if (!options.defaultSentinel().isEmpty()) {
            Optional<String> sentinel = checkSentinel(options.defaultSentinel());
            if (sentinel.isPresent()) {
                return sentinel;
            }
        }
        if (op.resolver().type() == OperatorOptions.ResolverType.NONE) {
            return Optional.of("operators require an account resolver to be configured");
        }
        if (!options.accounts().isEmpty()) {
            return Optional.of("operators do not allow Accounts to be configured directly");
        }
        AuthOptions auth = options.authorization();
        if (!auth.users().isEmpty() || !auth.nkeys().isEmpty()) {
            return Optional.of("operators do not allow users to be configured directly");
        }
        if (!op.trustedKeys().isEmpty()) {
            return Optional.of("conflicting options for 'TrustedKeys' and 'TrustedOperators'");
        }
        if (!op.systemAccount().isEmpty()) {
            boolean found = false;
            boolean nonEmpty = false;
            for (OperatorClaims oc : operators) {
                nonEmpty |= !oc.systemAccount().isEmpty();
                if (oc.systemAccount().equals(op.systemAccount())) {
                    found = true;
                    break;
                }
            }
            if (nonEmpty && !found) {
                return Optional.of("system_account in config and operator JWT must be identical");
            }
        } else if (operators.getFirst().systemAccount().isEmpty()
                && (op.resolver().type() == OperatorOptions.ResolverType.FULL
                || op.resolver().type() == OperatorOptions.ResolverType.CACHE)) {
            return Optional.of("using nats based account resolver - the system account needs to be specified in "
                    + "configuration or the operator jwt");
        }
        for (int i = 0; i < operators.size(); i++) {
            Optional<String> version = checkServerVersion(subjects.get(i), operators.get(i).assertServerVersion());
            if (version.isPresent()) {
                return version;
            }
        }
        for (String key : trustedKeys(options)) {
            if (!NKey.isValidPublicKey(key, NKeyType.OPERATOR)) {
                return Optional.of("trusted Keys " + GoQuote.quote(key)
                        + " are required to be a valid public operator nkey");
            }
        }
        for (String key : op.pinnedAccounts()) {
            if (!NKey.isValidPublicKey(key, NKeyType.ACCOUNT)) {
                return Optional.of("pinned account key " + GoQuote.quote(key)
                        + " is not a valid public account nkey");
            }
        }
        if (options.authCallout() != null) {
            return Optional.of("operators do not allow authorization callouts to be configured directly");
        }
        return Optional.empty();
    }

    /**
     * {@code default_sentinel} must be a user JWT that is a bearer token, or look like a user of a scoped signing
     * key (not bearer, {@code issuer_account} set, no permissions or limits: checked when a client uses it).
     */
    // nats-server: jwt.go validateTrustedOperators (DefaultSentinel)
    private static Optional<String> checkSentinel(String token) {
        UserClaims user;
        try {
            user = JwtCodec.decode(token).user();
        } catch (JwtException e) {
            return Optional.of("default sentinel JWT not valid");
        }
        boolean scopedLooking = !user.bearerToken() && !user.issuerAccount().isEmpty()
                && user.hasNoPermissionsOrLimits();
        if (!scopedLooking && !user.bearerToken()) {
            return Optional.of("default sentinel must be a bearer token");
        }
        return Optional.empty();
    }

    /**
     * The keys accounts may be signed by: {@code trusted}, else each operator's own key (unless it uses strict
     * signing key usage) and its signing keys.
     */
    public static Set<String> trustedKeys(ServerOptions options) {
        OperatorOptions op = options.operator();
        Set<String> keys = new LinkedHashSet<>(op.trustedKeys());
        for (String token : op.operatorJwts()) {
            try {
                var jwt = JwtCodec.decode(token);
                OperatorClaims oc = jwt.operator();
                if (!oc.strictSigningKeyUsage()) {
                    keys.add(jwt.subject());
                }
                keys.addAll(oc.signingKeys());
            } catch (JwtException e) {
                // validate() reports undecodable operator JWTs; they contribute no keys
            }
        }
        return keys;
    }

    /**
     * The signing keys of operators with {@code strict_signing_key_usage}: accounts they sign may not sign users
     * with the account key itself ({@code server/server.go} {@code strictSigningKeyUsage}).
     */
    public static Set<String> strictSigningKeys(ServerOptions options) {
        return strictKeys(options, false);
    }

    /** The identity keys of operators with {@code strict_signing_key_usage} (they may not sign accounts). */
    public static Set<String> strictOperatorKeys(ServerOptions options) {
        return strictKeys(options, true);
    }

    private static Set<String> strictKeys(ServerOptions options, boolean identity) {
        Set<String> keys = new LinkedHashSet<>();
        for (String token : options.operator().operatorJwts()) {
            try {
                var jwt = JwtCodec.decode(token);
                OperatorClaims oc = jwt.operator();
                if (oc.strictSigningKeyUsage()) {
                    if (identity) {
                        keys.add(jwt.subject());
                    } else {
                        keys.addAll(oc.signingKeys());
                    }
                }
            } catch (JwtException e) {
                // reported by validate()
            }
        }
        return keys;
    }

    // nats-server: jwt.go validateTrustedOperators (assert_server_version), jwt ParseServerVersion
    private static Optional<String> checkServerVersion(String operator, String asserted) {
        if (asserted.isEmpty()) {
            return Optional.empty();
        }
        int[] want = parseVersion(asserted);
        if (want == null) {
            return Optional.of("operator " + operator + " expects version " + asserted
                    + " got error instead: asserted server version must be of the form <major>.<minor>.<update>");
        }
        int[] have = parseVersion(Versions.VERSION.replaceFirst("-.*$", ""));
        String[] names = {"major", "minor", "update"};
        for (int i = 0; i < 3; i++) {
            if (want[i] > have[i]) {
                return Optional.of("operator " + operator + " expected " + names[i] + " version " + want[i]
                        + " > server " + names[i] + " version " + have[i]);
            }
            if (have[i] > want[i]) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int[] parseVersion(String v) {
        String[] parts = v.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        int[] out = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                out[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }
}
