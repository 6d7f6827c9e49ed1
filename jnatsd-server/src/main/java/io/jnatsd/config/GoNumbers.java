package io.jnatsd.config;

/**
 * Integer and boolean parsing with the rules of Go's {@code strconv.ParseInt(s, 0, bits)} and
 * {@code strconv.ParseBool}, as the Go {@code flag} package applies them to command-line values: optional sign,
 * base prefixes {@code 0x 0o 0b} (either case), a bare leading {@code 0} meaning octal, and {@code _} allowed only
 * between digits or after a base prefix. Stateless; thread-safe.
 */
final class GoNumbers {

    /** The flag package's text for a malformed number or bool ({@code flag.go errParse}). */
    static final String PARSE_ERROR = "parse error";
    /** The flag package's text for a number that does not fit ({@code flag.go errRange}). */
    static final String RANGE_ERROR = "value out of range";

    private GoNumbers() {
    }

    /**
     * Parses {@code text} as a signed integer of {@code bitSize} bits (8..64).
     *
     * @throws IllegalArgumentException with message {@link #PARSE_ERROR} or {@link #RANGE_ERROR}
     */
    static long parseInt(String text, int bitSize) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(PARSE_ERROR);
        }
        boolean negative = false;
        String digits = text;
        if (digits.charAt(0) == '+' || digits.charAt(0) == '-') {
            negative = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        // nats-server: Go strconv ParseInt → ParseUint; magnitude first, then the signed range check.
        long magnitude = parseUnsigned(digits, text, bitSize);
        long limit = 1L << (bitSize - 1);      // for 64 bits this is Long.MIN_VALUE, i.e. 2^63 as unsigned
        if (!negative && Long.compareUnsigned(magnitude, limit) >= 0) {
            throw new IllegalArgumentException(RANGE_ERROR);
        }
        if (negative && Long.compareUnsigned(magnitude, limit) > 0) {
            throw new IllegalArgumentException(RANGE_ERROR);
        }
        return negative ? -magnitude : magnitude;
    }

    /**
     * Parses an unsigned magnitude (no sign) that must fit {@code bitSize} bits; {@code whole} is the full text for
     * the underscore check. Like Go, a range error found while scanning wins over a later syntax error.
     */
    private static long parseUnsigned(String s, String whole, int bitSize) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(PARSE_ERROR);
        }
        int base = 10;
        int start = 0;
        if (s.charAt(0) == '0') {
            char prefix = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
            switch (prefix) {
                case 'b' -> { base = 2; start = 2; }
                case 'o' -> { base = 8; start = 2; }
                case 'x' -> { base = 16; start = 2; }
                default -> { base = 8; start = 1; }
            }
        }
        boolean underscores = false;
        long value = 0;
        long cutoff = Long.divideUnsigned(-1L, base) + 1;   // first value whose product with base overflows
        long maxValue = bitSize == 64 ? -1L : (1L << bitSize) - 1;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            int digit;
            if (c == '_') {
                underscores = true;
                continue;
            } else if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (Character.toLowerCase(c) >= 'a' && Character.toLowerCase(c) <= 'z') {
                digit = Character.toLowerCase(c) - 'a' + 10;
            } else {
                throw new IllegalArgumentException(PARSE_ERROR);
            }
            if (digit >= base) {
                throw new IllegalArgumentException(PARSE_ERROR);
            }
            if (Long.compareUnsigned(value, cutoff) >= 0) {
                throw new IllegalArgumentException(RANGE_ERROR);
            }
            long next = value * base + digit;
            if (Long.compareUnsigned(next, value * base) < 0 || Long.compareUnsigned(next, maxValue) > 0) {
                throw new IllegalArgumentException(RANGE_ERROR);
            }
            value = next;
        }
        if (underscores && !underscoresAllowed(whole)) {
            throw new IllegalArgumentException(PARSE_ERROR);
        }
        return value;
    }

    /** Go's rule: an underscore must sit between two digits, or between a base prefix and a digit. */
    private static boolean underscoresAllowed(String s) {
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        char previous = '^';          // ^ start, 0 digit or prefix, _ underscore, ! anything else
        boolean hex = false;
        if (s.length() - i >= 2 && s.charAt(i) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(i + 1))) >= 0) {
            hex = Character.toLowerCase(s.charAt(i + 1)) == 'x';
            previous = '0';
            i += 2;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lower = Character.toLowerCase(c);
            if ((c >= '0' && c <= '9') || (hex && lower >= 'a' && lower <= 'f')) {
                previous = '0';
            } else if (c == '_') {
                if (previous != '0') {
                    return false;
                }
                previous = '_';
            } else {
                if (previous == '_') {
                    return false;
                }
                previous = '!';
            }
        }
        return previous != '_';
    }

    /**
     * Parses a Go bool: {@code 1 t T TRUE true True} or {@code 0 f F FALSE false False}.
     *
     * @throws IllegalArgumentException with message {@link #PARSE_ERROR}
     */
    static boolean parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException(PARSE_ERROR);
        };
    }
}
