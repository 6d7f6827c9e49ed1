package io.jnatsd.server.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorRoutesTest {

    @Test
    void shouldJoinAndCleanPathsAsGo() {
        assertThat(MonitorRoutes.join("/", "/varz")).isEqualTo("/varz");
        assertThat(MonitorRoutes.join("/", "/")).isEqualTo("/");
        assertThat(MonitorRoutes.join("/nats", "/")).isEqualTo("/nats");
        assertThat(MonitorRoutes.join("/nats", "/debug/vars")).isEqualTo("/nats/debug/vars");
        assertThat(MonitorRoutes.clean("//a/./b/../c")).isEqualTo("/a/c");
        assertThat(MonitorRoutes.clean("/..")).isEqualTo("/");
    }
}
