package io.jnatsd.jwt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jnatsd.common.GoJson;

import java.util.List;
import java.util.Objects;

/**
 * A decoded and signature-checked JWT: its registered claims, claim type, version and the raw {@code nats} object,
 * with typed views of it ({@link #user()}, {@link #account()}, ...). Produced by {@link JwtCodec#decode}.
 * Immutable.
 *
 * @param token   the encoded token
 * @param type    the claim type ({@link ClaimType#GENERIC} for unknown types)
 * @param version 1 for tokens with a top-level {@code type} (or {@code alg: ed25519} generic ones), else 2
 * @param claims  the registered claims
 * @param nats    the {@code nats} object (an empty object when absent)
 */
public record Jwt(String token, ClaimType type, int version, ClaimsData claims, JsonNode nats) {

    public Jwt {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(claims, "claims");
        nats = nats == null || nats.isNull() ? JsonNodeFactory.instance.objectNode() : nats;
    }

    /** {@code sub}. */
    public String subject() {
        return claims.subject();
    }

    /** {@code iss}. */
    public String issuer() {
        return claims.issuer();
    }

    /** {@code tags} of the {@code nats} object. */
    public List<String> tags() {
        JsonNode tags = nats.get("tags");
        if (tags == null || !tags.isArray()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>(tags.size());
        tags.forEach(t -> out.add(t.asText()));
        return out;
    }

    /** The user claims. @throws JwtException when this is no user token or its fields do not bind */
    public UserClaims user() throws JwtException {
        return bind(ClaimType.USER, UserClaims.class);
    }

    /** The account claims. @throws JwtException when this is no account token or its fields do not bind */
    public AccountClaims account() throws JwtException {
        return bind(ClaimType.ACCOUNT, AccountClaims.class);
    }

    /** The operator claims. @throws JwtException when this is no operator token or its fields do not bind */
    public OperatorClaims operator() throws JwtException {
        return bind(ClaimType.OPERATOR, OperatorClaims.class);
    }

    /** The activation claims. @throws JwtException when this is no activation token or its fields do not bind */
    public ActivationClaims activation() throws JwtException {
        return bind(ClaimType.ACTIVATION, ActivationClaims.class);
    }

    /** The auth callout request claims. @throws JwtException when this is no authorization request */
    public AuthorizationRequestClaims authorizationRequest() throws JwtException {
        return bind(ClaimType.AUTHORIZATION_REQUEST, AuthorizationRequestClaims.class);
    }

    /** The auth callout response claims. @throws JwtException when this is no authorization response */
    public AuthorizationResponseClaims authorizationResponse() throws JwtException {
        return bind(ClaimType.AUTHORIZATION_RESPONSE, AuthorizationResponseClaims.class);
    }

    private <T> T bind(ClaimType expected, Class<T> type) throws JwtException {
        if (this.type != expected) {
            throw new JwtException("not " + article(expected) + " " + expected.jsonName() + " claim");
        }
        try {
            return GoJson.mapper().treeToValue(nats, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new JwtException("json: " + message, e);
        }
    }

    private static String article(ClaimType t) {
        return switch (t) {
            case OPERATOR, ACCOUNT, ACTIVATION, AUTHORIZATION_REQUEST, AUTHORIZATION_RESPONSE -> "an";
            default -> "a";
        };
    }
}
