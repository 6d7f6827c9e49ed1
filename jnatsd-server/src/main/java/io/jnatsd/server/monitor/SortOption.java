package io.jnatsd.server.monitor;

import java.util.Comparator;

/**
 * {@code /connz?sort=}: nats-server's {@code SortOpt} values (monitor_sort_opts.go). Only {@code cid},
 * {@code start}, {@code uptime} and {@code reason} sort ascending; the others descending.
 */
public enum SortOption {
    CID("cid"),
    START("start"),
    SUBS("subs"),
    PENDING("pending"),
    MSGS_TO("msgs_to"),
    MSGS_FROM("msgs_from"),
    BYTES_TO("bytes_to"),
    BYTES_FROM("bytes_from"),
    LAST("last"),
    IDLE("idle"),
    UPTIME("uptime"),
    STOP("stop"),
    REASON("reason"),
    RTT("rtt");

    private final String text;

    SortOption(String text) {
        this.text = text;
    }

    /** The query value. */
    public String text() {
        return text;
    }

    /** The option named {@code text} (case-sensitive, as Go), or null. */
    public static SortOption parse(String text) {
        for (SortOption o : values()) {
            if (o.text.equals(text)) {
                return o;
            }
        }
        return null;
    }

    /** The order nats-server sorts in for this option. */
    // nats-server: monitor.go Connz (sort.Sort / sort.Reverse), monitor_sort_opts.go
    Comparator<ConnRow> comparator() {
        Comparator<ConnRow> byCid = Comparator.comparingLong(r -> r.snapshot().cid());
        return switch (this) {
            case CID, START -> byCid;
            case SUBS -> Comparator.<ConnRow>comparingInt(r -> r.snapshot().numSubs()).reversed();
            case PENDING -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().pendingBytes()).reversed();
            case MSGS_TO -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().outMsgs()).reversed();
            case MSGS_FROM -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().inMsgs()).reversed();
            case BYTES_TO -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().outBytes()).reversed();
            case BYTES_FROM -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().inBytes()).reversed();
            case LAST -> Comparator.<ConnRow, java.time.Instant>comparing(r -> r.snapshot().lastActivity())
                    .reversed();
            case IDLE -> Comparator.<ConnRow, java.time.Duration>comparing(ConnRow::idle).reversed();
            case UPTIME -> Comparator.comparing(ConnRow::uptime);
            case STOP -> Comparator.<ConnRow, java.time.Instant>comparing(r -> r.stop()).reversed();
            case REASON -> Comparator.comparing(ConnRow::reasonText);
            case RTT -> Comparator.<ConnRow>comparingLong(r -> r.snapshot().rttNanos()).reversed();
        };
    }
}
