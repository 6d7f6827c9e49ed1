package io.jnatsd.server.conn;

import io.jnatsd.server.account.StreamImport;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectTransform;

import java.util.Arrays;

/**
 * The subject of the shadow subscription a client subscription needs in an exporting account for one stream
 * import ({@code server/client.go addShadowSubscriptions}, {@code addShadowSub}). Four cases, with the
 * subscription subject {@code S} and the import's local subject {@code T}:
 * <ul>
 *   <li>{@code S == T}: the exporter's subject of the import;</li>
 *   <li>{@code S} within {@code T}: {@code S} taken back to the exporter's namespace (reverse transform), or the
 *       exporter's subject, or {@code S} itself when the import keeps published subjects;</li>
 *   <li>{@code T} within a wildcard {@code S}: the exporter's subject;</li>
 *   <li>a wildcard {@code S} overlapping {@code T}: the overlap, taken back to the exporter's namespace.</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class ShadowSubjects {

    private ShadowSubjects() {
    }

    /** The shadow subscription subject for {@code subject}, or null when it does not meet the import. */
    static String shadowSubject(String subject, StreamImport im) {
        String to = im.to();
        if (subject.equals(to)) {
            return shadow(im, subject, null, false);
        }
        if (Subjects.subjectMatchesFilter(subject, to)) {
            return shadow(im, subject, null, true);
        }
        if (Subjects.subjectIsLiteral(subject)) {
            return null;
        }
        if (Subjects.subjectMatchesFilter(to, subject)) {
            return shadow(im, subject, null, false);
        }
        String[] tokens = subject.split("\\.", -1);
        String[] importTokens = to.split("\\.", -1);
        for (int i = 0; i < tokens.length && i < importTokens.length; i++) {
            if (tokens[i].equals("*") && !importTokens[i].equals(">")) {
                tokens[i] = importTokens[i];
            }
        }
        int last = tokens.length - 1;
        if (tokens[last].equals(">") && importTokens.length >= tokens.length) {
            tokens[last] = importTokens[last];
            if (importTokens.length > tokens.length) {
                String[] longer = Arrays.copyOf(tokens, importTokens.length);
                System.arraycopy(importTokens, tokens.length, longer, tokens.length,
                        importTokens.length - tokens.length);
                tokens = longer;
            }
        }
        String overlap = String.join(".", tokens);
        if (!Subjects.subjectMatchesFilter(overlap, to)) {
            return null;
        }
        return shadow(im, subject, overlap, true);
    }

    // nats-server: client.go addShadowSub
    private static String shadow(StreamImport im, String subject, String overlap, boolean dynamic) {
        SubjectTransform transform = im.transform();
        if (!im.usePublished() && dynamic && transform != null) {
            SubjectTransform reverse = im.reverseTransform();
            String s = overlap != null ? overlap : subject;
            return reverse == null ? im.from() : reverse.apply(s);
        }
        if (!im.usePublished() || overlap != null || !dynamic) {
            return overlap != null ? overlap : im.from();
        }
        return subject;
    }
}
