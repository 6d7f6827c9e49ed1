/**
 * The jnatsd runtime: server lifecycle, connections, accounts and the embedding API. Operator mode is wired here
 * ({@code OperatorMode}, {@code ResolverService}: the {@code $SYS.REQ.CLAIMS.*} requests of
 * {@code server/accounts.go DirAccResolver.Start}). Monitoring lives in {@code io.jnatsd.server.monitor}, the system
 * account's events and requests in {@code io.jnatsd.server.events}; both read the server through its public
 * accessors ({@code clients()}, {@code closedConnections()}, {@code accounts()}, {@code stats()}, ...).
 */
package io.jnatsd.server;
