package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.jwt.CredsFile;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operator-mode keys of a config file into {@link OperatorOptions}, with nats-server's aliases, checks
 * and error texts ({@code server/opts.go processConfigFileLine}: {@code operator}, {@code resolver},
 * {@code resolver_preload}, {@code resolver_pinned_accounts}, {@code system_account}, {@code trusted};
 * {@code server/jwt.go readOperatorJWT}). Errors are appended as {@code <file>:<line>:<col>: <reason>}.
 * Single-threaded: one instance per loaded document.
 */
final class OperatorConfigParser {

    /** The keys this parser handles (lower case). */
    static final Set<String> KEYS = Set.of("operator", "operators", "roots", "root", "root_operators",
            "root_operator", "resolver", "account_resolver", "accounts_resolver", "resolver_preload",
            "resolver_pinned_accounts", "trusted", "trusted_keys", "system_account", "system");

    private static final String JWT_PREFIX = "eyJ";
    private static final Pattern MEMORY_RESOLVER = Pattern.compile("(?i)(MEM|MEMORY)\\s*");
    private static final Pattern URL_RESOLVER =
            Pattern.compile("(?i)(?:URL)(?:\\(\\s*\"?([^\\s\"]*)\"?\\s*\\))?\\s*");

    private final List<String> errors;
    private boolean resolverSet;

    OperatorConfigParser(List<String> errors) {
        this.errors = errors;
    }

    private void error(ConfValue at, String reason) {
        errors.add(at.position() + ": " + reason);
    }

    /** Applies operator key {@code lowerKey} (one of {@link #KEYS}). */
    void apply(String lowerKey, ConfValue value, ServerOptions.Builder builder) {
        OperatorOptions current = builder.operator();
        OperatorOptions next = switch (lowerKey) {
            case "operator", "operators", "roots", "root", "root_operators", "root_operator" ->
                    operators(value, current);
            case "resolver", "account_resolver", "accounts_resolver" -> resolver(value, current);
            case "resolver_preload" -> preload(value, current);
            case "resolver_pinned_accounts" -> current.withPinnedAccounts(stringSet(value,
                    "resolver_pinned_accounts"));
            case "trusted", "trusted_keys" -> trusted(value, current);
            case "system_account", "system" -> current.withSystemAccount(ConfigLoader.string(value));
            default -> throw new IllegalArgumentException("not an operator key: " + lowerKey);
        };
        builder.operator(next);
    }

    // nats-server: opts.go processConfigFileLine "operator", jwt.go readOperatorJWT
    private OperatorOptions operators(ConfValue value, OperatorOptions current) {
        List<String> files = new ArrayList<>();
        if (value.value() instanceof String s) {
            files.add(s);
        } else if (value.value() instanceof List<?> list) {
            for (Object element : list) {
                if (((ConfValue) element).value() instanceof String s) {
                    files.add(s);
                } else {
                    error(value, "error parsing operators: unsupported type *conf.token where string is expected");
                    break;
                }
            }
        } else {
            error(value, "error parsing operators: unsupported type " + ConfigLoader.goType(value.value()));
        }
        List<String> jwts = new ArrayList<>();
        String operatorSystemAccount = "";
        String accountServerUrl = "";
        for (String file : files) {
            try {
                String token = readOperatorJwt(file);
                Jwt jwt = JwtCodec.decode(token);
                var claims = jwt.operator();
                jwts.add(token);
                operatorSystemAccount = claims.systemAccount();
                accountServerUrl = claims.accountServerUrl();
            } catch (IOException | JwtException e) {
                error(value, "error parsing operator JWT: " + e.getMessage());
            }
        }
        OperatorOptions next = current.withOperatorJwts(jwts);
        if (jwts.size() == 1) {
            if (!resolverSet && !accountServerUrl.isEmpty()) {
                next = next.withResolver(OperatorOptions.Resolver.url(accountServerUrl + "/accounts"));
            }
            if (next.systemAccount().isEmpty()) {
                next = next.withSystemAccount(operatorSystemAccount);
            }
        }
        return next;
    }

