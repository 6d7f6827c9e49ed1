package io.jnatsd.server.auth;

import io.jnatsd.subject.Subjects;

/**
 * Whether two subjects, either of which may hold wildcards, could both match one literal subject (nats-server
 * {@code sublist.go SubjectsCollide}). Used to decide whether a wildcard subscription needs the delivery-time deny
 * filter. Stateless; thread-safe.
 */
final class SubjectOverlap {

    private SubjectOverlap() {
    }

    // nats-server: sublist.go SubjectsCollide, analyzeTokens, tokensCanMatch
    static boolean collide(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        String[] ta = a.split("\\.", -1);
        String[] tb = b.split("\\.", -1);
        boolean partialA = has(ta, '*');
        boolean fullA = has(ta, '>');
        boolean partialB = has(tb, '*');
        boolean fullB = has(tb, '>');
        boolean literalA = !(partialA || fullA);
        boolean literalB = !(partialB || fullB);
        if (literalA && literalB) {
            return false;
        }
        if (literalA) {
            return Subjects.subjectMatchesFilter(a, b);
        }
        if (literalB) {
            return Subjects.subjectMatchesFilter(b, a);
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

    private static boolean has(String[] tokens, char wildcard) {
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
}
