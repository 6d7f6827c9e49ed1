package io.jnatsd.config;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the value tree of one configuration source (a file, an included file, or an environment variable's
 * value) from the tokens of a {@link ConfLexer}; nats-server {@code conf/parse.go} ({@code parser}).
 *
 * <p>Like nats-server it keeps a stack of open contexts (maps and arrays) and a stack of keys waiting for a
 * value. A value completes the innermost context: appended to an array, or stored in a map under the key popped
 * from the key stack and reported at that key's position. Variables are looked up in the open maps from the
 * innermost outwards, then in the environment, whose value is parsed as config text ({@code pk=<value>}).
 * These mechanics are kept even where they are odd (a size with an unknown suffix stores nothing and leaves its
 * key on the stack), so that the same files give the same trees.
 *
 * <p>Not thread-safe; one instance builds one source once.
 */
final class ConfBuilder {

    /** Key under which an environment variable's value is parsed (nats-server {@code pkey}). */
    private static final String ENV_KEY = "pk";
    /** A bare word starting with {@code $2a$} is a bcrypt hash, not a variable. */
    private static final String BCRYPT_PREFIX = "2a$";

    /** What one top-level parse shares with its includes and environment sub-parses. */
    static final class Session {
        private final Function<String, String> env;
        private final Set<ConfValue> usedAsVariable = Collections.newSetFromMap(new IdentityHashMap<>());

        Session(Function<String, String> env) {
            this.env = env;
        }

        Set<ConfValue> usedAsVariable() {
            return usedAsVariable;
        }
    }

    private record PendingKey(String name, int line, int column) {
    }

    /** A variable's value and whether it came from a config key (rather than bcrypt or the environment). */
    private record Resolved(Object value, ConfValue configValue) {
    }

    private final ConfLexer lexer;
    private final String sourceFile;
    private final String includeDir;
    private final boolean pedantic;
    private final Session session;
    private final Set<String> envReferences;   // variables being resolved from the environment, for cycles
    private final Map<String, ConfValue> root = new LinkedHashMap<>();
    private final ArrayDeque<Object> contexts = new ArrayDeque<>();   // Map<String, ConfValue> or List<ConfValue>
    private final ArrayDeque<PendingKey> keys = new ArrayDeque<>();

    private ConfBuilder(byte[] text, String sourceFile, boolean pedantic, Session session,
            Set<String> envReferences) {
        this.lexer = new ConfLexer(text);
        this.sourceFile = sourceFile;
        this.includeDir = GoPaths.dir(sourceFile);
        this.pedantic = pedantic;
        this.session = session;
        this.envReferences = envReferences;
    }

    /** Parses text; {@code sourceFile} ("" for none) names positions and anchors includes. */
    static Map<String, ConfValue> parse(byte[] text, String sourceFile, Session session) throws ConfException {
        return new ConfBuilder(text, sourceFile, true, session, new HashSet<>()).build();
    }

    /** Reads and parses a file (nats-server {@code ParseFileWithChecks} / {@code ParseFile}). */
    static Map<String, ConfValue> parseFile(String path, boolean pedantic, Session session) throws ConfException {
        byte[] text;
        try {
            text = GoPaths.readFile(path);
        } catch (ConfException e) {
            // nats-server: conf/parse.go ParseFile wraps read errors, ParseFileWithChecks does not
            throw pedantic ? e : new ConfException("error opening config file: " + e.getMessage());
        }
        return new ConfBuilder(text, path, pedantic, session, new HashSet<>()).build();
    }

    private Map<String, ConfValue> build() throws ConfException {
        contexts.push(root);
        ConfLexer.Token previous = null;
        while (true) {
            ConfLexer.Token token = lexer.next();
            if (token.kind() == ConfLexer.Kind.EOF) {
                // a key without a value at the end; a lone '}' is allowed for JSON-like files
                if (previous != null && previous.kind() == ConfLexer.Kind.KEY && !previous.text().equals("}")) {
                    throw new ConfException("config is invalid (" + sourceFile + ":" + token.line() + ":"
                            + token.pos() + ")");
                }
                return root;
            }
            previous = token;
            process(token);
        }
    }

