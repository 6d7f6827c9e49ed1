package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoTextTest {

    @Test
    void shouldQuoteLikeGoPercentQ() {
        assertThat(GoText.quote("abc")).isEqualTo("\"abc\"");
        assertThat(GoText.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoText.quote("\n\t\r\u0007\u0000\u007f")).isEqualTo("\"\\n\\t\\r\\a\\x00\\x7f\"");
        assertThat(GoText.quote("héllo ☃")).isEqualTo("\"héllo ☃\"");
        assertThat(GoText.quote("\u200b\u00a0")).isEqualTo("\"\\u200b\\u00a0\"");
    }

    @Test
    void shouldFormatAStringSliceLikeGoPercentV() {
        assertThat(GoText.sliceOf(List.of("2", "3"))).isEqualTo("[2 3]");
        assertThat(GoText.sliceOf(List.of())).isEqualTo("[]");
    }
}
