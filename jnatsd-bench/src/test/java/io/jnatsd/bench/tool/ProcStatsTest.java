package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void shouldParseStatusAndStatLines() {
        assertThat(ProcStats.parseKb("VmRSS:\t  116508 kB")).isEqualTo(116508);
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1 2 3";

        assertThat(ProcStats.parseStatCpuTicks(stat)).isEqualTo(325);
    }

    @Test
    void shouldReadThisProcessAndFindItsListeningSocket() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        long self = ProcessHandle.current().pid();

        assertThat(ProcStats.rssKb(self)).isPositive();
        assertThat(ProcStats.cpuNanos(self)).isPositive();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ProcStats.findListeningPid(s.getLocalPort())).hasValue(self);
        }
        assertThat(ProcStats.rssKb(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
