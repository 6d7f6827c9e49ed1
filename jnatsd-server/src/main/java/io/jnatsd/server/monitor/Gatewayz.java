package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * {@code /gatewayz}: nats-server's {@code Gatewayz} with gateways off (jnatsd has none yet): the server id, the
 * time and two empty maps.
 */
public record Gatewayz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("outbound_gateways") Map<String, Object> outboundGateways,
        @JsonProperty("inbound_gateways") Map<String, Object> inboundGateways) {
}
