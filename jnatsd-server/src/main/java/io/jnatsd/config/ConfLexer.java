package io.jnatsd.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Lexer for the nats-server configuration language: turns UTF-8 bytes into {@link Token}s on demand.
 *
 * <p>This is a state machine in the style of nats-server {@code conf/lex.go}: every state is a method returning
 * the next state, and a stack of states says where to resume after a nested value, a comment or an include.
 * The machine works on bytes, not chars, because nats-server reports item positions in bytes and its odd
 * corners (positions of escaped strings, {@code \x} decoding, block ends after multi-byte characters) only come
 * out the same when the same bytes are counted.
 *
 * <p>Token positions follow nats-server: {@code line} is the line the lexer is on when the token is complete;
 * {@code pos} is measured from the start of the line where the token began, and because nats-server remembers
 * the offset of the {@code '\n'} itself as the line start, it is 0-based on line 1 and 1-based after.
 * Errors are returned as an {@link Kind#ERROR} token; after an error or {@link Kind#EOF} the lexer stops.
 *
 * <p>Not thread-safe; one instance lexes one input once.
 */
final class ConfLexer {

    /** Token kinds; the names are those of {@code itemType} in nats-server {@code conf/lex.go}. */
    enum Kind {
        ERROR, EOF, KEY, TEXT, STRING, BOOL, INTEGER, FLOAT, DATETIME,
        ARRAY_START, ARRAY_END, MAP_START, MAP_END, COMMENT_START, VARIABLE, INCLUDE
    }

    /** One lexed item: kind, decoded text, line and byte position (see class javadoc). */
    record Token(Kind kind, String text, int line, int pos) {
    }

    @FunctionalInterface
    private interface State {
        State step();
    }

    /** nats-server treats rune 0 (and the end of the input) as EOF. */
    private static final int EOF = 0;
    private static final int RUNE_ERROR = 0xFFFD;

    private final byte[] input;
    private final ArrayDeque<Token> ready = new ArrayDeque<>();
    private final ArrayDeque<State> stack = new ArrayDeque<>();
    /** Decoded escape sequences and the raw text before them, for strings containing backslashes. */
    private final ByteArrayOutputStream stringParts = new ByteArrayOutputStream();

    private State state = this::top;
    private State stringState;        // state to resume after an escape sequence
    private int start;                // byte offset where the pending token starts
    private int pos;                  // byte offset of the next rune
    private int widthBytes;           // width of the last rune read, for backup()
    private int line = 1;
    private int lineStart;            // offset of the '\n' that began the current line (0 on line 1)
    private int tokenLineStart;       // lineStart as it was when the pending token started

    ConfLexer(byte[] input) {
        this.input = input;
    }

    ConfLexer(String input) {
        this(input.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the next token, running the state machine as far as needed. */
    Token next() {
        while (ready.isEmpty()) {
            if (state == null) {
                return new Token(Kind.EOF, "", line, 0);
            }
            state = state.step();
        }
        return ready.poll();
    }

    // ---- low-level reading -----------------------------------------------------------------------------------

    private int read() {
        if (pos >= input.length) {
            widthBytes = 0;
            return EOF;
        }
        if (input[pos] == '\n') {
            line++;
            lineStart = pos;
        }
        int b0 = input[pos] & 0xFF;
        int rune;
        int width;
        if (b0 < 0x80) {
            rune = b0;
            width = 1;
        } else {
            long decoded = decodeRune(input, pos);
            rune = (int) decoded;
            width = (int) (decoded >>> 32);
        }
        widthBytes = width;
        pos += width;
        return rune;
    }

    /** Steps back over the last rune read; only once per read, and does not restore the line start. */
    private void backup() {
        pos -= widthBytes;
        if (pos < input.length && input[pos] == '\n') {
            line--;
        }
    }

    private int peek() {
        int r = read();
        backup();
        return r;
    }

    private void ignore() {
        start = pos;
        tokenLineStart = lineStart;
    }

    private void push(State s) {
        stack.push(s);
    }

    private State pop() {
        if (stack.isEmpty()) {
            return error("BUG in lexer: no states to pop.");
        }
        return stack.pop();
    }

    private void emit(Kind kind) {
        int partsBytes = stringParts.size();
        String text = partsBytes == 0 ? slice(start, pos) : partsString() + slice(start, pos);
        int lengthBytes = partsBytes + (pos - start);
        ready.add(new Token(kind, text, line, pos - tokenLineStart - lengthBytes));
        start = pos;
        tokenLineStart = lineStart;
    }

    private void emitString() {
        int partsBytes = stringParts.size();
        String text = partsBytes == 0 ? slice(start, pos) : partsString() + slice(start, pos);
        int lengthBytes = partsBytes + (pos - start);
        stringParts.reset();
        ready.add(new Token(Kind.STRING, text, line, pos - tokenLineStart - lengthBytes));
        start = pos;
        tokenLineStart = lineStart;
    }

    /** Keeps the raw text read so far (minus {@code trimBytes} at the end) as part of the current string. */
    private void addCurrentStringPart(int trimBytes) {
        stringParts.write(input, start, pos - trimBytes - start);
        start = pos;
    }

    private State addStringPart(byte[] bytes) {
        stringParts.write(bytes, 0, bytes.length);
        start = pos;
        return stringState;
    }

    private String partsString() {
        return ConfText.decodeUtf8(stringParts.toByteArray(), 0, stringParts.size());
    }

    private String slice(int from, int to) {
        return ConfText.decodeUtf8(input, from, to - from);
    }

    /** Emits an error token at the current position and stops the machine. */
    private State error(String message) {
        ready.add(new Token(Kind.ERROR, message, line, pos - lineStart));
        return null;
    }

    /** A rune as nats-server prints it inside error messages ({@code escapeSpecial}: only '\n' is escaped). */
    private static String show(int rune) {
        return rune == '\n' ? "\\n" : Character.toString(rune);
    }

    // ---- top level and {...}-wrapped top level ---------------------------------------------------------------

    private State top() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::top;
        }
        switch (r) {
            case '{' -> {
                push(this::top);
                ignore();
                return this::blockStart;
            }
            case '#' -> {
                push(this::top);
                return this::commentStart;
            }
            case '/' -> {
                if (read() == '/') {
                    push(this::top);
                    return this::commentStart;
                }
                backup();
                return endOfInput();
            }
            case EOF -> {
                return endOfInput();
            }
            default -> {
                backup();
                push(this::topValueEnd);
                return this::keyStart;
            }
        }
    }

    /** EOF where a key may start: fine if nothing is pending, otherwise the input ended mid-token. */
    private State endOfInput() {
        if (pos > start) {
            return error("Unexpected EOF.");
        }
        emit(Kind.EOF);
        return null;
    }

    private State topValueEnd() {
        int r = read();
        if (r == '#') {
            push(this::top);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::top);
                return this::commentStart;
            }
            backup();
            return this::topValueEnd;    // nats-server: a lone '/' falls through to the whitespace case
        }
        if (isWhitespace(r)) {
            return this::topValueEnd;
        }
        if (isNewline(r) || r == EOF || r == ';' || r == ',' || r == '}') {
            ignore();
            return this::top;
        }
        return error("Expected a top-level value to end with a new line, comment or EOF, but got '"
                + show(r) + "' instead.");
    }

    private State blockStart() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::blockStart;
        }
        switch (r) {
            case '{' -> {
                push(this::blockEnd);
                ignore();
                return this::blockStart;
            }
            case '}' -> {
                ignore();
                return pop();
            }
            case '#' -> {
                push(this::blockStart);
                return this::commentStart;
            }
            case '/' -> {
                if (read() == '/') {
                    push(this::blockStart);
                    return this::commentStart;
                }
                backup();
                return endOfInput();
            }
            case EOF -> {
                return endOfInput();
            }
            default -> {
                backup();
                push(this::blockValueEnd);
                return this::keyStart;
            }
        }
    }

    private State blockValueEnd() {
        int r = read();
        if (r == '#') {
            push(this::blockValueEnd);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::blockValueEnd);
                return this::commentStart;
            }
            backup();
            return this::blockValueEnd;
        }
        if (isWhitespace(r)) {
            return this::blockValueEnd;
        }
        if (isNewline(r) || r == ';' || r == ',') {
            ignore();
            return this::blockStart;
        }
        if (r == '}') {
            backup();
            return this::blockEnd;
        }
        return error("Expected a block-level value to end with a new line, comment or EOF, but got '"
                + show(r) + "' instead.");
    }

    private State blockEnd() {
        int r = read();
        if (r == '#') {
            push(this::blockStart);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::blockStart);
                return this::commentStart;
            }
            backup();
            return this::blockEnd;
        }
        if (isNewline(r) || isWhitespace(r)) {
            return this::blockEnd;
        }
        if (r == ';' || r == ',') {
            ignore();
            return this::blockStart;
        }
        if (r == '}') {
            ignore();
            return pop();
        }
        return error("Expected a block-level to end with a '}', but got '" + show(r) + "' instead.");
    }

    // ---- keys ------------------------------------------------------------------------------------------------

    private State keyStart() {
        int r = peek();
        if (isKeySeparator(r)) {
            return error("Unexpected key separator '" + show(r) + "'");
        }
        if (isSpace(r)) {
            read();
            ignore();
            return this::keyStart;
        }
        if (r == '"') {
            read();
            ignore();
            return this::doubleQuotedKey;
        }
        if (r == '\'') {
            read();
            ignore();
            return this::singleQuotedKey;
        }
        ignore();
        read();
        return this::key;
    }

    private State doubleQuotedKey() {
        return quotedKey('"', this::doubleQuotedKey);
    }

    private State singleQuotedKey() {
        return quotedKey('\'', this::singleQuotedKey);
    }

    private State quotedKey(int quote, State self) {
        int r = peek();
        if (r == quote) {
            emit(Kind.KEY);
            read();
            ignore();
            return this::keyEnd;
        }
        if (r == EOF) {
            return endOfInput();
        }
        read();
        return self;
    }

    private State key() {
        int r = peek();
        if (isSpace(r)) {
            return keyOrKeyword(this::keyEnd, null);
        }
        if (isKeySeparator(r) || r == EOF) {
            emit(Kind.KEY);
            return this::keyEnd;
        }
        read();
        return this::key;
    }

    /** A bare key followed by whitespace may be the {@code include} keyword (any case). */
    private State keyOrKeyword(State afterKey, State afterInclude) {
        if (ConfText.equalsIgnoreCaseSimple(input, start, pos, "include")) {
            ignore();
            if (afterInclude != null) {
                push(afterInclude);
            }
            return this::includeStart;
        }
        emit(Kind.KEY);
        return afterKey;
    }

    private State keyEnd() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::keyEnd;
        }
        if (isKeySeparator(r)) {
            ignore();
            return this::value;
        }
        if (r == EOF) {
            emit(Kind.EOF);
            return null;
        }
        backup();
        return this::value;
    }

    // ---- include ---------------------------------------------------------------------------------------------

    private State includeStart() {
        int r = read();
        if (isWhitespace(r)) {
            ignore();
            return this::includeStart;
        }
        backup();
        return this::include;
    }

    private State include() {
        int r = read();
        if (r == '\'') {
            ignore();
            return this::includeSingleQuoted;
        }
        if (r == '"') {
            ignore();
            return this::includeDoubleQuoted;
        }
        if (r == '[') {
            return error("Expected include value but found start of an array");
        }
        if (r == '{') {
            return error("Expected include value but found start of a map");
        }
        if (r == '(') {
            return error("Expected include value but found start of a block");
        }
        if (Character.isDigit(r) || r == '-') {
            return error("Expected include value but found start of a number");
        }
        if (r == '\\') {
            return error("Expected include value but found escape sequence");
        }
        if (isNewline(r)) {
            return error("Expected include value but found new line");
        }
        backup();
        return this::includeBare;
    }

    private State includeSingleQuoted() {
        int r = read();
        if (r == '\'') {
            return endQuotedInclude();
        }
        if (r == EOF) {
            return error("Unexpected EOF in quoted include");
        }
        return this::includeSingleQuoted;
    }

    private State includeDoubleQuoted() {
        int r = read();
        if (r == '"') {
            return endQuotedInclude();
        }
        if (r == EOF) {
            return error("Unexpected EOF in double quoted include");
        }
        return this::includeDoubleQuoted;
    }

    private State endQuotedInclude() {
        backup();
        emit(Kind.INCLUDE);
        read();
        ignore();
        return pop();
    }

    private State includeBare() {
        int r = read();
        if (isNewline(r) || r == EOF || r == ';' || r == '}' || isWhitespace(r)) {
            backup();
            emit(Kind.INCLUDE);
            return pop();
        }
        if (r == '\'') {
            return endQuotedInclude();
        }
        return this::includeBare;
    }

    // ---- values ----------------------------------------------------------------------------------------------

    private State value() {
        int r = read();
        if (isWhitespace(r)) {
            ignore();
            return this::value;
        }
        switch (r) {
            case '[' -> {
                ignore();
                emit(Kind.ARRAY_START);
                return this::arrayValue;
            }
            case '{' -> {
                ignore();
                emit(Kind.MAP_START);
                return this::mapKeyStart;
            }
            case '\'' -> {
                ignore();
                return this::singleQuotedString;
            }
            case '"' -> {
                ignore();
                stringState = this::doubleQuotedString;
                return this::doubleQuotedString;
            }
            case '-' -> {
                return this::negativeNumberStart;
            }
            case '(' -> {
                ignore();
                return this::block;
            }
            case '.' -> {
                return error("Floats must start with a digit");
            }
            default -> {
                if (Character.isDigit(r)) {
                    backup();
                    return this::numberStart;
                }
                if (isNewline(r)) {
                    return error("Expected value but found new line");
                }
                backup();
                stringState = this::bareString;
                return this::bareString;
            }
        }
    }

    private State arrayValue() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::arrayValue;
        }
        if (r == '#') {
            push(this::arrayValue);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::arrayValue);
                return this::commentStart;
            }
            backup();
            return error("Unexpected array value terminator ','.");   // nats-server falls through to ','
        }
        if (r == ',') {
            return error("Unexpected array value terminator ','.");
        }
        if (r == ']') {
            return arrayEnd();
        }
        backup();
        push(this::arrayValueEnd);
        return this::value;
    }

    private State arrayValueEnd() {
        int r = read();
        if (isWhitespace(r)) {
            ignore();
            return this::arrayValueEnd;
        }
        if (r == '#') {
            push(this::arrayValueEnd);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::arrayValueEnd);
                return this::commentStart;
            }
            backup();
            ignore();
            return this::arrayValue;
        }
        if (r == ',' || isNewline(r)) {
            ignore();
            return this::arrayValue;
        }
        if (r == ']') {
            return arrayEnd();
        }
        return error("Expected an array value terminator \",\" or an array terminator \"]\", but got '"
                + show(r) + "' instead.");
    }

    private State arrayEnd() {
        ignore();
        emit(Kind.ARRAY_END);
        return pop();
    }

    private State mapKeyStart() {
        int r = peek();
        if (isKeySeparator(r)) {
            return error("Unexpected key separator '" + show(r) + "'.");
        }
        if (r == ']') {
            return error("Unexpected array end '" + show(r) + "' processing map.");
        }
        if (isSpace(r)) {
            read();
            ignore();
            return this::mapKeyStart;
        }
        switch (r) {
            case '}' -> {
                read();
                ignore();
                return mapEnd();
            }
            case '#' -> {
                read();
                push(this::mapKeyStart);
                return this::commentStart;
            }
            case '/' -> {
                read();
                if (read() == '/') {
                    push(this::mapKeyStart);
                    return this::commentStart;
                }
                backup();   // nats-server: the key then starts after the lone '/'
            }
            case '\'' -> {
                read();
                ignore();
                return this::mapSingleQuotedKey;
            }
            case '"' -> {
                read();
                ignore();
                return this::mapDoubleQuotedKey;
            }
            case EOF -> {
                return error("Unexpected EOF processing map.");
            }
            default -> {
                // a bare key
            }
        }
        ignore();
        read();
        return this::mapKey;
    }

    private State mapSingleQuotedKey() {
        return mapQuotedKey('\'', "Unexpected EOF processing quoted map key.", this::mapSingleQuotedKey);
    }

    private State mapDoubleQuotedKey() {
        return mapQuotedKey('"', "Unexpected EOF processing double quoted map key.", this::mapDoubleQuotedKey);
    }

    private State mapQuotedKey(int quote, String eofMessage, State self) {
        int r = peek();
        if (r == EOF) {
            return error(eofMessage);
        }
        if (r == quote) {
            emit(Kind.KEY);
            read();
            ignore();
            return this::mapKeyEnd;
        }
        read();
        return self;
    }

    private State mapKey() {
        int r = peek();
        if (r == EOF) {
            return error("Unexpected EOF processing map key.");
        }
        if (isSpace(r)) {
            return keyOrKeyword(this::mapKeyEnd, this::mapValueEnd);
        }
        if (isKeySeparator(r)) {
            emit(Kind.KEY);
            return this::mapKeyEnd;
        }
        read();
        return this::mapKey;
    }

    private State mapKeyEnd() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::mapKeyEnd;
        }
        if (isKeySeparator(r)) {
            ignore();
            return this::mapValue;
        }
        backup();
        return this::mapValue;
    }

    private State mapValue() {
        int r = read();
        if (isSpace(r)) {
            ignore();
            return this::mapValue;
        }
        if (r == ',') {
            return error("Unexpected map value terminator \",\".");
        }
        if (r == '}') {
            ignore();
            return mapEnd();
        }
        backup();
        push(this::mapValueEnd);
        return this::value;
    }

    private State mapValueEnd() {
        int r = read();
        if (isWhitespace(r)) {
            ignore();
            return this::mapValueEnd;
        }
        if (r == '#') {
            push(this::mapValueEnd);
            return this::commentStart;
        }
        if (r == '/') {
            if (read() == '/') {
                push(this::mapValueEnd);
                return this::commentStart;
            }
            backup();
            ignore();
            return this::mapKeyStart;
        }
        if (r == ';' || r == ',' || isNewline(r)) {
            ignore();
            return this::mapKeyStart;
        }
        if (r == '}') {
            ignore();
            return mapEnd();
        }
        return error("Expected a map value terminator \",\" or a map terminator \"}\", but got '"
                + show(r) + "' instead.");
    }

    private State mapEnd() {
        ignore();
        emit(Kind.MAP_END);
        return pop();
    }

    // ---- strings ---------------------------------------------------------------------------------------------

    private State singleQuotedString() {
        int r = read();
        if (r == '\'') {
            backup();
            emit(Kind.STRING);
            read();
            ignore();
            return pop();
        }
        if (r == EOF) {
            return endOfInput();
        }
        return this::singleQuotedString;
    }

    private State doubleQuotedString() {
        int r = read();
        if (r == '\\') {
            addCurrentStringPart(1);
            return this::stringEscape;
        }
        if (r == '"') {
            backup();
            emitString();
            read();
            ignore();
            return pop();
        }
        if (r == EOF) {
            return endOfInput();
        }
        return this::doubleQuotedString;
    }

    /** An unquoted value: a string, or a bool or a variable if the whole word says so. */
    private State bareString() {
        int r = read();
        if (r == '\\') {
            addCurrentStringPart(1);
            return this::stringEscape;
        }
        if (isNewline(r) || r == EOF || r == ';' || r == ',' || r == ']' || r == '}' || isWhitespace(r)) {
            backup();
            if (stringParts.size() > 0) {
                emitString();
            } else if (isBool()) {
                emit(Kind.BOOL);
            } else if (pos > start && input[start] == '$') {
                start++;                 // the variable name excludes '$' (and so does its position)
                emit(Kind.VARIABLE);
            } else {
                emitString();
            }
            return pop();
        }
        if (r == '\'') {
            backup();
            emitString();
            read();
            ignore();
            return pop();
        }
        return this::bareString;
    }

    private static final String[] BOOL_WORDS = {"true", "false", "on", "off", "yes", "no"};

    private boolean isBool() {
        for (String word : BOOL_WORDS) {
            if (ConfText.equalsIgnoreCaseSimple(input, start, pos, word)) {
                return true;
            }
        }
        return false;
    }

    /** Block string: from after '(' to a ')' alone on its own line; the text is kept raw. */
    private State block() {
        int r = read();
        if (r == ')') {
            // nats-server: conf/lex.go lexBlock. Steps back by the width of ')' twice, so a multi-byte rune
            // before ')' is examined from its middle; kept as is for identical results.
            backup();
            backup();
            if (read() != '\n') {
                read();
                return this::block;
            }
            read();
            int after = read();
            if (after == '\n' || after == EOF) {
                backup();
                backup();
                emit(Kind.STRING);
                read();
                ignore();
                return pop();
            }
            backup();
            return this::block;
        }
        if (r == EOF) {
            return error("Unexpected EOF processing block.");
        }
        return this::block;
    }

    private State stringEscape() {
        int r = read();
        return switch (r) {
            case 'x' -> this::stringHexByte;
            case 't' -> addStringPart(new byte[] {'\t'});
            case 'n' -> addStringPart(new byte[] {'\n'});
            case 'r' -> addStringPart(new byte[] {'\r'});
            case '"' -> addStringPart(new byte[] {'"'});
            case '\\' -> addStringPart(new byte[] {'\\'});
            default -> error("Invalid escape character '" + show(r) + "'. Only the following escape characters"
                    + " are allowed: \\xXX, \\t, \\n, \\r, \\\", \\\\.");
        };
    }

    private State stringHexByte() {
        if (isNewline(read()) || isNewline(read())) {
            return error("Expected two hexadecimal digits after '\\x', but hit end of line");
        }
        int offset = pos - 2;   // nats-server assumes two single-byte runes here
        int high = Character.digit(input[offset] & 0xFF, 16);
        int low = Character.digit(input[offset + 1] & 0xFF, 16);
        if (high < 0 || low < 0 || (input[offset] & 0x80) != 0 || (input[offset + 1] & 0x80) != 0) {
            return error("Expected two hexadecimal digits after '\\x', but got '" + slice(offset, pos) + "'");
        }
        addStringPart(new byte[] {(byte) (high << 4 | low)});
        return stringState;
    }

    // ---- numbers, dates, IP addresses ------------------------------------------------------------------------

    private State numberStart() {
        int r = read();
        if (!Character.isDigit(r)) {
            return r == '.' ? error("Floats must start with a digit, not '.'.")
                    : error("Expected a digit but got '" + show(r) + "'.");
        }
        return this::numberOrDateOrStringOrIp;
    }

    private State numberOrDateOrStringOrIp() {
        int r = read();
        if (r == '-') {
            if (pos - start != 5) {
                return error("All ISO8601 dates must be in full Zulu form.");
            }
            return this::dateAfterYear;
        }
        if (Character.isDigit(r)) {
            return this::numberOrDateOrStringOrIp;
        }
        if (r == '.') {
            return this::floatStart;
        }
        if (isNumberSuffix(r)) {
            return this::sizedNumber;
        }
        if (!(isNewline(r) || r == EOF || r == '}' || r == ';' || r == ',' || isWhitespace(r))) {
            // a digit-led word: the rest is lexed as a bare string (']' is not a terminator here)
            stringState = this::bareString;
            return this::bareString;
        }
        backup();
        emit(Kind.INTEGER);
        return pop();
    }

    /** After a size suffix letter: any run of b/B/i/I, then the number must end, else it is a string. */
    private State sizedNumber() {
        int r = read();
        if (r == 'b' || r == 'B' || r == 'i' || r == 'I') {
            return this::sizedNumber;
        }
        backup();
        if (isNewline(r) || r == EOF || r == '}' || r == ';' || r == ',' || isWhitespace(r)
                || Character.isDigit(r)) {
            emit(Kind.INTEGER);
            return pop();
        }
        stringState = this::bareString;
        return this::bareString;
    }

    private static final String DATE_AFTER_YEAR = "00-00T00:00:00Z";   // '0' stands for any digit

    private State dateAfterYear() {
        for (int i = 0; i < DATE_AFTER_YEAR.length(); i++) {
            char expected = DATE_AFTER_YEAR.charAt(i);
            int r = read();
            if (expected == '0') {
                if (!Character.isDigit(r)) {
                    return error("Expected digit in ISO8601 datetime, but found '" + show(r) + "' instead.");
                }
            } else if (expected != r) {
                return error("Expected '" + expected + "' in ISO8601 datetime, but found '" + show(r)
                        + "' instead.");
            }
        }
        emit(Kind.DATETIME);
        return pop();
    }

    private State negativeNumberStart() {
        int r = read();
        if (!Character.isDigit(r)) {
            return r == '.' ? error("Floats must start with a digit, not '.'.")
                    : error("Expected a digit but got '" + show(r) + "'.");
        }
        return this::negativeNumber;
    }

    private State negativeNumber() {
        int r = read();
        if (Character.isDigit(r)) {
            return this::negativeNumber;
        }
        if (r == '.') {
            return this::floatStart;
        }
        if (isNumberSuffix(r)) {
            return this::sizedNumber;
        }
        backup();
        emit(Kind.INTEGER);
        return pop();
    }

    private State floatStart() {
        int r = read();
        if (!Character.isDigit(r)) {
            return error("Floats must have a digit after the '.', but got '" + show(r) + "' instead.");
        }
        return this::floatDigits;
    }

    private State floatDigits() {
        int r = read();
        if (Character.isDigit(r)) {
            return this::floatDigits;
        }
        if (r == '.') {
            return this::ipAddress;    // a second '.': not a float after all
        }
        backup();
        emit(Kind.FLOAT);
        return pop();
    }

    private State ipAddress() {
        int r = read();
        if (Character.isDigit(r) || r == '.' || r == ':' || r == '-') {
            return this::ipAddress;
        }
        backup();
        emit(Kind.STRING);
        return pop();
    }

    // ---- comments --------------------------------------------------------------------------------------------

    private State commentStart() {
        ignore();
        emit(Kind.COMMENT_START);
        return this::comment;
    }

    private State comment() {
        int r = peek();
        if (isNewline(r) || r == EOF) {
            emit(Kind.TEXT);
            return pop();
        }
        read();
        return this::comment;
    }

    // ---- character classes -----------------------------------------------------------------------------------

    private static boolean isNumberSuffix(int r) {
        return switch (r) {
            case 'k', 'K', 'm', 'M', 'g', 'G', 't', 'T', 'p', 'P', 'e', 'E' -> true;
            default -> false;
        };
    }

    private static boolean isKeySeparator(int r) {
        return r == '=' || r == ':';
    }

    /** Whitespace inside a line: space and tab only. */
    private static boolean isWhitespace(int r) {
        return r == '\t' || r == ' ';
    }

    private static boolean isNewline(int r) {
        return r == '\n' || r == '\r';
    }

    /** Go {@code unicode.IsSpace}. */
    static boolean isSpace(int r) {
        return switch (r) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 ->
                    true;
            default -> r >= 0x2000 && r <= 0x200A;
        };
    }

    /**
     * Decodes one rune at {@code offset} like Go's {@code utf8.DecodeRune}: an invalid or truncated sequence
     * yields U+FFFD with width 1. Returns {@code width << 32 | rune}.
     */
    static long decodeRune(byte[] bytes, int offset) {
        int b0 = bytes[offset] & 0xFF;
        int need;
        int rune;
        int lowest = 0x80;
        int highest = 0xBF;
        if (b0 < 0x80) {
            return 1L << 32 | b0;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            rune = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            rune = b0 & 0x0F;
            if (b0 == 0xE0) {
                lowest = 0xA0;
            } else if (b0 == 0xED) {
                highest = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            rune = b0 & 0x07;
            if (b0 == 0xF0) {
                lowest = 0x90;
            } else if (b0 == 0xF4) {
                highest = 0x8F;
            }
        } else {
            return 1L << 32 | RUNE_ERROR;
        }
        if (offset + need >= bytes.length) {
            return 1L << 32 | RUNE_ERROR;
        }
        for (int i = 1; i <= need; i++) {
            int b = bytes[offset + i] & 0xFF;
            int lo = i == 1 ? lowest : 0x80;
            int hi = i == 1 ? highest : 0xBF;
            if (b < lo || b > hi) {
                return 1L << 32 | RUNE_ERROR;
            }
            rune = rune << 6 | (b & 0x3F);
        }
        return (long) (need + 1) << 32 | rune;
    }
}
