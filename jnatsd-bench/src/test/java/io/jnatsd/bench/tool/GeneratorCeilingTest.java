package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorCeilingTest {

    private final GeneratorCeiling ceiling = new GeneratorCeiling(Map.of(
            16, new GeneratorCeiling.Limits(16, 10_000_000, 5_000_000),
            1024, new GeneratorCeiling.Limits(1024, 1_000_000, 800_000)));

    @Test
    void shouldUseTheNearestMeasuredSize() {
        assertThat(ceiling.forSize(0).size()).isEqualTo(16);
        assertThat(ceiling.forSize(100).size()).isEqualTo(16);
        assertThat(ceiling.forSize(900).size()).isEqualTo(1024);
        assertThat(ceiling.forSize(65536).size()).isEqualTo(1024);
    }

    @Test
    void shouldWarnOnlyNearTheCeiling() {
        assertThat(ceiling.checkPublisher(16, false, 7_000_000)).isEmpty();
        assertThat(ceiling.checkPublisher(16, false, 8_500_000)).hasValueSatisfying(
                w -> assertThat(w).contains("publisher at 85% of the generator's ceiling"));
        assertThat(ceiling.checkReader(1024, false, 700_000)).hasValueSatisfying(
                w -> assertThat(w).contains("reader at 88%"));
        assertThat(ceiling.checkReader(1024, false, 100_000)).isEmpty();
    }

    @Test
    void shouldKeepTlsCeilingsApart() {
        GeneratorCeiling both = new GeneratorCeiling(
                Map.of(1024, new GeneratorCeiling.Limits(1024, 1_000_000, 800_000)),
                Map.of(1024, new GeneratorCeiling.Limits(1024, 300_000, 200_000)),
                Map.of("1.3", 1000.0));

        assertThat(both.checkPublisher(1024, false, 300_000)).isEmpty();
        assertThat(both.checkPublisher(1024, true, 300_000)).hasValueSatisfying(
                w -> assertThat(w).contains("publisher at 100% of the generator's ceiling (300,000 msgs/s)"));
        assertThat(both.checkReader(1024, true, 100_000)).isEmpty();
        assertThat(both.checkHandshakes("1.3", 900)).hasValueSatisfying(
                w -> assertThat(w).contains("handshakes at 90%"));
        assertThat(both.checkHandshakes("1.2", 900)).isEmpty();
        assertThat(ceiling.checkPublisher(16, true, 1e9)).as("nothing measured over TLS").isEmpty();
    }
}
