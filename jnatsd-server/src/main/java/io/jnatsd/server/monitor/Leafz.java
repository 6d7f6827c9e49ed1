package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code /leafz}: nats-server's {@code Leafz}. Without leaf nodes nats-server writes {@code "leafs": []} (a list
 * made for the connections found), which this mirrors; 2.9.10 wrote {@code null}.
 */
public record Leafz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("leafnodes") int leafnodes,
        @JsonProperty("leafs") List<Object> leafs) {
}
