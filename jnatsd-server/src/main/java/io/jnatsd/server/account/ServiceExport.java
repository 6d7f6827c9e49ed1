package io.jnatsd.server.account;

import io.jnatsd.config.ExportOptions;

import java.util.concurrent.ScheduledFuture;

/**
 * A service an account exports, as the server runs it: its response type, response threshold and latency tracking,
 * and the timer that sweeps response mappings older than the threshold ({@code server/accounts.go serviceExport},
 * {@code setResponseThresholdTimer}, {@code checkExpiredResponses}).
 * <p>
 * Thread-safe: the timer is guarded by this object's monitor.
 */
public final class ServiceExport {

    private final Account account;
    private final ExportOptions options;
    private final long thresholdNanos;
    private ScheduledFuture<?> sweeper;      // guarded by this

    public ServiceExport(Account account, ExportOptions options) {
        this.account = account;
        this.options = options;
        this.thresholdNanos = options.effectiveResponseThreshold().toNanos();
    }

    /** The exporting account. */
    public Account account() {
        return account;
    }

    public ExportOptions options() {
        return options;
    }

    public ExportOptions.ResponseType responseType() {
        return options.responseType();
    }

    /** Latency tracking, or null. */
    public ExportOptions.Latency latency() {
        return options.latency();
    }

    /** How long a response mapping lives without a response. */
    public long thresholdNanos() {
        return thresholdNanos;
    }

    /** The sweeper timer, or null when none is armed. Caller holds this object's monitor. */
    public ScheduledFuture<?> sweeper() {
        return sweeper;
    }

    /** Sets the sweeper timer. Caller holds this object's monitor. */
    public void sweeper(ScheduledFuture<?> timer) {
        sweeper = timer;
    }

    /** Stops the sweeper (the export went away). */
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    @Override
    public String toString() {
        return "ServiceExport[" + account + ":" + options.subject() + "]";
    }
}
