package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The {@code nats} object of an operator JWT ({@code operator_claims.go Operator}). Immutable.
 *
 * @param signingKeys           {@code signing_keys}: operator keys that may sign accounts
 * @param accountServerUrl      {@code account_server_url}
 * @param operatorServiceUrls   {@code operator_service_urls}
 * @param systemAccount         {@code system_account}
 * @param assertServerVersion   {@code assert_server_version}
 * @param strictSigningKeyUsage {@code strict_signing_key_usage}: the operator key itself may not sign accounts
 * @param tags                  {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record OperatorClaims(@JsonProperty("signing_keys") List<String> signingKeys,
                             @JsonProperty("account_server_url") String accountServerUrl,
                             @JsonProperty("operator_service_urls") List<String> operatorServiceUrls,
                             @JsonProperty("system_account") String systemAccount,
                             @JsonProperty("assert_server_version") String assertServerVersion,
                             @JsonProperty("strict_signing_key_usage") boolean strictSigningKeyUsage,
                             @JsonProperty("tags") List<String> tags) {

    public OperatorClaims {
        signingKeys = List.copyOf(Objects.requireNonNullElse(signingKeys, List.of()));
        accountServerUrl = Objects.requireNonNullElse(accountServerUrl, "");
        operatorServiceUrls = List.copyOf(Objects.requireNonNullElse(operatorServiceUrls, List.of()));
        systemAccount = Objects.requireNonNullElse(systemAccount, "");
        assertServerVersion = Objects.requireNonNullElse(assertServerVersion, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }

    /** An operator with the given signing keys and system account. */
    public static OperatorClaims of(List<String> signingKeys, String systemAccount) {
        return new OperatorClaims(signingKeys, null, null, systemAccount, null, false, null);
    }
}
