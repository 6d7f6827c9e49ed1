package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code nats} object of a user JWT ({@code user_claims.go User}): permissions, limits and connection rules,
 * all flattened into one object as Go's embedded structs are. Also the {@code template} of a scoped signing key
 * ({@code UserPermissionLimits}), which has the same fields without {@code issuer_account} and tags.
 * <p>
 * Limits: -1 is unlimited and an absent field is 0, so a hand-made token without {@code payload} allows no payload
 * at all (nats-server behaves so). Immutable.
 *
 * @param publish                {@code pub}
 * @param subscribe              {@code sub}
 * @param response               {@code resp} or null
 * @param sourceNetworks         {@code src}: CIDRs the client must connect from (also read from a comma list)
 * @param times                  {@code times}: daily connect windows
 * @param timesLocation          {@code times_location}: IANA zone of the windows, empty for server local time
 * @param maxSubscriptions       {@code subs}
 * @param maxDataBytes           {@code data}
 * @param maxPayloadBytes        {@code payload}
 * @param bearerToken            {@code bearer_token}: no nonce signature needed
 * @param proxyRequired          {@code proxy_required}
 * @param allowedConnectionTypes {@code allowed_connection_types}
 * @param issuerAccount          {@code issuer_account}: the account when signed by one of its signing keys
 * @param tags                   {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record UserClaims(@JsonProperty("pub") @JsonInclude(JsonInclude.Include.ALWAYS) Permission publish,
                         @JsonProperty("sub") @JsonInclude(JsonInclude.Include.ALWAYS) Permission subscribe,
                         @JsonProperty("resp") ResponsePermission response,
                         @JsonProperty("src") @JsonDeserialize(using = UserClaims.CidrListDeserializer.class)
                         List<String> sourceNetworks,
                         @JsonProperty("times") List<TimeRange> times,
                         @JsonProperty("times_location") String timesLocation,
                         @JsonProperty("subs") long maxSubscriptions,
                         @JsonProperty("data") long maxDataBytes,
                         @JsonProperty("payload") long maxPayloadBytes,
                         @JsonProperty("bearer_token") boolean bearerToken,
                         @JsonProperty("proxy_required") boolean proxyRequired,
                         @JsonProperty("allowed_connection_types") List<String> allowedConnectionTypes,
                         @JsonProperty("issuer_account") String issuerAccount,
                         @JsonProperty("tags") List<String> tags) {

    /** nats-io/jwt's {@code NoLimit}. */
    public static final long NO_LIMIT = -1;

    public UserClaims {
        publish = Objects.requireNonNullElse(publish, Permission.NONE);
        subscribe = Objects.requireNonNullElse(subscribe, Permission.NONE);
        sourceNetworks = List.copyOf(Objects.requireNonNullElse(sourceNetworks, List.of()));
        times = List.copyOf(Objects.requireNonNullElse(times, List.of()));
        timesLocation = Objects.requireNonNullElse(timesLocation, "");
        allowedConnectionTypes = List.copyOf(Objects.requireNonNullElse(allowedConnectionTypes, List.of()));
        issuerAccount = Objects.requireNonNullElse(issuerAccount, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }

    /** What {@code nsc} and {@code jwt.NewUserClaims} start from: no permissions, unlimited subs/data/payload. */
    public static UserClaims unlimited() {
        return new UserClaims(null, null, null, null, null, null, NO_LIMIT, NO_LIMIT, NO_LIMIT, false, false, null,
                null, null);
    }

    /** A template or user with nothing set at all (what a scoped signer's users must carry). */
    public static UserClaims empty() {
        return new UserClaims(null, null, null, null, null, null, 0, 0, 0, false, false, null, null, null);
    }

    public UserClaims withPermissions(Permission pub, Permission sub) {
        return new UserClaims(pub, sub, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount,
                tags);
    }

    public UserClaims withResponse(ResponsePermission value) {
        return new UserClaims(publish, subscribe, value, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount,
                tags);
    }

    public UserClaims withLimits(long subs, long data, long payload) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, subs, data,
                payload, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount, tags);
    }

    public UserClaims withBearerToken(boolean value) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, value, proxyRequired, allowedConnectionTypes, issuerAccount, tags);
    }

    public UserClaims withProxyRequired(boolean value) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, value, allowedConnectionTypes, issuerAccount, tags);
    }

    public UserClaims withSourceNetworks(List<String> cidrs) {
        return new UserClaims(publish, subscribe, response, cidrs, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount,
                tags);
    }

    public UserClaims withTimes(List<TimeRange> ranges, String location) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, ranges, location, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount,
                tags);
    }

    public UserClaims withAllowedConnectionTypes(List<String> types) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, types, issuerAccount, tags);
    }

    public UserClaims withIssuerAccount(String accountKey) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, accountKey, tags);
    }

    public UserClaims withTags(List<String> values) {
        return new UserClaims(publish, subscribe, response, sourceNetworks, times, timesLocation, maxSubscriptions,
                maxDataBytes, maxPayloadBytes, bearerToken, proxyRequired, allowedConnectionTypes, issuerAccount,
                values);
    }

    /** The permissions part. */
    public Permissions permissions() {
        return new Permissions(publish, subscribe, response);
    }

    /**
     * Whether permissions, limits and connection rules are all unset, as users of a scoped signing key must be
     * ({@code user_claims.go HasEmptyPermissions}: a zero {@code UserPermissionLimits}).
     */
    public boolean hasNoPermissionsOrLimits() {
        return publish.isEmpty() && subscribe.isEmpty() && response == null && sourceNetworks.isEmpty()
                && times.isEmpty() && timesLocation.isEmpty() && maxSubscriptions == 0 && maxDataBytes == 0
                && maxPayloadBytes == 0 && !bearerToken && !proxyRequired && allowedConnectionTypes.isEmpty();
    }

    /** Reads {@code src} as an array of strings or as one comma-separated string ({@code types.go CIDRList}). */
    static final class CidrListDeserializer extends JsonDeserializer<List<String>> {
        @Override
        public List<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            List<String> out = new ArrayList<>();
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                for (String part : p.getText().toLowerCase(Locale.ROOT).split(",")) {
                    String trimmed = part.trim();
                    if (!trimmed.isEmpty() && !out.contains(trimmed)) {
                        out.add(trimmed);
                    }
                }
                return out;
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return ctxt.reportInputMismatch(List.class, "src: expected a string or an array of strings");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(p.getValueAsString());
            }
            return out;
        }
    }
}
