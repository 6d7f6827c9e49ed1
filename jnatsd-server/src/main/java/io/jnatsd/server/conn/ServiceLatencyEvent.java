package io.jnatsd.server.conn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The {@code io.nats.server.metric.v1.service_latency} JSON a service export with latency tracking publishes on
 * its results subject in the exporting account ({@code server/accounts.go ServiceLatency}). Durations are int64
 * nanoseconds, times RFC 3339 with nanoseconds in UTC. Immutable.
 *
 * @param type        always {@link #TYPE}
 * @param id          a unique event id
 * @param timestamp   when the result was made
 * @param status      200, 400 (no reply subject), 408 (the requestor lost interest), 503 (no responder), 504
 *                    (threshold passed)
 * @param description {@code Bad Request}, {@code Request Timeout}, {@code Service Unavailable},
 *                    {@code Service Timeout}; empty for 200
 * @param requestor   the requestor (account and RTT, all details when its import shares them), or null
 * @param responder   the responder, or null
 * @param header      the tracing headers that triggered the measurement, or null
 * @param start       when the request started (its arrival minus the requestor's RTT)
 * @param service     time spent in the service
 * @param system      time spent in the servers
 * @param total       end-to-end time
 */
public record ServiceLatencyEvent(@JsonProperty("type") String type,
                                  @JsonProperty("id") String id,
                                  @JsonProperty("timestamp") String timestamp,
                                  @JsonProperty("status") int status,
                                  @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                                  String description,
                                  @JsonProperty("requestor") @JsonInclude(JsonInclude.Include.NON_NULL)
                                  ClientInfo requestor,
                                  @JsonProperty("responder") @JsonInclude(JsonInclude.Include.NON_NULL)
                                  ClientInfo responder,
                                  @JsonProperty("header") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                                  Map<String, List<String>> header,
                                  @JsonProperty("start") String start,
                                  @JsonProperty("service") long service,
                                  @JsonProperty("system") long system,
                                  @JsonProperty("total") long total) {

    /** The event type ({@code ServiceLatencyType}). */
    public static final String TYPE = "io.nats.server.metric.v1.service_latency";
}
