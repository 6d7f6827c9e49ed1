package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One destination of an account subject mapping ({@code account_claims.go WeightedMapping}). Immutable.
 *
 * @param subject destination subject (may use transform functions)
 * @param weight  percentage 0..100 (0 written as absent; nats-server then uses 100)
 * @param cluster cluster the destination applies to, or empty
 */
public record WeightedMapping(String subject, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int weight,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) String cluster) {
}
