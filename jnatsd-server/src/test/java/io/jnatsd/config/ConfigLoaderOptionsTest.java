package io.jnatsd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderOptionsTest {

    @TempDir
    Path dir;

    @Test
    void shouldBuildEmbeddedOptionsFromAFile() throws IOException {
        Path file = dir.resolve("server.conf");
        Files.writeString(file, "listen: 127.0.0.1:-1\nping_interval: \"5s\"\nmax_payload: 2MB\n");
        ServerOptions options = ConfigLoader.options(file);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(ServerOptions.RANDOM_PORT);
        assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.maxPayload()).isEqualTo(2 * 1024 * 1024);
        assertThat(options.configFile()).isEqualTo(file);
        assertThat(options.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldRefuseAFileWithErrors() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "port: 4222\nbogus: 1\n");
        assertThatThrownBy(() -> ConfigLoader.options(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":2:1: unknown field \"bogus\"");
    }
}
