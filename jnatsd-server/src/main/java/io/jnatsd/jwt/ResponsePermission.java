package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Permission to publish to reply subjects of received requests ({@code types.go ResponsePermission}). Immutable.
 *
 * @param maxMessages  {@code max}: replies per request, negative for unlimited, 0 for nats-server's default
 * @param expiresNanos {@code ttl}: how long a reply subject stays usable, in nanoseconds (Go duration)
 */
public record ResponsePermission(@JsonProperty("max") int maxMessages, @JsonProperty("ttl") long expiresNanos) {
}
