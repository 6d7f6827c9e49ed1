/**
 * Client authentication and permissions in config mode: who may connect (token, single user, users list with plain
 * or bcrypt passwords, nkey users signing the INFO nonce, {@code no_auth_user}) and what a connected user may
 * publish and subscribe to (allow and deny lists with wildcards, queue-group entries, {@code allow_responses},
 * {@code default_permissions}).
 * <p>
 * Behaviour of nats-server {@code server/auth.go} ({@code configureAuthorization},
 * {@code processClientOrLeafAuthentication}, {@code comparePasswords}) and the permission parts of
 * {@code server/client.go} ({@code setPermissions}, {@code pubAllowedFullCheck}, {@code canSubscribeInternal},
 * {@code checkDenySub}, {@code responseAllowed}, {@code pruneReplyPerms}). Accounts, JWTs, auth callout and trusted
 * proxies are not here yet.
 * <p>
 * Threads: {@link io.jnatsd.server.auth.Authenticator} and {@link io.jnatsd.server.auth.Permissions} are immutable
 * and shared; a {@link io.jnatsd.server.auth.ClientPermissions} belongs to one connection (see its javadoc for which
 * methods run on the publisher's thread). Nothing here owns a thread.
 */
package io.jnatsd.server.auth;
