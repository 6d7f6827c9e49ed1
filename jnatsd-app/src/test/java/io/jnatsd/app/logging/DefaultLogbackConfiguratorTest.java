package io.jnatsd.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultLogbackConfiguratorTest {

    @Test
    void shouldSetUpNatsStderrOutputAtInfoWithQuietLibraries() {
        LoggerContext context = new LoggerContext();
        DefaultLogbackConfigurator configurator = new DefaultLogbackConfigurator();
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDERR")).isInstanceOf(NatsStderrAppender.class);
        assertThat(root.getAppender("STDERR").isStarted()).isTrue();
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }

    @Test
    void shouldBeFoundByLogbacksServiceLookup() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(DefaultLogbackConfigurator.class);
    }
}
