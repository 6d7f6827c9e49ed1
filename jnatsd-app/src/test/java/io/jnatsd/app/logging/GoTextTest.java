package io.jnatsd.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class GoTextTest {

    @Test
    void shouldQuoteLikeGoStrconvQuote() {
        assertThat(GoText.quote("/var/log/nats.log")).isEqualTo("\"/var/log/nats.log\"");
        assertThat(GoText.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoText.quote("tab\there\nnl\r\u0007\u000b\f\b")).isEqualTo("\"tab\\there\\nnl\\r\\a\\v\\f\\b\"");
        assertThat(GoText.quote("\u0001\u007f")).isEqualTo("\"\\x01\\x7f\"");
        assertThat(GoText.quote("caf\u00e9 \u00a0\u2028")).isEqualTo("\"caf\u00e9 \\u00a0\\u2028\"");
        assertThat(GoText.quote("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
        assertThat(GoText.quote("\uDB40\uDC01")).isEqualTo("\"\\U000e0001\"");
    }

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
