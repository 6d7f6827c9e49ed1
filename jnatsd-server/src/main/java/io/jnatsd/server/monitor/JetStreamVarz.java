package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.server.jetstream.AccountStats;
import io.jnatsd.server.jetstream.JetStreamConfig;

/**
 * The {@code jetstream} object of {@code /varz} and of STATSZ (nats-server's {@code JetStreamVarz}): the
 * configuration, the server's figures and the limits; {@code {}} with JetStream off. {@code meta} is never written
 * (no clustering).
 *
 * @param config the configuration JetStream runs with (STATSZ leaves out the store directory)
 * @param stats  the server's figures
 * @param limits the configured {@code jetstream.limits}
 */
// nats-server: monitor.go JetStreamVarz
public record JetStreamVarz(
        @JsonProperty("config") @JsonInclude(Include.NON_NULL) JetStreamConfig config,
        @JsonProperty("stats") @JsonInclude(Include.NON_NULL) Stats stats,
        @JsonProperty("limits") @JsonInclude(Include.NON_NULL) JsLimits limits) {

    /** JetStream off. */
    static final JetStreamVarz OFF = new JetStreamVarz(null, null, null);

    /**
     * The server's figures ({@code JetStreamStats}, jetstream.go {@code usageStats}).
     *
     * @param memory          memory streams use
     * @param storage         storage file streams use
     * @param reservedMemory  memory reserved by streams' {@code max_bytes}
     * @param reservedStorage storage reserved by streams' {@code max_bytes}
     * @param accounts        JetStream-enabled accounts
     * @param haAssets        replicated assets (always 0)
     * @param api             API statistics (level, total, errors, in flight)
     */
    // nats-server: jetstream.go JetStreamStats
    public record Stats(
            @JsonProperty("memory") long memory,
            @JsonProperty("storage") long storage,
            @JsonProperty("reserved_memory") long reservedMemory,
            @JsonProperty("reserved_storage") long reservedStorage,
            @JsonProperty("accounts") int accounts,
            @JsonProperty("ha_assets") int haAssets,
            @JsonProperty("api") AccountStats.Api api) {
    }
}
