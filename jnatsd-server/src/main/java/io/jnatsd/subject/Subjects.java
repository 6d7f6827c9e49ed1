package io.jnatsd.subject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Subject validation and wildcard matching helpers. Tokens are separated by {@code '.'}; a token is a wildcard only
 * when it is exactly {@code *} (one token) or {@code >} (one or more trailing tokens), so {@code foo*} and
 * {@code a>b} are literal tokens. Byte variants take {@code (b, off, len)} and never allocate.
 *
 * <p>Stateless and thread-safe. Behaviour of nats-server {@code server/sublist.go}.
 */
public final class Subjects {

    private static final byte SEPARATOR = '.';
    private static final byte PARTIAL_WILDCARD = '*';
    private static final byte FULL_WILDCARD = '>';

    private Subjects() {
    }

    /**
     * Whether {@code s} is a valid subject, wildcards allowed: non-empty tokens, {@code >} only as the last token,
     * and no token containing space, tab, CR, LF or FF. This is the check used for configuration and permissions.
     */
    // nats-server: sublist.go IsValidSubject (without the UTF-8 / NUL checks of the checkRunes variant)
    public static boolean isValidSubject(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        boolean afterFullWildcard = false;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : s.charAt(i);
            if (c == '.') {
                int tokenLength = i - start;
                if (tokenLength == 0 || afterFullWildcard) {
                    return false;
                }
                afterFullWildcard = tokenLength == 1 && s.charAt(start) == '>';
                start = i + 1;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a SUB may use this subject: non-empty, no empty token and {@code >} only as the last token. Whitespace
     * is not checked because the protocol parser already split the arguments on it.
     */
    // nats-server: sublist.go Insert (the only subject check processSub makes)
    public static boolean isValidSubscribeSubject(byte[] b, int off, int len) {
        if (len == 0) {
            return false;
        }
        int end = off + len;
        int start = off;
        while (true) {
            int sep = Bytes.nextSeparator(b, start, end);
            int tokenLength = sep - start;
            if (tokenLength == 0) {
                return false;
            }
            if (sep == end) {
                return true;
            }
            if (tokenLength == 1 && b[start] == FULL_WILDCARD) {
                return false;                       // '>' followed by another token
            }
            start = sep + 1;
        }
    }

    /** Whether {@code s} is a valid literal subject: non-empty tokens, none of them a {@code *} or {@code >}. */
    public static boolean isValidLiteralSubject(String s) {
        int n = s.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                int tokenLength = i - start;
                if (tokenLength == 0) {
                    return false;
                }
                if (tokenLength == 1 && (s.charAt(start) == '*' || s.charAt(start) == '>')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** Byte variant of {@link #isValidLiteralSubject(String)}. */
    public static boolean isValidLiteralSubject(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        while (true) {
            int sep = Bytes.nextSeparator(b, start, end);
            int tokenLength = sep - start;
            if (tokenLength == 0) {
                return false;
            }
            if (tokenLength == 1 && (b[start] == PARTIAL_WILDCARD || b[start] == FULL_WILDCARD)) {
                return false;
            }
            if (sep == end) {
                return true;
            }
            start = sep + 1;
        }
    }

    /**
     * The pedantic-mode check of a PUB/HPUB subject: a valid literal subject. A failure earns the client
     * {@code -ERR 'Invalid Publish Subject'}, but the message is still routed.
     */
    // nats-server: client.go processInboundClientMsg uses IsValidLiteralSubject when c.opts.Pedantic
    public static boolean isValidPublishSubject(byte[] b, int off, int len) {
        return isValidLiteralSubject(b, off, len);
    }

    /** Whether {@code s} is a valid subject without wildcards ({@code sublist.go IsValidPublishSubject}). */
    public static boolean isValidPublishSubject(String s) {
        return isValidSubject(s) && subjectIsLiteral(s);
    }

    /**
     * Whether two subjects, either of which may hold wildcards, could both match one literal subject.
     */
    // nats-server: sublist.go SubjectsCollide, analyzeTokens, tokensCanMatch
    public static boolean subjectsCollide(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        String[] ta = a.split("\\.", -1);
        String[] tb = b.split("\\.", -1);
        boolean partialA = hasWildcardToken(ta, '*');
        boolean fullA = hasWildcardToken(ta, '>');
        boolean partialB = hasWildcardToken(tb, '*');
        boolean fullB = hasWildcardToken(tb, '>');
        boolean literalA = !(partialA || fullA);
        boolean literalB = !(partialB || fullB);
        if (literalA && literalB) {
            return false;
        }
        if (literalA) {
            return subjectMatchesFilter(a, b);
        }
        if (literalB) {
            return subjectMatchesFilter(b, a);
        }
        if (!fullA && !fullB && ta.length != tb.length) {
            return false;
        }
        if (ta.length < tb.length && !fullA || tb.length < ta.length && !fullB) {
            return false;
        }
        int stop = Math.min(ta.length, tb.length);
        for (int i = 0; i < stop; i++) {
            if (!tokensCanMatch(ta[i], tb[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasWildcardToken(String[] tokens, char wildcard) {
        for (String t : tokens) {
            if (t.length() == 1 && t.charAt(0) == wildcard) {
                return true;
            }
        }
        return false;
    }

    private static boolean tokensCanMatch(String t1, String t2) {
        if (t1.isEmpty() || t2.isEmpty()) {
            return false;
        }
        char c1 = t1.charAt(0);
        char c2 = t2.charAt(0);
        if (c1 == '*' || c2 == '*' || c1 == '>' || c2 == '>') {
            return true;
        }
        return t1.equals(t2);
    }

    /** Number of tokens: 0 for an empty subject, else the number of separators plus one. */
    public static int numTokens(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int tokens = 1;
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] == SEPARATOR) {
                tokens++;
            }
        }
        return tokens;
    }

    /** Whether no token of {@code s} is a wildcard. Does not check validity otherwise. */
    public static boolean subjectIsLiteral(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((c == '*' || c == '>')
                    && (i == 0 || s.charAt(i - 1) == '.')
                    && (i + 1 == n || s.charAt(i + 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Byte variant of {@link #subjectIsLiteral(String)}. */
    static boolean isLiteral(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if ((c == PARTIAL_WILDCARD || c == FULL_WILDCARD)
                    && (i == off || b[i - 1] == SEPARATOR)
                    && (i + 1 == end || b[i + 1] == SEPARATOR)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the subject has an empty token (or is empty): such subjects match nothing. */
    static boolean hasEmptyToken(byte[] b, int off, int len) {
        if (len == 0) {
            return true;
        }
        int end = off + len;
        if (b[off] == SEPARATOR || b[end - 1] == SEPARATOR) {
            return true;
        }
        for (int i = off + 1; i < end; i++) {
            if (b[i] == SEPARATOR && b[i - 1] == SEPARATOR) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every subject matched by {@code subject} is also matched by {@code filter}. Both may contain
     * wildcards: {@code foo.*} matches the filters {@code >}, {@code *.*} and {@code foo.*} but not {@code foo.bar};
     * a literal subject simply has to match the filter. Subjects with empty tokens never match. Only whole-token
     * {@code *} is a wildcard in the filter (nats-server's {@code isSubsetMatchTokenized} also lets a filter token
     * that merely starts with {@code *}, such as {@code *x}, match any token).
     */
    // nats-server: sublist.go SubjectMatchesFilter / subjectIsSubsetMatch / isSubsetMatchTokenized
    public static boolean subjectMatchesFilter(String subject, String filter) {
        int sEnd = subject.length();
        int fEnd = filter.length();
        int s = 0;
        int f = 0;
        boolean subjectDone = false;
        while (true) {
            if (subjectDone) {
                return false;                       // the filter has more tokens than the subject
            }
            int fSep = indexOfSeparator(filter, f, fEnd);
            int fLength = fSep - f;
            if (fLength == 0) {
                return false;
            }
            if (fLength == 1 && filter.charAt(f) == '>') {
                return true;
            }
            int sSep = indexOfSeparator(subject, s, sEnd);
            int sLength = sSep - s;
            if (sLength == 0 || (sLength == 1 && subject.charAt(s) == '>')) {
                return false;
            }
            boolean filterIsPartial = fLength == 1 && filter.charAt(f) == '*';
            if (sLength == 1 && subject.charAt(s) == '*') {
                if (!filterIsPartial) {
                    return false;                   // '*' is only a subset of '*' (or '>')
                }
            } else if (!filterIsPartial && (sLength != fLength || !subject.regionMatches(s, filter, f, fLength))) {
                return false;
            }
            subjectDone = sSep == sEnd;
            s = sSep + 1;
            if (fSep == fEnd) {
                return subjectDone;
            }
            f = fSep + 1;
        }
    }

    /** Whether the literal subject {@code literal} is matched by {@code filter} (nats-server's matchLiteral). */
    public static boolean matchLiteral(String literal, String filter) {
        return matchLiteral(utf8(literal), utf8(filter));
    }

    private static int indexOfSeparator(String s, int from, int end) {
        int i = s.indexOf('.', from);
        return i < 0 ? end : i;
    }

    /**
     * Whether the literal subject {@code literal} is matched by {@code filter}, whose whole-token {@code *} and
     * last-token {@code >} are wildcards. Used to find the cached results an insert or remove of {@code filter}
     * affects. A {@code >} needs at least one more byte in the literal.
     */
    // nats-server: sublist.go matchLiteral
    static boolean matchLiteral(byte[] literal, byte[] filter) {
        int lEnd = literal.length;
        int fEnd = filter.length;
        int l = 0;
        int f = 0;
        boolean literalDone = false;
        while (true) {
            if (literalDone) {
                return false;
            }
            int fSep = Bytes.nextSeparator(filter, f, fEnd);
            int fLength = fSep - f;
            if (fLength == 1 && filter[f] == FULL_WILDCARD && fSep == fEnd) {
                return l < lEnd;
            }
            int lSep = Bytes.nextSeparator(literal, l, lEnd);
            if (!(fLength == 1 && filter[f] == PARTIAL_WILDCARD)
                    && (lSep - l != fLength || !Arrays.equals(literal, l, lSep, filter, f, fSep))) {
                return false;
            }
            literalDone = lSep == lEnd;
            l = lSep + 1;
            if (fSep == fEnd) {
                return literalDone;
            }
            f = fSep + 1;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
