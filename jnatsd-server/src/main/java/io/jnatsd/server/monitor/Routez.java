package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code /routez}: nats-server's {@code Routez}. jnatsd has no routes yet, so it answers what nats-server answers
 * without a cluster: no routes, an empty list.
 */
public record Routez(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("now") String now,
        @JsonProperty("num_routes") int numRoutes,
        @JsonProperty("routes") List<Object> routes) {
}
