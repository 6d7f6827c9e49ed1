/**
 * Connections (nats-server {@code server/client.go}): {@link io.jnatsd.server.conn.Connection} is one class for every
 * kind, with its parser callbacks, delivery ({@link io.jnatsd.server.conn.Outbound}, the publisher's
 * {@link io.jnatsd.server.conn.DeliveryBatch}), timers, authentication and close sequence
 * ({@link io.jnatsd.server.conn.ClosedState}). A WebSocket client is a {@code CLIENT} connection with a
 * {@link io.jnatsd.server.conn.WebSocketState} (client type {@code websocket}, log tag {@code wid}): it takes the
 * WebSocket authenticator and INFO, its cookies fill empty CONNECT credentials, and its close sends a close frame
 * with nats-server's status for the reason ({@code websocket.go wsEnqueueCloseMessage}).
 * <p>
 * Threads: a network connection belongs to its channel's event loop; publishers on other loops only append to its
 * {@code Outbound} under its lock and ask for a flush (see {@code docs/lock-ordering.md}).
 */
package io.jnatsd.server.conn;
