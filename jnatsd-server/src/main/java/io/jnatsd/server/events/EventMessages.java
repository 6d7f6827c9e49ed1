package io.jnatsd.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.monitor.AccountStatz;
import io.jnatsd.server.monitor.JetStreamVarz;
import io.jnatsd.server.monitor.Varz;
import io.jnatsd.server.ocsp.CertInfo;

/** The bodies of the system events (events.go), field for field in nats-server's order. */
public final class EventMessages {

    /** {@code ConnectEventMsg.type}. */
    public static final String CONNECT_TYPE = "io.nats.server.advisory.v1.client_connect";
    /** {@code DisconnectEventMsg.type} (also of auth error events). */
    public static final String DISCONNECT_TYPE = "io.nats.server.advisory.v1.client_disconnect";
    /** {@code AccountNumConns.type}. */
    public static final String ACCOUNT_CONNECTIONS_TYPE = "io.nats.server.advisory.v1.account_connections";

    /** {@code OCSPPeerRejectEventMsg.type}. */
    public static final String OCSP_PEER_REJECT_TYPE = "io.nats.server.advisory.v1.ocsp_peer_reject";
    /** {@code OCSPPeerChainlinkInvalidEventMsg.type}. */
    public static final String OCSP_PEER_LINK_INVALID_TYPE = "io.nats.server.advisory.v1.ocsp_peer_link_invalid";

    private EventMessages() {
    }

    /** {@code $SYS.SERVER.<id>.OCSP.PEER.CONN.REJECT}: {@code OCSPPeerRejectEventMsg}. */
    public record OcspPeerRejectEvent(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("timestamp") String timestamp,
            @JsonProperty("kind") String kind,
            @JsonProperty("peer") CertInfo peer,
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("reason") String reason) {
    }

    /** {@code $SYS.SERVER.<id>.OCSP.PEER.LINK.INVALID}: {@code OCSPPeerChainlinkInvalidEventMsg}. */
    public record OcspPeerLinkInvalidEvent(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("timestamp") String timestamp,
            @JsonProperty("link") CertInfo link,
            @JsonProperty("peer") CertInfo peer,
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("reason") String reason) {
    }

    /** {@code $SYS.ACCOUNT.<acc>.CONNECT}. */
    public record ConnectEvent(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("timestamp") String timestamp,
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("client") ClientInfo client) {
    }

    /** {@code $SYS.ACCOUNT.<acc>.DISCONNECT} and the auth error events. */
    public record DisconnectEvent(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("timestamp") String timestamp,
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("client") ClientInfo client,
            @JsonProperty("sent") AccountStatz.DataStats sent,
            @JsonProperty("received") AccountStatz.DataStats received,
            @JsonProperty("reason") String reason) {
    }

    /** {@code $SYS.ACCOUNT.<acc>.SERVER.CONNS}: {@code AccountNumConns} (the typed event with the account stat). */
    public record AccountConnections(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id,
            @JsonProperty("timestamp") String timestamp,
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("acc") String account,
            @JsonProperty("name") String name,
            @JsonProperty("conns") int conns,
            @JsonProperty("leafnodes") int leafnodes,
            @JsonProperty("total_conns") int totalConns,
            @JsonProperty("num_subscriptions") long numSubscriptions,
            @JsonProperty("sent") AccountStatz.DataStats sent,
            @JsonProperty("received") AccountStatz.DataStats received,
            @JsonProperty("slow_consumers") long slowConsumers) {
    }

    /** {@code $SYS.SERVER.<id>.STATSZ}: {@code ServerStatsMsg}. */
    public record ServerStatsMsg(
            @JsonProperty("server") EventServerInfo server,
            @JsonProperty("statsz") ServerStats statsz) {
    }

    /** nats-server's {@code ServerStats}. */
    public record ServerStats(
            @JsonProperty("start") String start,
            @JsonProperty("mem") long mem,
            @JsonProperty("cores") int cores,
            @JsonProperty("cpu") double cpu,
            @JsonProperty("connections") int connections,
            @JsonProperty("total_connections") long totalConnections,
            @JsonProperty("active_accounts") int activeAccounts,
            @JsonProperty("subscriptions") long subscriptions,
            @JsonProperty("sent") AccountStatz.DataStats sent,
            @JsonProperty("sent_to_clients") AccountStatz.DataStats sentToClients,
            @JsonProperty("received") AccountStatz.DataStats received,
            @JsonProperty("received_from_clients") AccountStatz.DataStats receivedFromClients,
            @JsonProperty("slow_consumers") long slowConsumers,
            @JsonProperty("slow_consumer_stats") @JsonInclude(Include.NON_NULL) Varz.KindCounts slowConsumerStats,
            @JsonProperty("stale_connections") @JsonInclude(Include.NON_DEFAULT) long staleConnections,
            @JsonProperty("stale_connection_stats") @JsonInclude(Include.NON_NULL)
            Varz.KindCounts staleConnectionStats,
            @JsonProperty("stalled_clients") @JsonInclude(Include.NON_DEFAULT) long stalledClients,
            @JsonProperty("active_servers") @JsonInclude(Include.NON_DEFAULT) int activeServers,
            @JsonProperty("jetstream") @JsonInclude(Include.NON_NULL) JetStreamVarz jetstream,
            @JsonProperty("gomaxprocs") @JsonInclude(Include.NON_DEFAULT) int gomaxprocs) {
    }
}
