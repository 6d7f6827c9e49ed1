/**
 * NATS JWTs (nats-io/jwt v2): decoding with signature and issuer checks, encoding and signing, the claim models of
 * every claim type with their {@code nats} objects, time validation, revocation lists and {@code .creds} files.
 *
 * <p>Follows the behaviour of github.com/nats-io/jwt/v2 ({@code decoder.go}, {@code header.go}, {@code claims.go},
 * {@code account_claims.go}, {@code user_claims.go}, {@code activation_claims.go}, {@code operator_claims.go},
 * {@code genericlaims.go}, {@code types.go}, {@code signingkeys.go}, {@code revocation_list.go},
 * {@code creds_utils.go}). Version 1 tokens ({@code alg: ed25519}, claim type at the top level) are decoded too.
 *
 * <p>Claim records are immutable and JSON-bound through {@link io.jnatsd.common.GoJson}'s mapper; nothing here owns
 * threads, everything is safe to share.
 */
package io.jnatsd.jwt;
