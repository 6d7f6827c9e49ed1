/**
 * The jnatsd runtime: server lifecycle, connections, accounts and the embedding API. Config-mode accounts are set up
 * and reloaded by {@code ConfiguredAccounts} ({@code server/server.go configureAccounts}, the hidden system-only
 * {@code no_auth_user}); {@code AccountWiring} turns an {@link io.jnatsd.config.AccountGraph} into the accounts'
 * stream imports, service imports and service exports, with the system account's exports and every account's
 * imports of them ({@code server/events.go addSystemAccountExports}, {@code registerSystemImports}). Operator mode
 * is wired here too ({@code OperatorMode}; {@code OperatorImports} applies account JWT exports, imports, activation
 * tokens and mappings; {@code ResolverService}: the {@code $SYS.REQ.CLAIMS.*} requests of
 * {@code server/accounts.go DirAccResolver.Start}).
 * {@code NatsServer} starts the client and WebSocket listeners (nats-server {@code server.go Start},
 * {@code websocket.go startWebsocketServer}), keeps the WebSocket authenticator, INFO and TLS context next to the
 * client port's, and {@code Reload} compares the {@code websocket} block as nats-server does
 * ({@code reload.go diffOptions}).
 * Monitoring lives in {@code io.jnatsd.server.monitor}, the system account's events and requests in
 * {@code io.jnatsd.server.events}; both read the server through its public accessors ({@code clients()},
 * {@code closedConnections()}, {@code accounts()}, {@code stats()}, ...).
 */
package io.jnatsd.server;
