/**
 * Netty plumbing: event-loop groups (native epoll when available, NIO otherwise), the client listener and the
 * handler that feeds a socket's bytes to its {@link io.jnatsd.server.conn.Connection}; on a TLS port the listener puts
 * the handlers of {@link io.jnatsd.server.tls.ClientTlsNegotiator} in front of it, and with {@code proxy_protocol}
 * a handler that reads the optional PROXY protocol v1/v2 header before anything else (nats-server
 * {@code server/client_proxyproto.go}, {@code server.go createClientEx}). The same inbound handler serves WebSocket
 * clients behind the frame codec of {@code io.jnatsd.server.websocket}
 * ({@code ClientInboundHandler.forActiveChannel}). Each channel belongs to one event loop; handlers run on it.
 */
package io.jnatsd.server.transport;
