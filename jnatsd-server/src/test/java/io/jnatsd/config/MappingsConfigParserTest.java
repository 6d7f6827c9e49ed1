package io.jnatsd.config;

import io.jnatsd.subject.transform.SubjectMappings;
import io.jnatsd.subject.transform.SubjectMappings.Destination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MappingsConfigParserTest {

    private static final String FILE = "c.conf";

    private static ConfigReport load(String text, ServerOptions.Builder builder) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void globalAccountRouteMappingsConfiguration() {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load("""
                mappings = {
                    foo: bar
                    foo.*: [ { dest: bar.v1.$1, weight: 40% }, { destination: baz.v2.$1, weight: 20 } ]
                    bar.*.*: RAB.$2.$1
                    x: { dest: y, weight: 100%, cluster: SYN }
                }
                """, builder);
        assertThat(report.text()).isEmpty();
        SubjectMappings m = builder.build().mappings();
        assertThat(m.destinations()).containsExactly(
                java.util.Map.entry("foo", List.of(Destination.of("bar"))),
                java.util.Map.entry("foo.*", List.of(new Destination("bar.v1.$1", 40, ""),
                        new Destination("baz.v2.$1", 20, ""))),
                java.util.Map.entry("bar.*.*", List.of(Destination.of("RAB.$2.$1"))),
                java.util.Map.entry("x", List.of(new Destination("y", 100, "SYN"))));
        assertThat(m.select("bar.11.22", "")).isEqualTo("RAB.22.11");
        assertThat(m.select("x", "SYN")).isEqualTo("y");
    }

    @Test
    void shouldAcceptTheMapsAlias() {
        ServerOptions.Builder builder = ServerOptions.builder();
        assertThat(load("maps { a: b }", builder).text()).isEmpty();
        assertThat(builder.build().mappings().select("a", "")).isEqualTo("b");
    }

    @Test
    void shouldDefaultToNoMappings() {
        assertThat(ServerOptions.builder().build().mappings().isEmpty()).isTrue();
    }

    // Texts and positions as nats-server 2.9.10 prints them with -t (the list case follows HEAD, where 2.9.10 panics).
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`mappings { \"foo.*\": \"bar.*\" }` | "
            + "`c.conf:1:12: Error adding mapping for \"foo.*\" to \"bar.*\" : invalid subject`",
        "`mappings { \"foo.*\": \"bar.{{wildcard(2)}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" to "
            + "\"bar.{{wildcard(2)}}\" : invalid mapping destination: wildcard index out of range in {{wildcard(2)}}: "
            + "[2]`",
        "`mappings { \"foo.*\": \"bar.{{unknown(1)}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" to "
            + "\"bar.{{unknown(1)}}\" : invalid mapping destination: unknown function in {{unknown(1)}}`",
        "`mappings { \"foo.*\": \"bar.{{left(1,1)}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" to "
            + "\"bar.{{left(1,1)}}\" : invalid mapping destination: unknown function in {{left(1,1)}}`",
        "`mappings { \"foo.*\": \"bar.{{wildcard(1,2)}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" to "
            + "\"bar.{{wildcard(1,2)}}\" : invalid mapping destination: too many arguments passed to the function in "
            + "{{wildcard(1,2)}}`",
        "`mappings { \"foo.*\": \"bar.{{wildcard()}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" to "
            + "\"bar.{{wildcard()}}\" : invalid mapping destination: not enough arguments passed to the function in "
            + "{{wildcard()}}`",
        "`mappings { \"foo.*\": \"bar.{{splitFromLeft(x,2)}}\" }` | `c.conf:1:12: Error adding mapping for \"foo.*\" "
            + "to \"bar.{{splitFromLeft(x,2)}}\" : invalid mapping destination: function argument is invalid or in the "
            + "wrong format in {{splitFromLeft(x,2)}}`",
        "`mappings { \"foo..\": \"bar\" }` | `c.conf:1:0: Subject \"foo..\" is not a valid subject`",
        "`mappings { foo: {destination: bar} }` | `c.conf:1:11: Missing weight for mapping destination \"bar\"`",
        "`mappings { foo: {destination: bar, weight: 101} }` | "
            + "`c.conf:1:35: Invalid weight 101 for mapping destination`",
        "`mappings { foo: {destination: bar, weight: \"abc%\"} }` | "
            + "`c.conf:1:35: Invalid weight \"abc\" for mapping destination`",
        "`mappings { foo: {destination: bar, weight: 50, x: 1} }` | "
            + "`c.conf:1:47: Unknown field \"x\" for mapping destination`",
        "`mappings { foo: 5 }` | `c.conf:1:11: Expected an entry for the mapping destination`",
        "`mappings = 5` | `c.conf:1:0: interface conversion: interface {} is int64, not map[string]interface {}`",
        "`mappings { foo: [{destination: bar, weight: 50%}, {destination: baz, weight: 60%}] }` | "
            + "`c.conf:1:11: Error adding mapping for \"foo\" : total weight needs to be <= 100`",
        "`mappings { foo: [{destination: bar, weight: 50%}, {destination: bar, weight: 10%}] }` | "
            + "`c.conf:1:11: Error adding mapping for \"foo\" : duplicate entry for \"bar\"`",
    })
    void shouldReportNatsServerErrors(String config, String error) {
        assertThat(load(config, ServerOptions.builder()).errors()).containsExactly(error);
    }

    @Test
    void shouldReportAnUnknownWeightTypeWithGoTrailingNewline() {
        assertThat(load("mappings { foo: {destination: bar, weight: 5.5} }", ServerOptions.builder()).errors())
                .containsExactly("c.conf:1:35: Unknown entry type for weight of 5.5\n");
    }

    @Test
    void shouldKeepValidEntriesOfAListWithAnInvalidOne() {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load("mappings { foo: [{destination: bar, weight: 100}, \"x\"] }", builder);
        assertThat(report.errors()).hasSize(1);
        assertThat(builder.build().mappings().select("foo", "")).isEqualTo("bar");
    }
}
