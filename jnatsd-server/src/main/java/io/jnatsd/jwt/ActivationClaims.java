package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The {@code nats} object of an activation JWT ({@code activation_claims.go Activation}): permission for the
 * subject account to import {@code subject}. Immutable.
 *
 * @param subject       {@code subject}: the imported subject
 * @param kind          {@code kind}: {@code stream} or {@code service}
 * @param issuerAccount {@code issuer_account}: the exporter when signed by one of its signing keys
 * @param tags          {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ActivationClaims(@JsonProperty("subject") String subject, @JsonProperty("kind") String kind,
                               @JsonProperty("issuer_account") String issuerAccount,
                               @JsonProperty("tags") List<String> tags) {

    public ActivationClaims {
        subject = Objects.requireNonNullElse(subject, "");
        kind = Objects.requireNonNullElse(kind, "");
        issuerAccount = Objects.requireNonNullElse(issuerAccount, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }
}
