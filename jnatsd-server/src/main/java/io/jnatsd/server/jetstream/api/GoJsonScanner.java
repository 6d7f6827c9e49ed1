package io.jnatsd.server.jetstream.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into the JSON values Go's {@code json.Decoder} would read one after the other, and reports
 * malformed input with the texts of Go's scanner ({@code encoding/json scanner.go}): {@code invalid character 'x'
 * looking for beginning of value at offset 7}, {@code unexpected EOF}. The offset counts every byte up to and
 * including the offending one, as nats-server's {@code unmarshalRequest} appends it. A number or literal ends where
 * its characters stop; what follows is read in the enclosing context (a nested value) or as the next top-level value,
 * as Go's decoder does.
 * <p>
 * Stateless; thread-safe.
 */
// nats-server: jetstream_api.go unmarshalRequest (json.NewDecoder loop); Go encoding/json scanner.go, stream.go
final class GoJsonScanner {

    /** A syntax error, with Go's message. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /** One top-level value: {@code [start, end)} of the input. */
    record Value(int start, int end) {
    }

    private final byte[] in;
    private int pos;

    private GoJsonScanner(byte[] in) {
        this.in = in;
    }

    /** The top-level values of {@code in}, in order; empty for empty or all-whitespace input. */
    static List<Value> values(byte[] in) throws SyntaxError {
        GoJsonScanner s = new GoJsonScanner(in);
        List<Value> out = new ArrayList<>();
        while (true) {
            s.skipSpace();
            if (s.pos >= in.length) {
                return out;
            }
            int start = s.pos;
            s.value();
            out.add(new Value(start, s.pos));
        }
    }

    private void skipSpace() {
        while (pos < in.length && isSpace(in[pos])) {
            pos++;
        }
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private SyntaxError invalid(String context) {
        return new SyntaxError("invalid character " + quoteChar(in[pos] & 0xff) + " " + context + " at offset "
                + (pos + 1));
    }

    private static SyntaxError unexpectedEof() {
        return new SyntaxError("unexpected EOF");
    }

    /**
     * Go's {@code quoteChar}: the byte taken as a rune and quoted as {@code strconv.Quote} does, in single quotes.
     */
    // Go: scanner.go quoteChar, strconv.Quote
    static String quoteChar(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        String s = switch (c) {
            case 0x07 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x0b -> "\\v";
            case '\\' -> "\\\\";
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    yield String.format("\\x%02x", c);
                }
                if (c >= 0x80 && (c < 0xa1 || c == 0xad)) {
                    yield String.format("\\u%04x", c);
                }
                yield String.valueOf((char) c);
            }
        };
        return "'" + s + "'";
    }

    /** Scans one value starting at {@code pos} (no leading space). */
    private void value() throws SyntaxError {
        skipSpace();
        if (pos >= in.length) {
            throw unexpectedEof();
        }
        int c = in[pos];
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw invalid("looking for beginning of value");
                }
            }
        }
    }

    private void object() throws SyntaxError {
        pos++;
        skipSpace();
        if (pos >= in.length) {
            throw unexpectedEof();
        }
        if (in[pos] == '}') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (in[pos] != '"') {
                throw invalid("looking for beginning of object key string");
            }
            string();
            skipSpace();
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (in[pos] != ':') {
                throw invalid("after object key");
            }
            pos++;
            value();
            skipSpace();
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (in[pos] == ',') {
                pos++;
                continue;
            }
            if (in[pos] == '}') {
                pos++;
                return;
            }
            throw invalid("after object key:value pair");
        }
    }

    private void array() throws SyntaxError {
        pos++;
        skipSpace();
        if (pos >= in.length) {
            throw unexpectedEof();
        }
        if (in[pos] == ']') {
            pos++;
            return;
        }
        while (true) {
            value();
            skipSpace();
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (in[pos] == ',') {
                pos++;
                continue;
            }
            if (in[pos] == ']') {
                pos++;
                return;
            }
            throw invalid("after array element");
        }
    }

    private void string() throws SyntaxError {
        pos++;
        while (true) {
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            int c = in[pos] & 0xff;
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                pos++;
                if (pos >= in.length) {
                    throw unexpectedEof();
                }
                int e = in[pos];
                switch (e) {
                    case 'b', 'f', 'n', 'r', 't', '\\', '/', '"' -> pos++;
                    case 'u' -> {
                        pos++;
                        for (int i = 0; i < 4; i++) {
                            if (pos >= in.length) {
                                throw unexpectedEof();
                            }
                            if (Character.digit(in[pos], 16) < 0) {
                                throw invalid("in \\u hexadecimal character escape");
                            }
                            pos++;
                        }
                    }
                    default -> throw invalid("in string escape code");
                }
                continue;
            }
            if (c < 0x20) {
                throw invalid("in string literal");
            }
            pos++;
        }
    }

    private void literal(String word) throws SyntaxError {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (in[pos] != word.charAt(i)) {
                throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
            }
            pos++;
        }
    }

    private void number() throws SyntaxError {
        if (in[pos] == '-') {
            pos++;
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (!isDigit(in[pos])) {
                throw invalid("in numeric literal");
            }
        }
        if (in[pos] == '0') {
            pos++;
        } else {
            while (pos < in.length && isDigit(in[pos])) {
                pos++;
            }
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (!isDigit(in[pos])) {
                throw invalid("after decimal point in numeric literal");
            }
            while (pos < in.length && isDigit(in[pos])) {
                pos++;
            }
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (pos >= in.length) {
                throw unexpectedEof();
            }
            if (!isDigit(in[pos])) {
                throw invalid("in exponent of numeric literal");
            }
            while (pos < in.length && isDigit(in[pos])) {
                pos++;
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
