package io.jnatsd.server.account;

import io.jnatsd.config.ImportOptions;
import io.jnatsd.subject.transform.SubjectTransform;

import java.nio.charset.StandardCharsets;

/**
 * A stream import as the server routes it: messages the exporting account publishes on subjects matching
 * {@link #from()} reach the importing account's subscribers of the local subject ({@code server/accounts.go
 * streamImport}). Subscribers get it through shadow subscriptions the server inserts into the exporter's sublist on
 * their behalf; the local subject of a delivery is the published subject itself, a prefixed one, the image through
 * {@link #transform()} or the literal {@link #to()}.
 * <p>
 * Immutable except {@link #isInvalid()} (an operator-mode activation that expired). Thread-safe.
 */
public final class StreamImport {

    private final Account exporter;
    private final String from;
    private final String to;
    private final SubjectTransform transform;
    private final boolean usePublished;
    private final ImportOptions options;
    private final byte[] toBytes;
    private final byte[] prefixBytes;
    private volatile SubjectTransform reverse;
    private volatile boolean invalid;

    /**
     * @param exporter     the exporting account
     * @param from         the subject (pattern) in the exporting account
     * @param to           the local subject (pattern)
     * @param transform    exporter subject to local subject, or null
     * @param usePublished whether the local subject is the published one
     * @param options      the import as configured
     */
    public StreamImport(Account exporter, String from, String to, SubjectTransform transform, boolean usePublished,
                        ImportOptions options) {
        this.exporter = exporter;
        this.from = from;
        this.to = to;
        this.transform = transform;
        this.usePublished = usePublished;
        this.options = options;
        this.toBytes = to.getBytes(StandardCharsets.UTF_8);
        String prefix = options.prefix();
        boolean plainPrefix = !prefix.isEmpty() && !usePublished
                && to.equals((prefix.endsWith(".") ? prefix : prefix + ".") + from);
        this.prefixBytes = plainPrefix ? (prefix.endsWith(".") ? prefix : prefix + ".")
                .getBytes(StandardCharsets.UTF_8) : null;
    }

    public Account exporter() {
        return exporter;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    /** Exporter subject to local subject, or null. */
    public SubjectTransform transform() {
        return transform;
    }

    /** Local subject to exporter subject (the reverse of {@link #transform()}), or null. */
    public SubjectTransform reverseTransform() {
        SubjectTransform r = reverse;
        if (r == null && transform != null) {
            r = transform.reverse();
            reverse = r;
        }
        return r;
    }

    public boolean usePublished() {
        return usePublished;
    }

    public ImportOptions options() {
        return options;
    }

    /** {@link #to()} as bytes. */
    public byte[] toBytes() {
        return toBytes;
    }

    /**
     * The prefix (with its trailing dot) when the local subject is simply the prefix followed by the published
     * subject, else null.
     */
    public byte[] prefixBytes() {
        return prefixBytes;
    }

    /** Whether the import no longer delivers (its activation expired). */
    public boolean isInvalid() {
        return invalid;
    }

    /** Marks the import as no longer delivering. */
    public void invalidate() {
        invalid = true;
    }

    @Override
    public String toString() {
        return "StreamImport[" + exporter + ":" + from + " -> " + to + "]";
    }
}
