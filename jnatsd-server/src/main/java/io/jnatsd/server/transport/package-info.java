/**
 * Netty plumbing: event-loop groups (native epoll when available, NIO otherwise), the client listener and the
 * handler that feeds a socket's bytes to its {@link io.jnatsd.server.conn.Connection}. Each channel belongs to one
 * event loop; handlers run on it.
 */
package io.jnatsd.server.transport;
