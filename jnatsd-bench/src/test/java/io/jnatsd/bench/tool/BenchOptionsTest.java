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
                "tls-pub size=16B", "tls-pub size=1KB", "tls-pub size=64KB",
                "tls-1to1 size=16B", "tls-1to1 size=1KB", "tls-1to1 size=64KB",
                "tls-handshake tls=1.3 conns=2", "tls-handshake tls=1.2 conns=2",
                "js-sync memory size=16B", "js-sync memory size=64KB",
                "js-async memory inflight=100 size=16B", "js-async memory inflight=100 size=64KB",
                "js-push memory ack=none size=16B", "js-push memory ack=explicit size=16B",
                "js-push memory ack=none size=64KB", "js-push memory ack=explicit size=64KB",
                "js-pull memory batch=256 size=16B", "js-pull memory batch=256 size=64KB",
                "js-ordered memory size=16B", "js-ordered memory size=64KB");
        assertThat(o.needsJetStream()).isTrue();
        assertThat(BenchOptions.parse("pub").needsJetStream()).isFalse();
    }

    @Test
    void shouldRejectUnknownStorage() {
        assertThatThrownBy(() -> BenchOptions.parse("--js-storage", "file,disk"))
                .hasMessageContaining("unknown storage 'disk'");
    }

    @Test
    void shouldTakeTlsSettingsForTheUrl() throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("bench-ca", ".pem");
        try {
            BenchOptions o = BenchOptions.parse("--url", "nats://127.0.0.1:4443", "--tls", "--tls-ca", ca.toString(),
                    "--tls-client", "jdk", "--tls-sizes", "1K", "--tls-versions", "1.2", "--handshake-conns", "4",
                    "tls-handshake", "tls-pub");

            assertThat(o.url.tls()).isEqualTo(new TlsClient(ca, TlsClient.DEFAULT_PROTOCOLS, "jdk"));
            assertThat(o.scenarios).containsExactly("tls-pub", "tls-handshake");
            assertThat(o.anyTlsScenario()).isTrue();
            assertThat(o.anyPlainScenario()).isFalse();
            assertThat(BenchRunner.cases(o).stream().map(c -> c.scenario() + " " + c.label()).toList())
                    .containsExactly("tls-pub size=1KB", "tls-handshake tls=1.2 conns=4");
            assertThat(BenchOptions.parse("--url", "tls://127.0.0.1:4443").url.tls()).isNotNull();
            assertThat(BenchOptions.parse("--url", "nats://127.0.0.1:4443").url.tls()).isNull();
        } finally {
            java.nio.file.Files.delete(ca);
        }
        assertThatThrownBy(() -> BenchOptions.parse("--tls-client", "bouncy")).hasMessageContaining(
                "expected: jdk or openssl");
        assertThatThrownBy(() -> BenchOptions.parse("--tls-versions", "1.1")).hasMessageContaining("1.1");
        assertThatThrownBy(() -> BenchOptions.parse("--tls-ca", "/nonexistent.pem")).hasMessageContaining(
                "not a readable file");
    }

    @Test
    void shouldTakeJnatsdJavaOptionsAndVariants() {
        BenchOptions o = BenchOptions.parse("--compare", "--jnatsd", "pom.xml", "--jnatsd-java-opts",
                " -Djnatsd.tls.provider=jdk ", "--jnatsd-variant",
                "jnatsd-openssl=-Djnatsd.tls.provider=openssl -Xmx1g",
                "--jnatsd-variant=plain");

        assertThat(o.jnatsdJavaOpts).isEqualTo("-Djnatsd.tls.provider=jdk");
        assertThat(o.jnatsdVariants).containsExactly(
                java.util.Map.entry("jnatsd-openssl", "-Djnatsd.tls.provider=openssl -Xmx1g"),
                java.util.Map.entry("plain", ""));
        ServerLauncher script = ServerLauncher.forPath("jnatsd-openssl", java.nio.file.Path.of("bin/jnatsd"),
                o.jnatsdVariants.get("jnatsd-openssl"), java.nio.file.Path.of("/tmp"));
        assertThat(script.command()).containsExactly("bin/jnatsd");
        assertThat(script.env()).containsExactly(java.util.Map.entry("JNATSD_JAVA_OPTS",
                "-Djnatsd.tls.provider=openssl -Xmx1g"));
        ServerLauncher jar = ServerLauncher.forPath("jnatsd", java.nio.file.Path.of("x/jnatsd.jar"),
                "-Da=1 -Db=2", java.nio.file.Path.of("/tmp"));
        assertThat(jar.command()).containsSubsequence("-Da=1", "-Db=2", "-jar", "x/jnatsd.jar");
        assertThat(jar.withArgs("-c", "tls.conf").command()).endsWith("-jar", "x/jnatsd.jar", "-c", "tls.conf");

        assertThatThrownBy(() -> BenchOptions.parse("--compare", "--jnatsd", "pom.xml", "--jnatsd-variant",
                "nats-server=-Dx")).hasMessageContaining("the name nats-server is taken");
        assertThatThrownBy(() -> BenchOptions.parse("--compare", "--jnatsd", "pom.xml", "--jnatsd-variant",
                "a b=-Dx")).hasMessageContaining("expected: NAME=JAVA_OPTS");
        assertThatThrownBy(() -> BenchOptions.parse("--jnatsd-variant", "x=-Dy")).hasMessageContaining(
                "needs --compare");
    }
}
