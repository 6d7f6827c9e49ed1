package io.jnatsd.nkeys;

/**
 * RFC 4648 base32 (standard alphabet, upper case, no padding) as Go's
 * {@code base32.StdEncoding.WithPadding(base32.NoPadding)} reads and writes it: {@code '\r'} and {@code '\n'} in
 * the input are skipped, unused trailing bits are ignored, and errors read
 * {@code illegal base32 data at input byte N}.
 *
 * <p>Stateless and thread-safe.
 */
final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int BITS_PER_CHAR = 5;

    private Base32() {
    }

    /** The base32 letter for a 5-bit value. */
    static char letter(int value) {
        return ALPHABET.charAt(value);
    }

    /** Encodes all of {@code data}. */
    static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + BITS_PER_CHAR - 1) / BITS_PER_CHAR);
        int buffer = 0;
        int bufferedBits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bufferedBits += 8;
            while (bufferedBits >= BITS_PER_CHAR) {
                bufferedBits -= BITS_PER_CHAR;
                out.append(ALPHABET.charAt((buffer >>> bufferedBits) & 0x1f));
            }
        }
        if (bufferedBits > 0) {
            out.append(ALPHABET.charAt((buffer << (BITS_PER_CHAR - bufferedBits)) & 0x1f));
        }
        return out.toString();
    }

    /**
     * Decodes {@code text}.
     *
     * @throws IllegalArgumentException {@code illegal base32 data at input byte N} for a character outside the
     *     alphabet, or for a length no unpadded encoding can have (a last group of 1, 3 or 6 characters)
     */
    static byte[] decode(CharSequence text) {
        int chars = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                chars++;
            }
        }
        byte[] out = new byte[chars * BITS_PER_CHAR / 8];
        int outIndex = 0;
        int buffer = 0;
        int bufferedBits = 0;
        int index = 0;                                   // position among the non-newline characters, as Go counts
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            int value = valueOf(c);
            if (value < 0) {
                throw illegal(index);
            }
            index++;
            buffer = (buffer << BITS_PER_CHAR) | value;
            bufferedBits += BITS_PER_CHAR;
            if (bufferedBits >= 8) {
                bufferedBits -= 8;
                out[outIndex++] = (byte) (buffer >>> bufferedBits);
            }
        }
        int lastGroupChars = chars % 8;
        if (lastGroupChars == 1 || lastGroupChars == 3 || lastGroupChars == 6) {
            throw illegal(chars - 1);
        }
        return out;
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }

    private static IllegalArgumentException illegal(int index) {
        return new IllegalArgumentException("illegal base32 data at input byte " + index);
    }
}
