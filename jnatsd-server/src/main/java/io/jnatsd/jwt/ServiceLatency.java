package io.jnatsd.jwt;

/**
 * Latency tracking of a service export ({@code exports.go ServiceLatency}). Immutable.
 *
 * @param sampling percentage 1..100, or 0 for header-triggered sampling
 * @param results  subject the measurements are published on
 */
public record ServiceLatency(int sampling, String results) {
}
