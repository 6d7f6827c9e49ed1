package io.jnatsd.app.logging;

import static io.jnatsd.app.logging.TestEvents.PID_PREFIX;
import static io.jnatsd.app.logging.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.ServerOptions.LoggingOptions;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogbackBackendTest {

    @TempDir
    Path dir;

    private final LoggerContext context = new LoggerContext();
    private final LogbackBackend backend = new LogbackBackend(context, List.of(Path.of("/nonexistent/log")));
    private final Logger logger = context.getLogger("io.jnatsd.server.Test");

    @AfterEach
    void stop() {
        context.stop();
        NatsLogger.setLevels(false, false);
    }

    @Test
    void shouldWriteToFileWithLevelsFromOptions() throws IOException {
        Path file = dir.resolve("nats.log");
        backend.configure(new LoggingOptions(false, false, false, false, false, false, file, 0, 0, false, null, 0));

        logger.info("Server is ready");
        logger.debug("hidden");
        logger.trace("hidden");

        assertThat(Files.readString(file)).isEqualTo(PID_PREFIX + "[INF] Server is ready\n");
        assertThat(rootAppenders()).singleElement().isInstanceOf(NatsFileAppender.class);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void shouldEnableDebugAndTraceGates() throws IOException {
        Path file = dir.resolve("debug.log");
        backend.configure(new LoggingOptions(true, true, false, false, false, false, file, 0, 0, false, null, 0));

        logger.debug("dbg");
        logger.trace("trc");
        logger.error(NatsLogger.FATAL, "ftl");

        assertThat(Files.readString(file)).isEqualTo(PID_PREFIX + "[DBG] dbg\n" + PID_PREFIX + "[TRC] trc\n"
                + PID_PREFIX + "[FTL] ftl\n");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void shouldSwitchNatsLoggerGates() {
        backend.configure(options(true, false, null, null, false));
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);

        backend.configure(new LoggingOptions(false, false, true, false, true, false, null, 0, 0, false, null, 0));
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(rootAppenders()).singleElement().isInstanceOf(NatsStderrAppender.class);
    }

    @Test
    void shouldPreferFileOverSyslogAndReplaceOnReconfigure() throws IOException {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        backend.configure(options(false, false, first, "foo://ignored", true));
        logger.warn("one");
        backend.configure(options(false, false, second, null, false));
        logger.warn("two");

        assertThat(Files.readString(first)).endsWith("[WRN] one\n");
        assertThat(Files.readString(second)).endsWith("[WRN] two\n");
        assertThat(Files.readString(first)).doesNotContain("two");
        assertThat(rootAppenders()).hasSize(1);
    }

    @Test
    void shouldSendToRemoteSyslogBeforeLocal() throws IOException {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            backend.configure(options(false, false, null, "udp://127.0.0.1:" + server.getLocalPort(), true));

            logger.info("to remote");

            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            server.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .startsWith("<5>").endsWith(" jnatsd[" + ProcessHandle.current().pid() + "]: to remote\n");
        }
        assertThat(backend.reopen()).isFalse();
    }

    @Test
    void shouldRejectBadSchemeAndKeepPreviousOutput() throws IOException {
        Path file = dir.resolve("kept.log");
        backend.configure(options(false, false, file, null, false));

        assertThatThrownBy(() -> backend.configure(options(false, false, null, "foo://host:514", false)))
                .isInstanceOf(LoggingSetupException.class)
                .hasMessage("error invalid network type: \"foo\"");
        logger.info("still here");

        assertThat(Files.readString(file)).isEqualTo(PID_PREFIX + "[INF] still here\n");
        assertThat(backend.reopen()).isTrue();
    }

    @Test
    void shouldFailWhenLocalSyslogIsMissing() {
        assertThatThrownBy(() -> backend.configure(options(false, false, null, null, true)))
                .hasMessage("error connecting to syslog: \"Unix syslog delivery error\"");
    }

    @Test
    void shouldReopenFileOnlyForFileDestination() throws IOException {
        Path file = dir.resolve("nats.log");
        backend.configure(options(false, false, file, null, false));
        logger.info("first");
        Files.move(file, dir.resolve("nats.log.1"));

        assertThat(backend.reopen()).isTrue();
        logger.info("second");

        assertThat(Files.readString(file)).isEqualTo(PID_PREFIX + "[INF] second\n");
        backend.configure(options(false, false, null, null, false));
        assertThat(backend.reopen()).isFalse();
    }

    @Test
    void shouldShipLogbackXmlWithNatsStderrAppender() {
        LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();

        Appender<ILoggingEvent> stderr = global.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");

        assertThat(stderr).isInstanceOf(NatsStderrAppender.class);
        assertThat(stderr.isStarted()).isTrue();
        assertThat(global.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(global.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    private List<Appender<ILoggingEvent>> rootAppenders() {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
        return appenders;
    }
}
