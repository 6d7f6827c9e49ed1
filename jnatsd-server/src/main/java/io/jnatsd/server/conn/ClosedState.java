package io.jnatsd.server.conn;

/**
 * Why a connection was closed: nats-server's {@code ClosedState} with its {@code /connz} strings, in Go's order
 * (the ordinal + 1 is Go's numeric value).
 */
public enum ClosedState {
    CLIENT_CLOSED("Client Closed"),
    AUTHENTICATION_TIMEOUT("Authentication Timeout"),
    AUTHENTICATION_VIOLATION("Authentication Failure"),
    TLS_HANDSHAKE_ERROR("TLS Handshake Failure"),
    SLOW_CONSUMER_PENDING_BYTES("Slow Consumer (Pending Bytes)"),
    SLOW_CONSUMER_WRITE_DEADLINE("Slow Consumer (Write Deadline)"),
    WRITE_ERROR("Write Error"),
    READ_ERROR("Read Error"),
    PARSE_ERROR("Parse Error"),
    STALE_CONNECTION("Stale Connection"),
    PROTOCOL_VIOLATION("Protocol Violation"),
    BAD_CLIENT_PROTOCOL_VERSION("Bad Client Protocol Version"),
    WRONG_PORT("Incorrect Port"),
    MAX_ACCOUNT_CONNECTIONS_EXCEEDED("Maximum Account Connections Exceeded"),
    MAX_CONNECTIONS_EXCEEDED("Maximum Connections Exceeded"),
    MAX_PAYLOAD_EXCEEDED("Maximum Message Payload Exceeded"),
    MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded"),
    MAX_SUBSCRIPTIONS_EXCEEDED("Maximum Subscriptions Exceeded"),
    DUPLICATE_ROUTE("Duplicate Route"),
    ROUTE_REMOVED("Route Removed"),
    SERVER_SHUTDOWN("Server Shutdown"),
    AUTHENTICATION_EXPIRED("Authentication Expired"),
    WRONG_GATEWAY("Wrong Gateway"),
    MISSING_ACCOUNT("Missing Account"),
    REVOCATION("Credentials Revoked"),
    INTERNAL_CLIENT("Internal Client"),
    MSG_HEADER_VIOLATION("Message Header Violation"),
    NO_RESPONDERS_REQUIRES_HEADERS("No Responders Requires Headers"),
    CLUSTER_NAME_CONFLICT("Cluster Name Conflict"),
    DUPLICATE_REMOTE_LEAFNODE_CONNECTION("Duplicate Remote LeafNode Connection"),
    DUPLICATE_CLIENT_ID("Duplicate Client ID"),
    DUPLICATE_SERVER_NAME("Duplicate Server Name"),
    MINIMUM_VERSION_REQUIRED("Minimum Version Required"),
    CLUSTER_NAMES_IDENTICAL("Cluster Names Identical"),
    KICKED("Kicked"),
    PROXY_NOT_TRUSTED("Proxy Not Trusted"),
    PROXY_REQUIRED("Proxy Required");

    private final String text;

    ClosedState(String text) {
        this.text = text;
    }

    /** The string {@code /connz} reports as {@code reason}. */
    public String text() {
        return text;
    }

    /** Go's numeric value. */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * Whether output already queued (such as the -ERR just sent) is flushed before the socket closes; nats-server
     * skips it for I/O failures and slow consumers ({@code client.go closeConnection}).
     */
    public boolean flushesBeforeClose() {
        return switch (this) {
            case READ_ERROR, WRITE_ERROR, SLOW_CONSUMER_PENDING_BYTES, SLOW_CONSUMER_WRITE_DEADLINE,
                 TLS_HANDSHAKE_ERROR -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
