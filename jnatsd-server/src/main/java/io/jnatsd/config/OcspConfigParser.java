package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the OCSP keys with nats-server's types, quirks and error texts: the top-level {@code ocsp}
 * ({@code server/opts.go processConfigFileLine "ocsp"}) and {@code ocsp_cache} ({@code parseOCSPResponseCache}),
 * and {@code ocsp_peer} inside a {@code tls} block ({@code server/ocsp_peer.go parseOCSPPeer}). Stateless.
 * <p>
 * Quirks kept from nats-server: an unknown {@code mode} or field is reported by its Go type ({@code unsupported
 * ocsp mode string}); {@code urls} always fails (the configuration language yields a list of values, not of
 * strings); an {@code ocsp_cache} of another type than a bool or a map is silently ignored; a negative peer
 * duration keeps the default; {@code save_interval} drops its fraction of a second and is at least one second.
 */
final class OcspConfigParser {

    /** A problem: where and nats-server's text. */
    static final class OcspConfigException extends RuntimeException {
        private final transient ConfValue at;

        OcspConfigException(ConfValue at, String message) {
            super(message, null, false, false);
            this.at = at;
        }

        ConfValue at() {
            return at;
        }
    }

    private static final String PEER_UNKNOWN_FIELD = "error parsing tls peer config, unknown field [%s]";
    private static final String PEER_CONVERSION = "error parsing tls peer config, conversion error: %s";
    private static final String CACHE_UNKNOWN_FIELD = "error parsing OCSP peer cache config, unknown field [%s]";
    private static final String CACHE_CONVERSION = "error parsing OCSP peer cache config, conversion error: %s";

    private OcspConfigParser() {
    }

    /**
     * The top-level {@code ocsp} value.
     *
     * @throws OcspConfigException at the offending value; the first problem ends the key (a panic in Go is reported
     *                             at the {@code ocsp} value itself)
     */
    // nats-server: opts.go processConfigFileLine "ocsp"
    static OcspOptions ocsp(ConfValue value) {
        if (value.value() instanceof Boolean enabled) {
            return OcspOptions.of(enabled);
        }
        if (!(value.value() instanceof Map<?, ?>)) {
            throw new OcspConfigException(value, "error parsing ocsp config: unsupported type "
                    + value.goTypeName());
        }
        OcspOptions.Mode mode = OcspOptions.Mode.AUTO;
        List<String> urls = List.of();
        for (Map.Entry<String, ConfValue> field : value.asMap().entrySet()) {
            ConfValue v = field.getValue();
            switch (field.getKey()) {
                case "mode" -> {
                    if (!(v.value() instanceof String text)) {
                        throw panic(value, v, "string");
                    }
                    mode = switch (text.toLowerCase(Locale.ROOT)) {
                        case "always" -> OcspOptions.Mode.ALWAYS;
                        case "must" -> OcspOptions.Mode.MUST;
                        case "never" -> OcspOptions.Mode.NEVER;
                        case "auto" -> OcspOptions.Mode.AUTO;
                        // Go prints the mode's type (%T), not the mode
                        default -> throw new OcspConfigException(v,
                                "error parsing ocsp config: unsupported ocsp mode string");
                    };
                }
                // Go asserts []string, which a configuration list never is
                case "urls" -> throw panic(value, v, "[]string");
                case "url" -> {
                    if (!(v.value() instanceof String url)) {
                        throw panic(value, v, "string");
                    }
                    urls = List.of(url);
                }
                default -> throw new OcspConfigException(v, "error parsing ocsp config: unsupported field string");
            }
        }
        return new OcspOptions(mode, urls);
    }

