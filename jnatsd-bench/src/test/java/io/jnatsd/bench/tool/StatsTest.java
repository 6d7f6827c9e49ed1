package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void shouldTakeTheMiddleValueOfAnOddCount() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void shouldAverageTheMiddleTwoOfAnEvenCount() {
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 10.0))).isEqualTo(3.0);
    }

    @Test
    void shouldIgnoreUnknownValues() {
        assertThat(Stats.median(Arrays.asList(Double.NaN, 2.0, null))).isEqualTo(2.0);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void shouldDivideForRatiosAndRefuseUnknowns() {
        assertThat(Stats.ratio(3, 2)).isEqualTo(1.5);
        assertThat(Stats.ratio(3, 0)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 2)).isNaN();
    }

    @Test
    void shouldExportPercentilesInMicroseconds() {
        Histogram h = LatencyStats.newHistogram();
        for (long us = 1; us <= 1000; us++) {
            h.recordValue(us * 1000);
        }

        Map<String, Double> p = LatencyStats.percentilesMicros(h);

        assertThat(p.keySet()).containsExactly("p50", "p90", "p99", "p99.9", "max", "mean");
        assertThat(p.get("p50")).isCloseTo(500, within(1.0));
        assertThat(p.get("p90")).isCloseTo(900, within(1.0));
        assertThat(p.get("p99")).isCloseTo(990, within(1.0));
        assertThat(p.get("p99.9")).isCloseTo(999, within(1.0));
        assertThat(p.get("max")).isCloseTo(1000, within(1.0));
    }

    @Test
    void shouldRoundTripTheEncodedHistogram() {
        Histogram h = LatencyStats.newHistogram();
        h.recordValue(25_000);
        h.recordValue(31_000);
        h.recordValueWithCount(2_000_000, 3);

        Histogram back = LatencyStats.decode(LatencyStats.encode(h));

        assertThat(back).isEqualTo(h);
        assertThat(back.getTotalCount()).isEqualTo(5);
    }
}
