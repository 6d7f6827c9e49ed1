/**
 * Logging facade with nats-server's levels (notice, warn, error, fatal, debug, trace) on top of SLF4J, and the
 * {@link io.jnatsd.common.logging.LoggingBackend} SPI through which a host (the jnatsd app) lets the server
 * reconfigure and reopen its log output. Behaviour of nats-server {@code server/log.go} and {@code logger/}.
 * <p>
 * The facade is thread-safe; the debug and trace switches are volatile and read on every call, so connections
 * may cache them per read batch.
 */
package io.jnatsd.common.logging;
