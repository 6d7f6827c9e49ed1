package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The {@code nats} object of an {@code authorization_response} JWT, an auth callout service's answer
 * ({@code authorization_claims.go AuthorizationResponse}): exactly one of a user JWT or an error. Immutable.
 *
 * @param jwt           {@code jwt}: the user JWT to admit the client with
 * @param error         {@code error}: why the client is refused
 * @param issuerAccount {@code issuer_account}: the account when signed by one of its signing keys
 * @param tags          {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthorizationResponseClaims(@JsonProperty("jwt") String jwt, @JsonProperty("error") String error,
                                          @JsonProperty("issuer_account") String issuerAccount,
                                          @JsonProperty("tags") List<String> tags) {

    public AuthorizationResponseClaims {
        jwt = Objects.requireNonNullElse(jwt, "");
        error = Objects.requireNonNullElse(error, "");
        issuerAccount = Objects.requireNonNullElse(issuerAccount, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }
}
