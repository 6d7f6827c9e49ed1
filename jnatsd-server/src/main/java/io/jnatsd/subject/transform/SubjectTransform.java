package io.jnatsd.subject.transform;

import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectTransformException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled subject transform: maps a subject matching {@link #source()} to a new subject built from
 * {@link #destination()}, whose tokens are literals, {@code $N} references to the source's wildcards or
 * {@code {{function(args)}}} mapping functions ({@code wildcard}, {@code partition}, {@code splitFromLeft},
 * {@code splitFromRight}, {@code sliceFromLeft}, {@code sliceFromRight}, {@code split}, {@code left}, {@code right},
 * {@code random}). A trailing {@code >} in the destination carries the source's {@code >} tokens over.
 * <p>
 * Used by account subject mappings ({@link SubjectMappings}); JetStream subject transforms and import/export
 * mappings can use it as well ({@link #compileForImport} is the reversible variant imports need).
 * <p>
 * Immutable and thread-safe: compiled once, then applied by any number of publisher threads. Behaviour of
 * nats-server {@code server/subject_transform.go}; token slicing counts UTF-16 chars where Go counts bytes, so
 * {@code left}/{@code right}/{@code split*}/{@code slice*} differ from Go only on non-ASCII tokens.
 */
public final class SubjectTransform {

    private enum Function {
        LITERAL, WILDCARD, PARTITION, SPLIT_FROM_LEFT, SPLIT_FROM_RIGHT, SLICE_FROM_LEFT, SLICE_FROM_RIGHT, SPLIT,
        LEFT, RIGHT, RANDOM
    }

    /**
     * One destination token, compiled: a literal, or a function with the positions of its source tokens, its
     * integer argument (bucket count, position, size, length, ceiling) and its delimiter ({@code split}).
     */
    private record Part(Function function, String literal, int[] sourceTokens, int number, String delimiter) {
        static Part literal(String token) {
            return new Part(Function.LITERAL, token, NO_TOKENS, -1, "");
        }
    }

    /** A destination token parsed but not yet resolved against the source: wildcard ordinals are 1-based. */
    private record Placeholder(Function function, long[] wildcards, int number, String delimiter) {
    }

    private static final int[] NO_TOKENS = {};
    private static final long[] NO_WILDCARDS = {};
    private static final Placeholder LITERAL = new Placeholder(Function.LITERAL, NO_WILDCARDS, -1, "");

    // nats-server: subject_transform.go, the mapping-function regular expressions. Only the first letter of each
    // word may change case; Go's \s is exactly these five characters. find() semantics, as Go's FindStringSubmatch.
    private static final String WS = "[\\t\\n\\f\\r ]*";
    private static final Pattern ARGUMENT_SEPARATOR = Pattern.compile(",[\\t\\n\\f\\r ]*");
    private static final Pattern WILDCARD = function("[wW]ildcard");
    private static final Pattern PARTITION = function("[pP]artition");
    private static final Pattern SPLIT_FROM_LEFT = function("[sS]plit[fF]rom[lL]eft");
    private static final Pattern SPLIT_FROM_RIGHT = function("[sS]plit[fF]rom[rR]ight");
    private static final Pattern SLICE_FROM_LEFT = function("[sS]lice[fF]rom[lL]eft");
    private static final Pattern SLICE_FROM_RIGHT = function("[sS]lice[fF]rom[rR]ight");
    private static final Pattern SPLIT = function("[sS]plit");
    private static final Pattern LEFT = function("[lL]eft");
    private static final Pattern RIGHT = function("[rR]ight");
    private static final Pattern RANDOM = function("[rR]andom");
    /** The functions account mappings accept (nats-server's ValidateMapping omits left and right). */
    private static final List<Pattern> MAPPING_FUNCTIONS = List.of(PARTITION, WILDCARD, SPLIT_FROM_LEFT,
            SPLIT_FROM_RIGHT, SLICE_FROM_LEFT, SLICE_FROM_RIGHT, SPLIT, RANDOM);

    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private final String source;
    private final String destination;
    private final int sourceTokenCount;
    private final Part[] parts;
    private final boolean carriesTail;

    private SubjectTransform(String source, String destination, int sourceTokenCount, Part[] parts) {
        this.source = source;
        this.destination = destination;
        this.sourceTokenCount = sourceTokenCount;
        this.parts = parts;
        this.carriesTail = parts.length > 0 && ">".equals(parts[parts.length - 1].literal);
    }

    private static Pattern function(String name) {
        return Pattern.compile("\\{\\{" + WS + name + WS + "\\((.*)\\)" + WS + "\\}\\}");
    }

    /**
     * Compiles a transform. An empty source means {@code >}.
     *
     * @return the transform, or null when {@code destination} is empty (nats-server: no transform)
     * @throws SubjectTransformException with nats-server's error text when the pair is not a valid transform
     */
    // nats-server: subject_transform.go NewSubjectTransform
    public static SubjectTransform compile(String source, String destination) throws SubjectTransformException {
        return compile(source, destination, false);
    }

    /**
     * Compiles a transform that must be reversible, as imports need: only {@code $N} / {@code wildcard(N)} functions,
     * and every source wildcard used.
     *
     * @return the transform, or null when {@code destination} is empty
     */
    // nats-server: subject_transform.go NewSubjectTransformStrict
    public static SubjectTransform compileForImport(String source, String destination)
            throws SubjectTransformException {
        return compile(source, destination, true);
    }

    /**
     * The extra checks nats-server makes on an account mapping destination before compiling it: no empty token or
     * token after {@code >}, no whitespace in literal tokens, and {@code {{...}}} tokens must name a known function
     * ({@code left} and {@code right} are unknown here, as in nats-server). Then compiles, to report its errors too.
     */
    // nats-server: sublist.go ValidateMapping
    public static void validateMapping(String source, String destination) throws SubjectTransformException {
        if (destination.isEmpty()) {
            return;
        }
        boolean afterFullWildcard = false;
        for (String token : tokenize(destination)) {
            if (token.isEmpty() || afterFullWildcard) {
                throw new SubjectTransformException(Reason.INVALID_TRANSFORM, token);
            }
            if (isMustache(token)) {
                if (MAPPING_FUNCTIONS.stream().noneMatch(p -> p.matcher(token).find())) {
                    throw new SubjectTransformException(Reason.UNKNOWN_FUNCTION, token);
                }
                continue;
            }
            if (token.equals(">")) {
                afterFullWildcard = true;
            } else if (containsWhitespace(token)) {
                throw new SubjectTransformException(Reason.INVALID_TRANSFORM);
            }
        }
        compile(source, destination, false);
    }

    // nats-server: subject_transform.go NewSubjectTransformWithStrict
    private static SubjectTransform compile(String source, String destination, boolean strict)
            throws SubjectTransformException {
        if (destination.isEmpty()) {
            return null;
        }
        String src = source.isEmpty() ? ">" : source;
        String[] sourceTokens = tokenize(src);
        String[] destinationTokens = tokenize(destination);
        int sourcePartials = countWildcards(sourceTokens, "*");
        int sourceFull = countWildcards(sourceTokens, ">");
        int destinationFull = countWildcards(destinationTokens, ">");
        if (!wellFormed(sourceTokens) || !wellFormed(destinationTokens)
                || countWildcards(destinationTokens, "*") > 0 || (sourceFull > 0) != (destinationFull > 0)) {
            throw new SubjectTransformException(Reason.BAD_SUBJECT);
        }
        Part[] parts = new Part[destinationTokens.length];
        if (sourcePartials > 0 || sourceFull > 0) {
            int[] wildcardPositions = new int[sourcePartials + 1];
            for (int i = 0, ordinal = 1; i < sourceTokens.length; i++) {
                if (sourceTokens[i].equals("*")) {
                    wildcardPositions[ordinal++] = i;
                }
            }
            int referenced = 0;
            for (int i = 0; i < destinationTokens.length; i++) {
                String token = destinationTokens[i];
                Placeholder ph = parsePlaceholder(token);
                if (strict && ph.function != Function.LITERAL && ph.function != Function.WILDCARD) {
                    throw new SubjectTransformException(Reason.NOT_SUPPORTED_FOR_IMPORT, token);
                }
                if (ph.function == Function.LITERAL) {
                    parts[i] = Part.literal(token);
                } else if (ph.function == Function.RANDOM) {
                    parts[i] = new Part(Function.RANDOM, null, NO_TOKENS, ph.number, "");
                } else {
                    referenced += ph.wildcards.length;
                    int[] positions = new int[ph.wildcards.length];
                    for (int w = 0; w < positions.length; w++) {
                        long ordinal = ph.wildcards[w];
                        if (ordinal > sourcePartials) {
                            throw new SubjectTransformException(Reason.INDEX_OUT_OF_RANGE,
                                    token + ": [" + ordinal + "]");
                        }
                        // nats-server: an ordinal below 1 is a missing map key there, so it reads source token 0
                        positions[w] = ordinal >= 1 ? wildcardPositions[(int) ordinal] : 0;
                    }
                    parts[i] = new Part(ph.function, null, positions, ph.number, ph.delimiter);
                }
            }
            if (strict && referenced < sourcePartials) {
                throw new SubjectTransformException(Reason.NOT_USING_ALL_WILDCARDS, destination);
            }
        } else {
            // A literal source allows only functions that need no source token; partition hashes the whole subject.
            for (int i = 0; i < destinationTokens.length; i++) {
                String token = destinationTokens[i];
                Placeholder ph = parsePlaceholder(token);
                switch (ph.function) {
                    case LITERAL -> parts[i] = Part.literal(token);
                    case RANDOM, PARTITION -> parts[i] = new Part(ph.function, null, NO_TOKENS, ph.number, "");
                    default -> throw new SubjectTransformException(Reason.INDEX_OUT_OF_RANGE, token);
                }
            }
        }
        return new SubjectTransform(src, destination, sourceTokens.length, parts);
    }

    // nats-server: subject_transform.go indexPlaceHolders
    private static Placeholder parsePlaceholder(String token) throws SubjectTransformException {
        if (token.length() > 1 && token.charAt(0) == '$') {
            try {
                return new Placeholder(Function.WILDCARD, new long[] {goAtoi(token.substring(1))}, -1, "");
            } catch (NumberFormatException e) {
                return LITERAL;                     // other features use tokens that start with '$'
            }
        }
        if (!isMustache(token)) {
            return LITERAL;
        }
        String[] args = arguments(WILDCARD, token);
        if (args != null) {
            if (args.length == 1 && args[0].isEmpty()) {
                throw new SubjectTransformException(Reason.NOT_ENOUGH_ARGUMENTS, token);
            }
            if (args.length > 1) {
                throw new SubjectTransformException(Reason.TOO_MANY_ARGUMENTS, token);
            }
            return new Placeholder(Function.WILDCARD, new long[] {intArgument(token, args[0], Long.MAX_VALUE)}, -1,
                    "");
        }
        args = arguments(PARTITION, token);
        if (args != null) {
            int buckets = (int) intArgument(token, args[0], Integer.MAX_VALUE);
            long[] wildcards = new long[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                wildcards[i - 1] = intArgument(token, args[i], Long.MAX_VALUE);
            }
            return new Placeholder(Function.PARTITION, wildcards, buckets, "");
        }
        Placeholder ph = indexAndNumber(SPLIT_FROM_LEFT, Function.SPLIT_FROM_LEFT, token);
        ph = ph != null ? ph : indexAndNumber(SPLIT_FROM_RIGHT, Function.SPLIT_FROM_RIGHT, token);
        ph = ph != null ? ph : indexAndNumber(SLICE_FROM_LEFT, Function.SLICE_FROM_LEFT, token);
        ph = ph != null ? ph : indexAndNumber(SLICE_FROM_RIGHT, Function.SLICE_FROM_RIGHT, token);
        ph = ph != null ? ph : indexAndNumber(RIGHT, Function.RIGHT, token);
        ph = ph != null ? ph : indexAndNumber(LEFT, Function.LEFT, token);
        if (ph != null) {
            return ph;
        }
        args = arguments(SPLIT, token);
        if (args != null) {
            checkTwoArguments(token, args);
            long index = intArgument(token, args[0], Long.MAX_VALUE);
            if (args[1].contains(" ") || args[1].contains(".")) {
                throw new SubjectTransformException(Reason.INVALID_ARGUMENT, token);
            }
            return new Placeholder(Function.SPLIT, new long[] {index}, -1, args[1]);
        }
        args = arguments(RANDOM, token);
        if (args != null) {
            if (args.length != 1) {
                throw new SubjectTransformException(Reason.NOT_ENOUGH_ARGUMENTS, token);
            }
            return new Placeholder(Function.RANDOM, NO_WILDCARDS, (int) intArgument(token, args[0], Integer.MAX_VALUE),
                    "");
        }
        throw new SubjectTransformException(Reason.UNKNOWN_FUNCTION, token);
    }

    // nats-server: subject_transform.go transformIndexIntArgsHelper
    private static Placeholder indexAndNumber(Pattern pattern, Function function, String token)
            throws SubjectTransformException {
        String[] args = arguments(pattern, token);
        if (args == null) {
            return null;
        }
        checkTwoArguments(token, args);
        long index = intArgument(token, args[0], Long.MAX_VALUE);
        long number = intArgument(token, args[1], Integer.MAX_VALUE);
        if (number < Integer.MIN_VALUE) {
            throw new SubjectTransformException(Reason.INVALID_ARGUMENT, token);
        }
        return new Placeholder(function, new long[] {index}, (int) number, "");
    }

    private static void checkTwoArguments(String token, String[] args) throws SubjectTransformException {
        if (args.length < 2) {
            throw new SubjectTransformException(Reason.NOT_ENOUGH_ARGUMENTS, token);
        }
        if (args.length > 2) {
            throw new SubjectTransformException(Reason.TOO_MANY_ARGUMENTS, token);
        }
    }

    /** An integer argument (spaces trimmed) no greater than {@code max}; below that, Go's int64 (or int32) wrap. */
    private static long intArgument(String token, String arg, long max) throws SubjectTransformException {
        try {
            long value = goAtoi(trimSpaces(arg));
            if (value > max) {
                throw new SubjectTransformException(Reason.INVALID_ARGUMENT, token);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SubjectTransformException(Reason.INVALID_ARGUMENT, token);
        }
    }

    /** Go's {@code strings.Trim(s, " ")}: spaces only, not other whitespace. */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    /** Go's {@code strconv.Atoi} on a 64-bit platform: optional sign, ASCII digits only. */
    private static long goAtoi(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            throw new NumberFormatException(s);
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }

    private static String[] arguments(Pattern pattern, String token) {
        Matcher m = pattern.matcher(token);
        if (!m.find()) {
            return null;
        }
        return ARGUMENT_SEPARATOR.split(m.group(1), -1);
    }

    private static boolean isMustache(String token) {
        int n = token.length();
        return n > 4 && token.startsWith("{{") && token.endsWith("}}");
    }

    private static boolean containsWhitespace(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /** Splits on {@code '.'} keeping empty tokens. */
    static String[] tokenize(String subject) {
        List<String> tokens = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                tokens.add(subject.substring(start, i));
                start = i + 1;
            }
        }
        tokens.add(subject.substring(start));
        return tokens.toArray(String[]::new);
    }

    // nats-server: subject_transform.go subjectInfo (no empty token, nothing after '>')
    private static boolean wellFormed(String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty() || (i > 0 && tokens[i - 1].equals(">"))) {
                return false;
            }
        }
        return true;
    }

    private static int countWildcards(String[] tokens, String wildcard) {
        int n = 0;
        for (String t : tokens) {
            if (t.equals(wildcard)) {
                n++;
            }
        }
        return n;
    }

    public String source() {
        return source;
    }

    public String destination() {
        return destination;
    }

    /**
     * Transforms {@code subject} if it is a valid literal subject matching the source.
     *
     * @return the new subject, or null when the subject does not match (nats-server {@code ErrNoTransforms}) or is
     *         not a valid literal subject ({@code ErrBadSubject})
     */
    // nats-server: subject_transform.go subjectTransform.Match
    public String match(String subject) {
        boolean anySource = source.equals(">");
        if (anySource && destination.equals(">")) {
            return subject;
        }
        String[] tokens = tokenize(subject);
        for (String t : tokens) {
            if (t.isEmpty() || t.equals("*") || t.equals(">")) {
                return null;
            }
        }
        if (!anySource && !Subjects.subjectMatchesFilter(subject, source)) {
            return null;
        }
        return apply(tokens, tokens.length);
    }

    /** Transforms {@code subject}, which the caller knows matches the source. */
    // nats-server: subject_transform.go TransformSubject
    public String apply(String subject) {
        String[] tokens = tokenize(subject);
        return apply(tokens, tokens.length);
    }

    /**
     * Transforms a subject given as its first {@code count} tokens. Source-token positions beyond {@code count} read
     * as empty tokens (nats-server would panic).
     */
    // nats-server: subject_transform.go TransformTokenizedSubject
    public String apply(String[] tokens, int count) {
        StringBuilder out = new StringBuilder(destination.length() + 16);
        for (int i = 0; i < parts.length; i++) {
            Part part = parts[i];
            if (part.function == Function.LITERAL && part.literal.equals(">")) {
                break;
            }
            appendPart(out, part, tokens, count);
            if (i < parts.length - 1) {
                out.append('.');
            }
        }
        if (carriesTail) {
            for (int t = sourceTokenCount - 1; t < count; t++) {
                out.append(tokens[t]);
                if (t < count - 1) {
                    out.append('.');
                }
            }
        }
        return out.toString();
    }

    private static void appendPart(StringBuilder out, Part part, String[] tokens, int count) {
        switch (part.function) {
            case LITERAL -> out.append(part.literal);
            case WILDCARD -> out.append(token(tokens, count, part.sourceTokens[0]));
            case PARTITION -> out.append(partition(part, tokens, count));
            case RANDOM -> out.append(part.number == 0 ? 0
                    : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE) % part.number);
            case SPLIT_FROM_LEFT, SPLIT_FROM_RIGHT -> {
                String t = token(tokens, count, part.sourceTokens[0]);
                int at = part.function == Function.SPLIT_FROM_LEFT ? part.number : t.length() - part.number;
                if (part.number > 0 && part.number < t.length()) {
                    out.append(t, 0, at).append('.').append(t, at, t.length());
                } else {
                    out.append(t);
                }
            }
            case SLICE_FROM_LEFT, SLICE_FROM_RIGHT -> {
                String t = token(tokens, count, part.sourceTokens[0]);
                int size = part.number;
                if (size <= 0 || size >= t.length()) {
                    out.append(t);
                    break;
                }
                // From the left the short piece comes last; from the right it comes first.
                int first = part.function == Function.SLICE_FROM_LEFT ? size : t.length() % size;
                int start = 0;
                if (first > 0 && first != size) {
                    out.append(t, 0, first).append('.');
                    start = first;
                }
                for (int at = start; at < t.length(); at += size) {
                    if (at > start) {
                        out.append('.');
                    }
                    out.append(t, at, Math.min(at + size, t.length()));
                }
            }
            case SPLIT -> appendSplit(out, token(tokens, count, part.sourceTokens[0]), part.delimiter);
            case LEFT, RIGHT -> {
                String t = token(tokens, count, part.sourceTokens[0]);
                int n = part.number;
                if (n > 0 && n < t.length()) {
                    out.append(t, part.function == Function.LEFT ? 0 : t.length() - n,
                            part.function == Function.LEFT ? n : t.length());
                } else {
                    out.append(t);
                }
            }
        }
    }

    /**
     * Pieces of {@code token} split on {@code delimiter} become tokens; empty pieces are dropped, except that, as in
     * nats-server, a separator is still written before a non-empty piece that follows an empty one past the first.
     */
    // nats-server: subject_transform.go TransformTokenizedSubject (case Split)
    private static void appendSplit(StringBuilder out, String token, String delimiter) {
        List<String> pieces = splitLiteral(token, delimiter);
        for (int j = 0; j < pieces.size(); j++) {
            String piece = pieces.get(j);
            out.append(piece);
            boolean nextNonEmpty = j < pieces.size() - 1 && !pieces.get(j + 1).isEmpty();
            if (nextNonEmpty && !(j == 0 && piece.isEmpty())) {
                out.append('.');
            }
        }
    }

    /** Go's {@code strings.Split}: a literal delimiter; an empty one splits into code points. */
    private static List<String> splitLiteral(String s, String delimiter) {
        List<String> pieces = new ArrayList<>();
        if (delimiter.isEmpty()) {
            s.codePoints().forEach(cp -> pieces.add(Character.toString(cp)));
            return pieces;
        }
        int start = 0;
        int at;
        while ((at = s.indexOf(delimiter, start)) >= 0) {
            pieces.add(s.substring(start, at));
            start = at + delimiter.length();
        }
        pieces.add(s.substring(start));
        return pieces;
    }

    private static String token(String[] tokens, int count, int position) {
        return position < count ? tokens[position] : "";
    }

    // nats-server: subject_transform.go getHashPartition (FNV-1a 32 over the UTF-8 bytes, modulo as unsigned)
    private static String partition(Part part, String[] tokens, int count) {
        if (part.number == 0) {
            return "0";
        }
        String key;
        if (part.sourceTokens.length > 0) {
            StringBuilder sb = new StringBuilder();
            for (int position : part.sourceTokens) {
                sb.append(token(tokens, count, position));
            }
            key = sb.toString();
        } else {
            key = String.join(".", Arrays.asList(tokens).subList(0, count));
        }
        int hash = FNV_OFFSET_BASIS;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return Long.toString(Integer.toUnsignedLong(hash) % Integer.toUnsignedLong(part.number));
    }

    /**
     * The reverse transform, for import responses: destination wildcard references become {@code *} in the new
     * source and the source's wildcards become those references in the new destination.
     *
     * @return the reverse, or null when it cannot be built
     */
    // nats-server: subject_transform.go subjectTransform.reverse / transformUntokenize
    public SubjectTransform reverse() {
        List<String> placeholders = new ArrayList<>();
        StringBuilder newSource = new StringBuilder();
        for (String token : tokenize(destination)) {
            String[] args = arguments(WILDCARD, token);
            boolean reference = (token.length() > 1 && token.charAt(0) == '$' && token.charAt(1) >= '1'
                    && token.charAt(1) <= '9') || (args != null && args.length == 1 && !args[0].isEmpty());
            if (!newSource.isEmpty()) {
                newSource.append('.');
            }
            if (reference) {
                placeholders.add(token);
                newSource.append('*');
            } else {
                newSource.append(token);
            }
        }
        StringBuilder newDestination = new StringBuilder();
        int next = 0;
        for (String token : tokenize(source)) {
            if (!newDestination.isEmpty()) {
                newDestination.append('.');
            }
            if (token.equals("*")) {
                if (next == placeholders.size()) {
                    return null;
                }
                newDestination.append(placeholders.get(next++));
            } else {
                newDestination.append(token);
            }
        }
        try {
            return compileForImport(newSource.toString(), newDestination.toString());
        } catch (SubjectTransformException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return source + " -> " + destination;
    }
}
