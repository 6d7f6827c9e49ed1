package io.jnatsd.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** jwt's {@code Subject.IsContainedIn}, used for activation tokens. */
class OperatorImportsTest {

    @Test
    void shouldTellWhetherAnImportSubjectIsContainedInAnActivation() {
        assertThat(OperatorImports.containedIn("svc.a", "svc.>")).isTrue();
        assertThat(OperatorImports.containedIn("svc.a", "svc.*")).isTrue();
        assertThat(OperatorImports.containedIn("svc.*", "svc.*")).isTrue();
        assertThat(OperatorImports.containedIn("svc.>", "svc.*")).as("jwt compares token by token").isTrue();
        assertThat(OperatorImports.containedIn("svc", "svc.>")).isFalse();
        assertThat(OperatorImports.containedIn("svc.a.b", "svc.*")).isFalse();
        assertThat(OperatorImports.containedIn("other.a", "svc.>")).isFalse();
    }
}
