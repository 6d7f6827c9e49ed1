package io.jnatsd.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nats-server's default log destination: {@link NatsLayout} lines on stderr, with coloured level tags when stderr
 * is a terminal. Built by {@link DefaultLogbackConfigurator} and
 * {@link LogbackBackend}. Thread-safe (Logback's appender lock).
 */
public final class NatsStderrAppender extends ConsoleAppender<ILoggingEvent> {

    private static final int FILE_TYPE_MASK = 0170000;
    private static final int CHARACTER_DEVICE = 0020000;

    private boolean logtime = true;
    private boolean utc;

    public NatsStderrAppender() {
        setTarget("System.err");
    }

    /** {@code logtime}: timestamps on (default) or off. */
    public void setLogtime(boolean logtime) {
        this.logtime = logtime;
    }

    /** {@code logtime_utc}: timestamps in UTC. */
    public void setUtc(boolean utc) {
        this.utc = utc;
    }

    @Override
    public void start() {
        if (getEncoder() == null) {
            NatsLayout layout = new NatsLayout(logtime, utc, stderrIsTerminal());
            layout.setContext(getContext());
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(getContext());
            encoder.setCharset(StandardCharsets.UTF_8);
            encoder.setLayout(layout);
            encoder.start();
            setEncoder(encoder);
        }
        super.start();
    }

    /**
     * Whether file descriptor 2 is a character device, which is nats-server's test for colours
     * ({@code server/log.go ConfigureLogger}); where {@code /proc} is missing, whether the JVM has a terminal.
     */
    static boolean stderrIsTerminal() {
        try {
            int mode = (Integer) Files.getAttribute(Path.of("/proc/self/fd/2"), "unix:mode");
            return (mode & FILE_TYPE_MASK) == CHARACTER_DEVICE;
        } catch (Exception e) {
            Console console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
