package io.jnatsd.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The {@code server} object of every system event and reply: nats-server's {@code ServerInfo} (events.go), stamped
 * with the next sequence number and the time when the message is sent.
 *
 * @param name         server name
 * @param host         client listen host
 * @param id           server id
 * @param cluster      cluster name, empty without one
 * @param domain       JetStream domain, empty without one
 * @param version      server version
 * @param tags         server tags
 * @param metadata     server metadata
 * @param featureFlags feature flags
 * @param jetstream    whether JetStream is enabled
 * @param flags        capability bits (1 JetStream, 2 binary stream snapshots, 4 account NRG)
 * @param seq          per-server message sequence
 * @param time         when sent (RFC 3339)
 */
public record EventServerInfo(
        @JsonProperty("name") String name,
        @JsonProperty("host") String host,
        @JsonProperty("id") String id,
        @JsonProperty("cluster") @JsonInclude(Include.NON_DEFAULT) String cluster,
        @JsonProperty("domain") @JsonInclude(Include.NON_DEFAULT) String domain,
        @JsonProperty("ver") String version,
        @JsonProperty("tags") @JsonInclude(Include.NON_DEFAULT) List<String> tags,
        @JsonProperty("metadata") @JsonInclude(Include.NON_DEFAULT) Map<String, String> metadata,
        @JsonProperty("feature_flags") @JsonInclude(Include.NON_DEFAULT) Map<String, Boolean> featureFlags,
        @JsonProperty("jetstream") boolean jetstream,
        @JsonProperty("flags") long flags,
        @JsonProperty("seq") long seq,
        @JsonProperty("time") String time) {
}
