package io.jnatsd.app.logging;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Renders text the way nats-server's log lines show it: Go's {@code %q} quoting and Go's wording of file and socket
 * errors ({@code open /x: no such file or directory}). Stateless.
 */
final class GoText {

    private GoText() {
    }

    /** Go's {@code strconv.Quote}: double quotes, backslash escapes, non-printable runes as hex escapes. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        out.append('"');
        for (int i = 0; i < text.length(); ) {
            int rune = text.codePointAt(i);
            i += Character.charCount(rune);
            appendQuotedRune(out, rune);
        }
        return out.append('"').toString();
    }

    private static void appendQuotedRune(StringBuilder out, int rune) {
        switch (rune) {
            case '"', '\\' -> out.append('\\').appendCodePoint(rune);
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0b -> out.append("\\v");
            default -> {
                if (isPrint(rune)) {
                    out.appendCodePoint(rune);
                } else if (rune < ' ' || rune == 0x7f) {
                    out.append("\\x").append(HexFormat.of().toHexDigits((byte) rune));
                } else if (rune < 0x10000) {
                    out.append("\\u").append(HexFormat.of().toHexDigits((short) rune));
                } else {
                    out.append("\\U").append(HexFormat.of().toHexDigits(rune));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int rune) {
        if (rune == ' ') {
            return true;
        }
        return switch (Character.getType(rune)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
                    true;
            default -> false;
        };
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

    /** The errno-style reason Go would print for {@code cause}, lower case as in Go's syscall error table. */
    static String reason(IOException cause) {
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
