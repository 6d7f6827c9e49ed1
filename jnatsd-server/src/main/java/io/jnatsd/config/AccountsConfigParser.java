package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.config.AuthOptions.NkeyUser;
import io.jnatsd.config.AuthOptions.User;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.subject.transform.SubjectMappings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the top-level {@code accounts} block, in its list form ({@code accounts: [A, B]}) or its map form
 * ({@code accounts { A { users, nkey, default_permissions, mappings, limits, exports, imports } }}), with
 * nats-server's keys, checks, error texts and positions ({@code server/opts.go parseAccounts},
 * {@code parseAccountLimits}, {@code parseAccountExports}, {@code parseAccountImports}, {@code parseAccount},
 * {@code parseExportStreamOrService}, {@code parseServiceLatency}, {@code parseImportStreamOrService}).
 * <p>
 * As in nats-server, the exports and imports are then added account by account (all stream exports, all service
 * exports, all stream imports, all service imports) with the authorization, prefix, cycle and duplicate checks of
 * {@link AccountGraph}, but only when the configuration read so far has no error; their errors carry the position
 * of the {@code accounts} key. The accounts' users join the users of {@link AuthOptions}, bound to their account,
 * with the account's {@code default_permissions} given to those that have none.
 * <p>
 * An account's {@code jetstream} key is read by {@link JetStreamConfigParser#parseForAccount};
 * {@code msg_trace}/{@code trace_dest} inside an account are refused as not supported yet.
 * Keys are walked in file order (Go walks maps in random order). Single-threaded: one instance per loaded document.
 */
final class AccountsConfigParser {

    private final ConfDocument document;
    private final List<String> errors;
    private final AuthConfigParser auth;
    private final JetStreamConfigParser jetStream;

    AccountsConfigParser(ConfDocument document, List<String> errors, AuthConfigParser auth,
                         JetStreamConfigParser jetStream) {
        this.document = document;
        this.errors = errors;
        this.auth = auth;
        this.jetStream = jetStream;
    }

    private void error(ConfValue at, String reason) {
        errors.add(at.position() + ": " + reason);
    }

    private void typeMismatch(ConfigLoader.TypeMismatch e) {
        error(e.at, e.getMessage());
    }

    /** An export or import entry as read, before it is checked against the other accounts. */
    private record Pending<T>(String account, T options) {
    }

    /** Applies {@code accounts} to {@code builder}: the accounts, and their users added to the authorization. */
    // nats-server: opts.go parseAccounts
    void apply(ConfValue block, ServerOptions.Builder builder) {
        List<AccountOptions> accounts = new ArrayList<>(builder.accounts());
        List<Pending<ExportOptions>> streamExports = new ArrayList<>();
        List<Pending<ExportOptions>> serviceExports = new ArrayList<>();
        List<Pending<ImportOptions>> streamImports = new ArrayList<>();
        List<Pending<ImportOptions>> serviceImports = new ArrayList<>();
        try {
            if (block.value() instanceof List<?>) {
                Set<String> seen = new HashSet<>();
                for (ConfValue element : ConfigLoader.list(block)) {
                    String name = ConfigLoader.string(element);
                    if (name.equals("$G")) {
                        error(element, GoQuote.quote(name) + " is a Reserved Account");
                        continue;
                    }
                    if (!seen.add(name)) {
                        error(element, "Duplicate Account Entry: " + name);
                        continue;
                    }
                    accounts.add(AccountOptions.named(name));
                }
            } else if (block.value() instanceof Map<?, ?>) {
                for (Map.Entry<String, ConfValue> entry : ConfigLoader.map(block).entrySet()) {
                    ConfValue value = entry.getValue();
                    if (document.isUsedAsVariable(value)) {
                        continue;
                    }
                    if (!(value.value() instanceof Map<?, ?>)) {
                        error(value, "Expected map entries for accounts");
                        continue;
                    }
                    if (entry.getKey().equals("$G")) {
                        error(value, GoQuote.quote(entry.getKey()) + " is a Reserved Account");
                        continue;
                    }
                    AccountOptions account = account(entry.getKey(), value, builder, streamExports, serviceExports,
                            streamImports, serviceImports);
                    accounts.add(account);
                }
            }
        } catch (ConfigLoader.TypeMismatch e) {
            typeMismatch(e);                    // nats-server abandons the whole block on such a panic
            return;
        }
        builder.accounts(accounts);
        if (!errors.isEmpty()) {
            return;                             // nats-server: "Bail already if there are previous errors."
        }
        linkExportsAndImports(block, accounts, builder, streamExports, serviceExports, streamImports,
                serviceImports);
    }

