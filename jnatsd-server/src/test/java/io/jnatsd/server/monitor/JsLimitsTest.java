package io.jnatsd.server.monitor;

import io.jnatsd.common.GoJson;
import io.jnatsd.config.JetStreamOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class JsLimitsTest {

    @Test
    void shouldLeaveUnsetLimitsOut() {
        assertThat(GoJson.write(JsLimits.of(JetStreamOptions.Limits.DEFAULTS))).isEqualTo("{}");
    }

    @Test
    void shouldWriteConfiguredLimitsWithNatsServersNames() {
        JetStreamOptions.Limits limits = new JetStreamOptions.Limits(100, 2, 50, Duration.ofMinutes(1), 0, 10, 0,
                Duration.ofSeconds(5));
        assertThat(GoJson.write(JsLimits.of(limits))).isEqualTo("{\"max_request_batch\":50,\"max_ack_pending\":100,"
                + "\"max_ha_assets\":2,\"max_duplicate_window\":60000000000,\"max_batch_inflight_total\":10,"
                + "\"max_batch_timeout\":5000000000}");
    }
}
