package io.jnatsd.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Go's lexical path functions ({@code path/filepath} Dir, Join, Clean on Unix) and {@code os.ReadFile} error
 * texts, so include paths and "open ...: no such file or directory" messages read exactly as in nats-server.
 *
 * <p>Stateless; safe from any thread.
 */
final class GoPaths {

    private GoPaths() {
    }

    /** Go {@code filepath.Dir}: all but the last element, cleaned; "." for a bare file name or "". */
    static String dir(String path) {
        return clean(path.substring(0, path.lastIndexOf('/') + 1));
    }

    /** Go {@code filepath.Join} of two elements: empty elements are skipped, the result is cleaned. */
    static String join(String first, String second) {
        if (first.isEmpty()) {
            return second.isEmpty() ? "" : clean(second);
        }
        return second.isEmpty() ? clean(first) : clean(first + "/" + second);
    }

    /** Go {@code filepath.Clean}: removes duplicate separators, "." elements and resolvable ".." elements. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        int n = path.length();
        StringBuilder out = new StringBuilder(n);
        int read = 0;
        int dotdot = 0;      // out length that ".." cannot backtrack past
        if (rooted) {
            out.append('/');
            read = 1;
            dotdot = 1;
        }
        while (read < n) {
            if (path.charAt(read) == '/') {
                read++;
            } else if (path.charAt(read) == '.' && (read + 1 == n || path.charAt(read + 1) == '/')) {
                read++;
            } else if (path.charAt(read) == '.' && path.charAt(read + 1) == '.'
                    && (read + 2 == n || path.charAt(read + 2) == '/')) {
                read += 2;
                if (out.length() > dotdot) {
                    int w = out.length() - 1;
                    while (w > dotdot && out.charAt(w) != '/') {
                        w--;
                    }
                    out.setLength(w);
                } else if (!rooted) {
                    if (!out.isEmpty()) {
                        out.append('/');
                    }
                    out.append("..");
                    dotdot = out.length();
                }
            } else {
                if (rooted && out.length() != 1 || !rooted && !out.isEmpty()) {
                    out.append('/');
                }
                while (read < n && path.charAt(read) != '/') {
                    out.append(path.charAt(read++));
                }
            }
        }
        return out.isEmpty() ? "." : out.toString();
    }

    /**
     * Reads a whole file like Go {@code os.ReadFile}; failures carry Go's text, e.g.
     * {@code open x.conf: no such file or directory} or {@code read dir: is a directory}.
     */
    static byte[] readFile(String path) throws ConfException {
        if (path.isEmpty()) {
            throw new ConfException("open : no such file or directory");
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw new ConfException("open " + path + ": invalid argument");
        }
        try {
            if (Files.isDirectory(file)) {
                throw new ConfException("read " + path + ": is a directory");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfException("open " + path + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new ConfException("open " + path + ": permission denied");
        } catch (FileSystemException e) {
            throw new ConfException("open " + path + ": " + lowerFirst(e.getReason()));
        } catch (IOException e) {
            throw new ConfException("open " + path + ": " + lowerFirst(e.getMessage()));
        }
    }

    private static String lowerFirst(String text) {
        if (text == null || text.isEmpty()) {
            return "input/output error";
        }
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
