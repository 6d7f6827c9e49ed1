package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectTransform;
import io.jnatsd.subject.transform.SubjectTransformException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exports and imports of a set of accounts, added one by one with nats-server's checks and error texts
 * ({@code server/accounts.go}: {@code addStreamExportWithAccountPos}, {@code addServiceExportWithResponseAndAccountPos},
 * {@code TrackServiceExportWithSampling}, {@code addStreamImportWithClaim}, {@code addMappedStreamImportWithClaim},
 * {@code addServiceImportWithClaim}, {@code checkAuth}, the cycle searches and the duplicate checks). What it
 * accepts is resolved: the local and remote subjects of each import and the transform between them.
 * <p>
 * The config loader fills one while reading the {@code accounts} block (so {@code -t} reports import errors, as in
 * nats-server); the server builds its routing from the result, and operator mode fills one from the account JWTs
 * it has loaded. Several exports overlapping an import subject are tried in insertion order (nats-server walks a Go
 * map, in random order).
 * <p>
 * Not thread-safe: filled by one thread, then only read.
 */
public final class AccountGraph {

    /** nats-server's bound on the accounts a cycle search visits ({@code MaxAccountCycleSearchDepth}). */
    static final int MAX_CYCLE_SEARCH_DEPTH = 1024;

    /** nats-server's error texts ({@code server/errors.go}, {@code server/sublist.go}). */
    public static final String ERR_INVALID_SUBJECT = "sublist: invalid subject";
    public static final String ERR_MISSING_ACCOUNT = "account missing";
    public static final String ERR_STREAM_IMPORT_AUTHORIZATION = "stream import not authorized";
    public static final String ERR_STREAM_IMPORT_BAD_PREFIX = "stream import prefix can not contain wildcard tokens";
    public static final String ERR_STREAM_IMPORT_DUPLICATE = "stream import already exists";
    public static final String ERR_SERVICE_IMPORT_AUTHORIZATION = "service import not authorized";
    public static final String ERR_IMPORT_FORMS_CYCLE = "import forms a cycle";
    public static final String ERR_CYCLE_SEARCH_DEPTH = "search cycle depth exhausted";
    public static final String ERR_BAD_PUBLISH_SUBJECT = "invalid publish subject";
    public static final String ERR_BAD_SERVICE_TYPE = "bad service response type";
    public static final String ERR_BAD_SAMPLING = "bad sampling percentage, should be 1-100";
    public static final String ERR_NO_SYSTEM_ACCOUNT = "system account not setup";

    /**
     * Decides an import of a token-required export: whether {@code importer}'s activation token (in
     * {@code imp.token()}) lets it import from {@code exporter} ({@code server/accounts.go checkActivation}).
     */
    @FunctionalInterface
    public interface ActivationCheck {
        /** Never authorizes (config mode has no activation tokens). */
        ActivationCheck NONE = (exporter, export, importer, imp) -> false;

        boolean authorized(String exporter, ExportOptions export, String importer, ImportOptions imp);
    }

    /**
     * An accepted stream import: messages the exporter publishes on subjects matching {@code from} are delivered
     * in the importing account on {@code to}: the published subject itself ({@code usePublished}), its image
     * through {@code transform}, or the literal {@code to}.
     *
     * @param exporter     the exporting account
     * @param from         the subject (pattern) in the exporting account
     * @param to           the subject (pattern) in the importing account
     * @param transform    exporter subject to local subject, or null
     * @param usePublished whether the local subject is the published one
     * @param options      the import as configured
     */
    public record StreamImport(String exporter, String from, String to, SubjectTransform transform,
                               boolean usePublished, ImportOptions options) {
    }

    /**
     * An accepted service import: requests published in the importing account on subjects matching {@code from}
     * go to the exporter on {@code to}: the published subject itself ({@code usePublished}), its image through
     * {@code transform}, or the literal {@code to}.
     *
     * @param exporter     the exporting account
     * @param from         the local subject (pattern) the importing account publishes on
     * @param to           the subject in the exporting account
     * @param transform    local subject to exporter subject, or null
     * @param usePublished whether the exporter subject is the published one
     * @param export       the matching service export of the exporter (its response type, threshold, latency)
     * @param options      the import as configured
     */
    public record ServiceImport(String exporter, String from, String to, SubjectTransform transform,
                                boolean usePublished, ExportOptions export, ImportOptions options) {
    }

