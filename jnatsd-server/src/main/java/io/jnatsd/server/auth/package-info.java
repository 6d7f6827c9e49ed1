/**
 * Client authentication and permissions in config mode: who may connect (token, single user, users list with plain
 * or bcrypt passwords, nkey users signing the INFO nonce, {@code no_auth_user}, trusted proxies signing the nonce
 * for {@code proxy_required} users, client certificates mapped to users by {@code verify_and_map}, or an embedder's
 * {@link io.jnatsd.server.auth.ClientAuthentication} deciding alone) and what a connected user may
 * publish and subscribe to (allow and deny lists with wildcards, queue-group entries, {@code allow_responses},
 * {@code default_permissions}). WebSocket clients have their own {@link io.jnatsd.server.auth.Authenticator}
 * ({@code forWebSocket}): the {@code websocket} block's user, token and {@code no_auth_user} replace the top-level
 * ones when it has any ({@code websocket.go wsConfigAuth}), its {@code verify_and_map} applies, and a password-less
 * user that another listener maps from certificates is refused ({@code auth.go canTLSMap}).
 * <p>
 * Behaviour of nats-server {@code server/auth.go} ({@code configureAuthorization},
 * {@code processClientOrLeafAuthentication}, {@code comparePasswords}, {@code proxyCheck},
 * {@code checkClientTLSCertSubject}; {@code internal/ldap/dn.go}) and the permission parts of
 * {@code server/client.go} ({@code setPermissions}, {@code pubAllowedFullCheck}, {@code canSubscribeInternal},
 * {@code checkDenySub}, {@code responseAllowed}, {@code pruneReplyPerms}). In operator mode,
 * {@link io.jnatsd.server.auth.JwtAuthenticator} checks user JWTs (the JWT branch of
 * {@code processClientOrLeafAuthentication}, {@code server/jwt.go validateSrc}, {@code validateTimes}) and
 * {@link io.jnatsd.server.auth.UserTemplates} expands scoped signing-key templates
 * ({@code processUserPermissionsTemplate}). {@link io.jnatsd.server.auth.AuthCallout} asks an external service
 * (config mode's {@code auth_callout}, or an operator-mode account's {@code authorization}) and checks its answer
 * ({@code server/auth_callout.go}); {@link io.jnatsd.server.auth.UserValidation} is nats-io/jwt's user JWT
 * validation the callout applies to the user JWTs it is given.
 * <p>
 * Threads: {@link io.jnatsd.server.auth.Authenticator} and {@link io.jnatsd.server.auth.Permissions} are immutable
 * and shared; a {@link io.jnatsd.server.auth.ClientPermissions} belongs to one connection (see its javadoc for which
 * methods run on the publisher's thread). A custom authenticator is called on the client's event loop. The auth
 * callout publishes its request from the client's event loop, receives the reply on the responder's thread (which
 * only completes a future), checks it on a virtual thread ({@code jnatsd-auth-callout-*}, as account lookups may
 * block on a resolver) and hands the outcome back to the client's event loop; its timeout runs on that loop.
 */
package io.jnatsd.server.auth;
