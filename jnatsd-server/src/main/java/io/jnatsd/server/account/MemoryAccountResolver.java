package io.jnatsd.server.account;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code MEMORY} resolver ({@code server/accounts.go MemAccResolver}): account JWTs from
 * {@code resolver_preload} and claim updates, kept in memory. Thread-safe.
 */
public final class MemoryAccountResolver implements AccountResolver {

    private final Map<String, String> jwts = new ConcurrentHashMap<>();

    /** A resolver holding {@code preload} (account key to JWT). */
    public MemoryAccountResolver(Map<String, String> preload) {
        jwts.putAll(preload);
    }

    @Override
    public String fetch(String accountKey) {
        return jwts.get(accountKey);
    }

    @Override
    public void store(String accountKey, String jwt) {
        jwts.put(accountKey, jwt);
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }
}
