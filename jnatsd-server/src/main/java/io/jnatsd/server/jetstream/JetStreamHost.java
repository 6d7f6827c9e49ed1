package io.jnatsd.server.jetstream;

import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What JetStream needs from the server it runs in: identity, accounts, internal clients and timers. Implemented by
 * {@code NatsServer}; tests may implement it directly. Implementations are thread-safe.
 */
public interface JetStreamHost {

    /** The server name ({@code server_name} or the id). */
    String serverName();

    /** The server's public NKey. */
    String serverId();

    /** The system account (JetStream is never started without one). */
    Account systemAccount();

    /** The system account's internal client. */
    Connection systemClient();

    /** A new internal client of kind {@code JETSTREAM} bound to {@code account}. */
    Connection createInternalClient(Account account);

    /** The account named {@code name} (config mode or a loaded account JWT), or null. */
    Account findAccount(String name);

    /** Timers for housekeeping (they hand work to virtual threads; they must not block). */
    ScheduledExecutorService timers();

    /** The maximum payload of a client message ({@code max_payload}). */
    long maxPayloadBytes();

    /** The maximum pending bytes of a client ({@code max_pending}): the default {@code max_bytes} of direct gets. */
    long maxPendingBytes();
}
