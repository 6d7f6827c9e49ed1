package io.jnatsd.server.account;

import io.jnatsd.config.ExportOptions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The mapping of one request's {@code _R_.} reply subject, kept by the account that received the request, back to
 * the requestor's account and reply subject ({@code server/accounts.go addRespServiceImport}, a "response service
 * import"). Removed after a singleton's response, after an empty response, when a response cannot be delivered, when
 * the requestor loses interest in its reply subject, or by the export's threshold sweeper.
 * <p>
 * Thread-safe: the timestamp and flags are volatile; one response is processed at a time per responder thread.
 *
 * @see ServiceImport
 */
public final class ResponseImport {

    /** Why a response mapping goes away ({@code server/accounts.go rsiReason}). */
    public enum Removal {
        /** Responded. */
        OK,
        /** A response could not be delivered (503 when tracked). */
        NO_DELIVERY,
        /** The threshold passed (504 when tracked). */
        TIMEOUT
    }

    private final String subject;
    private final Account holder;
    private final Account requesterAccount;
    private final String reply;
    private final ServiceImport origin;
    private final ServiceExport export;
    private final ExportOptions.ResponseType responseType;
    private final boolean tracking;
    private final Map<String, List<String>> trackingHeaders;
    private final Object requestor;
    private final Instant requestInstant;
    private volatile long timestampNanos;
    private volatile boolean didDeliver;
    private volatile boolean removed;

    /**
     * @param subject          the {@code _R_.} reply subject given to the responder
     * @param holder           the account that received the request (where {@code subject} lives)
     * @param requesterAccount the account of the requestor
     * @param reply            the requestor's own reply subject
     * @param origin           the service import the request came through
     * @param export           the service export reached, or null
     * @param tracking         whether the response's latency is measured
     * @param trackingHeaders  the tracing headers that triggered sampling, or null
     * @param requestor        the requesting connection when latency is tracked (for its client info), or null
     */
    public ResponseImport(String subject, Account holder, Account requesterAccount, String reply,
                          ServiceImport origin, ServiceExport export, boolean tracking,
                          Map<String, List<String>> trackingHeaders, Object requestor) {
        this.subject = subject;
        this.holder = holder;
        this.requesterAccount = requesterAccount;
        this.reply = reply;
        this.origin = origin;
        this.export = export;
        this.responseType = export == null ? ExportOptions.ResponseType.SINGLETON : export.responseType();
        this.tracking = tracking;
        this.trackingHeaders = trackingHeaders;
        this.requestor = requestor;
        this.timestampNanos = System.nanoTime();
        this.requestInstant = Instant.now();
    }

    /** When the request arrived (wall clock). */
    public Instant requestInstant() {
        return requestInstant;
    }

    public String subject() {
        return subject;
    }

    /** The account where the responder answers (it maps {@link #subject()}). */
    public Account holder() {
        return holder;
    }

    public Account requesterAccount() {
        return requesterAccount;
    }

    /** The requestor's reply subject, in {@link #requesterAccount()}. */
    public String reply() {
        return reply;
    }

    public ServiceImport origin() {
        return origin;
    }

    /** The service export reached, or null. */
    public ServiceExport export() {
        return export;
    }

    public ExportOptions.ResponseType responseType() {
        return responseType;
    }

    public boolean tracking() {
        return tracking;
    }

    /** The tracing headers that triggered sampling, or null. */
    public Map<String, List<String>> trackingHeaders() {
        return trackingHeaders;
    }

    /** The requesting connection (a {@code Connection}) when latency is tracked, else null. */
    public Object requestor() {
        return requestor;
    }

    /** {@link System#nanoTime()} of the request, or of the last streamed response. */
    public long timestampNanos() {
        return timestampNanos;
    }

    public void touch() {
        timestampNanos = System.nanoTime();
    }

    /** Whether a response was delivered (the latency was reported). */
    public boolean didDeliver() {
        return didDeliver;
    }

    /** Marks the first delivery; false when it was already marked. */
    public synchronized boolean markDelivered() {
        if (didDeliver) {
            return false;
        }
        didDeliver = true;
        return true;
    }

    /** Marks the mapping removed; false when it already was. */
    synchronized boolean markRemoved() {
        if (removed) {
            return false;
        }
        removed = true;
        return true;
    }

    @Override
    public String toString() {
        return "ResponseImport[" + subject + " -> " + requesterAccount + ":" + reply + "]";
    }
}