    private void process(ConfLexer.Token token) throws ConfException {
        switch (token.kind()) {
            case ERROR -> throw new ConfException("Parse error on line " + token.line() + ": '" + token.text() + "'");
            case KEY -> keys.push(new PendingKey(token.text(), token.line(), token.pos()));
            case MAP_START -> contexts.push(new LinkedHashMap<String, ConfValue>());
            case MAP_END -> setValue(token, Collections.unmodifiableMap(popMap()));
            case ARRAY_START -> contexts.push(new ArrayList<ConfValue>());
            case ARRAY_END -> setValue(token, Collections.unmodifiableList(popList()));
            case STRING -> setValue(token, token.text());
            case INTEGER -> integer(token);
            case FLOAT -> setValue(token, parseFloat(token.text()));
            case BOOL -> setValue(token, parseBool(token.text()));
            case DATETIME -> setValue(token, parseDatetime(token.text()));
            case VARIABLE -> variable(token);
            case INCLUDE -> include(token);
            case COMMENT_START, TEXT, EOF -> {
                // comments carry no value
            }
        }
    }

    // ---- contexts and keys -----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Map<String, ConfValue> popMap() throws ConfException {
        return (Map<String, ConfValue>) popContext();
    }

    @SuppressWarnings("unchecked")
    private List<ConfValue> popList() throws ConfException {
        return (List<ConfValue>) popContext();
    }

    private Object popContext() throws ConfException {
        if (contexts.size() <= 1) {
            throw new ConfException("BUG in parser, context stack empty");
        }
        return contexts.pop();
    }

    private void setValue(ConfLexer.Token token, Object value) throws ConfException {
        place(new ConfValue(value, sourceFile, token.line(), token.pos()));
    }

    /** Completes the innermost context with {@code value}; in a map it takes the pending key's position. */
    @SuppressWarnings("unchecked")
    private void place(ConfValue value) throws ConfException {
        Object context = contexts.peek();
        if (context instanceof List<?> list) {
            ((List<ConfValue>) list).add(value);
            return;
        }
        PendingKey key = keys.poll();
        if (key == null) {
            throw new ConfException("BUG in parser, keys stack empty");
        }
        ((Map<String, ConfValue>) context).put(key.name(), pedantic ? value.at(key.line(), key.column()) : value);
    }

    // ---- scalars ---------------------------------------------------------------------------------------------

    private void integer(ConfLexer.Token token) throws ConfException {
        String text = token.text();
        // nats-server: conf/parse.go processItem counts runes but slices bytes; any non-ASCII digit fails
        int digitRunes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!Character.isDigit(cp) && cp != '-') {
                break;
            }
            digitRunes++;
            i += Character.charCount(cp);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long number = parseGoInt(bytes, Math.min(digitRunes, bytes.length), text);
        long multiplier = switch (text.substring(digitRunes).strip().toLowerCase(Locale.ROOT)) {
            case "" -> 1L;
            case "k" -> 1_000L;
            case "kb", "ki", "kib" -> 1L << 10;
            case "m" -> 1_000_000L;
            case "mb", "mi", "mib" -> 1L << 20;
            case "g" -> 1_000_000_000L;
            case "gb", "gi", "gib" -> 1L << 30;
            case "t" -> 1_000_000_000_000L;
            case "tb", "ti", "tib" -> 1L << 40;
            case "p" -> 1_000_000_000_000_000L;
            case "pb", "pi", "pib" -> 1L << 50;
            case "e" -> 1_000_000_000_000_000_000L;
            case "eb", "ei", "eib" -> 1L << 60;
            default -> 0L;   // nats-server stores nothing for an unknown suffix such as "kbi"
        };
        if (multiplier != 0) {
            setValue(token, number * multiplier);   // wraps on overflow, as Go's int64 does
        }
    }

    /** Go {@code strconv.ParseInt(s, 10, 64)} over {@code bytes[0, length)}, with nats-server's error texts. */
    private static long parseGoInt(byte[] bytes, int length, String text) throws ConfException {
        ConfException syntax = new ConfException("expected integer, but got '" + text + "'");
        ConfException range = new ConfException("integer '" + text + "' is out of the range");
        int i = 0;
        boolean negative = false;
        if (length > 0 && (bytes[0] == '-' || bytes[0] == '+')) {
            negative = bytes[0] == '-';
            i = 1;
        }
        if (i >= length) {
            throw syntax;
        }
        long cutoff = Long.divideUnsigned(-1L, 10) + 1;
        long magnitude = 0;   // unsigned
        for (; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b < '0' || b > '9') {
                throw syntax;
            }
            if (Long.compareUnsigned(magnitude, cutoff) >= 0) {
                throw range;
            }
            long next = magnitude * 10 + (b - '0');
            if (Long.compareUnsigned(next, magnitude * 10) < 0) {
                throw range;
            }
            magnitude = next;
        }
        if (!negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) >= 0
                || negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
            throw range;
        }
        return negative ? -magnitude : magnitude;
    }

    private static double parseFloat(String text) throws ConfException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-')) {
                throw new ConfException("expected float, but got '" + text + "'");
            }
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfException("expected float, but got '" + text + "'");
        }
        if (Double.isInfinite(value)) {
            throw new ConfException("float '" + text + "' is out of the range");
        }
        return value;
    }

    private static boolean parseBool(String text) throws ConfException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (String word : List.of("true", "yes", "on")) {
            if (ConfText.equalsIgnoreCaseSimple(bytes, 0, bytes.length, word)) {
                return true;
            }
        }
        for (String word : List.of("false", "no", "off")) {
            if (ConfText.equalsIgnoreCaseSimple(bytes, 0, bytes.length, word)) {
                return false;
            }
        }
        throw new ConfException("expected boolean value, but got '" + text + "'");
    }

    /** {@code YYYY-MM-DDTHH:MM:SSZ} with real calendar checks (Go {@code time.Parse}). */
    private static Instant parseDatetime(String text) throws ConfException {
        ConfException invalid = new ConfException("expected Zulu formatted DateTime, but got '" + text + "'");
        if (text.length() != 20) {
            throw invalid;
        }
        for (int i = 0; i < 20; i++) {
            char c = text.charAt(i);
            boolean digitExpected = i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19;
            if (digitExpected && (c < '0' || c > '9')) {
                throw invalid;
            }
        }
        try {
            return LocalDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
                    number(text, 11, 13), number(text, 14, 16), number(text, 17, 19)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid;
        }
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }

    // ---- variables -------------------------------------------------------------------------------------------

    private void variable(ConfLexer.Token token) throws ConfException {
        String name = token.text();
        Resolved resolved;
        try {
            resolved = lookupVariable(name, token);
        } catch (ConfException e) {
            throw new ConfException("variable reference for '" + name + "' on line " + token.line()
                    + " could not be parsed: " + e.getMessage());
        }
        if (resolved == null) {
            throw new ConfException("variable reference for '" + name + "' on line " + token.line()
                    + " can not be found");
        }
        if (resolved.configValue() != null) {
            session.usedAsVariable.add(resolved.configValue());
        }
        setValue(token, resolved.value());
    }

    @SuppressWarnings("unchecked")
    private Resolved lookupVariable(String name, ConfLexer.Token token) throws ConfException {
        if (name.startsWith(BCRYPT_PREFIX)) {
            return new Resolved("$" + name, null);
        }
        for (Object context : contexts) {   // innermost first; arrays are skipped
            if (context instanceof Map<?, ?> map && map.containsKey(name)) {
                ConfValue found = ((Map<String, ConfValue>) map).get(name);
                return new Resolved(found.value(), found);
            }
        }
        if (envReferences.contains(name)) {
            throw new ConfException("variable reference cycle for '" + name + "'");
        }
        String envValue = session.env.apply(name);
        if (envValue == null) {
            return null;
        }
        envReferences.add(name);
        try {
            byte[] text = (ENV_KEY + "=" + envValue).getBytes(StandardCharsets.UTF_8);
            Map<String, ConfValue> parsed = new ConfBuilder(text, "", false, session, envReferences).build();
            ConfValue value = parsed.get(ENV_KEY);
            return value == null ? null : new Resolved(restamp(value, token).value(), null);
        } finally {
            envReferences.remove(name);
        }
    }

    /** Values parsed from the environment are reported where the variable was used. */
    private ConfValue restamp(ConfValue value, ConfLexer.Token token) {
        Object inner = switch (value.value()) {
            case List<?> list -> {
                List<ConfValue> copy = new ArrayList<>(list.size());
                list.forEach(e -> copy.add(restamp((ConfValue) e, token)));
                yield Collections.unmodifiableList(copy);
            }
            case Map<?, ?> map -> {
                Map<String, ConfValue> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put((String) k, restamp((ConfValue) v, token)));
                yield Collections.unmodifiableMap(copy);
            }
            default -> value.value();
        };
        return new ConfValue(inner, sourceFile, token.line(), token.pos());
    }

    // ---- include ---------------------------------------------------------------------------------------------

    private void include(ConfLexer.Token token) throws ConfException {
        Map<String, ConfValue> included;
        try {
            included = parseFile(GoPaths.join(includeDir, token.text()), pedantic, session);
        } catch (ConfException e) {
            throw new ConfException("error parsing include file '" + token.text() + "', " + e.getMessage());
        }
        for (Map.Entry<String, ConfValue> entry : included.entrySet()) {
            ConfValue value = entry.getValue();
            keys.push(new PendingKey(entry.getKey(), value.line(), value.column()));
            place(value);
        }
    }
}
