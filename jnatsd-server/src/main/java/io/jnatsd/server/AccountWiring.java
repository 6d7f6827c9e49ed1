package io.jnatsd.server;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AccountGraph;
import io.jnatsd.config.ExportOptions;
import io.jnatsd.config.ImportOptions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.ServiceExport;
import io.jnatsd.server.account.ServiceImport;
import io.jnatsd.server.account.StreamImport;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.subject.InvalidSubjectException;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectMappings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns an {@link AccountGraph} into routing: each account's {@link ServiceExport}s, {@link StreamImport}s and
 * {@link ServiceImport}s (whose subscriptions its internal client holds), and adds the system account's exports
 * and every other account's imports of them ({@code server/events.go addSystemAccountExports},
 * {@code registerSystemImports}). Used by config mode ({@link ConfiguredAccounts}) and operator mode
 * ({@link OperatorImports}). Stateless.
 */
final class AccountWiring {

    private static final NatsLogger LOG = NatsLogger.get(AccountWiring.class);
    private static final String ACCOUNT_CONNZ = "$SYS.REQ.ACCOUNT.*.CONNZ";
    private static final String ACCOUNT_STATZ = "$SYS.REQ.ACCOUNT.*.STATZ";
    private static final String DEBUG_SUBSCRIBERS = "$SYS.DEBUG.SUBSCRIBERS";
    private static final String USER_INFO = "$SYS.REQ.USER.*.INFO";
    private static final String USER_INFO_REQUEST = "$SYS.REQ.USER.INFO";

    private AccountWiring() {
    }

    /** The JetStream API, exported by the system account and imported by every JetStream-capable account. */
    static final String JS_ALL_API = "$JS.API.>";

    /** The system account's export of the JetStream API ({@code setupJetStreamExports}). */
    // nats-server: jetstream.go setupJetStreamExports
    static void addJetStreamExport(AccountGraph graph, String sys) {
        if (!exportMatching(graph, sys, JS_ALL_API)) {
            graph.addServiceExport(sys, ExportOptions.service(JS_ALL_API));
        }
    }

    /**
     * Every account's import of the JetStream API, shared so that requests carry the requestor's info
     * ({@code enableAllJetStreamServiceImportsAndMappings}); nats-server imports it into every account whether
     * JetStream is enabled for it or not, so that those answer with 10039.
     */
    // nats-server: jetstream.go enableAllJetStreamServiceImportsAndMappings, enableJetStreamInfoServiceImportOnly
    static void addJetStreamImports(AccountGraph graph, String sys, Collection<String> accounts) {
        for (String a : accounts) {
            if (a.equals(sys) || graph.hasServiceImport(a, sys, JS_ALL_API)) {
                continue;
            }
            ImportOptions imp = new ImportOptions(true, sys, JS_ALL_API, "", JS_ALL_API, true, false, "");
            String problem = graph.addServiceImport(a, imp, AccountGraph.ActivationCheck.NONE, true);
            if (problem != null) {
                LOG.error("Error setting up jetstream service imports for account: " + problem);
            }
        }
    }

