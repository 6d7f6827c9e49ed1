package io.jnatsd.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Operator (decentralized JWT) mode: trusted operators or keys, the system account and the account resolver
 * ({@code server/opts.go}: {@code operator}, {@code trusted}, {@code system_account}, {@code resolver},
 * {@code resolver_preload}, {@code resolver_pinned_accounts}). {@link #NONE} when the file has none of them.
 * Immutable.
 *
 * @param operatorJwts   operator JWTs as read from the files (or given inline), already checked to decode
 * @param trustedKeys    {@code trusted}: operator public keys trusted without operator JWTs
 * @param systemAccount  {@code system_account}: public key of the system account, or empty
 * @param resolver       the account resolver
 * @param preload        {@code resolver_preload}: account public key to account JWT
 * @param pinnedAccounts {@code resolver_pinned_accounts}: accounts whose users may connect (empty: all)
 * @param resolverTls    {@code resolver_tls}: the TLS client configuration of the URL resolver
 *                       ({@link TlsOptions#disabled()}: the JDK's defaults)
 */
public record OperatorOptions(List<String> operatorJwts, List<String> trustedKeys, String systemAccount,
                              Resolver resolver, Map<String, String> preload, Set<String> pinnedAccounts,
                              TlsOptions resolverTls) {

    /** No operator mode. */
    public static final OperatorOptions NONE = new OperatorOptions(List.of(), List.of(), "", Resolver.NONE,
            Map.of(), Set.of(), TlsOptions.disabled());

    public OperatorOptions {
        operatorJwts = List.copyOf(Objects.requireNonNullElse(operatorJwts, List.of()));
        trustedKeys = List.copyOf(Objects.requireNonNullElse(trustedKeys, List.of()));
        systemAccount = Objects.requireNonNullElse(systemAccount, "");
        resolver = Objects.requireNonNullElse(resolver, Resolver.NONE);
        preload = Map.copyOf(Objects.requireNonNullElse(preload, Map.of()));
        pinnedAccounts = Set.copyOf(Objects.requireNonNullElse(pinnedAccounts, Set.of()));
        resolverTls = Objects.requireNonNullElse(resolverTls, TlsOptions.disabled());
    }

    /** Whether the server runs in operator mode: operator JWTs or trusted keys are configured. */
    public boolean enabled() {
        return !operatorJwts.isEmpty() || !trustedKeys.isEmpty();
    }

    public OperatorOptions withOperatorJwts(List<String> value) {
        return new OperatorOptions(value, trustedKeys, systemAccount, resolver, preload, pinnedAccounts,
                resolverTls);
    }

    public OperatorOptions withTrustedKeys(List<String> value) {
        return new OperatorOptions(operatorJwts, value, systemAccount, resolver, preload, pinnedAccounts,
                resolverTls);
    }

    public OperatorOptions withSystemAccount(String value) {
        return new OperatorOptions(operatorJwts, trustedKeys, value, resolver, preload, pinnedAccounts,
                resolverTls);
    }

    public OperatorOptions withResolver(Resolver value) {
        return new OperatorOptions(operatorJwts, trustedKeys, systemAccount, value, preload, pinnedAccounts,
                resolverTls);
    }

    public OperatorOptions withPreload(Map<String, String> value) {
        return new OperatorOptions(operatorJwts, trustedKeys, systemAccount, resolver, value, pinnedAccounts,
                resolverTls);
    }

    public OperatorOptions withPinnedAccounts(Set<String> value) {
        return new OperatorOptions(operatorJwts, trustedKeys, systemAccount, resolver, preload, value,
                resolverTls);
    }

    public OperatorOptions withResolverTls(TlsOptions value) {
        return new OperatorOptions(operatorJwts, trustedKeys, systemAccount, resolver, preload, pinnedAccounts,
                value);
    }

    /** The kinds of account resolver. */
    public enum ResolverType {
        /** None configured. */
        NONE,
        /** {@code MEM}/{@code MEMORY}: only preloaded accounts. */
        MEMORY,
        /** {@code URL("...")}: HTTP GET of {@code <url>/<account>}. */
        URL,
        /** {@code type: full}: a directory holding every account, served to peers. */
        FULL,
        /** {@code type: cache}: a directory caching accounts looked up elsewhere. */
        CACHE
    }

    /**
     * The {@code resolver} setting.
     *
     * @param type        the kind
     * @param url         URL resolver base (with trailing {@code /}), else empty
     * @param dir         directory of a full or cache resolver, else null
     * @param allowDelete full: {@code allow_delete}
     * @param hardDelete  full: {@code hard_delete} (remove files instead of renaming them)
     * @param limit       maximum stored accounts (0: the resolver's default)
     * @param ttl         cache: how long an entry stays (0: forever)
     * @param interval    full: sync period with peers (0: default 1 minute)
     * @param timeout     fetch timeout (0: default 1.9 s)
     */
    public record Resolver(ResolverType type, String url, Path dir, boolean allowDelete, boolean hardDelete,
                           long limit, Duration ttl, Duration interval, Duration timeout) {

        /** No resolver. */
        public static final Resolver NONE = new Resolver(ResolverType.NONE, "", null, false, false, 0,
                Duration.ZERO, Duration.ZERO, Duration.ZERO);
        /** The memory resolver. */
        public static final Resolver MEMORY = new Resolver(ResolverType.MEMORY, "", null, false, false, 0,
                Duration.ZERO, Duration.ZERO, Duration.ZERO);
        /** Default fetch timeout ({@code accounts.go DEFAULT_ACCOUNT_FETCH_TIMEOUT}). */
        public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofMillis(1900);
        /** Default sync interval of a full resolver. */
        public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(1);
        /** Default entry limit of a cache resolver. */
        public static final long DEFAULT_CACHE_LIMIT = 1000;

        public Resolver {
            Objects.requireNonNull(type, "type");
            url = Objects.requireNonNullElse(url, "");
            ttl = Objects.requireNonNullElse(ttl, Duration.ZERO);
            interval = Objects.requireNonNullElse(interval, Duration.ZERO);
            timeout = Objects.requireNonNullElse(timeout, Duration.ZERO);
        }

        /** A URL resolver for {@code base} (a trailing {@code /} is added). */
        public static Resolver url(String base) {
            return new Resolver(ResolverType.URL, base.endsWith("/") ? base : base + "/", null, false, false, 0,
                    Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }

        /** A full directory resolver. */
        public static Resolver full(Path dir, boolean allowDelete) {
            return new Resolver(ResolverType.FULL, "", dir, allowDelete, false, 0, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO);
        }

        /** A cache directory resolver. */
        public static Resolver cache(Path dir) {
            return new Resolver(ResolverType.CACHE, "", dir, false, false, 0, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO);
        }

        /** The fetch timeout in force. */
        public Duration effectiveTimeout() {
            return timeout.isZero() ? DEFAULT_FETCH_TIMEOUT : timeout;
        }
    }
}
