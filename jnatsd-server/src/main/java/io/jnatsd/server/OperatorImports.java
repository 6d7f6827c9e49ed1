package io.jnatsd.server;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AccountGraph;
import io.jnatsd.config.ExportOptions;
import io.jnatsd.config.ImportOptions;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.ActivationClaims;
import io.jnatsd.jwt.Export;
import io.jnatsd.jwt.Import;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.Revocations;
import io.jnatsd.jwt.WeightedMapping;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.AccountLookupException;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.subject.transform.InvalidMappingException;
import io.jnatsd.subject.transform.SubjectMappings;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The exports, imports and subject mappings of operator mode's account JWTs, applied to the accounts' routing
 * ({@code server/accounts.go updateAccountClaimsWithRefresh}, {@code checkActivation},
 * {@code isIssuerClaimTrusted}, {@code activationExpired}).
 * <p>
 * Whenever an account JWT is applied or removed, the exports and imports of every loaded account are rebuilt
 * through an {@link AccountGraph} (so importers of a changed exporter are re-checked too), accounts named by
 * imports are looked up (fetched) first, and the clients of accounts whose stream imports changed get new shadow
 * subscriptions. JWT specifics: {@code token_req} exports need an activation token in the import's {@code token}
 * (a JWT issued by the exporter or one of its signing keys, for the importer, of the import's kind, covering its
 * subject, not expired and not revoked by the export's {@code revocations}); an expiring activation triggers a
 * rebuild when it expires. As in nats-server, a token that is a URL is not fetched (jwt v2 dropped that) and so
 * authorizes nothing. A service export's {@code response_threshold} only counts for the JWT first loaded: once the
 * account is updated nats-server refuses to set it on a claim-based account and uses the 2 minute default.
 * <p>
 * Thread-safe: rebuilds are serialized; one triggered while a rebuild runs (a lookup loading another account)
 * makes it run again.
 */
final class OperatorImports {

    private static final NatsLogger LOG = NatsLogger.get(OperatorImports.class);

    private final JwtAccounts accounts;
    private final Account system;
    private final Function<Account, Connection> internalClients;
    private final Supplier<Collection<Connection>> clients;
    private final Clock clock;
    private final boolean jetStream;
    private final String jetStreamDomain;
    private final Map<String, String> firstTokens = new ConcurrentHashMap<>();
    private final Set<String> expiryTimers = ConcurrentHashMap.newKeySet();
    private Map<String, Account> wired = Map.of();  // guarded by rebuilding (one rebuild at a time)
    private volatile ScheduledExecutorService scheduler;
    private boolean rebuilding;                     // guarded by this
    private boolean again;                          // guarded by this

    OperatorImports(JwtAccounts accounts, Account system, Function<Account, Connection> internalClients,
                    Supplier<Collection<Connection>> clients, Clock clock, boolean jetStream, String jetStreamDomain) {
        this.jetStream = jetStream;
        this.jetStreamDomain = jetStream ? jetStreamDomain : "";
        this.accounts = accounts;
        this.system = system;
        this.internalClients = internalClients;
        this.clients = clients;
        this.clock = clock;
    }

    /** Where activation expiry and response threshold timers run. */
    void start(ScheduledExecutorService timers) {
        this.scheduler = timers;
        rebuild();
    }

    /** Rebuilds the routing of every loaded account from the JWTs. */
    void rebuild() {
        synchronized (this) {
            if (rebuilding) {
                again = true;
                return;
            }
            rebuilding = true;
        }
        try {
            boolean more;
            do {
                synchronized (this) {
                    again = false;
                }
                rebuildOnce();
                synchronized (this) {
                    more = again;
                }
            } while (more);
        } finally {
            synchronized (this) {
                rebuilding = false;
            }
        }
    }

    // nats-server: accounts.go updateAccountClaimsWithRefresh (exports, imports, mappings, system imports)
    private void rebuildOnce() {
        for (JwtAccount ja : accounts.loaded()) {
            AccountClaims claims = ja.claims();
            if (claims == null) {
                continue;
            }
            for (Import imp : claims.imports()) {
                if (accounts.loaded(imp.account()) == null) {
                    try {
                        accounts.lookup(imp.account());
                    } catch (AccountLookupException e) {
                        LOG.error("Can't locate account [" + imp.account() + "] for import of [" + imp.subject()
                                + "] " + imp.type() + " (err=" + e.getMessage() + ")");
                    }
                }
            }
        }
        List<JwtAccount> loaded = new ArrayList<>(accounts.loaded());
        Map<String, Account> byName = new LinkedHashMap<>();
        AccountGraph graph = new AccountGraph();
        for (JwtAccount ja : loaded) {
            byName.put(ja.key(), ja.account());
            graph.addAccount(ja.key());
            ja.account().setScheduler(scheduler);
        }
        for (JwtAccount ja : loaded) {
            AccountClaims claims = ja.claims();
            if (claims == null) {
                continue;
            }
            ja.account().setMappings(AccountWiring.withJetStreamDomain(mappings(ja.key(), claims),
                    jetStreamDomain, system != null && ja.key().equals(system.name())));
            boolean firstJwt = firstTokens.computeIfAbsent(ja.key(), k -> ja.jwt().token()).equals(ja.jwt().token());
            for (Export e : claims.exports()) {
                addExport(graph, ja.key(), e, firstJwt);
            }
        }
        if (system != null && byName.containsKey(system.name())) {
            AccountWiring.addSystemExports(graph, system.name());
            if (jetStream) {
                AccountWiring.addJetStreamExport(graph, system.name());
            }
        }
        for (JwtAccount ja : loaded) {
            AccountClaims claims = ja.claims();
            if (claims == null) {
                continue;
            }
            for (Import imp : claims.imports()) {
                if (!graph.hasAccount(imp.account())) {
                    continue;                       // reported above
                }
                ImportOptions options = importOptions(imp);
                String problem = options.service()
                        ? graph.addServiceImport(ja.key(), options, this::activation, false)
                        : graph.addStreamImport(ja.key(), options, this::activation);
                if (problem != null && LOG.isDebugEnabled()) {
                    LOG.debug("Error adding " + (options.service() ? "service" : "stream") + " import to account ["
                            + ja.key() + "]: " + problem);
                }
            }
        }
        if (system != null && byName.containsKey(system.name())) {
            AccountWiring.addSystemImports(graph, system.name(), byName.keySet());
            if (jetStream) {
                AccountWiring.addJetStreamImports(graph, system.name(), byName.keySet());
            }
        }
        Set<Account> changed = AccountWiring.wire(graph, byName, internalClients);
        for (Map.Entry<String, Account> old : wired.entrySet()) {
            if (!byName.containsKey(old.getKey())) {
                AccountWiring.retire(old.getValue());        // the account was deleted
                changed.add(old.getValue());
            }
        }
        wired = Map.copyOf(byName);
        if (!changed.isEmpty()) {
            for (Connection c : clients.get()) {
                if (changed.contains(c.account())) {
                    c.refreshStreamImports();
                }
            }
        }
    }

    private static SubjectMappings mappings(String account, AccountClaims claims) {
        SubjectMappings mappings = SubjectMappings.EMPTY;
        for (Map.Entry<String, List<WeightedMapping>> entry : claims.mappings().entrySet()) {
            List<SubjectMappings.Destination> destinations = new ArrayList<>();
            for (WeightedMapping m : entry.getValue()) {
                // jwt: WeightedMapping.GetWeight, 0 means 100
                destinations.add(new SubjectMappings.Destination(m.subject(), m.weight() == 0 ? 100 : m.weight(),
                        m.cluster() == null ? "" : m.cluster()));
            }
            try {
                mappings = mappings.with(entry.getKey(), destinations);
            } catch (InvalidMappingException e) {
                LOG.debug("Error adding mapping for " + GoQuote.quote(entry.getKey()) + " in account [" + account
                        + "]: " + e.getMessage());
            }
        }
        return mappings;
    }

    // nats-server: accounts.go updateAccountClaimsWithRefresh (exports), authAccounts
    private static void addExport(AccountGraph graph, String account, Export e, boolean firstJwt) {
        boolean service = e.type().equalsIgnoreCase("service");
        ExportOptions.ResponseType type = switch (e.responseType()) {
            case "Stream" -> ExportOptions.ResponseType.STREAMED;
            case "Chunked" -> ExportOptions.ResponseType.CHUNKED;
            default -> ExportOptions.ResponseType.SINGLETON;
        };
        Duration threshold = service && firstJwt && e.responseThresholdNanos() != 0
                ? Duration.ofNanos(e.responseThresholdNanos()) : null;
        ExportOptions.Latency latency = service && e.latency() != null
                ? new ExportOptions.Latency(e.latency().results(), e.latency().sampling()) : null;
        ExportOptions options = new ExportOptions(service, e.subject(), e.tokenRequired() ? List.of() : null,
                e.tokenRequired(), e.revocations(), service ? type : null, threshold, latency,
                e.accountTokenPosition(), service && e.allowTrace());
        String problem = service ? graph.addServiceExport(account, options) : graph.addStreamExport(account, options);
        if (problem != null) {
            LOG.debug("Error adding " + (service ? "service" : "stream") + " export to account [" + account + "]: "
                    + problem);
            return;
        }
        if (latency != null) {
            String latencyProblem = graph.latencyProblem(account, options);
            if (latencyProblem != null) {
                LOG.debug("Error adding latency tracking" + (latency.samplingPercent() == 0 ? " (using headers)" : "")
                        + " for service export to account [" + account + "]: " + latencyProblem);
                graph.addServiceExport(account, options.withLatency(null));
            }
        }
    }

    /**
     * The import as the graph takes it. Streams: {@code local_subject} maps the subject, else the deprecated
     * {@code to} is a prefix. Services: {@code local_subject} is the local subject, else the subject is, and the
     * deprecated {@code to} names the exporter's subject.
     */
    // nats-server: accounts.go updateAccountClaimsWithRefresh (imports)
    private static ImportOptions importOptions(Import i) {
        boolean service = i.type().equalsIgnoreCase("service");
        if (!service) {
            if (!i.localSubject().isEmpty()) {
                return new ImportOptions(false, i.account(), i.subject(), "", i.localSubject(), false, i.allowTrace(),
                        i.token());
            }
            return new ImportOptions(false, i.account(), i.subject(), i.to(), "", false, i.allowTrace(), i.token());
        }
        if (!i.localSubject().isEmpty()) {
            return new ImportOptions(true, i.account(), i.subject(), "", i.localSubject(), i.share(), false,
                    i.token());
        }
        String exporterSubject = i.to().isEmpty() ? i.subject() : i.to();
        return new ImportOptions(true, i.account(), exporterSubject, "", i.subject(), i.share(), false, i.token());
    }

    /**
     * Whether {@code imp}'s activation token lets {@code importer} import {@code export} of {@code exporter}.
     */
    // nats-server: accounts.go checkActivation, isIssuerClaimTrusted; jwt imports.go Import.Validate
    private boolean activation(String exporter, ExportOptions export, String importer, ImportOptions imp) {
        String token = imp.token();
        if (token.isEmpty()) {
            return false;
        }
        Jwt jwt;
        ActivationClaims act;
        try {
            jwt = JwtCodec.decode(token);
            act = jwt.activation();
        } catch (JwtException e) {
            LOG.debug("Import " + GoQuote.quote(imp.subject()) + " contains an invalid activation token");
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (!(jwt.issuer().equals(imp.account()) || act.issuerAccount().equals(imp.account()))
                || !jwt.subject().equals(importer)
                || !act.kind().equalsIgnoreCase(imp.service() ? "service" : "stream")
                || !jwt.claims().timeIssues(now).isEmpty()
                || !containedIn(imp.subject(), act.subject())) {
            return false;
        }
        if (!act.issuerAccount().isEmpty()) {
            if (!act.issuerAccount().equals(exporter)) {
                LOG.error("Invalid issuer account " + GoQuote.quote(act.issuerAccount()) + " in activation claim "
                        + "(subject: " + GoQuote.quote(act.subject()) + " - type: " + GoQuote.quote(act.kind())
                        + ") for account " + GoQuote.quote(exporter));
                return false;
            }
            JwtAccount ex = accounts.loaded(exporter);
            if (ex == null || !ex.isUserIssuer(jwt.issuer())) {
                return false;
            }
        }
        long expires = jwt.claims().expires();
        if (expires != 0) {
            if (expires <= now) {
                return false;
            }
            scheduleExpiry(token, expires - now);
        }
        return !Revocations.isRevoked(export.revocations(), jwt.subject(), jwt.claims().issuedAt());
    }

    /** An activation expires: rebuild then (the import stops). */
    // nats-server: accounts.go activationExpired
    private void scheduleExpiry(String token, long seconds) {
        ScheduledExecutorService timers = scheduler;
        if (timers == null || !expiryTimers.add(token)) {
            return;
        }
        try {
            timers.schedule(() -> {
                expiryTimers.remove(token);
                rebuild();
            }, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            expiryTimers.remove(token);
        }
    }

    /** jwt {@code Subject.IsContainedIn}: every subject {@code subject} matches is one {@code other} matches. */
    static boolean containedIn(String subject, String other) {
        String[] mine = subject.split("\\.", -1);
        String[] theirs = other.split("\\.", -1);
        if (mine.length > theirs.length && !theirs[theirs.length - 1].equals(">")) {
            return false;
        }
        if (mine.length < theirs.length) {
            return false;
        }
        for (int i = 0; i < theirs.length; i++) {
            if (i == theirs.length - 1 && theirs[i].equals(">")) {
                return true;
            }
            if (!theirs[i].equals(mine[i]) && !theirs[i].equals("*")) {
                return false;
            }
        }
        return true;
    }
}
