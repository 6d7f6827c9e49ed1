package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void shouldSendAQuietConnectWithCredentials() throws Exception {
        String line = new String(Frames.connect(new ServerUrl("h", 1, "u\"1", "p\\w", null), "bench\n"),
                StandardCharsets.UTF_8);

        assertThat(line).startsWith("CONNECT {").endsWith("}\r\n");
        JsonNode json = new ObjectMapper().readTree(line.substring("CONNECT ".length()));
        assertThat(json.get("verbose").asBoolean()).isFalse();
        assertThat(json.get("pedantic").asBoolean()).isFalse();
        assertThat(json.get("echo").asBoolean()).isFalse();
        assertThat(json.get("user").asText()).isEqualTo("u\"1");
        assertThat(json.get("pass").asText()).isEqualTo("p\\w");
        assertThat(json.get("name").asText()).isEqualTo("bench\n");
        assertThat(json.has("auth_token")).isFalse();
    }

    @Test
    void shouldSendTheTokenAsAuthToken() throws Exception {
        String line = new String(Frames.connect(new ServerUrl("h", 1, null, null, "t"), "b"), StandardCharsets.UTF_8);

        assertThat(new ObjectMapper().readTree(line.substring(8)).get("auth_token").asText()).isEqualTo("t");
    }

    @Test
    void shouldEncodeSubscriptions() {
        assertThat(new String(Frames.sub("a.b", null, 7), StandardCharsets.US_ASCII)).isEqualTo("SUB a.b 7\r\n");
        assertThat(new String(Frames.sub("a.*", "q", 8), StandardCharsets.US_ASCII)).isEqualTo("SUB a.* q 8\r\n");
    }
}
