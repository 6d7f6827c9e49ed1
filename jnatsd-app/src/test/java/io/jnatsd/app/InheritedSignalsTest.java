package io.jnatsd.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InheritedSignalsTest {

    private static final String STATUS = "Name:\tjava\nSigQ:\t0/95488\nSigPnd:\t0000000000000000\n"
            + "SigBlk:\t0000000000000000\nSigIgn:\t%s\nSigCgt:\t0000000000000000\n";

    @Test
    void shouldReadTheIgnoredMaskOfProcStatus() {
        String backgroundJob = STATUS.formatted("0000000000000006");      // SIGINT (2) and SIGQUIT (3)
        assertThat(InheritedSignals.ignoredIn(backgroundJob, 2)).isTrue();
        assertThat(InheritedSignals.ignoredIn(backgroundJob, 1)).isFalse();
        String nohup = STATUS.formatted("0000000000000001");              // SIGHUP
        assertThat(InheritedSignals.ignoredIn(nohup, 1)).isTrue();
        assertThat(InheritedSignals.ignoredIn(nohup, 2)).isFalse();
    }

    @Test
    void shouldAssumeIgnoredWhenTheMaskIsMissing() {
        assertThat(InheritedSignals.ignoredIn("Name:\tjava\n", 2)).isTrue();
    }
}
