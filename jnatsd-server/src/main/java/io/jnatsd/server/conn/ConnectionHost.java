package io.jnatsd.server.conn;

import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.ServerInfo;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.auth.AuthCallout;
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

    /**
     * Who may connect over WebSocket: {@link #authenticator()} with the {@code websocket} block's overrides (its
     * user, token, {@code no_auth_user} and certificate mapping). Replaced on reload.
     */
    Authenticator webSocketAuthenticator();

    /**
     * The INFO template of WebSocket clients: the listener's host, port and TLS, and {@code auth_required} as the
     * WebSocket authenticator decides it.
     */
    ServerInfo webSocketInfo();

    /**
     * The auth callout: set with config mode's {@code auth_callout} and in operator mode (where accounts may
     * delegate their users); null otherwise.
     */
    AuthCallout authCallout();

    /** Server-wide counters. */
    ServerStats stats();

    /** Called once, on the connection's event loop, after a connection has closed. */
    void onConnectionClosed(Connection connection);

    /** A client passed authentication (its CONNECT was accepted). On the connection's event loop. */
    void onClientAuthorized(Connection connection);

    /** A client failed authentication and is about to close for {@code reason}. On the connection's event loop. */
    void onAuthorizationFailed(Connection connection, ClosedState reason);

    /** The number of client connections bound to {@code account} changed. On the connection's event loop. */
    void onAccountConnectionsChanged(Account account);
}
