package io.jnatsd.common;

/** Decimal tokens of subjects as nats-server parses them. Stateless. */
public final class GoDigits {

    private GoDigits() {
    }

    /**
     * The unsigned decimal {@code s[from, to)}: -1 when empty or when any character is not a digit; values beyond
     * 2^63 wrap as Go's int64 arithmetic does.
     */
    // nats-server: util.go parseInt64, consumer.go parseAckReplyNum
    public static long parse(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
