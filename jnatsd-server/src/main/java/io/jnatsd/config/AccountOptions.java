package io.jnatsd.config;

import io.jnatsd.subject.transform.SubjectMappings;

import java.util.List;
import java.util.Objects;

/**
 * One account of the {@code accounts} block in config mode ({@code server/opts.go parseAccounts}): its name, its
 * optional public nkey, the default permissions of its users, its subject mappings, its limits and the streams and
 * services it exports and imports. The account's users are kept with the other users in {@link AuthOptions}, each
 * naming its account ({@link AuthOptions.User#account()}).
 * <p>
 * Immutable.
 *
 * @param name               the account name
 * @param nkey               the account's public nkey ({@code A...}), or empty
 * @param defaultPermissions permissions of its users that have none of their own, or null
 * @param mappings           subject mappings applied to publishes in the account ({@link SubjectMappings#EMPTY}
 *                           when none)
 * @param limits             connection, subscription, payload and leaf node limits
 * @param exports            streams and services other accounts may import, in file order
 * @param imports            streams and services taken from other accounts, in file order
 * @param jetStream          the account's JetStream limits ({@code jetstream}), or null when JetStream is not enabled
 *                           for it
 */
public record AccountOptions(String name, String nkey, AuthOptions.Permissions defaultPermissions,
                             SubjectMappings mappings, Limits limits, List<ExportOptions> exports,
                             List<ImportOptions> imports, JetStreamAccountLimits jetStream) {

    public AccountOptions {
        Objects.requireNonNull(name, "name");
        nkey = Objects.requireNonNullElse(nkey, "");
        mappings = Objects.requireNonNullElse(mappings, SubjectMappings.EMPTY);
        limits = Objects.requireNonNullElse(limits, Limits.UNLIMITED);
        exports = List.copyOf(Objects.requireNonNullElse(exports, List.of()));
        imports = List.copyOf(Objects.requireNonNullElse(imports, List.of()));
    }

    /** An account with nothing but a name (the list form {@code accounts: [A, B]}). */
    public static AccountOptions named(String name) {
        return new AccountOptions(name, "", null, null, null, null, null, null);
    }

    /** A copy with {@code value} as its exports. */
    public AccountOptions withExports(List<ExportOptions> value) {
        return new AccountOptions(name, nkey, defaultPermissions, mappings, limits, value, imports, jetStream);
    }

    /** A copy with {@code value} as its imports. */
    public AccountOptions withImports(List<ImportOptions> value) {
        return new AccountOptions(name, nkey, defaultPermissions, mappings, limits, exports, value, jetStream);
    }

    /** A copy with {@code value} as its limits. */
    public AccountOptions withLimits(Limits value) {
        return new AccountOptions(name, nkey, defaultPermissions, mappings, value, exports, imports, jetStream);
    }

    /** A copy with {@code value} as its JetStream limits (null: JetStream not enabled for the account). */
    public AccountOptions withJetStream(JetStreamAccountLimits value) {
        return new AccountOptions(name, nkey, defaultPermissions, mappings, limits, exports, imports, value);
    }

    /** A copy with {@code value} as its subject mappings. */
    public AccountOptions withMappings(SubjectMappings value) {
        return new AccountOptions(name, nkey, defaultPermissions, value, limits, exports, imports, jetStream);
    }

    /**
     * Account limits ({@code limits { max_connections, max_subscriptions, max_payload, max_leafnodes }},
     * {@code server/opts.go parseAccountLimits}); -1 is unlimited, the default of each.
     *
     * @param maxConnections   client connections bound to the account; 0 lets none in
     * @param maxSubscriptions subscriptions per client of the account
     * @param maxPayload       payload bytes per message of the account's clients
     * @param maxLeafNodes     leaf node connections bound to the account
     */
    public record Limits(int maxConnections, int maxSubscriptions, int maxPayload, int maxLeafNodes) {

        /** No limit at all. */
        public static final Limits UNLIMITED = new Limits(-1, -1, -1, -1);
    }
}
