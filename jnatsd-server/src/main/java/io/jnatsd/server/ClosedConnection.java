package io.jnatsd.server;

import io.jnatsd.server.conn.ClientOptions;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;

import java.time.Duration;
import java.time.Instant;

/**
 * What is remembered of a closed connection for {@code /connz?state=closed}. {@code clientType} is what
 * {@code /connz} reports as {@code type}: {@code nats} or {@code websocket} ({@link Connection#clientType()}).
 * Immutable.
 */
public record ClosedConnection(long cid, String ip, int port, Instant start, Instant stop, ClosedState reason,
                               String name, String lang, String version, String account, long inMsgs, long outMsgs,
                               long inBytes, long outBytes, Duration rtt, String clientType) {

    static ClosedConnection of(Connection c) {
        ClientOptions o = c.clientOptions();
        return new ClosedConnection(c.cid(), c.ip(), c.port(), c.startTime(), c.stopTime(), c.closedState(), o.name,
                o.lang, o.version, c.account() == null ? null : c.account().name(), c.inMsgs(), c.outMsgs(),
                c.inBytes(), c.outBytes(), c.rtt(), c.clientType());
    }
}
