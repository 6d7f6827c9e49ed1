package io.jnatsd.subject.transform;

import io.jnatsd.subject.transform.SubjectTransformException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectTransformTest {

    private static SubjectTransform compile(String source, String destination, boolean strict)
            throws SubjectTransformException {
        return strict ? SubjectTransform.compileForImport(source, destination)
                : SubjectTransform.compile(source, destination);
    }

    // The shouldErr table of nats-server's TestSubjectTransforms, with the error each case gets there.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "foo..   | bar                          | false | BAD_SUBJECT",
        "foo.*   | bar.*                        | false | BAD_SUBJECT",
        "foo.*   | bar.$2                       | false | INDEX_OUT_OF_RANGE",
        "foo.*   | bar.$1.>                     | false | BAD_SUBJECT",
        "foo.>   | bar.baz                      | false | BAD_SUBJECT",
        "foo.*.* | bar.$2                       | true  | NOT_USING_ALL_WILDCARDS",
        "foo.*   | foo.$foo                     | true  | NOT_USING_ALL_WILDCARDS",
        "foo.*   | bar.{{Partition(2,1)}}       | true  | NOT_SUPPORTED_FOR_IMPORT",
        "foo.*   | foo.{{wildcard(2)}}          | false | INDEX_OUT_OF_RANGE",
        "foo.*   | foo.{{unimplemented(1)}}     | false | UNKNOWN_FUNCTION",
        "foo.*   | foo.{{partition()}}          | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{random()}}             | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{wildcard(foo)}}        | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{wildcard()}}           | false | NOT_ENOUGH_ARGUMENTS",
        "foo.*   | foo.{{wildcard(1,2)}}        | false | TOO_MANY_ARGUMENTS",
        "foo.*   | 'foo.{{ wildcard5) }}'       | false | UNKNOWN_FUNCTION",
        "foo.*   | foo.{{splitLeft(2,2}}        | false | UNKNOWN_FUNCTION",
        "foo     | bla.{{wildcard(1)}}          | false | INDEX_OUT_OF_RANGE",
        "foo.*   | foo.{{partition(2147483648)}} | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{random(2147483648)}}   | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{splitFromLeft(1)}}     | false | NOT_ENOUGH_ARGUMENTS",
        "foo.*   | foo.{{left(1,2,3)}}          | false | TOO_MANY_ARGUMENTS",
        "foo.*   | foo.{{right(1,2147483648)}}  | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{random(1,2)}}          | false | NOT_ENOUGH_ARGUMENTS",
        "foo.*   | foo.{{split(1,a b)}}         | false | INVALID_ARGUMENT",
        "foo.*   | foo.{{SPLITFROMLEFT(1,2)}}   | false | UNKNOWN_FUNCTION",
    })
    void subjectTransformsShouldErr(String source, String destination, boolean strict, Reason reason) {
        assertThatThrownBy(() -> compile(source, destination, strict))
                .isInstanceOfSatisfying(SubjectTransformException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void shouldUseNatsServerErrorTexts() {
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "bar.*")).hasMessage("invalid subject");
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{wildcard(2)}}"))
                .hasMessage("invalid mapping destination: wildcard index out of range in {{wildcard(2)}}: [2]");
        assertThatThrownBy(() -> SubjectTransform.compile("foo", "bla.{{wildcard(1)}}"))
                .hasMessage("invalid mapping destination: wildcard index out of range in {{wildcard(1)}}");
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{unimplemented(1)}}"))
                .hasMessage("invalid mapping destination: unknown function in {{unimplemented(1)}}");
        assertThatThrownBy(() -> SubjectTransform.compileForImport("foo.*.*", "bar.$2"))
                .hasMessage("invalid mapping destination: not using all of the token wildcard(s) in bar.$2");
        assertThatThrownBy(() -> SubjectTransform.compileForImport("foo.*", "bar.{{Partition(2,1)}}"))
                .hasMessage("invalid mapping destination: the only mapping function allowed for import transforms "
                        + "is {{Wildcard()}} in {{Partition(2,1)}}");
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{wildcard()}}"))
                .hasMessage("invalid mapping destination: not enough arguments passed to the function in "
                        + "{{wildcard()}}");
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{wildcard(1,2)}}"))
                .hasMessage("invalid mapping destination: too many arguments passed to the function in "
                        + "{{wildcard(1,2)}}");
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{wildcard(x)}}"))
                .hasMessage("invalid mapping destination: function argument is invalid or in the wrong format in "
                        + "{{wildcard(x)}}");
    }

    @Test
    void shouldReportWhetherAnErrorIsAnInvalidMappingDestination() {
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "bar.*"))
                .isInstanceOfSatisfying(SubjectTransformException.class,
                        e -> assertThat(e.isInvalidMappingDestination()).isFalse());
        assertThatThrownBy(() -> SubjectTransform.compile("foo.*", "foo.{{wildcard()}}"))
                .isInstanceOfSatisfying(SubjectTransformException.class,
                        e -> assertThat(e.isInvalidMappingDestination()).isTrue());
    }

    // The shouldBeOK table of nats-server's TestSubjectTransforms.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "foo.*           | bar.{{Wildcard(1)}}                                         | true",
        "foo.*.*         | bar.$2                                                      | false",
        "foo.*.*         | bar.{{wildcard(1)}}                                         | false",
        "foo.*.*         | bar.{{partition(1)}}                                        | false",
        "foo.*.*         | bar.{{random(5)}}                                           | false",
        "foo             | bar                                                         | false",
        "foo.*.bar.*.baz | req.$2.$1                                                   | false",
        "baz.>           | mybaz.>                                                     | false",
        "*               | {{splitfromleft(1,1)}}                                      | false",
        "''              | prefix.>                                                    | false",
        "*.*             | {{partition(10,1,2)}}                                       | false",
        "foo.*.*         | foo.{{wildcard(1)}}.{{wildcard(2)}}.{{partition(5,1,2)}}    | false",
        "foo.*           | foo.{{partition(2147483647)}}                               | false",
        "foo.*           | foo.{{random(2147483647)}}                                  | false",
        "foo.bar         | foo.{{random(2147483647)}}                                  | false",
        "foo.bar         | baz.{{partition(10)}}                                       | false",
        "foo.*           | foo.{{ Partition (10,1) }}                                  | false",
    })
    void subjectTransformsShouldBeOk(String source, String destination, boolean strict)
            throws SubjectTransformException {
        SubjectTransform tr = compile(source, destination, strict);
        assertThat(tr.destination()).isEqualTo(destination);
    }

    // The shouldMatch table of nats-server's TestSubjectTransforms.
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "''              | prefix.>                                 | foo                 | prefix.foo",
        "foo             | bar                                      | foo                 | bar",
        "foo.*.bar.*.baz | req.$2.$1                                | foo.A.bar.B.baz     | req.B.A",
        "foo.*.bar.*.baz | req.{{wildcard(2)}}.{{wildcard(1)}}      | foo.A.bar.B.baz     | req.B.A",
        "baz.>           | my.pre.>                                 | baz.1.2.3           | my.pre.1.2.3",
        "baz.>           | foo.bar.>                                | baz.1.2.3           | foo.bar.1.2.3",
        "*               | foo.bar.$1                               | foo                 | foo.bar.foo",
        "*               | {{splitfromleft(1,3)}}                   | 12345               | 123.45",
        "*               | {{SplitFromRight(1,3)}}                  | 12345               | 12.345",
        "*               | {{SliceFromLeft(1,3)}}                   | 1234567890          | 123.456.789.0",
        "*               | {{SliceFromRight(1,3)}}                  | 1234567890          | 1.234.567.890",
        "*               | {{SliceFromLeft(1,3)}}                   | 123456              | 123.456",
        "*               | {{SliceFromRight(1,3)}}                  | 123456              | 123.456",
        "*               | {{SliceFromLeft(1,9)}}                   | 123456              | 123456",
        "*               | {{split(1,-)}}                           | -abc-def--ghi-      | abc.def.ghi",
        "*               | {{split(1,-)}}                           | abc-def--ghi-       | abc.def.ghi",
        "*.*             | {{split(2,-)}}.{{splitfromleft(1,2)}}    | foo.-abc-def--ghij- | abc.def.ghij.fo.o",
        "*               | {{split(1,-)}}                           | --a                 | .a",
        "*               | {{right(1,1)}}                           | 1234                | 4",
        "*               | {{right(1,3)}}                           | 1234                | 234",
        "*               | {{right(1,6)}}                           | 1234                | 1234",
        "*               | {{left(1,1)}}                            | 1234                | 1",
        "*               | {{left(1,3)}}                            | 1234                | 123",
        "*               | {{left(1,6)}}                            | 1234                | 1234",
        "*               | bar.{{partition(0)}}                     | baz                 | bar.0",
        "*               | bar.{{partition(10, 0)}}                 | foo                 | bar.3",
        "*.*             | bar.{{partition(10)}}                    | foo.bar             | bar.6",
        "*               | bar.{{partition(10)}}                    | foo                 | bar.3",
        "*               | bar.{{partition(10)}}                    | baz                 | bar.0",
        "*               | bar.{{partition(10)}}                    | qux                 | bar.9",
        "*               | bar.{{random(0)}}                        | qux                 | bar.0",
        "foo.bar         | baz.{{partition(10)}}                    | foo.bar             | baz.6",
        "foo.baz         | qux.{{partition(10)}}                    | foo.baz             | qux.4",
        "test.subject    | result.{{partition(5)}}                  | test.subject        | result.0",
        "*.>             | >                                        | a.b.c               | b.c",
        "foo.*           | x.$-1                                    | foo.bar             | x.foo",
    })
    void subjectTransformsShouldMatch(String source, String destination, String subject, String expected)
            throws SubjectTransformException {
        assertThat(SubjectTransform.compile(source, destination).match(subject)).isEqualTo(expected);
    }

    @Test
    void shouldPickRandomValuesBelowTheCeiling() throws SubjectTransformException {
        SubjectTransform tr = SubjectTransform.compile("*", "bar.{{random(6)}}");
        for (int i = 0; i < 100; i++) {
            assertThat(tr.match("qux")).isIn("bar.0", "bar.1", "bar.2", "bar.3", "bar.4", "bar.5");
        }
    }

    @Test
    void shouldNotMatchOtherOrInvalidSubjects() throws SubjectTransformException {
        SubjectTransform tr = SubjectTransform.compile("foo.*", "bar.$1");
        assertThat(tr.match("baz.x")).isNull();
        assertThat(tr.match("foo.*")).isNull();
        assertThat(tr.match("foo..")).isNull();
        assertThat(tr.match("foo.x.y")).isNull();
    }

    @Test
    void shouldReturnNullForAnEmptyDestination() throws SubjectTransformException {
        assertThat(SubjectTransform.compile("foo", "")).isNull();
    }

    @Test
    void shouldTreatNonNumericDollarTokensAsLiterals() throws SubjectTransformException {
        assertThat(SubjectTransform.compile("foo.*", "$JS.$1").match("foo.x")).isEqualTo("$JS.x");
    }

    @Test
    void subjectTransformDoesntPanicTransformingMissingToken() throws SubjectTransformException {
        SubjectTransform tr = SubjectTransform.compile("foo.*", "one.two.{{wildcard(1)}}");
        assertThat(tr.apply(new String[] {"foo"}, 1)).isEqualTo("one.two.");
    }

    @Test
    void subjectTransformHelpers() throws SubjectTransformException {
        SubjectTransform tr = SubjectTransform.compileForImport("foo.*.*", "bar.$2.{{Wildcard(1)}}");
        String transformed = tr.apply("foo.b.a");
        assertThat(transformed).isEqualTo("bar.a.b");
        SubjectTransform reverse = tr.reverse();
        assertThat(reverse.source()).isEqualTo("bar.*.*");
        assertThat(reverse.destination()).isEqualTo("foo.$2.{{Wildcard(1)}}");
        assertThat(reverse.apply(transformed)).isEqualTo("foo.b.a");
    }

    @Test
    void shouldValidateMappingsLikeAccountsDo() {
        // nats-server's ValidateMapping does not know left and right.
        assertThatThrownBy(() -> SubjectTransform.validateMapping("foo.*", "bar.{{left(1,2)}}"))
                .hasMessage("invalid mapping destination: unknown function in {{left(1,2)}}");
        assertThatThrownBy(() -> SubjectTransform.validateMapping("foo.>", "bar.>.x"))
                .hasMessage("invalid mapping destination: invalid transform in x");
        assertThatThrownBy(() -> SubjectTransform.validateMapping("foo", "bar..x"))
                .hasMessage("invalid mapping destination: invalid transform");
        assertThatThrownBy(() -> SubjectTransform.validateMapping("foo", "bar.a b"))
                .hasMessage("invalid mapping destination: invalid transform");
        assertThatThrownBy(() -> SubjectTransform.validateMapping("foo.*", "bar.$2"))
                .hasMessage("invalid mapping destination: wildcard index out of range in $2: [2]");
    }

    @Test
    void shouldAcceptValidMappings() throws SubjectTransformException {
        SubjectTransform.validateMapping("foo.*", "bar.{{partition(3,1)}}.{{splitFromLeft(1,1)}}");
        SubjectTransform.validateMapping("foo", "");
        assertThat(SubjectTransform.compile("foo.*", "bar.{{left(1,2)}}").match("foo.abc")).isEqualTo("bar.ab");
    }
}
