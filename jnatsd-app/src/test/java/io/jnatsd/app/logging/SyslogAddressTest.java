package io.jnatsd.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyslogAddressTest {

    @Test
    void shouldTakeHostAndPortOfUdpAndTcpUrls() {
        assertThat(SyslogAddress.parse("udp://localhost:514")).isEqualTo(new SyslogAddress("udp", "localhost:514"));
        assertThat(SyslogAddress.parse("TCP://10.0.0.1:601/ignored?x=1#f"))
                .isEqualTo(new SyslogAddress("tcp", "10.0.0.1:601"));
        assertThat(SyslogAddress.parse("udp://[::1]:514")).isEqualTo(new SyslogAddress("udp", "[::1]:514"));
        assertThat(SyslogAddress.parse("udp://user@host:514")).isEqualTo(new SyslogAddress("udp", "host:514"));
        assertThat(SyslogAddress.parse("udp://host")).isEqualTo(new SyslogAddress("udp", "host"));
    }

    @Test
    void shouldTakePathOfUnixUrls() {
        assertThat(SyslogAddress.parse("unix:///dev/log")).isEqualTo(new SyslogAddress("unix", "/dev/log"));
        assertThat(SyslogAddress.parse("unix:/run/my%20log")).isEqualTo(new SyslogAddress("unix", "/run/my log"));
        assertThat(SyslogAddress.parse("unix:relative")).isEqualTo(new SyslogAddress("unix", ""));
    }

    @Test
    void shouldRejectOtherSchemesWithGoText() {
        assertThatThrownBy(() -> SyslogAddress.parse("foo://bar:514")).isInstanceOf(LoggingSetupException.class)
                .hasMessage("error invalid network type: \"foo\"");
        assertThatThrownBy(() -> SyslogAddress.parse("localhost")).hasMessage("error invalid network type: \"\"");
        assertThatThrownBy(() -> SyslogAddress.parse("unixgram:///dev/log"))
                .hasMessage("error invalid network type: \"unixgram\"");
    }

    @Test
    void shouldReportMalformedUrlsAsGoUrlParseDoes() {
        assertThatThrownBy(() -> SyslogAddress.parse("127.0.0.1:514"))
                .hasMessage("parse \"127.0.0.1:514\": first path segment in URL cannot contain colon");
        assertThatThrownBy(() -> SyslogAddress.parse(":514")).hasMessage("parse \":514\": missing protocol scheme");
        assertThatThrownBy(() -> SyslogAddress.parse("udp://host:abc"))
                .hasMessage("parse \"udp://host:abc\": invalid port \":abc\" after host");
        assertThatThrownBy(() -> SyslogAddress.parse("unix:///a%zz"))
                .hasMessage("parse \"unix:///a%zz\": invalid URL escape \"%zz\"");
    }
}