    private static final class Node {
        final Map<String, ExportOptions> streamExports = new LinkedHashMap<>();
        final Map<String, ExportOptions> serviceExports = new LinkedHashMap<>();
        final List<StreamImport> streamImports = new ArrayList<>();
        final Map<String, List<ServiceImport>> serviceImports = new LinkedHashMap<>();
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    /** Adds an account without exports or imports (no-op when it is known). */
    public void addAccount(String name) {
        nodes.computeIfAbsent(name, n -> new Node());
    }

    /** Whether {@code name} was added. */
    public boolean hasAccount(String name) {
        return nodes.containsKey(name);
    }

    /** The accounts, in the order they were added. */
    public Set<String> accounts() {
        return nodes.keySet();
    }

    private Node node(String account) {
        Node n = nodes.get(account);
        if (n == null) {
            throw new IllegalArgumentException("unknown account: " + account);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------ exports

    /**
     * Adds (or replaces) a stream export of {@code account}.
     *
     * @return null, or nats-server's error ({@code sublist: invalid subject} for a bad account token position)
     */
    // nats-server: accounts.go addStreamExportWithAccountPos, setExportAuth
    public String addStreamExport(String account, ExportOptions export) {
        String problem = checkAccountTokenPosition(export);
        if (problem != null) {
            return problem;
        }
        node(account).streamExports.put(export.subject(), export);
        return null;
    }

    /**
     * Adds (or replaces) a service export of {@code account}, without its latency tracking (see
     * {@link #latencyProblem}).
     *
     * @return null, or nats-server's error
     */
    // nats-server: accounts.go addServiceExportWithResponseAndAccountPos, setExportAuth
    public String addServiceExport(String account, ExportOptions export) {
        String problem = checkAccountTokenPosition(export);
        if (problem != null) {
            return problem;
        }
        node(account).serviceExports.put(export.subject(), export);
        return null;
    }

    private static String checkAccountTokenPosition(ExportOptions export) {
        int pos = export.accountTokenPosition();
        if (pos > 0) {
            String[] tokens = export.subject().split("\\.", -1);
            if (tokens.length < pos || !tokens[pos - 1].equals("*")) {
                return ERR_INVALID_SUBJECT;
            }
        }
        return null;
    }

    /**
     * Whether the latency tracking of {@code export} (a service export of {@code account}, already added) can be
     * enabled: its results subject must be a valid publish subject that is not itself an exported service, and
     * only singleton services are tracked.
     *
     * @return null, or nats-server's error
     */
    // nats-server: accounts.go TrackServiceExportWithSampling
    public String latencyProblem(String account, ExportOptions export) {
        ExportOptions.Latency latency = export.latency();
        if (latency == null) {
            return null;
        }
        int sampling = latency.samplingPercent();
        if (sampling != ExportOptions.Latency.HEADER_SAMPLING && (sampling < 1 || sampling > 100)) {
            return ERR_BAD_SAMPLING;
        }
        if (!Subjects.isValidPublishSubject(latency.subject()) || isExportedService(account, latency.subject())) {
            return ERR_BAD_PUBLISH_SUBJECT;
        }
        if (export.responseType() != ExportOptions.ResponseType.SINGLETON) {
            return ERR_BAD_SERVICE_TYPE;
        }
        return null;
    }

    /** Whether {@code subject} is (a subset of) a service {@code account} exports. */
    // nats-server: accounts.go IsExportService
    public boolean isExportedService(String account, String subject) {
        Node n = node(account);
        if (n.serviceExports.containsKey(subject)) {
            return true;
        }
        for (String exported : n.serviceExports.keySet()) {
            if (Subjects.subjectMatchesFilter(subject, exported)) {
                return true;
            }
        }
        return false;
    }

    /** The service export of {@code account} that {@code subject} falls under, or null. */
    // nats-server: accounts.go getServiceExport, getWildcardServiceExport
    public ExportOptions serviceExport(String account, String subject) {
        Node n = nodes.get(account);
        if (n == null) {
            return null;
        }
        ExportOptions exact = n.serviceExports.get(subject);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, ExportOptions> e : n.serviceExports.entrySet()) {
            if (Subjects.subjectMatchesFilter(subject, e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The stream exports of {@code account}, by subject. */
    public Map<String, ExportOptions> streamExports(String account) {
        return Map.copyOf(node(account).streamExports);
    }

    /** The service exports of {@code account}, by subject, in insertion order. */
    public List<ExportOptions> serviceExports(String account) {
        return List.copyOf(node(account).serviceExports.values());
    }

    // ------------------------------------------------------------------------------------------------ imports

    /**
     * Adds a stream import of {@code importer} (with a prefix, a {@code to} mapping or neither).
     *
     * @return null, or nats-server's error ({@code stream import not authorized}, {@code stream import prefix can
     *         not contain wildcard tokens}, {@code import forms a cycle}, {@code failed to create mapping transform
     *         ...}, {@code stream import already exists})
     */
    // nats-server: accounts.go addStreamImportWithClaim, addMappedStreamImportWithClaim
    public String addStreamImport(String importer, ImportOptions imp, ActivationCheck activation) {
        Node exporter = nodes.get(imp.account());
        if (exporter == null) {
            return ERR_MISSING_ACCOUNT;
        }
        String from = imp.subject();
        if (!streamImportAuthorized(imp.account(), exporter, importer, from, imp, activation)) {
            return ERR_STREAM_IMPORT_AUTHORIZATION;
        }
        String to = imp.to();
        if (!imp.prefix().isEmpty()) {
            String prefix = imp.prefix();
            if (!Subjects.subjectIsLiteral(prefix)) {
                return ERR_STREAM_IMPORT_BAD_PREFIX;
            }
            if (!prefix.endsWith(".")) {
                prefix = prefix + ".";
            }
            to = prefix + from;
        }
        if (to.isEmpty()) {
            to = from;
        }
        Set<String> visited = new HashSet<>();
        visited.add(importer);
        String cycle = streamCycle(imp.account(), to, visited);
        if (cycle == null) {
            visited = new HashSet<>();
            visited.add(importer);
            cycle = streamCycle(imp.account(), from, visited);
        }
        if (cycle != null) {
            return cycle;
        }
        boolean usePublished = false;
        SubjectTransform transform = null;
        if (!Subjects.subjectIsLiteral(from)) {
            if (to.equals(from)) {
                usePublished = true;
            } else {
                try {
                    transform = SubjectTransform.compileForImport(from, tokenize(to));
                } catch (SubjectTransformException e) {
                    return "failed to create mapping transform for stream import subject from " + GoQuote.quote(from)
                            + " to " + GoQuote.quote(to) + ": " + e.getMessage();
                }
                to = untokenize(to);
            }
        }
        Node local = node(importer);
        for (StreamImport existing : local.streamImports) {
            if (existing.exporter().equals(imp.account()) && existing.from().equals(from)) {
                return ERR_STREAM_IMPORT_DUPLICATE;
            }
        }
        local.streamImports.add(new StreamImport(imp.account(), from, to, transform, usePublished, imp));
        return null;
    }

    /**
     * Adds a service import of {@code importer}: requests on {@link ImportOptions#localServiceSubject()} go to the
     * exporter's {@link ImportOptions#subject()}. {@code internal} imports (the system account's) skip the
     * authorization check.
     *
     * @return null, or nats-server's error ({@code service import not authorized}, {@code import forms a cycle},
     *         {@code duplicate service import subject ...}, {@code failed to create mapping transform ...})
     */
    // nats-server: accounts.go addServiceImportWithClaim, addServiceImport
    public String addServiceImport(String importer, ImportOptions imp, ActivationCheck activation, boolean internal) {
        Node exporter = nodes.get(imp.account());
        if (exporter == null) {
            return ERR_MISSING_ACCOUNT;
        }
        String from = imp.localServiceSubject();
        String to = imp.subject();
        if (!Subjects.isValidSubject(from) || !Subjects.isValidSubject(to)) {
            return ERR_INVALID_SUBJECT;
        }
        if (!internal && !serviceImportAuthorized(imp.account(), exporter, importer, to, imp, activation)) {
            return ERR_SERVICE_IMPORT_AUTHORIZATION;
        }
        String fromForCycle = Subjects.subjectIsLiteral(to) ? from : untokenize(from);
        Set<String> visited = new HashSet<>();
        visited.add(importer);
        String cycle = serviceCycle(imp.account(), fromForCycle, visited);
        if (cycle != null) {
            return cycle;
        }
        ExportOptions export = serviceExport(imp.account(), to);
        Node local = node(importer);
        List<ServiceImport> sameFrom = local.serviceImports.get(from);
        if (sameFrom != null) {
            for (ServiceImport dup : sameFrom) {
                if (dup.exporter().equals(imp.account())) {
                    return "duplicate service import subject " + GoQuote.quote(from)
                            + ", previously used in import for account " + GoQuote.quote(dup.exporter())
                            + ", subject " + GoQuote.quote(dup.to());
                }
            }
        }
        boolean usePublished = false;
        SubjectTransform transform = null;
        if (!Subjects.subjectIsLiteral(to)) {
            if (to.equals(from)) {
                usePublished = true;
            } else {
                to = untokenize(to);
                try {
                    transform = SubjectTransform.compileForImport(to, tokenize(from));
                } catch (SubjectTransformException e) {
                    return "failed to create mapping transform for service import subject from "
                            + GoQuote.quote(from) + " to " + GoQuote.quote(to) + ": " + e.getMessage();
                }
                from = untokenize(from);
                transform = transform == null ? null : transform.reverse();
            }
        }
        local.serviceImports.computeIfAbsent(from, k -> new ArrayList<>())
                .add(new ServiceImport(imp.account(), from, to, transform, usePublished, export, imp));
        return null;
    }

    /** Whether {@code importer} already imports {@code from} (its local subject) from {@code exporter}. */
    // nats-server: accounts.go serviceImportExists
    public boolean hasServiceImport(String importer, String exporter, String from) {
        List<ServiceImport> list = node(importer).serviceImports.get(from);
        if (list != null) {
            for (ServiceImport si : list) {
                if (si.exporter().equals(exporter)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The stream imports of {@code account}, in the order they were added. */
    public List<StreamImport> streamImports(String account) {
        return List.copyOf(node(account).streamImports);
    }

    /** The service imports of {@code account}, in the order they were added. */
    public List<ServiceImport> serviceImports(String account) {
        List<ServiceImport> all = new ArrayList<>();
        node(account).serviceImports.values().forEach(all::addAll);
        return all;
    }

    // nats-server: accounts.go checkStreamImportAuthorizedNoLock, checkStreamExportApproved
    private boolean streamImportAuthorized(String exporterName, Node exporter, String importer, String subject,
                                           ImportOptions imp, ActivationCheck activation) {
        if (exporter.streamExports.isEmpty() || !Subjects.isValidSubject(subject)) {
            return false;
        }
        return approved(exporterName, exporter.streamExports, importer, subject, imp, activation);
    }

    // nats-server: accounts.go checkServiceImportAuthorizedNoLock, checkServiceExportApproved
    private boolean serviceImportAuthorized(String exporterName, Node exporter, String importer, String subject,
                                            ImportOptions imp, ActivationCheck activation) {
        if (exporter.serviceExports.isEmpty()) {
            return false;
        }
        return approved(exporterName, exporter.serviceExports, importer, subject, imp, activation);
    }

    private static boolean approved(String exporterName, Map<String, ExportOptions> exports, String importer,
                                    String subject, ImportOptions imp, ActivationCheck activation) {
        ExportOptions exact = exports.get(subject);
        if (exact != null) {
            // nats-server passes no tokens for an exact match, so an account token position never passes here
            return checkAuth(exporterName, exact, importer, imp, null, activation);
        }
        String[] tokens = subject.split("\\.", -1);
        for (Map.Entry<String, ExportOptions> e : exports.entrySet()) {
            if (Subjects.subjectMatchesFilter(subject, e.getKey())) {
                return checkAuth(exporterName, e.getValue(), importer, imp, tokens, activation);
            }
        }
        return false;
    }

    // nats-server: accounts.go checkAuth
    private static boolean checkAuth(String exporterName, ExportOptions export, String importer, ImportOptions imp,
                                     String[] tokens, ActivationCheck activation) {
        if (export.isPublic()) {
            return true;
        }
        int pos = export.accountTokenPosition();
        if (pos > 0) {
            return tokens != null && pos <= tokens.length && tokens[pos - 1].equals(importer);
        }
        if (export.tokenRequired()) {
            return activation != null && activation.authorized(exporterName, export, importer, imp);
        }
        return export.accounts() != null && export.accounts().contains(importer);
    }

    // nats-server: accounts.go checkStreamImportsForCycles
    private String streamCycle(String account, String to, Set<String> visited) {
        if (visited.size() >= MAX_CYCLE_SEARCH_DEPTH) {
            return ERR_CYCLE_SEARCH_DEPTH;
        }
        Node n = nodes.get(account);
        if (n == null) {
            return null;
        }
        boolean exported = false;
        for (String subject : n.streamExports.keySet()) {
            if (Subjects.subjectMatchesFilter(to, subject)) {
                exported = true;
                break;
            }
        }
        if (!exported) {
            return null;
        }
        for (StreamImport si : List.copyOf(n.streamImports)) {
            if (Subjects.subjectsCollide(to, si.to())) {
                if (visited.contains(si.exporter())) {
                    return ERR_IMPORT_FORMS_CYCLE;
                }
                visited.add(account);
                String t = Subjects.subjectMatchesFilter(si.to(), to) ? si.to() : to;
                String problem = streamCycle(si.exporter(), t, visited);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    // nats-server: accounts.go checkServiceImportsForCycles
    private String serviceCycle(String account, String from, Set<String> visited) {
        if (visited.size() >= MAX_CYCLE_SEARCH_DEPTH) {
            return ERR_CYCLE_SEARCH_DEPTH;
        }
        Node n = nodes.get(account);
        if (n == null) {
            return null;
        }
        for (List<ServiceImport> list : List.copyOf(n.serviceImports.values())) {
            for (ServiceImport si : list) {
                if (Subjects.subjectsCollide(from, si.to())) {
                    if (visited.contains(si.exporter())) {
                        return ERR_IMPORT_FORMS_CYCLE;
                    }
                    visited.add(account);
                    String f = Subjects.subjectMatchesFilter(si.from(), from) ? si.from() : from;
                    String problem = serviceCycle(si.exporter(), f, visited);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
        }
        return null;
    }

    /** {@code *} tokens become {@code $1}, {@code $2}, ... ({@code subject_transform.go transformTokenize}). */
    static String tokenize(String subject) {
        StringBuilder out = new StringBuilder(subject.length() + 8);
        int ordinal = 1;
        for (String token : subject.split("\\.", -1)) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(token.equals("*") ? "$" + ordinal++ : token);
        }
        return out.toString();
    }

    /**
     * {@code $N} and {@code {{wildcard(N)}}} tokens become {@code *} ({@code subject_transform.go
     * transformUntokenize}).
     */
    static String untokenize(String subject) {
        StringBuilder out = new StringBuilder(subject.length());
        for (String token : subject.split("\\.", -1)) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(isWildcardReference(token) ? "*" : token);
        }
        return out.toString();
    }

    private static boolean isWildcardReference(String token) {
        if (token.length() > 1 && token.charAt(0) == '$' && token.charAt(1) >= '1' && token.charAt(1) <= '9') {
            return true;
        }
        String t = token.strip();
        if (!t.startsWith("{{") || !t.endsWith("}}")) {
            return false;
        }
        String inner = t.substring(2, t.length() - 2).strip();
        int open = inner.indexOf('(');
        if (open < 0 || !inner.endsWith(")") || !inner.substring(0, open).strip().equalsIgnoreCase("wildcard")) {
            return false;
        }
        String args = inner.substring(open + 1, inner.length() - 1).strip();
        return !args.isEmpty() && !args.contains(",");
    }
}
