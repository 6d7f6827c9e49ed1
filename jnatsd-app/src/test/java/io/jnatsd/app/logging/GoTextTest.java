package io.jnatsd.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class GoTextTest {

    @Test
    void shouldDescribeErrorsWithGoWording() {
        assertThat(GoText.pathError("open", "/x", new NoSuchFileException("/x"))).isEqualTo(
                "open /x: no such file or directory");
        assertThat(GoText.pathError("remove", "/y", new AccessDeniedException("/y")))
                .isEqualTo("remove /y: permission denied");
        assertThat(GoText.reason(new FileSystemException("/d", null, "Is a directory"))).isEqualTo("is a directory");
        assertThat(GoText.dialError("tcp", "127.0.0.1:9", new java.net.ConnectException("Connection refused")))
                .isEqualTo("dial tcp 127.0.0.1:9: connect: connection refused");
        assertThat(GoText.reason(new IOException("Broken pipe"))).isEqualTo("broken pipe");
    }
}
