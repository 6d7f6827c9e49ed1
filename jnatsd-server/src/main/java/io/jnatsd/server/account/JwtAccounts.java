package io.jnatsd.server.account;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.common.logging.NatsLogger;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The accounts of operator mode: looked up by public key, fetched from the {@link AccountResolver} on first use,
 * validated against the trusted operator keys, and updated in place when a newer account JWT arrives
 * ({@code server/server.go lookupOrFetchAccount}, {@code fetchAccount}, {@code verifyAccountClaims};
 * {@code server/accounts.go updateAccountClaimsWithRefresh}). Listeners hear of every applied update (the server
 * re-checks connected clients there).
 * <p>
 * Thread-safe. {@link #lookup} may block on the resolver (file or HTTP I/O).
 */
public final class JwtAccounts {

    private static final NatsLogger LOG = NatsLogger.get(JwtAccounts.class);

    private final Set<String> trustedKeys;
    private final Set<String> strictSigningKeys;
    private final Set<String> strictOperatorKeys;
    private final AccountResolver resolver;
    private final boolean sublistCache;
    private final Clock clock;
    private final String systemAccountKey;
    private final Map<String, JwtAccount> accounts = new ConcurrentHashMap<>();
    private final List<Consumer<JwtAccount>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param trustedKeys   operator keys accounts may be signed by
     * @param resolver      where account JWTs come from
     * @param systemAccount the system account ({@code system_account} key as name), or null
     * @param sublistCache  whether new accounts' sublists cache matches
     */
    public JwtAccounts(Set<String> trustedKeys, AccountResolver resolver, Account systemAccount,
                       boolean sublistCache, Clock clock) {
        this(trustedKeys, Set.of(), Set.of(), resolver, systemAccount, sublistCache, clock);
    }

    /**
     * @param strictSigningKeys  signing keys of strict operators: accounts they sign cannot sign users themselves
     * @param strictOperatorKeys identity keys of strict operators: pushed account JWTs they signed are refused
     */
    public JwtAccounts(Set<String> trustedKeys, Set<String> strictSigningKeys, Set<String> strictOperatorKeys,
                       AccountResolver resolver, Account systemAccount, boolean sublistCache, Clock clock) {
        this.trustedKeys = Set.copyOf(trustedKeys);
        this.strictSigningKeys = Set.copyOf(strictSigningKeys);
        this.strictOperatorKeys = Set.copyOf(strictOperatorKeys);
        this.resolver = resolver;
        this.sublistCache = sublistCache;
        this.clock = clock;
        this.systemAccountKey = systemAccount == null ? "" : systemAccount.name();
        if (systemAccount != null) {
            accounts.put(systemAccount.name(), new JwtAccount(systemAccount.name(), systemAccount, null, null));
        }
    }

    /** The resolver. */
    public AccountResolver resolver() {
        return resolver;
    }

    /** Whether {@code key} is a trusted operator key. */
    public boolean isTrusted(String key) {
        return trustedKeys.contains(key);
    }

    /** Whether {@code issuer} is the identity key of an operator that requires signing keys for accounts. */
    public boolean isStrictOperatorKey(String issuer) {
        return strictOperatorKeys.contains(issuer);
    }

    /** The trusted operator keys. */
    public Set<String> trustedKeys() {
        return trustedKeys;
    }

    /** The system account's key, or empty. */
    public String systemAccountKey() {
        return systemAccountKey;
    }

    /** Registers a listener called (on the updating thread) after each applied account JWT. */
    public void addListener(Consumer<JwtAccount> listener) {
        listeners.add(listener);
    }

    /** The accounts loaded so far. */
    public Collection<JwtAccount> loaded() {
        return List.copyOf(accounts.values());
    }

    /** The loaded account {@code key}, or null (no fetch). */
    public JwtAccount loaded(String key) {
        return accounts.get(key);
    }

    /**
     * The account {@code key} with a valid JWT: the loaded one (refetched when its JWT has expired), else fetched
     * from the resolver and validated.
     *
     * @throws AccountLookupException {@code account not found}, {@code account validation failed},
     *                                {@code account expired}, or the resolver's error
     */
    // nats-server: server.go lookupOrFetchAccount, fetchAccount
    public JwtAccount lookup(String key) throws AccountLookupException {
        JwtAccount known = accounts.get(key);
        long now = clock.instant().getEpochSecond();
        if (known != null && known.jwt() != null && !known.isExpired(now)) {
            return known;
        }
        String token;
        try {
            token = resolver.fetch(key);
        } catch (IOException e) {
            throw new AccountLookupException(e.getMessage());
        }
        if (token == null || token.isEmpty()) {
            if (known != null && known.jwt() != null) {
                throw new AccountLookupException("account expired");
            }
            throw new AccountLookupException("account not found");
        }
        Jwt jwt;
        AccountClaims claims;
        try {
            jwt = JwtCodec.decode(token);
            claims = jwt.account();
        } catch (JwtException e) {
            throw new AccountLookupException("account validation failed");
        }
        if (!isTrusted(jwt.issuer()) || !jwt.claims().timeIssues(now).isEmpty() || !jwt.subject().equals(key)
                || !claims.authorization().validationIssues().isEmpty()) {
            throw new AccountLookupException("account validation failed");
        }
        return apply(jwt, claims);
    }

    /**
     * Applies a pushed account JWT whose signature, type and subject were checked by the caller: updates the
     * loaded account (listeners re-check its clients) or, when {@code onlyLoaded} is false, registers it.
     *
     * @return the account, or null when it was not loaded and {@code onlyLoaded} is set
     */
    public JwtAccount applyUpdate(Jwt jwt, AccountClaims claims, boolean onlyLoaded) {
        if (onlyLoaded && !accounts.containsKey(jwt.subject())) {
            return null;
        }
        return apply(jwt, claims);
    }

    private JwtAccount apply(Jwt jwt, AccountClaims claims) {
        String key = jwt.subject();
        JwtAccount acc = accounts.computeIfAbsent(key, k -> new JwtAccount(k, new Account(k, sublistCache), null,
                null));
        boolean changed;
        synchronized (acc) {
            Jwt current = acc.jwt();
            changed = current == null || !current.token().equals(jwt.token());
            if (changed && current != null && current.claims().issuedAt() > jwt.claims().issuedAt()) {
                changed = false;        // keep the newer one
            }
            if (changed) {
                acc.update(jwt, claims, strictSigningKeys.contains(jwt.issuer()));
            }
        }
        if (changed) {
            LOG.debug("Account [" + key + "] updated from JWT");
            for (Consumer<JwtAccount> listener : listeners) {
                listener.accept(acc);
            }
        }
        return acc;
    }

    /** Marks {@code key} deleted: its claims become empty with zero connections allowed (clients are expired). */
    public JwtAccount remove(String key) {
        JwtAccount acc = accounts.remove(key);
        if (acc != null) {
            for (Consumer<JwtAccount> listener : listeners) {
                listener.accept(acc);
            }
        }
        return acc;
    }
}