    /** One account of the map form. */
    private AccountOptions account(String name, ConfValue value, ServerOptions.Builder builder,
                                   List<Pending<ExportOptions>> streamExports,
                                   List<Pending<ExportOptions>> serviceExports,
                                   List<Pending<ImportOptions>> streamImports,
                                   List<Pending<ImportOptions>> serviceImports) {
        String nkey = "";
        AuthOptions.Permissions defaults = null;
        SubjectMappings mappings = SubjectMappings.EMPTY;
        AccountOptions.Limits limits = AccountOptions.Limits.UNLIMITED;
        List<ExportOptions> exports = new ArrayList<>();
        List<ImportOptions> imports = new ArrayList<>();
        List<User> users = List.of();
        List<NkeyUser> nkeys = List.of();
        ConfValue usersAt = value;
        JetStreamAccountLimits js = null;
        for (Map.Entry<String, ConfValue> field : ConfigLoader.map(value).entrySet()) {
            ConfValue v = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "nkey" -> {
                    if (!(v.value() instanceof String key) || !NKey.isValidPublicKey(key, NKeyType.ACCOUNT)) {
                        String shown = v.value() instanceof String s ? GoQuote.quote(s)
                                : AuthConfigParser.goValue(v.value());
                        error(v, "Not a valid public nkey for an account: " + shown);
                        continue;
                    }
                    nkey = key;
                }
                case "imports" -> {
                    List<ImportOptions> parsed = imports(v);
                    if (parsed != null) {
                        for (ImportOptions imp : parsed) {
                            imports.add(imp);
                            (imp.service() ? serviceImports : streamImports).add(new Pending<>(name, imp));
                        }
                    }
                }
                case "exports" -> {
                    List<ExportOptions> parsed = exports(v);
                    if (parsed != null) {
                        for (ExportOptions exp : parsed) {
                            exports.add(exp);
                            (exp.service() ? serviceExports : streamExports).add(new Pending<>(name, exp));
                        }
                    }
                }
                case "users" -> {
                    usersAt = v;
                    AuthConfigParser.UsersResult parsed = auth.parseUsers(v);
                    if (parsed != null) {
                        users = parsed.users();
                        nkeys = parsed.nkeys();
                    }
                }
                case "default_permissions" -> {
                    AuthOptions.Permissions p = auth.parsePermissions(v);
                    if (p != null) {
                        defaults = p;
                    }
                }
                case "mappings", "maps" -> mappings = MappingsConfigParser.parse(v, errors);
                case "limits" -> limits = limits(v);
                case "jetstream" -> js = jetStream.parseForAccount(v);
                // a subsystem jnatsd does not have yet
                case "msg_trace", "trace_dest" -> error(v, field.getKey()
                        + " is not supported yet by jnatsd");
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        error(v, "unknown field " + GoQuote.quote(field.getKey()));
                    }
                }
            }
        }
        AccountOptions account = new AccountOptions(name, nkey, defaults, mappings, limits, exports, imports, js);
        addUsers(account, users, nkeys, usersAt, builder);
        return account;
    }

    /** The account's users joined to the others, with nats-server's checks. */
    // nats-server: opts.go parseAccounts (after the keys of one account), applyDefaultPermissions
    private void addUsers(AccountOptions account, List<User> users, List<NkeyUser> nkeys, ConfValue usersAt,
                          ServerOptions.Builder builder) {
        if (users.isEmpty() && nkeys.isEmpty()) {
            return;
        }
        AuthOptions current = builder.authorization();
        if (!current.username().isEmpty()) {
            error(usersAt, "Can not have a single user/pass and accounts");
            return;
        }
        if (!current.token().isEmpty()) {
            error(usersAt, "Can not have a token and accounts");
            return;
        }
        Set<String> names = new HashSet<>();
        current.users().forEach(u -> names.add(u.username()));
        current.nkeys().forEach(u -> names.add(u.nkey()));
        List<NkeyUser> allNkeys = new ArrayList<>(current.nkeys());
        for (NkeyUser u : nkeys) {
            if (!names.add(u.nkey())) {
                error(usersAt, "Duplicate nkey " + GoQuote.quote(u.nkey()) + " detected");
                continue;
            }
            NkeyUser bound = u.withAccount(account.name());
            allNkeys.add(u.permissions() == null ? bound.withPermissions(account.defaultPermissions()) : bound);
        }
        List<User> allUsers = new ArrayList<>(current.users());
        for (User u : users) {
            if (!names.add(u.username())) {
                error(usersAt, "Duplicate user " + GoQuote.quote(u.username()) + " detected");
                continue;
            }
            User bound = u.withAccount(account.name());
            allUsers.add(u.permissions() == null ? bound.withPermissions(account.defaultPermissions()) : bound);
        }
        builder.authorization(current.withUsers(allUsers, allNkeys));
    }

    // nats-server: opts.go parseAccountLimits
    private AccountOptions.Limits limits(ConfValue value) {
        if (!(value.value() instanceof Map<?, ?>)) {
            error(value, "Expected account limits to be a map/struct, got " + AuthConfigParser.goValue(value.value()));
            return AccountOptions.Limits.UNLIMITED;
        }
        int connections = -1;
        int subscriptions = -1;
        int payload = -1;
        int leafNodes = -1;
        try {
            for (Map.Entry<String, ConfValue> field : ConfigLoader.map(value).entrySet()) {
                ConfValue v = field.getValue();
                switch (field.getKey().toLowerCase(Locale.ROOT)) {
                    case "max_connections", "max_conn" -> connections = int32(ConfigLoader.int64(v));
                    case "max_subscriptions", "max_subs" -> subscriptions = int32(ConfigLoader.int64(v));
                    case "max_payload", "max_pay" -> payload = int32(ConfigLoader.int64(v));
                    case "max_leafnodes", "max_leafs" -> leafNodes = int32(ConfigLoader.int64(v));
                    default -> {
                        if (!document.isUsedAsVariable(v)) {
                            error(v, "Unknown field " + GoQuote.quote(field.getKey()) + " parsing account limits");
                        }
                    }
                }
            }
        } catch (ConfigLoader.TypeMismatch e) {
            typeMismatch(e);
        }
        return new AccountOptions.Limits(connections, subscriptions, payload, leafNodes);
    }

    /** Go's {@code int32(v)} conversion: wraps around. */
    private static int int32(long v) {
        return (int) v;
    }

    // nats-server: opts.go parseAccountExports
    private List<ExportOptions> exports(ConfValue value) {
        if (!(value.value() instanceof List<?>)) {
            error(value, "Exports should be an array, got " + ConfigLoader.goType(value.value()));
            return null;
        }
        List<ExportOptions> exports = new ArrayList<>();
        for (ConfValue item : ConfigLoader.list(value)) {
            ExportOptions export;
            try {
                export = export(item);
            } catch (ConfigLoader.TypeMismatch e) {
                typeMismatch(e);
                continue;
            }
            if (export != null) {
                exports.add(export);
            }
        }
        return exports;
    }

    // nats-server: opts.go parseAccountImports
    private List<ImportOptions> imports(ConfValue value) {
        if (!(value.value() instanceof List<?>)) {
            error(value, "Imports should be an array, got " + ConfigLoader.goType(value.value()));
            return null;
        }
        List<ImportOptions> imports = new ArrayList<>();
        for (ConfValue item : ConfigLoader.list(value)) {
            ImportOptions imp;
            try {
                imp = importEntry(item);
            } catch (ConfigLoader.TypeMismatch e) {
                typeMismatch(e);
                continue;
            }
            if (imp == null) {
                continue;
            }
            if (imp.service()) {
                ImportOptions dup = null;
                for (ImportOptions other : imports) {
                    if (other.service() && other.localServiceSubject().equals(imp.localServiceSubject())
                            && other.account().equals(imp.account())) {
                        dup = other;
                        break;
                    }
                }
                if (dup != null) {
                    error(item, "Duplicate service import subject " + GoQuote.quote(imp.localServiceSubject())
                            + ", previously used in import for account " + GoQuote.quote(dup.account())
                            + ", subject " + GoQuote.quote(dup.subject()));
                    continue;
                }
            }
            imports.add(imp);
        }
        return imports;
    }

    // nats-server: opts.go parseExportStreamOrService
    private ExportOptions export(ConfValue item) {
        if (!(item.value() instanceof Map<?, ?>)) {
            error(item, "Export Items should be a map with type entry, got " + ConfigLoader.goType(item.value()));
            return null;
        }
        String stream = null;
        String service = null;
        List<String> accounts = null;
        ExportOptions.ResponseType responseType = null;
        boolean responseSeen = false;
        ConfValue responseAt = null;
        Duration threshold = null;
        boolean thresholdSeen = false;
        ExportOptions.Latency latency = null;
        ConfValue latencyAt = null;
        int tokenPosition = 0;
        boolean allowTrace = false;
        ConfValue allowTraceAt = null;
        for (Map.Entry<String, ConfValue> field : ConfigLoader.map(item).entrySet()) {
            ConfValue v = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "stream" -> {
                    if (service != null) {
                        error(v, "Detected stream " + quoteValue(v) + " but already saw a service");
                        continue;
                    }
                    if (responseAt != null) {
                        error(responseAt, "Detected response directive on non-service");
                        continue;
                    }
                    if (latencyAt != null) {
                        error(latencyAt, "Detected latency directive on non-service");
                        continue;
                    }
                    if (allowTraceAt != null) {
                        error(allowTraceAt, "Detected allow_trace directive on non-service");
                        continue;
                    }
                    if (!(v.value() instanceof String s)) {
                        error(v, "Expected stream name to be string, got " + ConfigLoader.goType(v.value()));
                        continue;
                    }
                    stream = s;
                }
                case "service" -> {
                    if (stream != null) {
                        error(v, "Detected service " + quoteValue(v) + " but already saw a stream");
                        continue;
                    }
                    if (!(v.value() instanceof String s)) {
                        error(v, "Expected service name to be string, got " + ConfigLoader.goType(v.value()));
                        continue;
                    }
                    service = s;
                }
                case "response", "response_type" -> {
                    if (responseSeen) {
                        error(v, "Duplicate response type definition");
                        continue;
                    }
                    responseSeen = true;
                    responseAt = v;
                    if (!(v.value() instanceof String s)) {
                        error(v, "Expected response type to be string, got " + ConfigLoader.goType(v.value()));
                        continue;
                    }
                    switch (s.toLowerCase(Locale.ROOT)) {
                        case "single", "singleton" -> responseType = ExportOptions.ResponseType.SINGLETON;
                        case "stream" -> responseType = ExportOptions.ResponseType.STREAMED;
                        case "chunk", "chunked" -> responseType = ExportOptions.ResponseType.CHUNKED;
                        default -> {
                            error(v, "Unknown response type: " + GoQuote.quote(s));
                            continue;
                        }
                    }
                    if (stream != null) {
                        error(v, "Detected response directive on non-service");
                    }
                }
                case "threshold", "response_threshold", "response_max_time", "response_time" -> {
                    if (thresholdSeen) {
                        error(v, "Duplicate response threshold detected");
                        continue;
                    }
                    thresholdSeen = true;
                    if (!(v.value() instanceof String s)) {
                        error(v, "Expected response threshold to be a parseable time duration, got "
                                + ConfigLoader.goType(v.value()));
                        continue;
                    }
                    try {
                        threshold = GoDuration.parse(s);
                    } catch (IllegalArgumentException e) {
                        error(v, "Expected response threshold to be a parseable time duration, got "
                                + GoQuote.quote(s));
                        continue;
                    }
                    if (stream != null) {
                        error(v, "Detected response directive on non-service");
                    }
                }
                case "accounts" -> {
                    accounts = accounts == null ? new ArrayList<>() : accounts;
                    for (ConfValue name : ConfigLoader.list(v)) {
                        accounts.add(ConfigLoader.string(name));
                    }
                }
                case "latency" -> {
                    latencyAt = v;
                    try {
                        latency = latency(v);
                    } catch (ConfigLoader.TypeMismatch e) {
                        typeMismatch(e);
                        latency = null;
                        continue;
                    }
                    if (latency == null) {
                        continue;
                    }
                    if (stream != null) {
                        error(v, "Detected latency directive on non-service");
                    }
                }
                case "account_token_position" -> tokenPosition = (int) ConfigLoader.int64(v);
                case "allow_trace" -> {
                    allowTraceAt = v;
                    allowTrace = ConfigLoader.bool(v);
                    if (stream != null) {
                        error(v, "Detected allow_trace directive on non-service");
                    }
                }
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        error(v, "unknown field " + GoQuote.quote(field.getKey()));
                    }
                }
            }
        }
        // nats-server: an empty accounts list parses as public (the list stays nil)
        List<String> approved = accounts == null || accounts.isEmpty() ? null : accounts;
        if (service != null) {
            return new ExportOptions(true, service, approved, false, null, responseType, threshold, latency,
                    tokenPosition, allowTrace);
        }
        if (stream != null) {
            return new ExportOptions(false, stream, approved, false, null, null, null, null, tokenPosition, false);
        }
        return null;
    }

    /** Latency tracking of a service export; null after recording its error. */
    // nats-server: opts.go parseServiceLatency
    private ExportOptions.Latency latency(ConfValue value) {
        if (value.value() instanceof String subject) {
            return new ExportOptions.Latency(subject, ExportOptions.Latency.DEFAULT_SAMPLING);
        }
        if (!(value.value() instanceof Map<?, ?>)) {
            error(value, "Expected latency entry to be a map/struct or string, got "
                    + ConfigLoader.goType(value.value()));
            return null;
        }
        Map<String, ConfValue> map = ConfigLoader.map(value);
        int sampling = ExportOptions.Latency.DEFAULT_SAMPLING;
        ConfValue samplingValue = map.get("sampling");        // nats-server looks these keys up case-sensitively
        if (samplingValue != null) {
            boolean headers = false;
            long sample;
            switch (samplingValue.value()) {
                case Long n -> sample = n;
                case String s -> {
                    if (s.strip().toLowerCase(Locale.ROOT).equals("headers")) {
                        headers = true;
                        sample = 0;
                    } else {
                        String digits = s.endsWith("%") ? s.substring(0, s.length() - 1) : s;
                        try {
                            sample = atoi(digits);
                        } catch (IllegalArgumentException e) {
                            error(samplingValue, "Failed to parse latency sample: strconv.Atoi: parsing "
                                    + GoQuote.quote(digits) + ": " + e.getMessage());
                            return null;
                        }
                    }
                }
                default -> {
                    error(samplingValue, "Expected latency sample to be a string or map/struct, got "
                            + ConfigLoader.goType(samplingValue.value()));
                    return null;
                }
            }
            if (!headers && (sample < 1 || sample > 100)) {
                error(samplingValue, AccountGraph.ERR_BAD_SAMPLING);
                return null;
            }
            sampling = (int) sample;
        }
        ConfValue subject = map.get("subject");
        if (subject == null) {
            error(value, "Latency subject required, but missing");
            return null;
        }
        if (!(subject.value() instanceof String s)) {
            // nats-server prints the type of its (still empty) string variable here
            error(subject, "Expected latency subject to be a string, got string");
            return null;
        }
        return new ExportOptions.Latency(s, sampling);
    }

    // nats-server: opts.go parseImportStreamOrService, parseAccount
    private ImportOptions importEntry(ConfValue item) {
        if (!(item.value() instanceof Map<?, ?>)) {
            error(item, "Import Items should be a map with type entry, got " + ConfigLoader.goType(item.value()));
            return null;
        }
        String[] stream = null;
        String[] service = null;
        String prefix = "";
        String to = "";
        boolean share = false;
        boolean allowTrace = false;
        ConfValue allowTraceAt = null;
        for (Map.Entry<String, ConfValue> field : ConfigLoader.map(item).entrySet()) {
            ConfValue v = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "stream" -> {
                    if (service != null) {
                        error(v, "Detected stream but already saw a service");
                        continue;
                    }
                    String[] ref = importReference(v, "Stream");
                    if (ref != null) {
                        stream = ref;
                    }
                }
                case "service" -> {
                    if (stream != null) {
                        error(v, "Detected service but already saw a stream");
                        continue;
                    }
                    if (allowTraceAt != null) {
                        error(allowTraceAt, "Detected allow_trace directive on a non-stream");
                        continue;
                    }
                    String[] ref = importReference(v, "Service");
                    if (ref != null) {
                        service = ref;
                    }
                }
                case "prefix" -> prefix = ConfigLoader.string(v);
                case "to" -> {
                    to = ConfigLoader.string(v);
                    if (stream != null && !prefix.isEmpty()) {
                        error(v, "Stream import can not have a 'prefix' and a 'to' property");
                    }
                }
                case "share" -> share = ConfigLoader.bool(v);
                case "allow_trace" -> {
                    if (service != null) {
                        error(v, "Detected allow_trace directive on a non-stream");
                        continue;
                    }
                    allowTrace = ConfigLoader.bool(v);
                    allowTraceAt = v;
                }
                default -> {
                    if (!document.isUsedAsVariable(v)) {
                        error(v, "unknown field " + GoQuote.quote(field.getKey()));
                    }
                }
            }
        }
        if (stream != null) {
            return new ImportOptions(false, stream[0], stream[1], prefix, to, false, allowTrace, "");
        }
        if (service != null) {
            return new ImportOptions(true, service[0], service[1], "", to, share, false, "");
        }
        return null;
    }

    /** {@code {account, subject}}; empty strings for what is missing or after a type error (recorded). */
    // nats-server: opts.go parseAccount
    /**
     * The {@code account} and {@code subject} of an import's {@code stream} or {@code service} map ({@code kind}
     * names it in the errors), or null after reporting nats-server's error.
     */
    private String[] importReference(ConfValue v, String kind) {
        if (!(v.value() instanceof Map<?, ?>)) {
            error(v, kind + " entry should be an account map, got " + ConfigLoader.goType(v.value()));
            return null;
        }
        String[] ref = accountReference(v);
        if (ref[0].isEmpty() || ref[1].isEmpty()) {
            error(v, "Expect an account name and a subject");
            return null;
        }
        return ref;
    }

    private String[] accountReference(ConfValue value) {
        String account = "";
        String subject = "";
        try {
            for (Map.Entry<String, ConfValue> field : ConfigLoader.map(value).entrySet()) {
                ConfValue v = field.getValue();
                switch (field.getKey().toLowerCase(Locale.ROOT)) {
                    case "account" -> account = ConfigLoader.string(v);
                    case "subject" -> subject = ConfigLoader.string(v);
                    default -> {
                        if (!document.isUsedAsVariable(v)) {
                            error(v, "unknown field " + GoQuote.quote(field.getKey()));
                        }
                    }
                }
            }
        } catch (ConfigLoader.TypeMismatch e) {
            typeMismatch(e);
            return new String[] {"", ""};
        }
        return new String[] {account, subject};
    }

    /** Go's {@code strconv.Atoi}: decimal digits with an optional sign; the message is Go's error reason. */
    static long atoi(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            throw new IllegalArgumentException("invalid syntax");
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("invalid syntax");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value out of range");
        }
    }

    private static String quoteValue(ConfValue v) {
        return v.value() instanceof String s ? GoQuote.quote(s) : AuthConfigParser.goValue(v.value());
    }

    /**
     * Adds the exports, then the imports, of every account to an {@link AccountGraph}, reporting what nats-server
     * reports at the position of the {@code accounts} key.
     */
    // nats-server: opts.go parseAccounts (after "Parse Imports and Exports here after all accounts defined.")
    private void linkExportsAndImports(ConfValue block, List<AccountOptions> accounts, ServerOptions.Builder builder,
                                       List<Pending<ExportOptions>> streamExports,
                                       List<Pending<ExportOptions>> serviceExports,
                                       List<Pending<ImportOptions>> streamImports,
                                       List<Pending<ImportOptions>> serviceImports) {
        AccountGraph graph = new AccountGraph();
        Set<String> names = new LinkedHashSet<>();
        for (AccountOptions a : accounts) {
            graph.addAccount(a.name());
            names.add(a.name());
        }
        for (Pending<ExportOptions> p : streamExports) {
            ExportOptions e = knownAccounts(block, p.options(), names, "stream export");
            String problem = graph.addStreamExport(p.account(), e);
            if (problem != null) {
                error(block, "Error adding stream export " + GoQuote.quote(e.subject()) + ": " + problem);
            }
        }
        for (Pending<ExportOptions> p : serviceExports) {
            ExportOptions e = knownAccounts(block, p.options(), names, "service export");
            String problem = graph.addServiceExport(p.account(), e);
            if (problem != null) {
                error(block, "Error adding service export " + GoQuote.quote(e.subject()) + ": " + problem);
                continue;
            }
            if (e.latency() != null) {
                if (builder.noSystemAccount()) {
                    error(block, "Error adding service latency sampling for " + GoQuote.quote(e.subject()) + ": "
                            + AccountGraph.ERR_NO_SYSTEM_ACCOUNT);
                    continue;
                }
                problem = graph.latencyProblem(p.account(), e);
                if (problem != null) {
                    error(block, "Error adding service latency sampling for " + GoQuote.quote(e.subject())
                            + " on subject " + GoQuote.quote(e.latency().subject()) + ": " + problem);
                }
            }
        }
        for (Pending<ImportOptions> p : streamImports) {
            ImportOptions imp = p.options();
            if (!names.contains(imp.account())) {
                error(block, GoQuote.quote(imp.account()) + " account not defined for stream import");
                continue;
            }
            String problem = graph.addStreamImport(p.account(), imp, AccountGraph.ActivationCheck.NONE);
            if (problem != null) {
                error(block, "Error adding stream import " + GoQuote.quote(imp.subject()) + ": " + problem);
            }
        }
        for (Pending<ImportOptions> p : serviceImports) {
            ImportOptions imp = p.options();
            if (!names.contains(imp.account())) {
                error(block, GoQuote.quote(imp.account()) + " account not defined for service import");
                continue;
            }
            String problem = graph.addServiceImport(p.account(), imp, AccountGraph.ActivationCheck.NONE, false);
            if (problem != null) {
                error(block, "Error adding service import " + GoQuote.quote(imp.subject()) + ": " + problem);
            }
        }
    }

    /** The export with its approved accounts limited to defined ones, reporting each undefined one. */
    private ExportOptions knownAccounts(ConfValue block, ExportOptions e, Set<String> names, String what) {
        if (e.accounts() == null) {
            return e;
        }
        List<String> known = new ArrayList<>();
        for (String name : e.accounts()) {
            if (names.contains(name)) {
                known.add(name);
            } else {
                error(block, GoQuote.quote(name) + " account not defined for " + what);
            }
        }
        return e.withAccounts(known.isEmpty() ? null : known);
    }
}
