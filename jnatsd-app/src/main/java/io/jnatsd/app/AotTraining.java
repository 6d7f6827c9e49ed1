package io.jnatsd.app;

import io.jnatsd.app.logging.LogbackBackend;
import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.transport.EarlyListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training run for the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}, JEP 514): parses a command line,
 * starts a server on a random loopback port exactly as {@link Main} does, runs one client session (CONNECT, SUB,
 * PUB, HPUB, PING) and shuts down, so that the cache holds the classes and profiles of a real start. {@code
 * bin/jnatsd} runs it in the background the first time it starts a given jar, with
 * {@code -Djnatsd.aotTraining=true}; later starts load the cache and reach "Server is ready" much sooner.
 */
final class AotTraining {

    private static final String SESSION = "CONNECT {\"verbose\":false,\"headers\":true,\"protocol\":1}\r\n"
            + "SUB train 1\r\nPUB train 5\r\nhello\r\nHPUB train 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n";

    private AotTraining() {
    }

    /** Returns 0 when the session completed. */
    static int run() throws IOException {
        CommandLineResult result = CommandLine.parse("-a", "127.0.0.1", "-p", "-1");
        if (!(result instanceof CommandLineResult.Run run)) {
            return 1;
        }
        EarlyListener early = EarlyListener.bind(run.options().host(), run.options().port());
        NatsServer server = new NatsServer(run.options(), new LogbackBackend());
        try {
            server.start(early);
            try (Socket socket = new Socket("127.0.0.1", server.clientPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(SESSION.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    seen.append((char) b);
                    if (seen.indexOf("PONG\r\n") >= 0) {
                        return 0;
                    }
                }
                return 1;
            }
        } finally {
            server.shutdown();
        }
    }
}
