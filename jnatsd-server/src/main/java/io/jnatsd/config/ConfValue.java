package io.jnatsd.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One value of a parsed configuration with the place it came from, the counterpart of nats-server's pedantic
 * {@code token} ({@code conf/parse.go}).
 *
 * <p>{@code value} is a {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link Instant},
 * {@code List<ConfValue>} or {@code Map<String, ConfValue>} (insertion ordered); lists and maps are
 * unmodifiable. The position is the one nats-server reports for the value: for a map entry it is the entry's
 * key, for an array element the element itself (for a map or array element, the position of its closing
 * bracket). {@code file} is the path as nats-server prints it (as given, or joined for includes); it is empty
 * for text parsed without a file. Lines are 1-based; the column is 0-based on line 1 and 1-based on later lines.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value  the value, see above
 * @param file   the source file path, empty when there is none
 * @param line   the line number, 1-based
 * @param column the column as nats-server counts it
 */
public record ConfValue(Object value, String file, int line, int column) {

    public ConfValue {
        Objects.requireNonNull(value, "value");
        file = file == null ? "" : file;
        if (!(value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof Instant || value instanceof List<?>
                || value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("value: unsupported type " + value.getClass().getName());
        }
    }

    /** {@code <file>:<line>:<col>}, exactly as nats-server prefixes config errors (server/errors.go configErr). */
    public String position() {
        return file + ":" + line + ":" + column;
    }

    public boolean isString() {
        return value instanceof String;
    }

    public boolean isLong() {
        return value instanceof Long;
    }

    public boolean isDouble() {
        return value instanceof Double;
    }

    public boolean isBoolean() {
        return value instanceof Boolean;
    }

    public boolean isInstant() {
        return value instanceof Instant;
    }

    public boolean isList() {
        return value instanceof List<?>;
    }

    public boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not a string */
    public String asString() {
        return cast(String.class, "string");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not an integer */
    public long asLong() {
        return cast(Long.class, "int64");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not a float */
    public double asDouble() {
        return cast(Double.class, "float64");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not a bool */
    public boolean asBoolean() {
        return cast(Boolean.class, "bool");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not a datetime */
    public Instant asInstant() {
        return cast(Instant.class, "time.Time");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not an array */
    @SuppressWarnings("unchecked")
    public List<ConfValue> asList() {
        return cast(List.class, "[]interface {}");
    }

    /** @throws IllegalStateException with Go's "interface conversion" text if this is not a map */
    @SuppressWarnings("unchecked")
    public Map<String, ConfValue> asMap() {
        return cast(Map.class, "map[string]interface {}");
    }

    /**
     * The Go type nats-server sees for this value: {@code string}, {@code int64}, {@code float64}, {@code bool},
     * {@code time.Time}, {@code []interface {}} or {@code map[string]interface {}}.
     */
    public String goTypeName() {
        return switch (value) {
            case String s -> "string";
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case Instant i -> "time.Time";
            case List<?> l -> "[]interface {}";
            default -> "map[string]interface {}";
        };
    }

    /** The value with every nested {@code ConfValue} unwrapped (lists and maps become fresh mutable copies). */
    public Object toPlain() {
        return switch (value) {
            case List<?> list -> {
                List<Object> plain = new ArrayList<>(list.size());
                list.forEach(e -> plain.add(((ConfValue) e).toPlain()));
                yield plain;
            }
            case Map<?, ?> map -> {
                Map<String, Object> plain = new LinkedHashMap<>();
                map.forEach((k, v) -> plain.put((String) k, ((ConfValue) v).toPlain()));
                yield plain;
            }
            default -> value;
        };
    }

    /** The same value reported at another line and column (this instance if they are unchanged). */
    ConfValue at(int newLine, int newColumn) {
        return newLine == line && newColumn == column ? this : new ConfValue(value, file, newLine, newColumn);
    }

    private <T> T cast(Class<T> type, String goType) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalStateException("interface conversion: interface {} is " + goTypeName() + ", not " + goType);
    }
}
