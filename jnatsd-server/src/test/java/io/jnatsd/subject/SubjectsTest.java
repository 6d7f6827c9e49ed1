package io.jnatsd.subject;

import static io.jnatsd.subject.TestSub.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectsTest {

    // nats-server: sublist_test.go TestSublistValidLiteralSubjects
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "foo|true", ".foo|false", "foo.|false", "foo..bar|false", "foo.bar.*|false", "foo.bar.>|false",
        "*|false", ">|false",
        // wildcard characters that are not whole tokens are literals
        "foo*|true", "foo**|true", "foo.**|true", "foo*bar|true", "foo.*bar|true", "foo*.bar|true", "*bar|true",
        "foo>|true", "foo>>|true", "foo.>>|true", "foo>bar|true", "foo.>bar|true", "foo>.bar|true", ">bar|true",
        "\"\"|false"})
    void validLiteralSubjects(String subject, boolean valid) {
        assertThat(Subjects.isValidLiteralSubject(subject)).isEqualTo(valid);
        byte[] framed = bytes("xx" + subject + "yy");
        assertThat(Subjects.isValidLiteralSubject(framed, 2, subject.length())).isEqualTo(valid);
        assertThat(Subjects.isValidPublishSubject(framed, 2, subject.length())).isEqualTo(valid);
    }

    // nats-server: sublist_test.go TestSublistValidSubjects
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        ".|false", ".foo|false", "foo.|false", "foo..bar|false", ">.bar|false", "foo.>.bar|false",
        "foo|true", "foo.bar.*|true", "foo.bar.>|true", "*|true", ">|true", "foo*|true", "foo**|true",
        "foo.**|true", "foo*bar|true", "foo.*bar|true", "foo*.bar|true", "*bar|true", "foo>|true", "foo.>>|true",
        "foo>bar|true", "foo.>bar|true", "foo>.bar|true", ">bar|true", "\"\"|false"})
    void validSubjects(String subject, boolean valid) {
        assertThat(Subjects.isValidSubject(subject)).isEqualTo(valid);
        byte[] framed = bytes("x" + subject + "x");
        assertThat(Subjects.isValidSubscribeSubject(framed, 1, subject.length())).isEqualTo(valid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo bar", "foo.b ar", "foo.\tbar", "foo\r.bar", "foo.bar\n", "a.\f", " ", "foo. "})
    void shouldRejectWhitespaceOnlyInIsValidSubject(String subject) {
        assertThat(Subjects.isValidSubject(subject)).isFalse();
        // SUB arguments are split on whitespace by the parser, so the subscribe check does not look for it
        assertThat(Subjects.isValidSubscribeSubject(bytes(subject), 0, subject.length())).isTrue();
    }

    // nats-server: sublist_test.go TestSublistMatchLiterals
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "foo|foo|true", "foo|bar|false", "foo|*|true", "foo|>|true", "foo.bar|>|true", "foo.bar|foo.>|true",
        "foo.bar|bar.>|false", "stats.test.22|stats.>|true", "stats.test.22|stats.*.*|true", "foo.bar|foo|false",
        "stats.test.foos|stats.test.foos|true", "stats.test.foos|stats.test.foo|false",
        "stats.test|stats.test.*|false", "stats.test.foos|stats.*|false", "stats.test.foos|stats.*.*.foos|false",
        // wildcard characters that do not form a whole token are not wildcards
        "*bar|*bar|true", "foo*|foo*|true", "foo*bar|foo*bar|true", "foo.***.bar|foo.***.bar|true",
        ">bar|>bar|true", "foo>|foo>|true", "foo>bar|foo>bar|true", "foo.>>>.bar|foo.>>>.bar|true",
        // more edges
        "foo|foo.>|false", "foo.bar.baz|*.>|true", "foo|*.>|false", "foo.bar|*|false", "foo*|*|true",
        "a.>.b|a.>.b|true", "a.x.b|a.>.b|false"})
    void matchLiterals(String literal, String filter, boolean matches) {
        assertThat(Subjects.matchLiteral(bytes(literal), bytes(filter))).isEqualTo(matches);
    }

    // nats-server: sublist_test.go TestSubjectIsLiteral
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "foo|true", "foo.bar|true", "foo*.bar|true", "*|false", ">|false", "foo.*|false", "foo.>|false",
        "foo.*.>|false", "foo.*.bar|false", "foo.bar.>|false"})
    void subjectIsLiteral(String subject, boolean literal) {
        assertThat(Subjects.subjectIsLiteral(subject)).isEqualTo(literal);
        assertThat(Subjects.isLiteral(bytes("." + subject), 1, subject.length())).isEqualTo(literal);
    }

    // nats-server: sublist_test.go TestIsSubsetMatch
    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "foo.bar|foo.bar|true", "foo.*|>|true", "foo.*|*.*|true", "foo.*|foo.*|true", "foo.*|foo.bar|false",
        "foo.>|>|true", "foo.>|*.>|true", "foo.>|foo.>|true", "foo.>|foo.bar|false",
        "foo..bar|foo.*|false", "foo.*|foo..bar|false",
        // more edges: literal subjects, token counts, literal wildcard characters
        "foo.bar|foo.*|true", "foo.bar.baz|foo.*|false", "foo|foo.>|false", "foo.bar.baz|foo.>|true",
        "foo.bar|*.>|true", "foo|*.>|false", "foo|*|true", "foo*|*|true", "foo.bar|foo.*bar|false",
        "foo.>|foo.*|false", "foo.*|foo.*.*|false", "*|>|true", ">|*|false", "foo.bar|foo|false"})
    void isSubsetMatch(String subject, String filter, boolean matches) {
        assertThat(Subjects.subjectMatchesFilter(subject, filter)).isEqualTo(matches);
    }

    @Test
    void shouldCountTokens() {
        assertThat(Subjects.numTokens(bytes(""), 0, 0)).isZero();
        assertThat(Subjects.numTokens(bytes("foo"), 0, 3)).isEqualTo(1);
        assertThat(Subjects.numTokens(bytes("foo.bar.baz"), 0, 11)).isEqualTo(3);
        assertThat(Subjects.numTokens(bytes("x.foo.bar"), 2, 7)).isEqualTo(2);
        assertThat(Subjects.numTokens(bytes("foo..bar."), 0, 9)).isEqualTo(4);
    }

    @Test
    void shouldFindEmptyTokens() {
        assertThat(Subjects.hasEmptyToken(bytes(""), 0, 0)).isTrue();
        assertThat(Subjects.hasEmptyToken(bytes(".foo"), 0, 4)).isTrue();
        assertThat(Subjects.hasEmptyToken(bytes("foo."), 0, 4)).isTrue();
        assertThat(Subjects.hasEmptyToken(bytes("foo..bar"), 0, 8)).isTrue();
        assertThat(Subjects.hasEmptyToken(bytes("foo.bar"), 0, 7)).isFalse();
        assertThat(Subjects.hasEmptyToken(bytes(".foo.bar."), 1, 7)).isFalse();
    }

    // nats-server: sublist_test.go TestSublistSubjectCollide
    @org.junit.jupiter.api.Test
    void subjectCollide() {
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*", "foo.*.bar.>")).isFalse();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*.bar.>", "foo.*")).isFalse();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*", "foo.foo")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*", "*.foo")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.bar.>", "*.bar.foo")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*", "bar.*")).isFalse();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo", "foo")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo", "bar")).isFalse();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide(">", "foo.bar")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("foo.*.*", "foo.>")).isTrue();
        org.assertj.core.api.Assertions.assertThat(Subjects.subjectsCollide("*.*", "*.*.*")).isFalse();
    }
}
