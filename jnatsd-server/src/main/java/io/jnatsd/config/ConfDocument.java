package io.jnatsd.config;

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

    /** {@code sha256:<hex>} of the Go JSON encoding of {@link #toPlainMap()} plus a newline (configDigest). */
    public String digest() {
        String result = digest;
        if (result == null) {
            result = GoJson.digest(toPlainMap());
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

    @Override
    public String toString() {
        return "ConfDocument" + toPlainMap();
    }
}
