package io.jnatsd.config;

import java.util.List;

/**
 * Go's text formatting where nats-server messages depend on it: {@code %q} quoting ({@code strconv.Quote}) and
 * {@code %v} of a string slice. Stateless; thread-safe.
 */
final class GoText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoText() {
    }

    /** {@code %q}: double-quoted, with Go's escapes for quotes, backslashes and non-printable characters. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (isPrint(cp)) {
                out.appendCodePoint(cp);
            } else {
                switch (cp) {
                    case 0x07 -> out.append("\\a");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case 0x0b -> out.append("\\v");
                    default -> appendEscape(out, cp);
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code %v} of a {@code []string}: {@code [a b c]}. */
    static String sliceOf(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    private static void appendEscape(StringBuilder out, int cp) {
        if (cp < ' ' || cp == 0x7f) {
            out.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
        } else if (cp < 0x10000) {
            out.append("\\u");
            appendHex(out, cp, 4);
        } else {
            out.append("\\U");
            appendHex(out, cp, 8);
        }
    }

    private static void appendHex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >> shift) & 0xf]);
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
