package io.jnatsd.server;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AccountGraph;
import io.jnatsd.config.AccountOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.ExportOptions;
import io.jnatsd.config.ImportOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.subject.transform.SubjectMappings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The accounts of config mode: {@code $G}, the configured ones and the system account, with their limits,
 * mappings, exports and imports wired for routing ({@code server/server.go configureAccounts},
 * {@code server/events.go addSystemAccountExports}, {@code registerSystemImports}). {@link #apply} runs at start
 * and on every reload: accounts are kept by name (their sublists and clients stay), new ones are created, the
 * exports and imports are rebuilt through an {@link AccountGraph}, and service import subscriptions are replaced.
 * <p>
 * The system account is {@code system_account}, else a configured account named {@code $SYS}, else (unless
 * {@code no_system_account}) an account {@code $SYS} created here. It exports
 * {@code $SYS.REQ.ACCOUNT.*.CONNZ} and {@code .STATZ} (streamed, importer's name at token 4),
 * {@code $SYS.DEBUG.SUBSCRIBERS} and {@code $SYS.REQ.USER.*.INFO}; every other account imports
 * {@code $SYS.REQ.ACCOUNT.PING.CONNZ} and {@code $SYS.REQ.SERVER.PING.CONNZ} as its own
 * {@code $SYS.REQ.ACCOUNT.<name>.CONNZ}, {@code $SYS.REQ.ACCOUNT.PING.STATZ} as {@code ...<name>.STATZ} and
 * {@code $SYS.REQ.USER.INFO} as {@code $SYS.REQ.USER.<name>.INFO}. They route into the system account; the
 * responders behind them come with monitoring.
 * <p>
 * Thread-safe: {@link #apply} is called by one thread at a time (start, then reloads under the server's lock);
 * readers see immutable snapshots.
 */
final class ConfiguredAccounts {

    private static final NatsLogger LOG = NatsLogger.get(ConfiguredAccounts.class);
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    private final boolean sublistCache;
    private final Account global;
    private final ScheduledExecutorService scheduler;
    private final Function<Account, Connection> internalClients;
    private volatile Map<String, Account> byName;
    private volatile Account system;
    private Account defaultSystem;          // the $SYS made here, kept across reloads
    private String hiddenUser;              // "nats-" + 8 random base62 characters, kept across reloads

    /**
     * @param global          the global account
     * @param scheduler       runs response threshold sweeps
     * @param internalClients makes the internal ({@code ACCOUNT}) client of an account
     */
    ConfiguredAccounts(boolean sublistCache, Account global, ScheduledExecutorService scheduler,
                       Function<Account, Connection> internalClients) {
        this.sublistCache = sublistCache;
        this.global = global;
        this.scheduler = scheduler;
        this.internalClients = internalClients;
        this.byName = Map.of(Account.GLOBAL, global);
    }

    /** The account named {@code name}: {@code $G}, the system account or a configured one; null when unknown. */
    Account lookup(String name) {
        return byName.get(name);
    }

    /** The system account, or null ({@code no_system_account}). */
    Account system() {
        return system;
    }

    /** Every account. */
    Collection<Account> all() {
        return byName.values();
    }

    /**
     * The system account {@code options} select, made or found, without wiring anything: used to set up the
     * system client before {@link #apply}.
     */
    Account selectSystem(ServerOptions options) {
        String name = systemAccountName(options);
        if (name.isEmpty()) {
            // nats-server: jetstream.go enableJetStream creates a system account if there is none
            if (options.noSystemAccount() && !options.jetStream().enabled()) {
                return null;
            }
            if (defaultSystem == null) {
                defaultSystem = new Account(Account.SYSTEM, sublistCache);
            }
            return defaultSystem;
        }
        if (name.equals(Account.GLOBAL)) {
            return global;
        }
        Account existing = byName.get(name);
        if (existing == null && name.equals(Account.SYSTEM) && defaultSystem != null) {
            existing = defaultSystem;
        }
        if (existing == null || !byName.containsKey(name)) {
            existing = existing != null ? existing : new Account(name, sublistCache);
            Map<String, Account> next = new LinkedHashMap<>(byName);
            next.put(name, existing);
            byName = Map.copyOf(next);
        }
        return existing;
    }

    /** {@code system_account}, else {@code $SYS} when an account has that name, else empty. */
    private static String systemAccountName(ServerOptions options) {
        String name = options.operator().systemAccount();
        if (name.isEmpty() && options.account(Account.SYSTEM) != null) {
            name = Account.SYSTEM;
        }
        return name;
    }

    /**
     * The authorization with nats-server's hidden user added when config mode has just {@code $G} and a system
     * account with users: a user of {@code $G} named {@code nats-} and 8 random base62 characters becomes the
     * {@code no_auth_user}, so clients without credentials still land in {@code $G} (INFO keeps {@code auth_required}).
     * Null when it does not apply.
     */
    // nats-server: server.go configureAccounts (sysAccOnlyNoAuthUser)
    AuthOptions withHiddenUser(ServerOptions options) {
        AuthOptions auth = options.authorization();
        if (options.operator().enabled() || !auth.noAuthUser().isEmpty() || options.authorizationBlock()
                || systemAccountName(options).isEmpty() || options.accounts().size() + 1 != 2) {
            return null;
        }
        if (hiddenUser == null) {
            char[] b = new char[8];
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < b.length; i++) {
                b[i] = BASE62[rnd.nextInt(BASE62.length)];
            }
            hiddenUser = "nats-" + new String(b);
        }
        List<AuthOptions.User> users = new ArrayList<>(auth.users());
        users.add(AuthOptions.User.of(hiddenUser, hiddenUser.substring(6)));
        return auth.withUsers(users, auth.nkeys()).withNoAuthUser(hiddenUser);
    }

    /**
     * Creates or updates the accounts of {@code options} and wires their exports and imports (and the system
     * account's).
     *
     * @return the accounts whose stream imports changed (their clients' shadow subscriptions need rebuilding)
     */
    // nats-server: server.go configureAccounts, reload.go reloadAuthorization (deleted accounts)
    Set<Account> apply(ServerOptions options) {
        Map<String, Account> previous = byName;
        Map<String, Account> next = new LinkedHashMap<>();
        next.put(Account.GLOBAL, global);
        String domain = options.jetStream().enabled() ? options.jetStream().domain() : "";
        global.setMappings(AccountWiring.withJetStreamDomain(options.mappings(), domain, false));
        global.setScheduler(scheduler);
        Account sys = selectSystem(options);
        previous = byName;                      // selectSystem may have added the system account
        for (AccountOptions ao : options.accounts()) {
            Account a = previous.get(ao.name());
            if (a == null || a == global) {
                a = ao.name().equals(Account.SYSTEM) && defaultSystem != null ? defaultSystem
                        : new Account(ao.name(), sublistCache);
            }
            a.setMappings(AccountWiring.withJetStreamDomain(ao.mappings(), domain,
                    sys != null && ao.name().equals(sys.name())));
            a.setLimits(ao.limits());
            a.setNkey(ao.nkey());
            next.put(ao.name(), a);
        }
        if (sys != null) {
            next.putIfAbsent(sys.name(), sys);
        }
        for (Account a : next.values()) {
            a.setScheduler(scheduler);
        }
        AccountGraph graph = new AccountGraph();
        next.keySet().forEach(graph::addAccount);
        for (AccountOptions ao : options.accounts()) {
            for (ExportOptions e : ao.exports()) {
                String problem = e.service() ? graph.addServiceExport(ao.name(), e)
                        : graph.addStreamExport(ao.name(), e);
                if (problem != null) {
                    LOG.error("Error adding " + (e.service() ? "service" : "stream") + " export \"" + e.subject()
                            + "\": " + problem);
                }
            }
        }
        if (sys != null) {
            AccountWiring.addSystemExports(graph, sys.name());
            if (options.jetStream().enabled()) {
                AccountWiring.addJetStreamExport(graph, sys.name());
            }
        }
        for (AccountOptions ao : options.accounts()) {
            for (ImportOptions imp : ao.imports()) {
                if (!imp.service()) {
                    logImportProblem(imp, graph.addStreamImport(ao.name(), imp, AccountGraph.ActivationCheck.NONE));
                }
            }
        }
        for (AccountOptions ao : options.accounts()) {
            for (ImportOptions imp : ao.imports()) {
                if (imp.service()) {
                    logImportProblem(imp, graph.addServiceImport(ao.name(), imp, AccountGraph.ActivationCheck.NONE,
                            false));
                }
            }
        }
        if (sys != null) {
            AccountWiring.addSystemImports(graph, sys.name(), next.keySet());
            if (options.jetStream().enabled()) {
                AccountWiring.addJetStreamImports(graph, sys.name(), next.keySet());
            }
            if (!options.accounts().stream().anyMatch(a -> a.name().equals(sys.name())) && !domain.isEmpty()) {
                sys.setMappings(AccountWiring.withJetStreamDomain(SubjectMappings.EMPTY, domain, true));
            }
        }
        byName = Map.copyOf(next);
        system = sys;
        Set<Account> changed = AccountWiring.wire(graph, next, internalClients);
        for (Map.Entry<String, Account> old : previous.entrySet()) {
            if (!next.containsKey(old.getKey())) {
                AccountWiring.retire(old.getValue());
                changed.add(old.getValue());
            }
        }
        return changed;
    }

    private static void logImportProblem(ImportOptions imp, String problem) {
        if (problem != null) {
            LOG.error("Error adding " + (imp.service() ? "service" : "stream") + " import \"" + imp.subject()
                    + "\": " + problem);
        }
    }

}
