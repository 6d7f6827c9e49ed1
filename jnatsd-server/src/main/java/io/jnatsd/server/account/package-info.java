/**
 * Accounts: each owns its subject space (a {@link io.jnatsd.subject.Sublist}), its subject mappings (a
 * {@link io.jnatsd.subject.transform.SubjectMappings} snapshot) and counts its connections. The
 * global account {@code $G} and the system account {@code $SYS} exist from startup; multi-account configuration,
 * imports and exports come with the security work. Behaviour of nats-server {@code server/accounts.go}.
 * <p>
 * Operator mode: {@link io.jnatsd.server.account.JwtAccounts} looks accounts up by public key through an
 * {@link io.jnatsd.server.account.AccountResolver} (memory, URL, or the directory store of
 * {@code server/dirstore.go}), validates them against the trusted operator keys and applies newer JWTs
 * ({@code server/server.go lookupOrFetchAccount}, {@code server/accounts.go updateAccountClaimsWithRefresh}).
 * <p>
 * Thread-safe: the sublist is concurrent, counters are atomic and the mappings are an immutable snapshot in a
 * volatile field; resolvers synchronize their own state and may
 * block on file or HTTP I/O.
 */
package io.jnatsd.server.account;
