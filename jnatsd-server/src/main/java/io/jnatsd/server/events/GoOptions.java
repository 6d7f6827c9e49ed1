package io.jnatsd.server.events;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.GoJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON options of a {@code $SYS} request, decoded as Go's {@code json.Unmarshal} decodes them into nats-server's
 * option structs: field names match case-insensitively, unknown fields are ignored, and a value of the wrong type
 * fails with Go's text ({@code json: cannot unmarshal string into Go struct field ConnzEventOptions.limit of type
 * int}). Immutable once decoded.
 */
final class GoOptions {

    /** The Go type of an option field. */
    enum Type {
        BOOL("bool"), INT("int"), UINT64("uint64"), INT64("time.Duration"), STRING("string"),
        STRINGS("[]string"), STATE("server.ConnState"), SORT("server.SortOpt");

        private final String goName;

        Type(String goName) {
            this.goName = goName;
        }
    }

    /** A request body that does not decode: the text nats-server replies with (code 400). */
    static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonNode root;

    private GoOptions(JsonNode root) {
        this.root = root;
    }

    /** Options without a body: every field zero. */
    static final GoOptions EMPTY = new GoOptions(GoJson.mapper().createObjectNode());

    /**
     * Decodes {@code body} for the struct {@code structName} whose fields are {@code fields} (json name to type);
     * an empty body gives {@link #EMPTY}.
     */
    static GoOptions decode(byte[] body, String structName, Map<String, Type> fields) throws DecodeException {
        if (body == null || body.length == 0) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = GoJson.mapper().readTree(body);
        } catch (JsonParseException e) {
            throw new DecodeException(syntaxError(body));
        } catch (JsonProcessingException e) {
            throw new DecodeException(syntaxError(body));
        } catch (java.io.IOException e) {
            throw new DecodeException("unexpected end of JSON input");
        }
        if (root == null || root.isMissingNode()) {
            throw new DecodeException("unexpected end of JSON input");
        }
        if (!root.isObject()) {
            if (root.isNull()) {
                return EMPTY;
            }
            throw new DecodeException("json: cannot unmarshal " + jsonType(root) + " into Go value of type server."
                    + structName);
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            for (Map.Entry<String, Type> field : fields.entrySet()) {
                if (field.getKey().equalsIgnoreCase(e.getKey())) {
                    check(structName, field.getKey(), field.getValue(), e.getValue());
                }
            }
        }
        return new GoOptions(root);
    }

    private static void check(String struct, String name, Type type, JsonNode v) throws DecodeException {
        if (v.isNull()) {
            return;
        }
        boolean ok = switch (type) {
            case BOOL -> v.isBoolean();
            case STRING, SORT -> v.isTextual();
            case STRINGS -> v.isArray() && allText(v);
            case INT, STATE, INT64 -> v.isIntegralNumber() && v.canConvertToLong();
            case UINT64 -> v.isIntegralNumber() && v.asText().charAt(0) != '-';
        };
        if (!ok) {
            boolean numeric = type == Type.INT || type == Type.UINT64 || type == Type.STATE || type == Type.INT64;
            String what = v.isNumber() && numeric ? "number " + v.asText() : jsonType(v);
            if (type == Type.STRINGS && v.isArray()) {
                for (JsonNode element : v) {
                    if (!element.isTextual() && !element.isNull()) {
                        what = jsonType(element);
                        throw new DecodeException("json: cannot unmarshal " + what + " into Go struct field "
                                + struct + "." + name + " of type string");
                    }
                }
            }
            throw new DecodeException("json: cannot unmarshal " + what + " into Go struct field " + struct + "."
                    + name + " of type " + type.goName);
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual() && !element.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static String jsonType(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "bool";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> "null";
        };
    }

    /** Go's {@code SyntaxError} text for the first byte that cannot start or continue the value. */
    private static String syntaxError(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "unexpected end of JSON input";
        }
        char first = text.charAt(0);
        if ("{[\"-0123456789tfn".indexOf(first) < 0) {
            return "invalid character " + quoteChar(first) + " looking for beginning of value";
        }
        return "unexpected end of JSON input";
    }

    private static String quoteChar(char c) {
        return c == '\'' ? "'\\''" : "'" + c + "'";
    }

    private JsonNode field(String name) {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) && !e.getValue().isNull()) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean bool(String name) {
        JsonNode v = field(name);
        return v != null && v.asBoolean();
    }

    int integer(String name) {
        JsonNode v = field(name);
        return v == null ? 0 : Math.clamp(v.asLong(), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long longValue(String name) {
        JsonNode v = field(name);
        return v == null ? 0 : v.asLong();
    }

    String string(String name) {
        JsonNode v = field(name);
        return v == null ? "" : v.asText();
    }

    List<String> strings(String name) {
        JsonNode v = field(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.forEach(e -> out.add(e.asText()));
        }
        return out;
    }
}