    /**
     * {@code mappings} with the JetStream domain's subjects mapped onto the plain API: the system account maps
     * {@code $JS.<domain>.API.>}, other accounts the table of {@code generateJSMappingTable}. Mappings an account
     * already has for those subjects win.
     */
    // nats-server: jetstream.go setupJetStreamExports (AddMapping), enableAllJetStreamServiceImportsAndMappings
    static SubjectMappings withJetStreamDomain(SubjectMappings mappings, String domain, boolean system) {
        if (domain == null || domain.isEmpty()) {
            return mappings;
        }
        Map<String, String> table = new LinkedHashMap<>();
        if (system) {
            table.put("$JS." + domain + ".API.>", JS_ALL_API);
        } else {
            String pre = "$JS." + domain + ".API.";
            table.put(pre + "INFO", "$JS.API.INFO");
            table.put(pre + "STREAM.>", "$JS.API.STREAM.>");
            table.put(pre + "CONSUMER.>", "$JS.API.CONSUMER.>");
            table.put(pre + "DIRECT.>", "$JS.API.DIRECT.>");
            table.put(pre + "META.>", "$JS.API.META.>");
            table.put(pre + "SERVER.>", "$JS.API.SERVER.>");
            table.put(pre + "ACCOUNT.>", "$JS.API.ACCOUNT.>");
            table.put(pre + "$KV.>", "$KV.>");
            table.put(pre + "$OBJ.>", "$OBJ.>");
        }
        SubjectMappings out = mappings == null ? SubjectMappings.EMPTY : mappings;
        for (Map.Entry<String, String> e : table.entrySet()) {
            if (out.destinations().containsKey(e.getKey())) {
                continue;
            }
            try {
                out = out.with(e.getKey(), e.getValue());
            } catch (io.jnatsd.subject.transform.InvalidMappingException ex) {
                LOG.error("Error adding JetStream domain mapping: " + ex.getMessage());
            }
        }
        return out;
    }

    /** The system account's exports, unless exports of its own already cover them. */
    // nats-server: events.go addSystemAccountExports
    static void addSystemExports(AccountGraph graph, String sys) {
        if (!exportMatching(graph, sys, ACCOUNT_CONNZ)) {
            graph.addServiceExport(sys, ExportOptions.service(ACCOUNT_CONNZ)
                    .withResponseType(ExportOptions.ResponseType.STREAMED).withAccountTokenPosition(4));
        }
        if (!exportMatching(graph, sys, ACCOUNT_STATZ)) {
            graph.addServiceExport(sys, ExportOptions.service(ACCOUNT_STATZ)
                    .withResponseType(ExportOptions.ResponseType.STREAMED).withAccountTokenPosition(4));
        }
        if (!exportMatching(graph, sys, DEBUG_SUBSCRIBERS)) {
            graph.addServiceExport(sys, ExportOptions.service(DEBUG_SUBSCRIBERS));
        }
        if (!exportMatching(graph, sys, USER_INFO)) {
            graph.addServiceExport(sys, ExportOptions.service(USER_INFO));
            String mapped = "$SYS.REQ.USER." + sys + ".INFO";
            ImportOptions self = new ImportOptions(true, sys, mapped, "", USER_INFO_REQUEST, true, false, "");
            String problem = graph.addServiceImport(sys, self, AccountGraph.ActivationCheck.NONE, false);
            if (problem != null) {
                LOG.error("Error setting up system service import " + mapped + ": " + problem);
            }
        }
    }

    // nats-server: accounts.go hasServiceExportMatching
    private static boolean exportMatching(AccountGraph graph, String account, String subject) {
        for (ExportOptions e : graph.serviceExports(account)) {
            if (Subjects.subjectMatchesFilter(subject, e.subject())) {
                return true;
            }
        }
        return false;
    }

    /** The imports of the system services by every account of {@code accounts} but the system account. */
    // nats-server: events.go registerSystemImports
    static void addSystemImports(AccountGraph graph, String sys, Collection<String> accounts) {
        for (String a : accounts) {
            if (a.equals(sys)) {
                continue;
            }
            String connz = "$SYS.REQ.ACCOUNT." + a + ".CONNZ";
            importSystem(graph, sys, a, "$SYS.REQ.ACCOUNT.PING.CONNZ", connz, false);
            importSystem(graph, sys, a, "$SYS.REQ.SERVER.PING.CONNZ", connz, false);
            importSystem(graph, sys, a, "$SYS.REQ.ACCOUNT.PING.STATZ", "$SYS.REQ.ACCOUNT." + a + ".STATZ", false);
            importSystem(graph, sys, a, USER_INFO_REQUEST, "$SYS.REQ.USER." + a + ".INFO", true);
        }
    }

