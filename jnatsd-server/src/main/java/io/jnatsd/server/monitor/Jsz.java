package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code /jsz}: nats-server's {@code JSInfo} with JetStream off (jnatsd has none yet): {@code disabled} and zero
 * figures, as nats-server writes them.
 */
public record Jsz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("disabled") boolean disabled,
        @JsonProperty("config") Config config,
        @JsonProperty("memory") long memory,
        @JsonProperty("storage") long storage,
        @JsonProperty("reserved_memory") long reservedMemory,
        @JsonProperty("reserved_storage") long reservedStorage,
        @JsonProperty("accounts") int accounts,
        @JsonProperty("ha_assets") int haAssets,
        @JsonProperty("api") Api api,
        @JsonProperty("streams") int streams,
        @JsonProperty("consumers") int consumers,
        @JsonProperty("messages") long messages,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("total") int total) {

    /** {@code JetStreamConfig} (zero). */
    public record Config(@JsonProperty("max_memory") long maxMemory, @JsonProperty("max_storage") long maxStorage) {
    }

    /** {@code JetStreamAPIStats} (zero). */
    public record Api(@JsonProperty("level") int level, @JsonProperty("total") long total,
                      @JsonProperty("errors") long errors) {
    }

    static Jsz disabled(String serverId, String now) {
        return new Jsz(serverId, now, true, new Config(0, 0), 0, 0, 0, 0, 0, 0, new Api(0, 0, 0), 0, 0, 0, 0, 0);
    }
}
