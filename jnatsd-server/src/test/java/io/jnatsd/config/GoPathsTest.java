package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Go's {@code path/filepath} tests (cleantests, dirtests, jointests). */
class GoPathsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "abc|abc", "abc/def|abc/def", "a/b/c|a/b/c", ".|.", "..|..", "../..|../..", "../../abc|../../abc",
            "/abc|/abc", "/|/", "``|.", "abc/|abc", "abc/def/|abc/def", "a/b/c/|a/b/c", "./|.", "../|..",
            "../../|../..", "/abc/|/abc", "abc//def//ghi|abc/def/ghi", "//abc|/abc", "///abc|/abc",
            "//abc//|/abc", "abc//|abc", "abc/./def|abc/def", "/./abc/def|/abc/def", "abc/.|abc",
            "abc/def/ghi/../jkl|abc/def/jkl", "abc/def/../ghi/../jkl|abc/jkl", "abc/def/..|abc",
            "abc/def/../..|.", "/abc/def/../..|/", "abc/def/../../..|..", "/abc/def/../../..|/",
            "abc/def/../../../ghi/jkl/../../../mno|../../mno", "/../abc|/abc", "abc/./../def|def",
            "abc//./../def|def", "abc/../../././../def|../../def"})
    void clean(String path, String expected) {
        assertThat(GoPaths.clean(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|.", ".|.", "/.|/", "/|/", "////|/", "/foo|/", "x/|x", "abc|.", "abc/def|abc", "a/b/.x|a/b",
            "a/b/c.|a/b", "a/b/c.x|a/b", "a.conf|."})
    void dir(String path, String expected) {
        assertThat(GoPaths.dir(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a|b|a/b", "a|``|a", "``|b|b", "/|a|/a", "/|/a|/a", "``|``|``", ".|x.conf|x.conf",
            "conf|../x.conf|x.conf", "/etc/nats|/abs.conf|/etc/nats/abs.conf", "d|./sub/x|d/sub/x"})
    void join(String first, String second, String expected) {
        assertThat(GoPaths.join(first, second)).isEqualTo(expected);
    }
}
