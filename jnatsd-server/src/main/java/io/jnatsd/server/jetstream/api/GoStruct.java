package io.jnatsd.server.jetstream.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The shape of a Go struct a JetStream API request is decoded into: its name and, per JSON field, the Go type. Used by
 * {@link ApiJson} to refuse what Go's {@code encoding/json} refuses (unknown fields with {@code DisallowUnknownFields},
 * values of the wrong JSON type, numbers that do not fit) with Go's error texts before the value is bound. Immutable
 * once built; built once per request type.
 */
final class GoStruct {

    /** A Go field type, as far as decoding cares. */
    record Type(Kind kind, String goName, GoStruct struct, Function<String, String> enumCheck) {

        /** Go {@code string}. */
        static final Type STRING = new Type(Kind.STRING, "string", null, null);
        /** Go {@code bool}. */
        static final Type BOOL = new Type(Kind.BOOL, "bool", null, null);
        /** Go {@code int} (64 bits). */
        static final Type INT = new Type(Kind.INT64, "int", null, null);
        /** Go {@code int32}. */
        static final Type INT32 = new Type(Kind.INT32, "int32", null, null);
        /** Go {@code int64}. */
        static final Type INT64 = new Type(Kind.INT64, "int64", null, null);
        /** Go {@code uint64}. */
        static final Type UINT64 = new Type(Kind.UINT64, "uint64", null, null);
        /** Go {@code time.Duration} (an int64 of nanoseconds). */
        static final Type DURATION = new Type(Kind.INT64, "time.Duration", null, null);
        /** Go {@code time.Time} or {@code *time.Time} (an RFC 3339 string). */
        static final Type TIME = new Type(Kind.TIME, "time.Time", null, null);
        /** Go {@code []string}. */
        static final Type STRING_LIST = new Type(Kind.STRING_LIST, "[]string", null, null);
        /** Go {@code map[string]string}. */
        static final Type STRING_MAP = new Type(Kind.STRING_MAP, "map[string]string", null, null);

        /** A nested struct (or pointer to one). */
        static Type struct(GoStruct s) {
            return new Type(Kind.STRUCT, "server." + s.name(), s, null);
        }

        /** A slice of structs (or of pointers to them). */
        static Type structList(GoStruct s) {
            return new Type(Kind.STRUCT_LIST, "server." + s.name(), s, null);
        }

        /**
         * A type with its own {@code UnmarshalJSON}: {@code check} gets the raw JSON text of the value and returns
         * the error text, or null when it is accepted. Such an error ends decoding at once, as in Go.
         */
        static Type custom(String goName, Function<String, String> check) {
            return new Type(Kind.CUSTOM, goName, null, check);
        }
    }

    /** How a value is checked. */
    enum Kind { STRING, BOOL, INT32, INT64, UINT64, TIME, STRING_LIST, STRING_MAP, STRUCT, STRUCT_LIST, CUSTOM }

    private final String name;
    private final Map<String, Type> fields = new LinkedHashMap<>();
    private final Map<String, String> lowerNames = new LinkedHashMap<>();

    private GoStruct(String name) {
        this.name = name;
    }

    /** A struct named {@code name} (without the {@code server.} package). */
    static GoStruct named(String name) {
        return new GoStruct(name);
    }

    /** Adds a field. */
    GoStruct field(String json, Type type) {
        fields.put(json, type);
        lowerNames.put(json.toLowerCase(Locale.ROOT), json);
        return this;
    }

    /** Adds every field of {@code embedded} (a Go embedded struct). */
    GoStruct embed(GoStruct embedded) {
        embedded.fields.forEach(this::field);
        return this;
    }

    /** The Go type name. */
    String name() {
        return name;
    }

    /** The field a JSON key names (exact match first, then ignoring case, as Go does), or null. */
    String fieldFor(String key) {
        if (fields.containsKey(key)) {
            return key;
        }
        return lowerNames.get(key.toLowerCase(Locale.ROOT));
    }

    /** The type of field {@code json}. */
    Type type(String json) {
        return fields.get(json);
    }
}
