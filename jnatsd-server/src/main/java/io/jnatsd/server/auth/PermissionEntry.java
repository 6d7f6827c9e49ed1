package io.jnatsd.server.auth;

import io.jnatsd.subject.SublistEntry;

/**
 * One allow or deny entry of a permission list as stored in a permission {@link io.jnatsd.subject.Sublist}: a
 * subject pattern and, for subscribe entries written {@code "<subject> <queue>"}, a queue group pattern. Immutable.
 *
 * @param subject the subject pattern (UTF-8)
 * @param queue   the queue pattern (UTF-8), or null
 */
record PermissionEntry(byte[] subject, byte[] queue) implements SublistEntry {
}