    private static void importSystem(AccountGraph graph, String sys, String a, String local, String mapped,
                                     boolean share) {
        if (graph.hasServiceImport(a, sys, local)) {
            return;
        }
        ImportOptions imp = new ImportOptions(true, sys, mapped, "", local, share, false, "");
        String problem = graph.addServiceImport(a, imp, AccountGraph.ActivationCheck.NONE, true);
        if (problem != null) {
            LOG.error("Error setting up system service import " + local + " -> " + mapped + " for account: "
                    + problem);
        }
    }

    /**
     * Builds the routing of every account of {@code accounts} (by name) from the graph; returns the accounts whose
     * stream imports changed (their clients' shadow subscriptions need rebuilding).
     */
    static Set<Account> wire(AccountGraph graph, Map<String, Account> accounts,
                             Function<Account, Connection> internalClients) {
        for (Map.Entry<String, Account> entry : accounts.entrySet()) {
            Account a = entry.getValue();
            Map<String, ServiceExport> exports = new LinkedHashMap<>();
            for (ExportOptions e : graph.serviceExports(entry.getKey())) {
                ServiceExport old = a.serviceExports().get(e.subject());
                exports.put(e.subject(), old != null && old.options().equals(e) ? old : new ServiceExport(a, e));
            }
            a.setServiceExports(exports);
        }
        Set<Account> changed = new HashSet<>();
        for (Map.Entry<String, Account> entry : accounts.entrySet()) {
            Account a = entry.getValue();
            List<StreamImport> streams = new ArrayList<>();
            for (AccountGraph.StreamImport g : graph.streamImports(entry.getKey())) {
                streams.add(new StreamImport(accounts.get(g.exporter()), g.from(), g.to(), g.transform(),
                        g.usePublished(), g.options()));
            }
            if (!sameStreamImports(a.streamImports(), streams)) {
                a.setStreamImports(streams);
                changed.add(a);
            }
            List<ServiceImport> services = new ArrayList<>();
            for (AccountGraph.ServiceImport g : graph.serviceImports(entry.getKey())) {
                Account exporter = accounts.get(g.exporter());
                ServiceExport export = g.export() == null ? null : exporter.serviceExports().get(g.export().subject());
                services.add(new ServiceImport(a, exporter, g.from(), g.to(), g.transform(), g.usePublished(), export,
                        g.options(), g.options().share()));
            }
            replaceServiceImports(a, services, internalClients);
        }
        return changed;
    }

    private static void replaceServiceImports(Account a, List<ServiceImport> services,
                                              Function<Account, Connection> internalClients) {
        Connection internal = a.internalClient();
        for (ServiceImport old : a.serviceImports()) {
            if (old.subscription() != null && internal != null) {
                internal.unsubscribeInternal(old.subscription());
            }
        }
        if (internal == null && (!services.isEmpty() || !a.serviceExports().isEmpty())) {
            internal = internalClients.apply(a);
            a.setInternalClient(internal);
        }
        for (ServiceImport si : services) {
            try {
                internal.subscribeServiceImport(si);
            } catch (InvalidSubjectException e) {
                LOG.error("Error adding service import subscription on \"" + si.from() + "\" in account "
                        + a.name() + ": " + e.getMessage());
            }
        }
        a.setServiceImports(services);
    }

    /** A removed account: its service import subscriptions and export timers go. */
    static void retire(Account a) {
        Connection internal = a.internalClient();
        for (ServiceImport si : a.serviceImports()) {
            if (si.subscription() != null && internal != null) {
                internal.unsubscribeInternal(si.subscription());
            }
        }
        a.setServiceImports(List.of());
        a.setServiceExports(Map.of());
        a.setStreamImports(List.of());
    }

    private static boolean sameStreamImports(StreamImport[] current, List<StreamImport> next) {
        if (current.length != next.size()) {
            return false;
        }
        for (int i = 0; i < current.length; i++) {
            StreamImport a = current[i];
            StreamImport b = next.get(i);
            if (a.exporter() != b.exporter() || !a.from().equals(b.from()) || !a.to().equals(b.to())
                    || a.usePublished() != b.usePublished() || !Objects.equals(a.options(), b.options())) {
                return false;
            }
        }
        return true;
    }
}
