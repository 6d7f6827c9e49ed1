package io.jnatsd.common;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Go's wording of file errors as nats-server's log lines and errors show them
 * ({@code open /x: no such file or directory}). Stateless.
 */
public final class GoErrors {

    private GoErrors() {
    }

    /** A Go {@code *PathError} text: {@code "<op> <path>: <reason>"}, e.g. {@code open /x: permission denied}. */
    public static String pathError(String operation, String path, IOException cause) {
        return operation + " " + path + ": " + reason(cause);
    }

    /** The errno-style reason Go would print for {@code cause}, lower case as in Go's syscall error table. */
    public static String reason(IOException cause) {
        return switch (cause) {
            case NoSuchFileException ignored -> "no such file or directory";
            case AccessDeniedException ignored -> "permission denied";
            case FileAlreadyExistsException ignored -> "file exists";
            case NotDirectoryException ignored -> "not a directory";
            case DirectoryNotEmptyException ignored -> "directory not empty";
            case ConnectException ignored -> "connection refused";
            case FileSystemException fse when fse.getReason() != null -> lowerFirst(fse.getReason());
            default -> cause.getMessage() != null ? lowerFirst(cause.getMessage()) : cause.getClass().getName();
        };
    }

    private static String lowerFirst(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
