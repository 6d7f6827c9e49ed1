package io.jnatsd.server;

import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionSnapshot;

import java.time.Instant;

/**
 * What is remembered of a closed connection for {@code /connz?state=closed}: its last snapshot (subscriptions
 * included), when and why it closed. Immutable.
 *
 * @param connection the connection as it was when it closed
 * @param stop       when it closed
 * @param reason     why
 */
public record ClosedConnection(ConnectionSnapshot connection, Instant stop, ClosedState reason) {

    /** The connection id. */
    public long cid() {
        return connection.cid();
    }

    static ClosedConnection of(Connection c) {
        return new ClosedConnection(c.closedSnapshot(), c.stopTime(), c.closedState());
    }
}
