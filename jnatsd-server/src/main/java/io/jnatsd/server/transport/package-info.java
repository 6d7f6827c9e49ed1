/**
 * Netty plumbing: event-loop groups (native epoll when available, NIO otherwise), the client listener and the
 * handler that feeds a socket's bytes to its {@link io.jnatsd.server.conn.Connection}; on a TLS port the listener puts
 * the handlers of {@link io.jnatsd.server.tls.ClientTlsNegotiator} in front of it. Each channel belongs to one event
 * loop; handlers run on it.
 */
package io.jnatsd.server.transport;
