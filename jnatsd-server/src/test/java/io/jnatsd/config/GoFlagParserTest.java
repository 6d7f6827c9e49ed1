package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoFlagParserTest {

    private final GoFlagParser parser = new GoFlagParser(Map.of(
            "p", GoFlagParser.Kind.INT,
            "size", GoFlagParser.Kind.INT64,
            "D", GoFlagParser.Kind.BOOL,
            "DV", GoFlagParser.Kind.BOOL,
            "name", GoFlagParser.Kind.STRING));

    private GoFlagParser.Result parse(String... args) throws GoFlagParser.FlagException {
        return parser.parse(List.of(args));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-p 42", "-p=42", "--p 42", "--p=42", "-p 0x2a", "-p 052", "-p 0b101010", "-p 0o52",
        "-p 4_2"})
    void shouldAcceptEveryValueForm(String line) throws Exception {
        assertThat(parse(line.split(" ")).assignments())
                .containsExactly(new GoFlagParser.Assignment("p", 42L));
    }

    @Test
    void shouldTakeAValueThatLooksLikeAFlag() throws Exception {
        assertThat(parse("-name", "-D").assignments()).containsExactly(new GoFlagParser.Assignment("name", "-D"));
        assertThat(parse("-name=").assignments()).containsExactly(new GoFlagParser.Assignment("name", ""));
        assertThat(parse("-name=a=b").assignments()).containsExactly(new GoFlagParser.Assignment("name", "a=b"));
    }

    @Test
    void shouldTreatMultiLetterNamesAsWholeNames() throws Exception {
        assertThat(parse("-DV").assignments()).containsExactly(new GoFlagParser.Assignment("DV", true));
        assertThatThrownBy(() -> parse("-VD")).hasMessage("flag provided but not defined: -VD");
    }

    @ParameterizedTest
    @CsvSource({"-D, true", "-D=true, true", "--D=1, true", "-D=T, true", "-D=false, false", "-D=0, false",
        "-D=F, false", "-D=False, false"})
    void shouldSetBoolsWithoutValueOrOnlyWithEquals(String arg, boolean expected) throws Exception {
        assertThat(parse(arg).assignments()).containsExactly(new GoFlagParser.Assignment("D", expected));
    }

    @Test
    void shouldStopAtTheFirstPositionalArgument() throws Exception {
        GoFlagParser.Result result = parse("-D", "false", "-p", "1");
        assertThat(result.assignments()).containsExactly(new GoFlagParser.Assignment("D", true));
        assertThat(result.positional()).containsExactly("false", "-p", "1");
    }

    @Test
    void shouldStopAtDoubleDashAndDropIt() throws Exception {
        GoFlagParser.Result result = parse("-p", "1", "--", "-D");
        assertThat(result.assignments()).containsExactly(new GoFlagParser.Assignment("p", 1L));
        assertThat(result.positional()).containsExactly("-D");
    }

    @Test
    void shouldKeepALoneDashAsPositional() throws Exception {
        GoFlagParser.Result result = parse("-", "-D");
        assertThat(result.assignments()).isEmpty();
        assertThat(result.positional()).containsExactly("-", "-D");
    }

    @Test
    void shouldKeepOrderAndRepeats() throws Exception {
        assertThat(parse("-p", "1", "-D", "--p=2").assignments()).containsExactly(
                new GoFlagParser.Assignment("p", 1L), new GoFlagParser.Assignment("D", true),
                new GoFlagParser.Assignment("p", 2L));
    }

    @Test
    void shouldParseInt64Flags() throws Exception {
        assertThat(parse("-size", "1099511627776").assignments())
                .containsExactly(new GoFlagParser.Assignment("size", 1099511627776L));
    }

    @Test
    void shouldReportGoFlagErrors() {
        assertThatThrownBy(() -> parse("-foo")).hasMessage("flag provided but not defined: -foo");
        assertThatThrownBy(() -> parse("--foo=x")).hasMessage("flag provided but not defined: -foo");
        assertThatThrownBy(() -> parse("-p")).hasMessage("flag needs an argument: -p");
        assertThatThrownBy(() -> parse("--p")).hasMessage("flag needs an argument: -p");
        assertThatThrownBy(() -> parse("-p", "abc")).hasMessage("invalid value \"abc\" for flag -p: parse error");
        assertThatThrownBy(() -> parse("-p=")).hasMessage("invalid value \"\" for flag -p: parse error");
        assertThatThrownBy(() -> parse("-p", "99999999999999999999"))
                .hasMessage("invalid value \"99999999999999999999\" for flag -p: value out of range");
        assertThatThrownBy(() -> parse("-D=x")).hasMessage("invalid boolean value \"x\" for -D: parse error");
        assertThatThrownBy(() -> parse("-D=")).hasMessage("invalid boolean value \"\" for -D: parse error");
        assertThatThrownBy(() -> parse("---p")).hasMessage("bad flag syntax: ---p");
        assertThatThrownBy(() -> parse("-=x")).hasMessage("bad flag syntax: -=x");
        assertThatThrownBy(() -> parse("--=x")).hasMessage("bad flag syntax: --=x");
    }

    @Test
    void shouldStopAtTheFirstErrorEvenIfLaterArgumentsAreFine() {
        assertThatThrownBy(() -> parse("-D", "-bogus", "-p", "x")).hasMessage("flag provided but not defined: -bogus");
    }
}
