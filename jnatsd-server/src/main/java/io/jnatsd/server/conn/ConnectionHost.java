package io.jnatsd.server.conn;

import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.ServerInfo;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.auth.Authenticator;

/**
 * What a connection needs from the server that owns it. The server implements it; tests may too. Every method is
 * thread-safe.
 */
public interface ConnectionHost {

    /** The options in force now (replaced on reload). */
    ServerOptions options();

    /** The INFO template sent to clients (without client_id/client_ip). */
    ServerInfo info();

    /** The account every client joins when no other is assigned. */
    Account globalAccount();

    /** The system account, or null when there is none. */
    Account systemAccount();

    /**
     * The account named {@code name} clients can be bound to in config mode ({@code $G}, the system account and
     * the configured accounts), or null.
     */
    Account lookupAccount(String name);

    /** Who may connect and with which permissions (replaced on reload). */
    Authenticator authenticator();

    /** Server-wide counters. */
    ServerStats stats();

    /** Called once, on the connection's event loop, after a connection has closed. */
    void onConnectionClosed(Connection connection);
}
