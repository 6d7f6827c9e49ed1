/**
 * The jnatsd runtime: server lifecycle, connections, accounts and the embedding API. Operator mode is wired here
 * ({@code OperatorMode}, {@code ResolverService}: the {@code $SYS.REQ.CLAIMS.*} requests of
 * {@code server/accounts.go DirAccResolver.Start}).
 */
package io.jnatsd.server;
