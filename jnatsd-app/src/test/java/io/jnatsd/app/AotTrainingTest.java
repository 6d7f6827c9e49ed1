package io.jnatsd.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ahead-of-time cache's training run: a plain and a TLS client session against a server it starts. */
class AotTrainingTest {

    @Test
    void bothSessionsComplete() throws Exception {
        assertThat(AotTraining.run()).isZero();
    }
}
