package io.jnatsd.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before {@link LogbackBackend#configure} runs: nats-server's default stderr format at
 * INFO, library loggers at WARN. Found by Logback through {@code META-INF/services} and set up in code: Logback's
 * XML configurator (Joran) cost about a tenth of a second of every start (docs/performance.md, Start-up).
 * A {@code -Dlogback.configurationFile} given by the user still wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogbackConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        NatsStderrAppender stderr = new NatsStderrAppender();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        for (String library : LogbackBackend.LIBRARY_LOGGERS) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
