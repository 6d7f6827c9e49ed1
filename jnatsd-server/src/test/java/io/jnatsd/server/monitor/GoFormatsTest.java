package io.jnatsd.server.monitor;

import io.jnatsd.common.GoJson;
import io.jnatsd.server.jetstream.AccountStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GoFormatsTest {

    @Test
    void shouldFormatUptimesAsNatsServer() {
        assertThat(GoFormats.uptime(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoFormats.uptime(Duration.ofMillis(7900))).isEqualTo("7s");
        assertThat(GoFormats.uptime(Duration.ofSeconds(125))).isEqualTo("2m5s");
        assertThat(GoFormats.uptime(Duration.ofHours(2).plusSeconds(1))).isEqualTo("2h0m1s");
        assertThat(GoFormats.uptime(Duration.ofDays(1).plusSeconds(3))).isEqualTo("1d0h0m3s");
        assertThat(GoFormats.uptime(Duration.ofDays(400))).isEqualTo("1y35d0h0m0s");
        assertThat(GoFormats.uptime(Duration.ofSeconds(-5))).isEqualTo("0s");
    }

    @Test
    void shouldTruncateRttsBetweenAMicrosecondAndAMillisecond() {
        assertThat(GoFormats.rtt(0)).isEqualTo("0s");
        assertThat(GoFormats.rtt(425_123)).isEqualTo("425µs");
        assertThat(GoFormats.rtt(999)).isEqualTo("999ns");
        assertThat(GoFormats.rtt(14_356_003)).isEqualTo("14.356003ms");
        assertThat(GoFormats.rtt(2_779_447_866L)).isEqualTo("2.779447866s");
    }

    @Test
    void shouldWriteReservationsAsGoUint64() {
        AccountStats.Api api = new AccountStats.Api(0, 3, 1, 0);
        Jsz.AccountDetail unlimited = new Jsz.AccountDetail("A", "A", 23, 135, -1, -1, 0, 0, api, List.of());
        assertThat(GoJson.write(unlimited)).isEqualTo("{\"name\":\"A\",\"id\":\"A\",\"memory\":23,\"storage\":135,"
                + "\"reserved_memory\":18446744073709551615,\"reserved_storage\":18446744073709551615,"
                + "\"accounts\":0,\"ha_assets\":0,\"api\":{\"level\":0,\"total\":3,\"errors\":1}}");
        Jsz.AccountDetail limited = new Jsz.AccountDetail("A", "A", 0, 0, 1024, 0, 0, 0, api, null);
        assertThat(GoJson.write(limited)).contains("\"reserved_memory\":1024,\"reserved_storage\":0,");
    }
}
