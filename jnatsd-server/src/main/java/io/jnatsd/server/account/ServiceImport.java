package io.jnatsd.server.account;

import io.jnatsd.config.ImportOptions;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.subject.transform.SubjectTransform;

/**
 * A service import as the server routes it ({@code server/accounts.go serviceImport}): requests published in the
 * importing account on subjects matching {@link #from()} are re-published in the exporting account on {@link #to()}
 * (or the image of the published subject through {@link #transform()}, or the published subject itself), with the
 * reply subject replaced by a fresh {@code _R_.} reply the exporter maps back to the requestor.
 * <p>
 * Immutable except the subscription that catches the requests and {@link #isInvalid()}. Thread-safe.
 */
public final class ServiceImport {

    private final Account importer;
    private final Account exporter;
    private final String from;
    private final String to;
    private final SubjectTransform transform;
    private final boolean usePublished;
    private final ServiceExport export;
    private final ImportOptions options;
    private final boolean share;
    private volatile Subscription subscription;
    private volatile boolean invalid;

    /**
     * @param importer     the importing account
     * @param exporter     the exporting account
     * @param from         the local subject (pattern)
     * @param to           the subject in the exporting account
     * @param transform    local subject to exporter subject, or null
     * @param usePublished whether the exporter subject is the published one
     * @param export       the exporter's matching service export, or null
     * @param options      the import as configured
     * @param share        whether requestor details are shared with the exporter
     */
    public ServiceImport(Account importer, Account exporter, String from, String to, SubjectTransform transform,
                         boolean usePublished, ServiceExport export, ImportOptions options, boolean share) {
        this.importer = importer;
        this.exporter = exporter;
        this.from = from;
        this.to = to;
        this.transform = transform;
        this.usePublished = usePublished;
        this.export = export;
        this.options = options;
        this.share = share;
    }

    public Account importer() {
        return importer;
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

    public SubjectTransform transform() {
        return transform;
    }

    public boolean usePublished() {
        return usePublished;
    }

    /** The exporter's service export this import reaches, or null. */
    public ServiceExport export() {
        return export;
    }

    public ImportOptions options() {
        return options;
    }

    /** Whether requestor details go into the exporter's latency results. */
    public boolean share() {
        return share;
    }

    /** The internal subscription (in the importer's sublist) that catches the requests, or null. */
    public Subscription subscription() {
        return subscription;
    }

    public void subscription(Subscription value) {
        subscription = value;
    }

    public boolean isInvalid() {
        return invalid;
    }

    /** Marks the import as no longer routing (its activation expired). */
    public void invalidate() {
        invalid = true;
    }

    @Override
    public String toString() {
        return "ServiceImport[" + importer + ":" + from + " -> " + exporter + ":" + to + "]";
    }
}
