package io.jnatsd.app.logging;

import io.jnatsd.common.GoErrors;

import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Go's wording of file and socket errors as nats-server's log lines show them
 * ({@code open /x: no such file or directory}). Stateless.
 */
final class GoText {

    private GoText() {
    }

    /** A Go {@code *PathError} text: {@code "<op> <path>: <reason>"}, e.g. {@code open /x: permission denied}. */
    static String pathError(String operation, String path, IOException cause) {
        return operation + " " + path + ": " + reason(cause);
    }

    /** A Go {@code *OpError} text for a failed dial: {@code dial tcp 127.0.0.1:9: connect: connection refused}. */
    static String dialError(String network, String address, IOException cause) {
        if (cause instanceof UnknownHostException) {
            return "dial " + network + ": lookup " + cause.getMessage() + ": no such host";
        }
        String reason = reason(cause);
        if (cause instanceof SocketException || cause instanceof NoSuchFileException
                || cause instanceof AccessDeniedException) {
            reason = "connect: " + reason;
        }
        return "dial " + network + " " + address + ": " + reason;
    }

    /** The errno-style reason Go would print for {@code cause} ({@link GoErrors#reason}). */
    static String reason(IOException cause) {
        return GoErrors.reason(cause);
    }
}
