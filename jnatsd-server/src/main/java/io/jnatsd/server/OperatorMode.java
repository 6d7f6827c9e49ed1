package io.jnatsd.server;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.OperatorOptions;
import io.jnatsd.config.OperatorValidation;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.AccountLookupException;
import io.jnatsd.server.account.AccountResolver;
import io.jnatsd.server.account.DirAccountResolver;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.server.account.MemoryAccountResolver;
import io.jnatsd.server.account.UrlAccountResolver;
import io.jnatsd.server.auth.JwtAuthenticator;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.tls.ClientTlsConfig;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server side of operator mode: builds the account resolver and the {@link JwtAccounts} from the options,
 * checks connected clients when an account JWT changes (revocations, limits, signing keys, expiry; newest clients
 * beyond a lowered connection limit are closed), expires accounts on time and serves the resolver's {@code $SYS}
 * requests ({@link ResolverService}) ({@code server/accounts.go updateAccountClaimsWithRefresh},
 * {@code server/server.go configureResolver}).
 * <p>
 * Thread-safe: updates arrive on the thread that applied them; per-client work runs on each client's event loop.
 */
final class OperatorMode implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(OperatorMode.class);
    private static final long CLIENT_CHECK_WAIT_SECONDS = 2;

    private final JwtAccounts accounts;
    private final JwtAuthenticator authenticator;
    private final OperatorImports imports;
    private final Supplier<Collection<Connection>> clients;
    private final Map<String, ScheduledFuture<?>> expiryTimers = new ConcurrentHashMap<>();
    private volatile EventLoopGroup timers;
    private volatile ResolverService resolverService;

    private OperatorMode(JwtAccounts accounts, JwtAuthenticator authenticator,
                         Supplier<Collection<Connection>> clients, OperatorImports imports) {
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.clients = clients;
        this.imports = imports;
    }

    /**
     * Operator mode for {@code options}, or null when they do not enable it.
     *
     * @throws IllegalArgumentException when the resolver cannot be created (directory not usable)
     */
    static OperatorMode create(ServerOptions options, Account systemAccount,
                               Supplier<Collection<Connection>> clients,
                               Function<Account, Connection> internalClients) {
        OperatorOptions op = options.operator();
        if (!op.enabled()) {
            return null;
        }
        AccountResolver resolver = createResolver(op);
        for (Map.Entry<String, String> preload : op.preload().entrySet()) {
            if (resolver instanceof DirAccountResolver) {
                try {
                    resolver.store(preload.getKey(), preload.getValue());
                } catch (IOException e) {
                    LOG.warn("Preloading account " + preload.getKey() + " failed: " + e.getMessage());
                }
            }
        }
        boolean cache = !options.disableSublistCache();
        JwtAccounts accounts = new JwtAccounts(OperatorValidation.trustedKeys(options),
                OperatorValidation.strictSigningKeys(options), OperatorValidation.strictOperatorKeys(options), resolver,
                systemAccount, cache, Clock.systemUTC());
        JwtAuthenticator authenticator = new JwtAuthenticator(accounts, op.pinnedAccounts(), cache,
                Clock.systemUTC());
        OperatorImports imports = new OperatorImports(accounts, systemAccount, internalClients, clients,
                Clock.systemUTC(), options.jetStream().enabled(), options.jetStream().domain());
        OperatorMode mode = new OperatorMode(accounts, authenticator, clients, imports);
        accounts.addListener(mode::onAccountUpdated);
        return mode;
    }

    private static AccountResolver createResolver(OperatorOptions op) {
        OperatorOptions.Resolver r = op.resolver();
        try {
            return switch (r.type()) {
                case MEMORY, NONE -> new MemoryAccountResolver(op.preload());
                case URL -> new UrlAccountResolver(r.url(), r.effectiveTimeout(), resolverTls(op));
                case FULL -> DirAccountResolver.full(r.dir(), r.limit(), r.allowDelete(), r.hardDelete());
                case CACHE -> DirAccountResolver.cache(r.dir(), r.limit(), r.ttl());
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("error creating account resolver in " + r.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The URL resolver's TLS client configuration ({@code resolver_tls}), or null for the JDK's defaults. */
    private static ClientTlsConfig resolverTls(OperatorOptions op) {
        return op.resolverTls().enabled() ? ClientTlsConfig.of(op.resolverTls()) : null;
    }

    /**
     * Applies a reloaded {@code resolver_tls} to the URL resolver (nats-server reconfigures the resolver's
     * transport on every reload).
     *
     * @throws IllegalArgumentException when the JDK cannot build the TLS configuration
     */
    // nats-server: reload.go reloadAuthorization (configureResolver)
    void reloadResolverTls(OperatorOptions op) {
        if (accounts.resolver() instanceof UrlAccountResolver url) {
            url.setTls(resolverTls(op));
        }
    }

    /** The startup lines about trusted operators ({@code server/server.go Start}). */
    static void logTrustedOperators(ServerOptions options) {
        OperatorOptions op = options.operator();
        if (op.operatorJwts().isEmpty()) {
            return;
        }
        LOG.notice("Trusted Operators");
        DateTimeFormatter goTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");
        ZoneId zone = ZoneId.systemDefault();
        for (String token : op.operatorJwts()) {
            try {
                Jwt jwt = JwtCodec.decode(token);
                LOG.notice("  System  : " + GoQuote.quote(jwt.claims().audience()));
                LOG.notice("  Operator: " + GoQuote.quote(jwt.claims().name()));
                LOG.notice("  Issued  : " + goTime.format(Instant.ofEpochSecond(jwt.claims().issuedAt())
                        .atZone(zone)));
                LOG.notice("  Expires : " + (jwt.claims().expires() == 0 ? "Never"
                        : goTime.format(Instant.ofEpochSecond(jwt.claims().expires()).atZone(zone))));
            } catch (JwtException e) {
                LOG.warn("Trusted operator JWT does not decode: " + e.getMessage());
            }
        }
        if (op.systemAccount().isEmpty()) {
            LOG.warn("Trusted Operators should utilize a System Account");
        }
    }

    JwtAccounts accounts() {
        return accounts;
    }

    JwtAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Starts timers and the resolver's {@code $SYS} service on {@code systemClient}, and loads the system
     * account's JWT when the resolver has it.
     */
    void start(EventLoopGroup timerGroup, Connection systemClient, ServerInfoSource info) {
        this.timers = timerGroup;
        this.resolverService = ResolverService.start(accounts, systemClient, info);
        imports.start(timerGroup);
        if (accounts.resolver() instanceof DirAccountResolver dir) {
            LOG.notice("Managing " + (dir.isCache() ? "some" : "all") + " jwt in exclusive directory "
                    + dir.directory());
        }
        String sys = accounts.systemAccountKey();
        if (!sys.isEmpty()) {
            try {
                accounts.lookup(sys);
            } catch (AccountLookupException e) {
                LOG.debug("System account " + sys + " not loaded from the resolver: " + e.getMessage());
            }
        }
    }

    /** Re-checks the clients of an account whose JWT changed or that was removed. */
    private void onAccountUpdated(JwtAccount account) {
        boolean removed = accounts.loaded(account.key()) != account;
        imports.rebuild();
        List<Connection> bound = new ArrayList<>();
        for (Connection c : clients.get()) {
            if (c.jwtAccount() == account) {
                bound.add(c);
            }
        }
        List<CompletableFuture<Void>> checked = new ArrayList<>(bound.size());
        for (Connection c : bound) {
            checked.add(c.onAccountClaimsUpdated(account, removed));
        }
        awaitChecks(checked);
        long max = account.maxConnections();
        if (!removed && max >= 0 && bound.size() > max) {
            bound.sort((a, b) -> Long.compare(b.cid(), a.cid()));
            for (int i = 0; i < bound.size() - max; i++) {
                bound.get(i).closeAccountConnectionsExceeded();
            }
        }
        scheduleExpiry(account, removed);
    }

    /**
     * On the resolver's worker (a virtual thread), waits until the clients have applied the update, so that the
     * reply to an update request is sent after they have, as nats-server applies it to its clients before replying.
     * Other threads (event loops) never wait.
     */
    private static void awaitChecks(List<CompletableFuture<Void>> checked) {
        if (checked.isEmpty() || !Thread.currentThread().isVirtual()) {
            return;
        }
        try {
            CompletableFuture.allOf(checked.toArray(CompletableFuture[]::new)).get(CLIENT_CHECK_WAIT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Account update: clients not re-checked in time: " + e);
        }
    }

    // nats-server: accounts.go checkExpiration
    private void scheduleExpiry(JwtAccount account, boolean removed) {
        ScheduledFuture<?> previous = expiryTimers.remove(account.key());
        if (previous != null) {
            previous.cancel(false);
        }
        Jwt jwt = account.jwt();
        EventLoopGroup group = timers;
        if (removed || jwt == null || jwt.claims().expires() <= 0 || group == null) {
            return;
        }
        long delayMillis = Math.max(0, (jwt.claims().expires() + 1) * 1000 - Instant.now().toEpochMilli());
        expiryTimers.put(account.key(), group.next().schedule(() -> expire(account), delayMillis,
                TimeUnit.MILLISECONDS));
    }

    private void expire(JwtAccount account) {
        expiryTimers.remove(account.key());
        for (Connection c : clients.get()) {
            if (c.jwtAccount() == account) {
                c.onAccountExpired();
            }
        }
    }

    @Override
    public void close() {
        for (ScheduledFuture<?> f : expiryTimers.values()) {
            f.cancel(false);
        }
        ResolverService service = resolverService;
        if (service != null) {
            service.close();
        }
        accounts.resolver().close();
    }

    /** The server identity the resolver's replies carry. */
    interface ServerInfoSource {
        /** The {@code server} object of a reply: name, host, id, version, time... */
        Map<String, Object> serverInfo();
    }
}
