package io.jnatsd.server.conn;

/**
 * What a {@link Connection} is, as nats-server's {@code client.kind}: every kind shares one connection class and
 * one delivery path; kind-specific state hangs off the connection. Names are log-visible and kept from Go.
 */
public enum ConnectionKind {
    /** An application client on the client port. */
    CLIENT("cid", "Client"),
    /** A route to another server of the cluster. */
    ROUTER("rid", "Router"),
    /** A gateway to another cluster. */
    GATEWAY("gid", "Gateway"),
    /** A leaf node connection. */
    LEAF("lid", "Leafnode"),
    /** The server's internal client for the system account. */
    SYSTEM("SYSTEM", "System"),
    /** The internal client JetStream publishes with. */
    JETSTREAM("JETSTREAM", "JetStream"),
    /** An account's internal client (service imports, responses). */
    ACCOUNT("ACCOUNT", "Account");

    private final String logId;
    private final String displayName;

    ConnectionKind(String logId, String displayName) {
        this.logId = logId;
        this.displayName = displayName;
    }

    /** The id tag in log prefixes ({@code cid}, {@code rid}, ...), or the whole tag for internal kinds. */
    public String logId() {
        return logId;
    }

    /** nats-server's {@code kindString()}: "Client", "Router", ... */
    public String displayName() {
        return displayName;
    }

    /** Whether this kind has no network connection. */
    public boolean isInternal() {
        return this == SYSTEM || this == JETSTREAM || this == ACCOUNT;
    }
}
