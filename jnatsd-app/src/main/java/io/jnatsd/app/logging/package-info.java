/**
 * The Logback side of jnatsd's logging: writes nats-server's log lines byte for byte to stderr, a size-rotated file,
 * the local syslog daemon or a remote syslog server, and implements
 * {@link io.jnatsd.common.logging.LoggingBackend} so the server can reconfigure (reload) and reopen (SIGUSR1) it.
 * <p>
 * Behaviour of nats-server {@code logger/log.go} (line format, colours, file rotation and purge),
 * {@code logger/syslog.go} (tag, facilities, severities, remote URL) and {@code server/log.go}
 * ({@code ConfigureLogger}: destination priority, {@code ReOpenLogFile}), plus Go's {@code log/syslog} message framing.
 * <p>
 * Threads: appenders are called by any thread that logs; each appender serialises its own writes (Logback's
 * {@code AppenderBase} lock). {@link io.jnatsd.app.logging.LogbackBackend} is called from the app's main and signal
 * threads and serialises configure/reopen on itself. The only thread this package starts is one daemon netty event
 * loop, and only when local syslog goes through a unix datagram socket.
 */
package io.jnatsd.app.logging;
