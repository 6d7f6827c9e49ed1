package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerUrlTest {

    @Test
    void shouldParseHostAndPort() {
        assertThat(ServerUrl.parse("nats://10.0.0.1:4333")).isEqualTo(ServerUrl.of("10.0.0.1", 4333));
        assertThat(ServerUrl.parse("localhost")).isEqualTo(ServerUrl.of("localhost", 4222));
        assertThat(ServerUrl.parse("NATS://[::1]:5000/")).isEqualTo(ServerUrl.of("::1", 5000));
    }

    @Test
    void shouldParseCredentials() {
        assertThat(ServerUrl.parse("nats://bob:s%40cret@h:1"))
                .isEqualTo(new ServerUrl("h", 1, "bob", "s@cret", null));
        assertThat(ServerUrl.parse("nats://tok@h:1")).isEqualTo(new ServerUrl("h", 1, null, null, "tok"));
        assertThat(ServerUrl.parse("nats://bob:pw@h:1").toString()).isEqualTo("nats://h:1");
    }

    @Test
    void shouldSpeakTlsForATlsUrl() {
        ServerUrl url = ServerUrl.parse("tls://bob:pw@127.0.0.1:4443");

        assertThat(url.tls()).isNotNull();
        assertThat(url.tls().caFile()).isNull();
        assertThat(url.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(url.toString()).isEqualTo("tls://127.0.0.1:4443");
        assertThat(url.withPort(5).withTls(null)).isEqualTo(new ServerUrl("127.0.0.1", 5, "bob", "pw", null));
        assertThat(ServerUrl.parse("nats://h:1").tls()).isNull();
    }

    @Test
    void shouldRejectWhatItCannotUse() {
        assertThatThrownBy(() -> ServerUrl.parse("ws://h:1")).hasMessageContaining("unsupported URL scheme");
        assertThatThrownBy(() -> ServerUrl.parse("nats://h:99999")).hasMessageContaining("expected: 1..65535");
        assertThatThrownBy(() -> ServerUrl.parse("nats://h:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> ServerUrl.parse("nats://:4222")).hasMessageContaining("no host");
    }
}