    /**
     * The top-level {@code ocsp_cache} value; null when nats-server ignores it (neither a bool nor a map).
     *
     * @throws OcspConfigException at the offending field
     */
    // nats-server: opts.go processConfigFileLine "ocsp_cache", ocsp_responsecache.go parseOCSPResponseCache
    static OcspCacheOptions cache(ConfValue value) {
        if (value.value() instanceof Boolean enabled) {
            return OcspCacheOptions.of(enabled);
        }
        if (!(value.value() instanceof Map<?, ?>)) {
            return null;        // Go builds the error and drops it
        }
        OcspCacheOptions cache = OcspCacheOptions.DEFAULTS;
        for (Map.Entry<String, ConfValue> field : value.asMap().entrySet()) {
            String key = field.getKey();
            ConfValue v = field.getValue();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "type" -> {
                    if (!(v.value() instanceof String text)) {
                        throw new OcspConfigException(v, CACHE_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
                    }
                    cache = cache.withType(switch (text.toLowerCase(Locale.ROOT)) {
                        case "none" -> OcspCacheOptions.Type.NONE;
                        case "local" -> OcspCacheOptions.Type.LOCAL;
                        default -> throw new OcspConfigException(v,
                                "error parsing OCSP peer cache config, unknown type [" + text + "]");
                    });
                }
                case "local_store" -> {
                    if (!(v.value() instanceof String store)) {
                        throw new OcspConfigException(v, CACHE_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
                    }
                    cache = cache.withLocalStore(store);
                }
                case "preserve_revoked" -> {
                    if (!(v.value() instanceof Boolean preserve)) {
                        throw new OcspConfigException(v, CACHE_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
                    }
                    cache = cache.withPreserveRevoked(preserve);
                }
                case "save_interval" -> {
                    // the string form reports with the peer config's text, as nats-server does
                    Duration d = seconds(v, CACHE_CONVERSION, PEER_CONVERSION, false);
                    // Go: time.Duration(float seconds) * time.Second drops the fraction; at least one second
                    cache = cache.withSaveInterval(d.compareTo(OcspCacheOptions.MINIMUM_SAVE_INTERVAL) < 0
                            ? OcspCacheOptions.MINIMUM_SAVE_INTERVAL : Duration.ofSeconds(d.getSeconds()));
                }
                default -> throw new OcspConfigException(v, CACHE_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
            }
        }
        return cache;
    }

    /**
     * The value of {@code ocsp_peer} inside a {@code tls} block.
     *
     * @throws OcspConfigException at the offending field (the caller reports it at the {@code ocsp_peer} value,
     *                             prefixed with the field's own position, as nats-server nests the two errors)
     */
    // nats-server: ocsp_peer.go parseOCSPPeer (map form); opts.go parseTLS "ocsp_peer" (bool form)
    static OcspPeerOptions peer(ConfValue value) {
        if (value.value() instanceof Boolean verify) {
            return OcspPeerOptions.of(verify);
        }
        OcspPeerOptions peer = OcspPeerOptions.DEFAULTS;
        for (Map.Entry<String, ConfValue> field : value.asMap().entrySet()) {
            String key = field.getKey();
            ConfValue v = field.getValue();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "verify" -> peer = peer.withVerify(peerFlag(key, v));
                case "allowed_clockskew" -> {
                    Duration d = seconds(v, PEER_CONVERSION, PEER_CONVERSION, true);
                    if (!d.isNegative()) {
                        peer = peer.withClockSkew(d);
                    }
                }
                case "ca_timeout" -> {
                    Duration d = seconds(v, PEER_CONVERSION, PEER_CONVERSION, false);
                    if (!d.isNegative()) {
                        peer = peer.withCaTimeout(d);
                    }
                }
                case "cache_ttl_when_next_update_unset" -> {
                    Duration d = seconds(v, PEER_CONVERSION, PEER_CONVERSION, false);
                    if (!d.isNegative()) {
                        peer = peer.withTtlUnsetNextUpdate(d);
                    }
                }
                case "warn_only" -> peer = peer.withWarnOnly(peerFlag(key, v));
                case "unknown_is_good" -> peer = peer.withUnknownIsGood(peerFlag(key, v));
                case "allow_when_ca_unreachable" -> peer = peer.withAllowWhenCaUnreachable(peerFlag(key, v));
                default -> throw new OcspConfigException(v, PEER_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
            }
        }
        return peer;
    }

    private static boolean peerFlag(String key, ConfValue v) {
        if (!(v.value() instanceof Boolean flag)) {
            throw new OcspConfigException(v, PEER_UNKNOWN_FIELD.formatted(GoQuote.quote(key)));
        }
        return flag;
    }

    /**
     * Seconds as an integer, a float or a Go duration string.
     *
     * @param typeText        the text for a value of another type
     * @param durationText    the text for a string that is not a duration
     * @param hideParseError  report a bad duration as {@code unexpected type} (nats-server does for the clock skew)
     */
    private static Duration seconds(ConfValue v, String typeText, String durationText, boolean hideParseError) {
        return switch (v.value()) {
            case Long n -> Duration.ofSeconds(n);
            case Double d -> Duration.ofNanos((long) (d * 1e9));
            case String text -> {
                try {
                    yield GoDuration.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new OcspConfigException(v, durationText.formatted(hideParseError ? "unexpected type"
                            : e.getMessage()));
                }
            }
            default -> throw new OcspConfigException(v, typeText.formatted("unexpected type"));
        };
    }

    /** Go's recovered panic of a failed type assertion, reported at the {@code ocsp} value. */
    private static OcspConfigException panic(ConfValue ocsp, ConfValue v, String wanted) {
        return new OcspConfigException(ocsp, "interface conversion: interface {} is " + v.goTypeName() + ", not "
                + wanted);
    }
}
