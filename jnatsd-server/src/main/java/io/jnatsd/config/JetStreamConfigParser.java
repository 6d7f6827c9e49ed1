package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code jetstream} key (a bool, {@code "enabled"}/{@code "disabled"} or a block) and an account's
 * {@code jetstream} key with nats-server's keys, aliases and error texts ({@code server/opts.go parseJetStream},
 * {@code parseJetStreamLimits}, {@code parseJetStreamLimitsBatch}, {@code parseJetStreamForAccount},
 * {@code getStorageSize}).
 * <p>
 * As in Go, an error returned from the block (a bad size, a duplicate {@code store_dir}) ends it: what was read
 * before stays; unknown keys are collected and reading goes on. Keys are walked in file order (Go: random map order).
 * The {@code tpm} block is refused as not supported (it needs a TPM device). Single-threaded: one instance per loaded
 * document.
 */
final class JetStreamConfigParser {

    private final ConfDocument document;
    private final List<String> errors;
    private final List<String> warnings;

    JetStreamConfigParser(ConfDocument document, List<String> errors, List<String> warnings) {
        this.document = document;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** A failure that ends the block (Go returns it from {@code parseJetStream}). */
    private static final class BlockError extends RuntimeException {
        final ConfValue at;

        BlockError(ConfValue at, String message) {
            super(message, null, false, false);
            this.at = at;
        }
    }

    /** Applies the top-level {@code jetstream} value to {@code js}. */
    // nats-server: opts.go parseJetStream
    void parse(ConfValue value, JetStreamOptions.Builder js) {
        try {
            switch (value.value()) {
                case Boolean b -> js.enabled(b);
                case String s -> js.enabled(enabledString(value, s));
                case Map<?, ?> m -> {
                    boolean enable = true;
                    for (Map.Entry<String, ConfValue> e : value.asMap().entrySet()) {
                        Boolean explicit = apply(e.getKey(), e.getValue(), js);
                        if (explicit != null) {
                            enable = explicit;
                        }
                    }
                    js.enabled(enable);
                }
                default -> throw new BlockError(value, "Expected map, bool or string to define JetStream, got "
                        + value.goTypeName());
            }
        } catch (BlockError e) {
            errors.add(e.at.position() + ": " + e.getMessage());
        } catch (ConfigLoader.TypeMismatch e) {
            errors.add(e.at.position() + ": " + e.getMessage());
        }
    }

    private static boolean enabledString(ConfValue at, String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "enabled", "enable" -> true;
            case "disabled", "disable" -> false;
            default -> throw new BlockError(at, "Expected 'enabled' or 'disabled' for string value, got '" + s + "'");
        };
    }

