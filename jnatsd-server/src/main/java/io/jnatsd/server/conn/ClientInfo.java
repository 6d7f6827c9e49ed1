package io.jnatsd.server.conn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What the server tells about a client in events, service latency results and the {@code Nats-Request-Info}
 * header of requests crossing a service import ({@code server/events.go ClientInfo}); every field is omitted when
 * empty, as Go's {@code omitempty}. Durations are nanoseconds, times RFC 3339 strings as Go writes them.
 * Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ClientInfo(@JsonProperty("start") String start,
                         @JsonProperty("host") String host,
                         @JsonProperty("id") long id,
                         @JsonProperty("acc") String account,
                         @JsonProperty("svc") String service,
                         @JsonProperty("user") String user,
                         @JsonProperty("name") String name,
                         @JsonProperty("lang") String lang,
                         @JsonProperty("ver") String version,
                         @JsonProperty("rtt") long rttNanos,
                         @JsonProperty("server") String server,
                         @JsonProperty("cluster") String cluster,
                         @JsonProperty("alts") List<String> alternates,
                         @JsonProperty("stop") String stop,
                         @JsonProperty("jwt") String jwt,
                         @JsonProperty("issuer_key") String issuerKey,
                         @JsonProperty("name_tag") String nameTag,
                         @JsonProperty("tags") List<String> tags,
                         @JsonProperty("kind") String kind,
                         @JsonProperty("client_type") String clientType,
                         @JsonProperty("client_id") String mqttClientId,
                         @JsonProperty("nonce") String nonce,
                         @JsonProperty("reply") String reply) {

    /** This info with the server's name (and cluster, none yet) added ({@code client.go addServerAndClusterInfo}). */
    public ClientInfo withServer(String serverName) {
        return new ClientInfo(start, host, id, account, service, user, name, lang, version, rttNanos, serverName,
                cluster, alternates, stop, jwt, issuerKey, nameTag, tags, kind, clientType, mqttClientId, nonce,
                reply);
    }

    /** This info with the requestor's original reply subject (a fast batch publish, {@code client.go}). */
    public ClientInfo withReply(String value) {
        return new ClientInfo(start, host, id, account, service, user, name, lang, version, rttNanos, server, cluster,
                alternates, stop, jwt, issuerKey, nameTag, tags, kind, clientType, mqttClientId, nonce, value);
    }

    /** This info naming the account whose service it passed through. */
    public ClientInfo withService(String value) {
        return new ClientInfo(start, host, id, account, value, user, name, lang, version, rttNanos, server, cluster,
                alternates, stop, jwt, issuerKey, nameTag, tags, kind, clientType, mqttClientId, nonce, reply);
    }
}
