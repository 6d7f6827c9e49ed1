package io.jnatsd.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The {@code client} object of connect, disconnect and auth error events: nats-server's {@code ClientInfo}
 * (events.go); every field is {@code omitempty}, the RTT is integer nanoseconds.
 */
public record ClientInfo(
        @JsonProperty("start") @JsonInclude(Include.NON_NULL) String start,
        @JsonProperty("host") @JsonInclude(Include.NON_DEFAULT) String host,
        @JsonProperty("id") @JsonInclude(Include.NON_DEFAULT) long id,
        @JsonProperty("acc") @JsonInclude(Include.NON_DEFAULT) String account,
        @JsonProperty("svc") @JsonInclude(Include.NON_DEFAULT) String service,
        @JsonProperty("user") @JsonInclude(Include.NON_DEFAULT) String user,
        @JsonProperty("name") @JsonInclude(Include.NON_DEFAULT) String name,
        @JsonProperty("lang") @JsonInclude(Include.NON_DEFAULT) String lang,
        @JsonProperty("ver") @JsonInclude(Include.NON_DEFAULT) String version,
        @JsonProperty("rtt") @JsonInclude(Include.NON_DEFAULT) long rttNanos,
        @JsonProperty("server") @JsonInclude(Include.NON_DEFAULT) String server,
        @JsonProperty("cluster") @JsonInclude(Include.NON_DEFAULT) String cluster,
        @JsonProperty("alts") @JsonInclude(Include.NON_DEFAULT) List<String> alternates,
        @JsonProperty("stop") @JsonInclude(Include.NON_NULL) String stop,
        @JsonProperty("jwt") @JsonInclude(Include.NON_DEFAULT) String jwt,
        @JsonProperty("issuer_key") @JsonInclude(Include.NON_DEFAULT) String issuerKey,
        @JsonProperty("name_tag") @JsonInclude(Include.NON_DEFAULT) String nameTag,
        @JsonProperty("tags") @JsonInclude(Include.NON_DEFAULT) List<String> tags,
        @JsonProperty("kind") @JsonInclude(Include.NON_DEFAULT) String kind,
        @JsonProperty("client_type") @JsonInclude(Include.NON_DEFAULT) String clientType,
        @JsonProperty("client_id") @JsonInclude(Include.NON_DEFAULT) String mqttClientId,
        @JsonProperty("nonce") @JsonInclude(Include.NON_DEFAULT) String nonce,
        @JsonProperty("reply") @JsonInclude(Include.NON_DEFAULT) String reply) {
}
