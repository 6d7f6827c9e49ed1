package io.jnatsd.config;

import static io.jnatsd.config.ConfParserTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration language as nats-server reads it, form by form. Expected texts and positions were checked
 * against nats-server 2.9.10 ({@code nats-server -t -c}) where that version behaves like current nats-server.
 */
class ConfLanguageTest {

    private static final Function<String, String> NO_ENV = name -> null;

    private static Map<String, Object> parse(String text) throws ConfException {
        return ConfParser.parseString(text, null, NO_ENV).toPlainMap();
    }

    private static Map<String, Object> parse(String text, Map<String, String> env) throws ConfException {
        return ConfParser.parseString(text, null, env::get).toPlainMap();
    }

    private static Map<String, ConfValue> root(String text) throws ConfException {
        return ConfParser.parseString(text, Path.of("t.conf"), NO_ENV).root();
    }

    private static String errorOf(String text) {
        return errorOf(text, Map.of());
    }

    private static String errorOf(String text, Map<String, String> env) {
        try {
            ConfParser.parseString(text, Path.of("t.conf"), env::get);
        } catch (ConfException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfException for: " + text);
    }

    @Nested
    class Syntax {

        @Test
        void shouldAcceptEqualsColonAndWhitespaceSeparators() throws ConfException {
            assertThat(parse("a = 1\nb: 2\nc 3\nd=4\ne:5\nf\t6\ng :\t7"))
                    .isEqualTo(map("a", 1L, "b", 2L, "c", 3L, "d", 4L, "e", 5L, "f", 6L, "g", 7L));
        }

        @Test
        void shouldEndTopLevelValuesAtNewlineSemicolonCommaOrEof() throws ConfException {
            assertThat(parse("port: 1, debug: true; x = 2\ny = 3")).isEqualTo(
                    map("port", 1L, "debug", true, "x", 2L, "y", 3L));
        }

        @Test
        void shouldRejectTwoTopLevelValuesOnOneLine() {
            assertThat(errorOf("port: 1 debug: true")).isEqualTo("Parse error on line 1: 'Expected a top-level value"
                    + " to end with a new line, comment or EOF, but got 'd' instead.'");
        }

        @Test
        void shouldParseMapsWithAndWithoutSeparator() throws ConfException {
            assertThat(parse("a { b { c = 1 } }\nd = { e: { f: 2 } }\ng: {}\nh {\n  i = 3,\n  j = 4;\n  k = 5\n}"))
                    .isEqualTo(map("a", map("b", map("c", 1L)), "d", map("e", map("f", 2L)), "g", map(),
                            "h", map("i", 3L, "j", 4L, "k", 5L)));
        }

        @Test
        void shouldRejectTwoMapEntriesOnOneLineWithoutSeparator() {
            assertThat(errorOf("authorization { user: u password: p }")).isEqualTo("Parse error on line 1: "
                    + "'Expected a map value terminator \",\" or a map terminator \"}\", but got 'p' instead.'");
        }

        @Test
        void shouldParseArraysWithCommentsAndTrailingCommas() throws ConfException {
            assertThat(parse("a = [\n  1, # one\n  'two', // two\n  3.5,\n  \"four\"\n  five\n]\nb = []\nc = [x,y]"))
                    .isEqualTo(map("a", List.of(1L, "two", 3.5, "four", "five"), "b", List.of(),
                            "c", List.of("x", "y")));
        }

        @Test
        void shouldParseMixedArraysOfMapsArraysAndScalars() throws ConfException {
            assertThat(parse("x = [ {a: 1}, [2, 3 ], \"s\", true ]")).isEqualTo(
                    map("x", List.of(map("a", 1L), List.of(2L, 3L), "s", true)));
        }

        @Test
        void shouldRejectLeadingArrayComma() {
            assertThat(errorOf("a = [ , 1]")).isEqualTo("Parse error on line 1: 'Unexpected array value terminator"
                    + " ','.'");
        }

        @Test
        void shouldReadNumberDirectlyBeforeClosingBracketAsStringLikeNatsServer() {
            // nats-server: a digit-led word only ends at whitespace, ',', ';', '}' or a newline, so "1]" is a word
            assertThat(errorOf("foo = [1]\n")).isEqualTo("Parse error on line 2: 'Expected an array value terminator"
                    + " \",\" or an array terminator \"]\", but got '\0' instead.'");
        }

        @Test
        void shouldSkipHashAndSlashCommentsEverywhere() throws ConfException {
            assertThat(parse("# top\n// top\na = 1 # trailing\nb = 2 // trailing\nm {\n # in map\n c = 3 // after\n}"))
                    .isEqualTo(map("a", 1L, "b", 2L, "m", map("c", 3L)));
        }

        @Test
        void shouldKeepHashInsideBareWord() throws ConfException {
            assertThat(parse("a = a#b")).isEqualTo(map("a", "a#b"));
        }

        @Test
        void shouldWrapWholeFileInBraces() throws ConfException {
            assertThat(parse("{\n  port: 4222\n  debug: true\n}\n")).isEqualTo(map("port", 4222L, "debug", true));
        }

        @Test
        void shouldLetTheLastDuplicateKeyWin() throws ConfException {
            assertThat(parse("port = 1\nport = 2")).isEqualTo(map("port", 2L));
        }

        @Test
        void shouldPreserveKeyCaseAndFileOrder() throws ConfException {
            assertThat(root("Port = 1; HOST = x; a = 2").keySet()).containsExactly("Port", "HOST", "a");
        }

        @Test
        void shouldAcceptQuotedKeysWithSpacesAndSeparators() throws ConfException {
            assertThat(parse("'a b' = 1\n\"c:d\" = 2\nm { 'e f': 3 }")).isEqualTo(
                    map("a b", 1L, "c:d", 2L, "m", map("e f", 3L)));
        }

        @Test
        void shouldAcceptKeyAndValueOnDifferentLines() throws ConfException {
            assertThat(parse("port\n4222")).isEqualTo(map("port", 4222L));
        }
    }

    @Nested
    class Strings {

        @Test
        void shouldParseDoubleQuotedStringsWithEscapes() throws ConfException {
            assertThat(parse("a = \"x y\"\nb = \"t\\tn\\nr\\rq\\\"b\\\\\"\nc = \"\\x41\\x62\"")).isEqualTo(
                    map("a", "x y", "b", "t\tn\nr\rq\"b\\", "c", "Ab"));
        }

        @Test
        void shouldDecodeHexEscapesAsUtf8Bytes() throws ConfException {
            assertThat(parse("a = \"\\xc3\\xa9\"")).isEqualTo(map("a", "\u00e9"));
        }

        @Test
        void shouldKeepSingleQuotedTextRaw() throws ConfException {
            assertThat(parse("a = 'x\\ty \"q\" $v'")).isEqualTo(map("a", "x\\ty \"q\" $v"));
        }

        @Test
        void shouldProcessEscapesInBareStrings() throws ConfException {
            assertThat(parse("a = x\\ty\nb = \\x41")).isEqualTo(map("a", "x\ty", "b", "A"));
        }

        @Test
        void shouldEndBareStringsAtSingleQuote() throws ConfException {
            assertThat(parse("foo = bar' ")).isEqualTo(map("foo", "bar"));
        }

        @Test
        void shouldRejectUnknownEscape() {
            assertThat(errorOf("port: 4222\nfoo = \"a\\qb\"")).isEqualTo("Parse error on line 2: 'Invalid escape"
                    + " character 'q'. Only the following escape characters are allowed: \\xXX, \\t, \\n, \\r, \\\","
                    + " \\\\.'");
        }

        @Test
        void shouldRejectBadHexEscapes() {
            assertThat(errorOf("x = \"\\xzz\"")).isEqualTo("Parse error on line 1: 'Expected two hexadecimal digits"
                    + " after '\\x', but got 'zz''");
            assertThat(errorOf("x = abc\\x\n")).isEqualTo("Parse error on line 2: 'Expected two hexadecimal digits"
                    + " after '\\x', but hit end of line'");
        }

        @Test
        void shouldParseBlockStringRaw() throws ConfException {
            assertThat(parse("a (\nline1 $x \\t\n  (nested)\n)\nb = 1")).isEqualTo(
                    map("a", "\nline1 $x \\t\n  (nested)\n", "b", 1L));
        }

        @Test
        void shouldRejectUnterminatedStringsAndBlocks() {
            assertThat(errorOf("port: 4222\nx = \"unterminated\n"))
                    .isEqualTo("Parse error on line 3: 'Unexpected EOF.'");
            assertThat(errorOf("port: 4222\nx = (\nabc\n")).isEqualTo(
                    "Parse error on line 4: 'Unexpected EOF processing block.'");
        }

        @Test
        void shouldKeepIpLikeValuesAsStrings() throws ConfException {
            assertThat(parse("a = 127.0.0.1:4222\nb = 1.2.3\nc = 127.0.0.1\nd = localhost:4222\ne = :4222"
                    + "\nf = nats://u:p@host:4222")).isEqualTo(map("a", "127.0.0.1:4222", "b", "1.2.3",
                    "c", "127.0.0.1", "d", "localhost:4222", "e", ":4222", "f", "nats://u:p@host:4222"));
        }

        @Test
        void shouldKeepDigitLedWordsAsStrings() throws ConfException {
            assertThat(parse("a = 10s\nb = 1h\nc = 500ms\nd = 3xyz\ne = 1Ghz\nf = 3Mbs")).isEqualTo(
                    map("a", "10s", "b", "1h", "c", "500ms", "d", "3xyz", "e", "1Ghz", "f", "3Mbs"));
        }
    }

    @Nested
    class Numbers {

        @Test
        void shouldParseIntegers() throws ConfException {
            assertThat(parse("a = 42\nb = -7\nc = 0\nd = 9223372036854775807\ne = -9223372036854775808"))
                    .isEqualTo(map("a", 42L, "b", -7L, "c", 0L, "d", Long.MAX_VALUE, "e", Long.MIN_VALUE));
        }

        @Test
        void shouldRejectIntegersOutOfRange() {
            assertThat(errorOf("x = 9223372036854775808"))
                    .isEqualTo("integer '9223372036854775808' is out of the range");
            assertThat(errorOf("x = 99999999999999999999k")).isEqualTo(
                    "integer '99999999999999999999k' is out of the range");
        }

        @ParameterizedTest
        @CsvSource({
                "1k, 1000", "1K, 1000", "1kb, 1024", "1KB, 1024", "1ki, 1024", "1Ki, 1024", "1kib, 1024",
                "1KiB, 1024",
                "1m, 1000000", "1M, 1000000", "1mb, 1048576", "1mi, 1048576", "1mib, 1048576",
                "1g, 1000000000", "1gb, 1073741824", "1gi, 1073741824", "1gib, 1073741824",
                "1t, 1000000000000", "1tb, 1099511627776", "1ti, 1099511627776", "1tib, 1099511627776",
                "1p, 1000000000000000", "1pb, 1125899906842624", "1pi, 1125899906842624",
                "1pib, 1125899906842624",
                "1e, 1000000000000000000", "1eb, 1152921504606846976", "1ei, 1152921504606846976",
                "1eib, 1152921504606846976",
                "-1m, -1000000", "-2GB, -2147483648", "2m, 2000000"})
        void shouldApplyEverySizeSuffix(String text, long expected) throws ConfException {
            assertThat(parse("x = " + text)).isEqualTo(map("x", expected));
        }

        @Test
        void shouldWrapSizesThatOverflowLikeGo() throws ConfException {
            assertThat(parse("x = 16eb")).isEqualTo(map("x", 0L));
        }

        @Test
        void shouldDropValueWithUnknownSizeSuffix() throws ConfException {
            assertThat(parse("port: 1kbi\nhost: 1.2.3")).isEqualTo(map("host", "1.2.3"));
        }

        @Test
        void shouldLeaveKeyOfDroppedValuePendingLikeNatsServer() throws ConfException {
            // nats-server: the dropped value's key stays on the key stack and names the enclosing map
            assertThat(parse("m { a = 1kbi }")).isEqualTo(map("a", map()));
        }

        @Test
        void shouldRejectDurationsThatLookLikeSizes() {
            assertThat(errorOf("x = 5m30s")).isEqualTo("Parse error on line 1: 'Expected a top-level value to end"
                    + " with a new line, comment or EOF, but got '3' instead.'");
            assertThat(errorOf("x = 1.5s")).isEqualTo("Parse error on line 1: 'Expected a top-level value to end"
                    + " with a new line, comment or EOF, but got 's' instead.'");
        }

        @Test
        void shouldParseFloats() throws ConfException {
            assertThat(parse("a = 1.5\nb = -0.25\nc = 100.0\nd = 0.000001")).isEqualTo(
                    map("a", 1.5, "b", -0.25, "c", 100.0, "d", 0.000001));
        }

        @Test
        void shouldRejectFloatsWithoutDigits() {
            assertThat(errorOf("x = .5")).isEqualTo("Parse error on line 1: 'Floats must start with a digit'");
            assertThat(errorOf("x = -.5")).isEqualTo(
                    "Parse error on line 1: 'Floats must start with a digit, not '.'.'");
            assertThat(errorOf("x = 1.a")).isEqualTo(
                    "Parse error on line 1: 'Floats must have a digit after the '.', but got 'a' instead.'");
            assertThat(errorOf("x = -a")).isEqualTo("Parse error on line 1: 'Expected a digit but got 'a'.'");
        }
    }

    @Nested
    class BoolsAndDates {

        @ParameterizedTest
        @ValueSource(strings = {"true", "TRUE", "True", "yes", "YES", "on", "On"})
        void shouldReadTrueSpellings(String word) throws ConfException {
            assertThat(parse("x = " + word)).isEqualTo(map("x", true));
        }

        @ParameterizedTest
        @ValueSource(strings = {"false", "FALSE", "no", "No", "off", "OFF"})
        void shouldReadFalseSpellings(String word) throws ConfException {
            assertThat(parse("x = " + word)).isEqualTo(map("x", false));
        }

        @Test
        void shouldKeepQuotedBoolAsString() throws ConfException {
            assertThat(parse("a = \"true\"\nb = 'no'\nc = truth")).isEqualTo(map("a", "true", "b", "no", "c", "truth"));
        }

        @Test
        void shouldParseZuluDatetimes() throws ConfException {
            assertThat(parse("a = 2016-05-04T18:53:41Z\nb = 2016-02-29T00:00:00Z")).isEqualTo(map(
                    "a", Instant.parse("2016-05-04T18:53:41Z"), "b", Instant.parse("2016-02-29T00:00:00Z")));
        }

        @Test
        void shouldRejectInvalidDatetimes() {
            assertThat(errorOf("x = 2016-02-30T18:53:41Z")).isEqualTo(
                    "expected Zulu formatted DateTime, but got '2016-02-30T18:53:41Z'");
            assertThat(errorOf("x = 2016-13-04T18:53:41Z")).isEqualTo(
                    "expected Zulu formatted DateTime, but got '2016-13-04T18:53:41Z'");
            assertThat(errorOf("x = 1-2")).isEqualTo(
                    "Parse error on line 1: 'All ISO8601 dates must be in full Zulu form.'");
            assertThat(errorOf("x = 2016-05-0\n")).isEqualTo(
                    "Parse error on line 2: 'Expected digit in ISO8601 datetime, but found '\\n' instead.'");
            assertThat(errorOf("x = 2016-05-04X18:53:41Z")).isEqualTo(
                    "Parse error on line 1: 'Expected 'T' in ISO8601 datetime, but found 'X' instead.'");
        }
    }

    @Nested
    class Variables {

        @Test
        void shouldResolveEarlierKeysFromInnermostScopeOutwards() throws ConfException {
            assertThat(parse("a = 1\nm { a = 2, b = $a, n { c = $a } }\nd = $a\ne = [ $a, { f = $a } ]")).isEqualTo(
                    map("a", 1L, "m", map("a", 2L, "b", 2L, "n", map("c", 2L)), "d", 1L,
                            "e", List.of(1L, map("f", 1L))));
        }

        @Test
        void shouldCopyMapsAndArraysByVariable() throws ConfException {
            assertThat(parse("U = { users = [ {user: a} ] }\nacc = $U")).isEqualTo(
                    map("U", map("users", List.of(map("user", "a"))), "acc", map("users", List.of(map("user", "a")))));
        }

        @Test
        void shouldNotSeeLaterKeys() {
            assertThat(errorOf("a = $b\nb = 1")).isEqualTo("variable reference for 'b' on line 1 can not be found");
        }

        @Test
        void shouldReportMissingVariableWithItsLine() {
            assertThat(errorOf("port: 4222\n\nx = $NOPE_X")).isEqualTo(
                    "variable reference for 'NOPE_X' on line 3 can not be found");
        }

        @Test
        void shouldMarkKeysUsedAsVariables() throws ConfException {
            ConfDocument doc = ConfParser.parseString("MYVAR = 4333; port: $MYVAR; OTHER = 1", null, NO_ENV);
            assertThat(doc.isUsedAsVariable("MYVAR")).isTrue();
            assertThat(doc.isUsedAsVariable("OTHER")).isFalse();
            assertThat(doc.isUsedAsVariable("port")).isFalse();
            assertThat(doc.isUsedAsVariable("absent")).isFalse();
        }

        @Test
        void shouldForgetUseWhenKeyIsRedefinedAfterwards() throws ConfException {
            ConfDocument doc = ConfParser.parseString("V = 1; x = $V; V = 2", null, NO_ENV);
            assertThat(doc.isUsedAsVariable("V")).isFalse();
            assertThat(doc.toPlainMap()).isEqualTo(map("V", 2L, "x", 1L));
        }

        @Test
        void shouldKeepDollarLiteralInQuotes() throws ConfException {
            assertThat(parse("a = \"$x\"\nb = '$y'")).isEqualTo(map("a", "$x", "b", "$y"));
        }

        @Test
        void shouldKeepBcryptHashButNotOtherDollarWords() {
            assertThat(errorOf("p = $2b$11$abc")).isEqualTo(
                    "variable reference for '2b$11$abc' on line 1 can not be found");
        }

        @Test
        void shouldParseEnvironmentValuesAsConfigValues() throws ConfException {
            Map<String, String> env = Map.of("P", "4222", "B", "true", "L", "[a, b]", "M", "{x: 1, y: [2, 3 ]}",
                    "S", "'quoted'", "Z", "1k", "F", "2.5", "E", "", "T", "2016-05-04T18:53:41Z");
            assertThat(parse("p = $P\nb = $B\nl = $L\nm = $M\ns = $S\nz = $Z\nf = $F\ne = $E\nt = $T", env))
                    .isEqualTo(map("p", 4222L, "b", true, "l", List.of("a", "b"),
                            "m", map("x", 1L, "y", List.of(2L, 3L)),
                            "s", "quoted", "z", 1000L, "f", 2.5, "e", "", "t", Instant.parse("2016-05-04T18:53:41Z")));
        }

        @Test
        void shouldPreferConfigKeysOverEnvironment() throws ConfException {
            assertThat(parse("P = 1\nx = $P", Map.of("P", "2"))).isEqualTo(map("P", 1L, "x", 1L));
        }

        @Test
        void shouldResolveVariablesInsideEnvironmentValues() throws ConfException {
            assertThat(parse("x = $A", Map.of("A", "$B", "B", "5"))).isEqualTo(map("x", 5L));
        }

        @Test
        void shouldDetectEnvironmentCycles() {
            assertThat(errorOf("port: $A", Map.of("A", "$B", "B", "$A"))).isEqualTo(
                    "variable reference for 'A' on line 1 could not be parsed: "
                            + "variable reference for 'B' on line 1 could not be parsed: "
                            + "variable reference for 'A' on line 1 could not be parsed: "
                            + "variable reference cycle for 'A'");
            assertThat(errorOf("x = $X", Map.of("X", "$X"))).isEqualTo(
                    "variable reference for 'X' on line 1 could not be parsed: "
                            + "variable reference for 'X' on line 1 could not be parsed: "
                            + "variable reference cycle for 'X'");
        }

        @Test
        void shouldAllowTheSameEnvironmentVariableTwiceWithoutCycle() throws ConfException {
            assertThat(parse("x = $A\ny = [$A, $A ]", Map.of("A", "$B", "B", "7")))
                    .isEqualTo(map("x", 7L, "y", List.of(7L, 7L)));
        }

        @Test
        void shouldReportEnvironmentParseErrors() {
            assertThat(errorOf("\nx = $E", Map.of("E", "x y"))).isEqualTo(
                    "variable reference for 'E' on line 2 could not be parsed: Parse error on line 1: 'Expected a"
                            + " top-level value to end with a new line, comment or EOF, but got 'y' instead.'");
        }

        @Test
        void shouldReportEnvironmentValuesAtTheReference() throws ConfException {
            Map<String, ConfValue> root = ConfParser.parseString("a = 1\n  x = $M\ny = [ $M ]", Path.of("t.conf"),
                    Map.of("M", "{k: v}")::get).root();
            assertThat(root.get("x").position()).isEqualTo("t.conf:2:3");
            assertThat(root.get("x").asMap().get("k").position()).isEqualTo("t.conf:2:8");
            assertThat(root.get("y").asList().getFirst().position()).isEqualTo("t.conf:3:8");
        }
    }

    @Nested
    class Includes {

        @TempDir
        Path tmp;

        private Path write(String name, String content) throws IOException {
            Path file = tmp.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        }

        @Test
        void shouldResolveIncludesRelativeToTheIncludingFile() throws Exception {
            Path main = write("conf/main.conf", "port: 1\ninclude sub/a.conf\n");
            write("conf/sub/a.conf", "a = 2\ninclude 'b.conf'\n");
            write("conf/sub/b.conf", "b = 3\n");
            ConfDocument doc = ConfParser.parseFile(main, NO_ENV);
            assertThat(doc.toPlainMap()).isEqualTo(map("port", 1L, "a", 2L, "b", 3L));
            assertThat(doc.root().get("a").position()).isEqualTo(tmp.resolve("conf/sub/a.conf") + ":1:0");
            assertThat(doc.root().get("b").position()).isEqualTo(tmp.resolve("conf/sub/b.conf") + ":1:0");
        }

        @Test
        void shouldMergeIncludedKeysIntoTheEnclosingMap() throws Exception {
            Path main = write("main.conf", "auth { include \"users.conf\"; timeout: 1 }\n");
            write("users.conf", "user = u\npassword = p\n");
            assertThat(ConfParser.parseFile(main, NO_ENV).toPlainMap()).isEqualTo(
                    map("auth", map("user", "u", "password", "p", "timeout", 1L)));
        }

        @Test
        void shouldAcceptIncludeKeywordInAnyCase() throws Exception {
            Path main = write("main.conf", "INCLUDE x.conf\nm { Include x.conf }\n");
            write("x.conf", "x = 1\n");
            assertThat(ConfParser.parseFile(main, NO_ENV).toPlainMap()).isEqualTo(map("x", 1L, "m", map("x", 1L)));
        }

        @Test
        void shouldJoinAbsoluteIncludePathUnderTheIncludingDirectoryLikeGo() throws Exception {
            Path main = write("d/main.conf", "include \"/y.conf\"\n");
            write("d/y.conf", "zz = 1\n");
            assertThat(ConfParser.parseFile(main, NO_ENV).toPlainMap()).isEqualTo(map("zz", 1L));
        }

        @Test
        void shouldResolveIncludesOfStringsAgainstTheGivenFile() throws Exception {
            write("s/x.conf", "x = 1\n");
            assertThat(ConfParser.parseString("include x.conf", tmp.resolve("s/virtual.conf"), NO_ENV).toPlainMap())
                    .isEqualTo(map("x", 1L));
        }

        @Test
        void shouldNotShareIncluderVariablesWithIncludedFile() throws Exception {
            Path main = write("main.conf", "V = 1\ninclude a.conf\n");
            write("a.conf", "x = $V\n");
            assertThatThrownBy(() -> ConfParser.parseFile(main, NO_ENV)).hasMessage(
                    "error parsing include file 'a.conf', variable reference for 'V' on line 1 can not be found");
        }

        @Test
        void shouldExposeIncludedKeysAsVariablesAfterTheInclude() throws Exception {
            Path main = write("main.conf", "include a.conf\nx = $V\n");
            write("a.conf", "V = 1\n");
            ConfDocument doc = ConfParser.parseFile(main, NO_ENV);
            assertThat(doc.toPlainMap()).isEqualTo(map("V", 1L, "x", 1L));
            assertThat(doc.isUsedAsVariable("V")).isTrue();
        }

        @Test
        void shouldReportMissingAndBrokenIncludes() throws Exception {
            Path missing = write("m1/main.conf", "port: 1\nfoo { include \"nope.conf\" }\n");
            assertThatThrownBy(() -> ConfParser.parseFile(missing, NO_ENV)).hasMessage(
                    "error parsing include file 'nope.conf', open " + tmp.resolve("m1/nope.conf")
                            + ": no such file or directory");

            Path nested = write("m2/main.conf", "include a.conf\n");
            write("m2/a.conf", "include b.conf\n");
            write("m2/b.conf", "x = [ , ]\n");
            assertThatThrownBy(() -> ConfParser.parseFile(nested, NO_ENV)).hasMessage(
                    "error parsing include file 'a.conf', error parsing include file 'b.conf', "
                            + "Parse error on line 1: 'Unexpected array value terminator ','.'");

            Path directory = write("m3/main.conf", "include sub\n");
            Files.createDirectories(tmp.resolve("m3/sub"));
            assertThatThrownBy(() -> ConfParser.parseFile(directory, NO_ENV)).hasMessage(
                    "error parsing include file 'sub', read " + tmp.resolve("m3/sub") + ": is a directory");
        }

        @Test
        void shouldRejectNonPathIncludeValues() {
            assertThat(errorOf("include [x]")).isEqualTo(
                    "Parse error on line 1: 'Expected include value but found start of an array'");
            assertThat(errorOf("include {")).isEqualTo(
                    "Parse error on line 1: 'Expected include value but found start of a map'");
            assertThat(errorOf("include (")).isEqualTo(
                    "Parse error on line 1: 'Expected include value but found start of a block'");
            assertThat(errorOf("include 5")).isEqualTo(
                    "Parse error on line 1: 'Expected include value but found start of a number'");
            assertThat(errorOf("include \\x")).isEqualTo(
                    "Parse error on line 1: 'Expected include value but found escape sequence'");
            assertThat(errorOf("include\n")).isEqualTo(
                    "Parse error on line 2: 'Expected include value but found new line'");
            assertThat(errorOf("include \"a\n")).isEqualTo(
                    "Parse error on line 2: 'Unexpected EOF in double quoted include'");
        }

        @Test
        void shouldReadMissingOrDirectoryConfigFilesLikeGo() throws Exception {
            Path absent = tmp.resolve("absent.conf");
            assertThatThrownBy(() -> ConfParser.parseFile(absent)).isInstanceOf(ConfException.class)
                    .hasMessage("open " + absent + ": no such file or directory");
            assertThatThrownBy(() -> ConfParser.parseFile(tmp)).hasMessage("read " + tmp + ": is a directory");
        }
    }

    @Nested
    class Positions {

        @Test
        void shouldCountColumnsFromZeroOnLineOneAndFromOneAfter() throws ConfException {
            Map<String, ConfValue> root = root("  aa = 1\n\tbb: 2\n   \"cc\" 3\n");
            assertThat(root.get("aa").position()).isEqualTo("t.conf:1:2");
            assertThat(root.get("bb").position()).isEqualTo("t.conf:2:2");
            assertThat(root.get("cc").position()).isEqualTo("t.conf:3:5");
        }

        @Test
        void shouldCountColumnsInBytes() throws ConfException {
            Map<String, ConfValue> root = root("port: 4222\n\u00e9\u00e9 = 1; ff = 2\nab = \"\\x41\\x42c\"; cd = 1\n");
            assertThat(root.get("ff").position()).isEqualTo("t.conf:2:11");
            assertThat(root.get("cd").position()).isEqualTo("t.conf:3:19");
        }

        @Test
        void shouldReportMapEntriesAtTheirKeys() throws ConfException {
            Map<String, ConfValue> cluster = root("port: 4222\ncluster { port: 6222, foo: 1\n  bar = 2 }\n")
                    .get("cluster").asMap();
            assertThat(cluster.get("port").position()).isEqualTo("t.conf:2:11");
            assertThat(cluster.get("foo").position()).isEqualTo("t.conf:2:23");
            assertThat(cluster.get("bar").position()).isEqualTo("t.conf:3:3");
        }

        @Test
        void shouldReportArrayElementsAtThemselvesAndNestedMapsAtTheirClosingBrace() throws ConfException {
            List<ConfValue> a = root("a = [1, 'b',\n  c, {x: 1} ]").get("a").asList();
            assertThat(a).extracting(ConfValue::position)
                    .containsExactly("t.conf:1:5", "t.conf:1:9", "t.conf:2:3", "t.conf:2:12");
        }

        @Test
        void shouldReportVariableValuesAtTheirKeyOrElement() throws ConfException {
            Map<String, ConfValue> root = root("port = 1\n  x = $port\ny = [ $port ]");
            assertThat(root.get("x").position()).isEqualTo("t.conf:2:3");
            assertThat(root.get("y").asList().getFirst().position()).isEqualTo("t.conf:3:8");
        }

        @Test
        void shouldUseEmptyFileNameWithoutAFile() throws ConfException {
            assertThat(ConfParser.parseString("a=1", null, NO_ENV).root().get("a").position()).isEqualTo(":1:0");
        }

        @Test
        void shouldReportJsonLikeFilesAtTheirKeys() throws ConfException {
            Map<String, ConfValue> root = root("{\n  \"port\": 4222,\n  \"qq\": 1\n}\n");
            assertThat(root.get("qq").position()).isEqualTo("t.conf:3:4");
        }
    }

    @Nested
    class Errors {

        @Test
        void shouldRejectKeyWithoutValueAtEndOfFile() {
            assertThat(errorOf("port: 4222\nfoo")).isEqualTo("config is invalid (t.conf:2:4)");
        }

        @Test
        void shouldReportLexerErrorsWithLineOnly() {
            assertThat(errorOf("port: 4222\n:foo = 1"))
                    .isEqualTo("Parse error on line 2: 'Unexpected key separator ':''");
            assertThat(errorOf("port: 4222\nm { :a = 1 }")).isEqualTo(
                    "Parse error on line 2: 'Unexpected key separator ':'.'");
            assertThat(errorOf("port: 4222\nm { a = ] }")).isEqualTo("Parse error on line 2: 'Expected a map value"
                    + " terminator \",\" or a map terminator \"}\", but got ']' instead.'");
            assertThat(errorOf("port: 4222\nm { a: , }")).isEqualTo(
                    "Parse error on line 2: 'Unexpected map value terminator \",\".'");
            assertThat(errorOf("port: 4222\nm = {\n a = 1\n")).isEqualTo(
                    "Parse error on line 4: 'Unexpected EOF processing map.'");
            assertThat(errorOf("x =\n")).isEqualTo("Parse error on line 2: 'Expected value but found new line'");
            assertThat(errorOf("port: 4222\nm { 'a = 1 }\n")).isEqualTo(
                    "Parse error on line 3: 'Unexpected EOF processing quoted map key.'");
            assertThat(errorOf("port: 4222\n\"key\n")).isEqualTo("Parse error on line 3: 'Unexpected EOF.'");
        }
    }
}
