package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code nats} object of an account JWT ({@code account_claims.go Account}). Immutable.
 *
 * @param imports            {@code imports}
 * @param exports            {@code exports}
 * @param limits             {@code limits}
 * @param signingKeys        {@code signing_keys}: plain keys and user scopes
 * @param revocations        {@code revocations}: user key (or {@code *}) to Unix seconds
 * @param defaultPermissions {@code default_permissions}: for users without permissions of their own
 * @param mappings           {@code mappings}: source subject to weighted destinations
 * @param authorization      {@code authorization}: auth callout setup
 * @param trace              {@code trace} or null
 * @param clusterTraffic     {@code cluster_traffic}: {@code system}, {@code owner} or empty
 * @param description        {@code description}
 * @param infoUrl            {@code info_url}
 * @param tags               {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AccountClaims(@JsonProperty("imports") List<Import> imports,
                            @JsonProperty("exports") List<Export> exports,
                            @JsonProperty("limits") @JsonInclude(JsonInclude.Include.ALWAYS) AccountLimits limits,
                            @JsonProperty("signing_keys") List<SigningKey> signingKeys,
                            @JsonProperty("revocations") Map<String, Long> revocations,
                            @JsonProperty("default_permissions") @JsonInclude(JsonInclude.Include.ALWAYS)
                            Permissions defaultPermissions,
                            @JsonProperty("mappings") Map<String, List<WeightedMapping>> mappings,
                            @JsonProperty("authorization") @JsonInclude(JsonInclude.Include.ALWAYS)
                            ExternalAuthorization authorization,
                            @JsonProperty("trace") MsgTrace trace,
                            @JsonProperty("cluster_traffic") String clusterTraffic,
                            @JsonProperty("description") String description,
                            @JsonProperty("info_url") String infoUrl,
                            @JsonProperty("tags") List<String> tags) {

    public AccountClaims {
        imports = List.copyOf(Objects.requireNonNullElse(imports, List.of()));
        exports = List.copyOf(Objects.requireNonNullElse(exports, List.of()));
        limits = Objects.requireNonNullElse(limits, new AccountLimits(0, 0, 0, 0, 0, false, false, 0, 0, 0, 0, 0,
                0, 0, 0, 0, false, null));
        signingKeys = List.copyOf(Objects.requireNonNullElse(signingKeys, List.of()));
        revocations = Map.copyOf(Objects.requireNonNullElse(revocations, Map.of()));
        defaultPermissions = Objects.requireNonNullElse(defaultPermissions, Permissions.NONE);
        mappings = Map.copyOf(Objects.requireNonNullElse(mappings, Map.of()));
        authorization = Objects.requireNonNullElse(authorization, new ExternalAuthorization(null, null, null));
        clusterTraffic = Objects.requireNonNullElse(clusterTraffic, "");
        description = Objects.requireNonNullElse(description, "");
        infoUrl = Objects.requireNonNullElse(infoUrl, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }

    /** What {@code jwt.NewAccountClaims} starts from: unlimited limits, nothing else. */
    public static AccountClaims unlimited() {
        return new AccountClaims(null, null, AccountLimits.unlimited(), null, null, null, null, null, null, null,
                null, null, null);
    }

    public AccountClaims withLimits(AccountLimits value) {
        return new AccountClaims(imports, exports, value, signingKeys, revocations, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withSigningKeys(List<SigningKey> value) {
        return new AccountClaims(imports, exports, limits, value, revocations, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, tags);
    }

    /** A copy that also revokes {@code userKey} (or {@link Revocations#ALL}) issued up to {@code unixSeconds}. */
    public AccountClaims withRevocation(String userKey, long unixSeconds) {
        Map<String, Long> next = new LinkedHashMap<>(revocations);
        next.put(userKey, unixSeconds);
        return new AccountClaims(imports, exports, limits, signingKeys, next, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withDefaultPermissions(Permissions value) {
        return new AccountClaims(imports, exports, limits, signingKeys, revocations, value, mappings, authorization,
                trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withExports(List<Export> value) {
        return new AccountClaims(imports, value, limits, signingKeys, revocations, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withImports(List<Import> value) {
        return new AccountClaims(value, exports, limits, signingKeys, revocations, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withAuthorization(ExternalAuthorization value) {
        return new AccountClaims(imports, exports, limits, signingKeys, revocations, defaultPermissions, mappings,
                value, trace, clusterTraffic, description, infoUrl, tags);
    }

    public AccountClaims withTags(List<String> value) {
        return new AccountClaims(imports, exports, limits, signingKeys, revocations, defaultPermissions, mappings,
                authorization, trace, clusterTraffic, description, infoUrl, value);
    }

    /** The signing key {@code key}, or null when it is not one of this account's. */
    public SigningKey signingKey(String key) {
        for (SigningKey sk : signingKeys) {
            if (sk.key().equals(key)) {
                return sk;
            }
        }
        return null;
    }

    /** The public keys of all signing keys. */
    public List<String> signingKeyNames() {
        List<String> keys = new ArrayList<>(signingKeys.size());
        for (SigningKey sk : signingKeys) {
            keys.add(sk.key());
        }
        return keys;
    }

    /** Whether the user {@code userKey}, issued at {@code issuedAt}, is revoked. */
    public boolean isRevoked(String userKey, long issuedAt) {
        return Revocations.isRevoked(revocations, userKey, issuedAt);
    }
}
