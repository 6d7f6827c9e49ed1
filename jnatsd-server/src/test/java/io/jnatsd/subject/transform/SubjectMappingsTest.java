package io.jnatsd.subject.transform;

import io.jnatsd.subject.transform.SubjectMappings.Destination;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectMappingsTest {

    private static Destination weighted(String subject, int percent) {
        return new Destination(subject, percent, "");
    }

    @Test
    void accountBasicRouteMapping() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo", "bar");
        assertThat(m.select("foo", "")).isEqualTo("bar");
        assertThat(m.select("bar", "")).isNull();
        assertThat(m.without("foo").isEmpty()).isTrue();
    }

    @Test
    void accountWildcardRouteMapping() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo.*.*", "bar.$2.$1").with("bar.*.>", "baz.$1.>");
        assertThat(m.select("foo.1.2", "")).isEqualTo("bar.2.1");
        assertThat(m.select("bar.2.1", "")).isEqualTo("baz.2.1");
        assertThat(m.select("bar.a.b.c", "")).isEqualTo("baz.a.b.c");
        assertThat(m.select("baz.1", "")).isNull();
    }

    @Test
    void accountMultiWeightedRouteMappings() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY;
        assertThatThrownBy(() -> SubjectMappings.EMPTY.with("foo", List.of(weighted("bar", 150))))
                .hasMessage("individual weights need to be <= 100");
        assertThatThrownBy(() -> SubjectMappings.EMPTY.with("foo", List.of(weighted("bar", 50), weighted("bar", 50))))
                .hasMessage("duplicate entry for \"bar\"");
        assertThatThrownBy(() -> SubjectMappings.EMPTY.with("foo", List.of(weighted("bar", 50), weighted("baz", 60))))
                .hasMessage("total weight needs to be <= 100");
        assertThatThrownBy(() -> SubjectMappings.EMPTY.with("foo..", "bar")).hasMessage("invalid subject");
        assertThatThrownBy(() -> SubjectMappings.EMPTY.with("foo.*", "bar.{{left(1,1)}}"))
                .hasMessage("invalid mapping destination: unknown function in {{left(1,1)}}");

        // 20 for the original subject is added implicitly; sorted by weight: foo < 20, baz < 50, bar < 100.
        m = m.with("foo", List.of(weighted("bar", 50), weighted("baz", 30)));
        assertThat(m.select("foo", "", 0)).isEqualTo("foo");
        assertThat(m.select("foo", "", 19)).isEqualTo("foo");
        assertThat(m.select("foo", "", 20)).isEqualTo("baz");
        assertThat(m.select("foo", "", 49)).isEqualTo("baz");
        assertThat(m.select("foo", "", 50)).isEqualTo("bar");
        assertThat(m.select("foo", "", 99)).isEqualTo("bar");
    }

    @Test
    void accountRouteMappingsWithLossInjection() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo", List.of(weighted("foo", 80)))
                .with("bar", List.of(weighted("bar", 0)));
        assertThat(m.select("foo", "", 79)).isEqualTo("foo");
        assertThat(m.select("foo", "", 80)).isEmpty();
        assertThat(m.select("bar", "", 0)).isEmpty();
    }

    @Test
    void accountRouteMappingsWithOriginClusterFilter() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo", List.of(new Destination("bar", 100, "SYN")));
        assertThat(m.select("foo", "")).isEqualTo("foo");
        assertThat(m.select("foo", "OTHER")).isEqualTo("foo");
        assertThat(m.select("foo", "SYN")).isEqualTo("bar");
    }

    @Test
    void shouldKeepWildcardTokensInTheImplicitRemainder() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo.*.>", List.of(weighted("bar.$1.>", 40)));
        assertThat(m.select("foo.a.b.c", "", 39)).isEqualTo("bar.a.b.c");
        assertThat(m.select("foo.a.b.c", "", 40)).isEqualTo("foo.a.b.c");
    }

    @Test
    void shouldReplaceAMappingInPlaceAndKeepInsertionOrder() throws InvalidMappingException {
        SubjectMappings m = SubjectMappings.EMPTY.with("foo.*", "first.$1").with("foo.a", "second")
                .with("foo.*", "third.$1");
        assertThat(m.destinations().keySet()).containsExactly("foo.*", "foo.a");
        assertThat(m.select("foo.a", "")).isEqualTo("third.a");
    }

    @Test
    void shouldDropForAnEmptyDestination() throws InvalidMappingException {
        assertThat(SubjectMappings.EMPTY.with("foo", "").select("foo", "")).isEmpty();
    }

    @Test
    void shouldHashNothingForALiteralMappingMatchedFirst() throws InvalidMappingException, SubjectTransformException {
        // nats-server passes no tokens to the transform when the first mapping matched literally.
        String emptyHash = SubjectTransform.compile("*", "{{partition(7)}}").apply(new String[0], 0);
        SubjectMappings first = SubjectMappings.EMPTY.with("foo.bar", "baz.{{partition(7)}}");
        assertThat(first.select("foo.bar", "")).isEqualTo("baz." + emptyHash);
        SubjectMappings second = SubjectMappings.EMPTY.with("x", "y").with("foo.bar", "baz.{{partition(10)}}");
        assertThat(second.select("foo.bar", "")).isEqualTo("baz.6");
    }
}
