package io.jnatsd.app;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.NatsServer;
import sun.misc.Signal;

import java.util.Optional;

/**
 * Traps the signals nats-server traps ({@code server/signal.go handleSignals}) and turns them into server actions:
 * INT and TERM shut down (TERM is ignored in lame duck mode), HUP reloads the config file with the command-line
 * flags on top, USR1 reopens the log file, USR2 enters lame duck mode. Each is logged as
 * {@code Trapped "<name>" signal} with Go's signal names. QUIT stays with the JVM (thread dump).
 * <p>
 * The JVM calls handlers on its signal dispatcher thread; each action runs on a virtual thread so that a slow
 * shutdown or reload never holds the dispatcher.
 */
final class SignalHandlers {

    private static final NatsLogger LOG = NatsLogger.get(SignalHandlers.class);
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;

    private SignalHandlers() {
    }

    static void install(NatsServer server) {
        InheritedSignals.unignore(SIGINT);
        InheritedSignals.unignore(SIGHUP);
        trap("INT", "interrupt", server::shutdown);
        trap("TERM", "terminated", () -> {
            if (!server.isLameDuckMode()) {
                server.shutdown();
            }
        });
        trap("HUP", "hangup", () -> reload(server));
        trap("USR1", "user defined signal 1", server::reopenLogFile);
        trap("USR2", "user defined signal 2", server::enterLameDuckMode);
    }

    private static void trap(String signal, String goName, Runnable action) {
        Signal.handle(new Signal(signal), s -> {
            LOG.notice("Trapped \"" + goName + "\" signal");
            Thread.ofVirtual().name("jnatsd-signal-" + signal).start(action);
        });
    }

    /** Reloads through the launcher's reloader (the file again, the flags on top); logs a failure. */
    // nats-server: signal.go handleSignals (SIGHUP)
    private static void reload(NatsServer server) {
        Optional<String> error;
        try {
            error = server.reloadConfigFile();
        } catch (RuntimeException e) {
            // an internal failure: reported like a refused reload rather than lost on the signal's thread
            LOG.error("Failed to reload server configuration: " + e, e);
            return;
        }
        error.ifPresent(text -> LOG.error("Failed to reload server configuration: " + text));
    }
}
