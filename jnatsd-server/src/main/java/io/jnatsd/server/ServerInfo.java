package io.jnatsd.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The INFO a server sends to clients, field for field and in the order of nats-server's {@code Info} struct
 * ({@code server.go}); {@code omitempty} fields are left out when zero, as Go's encoder does.
 */
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "git_commit", "go", "host", "port", "headers",
        "auth_required", "tls_required", "tls_verify", "tls_available", "max_payload", "jetstream", "ip", "client_id",
        "client_ip", "nonce", "cluster", "cluster_dynamic", "domain", "connect_urls", "ws_connect_urls", "ldm",
        "compression", "connect_info", "remote_account", "acc_is_sys", "api_lvl", "xkey"})
public record ServerInfo(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("git_commit") @JsonInclude(Include.NON_EMPTY) String gitCommit,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("auth_required") @JsonInclude(Include.NON_DEFAULT) boolean authRequired,
        @JsonProperty("tls_required") @JsonInclude(Include.NON_DEFAULT) boolean tlsRequired,
        @JsonProperty("tls_verify") @JsonInclude(Include.NON_DEFAULT) boolean tlsVerify,
        @JsonProperty("tls_available") @JsonInclude(Include.NON_DEFAULT) boolean tlsAvailable,
        @JsonProperty("max_payload") int maxPayload,
        @JsonProperty("jetstream") @JsonInclude(Include.NON_DEFAULT) boolean jetstream,
        @JsonProperty("ip") @JsonInclude(Include.NON_EMPTY) String ip,
        @JsonProperty("client_id") @JsonInclude(Include.NON_DEFAULT) long clientId,
        @JsonProperty("client_ip") @JsonInclude(Include.NON_EMPTY) String clientIp,
        @JsonProperty("nonce") @JsonInclude(Include.NON_EMPTY) String nonce,
        @JsonProperty("cluster") @JsonInclude(Include.NON_EMPTY) String cluster,
        @JsonProperty("cluster_dynamic") @JsonInclude(Include.NON_DEFAULT) boolean clusterDynamic,
        @JsonProperty("domain") @JsonInclude(Include.NON_EMPTY) String domain,
        @JsonProperty("connect_urls") @JsonInclude(Include.NON_EMPTY) List<String> connectUrls,
        @JsonProperty("ws_connect_urls") @JsonInclude(Include.NON_EMPTY) List<String> wsConnectUrls,
        @JsonProperty("ldm") @JsonInclude(Include.NON_DEFAULT) boolean lameDuckMode,
        @JsonProperty("compression") @JsonInclude(Include.NON_EMPTY) String compression,
        @JsonProperty("connect_info") @JsonInclude(Include.NON_DEFAULT) boolean connectInfo,
        @JsonProperty("remote_account") @JsonInclude(Include.NON_EMPTY) String remoteAccount,
        @JsonProperty("acc_is_sys") @JsonInclude(Include.NON_DEFAULT) boolean accountIsSystem,
        @JsonProperty("api_lvl") @JsonInclude(Include.NON_DEFAULT) int apiLevel,
        @JsonProperty("xkey") @JsonInclude(Include.NON_EMPTY) String xkey) {

    /** The same INFO for one client: its id and address. */
    public ServerInfo forClient(long cid, String ip) {
        return forClient(cid, ip, nonce);
    }

    /** The same INFO for one client: its id, address and the nonce it must sign (null for none). */
    public ServerInfo forClient(long cid, String ip, String clientNonce) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetstream, this.ip, cid, ip, clientNonce, cluster,
                clusterDynamic, domain, connectUrls, wsConnectUrls, lameDuckMode, compression, connectInfo,
                remoteAccount, accountIsSystem, apiLevel, xkey);
    }

    /** The same INFO with another {@code tls_required} (the handshake_first INFO says true). */
    public ServerInfo withTlsRequired(boolean required) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                required, tlsVerify, tlsAvailable, maxPayload, jetstream, ip, clientId, clientIp, nonce, cluster,
                clusterDynamic, domain, connectUrls, wsConnectUrls, lameDuckMode, compression, connectInfo,
                remoteAccount, accountIsSystem, apiLevel, xkey);
    }

    /** The same INFO with another {@code auth_required}. */
    public ServerInfo withAuthRequired(boolean required) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, required,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetstream, ip, clientId, clientIp, nonce, cluster,
                clusterDynamic, domain, connectUrls, wsConnectUrls, lameDuckMode, compression, connectInfo,
                remoteAccount, accountIsSystem, apiLevel, xkey);
    }

    /**
     * The INFO of the WebSocket listener: its host and port, {@code tls_required} and {@code tls_available} as its
     * TLS, the WebSocket {@code auth_required}, and its connect URLs ({@code ws_connect_urls}, none without a
     * cluster) as {@code connect_urls}. {@code tls_verify} stays the client port's, as in nats-server.
     */
    // nats-server: client.go generateClientInfoJSON (isWebsocket), websocket.go createWSClient
    public ServerInfo forWebSocket(String wsHost, int wsPort, boolean tls, boolean authRequiredWs) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, wsHost, wsPort, headers,
                authRequiredWs, tls, tlsVerify, tls, maxPayload, jetstream, ip, clientId, clientIp, nonce, cluster,
                clusterDynamic, domain, wsConnectUrls, null, lameDuckMode, compression, connectInfo, remoteAccount,
                accountIsSystem, apiLevel, xkey);
    }

    /** The INFO sent after the first PONG of a protocol-1 client ({@code connect_info}). */
    public ServerInfo withConnectInfo(long cid, String clientIp, String account, boolean isSystem) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetstream, ip, cid, clientIp, nonce, cluster,
                clusterDynamic, domain, connectUrls, wsConnectUrls, lameDuckMode, compression, true, account,
                isSystem, apiLevel, xkey);
    }

    /** The lame duck mode INFO. */
    public ServerInfo withLameDuckMode(long cid, String clientIp) {
        return new ServerInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetstream, ip, cid, clientIp, nonce, cluster,
                clusterDynamic, domain, List.of(), wsConnectUrls, true, compression, connectInfo, remoteAccount,
                accountIsSystem, apiLevel, xkey);
    }
}
