/**
 * Subjects and subscription matching: subject validation ({@link io.jnatsd.subject.Subjects}), the subscription
 * trie with its shared result cache ({@link io.jnatsd.subject.Sublist}) and the per-connection L1 cache
 * ({@link io.jnatsd.subject.MatchCache}).
 *
 * <p>Behaviour follows nats-server {@code server/sublist.go} (trie, L2 cache, validation, {@code matchLiteral},
 * {@code subjectIsSubsetMatch}) and the {@code readCache.results} L1 of {@code server/client.go}; the design is our
 * own: the trie is read without locks (optimistic {@link java.util.concurrent.locks.StampedLock} reads), the shared
 * cache is an open-addressing table read without locks, and all lookups take a subject as a byte range.
 *
 * <p>Threads: a {@code Sublist} is shared by every connection of an account (many concurrent matchers, writers
 * serialized). A {@code MatchCache} belongs to one connection's event loop. The other classes are static helpers or
 * immutable.
 */
package io.jnatsd.subject;
