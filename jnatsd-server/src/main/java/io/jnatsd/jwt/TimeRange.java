package io.jnatsd.jwt;

/**
 * A daily connect window of a user ({@code types.go TimeRange}): {@code HH:MM:SS} local times; a start after the
 * end wraps midnight. Immutable.
 *
 * @param start first second of the window
 * @param end   last second of the window
 */
public record TimeRange(String start, String end) {
}
