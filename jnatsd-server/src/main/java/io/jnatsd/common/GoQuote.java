package io.jnatsd.common;

import java.util.Objects;

/**
 * Go's {@code strconv.Quote}, which is also what {@code fmt}'s {@code %q} prints for strings and byte slices:
 * a double-quoted string literal with {@code \a \b \f \n \r \t \v \\ \"} escaped, printable Unicode kept as is,
 * bytes that are not valid UTF-8 as {@code \xNN}, and other non-printable characters as {@code \xNN} (ASCII
 * controls), <code>&#92;uNNNN</code> or {@code \UNNNNNNNN}, all in lower-case hex.
 *
 * <p>"Printable" is Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space,
 * judged here by the JDK's Unicode tables. Stateless and thread-safe.
 */
public final class GoQuote {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int REPLACEMENT_CHAR = 0xfffd;

    private GoQuote() {
    }

    /** {@code %q} of {@code length} bytes of {@code bytes} from {@code offset}, read as UTF-8 the way Go does. */
    // nats-server: Go strconv/quote.go appendQuotedWith
    public static String quote(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        StringBuilder out = new StringBuilder(length + 2).append('"');
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int rune = decodeRune(bytes, i, end);
            if (rune < 0) {
                appendHexByte(out, bytes[i] & 0xff);
                i++;
            } else {
                appendRune(out, rune);
                i += utf8Length(rune);
            }
        }
        return out.append('"').toString();
    }

    /** {@code %q} of all of {@code bytes}. */
    public static String quote(byte[] bytes) {
        return quote(bytes, 0, bytes.length);
    }

    /**
     * {@code %q} of a string. A lone surrogate, which no UTF-8 string can hold, comes out as Go prints an invalid
     * rune: <code>&#92;ufffd</code>.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int codePoint = s.codePointAt(i);
            appendRune(out, codePoint);
            i += Character.charCount(codePoint);
        }
        return out.append('"').toString();
    }

    /** Whether Go's {@code strconv.IsPrint} holds for {@code rune}. */
    static boolean isPrint(int rune) {
        if (rune < 0x80) {
            return rune >= 0x20 && rune < 0x7f;
        }
        return switch (Character.getType(rune)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    // nats-server: Go strconv/quote.go appendEscapedRune (quote '"', not ASCII-only, not graphic-only)
    private static void appendRune(StringBuilder out, int rune) {
        if (rune == '"' || rune == '\\') {
            out.append('\\').append((char) rune);
            return;
        }
        if (isPrint(rune)) {
            out.appendCodePoint(rune);
            return;
        }
        switch (rune) {
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0b -> out.append("\\v");
            default -> {
                if (rune < ' ' || rune == 0x7f) {
                    appendHexByte(out, rune);
                } else if (rune < 0x10000) {
                    boolean surrogate = rune >= Character.MIN_SURROGATE && rune <= Character.MAX_SURROGATE;
                    appendHex(out.append("\\u"), surrogate ? REPLACEMENT_CHAR : rune, 4);
                } else {
                    appendHex(out.append("\\U"), rune, 8);
                }
            }
        }
    }

    private static void appendHexByte(StringBuilder out, int value) {
        out.append("\\x").append(HEX[value >> 4]).append(HEX[value & 0xf]);
    }

    private static void appendHex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >>> shift) & 0xf]);
        }
    }

    /**
     * The rune encoded at {@code i}, or -1 where Go's {@code utf8.DecodeRune} reports an error (truncated, overlong,
     * surrogate or out-of-range sequences), in which case only the first byte is consumed.
     */
    private static int decodeRune(byte[] b, int i, int end) {
        int b0 = b[i] & 0xff;
        if (b0 < 0x80) {
            return b0;
        }
        int length;
        int min2;                                        // accepted range of the second byte
        int max2 = 0xbf;
        int rune;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2;
            min2 = 0x80;
            rune = b0 & 0x1f;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            length = 3;
            min2 = b0 == 0xe0 ? 0xa0 : 0x80;
            max2 = b0 == 0xed ? 0x9f : 0xbf;
            rune = b0 & 0x0f;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            length = 4;
            min2 = b0 == 0xf0 ? 0x90 : 0x80;
            max2 = b0 == 0xf4 ? 0x8f : 0xbf;
            rune = b0 & 0x07;
        } else {
            return -1;
        }
        if (end - i < length) {
            return -1;
        }
        int b1 = b[i + 1] & 0xff;
        if (b1 < min2 || b1 > max2) {
            return -1;
        }
        rune = (rune << 6) | (b1 & 0x3f);
        for (int k = 2; k < length; k++) {
            int bk = b[i + k] & 0xff;
            if (bk < 0x80 || bk > 0xbf) {
                return -1;
            }
            rune = (rune << 6) | (bk & 0x3f);
        }
        return rune;
    }

    private static int utf8Length(int rune) {
        return rune < 0x80 ? 1 : rune < 0x800 ? 2 : rune < 0x10000 ? 3 : 4;
    }
}
