package io.jnatsd.store;

import io.jnatsd.subject.Subjects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One or more subject filters compiled for repeated matching against stored subjects (consumers keep one for their
 * life, so matching allocates nothing). Empty filter strings and {@code >} match everything. Wildcards are whole
 * tokens: {@code *} one token, {@code >} one or more trailing tokens.
 * <p>
 * Immutable and thread-safe.
 */
// nats-server: the filter/wc arguments of LoadNextMsg and the gsl.SimpleSublist of LoadNextMsgMulti (store.go)
public final class SubjectFilter {

    /** Matches every subject. */
    public static final SubjectFilter ALL = new SubjectFilter(List.of(">"));

    private final String[] filters;
    private final byte[][] filterBytes;
    private final boolean all;
    private final boolean literal;

    private SubjectFilter(List<String> filters) {
        List<String> normalized = new ArrayList<>(filters.size());
        boolean matchesAll = filters.isEmpty();
        boolean allLiteral = true;
        for (String f : filters) {
            if (f == null || f.isEmpty() || f.equals(">")) {
                matchesAll = true;
                f = ">";
            }
            if (!normalized.contains(f)) {
                normalized.add(f);
            }
            allLiteral &= Subjects.subjectIsLiteral(f);
        }
        if (matchesAll) {
            normalized = List.of(">");
            allLiteral = false;
        }
        this.filters = normalized.toArray(String[]::new);
        this.filterBytes = new byte[this.filters.length][];
        for (int i = 0; i < this.filters.length; i++) {
            filterBytes[i] = this.filters[i].getBytes(StandardCharsets.UTF_8);
        }
        this.all = matchesAll;
        this.literal = allLiteral;
    }

    /** A filter of one subject ({@code null}, empty or {@code >} mean all). */
    public static SubjectFilter of(String filter) {
        if (filter == null || filter.isEmpty() || filter.equals(">")) {
            return ALL;
        }
        return new SubjectFilter(List.of(filter));
    }

    /** A filter matching a subject when any of {@code filters} does (an empty list means all). */
    public static SubjectFilter of(List<String> filters) {
        if (filters.isEmpty()) {
            return ALL;
        }
        return new SubjectFilter(filters);
    }

    /** Whether every subject matches. */
    public boolean isAll() {
        return all;
    }

    /** Whether every filter is a literal subject (no wildcard). */
    public boolean isLiteral() {
        return literal;
    }

    /** Number of filters (1 for {@link #ALL}). */
    public int size() {
        return filters.length;
    }

    /** The filter at {@code index}. */
    public String filter(int index) {
        return filters[index];
    }

    /** The filters (a copy). */
    public List<String> filters() {
        return List.of(filters);
    }

    /** Whether the literal {@code subject} matches one of the filters. */
    public boolean matches(String subject) {
        if (all) {
            return true;
        }
        for (String f : filters) {
            if (literal ? f.equals(subject) : Subjects.subjectMatchesFilter(subject, f)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the literal subject in {@code b[off, off + len)} (UTF-8) matches one of the filters. */
    public boolean matches(byte[] b, int off, int len) {
        if (all) {
            return true;
        }
        for (byte[] f : filterBytes) {
            if (literal ? Arrays.equals(f, 0, f.length, b, off, off + len) : matchLiteral(b, off, len, f)) {
                return true;
            }
        }
        return false;
    }

    /** Whether filter {@code index} matches {@code subject} (used to de-duplicate overlapping filters). */
    boolean matches(int index, String subject) {
        return all || Subjects.subjectMatchesFilter(subject, filters[index]);
    }

    /**
     * Whether the literal subject in {@code b[off, off + len)} matches {@code filter}, whose whole-token {@code *}
     * and last-token {@code >} are wildcards.
     */
    // nats-server: sublist.go matchLiteral
    static boolean matchLiteral(byte[] b, int off, int len, byte[] filter) {
        int lEnd = off + len;
        int fEnd = filter.length;
        int l = off;
        int f = 0;
        boolean literalDone = len == 0;
        while (true) {
            if (literalDone) {
                return false;
            }
            int fSep = next(filter, f, fEnd);
            int fLength = fSep - f;
            if (fLength == 1 && filter[f] == '>' && fSep == fEnd) {
                return l < lEnd;
            }
            int lSep = next(b, l, lEnd);
            if (!(fLength == 1 && filter[f] == '*')
                    && (lSep - l != fLength || !Arrays.equals(b, l, lSep, filter, f, fSep))) {
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

    private static int next(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '.') {
                return i;
            }
        }
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectFilter other && Arrays.equals(filters, other.filters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(filters);
    }

    @Override
    public String toString() {
        return String.join(",", filters);
    }
}
