package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.GoJson;
import io.jnatsd.server.jetstream.PersistMode;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON of the JetStream API: reading requests as nats-server's {@code unmarshalRequest} does (a {@code json.Decoder}
 * over the body with {@code DisallowUnknownFields} in strict mode, every value in turn; the errors are Go's texts, sent
 * as 10025 {@code invalid JSON: <text>}), and writing responses as Go's {@code encoding/json} does, including Go's
 * embedded structs ({@code {"type":...,"error":...}} followed by the payload's fields).
 * <p>
 * Stateless; thread-safe.
 */
// nats-server: jetstream_api.go unmarshalRequest, jsonResponse
public final class ApiJson {

    private static final ObjectMapper MAPPER = buildMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ApiJson() {
    }

    /** A request body Go would not decode: {@link #getMessage()} is Go's error text. */
    public static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    /** The mapper for JetStream JSON: Go's conventions plus the JetStream enums as their JSON strings. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper buildMapper() {
        SimpleModule enums = new SimpleModule("JetStreamEnums");
        enumCodec(enums, RetentionPolicy.class, RetentionPolicy.values(), e -> switch (e) {
            case LIMITS -> "limits";
            case INTEREST -> "interest";
            case WORK_QUEUE -> "workqueue";
        });
        enumCodec(enums, DiscardPolicy.class, DiscardPolicy.values(), e -> e == DiscardPolicy.NEW ? "new" : "old");
        enumCodec(enums, StorageType.class, StorageType.values(), e -> e == StorageType.MEMORY ? "memory" : "file");
        enumCodec(enums, StoreCompression.class, StoreCompression.values(),
                e -> e == StoreCompression.S2 ? "s2" : "none");
        enumCodec(enums, PersistMode.class, PersistMode.values(), PersistMode::json);
        enumCodec(enums, io.jnatsd.store.AckPolicy.class, io.jnatsd.store.AckPolicy.values(),
                io.jnatsd.store.AckPolicy::jsonName);
        return GoJson.mapper().copy().registerModule(enums);
    }

    private static <E extends Enum<E>> void enumCodec(SimpleModule module, Class<E> type, E[] values,
                                                      Function<E, String> json) {
        module.addSerializer(type, new JsonSerializer<E>() {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(json.apply(value));
            }
        });
        module.addDeserializer(type, new JsonDeserializer<E>() {
            @Override
            public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                for (E e : values) {
                    if (json.apply(e).equalsIgnoreCase(text)) {
                        return e;
                    }
                }
                if (text != null && text.isEmpty() && type == PersistMode.class) {
                    return values[0];
                }
                throw ctxt.weirdStringException(text, type, "not a " + type.getSimpleName());
            }
        });
    }

    // ---- writing ---------------------------------------------------------------------------------------------------

    /** {@code value} as Go writes it. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as Go writes it, as a string. */
    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /** {@code value} as a JSON tree. */
    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * An API response: {@code {"type":<type>[,"error":<error>]}} followed by the fields of each part in order, as Go
     * writes a struct embedding {@code ApiResponse} and the payload types. Null parts are skipped (nil pointers to
     * embedded structs).
     */
    public static byte[] response(String type, ApiError error, Object... parts) {
        ObjectNode root = NODES.objectNode();
        root.put("type", type);
        if (error != null) {
            root.set("error", MAPPER.valueToTree(error));
        }
        for (Object part : parts) {
            if (part == null) {
                continue;
            }
            if (part instanceof ObjectNode node) {
                root.setAll(node);
            } else {
                root.setAll((ObjectNode) MAPPER.valueToTree(part));
            }
        }
        return write(root);
    }

    // ---- reading ---------------------------------------------------------------------------------------------------

    /**
     * Decodes {@code body} into {@code type} as nats-server does: each JSON value in the body is decoded into the
     * same value in turn (later fields win); an empty body gives {@code type}'s empty value. In strict mode unknown
     * fields are errors; otherwise the request is decoded again ignoring them, as nats-server's lenient retry.
     *
     * @throws DecodeException with Go's text
     */
    public static <T> T decode(byte[] body, GoStruct spec, Class<T> type, boolean strict) throws DecodeException {
        ObjectNode merged = validate(body, spec, strict);
        try {
            return MAPPER.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            throw new DecodeException("json: " + e.getOriginalMessage());
        }
    }

    /** The request's fields as one object after Go's checks (see {@link #decode}). */
    static ObjectNode validate(byte[] body, GoStruct spec, boolean strict) throws DecodeException {
        List<GoJsonScanner.Value> values;
        try {
            values = GoJsonScanner.values(body);
        } catch (GoJsonScanner.SyntaxError e) {
            throw new DecodeException(e.getMessage());
        }
        ObjectNode merged = NODES.objectNode();
        for (GoJsonScanner.Value v : values) {
            Node node = new TreeReader(body, v.start()).read();
            Checker checker = new Checker(spec, strict);
            String error = checker.checkTop(node);
            if (error == null) {
                error = checker.firstError;
            }
            if (error != null) {
                throw new DecodeException(error);
            }
            if (node instanceof Obj obj) {
                merged.setAll(checker.toJackson(obj, spec));
            }
        }
        if (!strict && values.size() > 1) {
            // json.Unmarshal (the lenient retry) wants a single value: the second one is an error after the first
            int at = values.get(1).start();
            throw new DecodeException("invalid character " + GoJsonScanner.quoteChar(body[at] & 0xff)
                    + " after top-level value");
        }
        return merged;
    }

    /** Whether the first non-space character is {@code {} or {@code [} ({@code isJSONObjectOrArray}). */
    public static boolean isObjectOrArray(byte[] body) {
        int i = 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) {
            i++;
        }
        return i < body.length && (body[i] == '{' || body[i] == '[');
    }

    /** Whether the body is empty, {@code {}} or an empty JSON object ({@code isEmptyRequest}). */
    public static boolean isEmptyRequest(byte[] body) {
        if (body.length == 0) {
            return true;
        }
        try {
            List<GoJsonScanner.Value> values = GoJsonScanner.values(body);
            if (values.size() != 1) {
                return false;
            }
            Node node = new TreeReader(body, values.getFirst().start()).read();
            return node instanceof Obj obj && obj.entries.isEmpty();
        } catch (GoJsonScanner.SyntaxError e) {
            return false;
        }
    }

    // ---- a small tree that keeps number literals -------------------------------------------------------------------

    private sealed interface Node permits Obj, Arr, Str, Num, Bool, Null {
    }

    private record Obj(List<Map.Entry<String, Node>> entries) implements Node {
    }

    private record Arr(List<Node> elements) implements Node {
    }

    private record Str(String value, String raw) implements Node {
    }

    private record Num(String literal) implements Node {
    }

    private record Bool(boolean value) implements Node {
    }

    private record Null() implements Node {
    }

    /** Reads one syntactically valid value (the scanner checked it). */
    private static final class TreeReader {
        private final byte[] in;
        private int pos;

        TreeReader(byte[] in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        Node read() {
            skip();
            byte c = in[pos];
            switch (c) {
                case '{' -> {
                    pos++;
                    List<Map.Entry<String, Node>> entries = new ArrayList<>();
                    skip();
                    if (in[pos] == '}') {
                        pos++;
                        return new Obj(entries);
                    }
                    while (true) {
                        skip();
                        Str key = string();
                        skip();
                        pos++;                                  // ':'
                        entries.add(Map.entry(key.value(), read()));
                        skip();
                        if (in[pos++] == '}') {
                            return new Obj(entries);
                        }
                    }
                }
                case '[' -> {
                    pos++;
                    List<Node> elements = new ArrayList<>();
                    skip();
                    if (in[pos] == ']') {
                        pos++;
                        return new Arr(elements);
                    }
                    while (true) {
                        elements.add(read());
                        skip();
                        if (in[pos++] == ']') {
                            return new Arr(elements);
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    pos += 4;
                    return new Bool(true);
                }
                case 'f' -> {
                    pos += 5;
                    return new Bool(false);
                }
                case 'n' -> {
                    pos += 4;
                    return new Null();
                }
                default -> {
                    int start = pos;
                    while (pos < in.length && "+-0123456789.eE".indexOf(in[pos]) >= 0) {
                        pos++;
                    }
                    return new Num(new String(in, start, pos - start, StandardCharsets.US_ASCII));
                }
            }
        }

        private void skip() {
            while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
                pos++;
            }
        }

        private Str string() {
            int start = pos;
            pos++;
            StringBuilder out = new StringBuilder();
            int runStart = pos;
            while (in[pos] != '"') {
                if (in[pos] == '\\') {
                    out.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
                    pos++;
                    char e = (char) in[pos++];
                    switch (e) {
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(new String(in, pos, 4, StandardCharsets.US_ASCII),
                                    16));
                            pos += 4;
                        }
                        default -> out.append(e);
                    }
                    runStart = pos;
                } else {
                    pos++;
                }
            }
            out.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
            pos++;
            return new Str(out.toString(), new String(in, start, pos - start, StandardCharsets.UTF_8));
        }
    }

    /** Go's checks of one value against a struct; the first saved error wins, a custom type's error at once. */
    private static final class Checker {
        private final GoStruct top;
        private final boolean strict;
        String firstError;

        Checker(GoStruct top, boolean strict) {
            this.top = top;
            this.strict = strict;
        }

        private void save(String error, boolean unknown) {
            if (firstError == null) {
                firstError = error;
            }
        }

        /** Returns an error that ends decoding at once (a custom type's), else null; saved errors in firstError. */
        String checkTop(Node node) {
            return switch (node) {
                case Obj obj -> checkStruct(obj, top, "");
                case Null n -> null;
                default -> {
                    save("json: cannot unmarshal " + jsonKind(node) + " into Go value of type server." + top.name(),
                            false);
                    yield null;
                }
            };
        }

        private String checkStruct(Obj obj, GoStruct spec, String path) {
            for (Map.Entry<String, Node> e : obj.entries()) {
                String field = spec.fieldFor(e.getKey());
                if (field == null) {
                    if (strict) {
                        save("json: unknown field \"" + e.getKey() + "\"", true);
                    }
                    continue;
                }
                String p = path.isEmpty() ? field : path + "." + field;
                String abort = checkValue(e.getValue(), spec.type(field), spec, p);
                if (abort != null) {
                    return abort;
                }
            }
            return null;
        }

        private String mismatch(Node node, GoStruct owner, String path, String goType) {
            return "json: cannot unmarshal " + jsonKind(node) + " into Go struct field " + owner.name() + "." + path
                    + " of type " + goType;
        }

        private String checkValue(Node node, GoStruct.Type type, GoStruct owner, String path) {
            if (node instanceof Null && type.kind() != GoStruct.Kind.CUSTOM) {
                return null;
            }
            switch (type.kind()) {
                case STRING -> {
                    if (!(node instanceof Str)) {
                        save(mismatch(node, owner, path, "string"), false);
                    }
                }
                case BOOL -> {
                    if (!(node instanceof Bool)) {
                        save(mismatch(node, owner, path, "bool"), false);
                    }
                }
                case INT32, INT64, UINT64 -> checkInteger(node, type, owner, path);
                case TIME -> {
                    if (!(node instanceof Str s)) {
                        return "Time.UnmarshalJSON: input is not a JSON string";
                    }
                    String problem = GoTimeParse.check(s.value());
                    if (problem != null) {
                        return problem;
                    }
                }
                case STRING_LIST -> {
                    if (node instanceof Arr arr) {
                        for (Node el : arr.elements()) {
                            if (!(el instanceof Str) && !(el instanceof Null)) {
                                save(mismatch(el, owner, path, "string"), false);
                            }
                        }
                    } else {
                        save(mismatch(node, owner, path, "[]string"), false);
                    }
                }
                case STRING_MAP -> {
                    if (node instanceof Obj obj) {
                        for (Map.Entry<String, Node> e : obj.entries()) {
                            if (!(e.getValue() instanceof Str) && !(e.getValue() instanceof Null)) {
                                save(mismatch(e.getValue(), owner, path, "string"), false);
                            }
                        }
                    } else {
                        save(mismatch(node, owner, path, "map[string]string"), false);
                    }
                }
                case STRUCT -> {
                    if (node instanceof Obj obj) {
                        return checkStruct(obj, type.struct(), path);
                    }
                    save(mismatch(node, owner, path, type.goName()), false);
                }
                case STRUCT_LIST -> {
                    if (node instanceof Arr arr) {
                        for (Node el : arr.elements()) {
                            if (el instanceof Obj obj) {
                                String abort = checkStruct(obj, type.struct(), path);
                                if (abort != null) {
                                    return abort;
                                }
                            } else if (!(el instanceof Null)) {
                                save(mismatch(el, owner, path, type.goName()), false);
                            }
                        }
                    } else {
                        save(mismatch(node, owner, path, "[]*" + type.goName()), false);
                    }
                }
                case CUSTOM -> {
                    return type.enumCheck().apply(raw(node));
                }
            }
            return null;
        }

        private void checkInteger(Node node, GoStruct.Type type, GoStruct owner, String path) {
            if (!(node instanceof Num num)) {
                save(mismatch(node, owner, path, type.goName()), false);
                return;
            }
            BigInteger value;
            try {
                value = new BigInteger(num.literal());
            } catch (NumberFormatException e) {
                save(numberMismatch(num, owner, path, type), false);
                return;
            }
            boolean fits = switch (type.kind()) {
                case INT32 -> value.bitLength() < 32;
                case UINT64 -> value.signum() >= 0 && value.compareTo(MAX_UINT64) <= 0;
                default -> value.bitLength() < 64;
            };
            if (!fits) {
                save(numberMismatch(num, owner, path, type), false);
            }
        }

        private static String numberMismatch(Num num, GoStruct owner, String path, GoStruct.Type type) {
            return "json: cannot unmarshal number " + num.literal() + " into Go struct field " + owner.name() + "."
                    + path + " of type " + type.goName();
        }

        private static String jsonKind(Node node) {
            return switch (node) {
                case Obj o -> "object";
                case Arr a -> "array";
                case Str s -> "string";
                case Num n -> "number";
                case Bool b -> "bool";
                case Null n -> "null";
            };
        }

        private static String raw(Node node) {
            return switch (node) {
                case Str s -> s.raw();
                case Num n -> n.literal();
                case Bool b -> Boolean.toString(b.value());
                case Null n -> "null";
                case Obj o -> "{...}";
                case Arr a -> "[...]";
            };
        }

        /** The checked object as a Jackson tree for binding, with keys renamed to the fields they match. */
        ObjectNode toJackson(Obj obj, GoStruct spec) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, Node> e : obj.entries()) {
                String field = spec == null ? e.getKey() : spec.fieldFor(e.getKey());
                if (field == null) {
                    continue;
                }
                GoStruct.Type type = spec == null ? null : spec.type(field);
                GoStruct nested = type == null ? null : type.struct();
                out.set(field, jackson(e.getValue(), nested));
            }
            return out;
        }

        private JsonNode jackson(Node node, GoStruct spec) {
            return switch (node) {
                case Obj o -> toJackson(o, spec);
                case Arr a -> {
                    ArrayNode arr = NODES.arrayNode();
                    for (Node el : a.elements()) {
                        arr.add(jackson(el, spec));
                    }
                    yield arr;
                }
                case Str s -> NODES.textNode(s.value());
                case Num n -> {
                    try {
                        yield NODES.numberNode(Long.parseLong(n.literal()));
                    } catch (NumberFormatException e) {
                        try {
                            yield NODES.numberNode(new BigInteger(n.literal()).longValue());
                        } catch (NumberFormatException notInteger) {
                            yield NODES.numberNode(Double.parseDouble(n.literal()));
                        }
                    }
                }
                case Bool b -> NODES.booleanNode(b.value());
                case Null n -> NODES.nullNode();
            };
        }
    }

    /** Go's text for a bad enum value ({@code can not unmarshal "\"x\""}). */
    static String cannotUnmarshal(String raw) {
        StringBuilder q = new StringBuilder("can not unmarshal \"");
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c);
        }
        return q.append('"').toString();
    }

    /** The JSON string value of {@code raw} (a quoted literal), or null when it is not a string. */
    static String stringValue(String raw) {
        if (raw.length() < 2 || raw.charAt(0) != '"') {
            return null;
        }
        try {
            return MAPPER.readValue(raw, String.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A case-insensitive enum check for {@code values} (discard: Go lower-cases the raw text first). */
    static Function<String, String> enumCheck(boolean ignoreCase, String... values) {
        return raw -> {
            String candidate = ignoreCase ? raw.toLowerCase(Locale.ROOT) : raw;
            for (String v : values) {
                if (candidate.equals("\"" + v + "\"")) {
                    return null;
                }
            }
            return cannotUnmarshal(raw);
        };
    }
}