    /** The operator JWT of a file (decorated or bare), or the value itself when no file exists and it is a JWT. */
    static String readOperatorJwt(String fileOrJwt) throws IOException {
        String contents;
        try {
            contents = Files.readString(Path.of(fileOrJwt), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            if (!fileOrJwt.startsWith(JWT_PREFIX)) {
                throw e instanceof IOException io ? new IOException("open " + fileOrJwt
                        + ": no such file or directory", io) : new IOException(e.getMessage(), e);
            }
            contents = fileOrJwt;
        }
        return CredsFile.parse(contents).jwt();
    }

    // nats-server: opts.go processConfigFileLine "resolver"
    private OperatorOptions resolver(ConfValue value, OperatorOptions current) {
        resolverSet = true;
        OperatorOptions.Resolver resolver = null;
        if (value.value() instanceof String text) {
            Matcher url = URL_RESOLVER.matcher(text);
            if (MEMORY_RESOLVER.matcher(text).find()) {
                resolver = OperatorOptions.Resolver.MEMORY;
            } else if (url.find() && url.group(1) != null) {
                String address = url.group(1);
                try {
                    java.net.URI uri = new java.net.URI(address);
                    if (uri.getScheme() == null || uri.getHost() == null) {
                        throw new java.net.URISyntaxException(address, "missing scheme or host");
                    }
                } catch (java.net.URISyntaxException e) {
                    error(value, "error parsing account resolver url \"" + address + "\": " + e.getMessage());
                    return current;
                }
                resolver = OperatorOptions.Resolver.url(address);
            }
        } else if (value.value() instanceof Map<?, ?>) {
            resolver = directoryResolver(value);
            if (resolver == null) {
                return current;
            }
        } else {
            error(value, "error parsing operator resolver, wrong type " + ConfigLoader.goType(value.value()));
            return current;
        }
        if (resolver == null) {
            error(value, "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing dir "
                    + "and type state=[FULL|CACHE])");
            return current.withResolver(OperatorOptions.Resolver.NONE);
        }
        return current.withResolver(resolver);
    }

    private OperatorOptions.Resolver directoryResolver(ConfValue value) {
        Map<String, ConfValue> map = ConfigLoader.map(value);
        String dir = "";
        String type = "";
        boolean allowDelete = false;
        boolean hardDelete = false;
        boolean hardDeleteSet = false;
        long limit = 0;
        Duration ttl = Duration.ZERO;
        Duration interval = Duration.ZERO;
        Duration timeout = Duration.ZERO;
        for (Map.Entry<String, ConfValue> e : map.entrySet()) {
            ConfValue v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "dir" -> dir = ConfigLoader.string(v);
                    case "type" -> type = ConfigLoader.string(v);
                    case "allow_delete" -> allowDelete = ConfigLoader.bool(v);
                    case "hard_delete" -> {
                        hardDeleteSet = true;
                        hardDelete = ConfigLoader.bool(v);
                    }
                    case "limit" -> limit = ConfigLoader.int64(v);
                    case "ttl" -> ttl = GoDuration.parse(ConfigLoader.string(v));
                    case "interval" -> interval = GoDuration.parse(ConfigLoader.string(v));
                    case "timeout" -> timeout = GoDuration.parse(ConfigLoader.string(v));
                    default -> {
                        // nats-server ignores other keys of the resolver map
                    }
                }
            } catch (IllegalArgumentException ex) {
                error(value, ex.getMessage());
                return null;
            }
        }
        Path dirPath = dir.isEmpty() ? null : Path.of(dir);
        switch (type.toUpperCase(Locale.ROOT)) {
            case "CACHE" -> {
                checkDir(value, dir);
                if (!interval.isZero()) {
                    error(value, "CACHE does not accept sync");
                }
                if (allowDelete) {
                    error(value, "CACHE does not accept allow_delete");
                }
                if (hardDeleteSet) {
                    error(value, "CACHE does not accept hard_delete");
                }
                return new OperatorOptions.Resolver(OperatorOptions.ResolverType.CACHE, "", dirPath, false, false,
                        limit, ttl, Duration.ZERO, timeout);
            }
            case "FULL" -> {
                checkDir(value, dir);
                if (!ttl.isZero()) {
                    error(value, "FULL does not accept ttl");
                }
                if (hardDeleteSet && !allowDelete) {
                    error(value, "hard_delete has no effect without delete");
                }
                return new OperatorOptions.Resolver(OperatorOptions.ResolverType.FULL, "", dirPath, allowDelete,
                        allowDelete && hardDelete, limit, Duration.ZERO, interval, timeout);
            }
            case "MEM", "MEMORY" -> {
                return OperatorOptions.Resolver.MEMORY;
            }
            default -> {
                error(value, "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing "
                        + "dir and type state=[FULL|CACHE])");
                return null;
            }
        }
    }

    private void checkDir(ConfValue at, String dir) {
        if (dir.isEmpty()) {
            error(at, "dir has no value and needs to point to a directory");
            return;
        }
        Path p = Path.of(dir);
        if (Files.exists(p) && (!Files.isDirectory(p) || !Files.isWritable(p))) {
            error(at, "dir needs to point to an accessible directory");
        }
    }

    // nats-server: opts.go processConfigFileLine "resolver_preload"
    private OperatorOptions preload(ConfValue value, OperatorOptions current) {
        if (!(value.value() instanceof Map<?, ?>)) {
            error(value, "preload should be a map of account_public_key:account_jwt");
            return current;
        }
        Map<String, String> preload = new LinkedHashMap<>();
        for (Map.Entry<String, ConfValue> e : ConfigLoader.map(value).entrySet()) {
            ConfValue v = e.getValue();
            if (!(v.value() instanceof String token)) {
                error(v, "preload map value should be a string JWT");
                continue;
            }
            try {
                JwtCodec.decode(token).account();
            } catch (JwtException ex) {
                error(v, "invalid account JWT");
                continue;
            }
            preload.put(e.getKey(), token);
        }
        return current.withPreload(preload);
    }

    // nats-server: opts.go processConfigFileLine "trusted"
    private OperatorOptions trusted(ConfValue value, OperatorOptions current) {
        Set<String> keys = stringSet(value, "trusted");
        for (String key : keys) {
            if (!NKey.isValidPublicKey(key, NKeyType.OPERATOR)) {
                error(value, "trust key " + GoQuote.quote(key) + " required to be a valid public operator nkey");
            }
        }
        return current.withTrustedKeys(List.copyOf(keys));
    }

    private Set<String> stringSet(ConfValue value, String what) {
        Set<String> out = new LinkedHashSet<>();
        if (value.value() instanceof String s) {
            out.add(s);
        } else if (value.value() instanceof List<?> list) {
            for (Object element : list) {
                ConfValue item = (ConfValue) element;
                if (item.value() instanceof String s) {
                    out.add(s);
                } else {
                    error(item, "error parsing " + what + ": unsupported type in array "
                            + ConfigLoader.goType(item.value()));
                }
            }
        } else {
            error(value, "error parsing " + what + ": unsupported type " + ConfigLoader.goType(value.value()));
        }
        return out;
    }
}
