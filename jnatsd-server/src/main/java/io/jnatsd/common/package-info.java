/**
 * Small shared helpers that make Java output read exactly like nats-server's: Go's {@code encoding/json}
 * ({@link io.jnatsd.common.GoJson}), {@code strconv.Quote} / {@code fmt %q} ({@link io.jnatsd.common.GoQuote}) and
 * {@code time.RFC3339Nano} ({@link io.jnatsd.common.GoTime}).
 *
 * <p>Follows Go's standard library ({@code encoding/json/encode.go}, {@code strconv/quote.go}) as nats-server uses it
 * for INFO, monitoring and logs. Stateless; everything here is safe to use from any thread.
 */
package io.jnatsd.common;
