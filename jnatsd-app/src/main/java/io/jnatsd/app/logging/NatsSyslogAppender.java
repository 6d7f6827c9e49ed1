package io.jnatsd.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;

/**
 * nats-server's syslog logger: each event becomes one syslog message with the bare text (no pid prefix, time or
 * {@code [LVL]} tag), severity notice (INF, TRC), warning, err, crit (FTL) or debug. Write failures are dropped,
 * as Go ignores them. Thread-safe ({@link SyslogWriter} serialises sends).
 */
final class NatsSyslogAppender extends AppenderBase<ILoggingEvent> {

    private final SyslogWriter writer;

    NatsSyslogAppender(SyslogWriter writer) {
        this.writer = writer;
        setName("jnatsd-syslog");
    }

    @Override
    protected void append(ILoggingEvent event) {
        // nats-server: logger/syslog.go SysLogger.Noticef/Warnf/Errorf/Fatalf/Debugf/Tracef
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            message = message + "\n" + ThrowableProxyUtil.asString(thrown);
        }
        try {
            writer.write(NatsLevel.of(event).syslogSeverity(), message, event.getInstant());
        } catch (IOException e) {
            addError("Cannot send to syslog", e);
        }
    }

    @Override
    public void stop() {
        super.stop();
        writer.close();
    }
}
