package io.jnatsd.server.conn;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What monitoring ({@code /connz}, the closed-connection ring, {@code $SYS} connect and disconnect events) sees of a
 * connection at one moment: taken on the connection's event loop, so every field is consistent. Immutable.
 *
 * @param cid             connection id
 * @param kind            what the connection is
 * @param clientType      {@code nats} for a client of the client port (WebSocket and MQTT clients report their own),
 *                        empty for other kinds
 * @param ip              the client's address (after a PROXY header), empty for internal connections
 * @param port            the client's port, 0 for internal connections
 * @param start           when the connection was accepted
 * @param lastActivity    nats-server's {@code last}: last read with messages or subscription changes, or last
 *                        delivery
 * @param stop            when it closed, or null while open
 * @param rttNanos        the last measured round trip time, 0 if unknown
 * @param pendingBytes    output queued and not yet written
 * @param inMsgs          messages received from the peer
 * @param outMsgs         messages delivered to the peer
 * @param inBytes         payload bytes received
 * @param outBytes        payload bytes delivered
 * @param name            CONNECT {@code name}, or null
 * @param lang            CONNECT {@code lang}, or null
 * @param version         CONNECT {@code version}, or null
 * @param tlsVersion      {@code 1.2}/{@code 1.3}, or null without TLS
 * @param tlsCipher       the negotiated cipher suite, or null
 * @param peerCertificates the TLS client's certificate chain (empty without one)
 * @param tlsFirst        whether the TLS handshake came before the INFO (handshake_first)
 * @param authorizedUser  nats-server's {@code getRawAuthUser}: nkey, user name, JWT user key or
 *                        {@code [REDACTED]} for a token; empty when none
 * @param account         the bound account's name, or null
 * @param jwt             the user JWT (empty for a bearer token, as nats-server redacts it), or null
 * @param issuerKey       the key that signed the user JWT, or null
 * @param nameTag         the account's name tag (operator mode), or null
 * @param proxyKey        the trusted proxy the client came through, or null
 * @param protocol        CONNECT {@code protocol}
 * @param asyncInfo       whether the client takes asynchronous INFO (protocol 1 and first PONG sent)
 * @param numSubs         number of subscriptions
 * @param subscriptions   the subscriptions, or null when not asked for
 */
public record ConnectionSnapshot(long cid, ConnectionKind kind, String clientType, String ip, int port, Instant start,
                                 Instant lastActivity, Instant stop, long rttNanos, long pendingBytes, long inMsgs,
                                 long outMsgs, long inBytes, long outBytes, String name, String lang,
                                 String version, String tlsVersion, String tlsCipher,
                                 List<X509Certificate> peerCertificates, boolean tlsFirst, String authorizedUser,
                                 String account, String jwt, String issuerKey, String nameTag, String proxyKey,
                                 int protocol, boolean asyncInfo, int numSubs,
                                 List<SubscriptionSnapshot> subscriptions) {

    /**
     * One subscription as monitoring lists it ({@code SubDetail}).
     *
     * @param account the account's name
     * @param subject subject
     * @param queue   queue group, or null
     * @param sid     subscription id
     * @param msgs    messages delivered
     * @param max     auto-unsubscribe limit, 0 for none
     * @param cid     the owning connection's id
     */
    public record SubscriptionSnapshot(String account, String subject, String queue, String sid, long msgs, long max,
                                       long cid) {
    }
}
