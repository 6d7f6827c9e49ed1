package io.jnatsd.app;

import io.jnatsd.app.logging.LogbackBackend;
import io.jnatsd.app.logging.LoggingSetupException;
import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.config.OptionsValidator;
import io.jnatsd.config.Versions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.transport.EarlyListener;
import io.netty.util.ResourceLeakDetector;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jnatsd [options]}: nats-server's command line. Parses the flags and the config file, then prints and
 * exits (help, version, {@code -t}, errors), signals a running server ({@code --signal}), or runs a server until
 * it shuts down. Exit codes are nats-server's: 0 after a shutdown and for usage errors, 1 for fatal errors.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        int code = Boolean.getBoolean("jnatsd.aotTraining") ? train() : run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** The ahead-of-time cache's training run: 0 when it completed, 1 when it failed or stalled. */
    private static int train() {
        try {
            return AotTraining.run();
        } catch (IOException e) {
            return 1;           // System.exit follows: no server thread keeps a failed training JVM alive
        }
    }

    /** Runs the command line; returns the exit code (after the server has shut down, when one ran). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLineResult result = CommandLine.parse(args);
        return switch (result) {
            case CommandLineResult.PrintAndExit print -> print(print, out, err);
            case CommandLineResult.Signal signal -> print(signal.execute(), out, err);
            case CommandLineResult.Run run -> runServer(run, args, err);
        };
    }

    // Go's flag package writes the error to stderr before the usage text to stdout.
    /**
     * Listens on the client port before the server (logging, JSON, keys, event loops) is loaded, so that clients
     * connecting right after launch wait in the backlog instead of being refused. When that fails (port in use, or
     * no access to the socket's descriptor), the server binds on its own and reports errors as nats-server does.
     */
    private static EarlyListener bindEarly(ServerOptions options) {
        EarlyListener fromLauncher = EarlyListener.inherited(options.host(), options.port());
        if (fromLauncher != null) {
            return fromLauncher;
        }
        try {
            return EarlyListener.bind(options.host(), options.port());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The WebSocket port the launcher bound (only ever inherited: without the launcher the JVM binds it when the
     * server starts); closed at once when the final options have no WebSocket listener.
     */
    private static EarlyListener webSocketEarly(ServerOptions options) {
        var ws = options.websocket();
        EarlyListener inherited = EarlyListener.inheritedWebSocket(ws.host().isEmpty() ? ServerOptions.DEFAULT_HOST
                : ws.host(), ws.port());
        if (inherited != null && !ws.enabled()) {
            closeQuietly(inherited);
            return null;
        }
        return inherited;
    }

    private static void closeQuietly(EarlyListener early) {
        if (early != null) {
            try {
                early.close();
            } catch (IOException e) {
                // the process is exiting
            }
        }
    }

    private static int print(CommandLineResult.PrintAndExit print, PrintStream out, PrintStream err) {
        err.print(print.stderr());
        err.flush();
        out.print(print.stdout());
        return print.exitCode();
    }

    /**
     * Netty samples one buffer in 128 for leak detection by default and wraps it; a connection's read cumulation
     * can stay such a wrapped buffer for its whole life, adding a delegation and checks to every byte the parser
     * reads (seen in JFR profiles of publish-only load). A server turns it off unless told otherwise
     * ({@code -Dio.netty.leakDetection.level=...}).
     */
    private static void disableLeakDetectionByDefault() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private static int runServer(CommandLineResult.Run run, String[] args, PrintStream err) {
        if (!run.stderr().isEmpty()) {
            err.print(run.stderr());
        }
        Optional<String> invalid = OptionsValidator.validate(run.options());
        if (invalid.isPresent()) {
            err.println(Versions.PROGRAM_NAME + ": " + invalid.get());
            return 1;
        }
        EarlyListener early = bindEarly(run.options());
        EarlyListener webSocketEarly = webSocketEarly(run.options());
        disableLeakDetectionByDefault();
        NatsServer server;
        try {
            server = new NatsServer(run.options(), new LogbackBackend());
        } catch (IllegalArgumentException e) {
            // nats-server: main.go (NewServer failed, for example no OCSP staple for a must-staple certificate)
            err.println(Versions.PROGRAM_NAME + ": " + e.getMessage());
            closeQuietly(early);
            return 1;
        }
        List<String> cmdline = new ArrayList<>();
        cmdline.add(System.getProperty("jnatsd.exe", Versions.PROGRAM_NAME));
        cmdline.addAll(CommandLine.redactArgs(List.of(args)));
        server.setCommandLine(cmdline);
        // SIGHUP and $SYS.REQ.SERVER.<id>.RELOAD re-read the file with the command-line flags on top
        server.setReloader(() -> {
            CommandLine.LoadedOptions loaded = CommandLine.loadOptions(run.flags());
            if (loaded.options() == null) {
                String error = loaded.report().text().strip();
                return Optional.of(error);
            }
            return server.reload(loaded.options(), loaded.report().digest());
        });
        if (!run.options().noSigs()) {
            SignalHandlers.install(server);
        }
        try {
            server.start(early, webSocketEarly);
        } catch (LoggingSetupException e) {
            err.println(Versions.PROGRAM_NAME + ": " + e.getMessage());
            closeQuietly(early);
            closeQuietly(webSocketEarly);
            server.shutdown();
            return 1;
        } catch (IOException e) {
            // already logged at [FTL] by the server
            closeQuietly(early);
            closeQuietly(webSocketEarly);
            server.shutdown();
            return 1;
        }
        try {
            server.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdown();
        }
        return 0;
    }
}
