package io.jnatsd.server.monitor;

import io.jnatsd.server.conn.ConnectionSnapshot;

import java.time.Duration;
import java.time.Instant;

/**
 * One connection while {@code /connz} is built: its snapshot, and for a closed one when and why it closed.
 *
 * @param snapshot the connection
 * @param stop     when it closed, null while open
 * @param reason   why it closed ({@code ClosedState} text), null while open
 * @param now      the time of the request
 */
record ConnRow(ConnectionSnapshot snapshot, Instant stop, String reason, Instant now) {

    /** Time since the last activity (nats-server sorts closed connections by it too, against now). */
    Duration idle() {
        return Duration.between(snapshot.lastActivity(), now);
    }

    /** How long the connection lived: to its stop when closed, else to now. */
    Duration uptime() {
        return Duration.between(snapshot.start(), stop == null ? now : stop);
    }

    String reasonText() {
        return reason == null ? "" : reason;
    }
}
