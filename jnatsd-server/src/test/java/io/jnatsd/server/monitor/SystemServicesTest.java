package io.jnatsd.server.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemServicesTest {

    @Test
    void shouldExportTheJetStreamApiOnlyWithJetStream() {
        assertThat(SystemServices.exports(true, false)).extracting(SystemServices.Service::subject)
                .doesNotContain("$JS.API.>");
        assertThat(SystemServices.exports(true, true)).last()
                .isEqualTo(new SystemServices.Service("$JS.API.>", "Singleton"));
        assertThat(SystemServices.exports(false, true)).isEmpty();
    }

    @Test
    void shouldImportTheJetStreamApiSharedIntoEveryAccountWithJetStream() {
        assertThat(SystemServices.imports("A", false)).extracting(SystemServices.Import::from)
                .doesNotContain("$JS.API.>");
        assertThat(SystemServices.imports("A", true)).last()
                .isEqualTo(new SystemServices.Import("$JS.API.>", "$JS.API.>", true));
    }
}
