package io.jnatsd.server.account;

import java.io.IOException;

/**
 * Where account JWTs come from in operator mode ({@code server/accounts.go AccountResolver}): the memory resolver
 * (preloads and pushes), a URL, or a directory store. Implementations are thread-safe; {@link #fetch} may block
 * (file or HTTP I/O).
 */
public interface AccountResolver extends AutoCloseable {

    /** The JWT of {@code accountKey}, or null when the resolver does not know it. */
    String fetch(String accountKey) throws IOException;

    /**
     * Stores a pushed JWT (claims update).
     *
     * @throws IOException with nats-server's text when it cannot be stored ({@code store is read-only},
     *                     {@code jwt store is full}, ...)
     */
    void store(String accountKey, String jwt) throws IOException;

    /** Whether {@link #store} is refused (URL resolver). */
    boolean isReadOnly();

    @Override
    default void close() {
    }
}
