package io.jnatsd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jnatsd.common.GoJson;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed configuration file: the top-level keys in file order, which of them were referenced as variables,
 * and the digest nats-server prints for {@code -t} and reloads.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfDocument {

    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, ConfValue> root;
    private final Set<ConfValue> usedAsVariable;
    private volatile String digest;   // computed on first use; recomputing gives the same string

    ConfDocument(Map<String, ConfValue> root, Set<ConfValue> usedAsVariable) {
        this.root = Collections.unmodifiableMap(root);
        Set<ConfValue> used = Collections.newSetFromMap(new IdentityHashMap<>());
        used.addAll(usedAsVariable);
        this.usedAsVariable = Collections.unmodifiableSet(used);
    }

    /** Top-level keys in file order (the last definition of a repeated key wins), key case preserved. */
    public Map<String, ConfValue> root() {
        return root;
    }

    /**
     * True if the value now stored under {@code topLevelKey} was referenced as {@code $KEY} after it was defined.
     * nats-server does not report such a key as an unknown field.
     */
    public boolean isUsedAsVariable(String topLevelKey) {
        ConfValue value = root.get(topLevelKey);
        return value != null && usedAsVariable.contains(value);
    }

    /**
     * True if {@code value} (at any depth) was referenced as {@code $NAME} after it was defined; nats-server does
     * not report such an entry of a block as an unknown field.
     */
    public boolean isUsedAsVariable(ConfValue value) {
        return usedAsVariable.contains(value);
    }

    /** {@code sha256:<hex>} of the Go JSON encoding of {@link #toPlainMap()} plus a newline (configDigest). */
    public String digest() {
        String result = digest;
        if (result == null) {
            result = digestOf(toPlainMap());
            digest = result;
        }
        return result;
    }

    /** The tree with every {@link ConfValue} unwrapped; a fresh mutable copy on each call. */
    public Map<String, Object> toPlainMap() {
        Map<String, Object> plain = new LinkedHashMap<>();
        root.forEach((k, v) -> plain.put(k, v.toPlain()));
        return plain;
    }

    /** nats-server's configDigest: Go's json.Marshal of the plain tree, a newline, SHA-256. */
    static String digestOf(Map<String, Object> plain) {
        try {
            byte[] json = GoJson.mapper().writer().without(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(goOrdered(plain));
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(json);
            sha256.update((byte) '\n');
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("config digest: " + e.getMessage(), e);
        }
    }

    /** Maps re-ordered by UTF-8 bytes of their keys (Go's map key order), datetimes as RFC 3339 strings. */
    private static Object goOrdered(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                TreeMap<String, Object> sorted = new TreeMap<>(ConfDocument::compareUtf8);
                map.forEach((k, v) -> sorted.put((String) k, goOrdered(v)));
                yield new LinkedHashMap<>(sorted);
            }
            case List<?> list -> list.stream().map(ConfDocument::goOrdered).toList();
            case Instant instant -> RFC3339_SECONDS.format(instant);
            default -> value;
        };
    }

    /** Code point order, which is UTF-8 byte order. */
    private static int compareUtf8(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    @Override
    public String toString() {
        return "ConfDocument" + toPlainMap();
    }
}
