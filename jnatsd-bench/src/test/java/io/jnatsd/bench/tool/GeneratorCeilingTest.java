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
        assertThat(ceiling.checkPublisher(16, 7_000_000)).isEmpty();
        assertThat(ceiling.checkPublisher(16, 8_500_000)).hasValueSatisfying(
                w -> assertThat(w).contains("publisher at 85% of the generator's ceiling"));
        assertThat(ceiling.checkReader(1024, 700_000)).hasValueSatisfying(
                w -> assertThat(w).contains("reader at 88%"));
        assertThat(ceiling.checkReader(1024, 100_000)).isEmpty();
    }
}
