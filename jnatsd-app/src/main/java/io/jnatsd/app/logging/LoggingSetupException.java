package io.jnatsd.app.logging;

/**
 * The log destination could not be set up. The message is nats-server's fatal text for the same failure, e.g.
 * {@code error invalid network type: "foo"}, {@code error opening file: open /x/y.log: no such file or directory}
 * or {@code error connecting to syslog: "Unix syslog delivery error"}; the app prints it and exits 1.
 */
public final class LoggingSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LoggingSetupException(String message) {
        super(message);
    }

    public LoggingSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
