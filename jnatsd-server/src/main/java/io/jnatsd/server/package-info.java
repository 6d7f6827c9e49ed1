/**
 * The jnatsd runtime: server lifecycle, connections, accounts and the embedding API. Operator mode is wired here
 * ({@code OperatorMode}, {@code ResolverService}: the {@code $SYS.REQ.CLAIMS.*} requests of
 * {@code server/accounts.go DirAccResolver.Start}). {@code NatsServer} starts the client and WebSocket listeners
 * (nats-server {@code server.go Start}, {@code websocket.go startWebsocketServer}), keeps the WebSocket
 * authenticator, INFO and TLS context next to the client port's, and {@code Reload} compares the {@code websocket}
 * block as nats-server does ({@code reload.go diffOptions}).
 */
package io.jnatsd.server;
