/**
 * Accounts: each owns its subject space (a {@link io.jnatsd.subject.Sublist}), its subject mappings (a
 * {@link io.jnatsd.subject.transform.SubjectMappings} snapshot) and counts its connections. The
 * global account {@code $G} and the system account {@code $SYS} exist from startup; multi-account configuration,
 * imports and exports come with the security work. Behaviour of nats-server {@code server/accounts.go}.
 * <p>
 * Thread-safe: the sublist is concurrent, counters are atomic and the mappings are an immutable snapshot in a
 * volatile field.
 */
package io.jnatsd.server.account;
