package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * {@code /varz}: nats-server's {@code Varz} (monitor.go), field for field in its order. Durations are integer
 * nanoseconds and times RFC 3339 strings, as Go's encoder writes them. The sub-objects of subsystems jnatsd does not
 * have (cluster, gateway, leaf nodes, MQTT, WebSocket) are written empty, as nats-server writes them when the
 * subsystem is off; {@code jetstream} is {@link JetStreamVarz}.
 */
public record Varz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("git_commit") @JsonInclude(Include.NON_DEFAULT) String gitCommit,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("auth_required") @JsonInclude(Include.NON_DEFAULT) boolean authRequired,
        @JsonProperty("tls_required") @JsonInclude(Include.NON_DEFAULT) boolean tlsRequired,
        @JsonProperty("tls_verify") @JsonInclude(Include.NON_DEFAULT) boolean tlsVerify,
        @JsonProperty("tls_ocsp_peer_verify") @JsonInclude(Include.NON_DEFAULT) boolean tlsOcspPeerVerify,
        @JsonProperty("ip") @JsonInclude(Include.NON_DEFAULT) String ip,
        @JsonProperty("connect_urls") @JsonInclude(Include.NON_DEFAULT) List<String> connectUrls,
        @JsonProperty("ws_connect_urls") @JsonInclude(Include.NON_DEFAULT) List<String> wsConnectUrls,
        @JsonProperty("max_connections") int maxConnections,
        @JsonProperty("max_subscriptions") @JsonInclude(Include.NON_DEFAULT) int maxSubscriptions,
        @JsonProperty("ping_interval") long pingIntervalNanos,
        @JsonProperty("ping_max") int pingMax,
        @JsonProperty("http_host") String httpHost,
        @JsonProperty("http_port") int httpPort,
        @JsonProperty("http_base_path") String httpBasePath,
        @JsonProperty("https_port") int httpsPort,
        @JsonProperty("auth_timeout") double authTimeoutSeconds,
        @JsonProperty("max_control_line") int maxControlLine,
        @JsonProperty("max_payload") int maxPayload,
        @JsonProperty("max_pending") long maxPending,
        @JsonProperty("cluster") Empty cluster,
        @JsonProperty("gateway") Empty gateway,
        @JsonProperty("leaf") Empty leaf,
        @JsonProperty("mqtt") Empty mqtt,
        @JsonProperty("websocket") Empty websocket,
        @JsonProperty("jetstream") JetStreamVarz jetstream,
        @JsonProperty("tls_timeout") double tlsTimeoutSeconds,
        @JsonProperty("write_deadline") long writeDeadlineNanos,
        @JsonProperty("write_timeout") @JsonInclude(Include.NON_DEFAULT) String writeTimeout,
        @JsonProperty("start") String start,
        @JsonProperty("now") String now,
        @JsonProperty("uptime") String uptime,
        @JsonProperty("mem") long mem,
        @JsonProperty("cores") int cores,
        @JsonProperty("gomaxprocs") int gomaxprocs,
        @JsonProperty("gomemlimit") @JsonInclude(Include.NON_DEFAULT) long gomemlimit,
        @JsonProperty("cpu") double cpu,
        @JsonProperty("connections") int connections,
        @JsonProperty("total_connections") long totalConnections,
        @JsonProperty("routes") int routes,
        @JsonProperty("remotes") int remotes,
        @JsonProperty("leafnodes") int leafnodes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        @JsonProperty("in_client_msgs") long inClientMsgs,
        @JsonProperty("in_client_bytes") long inClientBytes,
        @JsonProperty("out_client_msgs") long outClientMsgs,
        @JsonProperty("out_client_bytes") long outClientBytes,
        @JsonProperty("slow_consumers") long slowConsumers,
        @JsonProperty("stale_connections") long staleConnections,
        @JsonProperty("stalled_clients") long stalledClients,
        @JsonProperty("subscriptions") long subscriptions,
        @JsonProperty("http_req_stats") Map<String, Long> httpReqStats,
        @JsonProperty("config_load_time") String configLoadTime,
        @JsonProperty("config_digest") String configDigest,
        @JsonProperty("tags") @JsonInclude(Include.NON_DEFAULT) List<String> tags,
        @JsonProperty("metadata") @JsonInclude(Include.NON_DEFAULT) Map<String, String> metadata,
        @JsonProperty("feature_flags") @JsonInclude(Include.NON_DEFAULT) Map<String, Boolean> featureFlags,
        @JsonProperty("trusted_operators_jwt") @JsonInclude(Include.NON_DEFAULT) List<String> trustedOperatorsJwt,
        @JsonProperty("trusted_operators_claim") @JsonInclude(Include.NON_DEFAULT)
        List<Object> trustedOperatorsClaim,
        @JsonProperty("system_account") @JsonInclude(Include.NON_DEFAULT) String systemAccount,
        @JsonProperty("pinned_account_fails") @JsonInclude(Include.NON_DEFAULT) long pinnedAccountFails,
        @JsonProperty("ocsp_peer_cache") @JsonInclude(Include.NON_NULL) OcspCache ocspPeerCache,
        @JsonProperty("slow_consumer_stats") KindCounts slowConsumerStats,
        @JsonProperty("stale_connection_stats") @JsonInclude(Include.NON_NULL) KindCounts staleConnectionStats,
        @JsonProperty("disk_io_wait_stats") DiskIoWaitStats diskIoWaitStats,
        @JsonProperty("proxies") @JsonInclude(Include.NON_NULL) Proxies proxies) {

    /** {@code OCSPResponseCacheVarz}: the OCSP peer verification cache (a local one only). */
    @JsonInclude(Include.NON_DEFAULT)
    public record OcspCache(
            @JsonProperty("cache_type") String type,
            @JsonProperty("cache_hits") long hits,
            @JsonProperty("cache_misses") long misses,
            @JsonProperty("cached_responses") long responses,
            @JsonProperty("cached_revoked_responses") long revokes,
            @JsonProperty("cached_good_responses") long goods,
            @JsonProperty("cached_unknown_responses") long unknowns) {
    }

    /** An empty object: a subsystem that is off (Go writes its zero struct as {@code {}}). */
    public record Empty() {
        /** The one instance. */
        public static final Empty INSTANCE = new Empty();
    }

    /** Per connection kind counts ({@code SlowConsumersStats}, {@code StaleConnectionStats}). */
    public record KindCounts(
            @JsonProperty("clients") long clients,
            @JsonProperty("routes") long routes,
            @JsonProperty("gateways") long gateways,
            @JsonProperty("leafs") long leafs) {
    }

    /** {@code DiskIOWaitStats}: JetStream's disk semaphore, all zero without JetStream. */
    public record DiskIoWaitStats(
            @JsonProperty("waiters") long waiters,
            @JsonProperty("waits") long waits,
            @JsonProperty("wait_time") long waitTime,
            @JsonProperty("max_wait_time") long maxWaitTime) {
    }

    /** {@code ProxiesOptsVarz}: the trusted proxies. */
    public record Proxies(@JsonProperty("trusted") @JsonInclude(Include.NON_DEFAULT) List<Proxy> trusted) {
    }

    /** One trusted proxy key. */
    public record Proxy(@JsonProperty("key") String key) {
    }
}
