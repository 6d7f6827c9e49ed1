package io.jnatsd.config;

import java.nio.charset.StandardCharsets;

/**
 * Text helpers that reproduce Go string semantics the config language depends on: UTF-8 decoding where each
 * invalid byte becomes one U+FFFD (Go {@code utf8.DecodeRune}), and rune-wise lower-casing for keyword checks
 * (Go {@code strings.ToLower}, which uses simple case mapping like {@link Character#toLowerCase(int)}).
 *
 * <p>Stateless; safe from any thread.
 */
final class ConfText {

    private ConfText() {
    }

    /** Decodes {@code length} bytes at {@code offset}; invalid sequences become U+FFFD, one per byte. */
    static String decodeUtf8(byte[] bytes, int offset, int length) {
        int end = offset + length;
        boolean ascii = true;
        for (int i = offset; i < end; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(length);
        int i = offset;
        while (i < end) {
            long decoded = decodeWithin(bytes, i, end);
            out.appendCodePoint((int) decoded);
            i += (int) (decoded >>> 32);
        }
        return out.toString();
    }

    private static long decodeWithin(byte[] bytes, int offset, int end) {
        if (end == bytes.length) {
            return ConfLexer.decodeRune(bytes, offset);
        }
        byte[] window = new byte[Math.min(4, end - offset)];
        System.arraycopy(bytes, offset, window, 0, window.length);
        return ConfLexer.decodeRune(window, 0);
    }

    /** True if the bytes {@code [from, to)}, lower-cased rune by rune, equal the lower-case ASCII {@code word}. */
    static boolean equalsIgnoreCaseSimple(byte[] bytes, int from, int to, String word) {
        int i = from;
        int w = 0;
        while (i < to) {
            long decoded = decodeWithin(bytes, i, to);
            int rune = Character.toLowerCase((int) decoded);
            if (w >= word.length() || word.charAt(w) != rune) {
                return false;
            }
            w++;
            i += (int) (decoded >>> 32);
        }
        return w == word.length();
    }
}
