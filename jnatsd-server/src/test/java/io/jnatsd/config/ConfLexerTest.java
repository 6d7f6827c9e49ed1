package io.jnatsd.config;

import static io.jnatsd.config.ConfLexer.Kind.ARRAY_END;
import static io.jnatsd.config.ConfLexer.Kind.ARRAY_START;
import static io.jnatsd.config.ConfLexer.Kind.BOOL;
import static io.jnatsd.config.ConfLexer.Kind.COMMENT_START;
import static io.jnatsd.config.ConfLexer.Kind.DATETIME;
import static io.jnatsd.config.ConfLexer.Kind.EOF;
import static io.jnatsd.config.ConfLexer.Kind.ERROR;
import static io.jnatsd.config.ConfLexer.Kind.FLOAT;
import static io.jnatsd.config.ConfLexer.Kind.INCLUDE;
import static io.jnatsd.config.ConfLexer.Kind.INTEGER;
import static io.jnatsd.config.ConfLexer.Kind.KEY;
import static io.jnatsd.config.ConfLexer.Kind.MAP_END;
import static io.jnatsd.config.ConfLexer.Kind.MAP_START;
import static io.jnatsd.config.ConfLexer.Kind.STRING;
import static io.jnatsd.config.ConfLexer.Kind.TEXT;
import static io.jnatsd.config.ConfLexer.Kind.VARIABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jnatsd.config.ConfLexer.Kind;
import io.jnatsd.config.ConfLexer.Token;
import org.junit.jupiter.api.Test;

/**
 * Lexer tests ported from nats-server {@code conf/lex_test.go} (same names, same expected tokens and positions).
 * {@link #expect} keeps the Go helper's semantics: tokens are compared in order until the lexer reports EOF
 * (expected EOF entries themselves are not compared) or an error.
 */
class ConfLexerTest {

    private static Token tok(Kind kind, String text, int line, int pos) {
        return new Token(kind, text, line, pos);
    }

    private static void expect(String input, Token... expected) {
        ConfLexer lexer = new ConfLexer(input);
        for (int i = 0; i < expected.length; i++) {
            Token token = lexer.next();
            if (token.kind() == EOF) {
                break;
            }
            assertThat(token).as("token %d of %s", i, input).isEqualTo(expected[i]);
            if (token.kind() == ERROR) {
                break;
            }
        }
    }

    private static final String ML_ARRAY = "\n# top level comment\nfoo = [\n 1, # One\n"
            + " 2, // Two\n 3 # Three\n 'bar'     ,\n \"bar\"\n]\n";
    private static final String ML_ARRAY_NO_SEP = "\n# top level comment\nfoo = [\n 1 // foo\n"
            + " 2\n 3\n 'bar'\n \"bar\"\n]\n";
    private static final String ML_MAP = "\nfoo = {\n  ip = '127.0.0.1' # the IP\n  port= 4242 // the port\n}\n";
    private static final String NESTED_MAP = "\nfoo = {\n  host = {\n    ip = '127.0.0.1'\n    port= 4242\n  }\n}\n";
    private static final String ESC_STRING = "\nfoo  = \\t\nbar  = \\r\nbaz  = \\n\nq    = \\\"\nbs   = \\\\\n";
    private static final String NESTED_WHITESPACE_MAP = "\nfoo  {\n  host  {\n    ip = '127.0.0.1'\n"
            + "    port= 4242\n  }\n}\n";
    private static final String SEMICOLONS = "\nfoo = 123;\nbar = 'baz';\nbaz = 'boo'\nmap {\n id = 1;\n}\n";
    private static final String NOQUOTES = "\nfoo = 123\nbar = baz\nbaz=boo\nmap {\n"
            + " id:one\n id2 : onetwo\n}\nt true\nf false\ntstr \"true\"\n"
            + "tkey = two\nfkey = five # This should be a string\n";
    private static final String DANGLINGQUOTE = "\nlisten: \"localhost:4242\n\nhttp: localhost:8222\n";
    private static final String KEYDANGLINGQUOTE = "\nfoo = \"\nlisten: \"\n\nhttp: localhost:8222\n\n\"\n";
    private static final String DANGLINGSQUOTE = "\nlisten: 'localhost:4242\n\nhttp: localhost:8222\n";
    private static final String KEYDANGLINGSQUOTE = "\nfoo = '\nlisten: '\n\nhttp: localhost:8222\n\n'\n";
    private static final String MAPDANGLINGBRACKET = "\nlisten = 4222\n\ncluster = {\n\n  foo = bar\n\n";
    private static final String BLOCKDANGLINGPARENS = "\nlisten = 4222\n\nquote = (\n\n  foo = bar\n\n";
    private static final String MLNESTEDMAP = "\nsystems {\n  allinone {\n    description: \"This is a description.\"\n"
            + "  }\n}\n";
    private static final String BLOCKEXAMPLE = "\nnumbers (\n1234567890\n)\n";
    private static final String MLBLOCKEXAMPLE = "\nnumbers (\n  12(34)56\n  (\n    7890\n  )\n)\n";
    private static final String ARRAY_OF_MAPS = "\nauthorization {\n    users = [\n      {user: alice, password: "
            + "foo}\n      {user: bob,   password: bar}\n    ]\n    timeout: 0.5\n"
            + "}\n";

