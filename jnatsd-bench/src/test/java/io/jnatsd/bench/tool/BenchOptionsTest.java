package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void shouldDefaultToEveryScenarioAgainstTheLocalServer() {
        BenchOptions o = BenchOptions.parse();

        assertThat(o.scenarios).containsExactlyElementsOf(BenchOptions.SCENARIOS);
        assertThat(o.url).isEqualTo(ServerUrl.of("127.0.0.1", 4222));
        assertThat(o.compare).isFalse();
        assertThat(o.rounds).isEqualTo(3);
    }

    @Test
    void shouldParseSizesDurationsAndLists() {
        BenchOptions o = BenchOptions.parse("--sizes", "0,16,1K,64KB", "--duration=1.5s", "--warmup", "300ms",
                "--sub-counts", "1k,10000,1m", "--wildcard-pcts", "0,25%", "--window-bytes", "2M", "--msgs", "1000");

        assertThat(o.sizes).containsExactly(0, 16, 1024, 65536);
        assertThat(o.durationNanos).isEqualTo(1_500_000_000L);
        assertThat(o.warmupNanos).isEqualTo(300_000_000L);
        assertThat(o.subCounts).containsExactly(1000, 10_000, 1_000_000);
        assertThat(o.wildcardPcts).containsExactly(0, 25);
        assertThat(o.windowBytes).isEqualTo(2L << 20);
        assertThat(o.msgs).isEqualTo(1000);
    }

    @Test
    void shouldSelectScenariosByNameInTheirCanonicalOrder() {
        assertThat(BenchOptions.parse("reqrep", "pub").scenarios).containsExactly("pub", "reqrep");
        assertThat(BenchOptions.parse("--scenarios", "idle,all").scenarios)
                .containsExactlyElementsOf(BenchOptions.SCENARIOS);
    }

    @Test
    void shouldShrinkEverythingForSmokeButKeepExplicitFlags() {
        BenchOptions o = BenchOptions.parse("--rounds", "2", "--smoke", "--jnatsd", "pom.xml");

        assertThat(o.smoke).isTrue();
        assertThat(o.compare).isTrue();
        assertThat(o.rounds).isEqualTo(2);
        assertThat(o.warmupNanos).isZero();
        assertThat(o.durationNanos).isLessThan(1_000_000_000L);
        assertThat(o.idleConns).isLessThan(100);
    }

    @Test
    void shouldExplainBadInput() {
        assertThatThrownBy(() -> BenchOptions.parse("--bogus", "1")).hasMessageContaining("unknown flag --bogus");
        assertThatThrownBy(() -> BenchOptions.parse("--bogus")).hasMessageContaining("unknown flag --bogus");
        assertThatThrownBy(() -> BenchOptions.parse("--sizes", "12X")).hasMessageContaining("bad size '12X'");
        assertThatThrownBy(() -> BenchOptions.parse("--duration", "soon")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds", "0")).hasMessageContaining("expected: > 0");
        assertThatThrownBy(() -> BenchOptions.parse("bogus")).hasMessageContaining("unknown scenario 'bogus'");
        assertThatThrownBy(() -> BenchOptions.parse("--compare", "--nats-server", "/nonexistent/nats-server"))
                .hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> BenchOptions.parse("--quiet=yes")).hasMessageContaining("takes no value");
    }

    @Test
    void shouldBuildOneCasePerParameterCombination() {
        BenchOptions o = BenchOptions.parse("--sizes", "16,1K", "--fanout-subs", "1,4", "--sub-counts", "1k,10k",
                "--wildcard-pcts", "0,20", "--payload-sizes", "0,64K", "--js-sizes", "16,64K", "--js-storage",
                "memory", "--js-inflight", "100");

        List<String> labels = BenchRunner.cases(o).stream().map(c -> c.scenario() + " " + c.label()).toList();

        assertThat(labels).containsExactly(
                "pub size=16B", "pub size=1KB",
                "fanout subs=1 size=16B", "fanout subs=4 size=16B", "fanout subs=1 size=1KB", "fanout subs=4 size=1KB",
                "queue members=4 size=16B", "queue members=4 size=1KB",
                "reqrep size=16B",
                "idle conns=1000",
                "subs subs=1,000 wild=0%", "subs subs=1,000 wild=20%", "subs subs=10,000 wild=0%",
                "subs subs=10,000 wild=20%",
                "payload size=0B", "payload size=64KB",
                "startup runs=3",
                "js-sync memory size=16B", "js-sync memory size=64KB",
                "js-async memory inflight=100 size=16B", "js-async memory inflight=100 size=64KB");
        assertThat(o.needsJetStream()).isTrue();
        assertThat(BenchOptions.parse("pub").needsJetStream()).isFalse();
    }

    @Test
    void shouldRejectUnknownStorage() {
        assertThatThrownBy(() -> BenchOptions.parse("--js-storage", "file,disk"))
                .hasMessageContaining("unknown storage 'disk'");
    }
}
