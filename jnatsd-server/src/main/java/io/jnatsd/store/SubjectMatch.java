package io.jnatsd.store;

import io.jnatsd.subject.Subjects;

/** Small subject helpers shared by the store implementations (not an API for other packages). Stateless. */
public final class SubjectMatch {

    private SubjectMatch() {
    }

    /** Whether {@code s} has no wildcard token. */
    public static boolean isLiteral(String s) {
        return Subjects.subjectIsLiteral(s);
    }

    /** Whether {@code filter} means "every subject". */
    public static boolean isAll(String filter) {
        return filter == null || filter.isEmpty() || filter.equals(">");
    }

    /** Whether the literal {@code subject} matches {@code filter} (all, literal or wildcard). */
    public static boolean matches(String subject, String filter) {
        if (isAll(filter)) {
            return true;
        }
        return Subjects.subjectMatchesFilter(subject, filter);
    }
}