    @Test
    void plainValue() {
        expect("foo",
                tok(KEY, "foo", 1, 0),
                tok(EOF, "", 1, 0));
    }

    @Test
    void simpleKeyStringValues() {
        // Double quotes
        expect("foo = \"bar\"",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 7),
                tok(EOF, "", 1, 0));
        // Single quotes
        expect("foo = 'bar'",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 7),
                tok(EOF, "", 1, 0));
        // No spaces
        expect("foo='bar'",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 5),
                tok(EOF, "", 1, 0));
        // NL
        expect("foo='bar'\r\n",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 5),
                tok(EOF, "", 1, 0));
        expect("foo=\t'bar'\t",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 6),
                tok(EOF, "", 1, 0));
    }

    @Test
    void complexStringValues() {
        expect("foo = 'bar\\r\\n  \\t'",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar\\r\\n  \\t", 1, 7),
                tok(EOF, "", 2, 0));
    }

    @Test
    void stringStartingWithNumber() {
        expect("foo = 3xyz",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "3xyz", 1, 6),
                tok(EOF, "", 2, 0));
        expect("foo = 3xyz,",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "3xyz", 1, 6),
                tok(EOF, "", 2, 0));
        expect("foo = 3xyz;",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "3xyz", 1, 6),
                tok(EOF, "", 2, 0));
        String content = "\n        foo = 3xyz\n        ";
        expect(content,
                tok(KEY, "foo", 2, 9),
                tok(STRING, "3xyz", 2, 15),
                tok(EOF, "", 2, 0));
        content = "\n        map {\n          foo = 3xyz}\n        ";
        expect(content,
                tok(KEY, "map", 2, 9),
                tok(MAP_START, "", 2, 14),
                tok(KEY, "foo", 3, 11),
                tok(STRING, "3xyz", 3, 17),
                tok(MAP_END, "", 3, 22),
                tok(EOF, "", 2, 0));
        content = "\n        map {\n          foo = 3xyz;\n        }\n        ";
        expect(content,
                tok(KEY, "map", 2, 9),
                tok(MAP_START, "", 2, 14),
                tok(KEY, "foo", 3, 11),
                tok(STRING, "3xyz", 3, 17),
                tok(MAP_END, "", 4, 10),
                tok(EOF, "", 2, 0));
        content = "\n        map {\n          foo = 3xyz,\n          bar = 4wqs\n        }\n        ";
        expect(content,
                tok(KEY, "map", 2, 9),
                tok(MAP_START, "", 2, 14),
                tok(KEY, "foo", 3, 11),
                tok(STRING, "3xyz", 3, 17),
                tok(KEY, "bar", 4, 11),
                tok(STRING, "4wqs", 4, 17),
                tok(MAP_END, "", 5, 10),
                tok(EOF, "", 2, 0));
    }

    @Test
    void binaryString() {
        expect("foo = \\x65",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "e", 1, 9),
                tok(EOF, "", 1, 0));
    }

    @Test
    void binaryStringLatin1() {
        expect("foo = \\xe9",
                tok(KEY, "foo", 1, 0),
                // Go keeps the raw byte 0xe9; a Java String holds U+FFFD for the invalid UTF-8 byte
                tok(STRING, "\ufffd", 1, 9),
                tok(EOF, "", 1, 0));
    }

    @Test
    void simpleKeyIntegerValues() {
        expect("foo = 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo=123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo=123\r\n",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
    }

    @Test
    void simpleKeyNegativeIntegerValues() {
        expect("foo = -123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "-123", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo=-123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "-123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo=-123\r\n",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "-123", 1, 4),
                tok(EOF, "", 1, 0));
    }

    @Test
    void convenientIntegerValues() {
        expect("foo = 1k",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1k", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1K",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1K", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1m",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1m", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1M",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1M", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1g",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1g", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1G",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1G", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1MB",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1MB", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1Gb",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "1Gb", 1, 6),
                tok(EOF, "", 1, 0));
        // Negative versions
        expect("foo = -1m",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "-1m", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = -1GB ",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "-1GB", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 1Ghz",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "1Ghz", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 2Pie",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "2Pie", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 3Mbs,",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "3Mbs", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = 4Gb, bar = 5Gø",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "4Gb", 1, 6),
                tok(KEY, "bar", 1, 11),
                tok(STRING, "5Gø", 1, 17),
                tok(EOF, "", 1, 0));
    }

    @Test
    void simpleKeyFloatValues() {
        expect("foo = 22.2",
                tok(KEY, "foo", 1, 0),
                tok(FLOAT, "22.2", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo=22.2",
                tok(KEY, "foo", 1, 0),
                tok(FLOAT, "22.2", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo=22.2\r\n",
                tok(KEY, "foo", 1, 0),
                tok(FLOAT, "22.2", 1, 4),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badBinaryStringEndingAfterZeroHexChars() {
        expect("foo = xyz\\x\n",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Expected two hexadecimal digits after '\\x', but hit end of line", 2, 1),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badBinaryStringEndingAfterOneHexChar() {
        expect("foo = xyz\\xF\n",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Expected two hexadecimal digits after '\\x', but hit end of line", 2, 1),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badBinaryStringWithZeroHexChars() {
        expect("foo = \"[\\x]\"",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Expected two hexadecimal digits after '\\x', but got ']\"'", 1, 12),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badBinaryStringWithOneHexChar() {
        expect("foo = \"[\\xe]\"",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Expected two hexadecimal digits after '\\x', but got 'e]'", 1, 12),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badFloatValues() {
        expect("foo = .2",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Floats must start with a digit", 1, 7),
                tok(EOF, "", 1, 0));
    }

    @Test
    void badKey() {
        expect(" :foo = 22",
                tok(ERROR, "Unexpected key separator ':'", 1, 1),
                tok(EOF, "", 1, 0));
    }

    @Test
    void simpleKeyBoolValues() {
        expect("foo = true",
                tok(KEY, "foo", 1, 0),
                tok(BOOL, "true", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo=true",
                tok(KEY, "foo", 1, 0),
                tok(BOOL, "true", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo=true\r\n",
                tok(KEY, "foo", 1, 0),
                tok(BOOL, "true", 1, 4),
                tok(EOF, "", 1, 0));
    }

    @Test
    void comments() {
        expect("# This is a comment",
                tok(COMMENT_START, "", 1, 1),
                tok(TEXT, " This is a comment", 1, 1),
                tok(EOF, "", 1, 0));
        expect("# This is a comment\r\n",
                tok(COMMENT_START, "", 1, 1),
                tok(TEXT, " This is a comment", 1, 1),
                tok(EOF, "", 1, 0));
        expect("// This is a comment\r\n",
                tok(COMMENT_START, "", 1, 2),
                tok(TEXT, " This is a comment", 1, 2),
                tok(EOF, "", 1, 0));
    }

    @Test
    void topValuesWithComments() {
        expect("foo = 123 // This is a comment",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 6),
                tok(COMMENT_START, "", 1, 12),
                tok(TEXT, " This is a comment", 1, 12),
                tok(EOF, "", 1, 0));
        expect("foo=123    # This is a comment",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(COMMENT_START, "", 1, 12),
                tok(TEXT, " This is a comment", 1, 12),
                tok(EOF, "", 1, 0));
    }

    @Test
    void rawString() {
        expect("foo = bar",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo = bar' ",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "bar", 1, 6),
                tok(EOF, "", 1, 0));
    }

    @Test
    void dateValues() {
        expect("foo = 2016-05-04T18:53:41Z",
                tok(KEY, "foo", 1, 0),
                tok(DATETIME, "2016-05-04T18:53:41Z", 1, 6),
                tok(EOF, "", 1, 0));
    }

    @Test
    void variableValues() {
        expect("foo = $bar",
                tok(KEY, "foo", 1, 0),
                tok(VARIABLE, "bar", 1, 7),
                tok(EOF, "", 1, 0));
        expect("foo =$bar",
                tok(KEY, "foo", 1, 0),
                tok(VARIABLE, "bar", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo $bar",
                tok(KEY, "foo", 1, 0),
                tok(VARIABLE, "bar", 1, 5),
                tok(EOF, "", 1, 0));
    }

    @Test
    void arrays() {
        expect("foo = [1, 2, 3, 'bar']",
                tok(KEY, "foo", 1, 0),
                tok(ARRAY_START, "", 1, 7),
                tok(INTEGER, "1", 1, 7),
                tok(INTEGER, "2", 1, 10),
                tok(INTEGER, "3", 1, 13),
                tok(STRING, "bar", 1, 17),
                tok(ARRAY_END, "", 1, 22),
                tok(EOF, "", 1, 0));
        expect("foo = [1,2,3,'bar']",
                tok(KEY, "foo", 1, 0),
                tok(ARRAY_START, "", 1, 7),
                tok(INTEGER, "1", 1, 7),
                tok(INTEGER, "2", 1, 9),
                tok(INTEGER, "3", 1, 11),
                tok(STRING, "bar", 1, 14),
                tok(ARRAY_END, "", 1, 19),
                tok(EOF, "", 1, 0));
        expect("foo = [1, 2,3,'bar']",
                tok(KEY, "foo", 1, 0),
                tok(ARRAY_START, "", 1, 7),
                tok(INTEGER, "1", 1, 7),
                tok(INTEGER, "2", 1, 10),
                tok(INTEGER, "3", 1, 12),
                tok(STRING, "bar", 1, 15),
                tok(ARRAY_END, "", 1, 20),
                tok(EOF, "", 1, 0));
    }

    @Test
    void multilineArrays() {
        expect(ML_ARRAY,
                tok(COMMENT_START, "", 2, 2),
                tok(TEXT, " top level comment", 2, 2),
                tok(KEY, "foo", 3, 1),
                tok(ARRAY_START, "", 3, 8),
                tok(INTEGER, "1", 4, 2),
                tok(COMMENT_START, "", 4, 6),
                tok(TEXT, " One", 4, 6),
                tok(INTEGER, "2", 5, 2),
                tok(COMMENT_START, "", 5, 7),
                tok(TEXT, " Two", 5, 7),
                tok(INTEGER, "3", 6, 2),
                tok(COMMENT_START, "", 6, 5),
                tok(TEXT, " Three", 6, 5),
                tok(STRING, "bar", 7, 3),
                tok(STRING, "bar", 8, 3),
                tok(ARRAY_END, "", 9, 2),
                tok(EOF, "", 9, 0));
    }

    @Test
    void multilineArraysNoSep() {
        expect(ML_ARRAY_NO_SEP,
                tok(COMMENT_START, "", 2, 2),
                tok(TEXT, " top level comment", 2, 2),
                tok(KEY, "foo", 3, 1),
                tok(ARRAY_START, "", 3, 8),
                tok(INTEGER, "1", 4, 2),
                tok(COMMENT_START, "", 4, 6),
                tok(TEXT, " foo", 4, 6),
                tok(INTEGER, "2", 5, 2),
                tok(INTEGER, "3", 6, 2),
                tok(STRING, "bar", 7, 3),
                tok(STRING, "bar", 8, 3),
                tok(ARRAY_END, "", 9, 2),
                tok(EOF, "", 9, 0));
    }

    @Test
    void simpleMap() {
        expect("foo = {ip='127.0.0.1', port = 4242}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 7),
                tok(KEY, "ip", 1, 7),
                tok(STRING, "127.0.0.1", 1, 11),
                tok(KEY, "port", 1, 23),
                tok(INTEGER, "4242", 1, 30),
                tok(MAP_END, "", 1, 35),
                tok(EOF, "", 1, 0));
    }

    @Test
    void multilineMap() {
        expect(ML_MAP,
                tok(KEY, "foo", 2, 1),
                tok(MAP_START, "", 2, 8),
                tok(KEY, "ip", 3, 3),
                tok(STRING, "127.0.0.1", 3, 9),
                tok(COMMENT_START, "", 3, 21),
                tok(TEXT, " the IP", 3, 21),
                tok(KEY, "port", 4, 3),
                tok(INTEGER, "4242", 4, 9),
                tok(COMMENT_START, "", 4, 16),
                tok(TEXT, " the port", 4, 16),
                tok(MAP_END, "", 5, 2),
                tok(EOF, "", 5, 0));
    }

    @Test
    void nestedMaps() {
        expect(NESTED_MAP,
                tok(KEY, "foo", 2, 1),
                tok(MAP_START, "", 2, 8),
                tok(KEY, "host", 3, 3),
                tok(MAP_START, "", 3, 11),
                tok(KEY, "ip", 4, 5),
                tok(STRING, "127.0.0.1", 4, 11),
                tok(KEY, "port", 5, 5),
                tok(INTEGER, "4242", 5, 11),
                tok(MAP_END, "", 6, 4),
                tok(MAP_END, "", 7, 2),
                tok(EOF, "", 7, 0));
    }

    @Test
    void quotedKeys() {
        expect("foo : 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 6),
                tok(EOF, "", 1, 0));
        expect("'foo' : 123",
                tok(KEY, "foo", 1, 1),
                tok(INTEGER, "123", 1, 8),
                tok(EOF, "", 1, 0));
        expect("\"foo\" : 123",
                tok(KEY, "foo", 1, 1),
                tok(INTEGER, "123", 1, 8),
                tok(EOF, "", 1, 0));
    }

    @Test
    void quotedKeysWithSpace() {
        expect("' foo' : 123",
                tok(KEY, " foo", 1, 1),
                tok(INTEGER, "123", 1, 9),
                tok(EOF, "", 1, 0));
        expect("\" foo\" : 123",
                tok(KEY, " foo", 1, 1),
                tok(INTEGER, "123", 1, 9),
                tok(EOF, "", 1, 0));
    }

    @Test
    void colonKeySep() {
        expect("foo : 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 6),
                tok(EOF, "", 1, 0));
        expect("foo:123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo: 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 5),
                tok(EOF, "", 1, 0));
        expect("foo:  123\r\n",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 6),
                tok(EOF, "", 1, 0));
    }

    @Test
    void whitespaceKeySep() {
        expect("foo 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo 123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo\t123",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 4),
                tok(EOF, "", 1, 0));
        expect("foo\t\t123\r\n",
                tok(KEY, "foo", 1, 0),
                tok(INTEGER, "123", 1, 5),
                tok(EOF, "", 1, 0));
    }

    @Test
    void escapedString() {
        expect(ESC_STRING,
                tok(KEY, "foo", 2, 1),
                tok(STRING, "\t", 2, 9),
                tok(KEY, "bar", 3, 1),
                tok(STRING, "\r", 3, 9),
                tok(KEY, "baz", 4, 1),
                tok(STRING, "\n", 4, 9),
                tok(KEY, "q", 5, 1),
                tok(STRING, "\"", 5, 9),
                tok(KEY, "bs", 6, 1),
                tok(STRING, "\\", 6, 9),
                tok(EOF, "", 6, 0));
    }

    @Test
    void compoundStringES() {
        expect("foo = \"\\\\end\"",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "\\end", 1, 8),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringSE() {
        expect("foo = \"start\\\\\"",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "start\\", 1, 8),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringEE() {
        expect("foo = \\x45\\x71",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "Eq", 1, 12),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringSEE() {
        expect("foo = start\\x45\\x71",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "startEq", 1, 12),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringSES() {
        expect("foo = start\\x7Cend",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "start|end", 1, 9),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringEES() {
        expect("foo = \\x3c\\x3eend",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "<>end", 1, 12),
                tok(EOF, "", 2, 0));
    }

    @Test
    void compoundStringESE() {
        expect("foo = \\x3cmiddle\\x3E",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "<middle>", 1, 12),
                tok(EOF, "", 2, 0));
    }

    @Test
    void badStringEscape() {
        expect("foo = \\y",
                tok(KEY, "foo", 1, 0),
                tok(ERROR, "Invalid escape character 'y'. Only the following escape characters are allowed: "
                        + "\\xXX, \\t, \\n, \\r, \\\", \\\\.", 1, 8),
                tok(EOF, "", 2, 0));
    }

    @Test
    void nonBool() {
        expect("foo = \\\\true",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "\\true", 1, 7),
                tok(EOF, "", 2, 0));
    }

    @Test
    void nonVariable() {
        expect("foo = \\\\$var",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "\\$var", 1, 7),
                tok(EOF, "", 2, 0));
    }

    @Test
    void emptyStringDQ() {
        expect("foo = \"\"",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "", 1, 7),
                tok(EOF, "", 2, 0));
    }

    @Test
    void emptyStringSQ() {
        expect("foo = ''",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "", 1, 7),
                tok(EOF, "", 2, 0));
    }

    @Test
    void nestedWhitespaceMaps() {
        expect(NESTED_WHITESPACE_MAP,
                tok(KEY, "foo", 2, 1),
                tok(MAP_START, "", 2, 7),
                tok(KEY, "host", 3, 3),
                tok(MAP_START, "", 3, 10),
                tok(KEY, "ip", 4, 5),
                tok(STRING, "127.0.0.1", 4, 11),
                tok(KEY, "port", 5, 5),
                tok(INTEGER, "4242", 5, 11),
                tok(MAP_END, "", 6, 4),
                tok(MAP_END, "", 7, 2),
                tok(EOF, "", 7, 0));
    }

    @Test
    void optionalSemicolons() {
        expect(SEMICOLONS,
                tok(KEY, "foo", 2, 1),
                tok(INTEGER, "123", 2, 7),
                tok(KEY, "bar", 3, 1),
                tok(STRING, "baz", 3, 8),
                tok(KEY, "baz", 4, 1),
                tok(STRING, "boo", 4, 8),
                tok(KEY, "map", 5, 1),
                tok(MAP_START, "", 5, 6),
                tok(KEY, "id", 6, 2),
                tok(INTEGER, "1", 6, 7),
                tok(MAP_END, "", 7, 2),
                tok(EOF, "", 8, 0));
    }

    @Test
    void semicolonChaining() {
        expect("foo='1'; bar=2.2; baz=true;",
                tok(KEY, "foo", 1, 0),
                tok(STRING, "1", 1, 5),
                tok(KEY, "bar", 1, 9),
                tok(FLOAT, "2.2", 1, 13),
                tok(KEY, "baz", 1, 18),
                tok(BOOL, "true", 1, 22),
                tok(EOF, "", 1, 0));
    }

    @Test
    void nonQuotedStrings() {
        expect(NOQUOTES,
                tok(KEY, "foo", 2, 1),
                tok(INTEGER, "123", 2, 7),
                tok(KEY, "bar", 3, 1),
                tok(STRING, "baz", 3, 7),
                tok(KEY, "baz", 4, 1),
                tok(STRING, "boo", 4, 5),
                tok(KEY, "map", 5, 1),
                tok(MAP_START, "", 5, 6),
                tok(KEY, "id", 6, 2),
                tok(STRING, "one", 6, 5),
                tok(KEY, "id2", 7, 2),
                tok(STRING, "onetwo", 7, 8),
                tok(MAP_END, "", 8, 2),
                tok(KEY, "t", 9, 1),
                tok(BOOL, "true", 9, 3),
                tok(KEY, "f", 10, 1),
                tok(BOOL, "false", 10, 3),
                tok(KEY, "tstr", 11, 1),
                tok(STRING, "true", 11, 7),
                tok(KEY, "tkey", 12, 1),
                tok(STRING, "two", 12, 8),
                tok(KEY, "fkey", 13, 1),
                tok(STRING, "five", 13, 8),
                tok(COMMENT_START, "", 13, 14),
                tok(TEXT, " This should be a string", 13, 14),
                tok(EOF, "", 14, 0));
    }

    @Test
    void danglingQuotedString() {
        expect(DANGLINGQUOTE,
                tok(KEY, "listen", 2, 1),
                tok(ERROR, "Unexpected EOF.", 5, 1));
    }

    @Test
    void keyDanglingQuotedString() {
        expect(KEYDANGLINGQUOTE,
                tok(KEY, "foo", 2, 1),
                tok(STRING, "\nlisten: ", 3, 8),
                tok(KEY, "http", 5, 1),
                tok(STRING, "localhost:8222", 5, 7),
                tok(ERROR, "Unexpected EOF.", 8, 1));
    }

    @Test
    void danglingSingleQuotedString() {
        expect(DANGLINGSQUOTE,
                tok(KEY, "listen", 2, 1),
                tok(ERROR, "Unexpected EOF.", 5, 1));
    }

    @Test
    void keyDanglingSingleQuotedString() {
        expect(KEYDANGLINGSQUOTE,
                tok(KEY, "foo", 2, 1),
                tok(STRING, "\nlisten: ", 3, 8),
                tok(KEY, "http", 5, 1),
                tok(STRING, "localhost:8222", 5, 7),
                tok(ERROR, "Unexpected EOF.", 8, 1));
    }

    @Test
    void mapDanglingBracket() {
        expect(MAPDANGLINGBRACKET,
                tok(KEY, "listen", 2, 1),
                tok(INTEGER, "4222", 2, 10),
                tok(KEY, "cluster", 4, 1),
                tok(MAP_START, "", 4, 12),
                tok(KEY, "foo", 6, 3),
                tok(STRING, "bar", 6, 9),
                tok(ERROR, "Unexpected EOF processing map.", 8, 1));
    }

    @Test
    void blockDanglingParens() {
        expect(BLOCKDANGLINGPARENS,
                tok(KEY, "listen", 2, 1),
                tok(INTEGER, "4222", 2, 10),
                tok(KEY, "quote", 4, 1),
                tok(ERROR, "Unexpected EOF processing block.", 8, 1));
    }

    @Test
    void mapQuotedKeys() {
        expect("foo = {'bar' = 4242}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 7),
                tok(KEY, "bar", 1, 8),
                tok(INTEGER, "4242", 1, 15),
                tok(MAP_END, "", 1, 20),
                tok(EOF, "", 1, 0));
        expect("foo = {\"bar\" = 4242}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 7),
                tok(KEY, "bar", 1, 8),
                tok(INTEGER, "4242", 1, 15),
                tok(MAP_END, "", 1, 20),
                tok(EOF, "", 1, 0));
    }

    @Test
    void specialCharsMapQuotedKeys() {
        expect("foo = {'bar-1.2.3' = { port:4242 }}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 7),
                tok(KEY, "bar-1.2.3", 1, 8),
                tok(MAP_START, "", 1, 22),
                tok(KEY, "port", 1, 23),
                tok(INTEGER, "4242", 1, 28),
                tok(MAP_END, "", 1, 34),
                tok(MAP_END, "", 1, 35),
                tok(EOF, "", 1, 0));
        expect("foo = {\"bar-1.2.3\" = { port:4242 }}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 7),
                tok(KEY, "bar-1.2.3", 1, 8),
                tok(MAP_START, "", 1, 22),
                tok(KEY, "port", 1, 23),
                tok(INTEGER, "4242", 1, 28),
                tok(MAP_END, "", 1, 34),
                tok(MAP_END, "", 1, 35),
                tok(EOF, "", 1, 0));
    }

    @Test
    void doubleNestedMapsNewLines() {
        expect(MLNESTEDMAP,
                tok(KEY, "systems", 2, 1),
                tok(MAP_START, "", 2, 10),
                tok(KEY, "allinone", 3, 3),
                tok(MAP_START, "", 3, 13),
                tok(KEY, "description", 4, 5),
                tok(STRING, "This is a description.", 4, 19),
                tok(MAP_END, "", 5, 4),
                tok(MAP_END, "", 6, 2),
                tok(EOF, "", 7, 0));
    }

    @Test
    void blockString() {
        expect(BLOCKEXAMPLE,
                tok(KEY, "numbers", 2, 1),
                tok(STRING, "\n1234567890\n", 4, 10));
    }

    @Test
    void blockStringEOF() {
        String blockBytes = BLOCKEXAMPLE.substring(0, BLOCKEXAMPLE.length() - 1) + "\0";
        expect(blockBytes,
                tok(KEY, "numbers", 2, 1),
                tok(STRING, "\n1234567890\n", 4, 10));
    }

    @Test
    void blockStringMultiLine() {
        expect(MLBLOCKEXAMPLE,
                tok(KEY, "numbers", 2, 1),
                tok(STRING, "\n  12(34)56\n  (\n    7890\n  )\n", 7, 10));
    }

    @Test
    void unquotedIPAddr() {
        expect("listen: 127.0.0.1:4222",
                tok(KEY, "listen", 1, 0),
                tok(STRING, "127.0.0.1:4222", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen: 127.0.0.1",
                tok(KEY, "listen", 1, 0),
                tok(STRING, "127.0.0.1", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen: apcera.me:80",
                tok(KEY, "listen", 1, 0),
                tok(STRING, "apcera.me:80", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen: nats.io:-1",
                tok(KEY, "listen", 1, 0),
                tok(STRING, "nats.io:-1", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen: -1",
                tok(KEY, "listen", 1, 0),
                tok(INTEGER, "-1", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen: :-1",
                tok(KEY, "listen", 1, 0),
                tok(STRING, ":-1", 1, 8),
                tok(EOF, "", 1, 0));
        expect("listen = :80",
                tok(KEY, "listen", 1, 0),
                tok(STRING, ":80", 1, 9),
                tok(EOF, "", 1, 0));
        expect("listen = [localhost:4222, localhost:4333]",
                tok(KEY, "listen", 1, 0),
                tok(ARRAY_START, "", 1, 10),
                tok(STRING, "localhost:4222", 1, 10),
                tok(STRING, "localhost:4333", 1, 26),
                tok(ARRAY_END, "", 1, 41),
                tok(EOF, "", 1, 0));
    }

    @Test
    void arrayOfMaps() {
        expect(ARRAY_OF_MAPS,
                tok(KEY, "authorization", 2, 1),
                tok(MAP_START, "", 2, 16),
                tok(KEY, "users", 3, 5),
                tok(ARRAY_START, "", 3, 14),
                tok(MAP_START, "", 4, 8),
                tok(KEY, "user", 4, 8),
                tok(STRING, "alice", 4, 14),
                tok(KEY, "password", 4, 21),
                tok(STRING, "foo", 4, 31),
                tok(MAP_END, "", 4, 35),
                tok(MAP_START, "", 5, 8),
                tok(KEY, "user", 5, 8),
                tok(STRING, "bob", 5, 14),
                tok(KEY, "password", 5, 21),
                tok(STRING, "bar", 5, 31),
                tok(MAP_END, "", 5, 35),
                tok(ARRAY_END, "", 6, 6),
                tok(KEY, "timeout", 7, 5),
                tok(FLOAT, "0.5", 7, 14),
                tok(MAP_END, "", 8, 2),
                tok(EOF, "", 9, 0));
    }

    @Test
    void include() {
        expect("include \"users.conf\"",
                tok(INCLUDE, "users.conf", 1, 9),
                tok(EOF, "", 1, 0));
        expect("include 'users.conf'",
                tok(INCLUDE, "users.conf", 1, 9),
                tok(EOF, "", 1, 0));
        expect("include users.conf",
                tok(INCLUDE, "users.conf", 1, 8),
                tok(EOF, "", 1, 0));
    }

    @Test
    void mapInclude() {
        expect("foo { include users.conf }",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 5),
                tok(INCLUDE, "users.conf", 1, 14),
                tok(MAP_END, "", 1, 26),
                tok(EOF, "", 1, 0));
        expect("foo {include users.conf}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 5),
                tok(INCLUDE, "users.conf", 1, 13),
                tok(MAP_END, "", 1, 24),
                tok(EOF, "", 1, 0));
        expect("foo { include 'users.conf' }",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 5),
                tok(INCLUDE, "users.conf", 1, 15),
                tok(MAP_END, "", 1, 28),
                tok(EOF, "", 1, 0));
        expect("foo { include \"users.conf\"}",
                tok(KEY, "foo", 1, 0),
                tok(MAP_START, "", 1, 5),
                tok(INCLUDE, "users.conf", 1, 15),
                tok(MAP_END, "", 1, 27),
                tok(EOF, "", 1, 0));
    }

    @Test
    void jsonCompat() {
        // should omit initial and final brackets at top level with a single item
        expect("\n                        {\n                          \"http_port\": 8223\n"
                + "                        }\n                        ",
                tok(KEY, "http_port", 3, 28),
                tok(INTEGER, "8223", 3, 40),
                tok(KEY, "}", 4, 25),
                tok(EOF, "", 0, 0));
        // should omit trailing commas at top level with two items
        expect("\n                        {\n                          \"http_port\": 8223,\n"
                + "                          \"port\": 4223\n                        }\n"
                + "                        ",
                tok(KEY, "http_port", 3, 28),
                tok(INTEGER, "8223", 3, 40),
                tok(KEY, "port", 4, 28),
                tok(INTEGER, "4223", 4, 35),
                tok(KEY, "}", 5, 25),
                tok(EOF, "", 0, 0));
        // should omit trailing commas at top level with multiple items
        expect("\n                        {\n                          \"http_port\": 8223,\n"
                + "                          \"port\": 4223,\n                          \"max_payload\": "
                + "\"5MB\",\n                          \"debug\": true,\n"
                + "                          \"max_control_line\": 1024\n"
                + "                        }\n                        ",
                tok(KEY, "http_port", 3, 28),
                tok(INTEGER, "8223", 3, 40),
                tok(KEY, "port", 4, 28),
                tok(INTEGER, "4223", 4, 35),
                tok(KEY, "max_payload", 5, 28),
                tok(STRING, "5MB", 5, 43),
                tok(KEY, "debug", 6, 28),
                tok(BOOL, "true", 6, 36),
                tok(KEY, "max_control_line", 7, 28),
                tok(INTEGER, "1024", 7, 47),
                tok(KEY, "}", 8, 25),
                tok(EOF, "", 0, 0));
        // should support JSON not prettified
        expect("{\"http_port\": 8224,\"port\": 4224}\n                        ",
                tok(KEY, "http_port", 1, 2),
                tok(INTEGER, "8224", 1, 14),
                tok(KEY, "port", 1, 20),
                tok(INTEGER, "4224", 1, 27),
                tok(EOF, "", 0, 0));
        // should support JSON not prettified with final bracket after newline
        expect("{\"http_port\": 8225,\"port\": 4225\n                        }\n                        ",
                tok(KEY, "http_port", 1, 2),
                tok(INTEGER, "8225", 1, 14),
                tok(KEY, "port", 1, 20),
                tok(INTEGER, "4225", 1, 27),
                tok(KEY, "}", 2, 25),
                tok(EOF, "", 0, 0));
        // should support uglified JSON with inner blocks
        expect("{\"http_port\": 8227,\"port\": 4227,\"write_deadline\": \"1h\",\"cluster\": {\"port\": "
                + "6222,\"routes\": [\"nats://127.0.0.1:4222\",\"nats://127.0.0.1:4223\",\"nats://127.0.0.1:4224\"]}}"
                + "\n                        ",
                tok(KEY, "http_port", 1, 2),
                tok(INTEGER, "8227", 1, 14),
                tok(KEY, "port", 1, 20),
                tok(INTEGER, "4227", 1, 27),
                tok(KEY, "write_deadline", 1, 33),
                tok(STRING, "1h", 1, 51),
                tok(KEY, "cluster", 1, 56),
                tok(MAP_START, "", 1, 67),
                tok(KEY, "port", 1, 68),
                tok(INTEGER, "6222", 1, 75),
                tok(KEY, "routes", 1, 81),
                tok(ARRAY_START, "", 1, 91),
                tok(STRING, "nats://127.0.0.1:4222", 1, 92),
                tok(STRING, "nats://127.0.0.1:4223", 1, 116),
                tok(STRING, "nats://127.0.0.1:4224", 1, 140),
                tok(ARRAY_END, "", 1, 163),
                tok(MAP_END, "", 1, 164),
                tok(KEY, "}", 14, 25),
                tok(EOF, "", 0, 0));
        // should support prettified JSON with inner blocks
        expect("\n                        {\n                          \"http_port\": 8227,\n"
                + "                          \"port\": 4227,\n                          \"write_deadline\": "
                + "\"1h\",\n                          \"cluster\": {\n"
                + "                            \"port\": 6222,\n                            \"routes\": "
                + "[\n                              \"nats://127.0.0.1:4222\",\n"
                + "                              \"nats://127.0.0.1:4223\",\n"
                + "                              \"nats://127.0.0.1:4224\"\n"
                + "                            ]\n                          }\n"
                + "                        }\n                        ",
                tok(KEY, "http_port", 3, 28),
                tok(INTEGER, "8227", 3, 40),
                tok(KEY, "port", 4, 28),
                tok(INTEGER, "4227", 4, 35),
                tok(KEY, "write_deadline", 5, 28),
                tok(STRING, "1h", 5, 46),
                tok(KEY, "cluster", 6, 28),
                tok(MAP_START, "", 6, 39),
                tok(KEY, "port", 7, 30),
                tok(INTEGER, "6222", 7, 37),
                tok(KEY, "routes", 8, 30),
                tok(ARRAY_START, "", 8, 40),
                tok(STRING, "nats://127.0.0.1:4222", 9, 32),
                tok(STRING, "nats://127.0.0.1:4223", 10, 32),
                tok(STRING, "nats://127.0.0.1:4224", 11, 32),
                tok(ARRAY_END, "", 12, 30),
                tok(MAP_END, "", 13, 28),
                tok(KEY, "}", 14, 25),
                tok(EOF, "", 0, 0));
        // should support JSON with blocks
        expect("{\n                          \"jetstream\": {\n                            \"store_dir\": "
                + "\"/tmp/nats\"\n                            \"max_mem\": 1000000,\n"
                + "                          },\n                          \"port\": 4222,\n"
                + "                          \"server_name\": \"nats1\"\n"
                + "                        }\n                        ",
                tok(KEY, "jetstream", 2, 28),
                tok(MAP_START, "", 2, 41),
                tok(KEY, "store_dir", 3, 30),
                tok(STRING, "/tmp/nats", 3, 43),
                tok(KEY, "max_mem", 4, 30),
                tok(INTEGER, "1000000", 4, 40),
                tok(MAP_END, "", 5, 28),
                tok(KEY, "port", 6, 28),
                tok(INTEGER, "4222", 6, 35),
                tok(KEY, "server_name", 7, 28),
                tok(STRING, "nats1", 7, 43),
                tok(KEY, "}", 8, 25),
                tok(EOF, "", 0, 0));
    }
}

