package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code /connz}: nats-server's {@code Connz} (monitor.go). {@code connections} is never null (an empty list when
 * nothing matches).
 *
 * @param serverId       {@code server_id}
 * @param now            {@code now}
 * @param numConnections entries returned
 * @param total          entries before paging
 * @param offset         paging offset
 * @param limit          paging limit
 * @param connections    the entries
 */
public record Connz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("num_connections") int numConnections,
        @JsonProperty("total") int total,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("connections") List<ConnInfo> connections) {

    /** One connection ({@code ConnInfo}); {@code omitempty} fields are left out when zero, as Go does. */
    public record ConnInfo(
            @JsonProperty("cid") long cid,
            @JsonProperty("kind") @JsonInclude(Include.NON_DEFAULT) String kind,
            @JsonProperty("type") @JsonInclude(Include.NON_DEFAULT) String type,
            @JsonProperty("ip") String ip,
            @JsonProperty("port") int port,
            @JsonProperty("start") String start,
            @JsonProperty("last_activity") String lastActivity,
            @JsonProperty("stop") @JsonInclude(Include.NON_NULL) String stop,
            @JsonProperty("reason") @JsonInclude(Include.NON_DEFAULT) String reason,
            @JsonProperty("rtt") @JsonInclude(Include.NON_DEFAULT) String rtt,
            @JsonProperty("uptime") String uptime,
            @JsonProperty("idle") String idle,
            @JsonProperty("pending_bytes") long pendingBytes,
            @JsonProperty("in_msgs") long inMsgs,
            @JsonProperty("out_msgs") long outMsgs,
            @JsonProperty("in_bytes") long inBytes,
            @JsonProperty("out_bytes") long outBytes,
            @JsonProperty("stalls") @JsonInclude(Include.NON_DEFAULT) long stalls,
            @JsonProperty("subscriptions") int subscriptions,
            @JsonProperty("name") @JsonInclude(Include.NON_DEFAULT) String name,
            @JsonProperty("lang") @JsonInclude(Include.NON_DEFAULT) String lang,
            @JsonProperty("version") @JsonInclude(Include.NON_DEFAULT) String version,
            @JsonProperty("tls_version") @JsonInclude(Include.NON_DEFAULT) String tlsVersion,
            @JsonProperty("tls_cipher_suite") @JsonInclude(Include.NON_DEFAULT) String tlsCipherSuite,
            @JsonProperty("tls_peer_certs") @JsonInclude(Include.NON_DEFAULT) List<TlsPeerCert> tlsPeerCerts,
            @JsonProperty("tls_first") @JsonInclude(Include.NON_DEFAULT) boolean tlsFirst,
            @JsonProperty("authorized_user") @JsonInclude(Include.NON_DEFAULT) String authorizedUser,
            @JsonProperty("account") @JsonInclude(Include.NON_DEFAULT) String account,
            @JsonProperty("subscriptions_list") @JsonInclude(Include.NON_DEFAULT) List<String> subscriptionsList,
            @JsonProperty("subscriptions_list_detail") @JsonInclude(Include.NON_DEFAULT)
            List<SubDetail> subscriptionsListDetail,
            @JsonProperty("jwt") @JsonInclude(Include.NON_DEFAULT) String jwt,
            @JsonProperty("issuer_key") @JsonInclude(Include.NON_DEFAULT) String issuerKey,
            @JsonProperty("name_tag") @JsonInclude(Include.NON_DEFAULT) String nameTag,
            @JsonProperty("tags") @JsonInclude(Include.NON_DEFAULT) List<String> tags,
            @JsonProperty("mqtt_client") @JsonInclude(Include.NON_DEFAULT) String mqttClient,
            @JsonProperty("proxy") @JsonInclude(Include.NON_NULL) ProxyInfo proxy) {
    }

    /** A TLS peer certificate ({@code TLSPeerCert}). */
    public record TlsPeerCert(
            @JsonProperty("subject") @JsonInclude(Include.NON_DEFAULT) String subject,
            @JsonProperty("spki_sha256") @JsonInclude(Include.NON_DEFAULT) String spkiSha256,
            @JsonProperty("cert_sha256") @JsonInclude(Include.NON_DEFAULT) String certSha256) {
    }

    /** The trusted proxy a connection came through ({@code ProxyInfo}). */
    public record ProxyInfo(@JsonProperty("key") String key) {
    }

    /**
     * A subscription ({@code SubDetail}); the account fields are set in {@code /subsz} and for closed connections,
     * not for open ones under {@code /connz}.
     */
    public record SubDetail(
            @JsonProperty("account") @JsonInclude(Include.NON_DEFAULT) String account,
            @JsonProperty("account_tag") @JsonInclude(Include.NON_DEFAULT) String accountTag,
            @JsonProperty("subject") String subject,
            @JsonProperty("qgroup") @JsonInclude(Include.NON_DEFAULT) String queue,
            @JsonProperty("sid") String sid,
            @JsonProperty("msgs") long msgs,
            @JsonProperty("max") @JsonInclude(Include.NON_DEFAULT) long max,
            @JsonProperty("cid") long cid) {
    }
}
