package io.jnatsd.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class GoTimeTest {

    @Test
    void shouldWriteRfc3339NanoWithoutTrailingZeros() {
        assertThat(GoTime.format(Instant.parse("2026-11-22T11:58:51.505328249Z")))
                .isEqualTo("2026-11-22T11:58:51.505328249Z");
        assertThat(GoTime.format(Instant.parse("2026-12-07T16:49:23.900291990Z")))
                .isEqualTo("2026-12-07T16:49:23.90029199Z");
        assertThat(GoTime.format(Instant.parse("2026-12-07T16:49:23Z"))).isEqualTo("2026-12-07T16:49:23Z");
        assertThat(GoTime.format(Instant.parse("2026-12-07T16:49:23.000000001Z")))
                .isEqualTo("2026-12-07T16:49:23.000000001Z");
        assertThat(GoTime.format(null)).isEqualTo("0001-01-01T00:00:00Z");
    }
}
