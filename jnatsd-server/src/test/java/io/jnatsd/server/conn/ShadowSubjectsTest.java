package io.jnatsd.server.conn;

import io.jnatsd.config.AccountGraph;
import io.jnatsd.config.ExportOptions;
import io.jnatsd.config.ImportOptions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.StreamImport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The subjects of shadow subscriptions for stream imports ({@code client.go addShadowSubscriptions}). */
class ShadowSubjectsTest {

    private static final Account EXPORTER = new Account("A", true);

    private static StreamImport streamImport(ImportOptions imp) {
        AccountGraph graph = new AccountGraph();
        graph.addAccount("A");
        graph.addAccount("B");
        assertThat(graph.addStreamExport("A", ExportOptions.stream(">"))).isNull();
        assertThat(graph.addStreamImport("B", imp, AccountGraph.ActivationCheck.NONE)).isNull();
        AccountGraph.StreamImport g = graph.streamImports("B").getFirst();
        return new StreamImport(EXPORTER, g.from(), g.to(), g.transform(), g.usePublished(), g.options());
    }

    @Test
    void shouldMapSubscriptionsBackThroughAPrefixImport() {
        StreamImport im = streamImport(ImportOptions.stream("A", "feed.>", "pre"));
        assertThat(ShadowSubjects.shadowSubject("pre.feed.>", im)).as("the import's own subject").isEqualTo("feed.>");
        assertThat(ShadowSubjects.shadowSubject("pre.feed.x", im)).as("within").isEqualTo("feed.x");
        assertThat(ShadowSubjects.shadowSubject("pre.>", im)).as("wider").isEqualTo("feed.>");
        assertThat(ShadowSubjects.shadowSubject(">", im)).isEqualTo("feed.>");
        assertThat(ShadowSubjects.shadowSubject("other.x", im)).isNull();
        assertThat(im.prefixBytes()).isEqualTo("pre.".getBytes());
    }

    @Test
    void shouldUseThePublishedSubjectsOfAPlainWildcardImport() {
        StreamImport im = streamImport(ImportOptions.stream("A", "orders.*", ""));
        assertThat(im.usePublished()).isTrue();
        assertThat(ShadowSubjects.shadowSubject("orders.eu", im)).isEqualTo("orders.eu");
        assertThat(ShadowSubjects.shadowSubject("orders.*", im)).isEqualTo("orders.*");
        assertThat(ShadowSubjects.shadowSubject("*.eu", im)).as("overlap").isEqualTo("orders.eu");
    }

    @Test
    void shouldMapThroughATransform() {
        StreamImport im = streamImport(new ImportOptions(false, "A", "a.*.b.*", "", "x.$2.$1", false, false, ""));
        assertThat(im.to()).isEqualTo("x.*.*");
        assertThat(im.transform().apply("a.1.b.2")).isEqualTo("x.2.1");
        assertThat(ShadowSubjects.shadowSubject("x.2.1", im)).isEqualTo("a.1.b.2");
        assertThat(ShadowSubjects.shadowSubject("x.*.*", im)).isEqualTo("a.*.b.*");
    }

    @Test
    void shouldUseTheExportedSubjectOfALiteralImport() {
        StreamImport im = streamImport(new ImportOptions(false, "A", "news", "", "local.news", false, false, ""));
        assertThat(ShadowSubjects.shadowSubject("local.news", im)).isEqualTo("news");
        assertThat(ShadowSubjects.shadowSubject("local.*", im)).isEqualTo("news");
        assertThat(ShadowSubjects.shadowSubject("local.other", im)).isNull();
    }
}
