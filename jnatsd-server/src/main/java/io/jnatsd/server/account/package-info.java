/**
 * Accounts: each owns its subject space (a {@link io.jnatsd.subject.Sublist}), its subject mappings (a
 * {@link io.jnatsd.subject.transform.SubjectMappings} snapshot), its limits and counts its connections
 * ({@code server/accounts.go}). The global account {@code $G} always exists; config mode adds the configured
 * accounts and a system account, operator mode the accounts of its JWTs.
 * <p>
 * Imports and exports as the server routes them: a {@link io.jnatsd.server.account.StreamImport} delivers what an
 * exporter publishes to the importing account's subscribers through shadow subscriptions in the exporter's
 * sublist; a {@link io.jnatsd.server.account.ServiceImport} catches requests in the importing account and sends
 * them to the exporter with a fresh {@code _R_.} reply, which the exporting account maps back to the requestor
 * with a {@link io.jnatsd.server.account.ResponseImport} until the {@link io.jnatsd.server.account.ServiceExport}'s
 * response type or threshold ends it ({@code streamImport}, {@code serviceImport}, {@code serviceExport},
 * {@code addRespServiceImport}). The routing itself is {@code io.jnatsd.server.conn}'s.
 * <p>
 * Operator mode: {@link io.jnatsd.server.account.JwtAccounts} looks accounts up by public key through an
 * {@link io.jnatsd.server.account.AccountResolver} (memory, URL, or the directory store of
 * {@code server/dirstore.go}), validates them against the trusted operator keys and applies newer JWTs
 * ({@code server/server.go lookupOrFetchAccount}, {@code server/accounts.go updateAccountClaimsWithRefresh}).
 * <p>
 * Thread-safe: the sublist is concurrent, counters are atomic, the mappings, limits and import/export sets are
 * immutable snapshots in volatile fields, response mappings live in concurrent maps; resolvers synchronize their
 * own state and may block on file or HTTP I/O.
 */
package io.jnatsd.server.account;
