package io.jnatsd.jwt;

/**
 * Message tracing of an account ({@code account_claims.go MsgTrace}). Immutable.
 *
 * @param dest     subject trace events go to
 * @param sampling percentage of traced messages (0 means 100)
 */
public record MsgTrace(String dest, int sampling) {
}