    /** One key of the block; returns the {@code enabled} value when the key is {@code enabled}. */
    private Boolean apply(String key, ConfValue v, JetStreamOptions.Builder js) {
        String lower = key.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "strict" -> {
                if (!(v.value() instanceof Boolean b)) {
                    throw new BlockError(v, "Expected 'true' or 'false' for bool value, got '" + v.value() + "'");
                }
                js.strict(b);
            }
            case "store", "store_dir", "storedir" -> {
                if (!js.storeDir().isEmpty()) {
                    throw new BlockError(v, "Duplicate 'store_dir' configuration");
                }
                js.storeDir(ConfigLoader.string(v));
            }
            case "sync", "sync_interval" -> {
                if (v.value() instanceof String s && s.equalsIgnoreCase("always")) {
                    js.syncInterval(JetStreamOptions.DEFAULT_SYNC_INTERVAL).syncAlways(true);
                } else {
                    js.syncInterval(duration(key, v));
                }
            }
            case "max_memory_store", "max_mem_store", "max_mem" ->
                    js.maxMemoryBytes(storageSize(v, "max_mem_store"));
            case "max_file_store", "max_file" -> js.maxStoreBytes(storageSize(v, "max_file_store"));
            case "domain" -> js.domain(ConfigLoader.string(v));
            case "enable", "enabled" -> {
                return ConfigLoader.bool(v);
            }
            case "key", "ek", "encryption_key" -> js.key(ConfigLoader.string(v));
            case "prev_key", "prev_ek", "prev_encryption_key" -> js.prevKey(ConfigLoader.string(v));
            case "cipher" -> js.cipher(cipher(v));
            case "extension_hint" -> js.extensionHint(ConfigLoader.string(v));
            case "limits" -> js.limits(limits(v, js.limits()));
            case "tpm" -> throw new BlockError(v, key + " is not supported yet by jnatsd");
            case "unique_tag" -> js.uniqueTag(ConfigLoader.string(v).strip().toLowerCase(Locale.ROOT));
            case "max_outstanding_catchup" -> js.maxOutstandingCatchupBytes(storageSize(v, lower));
            case "max_buffered_size" -> js.maxBufferedSizeBytes(storageSize(v, lower));
            case "max_buffered_msgs" -> js.maxBufferedMsgs(toInt(parseableSize(key, v)));
            case "request_queue_limit" -> js.requestQueueLimit(parseableSize(key, v));
            case "info_queue_limit" -> js.infoQueueLimit(parseableSize(key, v));
            case "meta_compact" -> {
                if (!(v.value() instanceof Long n) || n < 0) {
                    throw new BlockError(v, "Expected an absolute size for " + GoQuote.quote(key) + ", got "
                            + v.value());
                }
                js.metaCompact(n);
            }
            case "meta_compact_size" -> {
                long s = storageSize(v, lower);
                if (s < 0) {
                    throw new BlockError(v, "Expected an absolute size for " + GoQuote.quote(key) + ", got "
                            + v.value());
                }
                js.metaCompactSizeBytes(s);
            }
            case "meta_compact_sync" -> js.metaCompactSync(ConfigLoader.bool(v));
            case "max_concurrent_io" -> {
                if (!(v.value() instanceof Long n) || n < 4 || n > 8192) {
                    throw new BlockError(v, "Expected an absolute size for " + GoQuote.quote(key)
                            + " between 4 and 8192, got " + v.value());
                }
                js.maxConcurrentIo(n.intValue());
            }
            default -> {
                if (!document.isUsedAsVariable(v)) {
                    errors.add(v.position() + ": unknown field " + GoQuote.quote(key));
                }
            }
        }
        return null;
    }

    private static JetStreamOptions.Cipher cipher(ConfValue v) {
        String s = ConfigLoader.string(v);
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "chacha", "chachapoly" -> JetStreamOptions.Cipher.CHACHA;
            case "aes" -> JetStreamOptions.Cipher.AES;
            default -> throw new BlockError(v, "Unknown cipher type: " + GoQuote.quote(s));
        };
    }

    // nats-server: opts.go parseJetStreamLimits, parseJetStreamLimitsBatch
    private JetStreamOptions.Limits limits(ConfValue v, JetStreamOptions.Limits base) {
        if (!(v.value() instanceof Map<?, ?>)) {
            throw new BlockError(v, "Expected a map to define JetStreamLimits, got " + v.goTypeName());
        }
        int maxAckPending = 0;
        int maxHaAssets = 0;
        int maxRequestBatch = 0;
        Duration duplicates = Duration.ZERO;
        int[] batch = {0, 0, 0};
        Duration[] batchTimeout = {Duration.ZERO};
        for (Map.Entry<String, ConfValue> e : v.asMap().entrySet()) {
            ConfValue mv = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "max_ack_pending" -> maxAckPending = toInt(ConfigLoader.int64(mv));
                case "max_ha_assets" -> maxHaAssets = toInt(ConfigLoader.int64(mv));
                case "max_request_batch" -> maxRequestBatch = toInt(ConfigLoader.int64(mv));
                case "duplicate_window" -> duplicates = goDuration(mv);
                case "batch" -> batchLimits(mv, batch, batchTimeout);
                default -> {
                    if (!document.isUsedAsVariable(mv)) {
                        errors.add(mv.position() + ": unknown field " + GoQuote.quote(e.getKey()));
                    }
                }
            }
        }
        return new JetStreamOptions.Limits(maxAckPending, maxHaAssets, maxRequestBatch, duplicates, batch[0],
                batch[1], batch[2], batchTimeout[0]);
    }

    private void batchLimits(ConfValue v, int[] batch, Duration[] timeout) {
        if (!(v.value() instanceof Map<?, ?>)) {
            throw new BlockError(v, "Expected a map to define batch limits, got " + v.goTypeName());
        }
        for (Map.Entry<String, ConfValue> e : v.asMap().entrySet()) {
            ConfValue mv = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "max_inflight_per_stream" -> batch[0] = toInt(ConfigLoader.int64(mv));
                case "max_inflight_total" -> batch[1] = toInt(ConfigLoader.int64(mv));
                case "max_msgs" -> batch[2] = toInt(ConfigLoader.int64(mv));
                case "timeout" -> timeout[0] = goDuration(mv);
                default -> {
                    if (!document.isUsedAsVariable(mv)) {
                        errors.add(mv.position() + ": unknown field " + GoQuote.quote(e.getKey()));
                    }
                }
            }
        }
    }

    /** {@code time.ParseDuration} of a string; errors are collected (Go's text has no position). */
    private Duration goDuration(ConfValue v) {
        String s = ConfigLoader.string(v);
        try {
            return GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return Duration.ZERO;
        }
    }

    /** {@code opts.go parseDuration}: a Go duration string, or integer seconds with a warning. */
    private Duration duration(String field, ConfValue v) {
        if (v.value() instanceof String text) {
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add(v.position() + ": error parsing " + field + ": " + e.getMessage());
                return Duration.ZERO;
            }
        }
        warnings.add(v.position() + ": invalid use of field " + GoQuote.quote(field) + ": " + field
                + " should be converted to a duration");
        return Duration.ofSeconds(ConfigLoader.int64(v));
    }

    private static long parseableSize(String key, ConfValue v) {
        if (!(v.value() instanceof Long n)) {
            throw new BlockError(v, "Expected a parseable size for " + GoQuote.quote(key) + ", got " + v.value());
        }
        return n;
    }

    /** {@code getStorageSize}: an integer, or a string with a K/M/G/T suffix (powers of 2). */
    // nats-server: opts.go getStorageSize
    static long storageSize(ConfValue v, String name) {
        if (v.value() instanceof Long n) {
            return n;
        }
        if (!(v.value() instanceof String s)) {
            throw new BlockError(v, name + " must be int64 or string");
        }
        try {
            return parseStorageSize(s);
        } catch (IllegalArgumentException e) {
            throw new BlockError(v, name + " " + e.getMessage());
        }
    }

    /** The string form of {@link #storageSize}; the exception message is Go's. */
    static long parseStorageSize(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        String suffix = s.substring(s.length() - 1);
        String prefix = s.substring(0, s.length() - 1);
        long num;
        try {
            num = Long.parseLong(prefix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing " + GoQuote.quote(prefix)
                    + ": invalid syntax");
        }
        int shift = switch (suffix) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> throw new IllegalArgumentException("sizes defined as strings must end in K, M, G, T");
        };
        return num << shift;
    }

    /**
     * An account's {@code jetstream} value: the limits, {@link JetStreamAccountLimits#UNLIMITED} for
     * {@code true}/{@code enabled}, null for {@code false}/{@code disabled}. Errors are added to the list; the
     * account is then left without JetStream.
     */
    // nats-server: opts.go parseJetStreamForAccount
    JetStreamAccountLimits parseForAccount(ConfValue value) {
        try {
            return switch (value.value()) {
                case Boolean b -> b ? JetStreamAccountLimits.UNLIMITED : null;
                case String s -> enabledString(null, s) ? JetStreamAccountLimits.UNLIMITED : null;
                case Map<?, ?> m -> accountLimits(value);
                default -> throw new BlockError(null, "Expected map, bool or string to define JetStream, got "
                        + value.goTypeName());
            };
        } catch (BlockError e) {
            // nats-server hands parseJetStreamForAccount the unwrapped value: its own errors carry no position
            errors.add(e.at == null ? e.getMessage() : e.at.position() + ": " + e.getMessage());
            return null;
        }
    }

    private JetStreamAccountLimits accountLimits(ConfValue value) {
        long maxMemory = -1;
        long maxStore = -1;
        int maxStreams = -1;
        int maxConsumers = -1;
        int maxAckPending = -1;
        long memoryMaxStreamBytes = -1;
        long storeMaxStreamBytes = -1;
        boolean maxBytesRequired = false;
        for (Map.Entry<String, ConfValue> e : value.asMap().entrySet()) {
            String key = e.getKey();
            ConfValue mv = e.getValue();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "max_memory", "max_mem", "mem", "memory" -> maxMemory = parseableSize(key, mv);
                case "max_store", "max_file", "max_disk", "store", "disk" -> maxStore = parseableSize(key, mv);
                case "max_streams", "streams" -> maxStreams = toInt(parseableSize(key, mv));
                case "max_consumers", "consumers" -> maxConsumers = toInt(parseableSize(key, mv));
                case "max_bytes_required", "max_stream_bytes", "max_bytes" -> {
                    if (!(mv.value() instanceof Boolean b)) {
                        throw new BlockError(mv, "Expected a parseable bool for " + GoQuote.quote(key) + ", got "
                                + mv.value());
                    }
                    maxBytesRequired = b;
                }
                case "mem_max_stream_bytes", "memory_max_stream_bytes" ->
                        memoryMaxStreamBytes = parseableSize(key, mv);
                case "disk_max_stream_bytes", "store_max_stream_bytes" ->
                        storeMaxStreamBytes = parseableSize(key, mv);
                case "max_ack_pending" -> maxAckPending = toInt(parseableSize(key, mv));
                case "cluster_traffic" -> {
                    if (!(mv.value() instanceof String s)) {
                        throw new BlockError(mv, "Expected either 'system' or 'owner' string value for "
                                + GoQuote.quote(key) + ", got " + mv.value());
                    }
                    if (!s.isEmpty() && !s.equals("system") && !s.equals("owner")) {
                        throw new BlockError(mv, "Expected 'system' or 'owner' string value for "
                                + GoQuote.quote(key) + ", got " + s);
                    }
                }
                default -> {
                    if (!document.isUsedAsVariable(mv)) {
                        errors.add(mv.position() + ": unknown field " + GoQuote.quote(key));
                    }
                }
            }
        }
        return new JetStreamAccountLimits(maxMemory, maxStore, maxStreams, maxConsumers, maxAckPending,
                memoryMaxStreamBytes, storeMaxStreamBytes, maxBytesRequired);
    }

    private static int toInt(long value) {
        return (int) Math.clamp(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
}
